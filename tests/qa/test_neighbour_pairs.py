"""Neighbour pairs: a sentence quoted with the next one when the pair answers better,
or with the one before when it opens on a pronoun that refers back."""

from __future__ import annotations

from pathlib import Path

import pytest
from article_desk import desk_over  # tests/ is on sys.path

import qa.retrieval
from index import ArticleRef, Chunk, StoredChunk
from index.sentences import split_sentences
from qa.extractive.evidence import (
    can_answer,
    pairs_with_next,
    pairs_with_previous,
    quote_goes_on,
    quote_left_open,
    refers_back,
)


@pytest.mark.parametrize(
    ("sentence", "open_"),
    [
        ("“I believe these lines of communication are necessary.", True),
        ("“They are necessary,” he said.", False),
        ("He said “we are ready” and left.", False),
        ('"We will not back down.', True),
        ('"We will not back down," she said.', False),
        ("No quotation here.", False),
        ("“Nested ‘single’ quotes stay open.", True),
    ],
)
def test_quote_left_open(sentence: str, open_: bool) -> None:
    assert quote_left_open(sentence) is open_


@pytest.mark.parametrize(
    ("question", "sentence", "following", "gain", "paired"),
    [
        # the rest of an open quotation comes along, whatever the question
        ("What did he say?", "“We are ready.", "We will go,” he said.", -0.2, True),
        # a "why" question takes the reason that follows a claim
        (
            "Why is the deal needed?",
            "The deal is needed.",
            "It is needed because prices rose.",
            -0.1,
            True,
        ),
        ("Why is the deal needed?", "The deal is needed.", "Talks resume on Monday.", 0.05, True),
        ("Why is the deal needed?", "The deal is needed.", "Talks resume on Monday.", 0.0, False),
        ("How will they do it?", "They will try.", "They aim to cut costs.", -0.1, True),
        # asked after a sentence of context, or a source
        ("Prices rose. Why?", "Prices rose.", "It was because of the drought.", -0.1, True),
        (
            "According to the report, how did they do it?",
            "They tried.",
            "They aim to cut costs.",
            -0.1,
            True,
        ),
        # "what happened after" takes the outcome that follows an event
        (
            "What happened after the vote?",
            "The bill passed.",
            "Protests then broke out.",
            -0.1,
            True,
        ),
        ("What happened next?", "The bill passed.", "It sparked protests.", -0.1, True),
        ("What happened after the vote?", "The bill passed.", "The weather was fine.", 0.0, False),
        ("What happened at the vote?", "The bill passed.", "Protests then broke out.", 0.0, False),
        # "how many" is not a question about reasons
        ("How many came?", "Forty came.", "They came because it rained.", 0.1, False),
        # other questions take one sentence
        ("What was agreed?", "They met.", "They agreed because they had to.", 0.3, False),
        # a heading goes on with nothing: not a quotation the article left open, not a
        # reason, not an outcome
        ("Why did she go?", "She went on: “I resign.", "What happens next", 0.0, False),
        ("Why did she go?", "She resigned.", "Why she resigned", 0.3, False),
        ("What happened after the vote?", "It passed.", "What happened next", 0.3, False),
    ],
)
def test_pairs_with_next(
    question: str, sentence: str, following: str, gain: float, paired: bool
) -> None:
    assert pairs_with_next(question, sentence, following, lambda: gain) is paired


@pytest.mark.parametrize(
    ("sentence", "speaker", "back"),
    [
        ("She played her entire career with the Storm.", None, True),
        ("They are how mature, strong militaries interact.", None, True),
        ("“They are how militaries interact,” he said.", None, True),  # inside a quotation
        ("But it’s just a faction of the ice sheet.", None, True),
        ("And those shelves are now empty.", None, True),
        ("This decision was made in May.", None, True),
        ("This week, prices rose.", None, False),
        ("That morning the talks resumed.", None, False),
        ("Those who heat with gas pay more.", None, False),
        ("Bird played her entire career with the Storm.", None, False),
        ("Theyre is no such word.", None, False),  # a pronoun only as a whole word
        ("He said the talks would go on.", None, True),
        # the answer names a pronoun speaker in brackets: "He [Kurt Campbell] said"
        ("He said the talks would go on.", "Kurt Campbell", False),
        ("He travelled to Beijing.", "Kurt Campbell", True),
        # the bracket names the "he" of "he said", not the "They" that opens the sentence
        ("“They are how militaries interact,” he said.", "Kurt Campbell", True),
    ],
)
def test_refers_back(sentence: str, speaker: str | None, back: bool) -> None:
    assert refers_back(sentence, speaker) is back


