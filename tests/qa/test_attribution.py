"""Quote attribution: who said each sentence, and which questions ask for someone's words."""

from __future__ import annotations

import doctest
import time
from pathlib import Path

import pytest
from article_desk import desk_over, filler_stories, read_and_unread  # tests/ is on sys.path

import qa.extractive.evidence
import qa.speech.affiliation
import qa.speech.attribution
import qa.speech.discourse
import qa.speech.question
from index.sentences import split_sentences
from qa import NewsDesk
from qa.extractive.answer import said_about
from qa.speech.affiliation import speaks_for
from qa.speech.attribution import SpeakerLabeller, attribute_speakers
from qa.speech.question import SaidQuestion, parse_said_question, same_speaker

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_08dd639a47279972.txt"


def _speakers_by_sentence(text: str) -> list[tuple[str, str | None]]:
    spans = split_sentences(text)
    speakers = attribute_speakers(text, spans)
    return [
        (text[start:end], speaker) for (start, end), speaker in zip(spans, speakers, strict=True)
    ]


def _speaker_of(text: str, fragment: str) -> str | None:
    """The speaker of the one sentence containing `fragment`."""
    found = [speaker for sentence, speaker in _speakers_by_sentence(text) if fragment in sentence]
    assert len(found) == 1, f"{fragment!r} is in {len(found)} sentences"
    return found[0]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("fragment", "speaker"),
    [
        # quote and speaker in one sentence, with an appositive between name and verb
        ("We’re not going to Beijing with the intent", "Daniel Kritenbrink"),
        # "he said" in the next paragraph carries the last named person, not the
        # organisations that spoke before him
        ("We’re coming to Beijing with a realistic", "Daniel Kritenbrink"),
        # reported speech: the surname resolves to the full name given earlier
        ("Kritenbrink said he expected Blinken", "Daniel Kritenbrink"),
        ("A primary objective for Blinken", "Daniel Kritenbrink"),
        ("There will be a substantive and productive agenda", "Daniel Kritenbrink"),
        # titles before the name are not part of it
        ("Kurt Campbell said in the same call", "Kurt Campbell"),
        # a two-sentence quotation closed by "he said" in its second sentence
        ("I believe Secretary Blinken will advocate strongly", "Kurt Campbell"),
        ("They are how mature, strong militaries interact", "Kurt Campbell"),
        # organisations speak; a sentence-final attribution beats the opening subject
        ("Qin Gang urged the United States", "China’s foreign ministry"),
        ("U.S. officials said Blinken would push", "U.S. officials"),
        ("between June 16 and June 21", "State Department"),
        ("Chinese state media said", "Chinese state media"),
        # the speaker after the quote beats "according to" the readout; "Qin" is Qin Gang
        ("Since the beginning of the year", "Qin Gang"),
        ("stop interfering in China’s internal affairs", "Qin Gang"),
        # mentions are not speech
        ("Blinken’s long-delayed visit is aimed at", None),
        ("The two sides did not say which Chinese officials", None),
        ("Visits by U.S. officials and lawmakers", None),
        ("Having postponed a February trip", None),
        ("Ties have deteriorated across the board", None),
    ],
)
def test_seed_article_speakers(seed_text: str, fragment: str, speaker: str | None) -> None:
    assert _speaker_of(seed_text, fragment) == speaker


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        # inverted attribution after a quote
        ("“It is done,” said Sen. Art Swann, a Republican.", "It is done", "Art Swann"),
        # "said X" with a description before the name
        (
            "Rules prevent comment, said Anthem spokesperson Colin Manning.",
            "Rules",
            "Colin Manning",
        ),
        # "said X gave ...": X is what was said about, not the speaker
        (
            "Clark, the deputy marshal, said Eleni Cavalcante gave police wrong names.",
            "Clark",
            "Clark",
        ),
        ("The tally rose, according to police.", "tally", "police"),
        # a document speaks for its owner; an ownerless one for no one
        ("It grew, according to the Food Institute’s analysis of data.", "grew", "Food Institute"),
        ("It grew 2%, according to the census.", "grew", None),
        ("Prices fell, a report by Reuters said.", "Prices", None),
        # an organisation's name with "of" and "and" in it
        (
            "Most children catch RSV, the Centers for Disease Control and Prevention says.",
            "RSV",
            "Centers for Disease Control and Prevention",
        ),
        # "X of Y says" is X speaking; "the daughters of Prince Andrew said" is not Andrew
        ("Howard Bragman of La Brea Media says it will last.", "Bragman", "Howard Bragman"),
        ("“We miss you,” the daughters of Prince Andrew said.", "miss", None),
        (
            "“Georgia leads,” Secretary of State Brad Raffensperger said.",
            "Georgia",
            "Brad Raffensperger",
        ),
        # an appositive holding the name
        (
            "Executive Director of Keep Knoxville Beautiful, Alanna McKissack, says it works.",
            "Knoxville",
            "Alanna McKissack",
        ),
        # speech verbs that also take objects are speech only before a clause
        ("Kia also recalled 126,747 vehicles.", "Kia", None),
        ("Apple added a new feature.", "Apple", None),
        ("“It was fun,” Stoops recalled.", "fun", "Stoops"),
        ("Hurd added that he would run.", "Hurd", "Hurd"),
        # some feeds write quotation marks as two apostrophes
        ("\"She hasn't been there,'' coach Joe Greene said.", "there", "Joe Greene"),
        # a participle after the subject: "did this, saying ..."
        (
            "Zelenskyy vowed to fight on, saying his people would drive the invaders out.",
            "vowed",
            "Zelenskyy",
        ),
        # a weekday after a name is not part of it
        ("Nancy Pelosi Tuesday said the trip kept a promise.", "trip", "Nancy Pelosi"),
        # scare quotes and titles are not speech
        ("“Squid Game” is officially coming back.", "Squid", None),
        ("Netflix renewed “Squid Game” for a second season.", "renewed", None),
        # words a person puts on something in quotation marks are that person's
        (
            "Former House Speaker John Boehner, R-Ohio, once called Jordan a “legislative "
            "terrorist.”",
            "Jordan",
            "John Boehner",
        ),
        ("Sen. Amy Klobuchar called Putin “a thug and a despot.”", "Putin", "Amy Klobuchar"),
        # not the one called so, nor a name given, nor a group's or a body's word
        ("He was called a “hero” by his neighbors.", "hero", None),
        ("A group called “Moms for Liberty” met on Monday.", "group", None),
        ("Some residents called it “a disgrace.”", "residents", None),
        ("Biden called the ruling a disgrace.", "ruling", None),
    ],
)
def test_single_sentence_attribution(text: str, fragment: str, speaker: str | None) -> None:
    assert _speaker_of(text, fragment) == speaker