@pytest.mark.parametrize(
    ("sentence", "previous", "paired"),
    [
        ("She played for the Storm.", "Sue Bird retired on Tuesday.", True),
        ("Bird played for the Storm.", "Sue Bird retired on Tuesday.", False),
        # the sentence before must give the referent: not a dateline, not another pronoun
        ("She’s massive and covered in scales.", "CNN —", False),
        ("He smashed two records.", "His journey was tracked online.", False),
        ("He smashed two records.", "And it rose, then fell.", False),
    ],
)
def test_pairs_with_previous(sentence: str, previous: str, paired: bool) -> None:
    assert pairs_with_previous(sentence, None, previous, None) is paired


@pytest.mark.model
def test_a_pronoun_sentence_is_quoted_after_the_sentence_that_names_its_referent(
    tmp_path: Path,
) -> None:
    article = {
        "id": "bird",
        "title": "Sue Bird plays her final game",
        "date": "2022-09-07",
        "text": "Sue Bird bid farewell to basketball on Tuesday night after a playoff loss to "
        "the Las Vegas Aces. The crowd in Seattle stood for several minutes as the game "
        "ended. Bird, the first pick of the 2002 draft, is the league's all-time assists "
        "leader. She played her entire career with the Seattle Storm, winning four "
        "championships. The Aces advanced to the finals.",
    }
    with desk_over(tmp_path, article) as desk:
        answer = desk.ask("How many championships did Sue Bird win?")
    quotes = [c.quote for c in answer.citations]
    # without the pair, the answer was "She played her entire career ... [1]" alone
    held = quotes.index(
        "She played her entire career with the Seattle Storm, winning four championships."
    )
    assert held > 0
    assert quotes[held - 1].startswith("Bird, the first pick of the 2002 draft")
    assert answer.citations[held].start > answer.citations[held - 1].end


@pytest.mark.model
def test_a_short_pronoun_sentence_is_read_with_the_sentence_before_it(tmp_path: Path) -> None:
    article = {
        "id": "brooks",
        "title": "Former mayor Alan Brooks dies",
        "date": "2022-08-30",
        "text": "Former mayor Alan Brooks, who led the city through two floods, has died, "
        "his family said Tuesday. The hospital said Brooks died after a long illness. "
        "He was 87. When Brooks turned 80, the city council named a park after him and "
        "praised his decades of service. Brooks was first elected in 1979 and served "
        "four terms.",
    }
    with desk_over(tmp_path, article) as desk:
        answer = desk.ask("How old was Alan Brooks when he died?")
    quotes = [c.quote for c in answer.citations]
    # alone, "He was 87." matched too little of the question to be quoted: "When Brooks
    # turned 80, ..." answered; read with the sentence that names him, it answers
    assert "He was 87." in quotes, quotes
    held = quotes.index("He was 87.")
    assert held > 0 and quotes[held - 1] == "The hospital said Brooks died after a long illness."


@pytest.mark.parametrize(
    ("sentence", "answers"),
    [
        ("More:Chiefs vs. Eagles odds: Super Bowl 57 point spread, moneyline", False),
        ("RELATED: Great Smoky Mountains camping fees to increase", False),
        ("Read more: The 25 worst cities to raise children", False),
        ("Who wins Super Bowl 57?:Chiefs vs. Eagles picks, predictions", False),
        ("New York CNN Business —", False),
        ("Related issues came up: fees rose.", True),
        ("More than 40 people attended: the hall was full.", True),
        # page furniture: a link's label set on its headline, a video player, calls to act
        ("Cathedral controversy:Catholic school fires teacher, reaches settlement", False),
        ("Aww:'Jeopardy' contestant wants to send a positive message", False),
        ("READ: How Frances Tiafoe went from a tennis center to the semifinals", False),
        ("MUST WATCH See the severe flooding that shut down the park 01:15", False),
        ("JUST WATCHED Hear from parents Replay More Videos ...", False),
        ("For the latest updates on the sentencing, follow along here.", False),
        ("Money tips delivered right to your inbox. Sign up here", False),
        # colons that are not a label's: a time, a ratio, a URL, a quotation, a list
        ("The meeting starts at 10:30 a.m.", True),
        ("The vote was 3:1 in favor.", True),
        ("See https://example.com/Report for more.", True),
        ('He said:"We will win."', True),
        ("Score: Chiefs 38, Eagles 35.", True),
        ("Watchers said the river will flood here first.", True),
        # a short line with no stop is a subheading or a list's item, though it ends on
        # a quotation mark or a bracket; with a stop before the mark it is a sentence
        ("'Top Gun: Maverick'", False),
        ("4. 'The Martian' (2015)", False),
        ("“We will win,” she said.", True),
        ("“We will win.”", True),
    ],
)
def test_can_answer(sentence: str, answers: bool) -> None:
    assert can_answer(sentence) is answers