MULTI = (
    "Mayor Jane Doe spoke on Monday.\n\n"
    "“The water is safe. We tested it twice,” Doe said.\n\n"
    "“Nobody should worry.”\n\n"
    "The city council said in a statement that it backed her.\n\n"
    "“We trust the tests,” it said.\n\n"
    "“We trust them too,” she said.\n\n"
    "The plant was built in 1950.\n\n"
    "Some residents called it “a disgrace to the whole region.”"
)


@pytest.mark.parametrize(
    ("fragment", "speaker"),
    [
        ("Mayor Jane Doe spoke", None),
        # the first sentence of a quotation attributed in its second
        ("The water is safe.", "Jane Doe"),
        ("We tested it twice", "Jane Doe"),
        # a paragraph of bare quotation continues the previous paragraph's speaker
        ("Nobody should worry", "Jane Doe"),
        ("The city council said", "the city council"),
        # "it" carries the last organisation, "she" the last person
        ("We trust the tests", "the city council"),
        ("We trust them too", "Jane Doe"),
        ("The plant was built", None),
        # a quotation inside narration with no speech verb is not inherited
        ("a disgrace to the whole region", None),
    ],
)
def test_speakers_across_sentences_and_paragraphs(fragment: str, speaker: str | None) -> None:
    assert _speaker_of(MULTI, fragment) == speaker


def test_a_transcript_s_turns_are_their_speakers_words() -> None:
    text = (
        "This transcript was edited for clarity.\n"
        "Taylor Wilson:\n"
        "Good morning. Zelenskyy said, “The day will come.” Trevor, how does it work?\n"
        "Trevor Hughes:\n"
        "First, cadaver dogs search the area. Then experts identify the bones.\n"
        "TIP-INS:\n"
        "It is slow work."
    )
    assert [speaker for _, speaker in _speakers_by_sentence(text)] == [
        None,  # before the first turn
        None,  # the turn's name
        "Taylor Wilson",
        "Zelenskyy",  # a host relays another's words: they stay that speaker's
        "Taylor Wilson",
        None,
        "Trevor Hughes",
        "Trevor Hughes",
        "Trevor Hughes",  # a heading in capitals is no turn
        "Trevor Hughes",
    ]
    # one name alone before a colon is no transcript: a heading, a byline
    lone = "Taylor Wilson:\nGood morning. It is slow work."
    assert [speaker for _, speaker in _speakers_by_sentence(lone)] == [None, None, None]