@pytest.mark.model
def test_a_linked_story_s_headline_is_neither_answer_nor_antecedent(tmp_path: Path) -> None:
    article = {
        "id": "smokies",
        "title": "No entrance fee for the Smokies",
        "date": "2022-03-01",
        "text": "Great Smoky Mountains National Park will keep free entry for visitors. "
        "RELATED: Great Smoky Mountains National Park camping fees to increase\n"
        "This deed restriction bars an entrance fee unless the Tennessee legislature "
        "lifts it. Parking tags will cost $5 a day from March.",
    }
    with desk_over(tmp_path, article) as desk:
        answer = desk.ask("Why can't the Smokies charge an entrance fee?")
    assert not answer.abstained, answer.notices
    assert "deed restriction" in answer.text
    assert "RELATED" not in answer.text


@pytest.mark.model
def test_an_explainer_s_heading_and_a_video_player_are_not_quoted(tmp_path: Path) -> None:
    article = {
        "id": "anchor",
        "title": "Morning anchor out at the network",
        "date": "2023-04-24",
        "text": "Dana Reed says she has been fired from her post as the network's morning "
        "anchor after six years. The network's move broke shortly after news Monday of "
        "another anchor's departure.\n"
        "Why was Dana Reed fired?\n"
        "Neither Reed nor the network offered a reason for the exit on Monday.\n"
        "JUST WATCHED Dana Reed signs off Replay More Videos ...\n"
        "MUST WATCH Why was Dana Reed fired from the morning show? 02:10\n"
        "Reed said she was told of the decision by her agent.",
    }
    with desk_over(tmp_path, article) as desk:
        answer = desk.ask("Why was Dana Reed fired?")
    assert not answer.abstained, answer.notices
    assert "offered a reason" in answer.text
    assert "Why was Dana Reed fired?" not in answer.text
    assert "WATCH" not in answer.text


_TOWNS = (
    "Pinetown Umlazi Verulam Amanzimtoti Tongaat Chatsworth Inanda Ntuzuma KwaMashu "
    "Phoenix Westville Clermont"
)


def _flood_story_with_a_gallery() -> dict[str, str]:
    """A story whose lead gives the toll, then a photo gallery as CNN pages run one:
    each frame the gallery's title again and a caption, after a counter."""
    title = "Photos: Deadly floods wreak havoc in South Africa"
    captions = [
        f"People in Durban clean up after the floods on April {day}, helped by volunteers "
        f"from the neighbouring town of {town} and soldiers sent by the government."
        for day, town in zip(range(1, 25), _TOWNS.split() * 2, strict=True)
    ]
    frames = [f"{title} {captions[0]}"] + [
        f"Hide Caption {n} of {len(captions)} {title} {caption}"
        for n, caption in enumerate(captions[1:], 1)
    ]
    return {
        "id": "floods",
        "title": "",
        "date": "2022-04-13",
        "text": "Heavy rains battered the eastern coast of South Africa on Wednesday, killing "
        "at least 306 people, damaging roads and destroying homes.\n\n"
        "The rains hit KwaZulu-Natal, which includes the coastal city of Durban.\n\n"
        + " ".join(frames),
    }


@pytest.mark.model
def test_a_photo_gallery_gives_its_place_to_the_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fillers = [
        {
            "id": f"filler-{n}",
            "title": "",
            "date": "2022-04-12",
            "text": f"{topic} The decision came on Monday, officials said.",
        }
        for n, topic in enumerate(
            [
                "A city council approved a new bus route.",
                "A museum reopened its sculpture garden.",
                "A bakery won a regional bread contest.",
                "A school district delayed its start date.",
                "A marathon changed its course downtown.",
                "A zoo welcomed two red panda cubs.",
            ]
        )
    ]
    question = "How many people died in the South Africa floods?"
    with desk_over(tmp_path, _flood_story_with_a_gallery(), *fillers) as desk:
        answer = desk.ask(question)
        monkeypatch.setattr(qa.retrieval, "_mostly_furniture", lambda stored: False)
        galleried = desk.retrieve(question)
    assert not answer.abstained, answer.notices
    assert "killing at least 306 people" in answer.text
    assert "Hide Caption" not in answer.text
    # the gallery's chunks, matching on its title again and again, would take the
    # story's places under the cap, and the lead would be left out
    floods = [p for p in galleried if p.article_id == "floods"]
    assert len(floods) == 3 and all("306" not in p.text for p in floods)