def test_a_quotation_running_into_the_next_paragraph_keeps_its_speaker() -> None:
    text = (
        "Campbell said on Tuesday: “We will talk to Beijing. We have to.\n"
        "“And we will keep talking.”\n"
        "Markets rose."
    )
    assert [speaker for _, speaker in _speakers_by_sentence(text)] == [
        "Campbell",
        "Campbell",
        "Campbell",
        None,
    ]


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        # the sentence just before opens on a person, and "he" is them, not the last speaker
        (
            "Iran faces “an early exit,” said Daniel Lewis of The Analyst. "
            "However, head coach Carlos Queiroz still has faith in his players. "
            "“We win or learn,” he said.",
            "We win or learn",
            "Carlos Queiroz",
        ),
        (
            "“It is over,” said Mary Jones. Chris Dickson planned to drop his bag at the hotel. "
            "“I just wanted to come,” he said.",
            "I just wanted to come",
            "Chris Dickson",
        ),
        # not where that sentence names someone else too
        (
            "“Prices will rise,” said Jane Doe. Tom Smith also met Mary Jones on Monday. "
            "“It went well,” she said.",
            "It went well",
            "Jane Doe",
        ),
        # nor where it calls its subject by the other pronoun
        (
            "“It is over,” said Jane Doe. Tom Smith never recovered from his illness. "
            "“He was brave,” she said.",
            "He was brave",
            "Jane Doe",
        ),
        # nor where the pronoun's own sentence opens on someone
        (
            "“We will win,” said coach Jane Doe. However, Tom Smith did not play on Monday. "
            "Although Doe wanted Smith to play, she said the risk was too high.",
            "the risk was too high",
            "Jane Doe",
        ),
        # nor from inside a quotation
        (
            "“Finland changes the calculus,” Dick Durbin said. “And Putin could not have "
            "imagined it.” He said the deal was worth it.",
            "the deal was worth it",
            "Dick Durbin",
        ),
    ],
)
def test_a_pronoun_after_a_sentence_opening_on_a_person(
    text: str, fragment: str, speaker: str | None
) -> None:
    assert _speaker_of(text, fragment) == speaker


def test_pronoun_with_no_named_speaker_is_unattributed() -> None:
    assert _speaker_of("“It is over,” he said.", "over") is None


def test_one_speaker_per_sentence_and_none_for_no_sentences() -> None:
    text = "Kurt Campbell said talks matter. Prices rose."
    assert attribute_speakers(text, [(0, 32), (33, 45)]) == ["Kurt Campbell", None]
    assert attribute_speakers(text, []) == []


def test_attribution_is_fast_on_a_news_sized_article(seed_text: str) -> None:
    # the seed is ~3,600 characters; the target is < 5 ms for 5,000 on the query path.
    # The bound here is loose because the test box is shared, but a regex that
    # backtracks badly would still blow through it.
    text = seed_text + "\n\n" + seed_text[:1500]
    spans = split_sentences(text)
    best = min(_timed(text, spans) for _ in range(5))
    assert best < 0.025


def _timed(text: str, spans: list[tuple[int, int]]) -> float:
    start = time.perf_counter()
    attribute_speakers(text, spans)
    return time.perf_counter() - start


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "what did Kritenbrink say about expectations?",
            SaidQuestion("Kritenbrink", "expectations"),
        ),
        ("What did Daniel Kritenbrink tell reporters?", SaidQuestion("Daniel Kritenbrink", None)),
        # the speech verb of an infinitive is not the question's: Trump appealed
        ("Why did Trump appeal the order for Pence to testify?", None),
        (
            "what has Campbell said on crisis communication",
            SaidQuestion("Campbell", "crisis communication"),
        ),
        (
            "How did the State Department describe the trip?",
            SaidQuestion("State Department", "the trip"),
        ),
        ("what was Kritenbrink's view of the trip", SaidQuestion("Kritenbrink", "the trip")),
        (
            "according to Kritenbrink, what is the objective?",
            SaidQuestion("Kritenbrink", "the objective"),
        ),
        (
            "What is the objective, according to Kritenbrink?",
            SaidQuestion("Kritenbrink", "the objective"),
        ),
        ("what else did he say?", SaidQuestion("he", None)),
        ("Did Blinken say anything about Taiwan?", SaidQuestion("Blinken", "Taiwan")),
        ("What did Qin tell Blinken about Taiwan?", SaidQuestion("Qin", "Taiwan")),
        ("what was said by Qin about interference", SaidQuestion("Qin", "interference")),
        ("How did officials react?", SaidQuestion("officials", None)),
        (
            "what is Campbell saying about lines of communication",
            SaidQuestion("Campbell", "lines of communication"),
        ),
        (
            "What are Kritenbrink's expectations for the trip?",
            SaidQuestion("Kritenbrink", "the trip"),
        ),
        # a document or organisation reporting a person's words: the person speaks
        (
            "What did the Chinese foreign ministry's readout quote Qin as saying about "
            "responsibility?",
            SaidQuestion("Qin", "responsibility"),
        ),
        ("What did the readout quote Qin as saying?", SaidQuestion("Qin", None)),
        # the passive form
        ("What is Kritenbrink quoted as saying?", SaidQuestion("Kritenbrink", None)),
        (
            "What was Qin quoted as saying about responsibility?",
            SaidQuestion("Qin", "responsibility"),
        ),
        (
            "What did state media cite Wang Yi as saying on Taiwan?",
            SaidQuestion("Wang Yi", "Taiwan"),
        ),
        (
            "According to the ministry, what did Qin say about responsibility?",
            SaidQuestion("Qin", "responsibility"),
        ),
        (
            "What did Qin say about responsibility, according to the readout?",
            SaidQuestion("Qin", "responsibility"),
        ),
        (
            "What did Qin say about Taiwan in the ministry's statement?",
            SaidQuestion("Qin", "Taiwan"),
        ),
        # a document's issuer is the speaker, when the question names one
        (
            "How many people died, according to a report from the CDC?",
            SaidQuestion("CDC", "many people died"),
        ),
        ("What did the statement by Moody's say about Ukraine?", SaidQuestion("Moody", "Ukraine")),
        # not questions about anyone's words
        ("what is the population of Beijing?", None),
        # a document with no issuer the articles could quote asks for the fact
        ("Which country is bankrupt, according to a statement from its administration?", None),
        ("According to a new estimate out this week, how much does it cost?", None),
        ("Who is Kurt Campbell?", None),
        ("What is the price expected to be?", None),
        ("How did markets react to the news?", None),
        ("What did the report say about jobs?", None),
        ("what did you say?", None),
        ("", None),
        # a verb that takes an object as readily as words: words only before a subject,
        # a clause or nothing
        ("Why did Kia recall 126,747 vehicles?", None),
        ("Why did Kia recall vehicles this week?", None),
        ("What did the chain add to its menu?", None),
        ("Why did Biden claim victory?", None),
        ("What did Ortiz recall about the eviction?", SaidQuestion("Ortiz", "the eviction")),
        ("What did Trump claim about the election?", SaidQuestion("Trump", "the election")),
        ("What did Blinken add this week?", SaidQuestion("Blinken", None)),
        ("What else did Kritenbrink add?", SaidQuestion("Kritenbrink", None)),
        # what someone promised to do: no topic
        ("What did Kevin McCarthy promise to do?", SaidQuestion("Kevin McCarthy", None)),
        ("What did Biden promise about Ukraine?", SaidQuestion("Biden", "Ukraine")),
        # a speaker described before the name goes by the name, as articles write it
        (
            "What did Iran coach Carlos Queiroz say after the loss?",
            SaidQuestion("Carlos Queiroz", None),
        ),
        (
            "What did Ohio Attorney General Dave Yost say on Fox about the case?",
            SaidQuestion("Dave Yost", "the case"),
        ),
        (
            "What did cast member Alan Muraoka say about Bob McGrath after his death?",
            SaidQuestion("Alan Muraoka", "Bob McGrath"),
        ),
        ("What did U.S. officials say?", SaidQuestion("U.S. officials", None)),
        (
            "What did Brian Dittmeier of the National WIC Association say?",
            SaidQuestion("Brian Dittmeier", None),
        ),
        (
            "What did the Prime Minister of Canada say?",
            SaidQuestion("Prime Minister of Canada", None),
        ),
        # a clause before the verb is no speaker
        ("Why did $3 gas arrive earlier than AAA had expected?", None),
        ("What did the administration extend in July to help respond to the virus?", None),
        ("What did the Bank of England say?", SaidQuestion("Bank of England", None)),
        # when the words were said is not what they were about
        (
            "What did Ashton Carter say when the Pentagon lifted its ban?",
            SaidQuestion("Ashton Carter", None),
        ),
        # a headline's shorthand: the person "on" or "about" the topic
        ("Kritenbrink on expectations", SaidQuestion("Kritenbrink", "expectations")),
        ("Kurt Campbell on Ukraine?", SaidQuestion("Kurt Campbell", "Ukraine")),
        ("Yellen's remarks on inflation", SaidQuestion("Yellen", "inflation")),
        (
            "Daniel Kritenbrink’s comments about Taiwan",
            SaidQuestion("Daniel Kritenbrink", "Taiwan"),
        ),
        ("The Fed on rates", SaidQuestion("Fed", "rates")),
        (
            "Xavier Becerra on who controls the timeline",
            SaidQuestion("Xavier Becerra", "who controls the timeline"),
        ),
        # a body's acronym that spells a question word or a pronoun
        ("What did the WHO say about monkeypox?", SaidQuestion("WHO", "monkeypox")),
        ("What did the US say?", SaidQuestion("US", None)),
        ("What did we say?", None),
        ("What did who say?", None),
        # ... not a question or a request that opens so
        ("What on earth happened?", None),
        ("News on Blinken", None),
        ("Tell me about Blinken", None),
        ("Updates on the Ukraine war", None),
        ("Blinken's trip to China", None),
        ("the talks on trade", None),
        # a description after the name, set off by commas
        (
            "What did Bill Ogden, a lawyer for the parents, say about the ruling?",
            SaidQuestion("Bill Ogden", "the ruling"),
        ),
        # an adverb before the verb is no part of the speaker
        (
            "What did former House Speaker John Boehner once call Jim Jordan?",
            SaidQuestion("John Boehner", "Jim Jordan"),
        ),
        ("What did Musk reportedly tell employees?", SaidQuestion("Musk", None)),
        # news, then the question: a question of fact
        ("President Biden on Wednesday announced relief. How much will borrowers get?", None),
        ("Apple on Monday released iOS 16. Which feature did it add?", None),
    ],
)
def test_parse_said_question(question: str, expected: SaidQuestion | None) -> None:
    assert parse_said_question(question) == expected