@pytest.mark.parametrize(
    ("speaker", "following", "following_speaker", "goes_on"),
    [
        ("Sue Bird", "“Obviously, so thankful for 20 years here.", "Sue Bird", True),
        ("Sue Bird", '"I am not going anywhere."', "Sue Bird", True),
        # another speaker, a sentence naming its own speaker, no quotation, no speaker
        ("Sue Bird", "“We won,” Gray said.", "Chelsea Gray", False),
        ("Sue Bird", "“We won it for her,” Gray said.", "Sue Bird", False),
        ("Sue Bird", "The Storm lost 97-92.", "Sue Bird", False),
        (None, "“Obviously, so thankful.", None, False),
    ],
)
def test_quote_goes_on(
    speaker: str | None, following: str, following_speaker: str | None, goes_on: bool
) -> None:
    assert quote_goes_on(speaker, following, following_speaker) is goes_on


@pytest.mark.model
def test_what_someone_said_goes_on_into_their_next_quotation(tmp_path: Path) -> None:
    article = {
        "id": "bird-farewell",
        "title": "Sue Bird says goodbye",
        "date": "2022-09-07",
        "text": "Sue Bird's Seattle Storm lost to the Las Vegas Aces on Tuesday night. "
        "“It’s sad,” Bird said in an interview with ESPN after the game. "
        "“Obviously, I am so thankful for twenty years here.” "
        "The Aces advanced to the WNBA Finals.",
    }
    with desk_over(tmp_path, article) as desk:
        answer = desk.ask("What did Sue Bird say after the game?")
    quotes = [c.quote for c in answer.citations]
    # before, the answer stopped at "It’s sad": her next words were a quotation of their own
    assert "“It’s sad,” Bird said in an interview with ESPN after the game." in quotes
    assert "“Obviously, I am so thankful for twenty years here.”" in quotes


@pytest.mark.model
def test_a_quotation_left_open_goes_on_to_its_next_sentence(tmp_path: Path) -> None:
    article = {
        "id": "bird-farewell-long",
        "title": "Sue Bird says goodbye",
        "date": "2022-09-07",
        "text": "Sue Bird's Seattle Storm lost to the Las Vegas Aces on Tuesday night. "
        "Bird, 41, announced in June that this season would be her last. "
        "“It’s sad,” Bird said in an interview with ESPN after the game. "
        "“Obviously, I am so thankful for twenty years here. "
        "I am going to miss it so much. "
        "But I am not going anywhere.” "
        "The Aces advanced to the WNBA Finals. "
        "Bird said she would spend time with her family.",
    }
    with desk_over(tmp_path, article) as desk:
        answer = desk.ask("What did Sue Bird say after the game?")
    quotes = [c.quote for c in answer.citations]
    # before, the answer stopped on "Obviously, ...", a quotation left open
    assert "“Obviously, I am so thankful for twenty years here." in quotes
    assert "I am going to miss it so much." in quotes
    assert len(quotes) <= 4


def _chunk_of(text: str) -> StoredChunk:
    spans = tuple(split_sentences(text))
    chunk = Chunk("a:v:0", "a", 0, 0, len(text), text, spans)
    return StoredChunk(chunk, "v", ArticleRef("a"))


@pytest.mark.parametrize(
    ("text", "furniture"),
    [
        # a gallery's frames, a caption's second sentence among them
        (
            "Hide Caption 4 of 40 Photos: Floods in Durban People wade through water. "
            "Hide Caption 5 of 40 Photos: Floods in Durban A bridge is gone. They waited. "
            "Hide Caption 6 of 40 Photos: Floods in Durban A rescue team works.",
            True,
        ),
        # where the story gives way to its gallery
        (
            "Rains battered the coast, killing 306 people. Roads cracked. "
            "Photos: Floods in Durban People wade through water. "
            "Hide Caption 1 of 40 Photos: Floods in Durban A bridge is gone.",
            False,
        ),
        # an explainer's questions are not furniture
        (
            "Covid-19 cases are rising, driven by BA.5. Officials urge boosters. Who is "
            "eligible for boosters now? Will all adults be able to get one? Should people "
            "wait? How long after Covid-19? And what about kids?",
            False,
        ),
    ],
)
def test_a_chunk_mostly_of_furniture(text: str, furniture: bool) -> None:
    assert qa.retrieval._mostly_furniture(_chunk_of(text)) is furniture