@pytest.mark.parametrize(
    ("question", "view"),
    [
        ("What did Blinken tell Qin Gang?", False),
        ("What did Kritenbrink say about expectations?", False),
        ("What does Washington want to set up?", True),
        ("What does Campbell think of the talks?", True),
        ("What is Qin's position on Taiwan?", True),
    ],
)
def test_a_view_is_told_from_words(question: str, view: bool) -> None:
    said = parse_said_question(question)
    assert said is not None and said.view is view


@pytest.mark.parametrize(
    ("asked", "speaker", "same"),
    [
        ("Kritenbrink", "Daniel Kritenbrink", True),
        ("kritenbrink", "Daniel Kritenbrink", True),
        ("Daniel Kritenbrink", "Kritenbrink", True),
        ("DANIEL KRITENBRINK", "Daniel Kritenbrink", True),
        ("Blinken", "Daniel Kritenbrink", False),
        ("Antony Blinken", "Daniel Kritenbrink", False),
        ("John Smith", "Jane Smith", False),
        ("Secretary Blinken", "Antony Blinken", True),
        ("Qin", "Qin Gang", True),
        ("State Department", "the State Department", True),
        ("the foreign ministry", "China’s foreign ministry", True),
        ("officials", "U.S. officials", True),
        ("he", "Kurt Campbell", False),
        ("", "Kurt Campbell", False),
        # initials, linking words left out
        ("the IRS", "The Internal Revenue Service", True),
        ("CDC", "the U.S. Centers for Disease Control and Prevention", True),
        ("Internal Revenue Service", "the IRS", True),
        ("F.B.I.", "Federal Bureau of Investigation", True),
        ("the IRS", "Internal Affairs", False),
        ("Ice", "International Coffee Exchange", False),  # a name, not initials
        ("UN", "United Nations", False),  # two letters say too little
        # accents left out, or put in
        ("Sanchez", "Pedro Sánchez", True),
        ("Erdoğan", "Recep Tayyip Erdogan", True),
        ("Sanchez", "Pedro Sancho", False),
        # a country's adjective for its name
        ("the Chinese foreign ministry", "China’s foreign ministry", True),
        ("the Russian defense ministry", "Russia's defense ministry", True),
        ("British officials", "Britain's officials", True),
        ("the German government", "Germany's government", True),
        ("the Chinese foreign ministry", "Japan’s foreign ministry", False),
        ("the Chinese embassy", "China’s foreign ministry", False),
        ("the Chinese foreign ministry", "China’s defense ministry", False),
        ("the Chinese foreign ministry", "China’s Ministry of Defense", False),
        # "X of Y" as "Y X"
        ("the Russian defense ministry", "the Russian Ministry of Defense", True),
        ("the Justice Department", "the Department of Justice", True),
        ("Defense Secretary Lloyd Austin", "Austin", True),
        ("Fiji’s minister of defense", "Fiji’s defense minister", True),
        ("the Bank of England", "the Bank of Japan", False),
        # named by titles alone
        ("police", "Police", True),
        ("police", "transit police", True),
        ("the police", "Sen. Smith", False),
        ("the president", "President Joe Biden", True),
        ("the governor", "the mayor", False),
        # a body's official speaks for it; a former one does not
        ("the White House", "a White House official", True),
        ("the Justice Department", "Justice Department officials", True),
        ("the White House", "a former White House official", False),
        ("the White House", "a Kremlin official", False),
        ("officials", "fire officials", True),
    ],
)
def test_same_speaker(asked: str, speaker: str, same: bool) -> None:
    assert same_speaker(asked, speaker) is same


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("What did Qin Gang say about semiconductors?", "semiconductors"),
        ("What did the readout quote Qin as saying about responsibility?", "responsibility"),
        ("What did Kurt Campbell say about lines of communication?", "lines of communication"),
        ("What did Muraoka say about McGrath after his death?", "McGrath"),
        ("Qin Gang on semiconductors", "semiconductors"),
        # a topic that is not what the words are about
        ("What did Kritenbrink say Blinken would reiterate about Taiwan?", None),
        ("According to Chinese state media, on which days will Blinken be in China?", None),
        ("What did Kurt Campbell say?", None),
        ("Who is Qin Gang?", None),
    ],
)
def test_said_about(question: str, subject: str | None) -> None:
    assert said_about(question, parse_said_question(question)) == subject


@pytest.mark.parametrize(
    ("asked", "speaker", "text", "speaks"),
    [
        (
            "the State Department",
            "Daniel Kritenbrink",
            "“We are ready,” Daniel Kritenbrink, the State Department’s top diplomat for "
            "East Asia, told reporters.",
            True,
        ),
        ("the Pentagon", "John Kirby", "Pentagon spokesman John Kirby told reporters.", True),
        (
            "the White House",
            "Raj Panjabi",
            "“Vaccines are here,” Dr. Raj Panjabi, who leads the White House’s monkeypox "
            "response, told CNN.",
            True,
        ),
        ("the Kremlin", "Dmitry Peskov", "It said. Kremlin Spokesman Dmitry Peskov said.", True),
        # a past post is not a voice for the office
        ("the CDC", "Tom Frieden", "Former CDC director Tom Frieden said it spreads.", False),
        # another organisation, or a description that lacks part of the name
        ("the White House", "John Kirby", "Pentagon spokesman John Kirby said so.", False),
        ("the foreign ministry", "Qin Gang", "Chinese foreign minister Qin Gang said so.", False),
        # a speaker the text never names in full has no description to read
        ("the Pentagon", "Kirby", "Pentagon spokesman John Kirby said so.", False),
        # an office asked by its title alone: whoever holds it in the article
        ("the mayor", "Eric Adams", "New York City Mayor Eric Adams said so.", True),
        ("the prime minister", "Boris Johnson", "Prime Minister Boris Johnson said so.", True),
        ("the mayor", "Eric Adams", "Former Mayor Eric Adams said so.", False),
        ("the mayor", "Kathy Hochul", "Gov. Kathy Hochul said so.", False),
        # a group asked about: each member the article describes so
        (
            "experts",
            "Peter Chin-Hong",
            "“It spreads,” said Peter Chin-Hong, an infectious disease expert at UCSF.",
            True,
        ),
        ("analysts", "Rich Greenfield", "Rich Greenfield, an analyst at LightShed, said so.", True),
        ("experts", "Rich Greenfield", "Rich Greenfield, an analyst at LightShed, said so.", False),
        ("experts", "Ann Lee", "Ann Lee, a former expert witness, said so.", False),
        # the clause before a name describes it only up to its verb or preposition
        ("Twitter", "Elon Musk", "Twitter agrees to sell itself to Elon Musk.", False),
        ("Tesla", "Elon Musk", "The effort by Tesla CEO Elon Musk stalled.", True),
        ("the FDA", "Ann Lee", "The panel, chaired by FDA adviser Ann Lee, met.", True),
    ],
)
def test_speaks_for(asked: str, speaker: str, text: str, speaks: bool) -> None:
    assert speaks_for(asked, speaker, text) is speaks


@pytest.mark.model
def test_an_office_is_answered_by_the_words_of_its_official(seed_desk: NewsDesk) -> None:
    # the article's sentence "..., the State Department said" is about dates; the
    # attitude is in the words of its diplomat, "he [Daniel Kritenbrink] said"
    answer = seed_desk.ask(
        "How does the State Department describe the attitude it is bringing to the talks "
        "in Beijing?"
    )
    assert not answer.abstained
    assert any("realistic, confident approach" in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    "module",
    [qa.speech.attribution, qa.speech.discourse, qa.speech.question, qa.speech.affiliation],
)
def test_docstring_examples_hold(module: object) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.model
def test_ingest_stores_the_speakers_an_answer_would_find_and_answers_use_them(
    empty_desk: NewsDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty_desk.ingest([SEED])
    index = empty_desk._index
    [article_id] = [s.id for s in index.summaries()]
    article = index.article(article_id)
    assert article is not None
    labeller = SpeakerLabeller()
    [(version, stored)] = index.sentence_labels([article_id], labeller.name).values()
    assert version == article.version
    spans = split_sentences(article.text)
    made = list(zip((s for s, _ in spans), attribute_speakers(article.text, spans), strict=True))
    # the first sentence (where the lead starts) and every one with a speaker
    assert stored == tuple(pair for n, pair in enumerate(made) if n == 0 or pair[1] is not None)
    assert sum(speaker is not None for _, speaker in stored) >= 5

    def no_live_attribution(*args: object) -> list[str | None]:
        raise AssertionError("speakers were attributed at question time")

    monkeypatch.setattr(qa.extractive.evidence, "attribute_speakers", no_live_attribution)
    answer = empty_desk.ask("What did Kritenbrink say about expectations?")
    assert not answer.abstained
    assert any("Kritenbrink" in (c.speaker or "") for c in answer.citations)


@pytest.mark.model
def test_a_product_recall_is_not_taken_for_words(tmp_path: Path) -> None:
    article = {
        "id": "swing-recall",
        "title": "Baby swings recalled",
        "date": "2022-08-15",
        "text": "4moms issued a recall of its MamaRoo baby swings on Monday. The swings "
        "were recalled because their straps can entangle crawling infants, the Consumer "
        "Product Safety Commission said.",
    }
    with desk_over(tmp_path, article) as desk:
        answer = desk.ask("Why did 4moms recall its baby swings?")
    # read as "what did 4moms say", it found no words of 4moms and abstained
    assert not answer.abstained, answer.notices
    assert "straps can entangle crawling infants" in answer.text


@pytest.mark.model
def test_police_and_a_body_s_officials_have_words(tmp_path: Path) -> None:
    article = {
        "id": "mall-shooting",
        "title": "Shooting at a mall",
        "date": "2022-07-18",
        "text": "A gunman opened fire at a mall in Greenwood on Sunday evening. Police said "
        "the shooting ended when an armed bystander killed the gunman. The governor "
        "ordered flags lowered. A White House official said the president had been "
        "briefed on the shooting.",
    }
    with desk_over(tmp_path, article) as desk:
        police = desk.ask("What did police say about the shooting?")
        house = desk.ask("What did the White House say about the shooting?")
    # "police" is a title word: once its name was left empty, and nothing was its words
    assert not police.abstained, police.notices
    assert "armed bystander" in police.text
    assert "briefed" not in police.text
    assert not house.abstained, house.notices
    assert "had been briefed" in house.text
    assert "armed bystander" not in house.text


@pytest.mark.model
def test_a_reason_the_speaker_never_gives_is_taken_from_the_reporting(tmp_path: Path) -> None:
    article = {
        "id": "gas-prices",
        "title": "Gas hits $3 a gallon",
        "date": "2021-05-27",
        "text": "The national average for a gallon of gas reached $3 this week. AAA had "
        "expected $3 gas later in the summer. Prices arrived there early because the "
        "Colonial Pipeline was shut down for days after a ransomware attack.",
    }
    with desk_over(tmp_path, article) as desk:
        answer = desk.ask("Why did AAA expect $3 gas later in the summer?")
        words = desk.ask("What did AAA expect?")
    # read as "what did AAA say", it found no words of AAA's and abstained
    assert not answer.abstained, answer.notices
    assert "ransomware attack" in answer.text
    # asked for its words, it still has none to quote
    assert words.abstained


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        (
            "On Monday Fox hosted Ohio's Republican attorney general Dave Yost, who said "
            'there was "not a whisper" of any evidence.',
            "Dave Yost",
        ),
        (
            "Two witnesses supported testimony from Cassidy Hutchinson, a former White House "
            "aide, who said Trump was irate.",
            "Cassidy Hutchinson",
        ),
        (
            "The source was Dr. Caitlin Bernard, an obstetrician-gynecologist in Indianapolis, "
            "who said she had a patient.",
            "Caitlin Bernard",
        ),
        # "who" after a phrase that is no description: the name right before it
        ("In Nevada, for instance, Jim Marchant, who said it was stolen, won.", "Jim Marchant"),
        # no name before "who": nobody is read off the relative clause
        ("The plan drew opposition from governors of both parties, who said it was unfair.", None),
    ],
)
def test_the_name_before_who_said_is_the_speaker(sentence: str, speaker: str | None) -> None:
    assert attribute_speakers(sentence, [(0, len(sentence))]) == [speaker]


@pytest.mark.model
def test_words_off_the_topic_are_told_by_the_topic_itself(tmp_path: Path) -> None:
    article = {
        "id": "mcgrath-tribute",
        "title": "Sesame Street's Bob McGrath dies at 90",
        "date": "2022-12-04",
        "text": "Bob McGrath, an original cast member of Sesame Street, has died. "
        "“Words cannot express what Bob meant to me: a role model, a mentor, a friend,” "
        "Alan Muraoka wrote on Instagram.",
    }
    with desk_over(tmp_path, article) as desk:
        tribute = desk.ask("What did Alan Muraoka say about Bob McGrath after his death?")
        taxes = desk.ask("What did Alan Muraoka say about taxes?")
    # his words name Bob: whether or not they answer, they do not miss the topic
    assert not any("do not mention" in n for n in tribute.notices), tribute.notices
    assert taxes.abstained
    assert any("do not mention “taxes”" in n for n in taxes.notices), taxes.notices


@pytest.mark.model
def test_words_are_on_the_topic_the_sentence_before_them_names(tmp_path: Path) -> None:
    article = {
        "id": "espn-footage",
        "title": "ESPN apologizes",
        "date": "2023-05-01",
        "text": "ESPN has apologized for using old stock footage during Sunday's broadcast "
        "of a playoff game that briefly showed the World Trade Center's Twin Towers. "
        "“We mistakenly used an old stock image and we apologize,” senior director, "
        "communications at ESPN Ben Cafardo wrote in an email statement.",
    }
    with desk_over(tmp_path, article) as desk:
        footage = desk.ask("What did ESPN say about the footage?")
        taxes = desk.ask("What did ESPN say about taxes?")
    # his words name an image, not footage: the sentence that sets them up does
    assert not footage.abstained, footage.notices
    assert "mistakenly used an old stock image" in footage.text
    assert taxes.abstained
    assert any("do not mention “taxes”" in n for n in taxes.notices), taxes.notices


@pytest.mark.model
def test_another_of_the_name_does_not_speak_for_the_one_asked_about(tmp_path: Path) -> None:
    article = {
        "id": "phoenix-heat",
        "title": "Phoenix mayor joins Biden on heat",
        "date": "2023-07-27",
        "text": "Phoenix Mayor Kate Gallego appeared with President Joe Biden on Thursday to "
        "announce new action against extreme heat. Rep. Ruben Gallego said the steps were "
        "positive but not enough. Gallego said that while Phoenix is known for heat, this "
        "summer has been different.",
    }
    with desk_over(tmp_path, article) as desk:
        kate = desk.ask("What did Kate Gallego say?")
        ruben = desk.ask("What did Ruben Gallego say?")
    assert not kate.abstained, kate.notices
    assert "this summer has been different" in kate.text
    assert "not enough" not in kate.text
    assert "not enough" in ruben.text


def _analysis_of_a_warning() -> dict[str, str]:
    """A long analysis of Biden's "Armageddon" warning whose reporting names the word
    paragraph after paragraph, and quotes him on it once, deep in the story."""
    told = [
        f"Biden's talk of nuclear Armageddon recalled the {year} standoff, when Armageddon "
        f"seemed near to {who}. Historians of Armageddon in {year} say Biden chose his "
        "words about Armageddon with care, and that Armageddon had not been named so "
        "plainly by a president in decades. What Biden meant about Armageddon, and why "
        "Biden spoke of Armageddon at all, dominated the week in Washington."
        for year, who in [
            ("1962", "Kennedy's advisers"),
            ("1983", "Soviet officers"),
            ("1973", "Nixon's cabinet"),
            ("1995", "Yeltsin's generals"),
            ("1961", "Berlin's mayor"),
            ("1979", "Carter's staff"),
        ]
    ]
    quoted = (
        "At a fundraiser in Manhattan on Thursday evening, with donors gathered in a "
        "private home and reporters kept at the back of the room, the president spoke "
        "for about twenty minutes about the midterm elections, inflation and the war. "
        "The host, a hedge fund manager, had raised money for Democrats for years, and "
        "the caterers served crab cakes and a lemon tart while a string quartet played "
        "on the terrace overlooking the park before the speeches began. "
        "“I don’t think there’s any such thing as the ability to easily use a tactical "
        "nuclear weapon and not end up with Armageddon,” Biden said at the fundraiser. "
        "Donors applauded politely, the quartet resumed, and the evening ended shortly "
        "after nine with coffee served on the terrace."
    )
    return {
        "id": "armageddon-analysis",
        "title": "Analysis: a president talks of the unthinkable",
        "date": "2022-10-07",
        "text": "\n\n".join([*told[:3], quoted, *told[3:]]),
    }


def _other_stories() -> list[dict[str, str]]:
    """Biden's words on another subject, and stories on nothing asked about."""
    kabul = {
        "id": "kabul-strike",
        "title": "Biden warns of another attack",
        "date": "2021-08-28",
        "text": "Another attack on the Kabul airport is highly likely in the coming days, "
        "President Joe Biden warned on Saturday. “This strike was not the last,” Biden "
        "said in a statement after meeting his national security team.",
    }
    fillers = filler_stories(
        "A city council approves a new bus route",
        "A museum reopens its sculpture garden",
        "A bakery wins a regional bread contest",
        "A school district delays its start date",
        "A marathon changes its course downtown",
        "A zoo welcomes two red panda cubs",
    )
    return [kabul, *fillers]


@pytest.mark.model
def test_the_words_asked_for_are_read_in_the_whole_story_that_names_the_speaker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    analysis = _analysis_of_a_warning()
    with desk_over(tmp_path, analysis, *_other_stories()) as desk:
        passages, answer, unread = read_and_unread(
            desk, "What did Biden say about Armageddon?", monkeypatch
        )
    # the cap on passages per story leaves the quote's part of the analysis out
    told = [p for p in passages if p.article_id == analysis["id"]]
    assert len(told) == 3 and all("tactical" not in p.text for p in told)
    assert not answer.abstained, answer.notices
    assert answer.citations[0].quote.startswith("“I don’t think there’s any such thing")
    assert answer.citations[0].article_id == analysis["id"]
    # without the stories read whole, Biden's words are found on Kabul only
    assert unread.abstained
    assert any("do not mention “Armageddon”" in n for n in unread.notices), unread.notices
