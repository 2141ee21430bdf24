"""The extractive answer path end to end: real Chroma (embedded, and a server), real
model, the seed article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa import (
    ABSTAIN_TEXT,
    Answer,
    EmptyIndexError,
    NewsDesk,
    QuestionError,
    TextDelta,
    Turn,
)
from qa.settings import Settings

pytestmark = [pytest.mark.model, pytest.mark.both_stores]

MISSION = "what did Kritenbrink say about expectations?"
MISSION_QUOTE = "not going to Beijing with the intent of having some sort of breakthrough"


def check_citations(desk: NewsDesk, answer: Answer) -> None:
    """Every citation resolves to an exact span, and every marker to a citation."""
    for c in (*answer.citations, *answer.related):
        assert desk.article(c.article_id).text[c.start : c.end] == c.quote
    for c in answer.citations:
        assert f"[{c.marker}]" in answer.text


def test_mission_question_cites_the_breakthrough_quote(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask(MISSION)
    assert not answer.abstained
    assert any(MISSION_QUOTE in c.quote for c in answer.citations)
    assert all(c.speaker and "Kritenbrink" in c.speaker for c in answer.citations)
    check_citations(seed_desk, answer)


def test_every_answer_sentence_carries_a_marker(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask("Who is Qin Gang?")
    assert not answer.abstained
    body = answer.text
    for c in answer.citations:
        sentence, _, body = body.partition(f"[{c.marker}]")
        assert c.quote in sentence
    assert body.strip() == ""


@pytest.mark.parametrize(
    "question",
    [
        "what is the population of Beijing?",
        "what did Kritenbrink say about climate change?",
        "What is the capital of Australia?",
    ],
)
def test_unanswerable_questions_abstain_with_related_passages(
    seed_desk: NewsDesk, question: str
) -> None:
    answer = seed_desk.ask(question)
    assert answer.abstained
    assert answer.text == ABSTAIN_TEXT
    assert answer.citations == ()
    check_citations(seed_desk, answer)


def test_words_on_other_things_do_not_answer_what_someone_said_about_a_subject(
    seed_desk: NewsDesk,
) -> None:
    # Qin's words are in the article and a sentence beside them names the chips
    # industry, but nothing he said is about semiconductors
    answer = seed_desk.ask("What did Qin Gang say about semiconductors?")
    assert answer.abstained
    assert (
        "The words of Qin Gang in the retrieved articles do not mention “semiconductors”."
        in answer.notices
    )
    assert answer.related  # the closest passages are still offered
    # words on the subject still answer
    on_subject = seed_desk.ask("What did Qin Gang say about relations?")
    assert not on_subject.abstained
    assert any("relations" in c.quote for c in on_subject.citations)


def test_who_holds_an_office_is_answered_only_by_sentences_that_name_it(
    seed_desk: NewsDesk,
) -> None:
    # the article names no ambassador: its sentences on Blinken and Beijing answered
    answer = seed_desk.ask("Who is the U.S. ambassador in Beijing?")
    assert answer.abstained
    assert "No retrieved sentence names the office asked about." in answer.notices
    minister = seed_desk.ask("Who is China's foreign minister?")
    assert not minister.abstained
    assert any("foreign minister Qin Gang" in c.quote for c in minister.citations)


def test_a_count_is_answered_only_by_sentences_that_give_one(seed_desk: NewsDesk) -> None:
    # the closest sentence gives the trip's dates ("between June 16 and June 21"), which
    # count no days: quoting it would answer with the topic, not the count asked for
    answer = seed_desk.ask("How many days will Blinken spend in Britain?")
    assert answer.abstained
    assert "No sentence close enough to quote gives the count asked for." in answer.notices
    assert answer.related
    # a sentence that gives the count still answers
    years = seed_desk.ask(
        "How many years has it been since a U.S. Secretary of State visited China?"
    )
    assert not years.abstained
    assert any("in five years" in c.quote for c in years.citations)
    assert not any("asked for" in n for n in years.notices)


def _ingest_stories(desk: NewsDesk, tmp_path: Path, *stories: dict[str, str]) -> None:
    """Index `stories` (id, date, title, text) as one JSON Lines file."""
    path = tmp_path / "stories.jsonl"
    path.write_text("".join(json.dumps(story) + "\n" for story in stories))
    desk.ingest([path])


def test_where_is_answered_only_by_sentences_that_name_a_new_place(
    empty_desk: NewsDesk, tmp_path: Path
) -> None:
    # trial 16: the story tells of the birthday, never where it was
    carrey = (
        "Jim Carrey celebrated his 60th birthday on Monday and took to social media to "
        "remind fans of his goofball humor. The actor posted a short clip on Twitter to say "
        "he was feeling great."
    )
    hanks = (
        "Tom Hanks celebrated his 65th birthday at a beach house in Malibu with his family. "
        "He thanked his fans for their messages."
    )
    _ingest_stories(
        empty_desk,
        tmp_path,
        {"id": "carrey", "date": "2022-01-18", "title": "Jim Carrey turns 60", "text": carrey},
        {"id": "hanks", "date": "2022-01-19", "title": "Tom Hanks turns 65", "text": hanks},
    )
    answer = empty_desk.ask("Where did Jim Carrey celebrate his 60th birthday?")
    assert answer.abstained
    assert "No sentence close enough to quote gives the place asked for." in answer.notices
    assert answer.related
    # a sentence that names the place still answers
    answered = empty_desk.ask("Where did Tom Hanks celebrate his 65th birthday?")
    assert not answered.abstained
    assert "in Malibu" in answered.citations[0].quote


def test_who_is_answered_only_by_sentences_that_name_someone_new(
    empty_desk: NewsDesk, tmp_path: Path
) -> None:
    # trial 17: the story tells of the poll, never who took over
    poll = (
        "Elon Musk tweeted a poll Sunday evening asking people to vote on whether he should "
        "step down as Twitter's CEO. Musk said he would abide by the poll's results."
    )
    title = "Elon Musk asks Twitter users if he should step down as CEO"
    _ingest_stories(
        empty_desk, tmp_path, {"id": "poll", "date": "2022-12-19", "title": title, "text": poll}
    )
    answer = empty_desk.ask("Who did Twitter name as its new CEO to replace Elon Musk?")
    assert answer.abstained
    assert "No sentence close enough to quote gives the name asked for." in answer.notices
    # a who-question its sentences name someone new for still answers
    asker = empty_desk.ask("Who asked Twitter users to vote on whether he should step down?")
    assert not asker.abstained
    assert "Elon Musk tweeted a poll" in asker.citations[0].quote


def test_how_many_opens_on_a_count_of_what_it_asks(empty_desk: NewsDesk, tmp_path: Path) -> None:
    # trial 17: the dog's age and the record she held came first, the puppies last
    pebbles = (
        "Pebbles, who held the title of the world's oldest living dog, has died. She was 22. "
        "The Gregorys adopted Pebbles in 2000 after seeing her at a shelter. Pebbles had 32 "
        "puppies in her lifetime with her partner, Rocky, the family said."
    )
    title = "Pebbles, the world's oldest dog, dies at 22"
    _ingest_stories(
        empty_desk,
        tmp_path,
        {"id": "pebbles", "date": "2022-10-05", "title": title, "text": pebbles},
    )
    answer = empty_desk.ask("How many puppies did Pebbles, the world's oldest dog, have?")
    assert not answer.abstained
    assert "32 puppies" in answer.citations[0].quote


def test_a_count_of_things_is_answered_only_by_sentences_that_count_them(
    empty_desk: NewsDesk, tmp_path: Path
) -> None:
    # trial 14: the house's price and the children raised in it, never its bedrooms; any
    # count answered before ("two children")
    house = (
        "It's the home where Patti Smith and her husband, Fred 'Sonic' Smith, wrote the "
        "'Dream of Life' album. It's the Tudor-style house on a canal off of Lake St. Clair "
        "where the musicians' two children were raised. The Smiths' former St. Clair Shores "
        "house hit the market Monday with a selling price of $499,000. Its garage holds three "
        "cars."
    )
    title = "Patti Smith's former St. Clair Shores house is for sale"
    _ingest_stories(
        empty_desk, tmp_path, {"id": "house", "date": "2022-05-02", "title": title, "text": house}
    )
    answer = empty_desk.ask(
        "How many bedrooms does Patti and Fred 'Sonic' Smith's old St. Clair Shores house have?"
    )
    assert answer.abstained
    assert "No sentence close enough to quote gives the count asked for." in answer.notices
    # a count of the very thing asked for still answers
    cars = empty_desk.ask("How many cars does the garage of Patti Smith's house hold?")
    assert not cars.abstained
    assert any("three cars" in c.quote for c in cars.citations)


def test_a_name_asked_for_is_answered_only_by_sentences_that_give_it(
    empty_desk: NewsDesk, tmp_path: Path
) -> None:
    # trial 20: the death told, and places, but never the hiker's name
    hiker = (
        "One hiker has died and another was flown to a hospital Wednesday after running out "
        "of water at Badlands National Park in South Dakota, according to the Pennington "
        "County Sheriff's Office. The hikers had followed an unmarked trail."
    )
    camp = (
        "Idina Menzel's A Broader Way camp gives aspiring teen performers from New York City "
        "access to Broadway veterans. The camp runs every summer."
    )
    _ingest_stories(
        empty_desk,
        tmp_path,
        {"id": "hiker", "date": "2023-07-13", "title": "Hiker dies in Badlands", "text": hiker},
        {"id": "camp", "date": "2022-11-22", "title": "Idina Menzel's camp", "text": camp},
    )
    answer = empty_desk.ask("What was the name of the hiker who died in Badlands National Park?")
    assert answer.abstained
    assert "No sentence close enough to quote gives the name asked for." in answer.notices
    # a name beside the thing asked for still answers
    named = empty_desk.ask("What is the name of Idina Menzel's camp for aspiring teen performers?")
    assert not named.abstained
    assert "A Broader Way camp" in named.citations[0].quote


def test_an_answer_from_a_story_that_names_nothing_the_question_names_is_declined(
    empty_desk: NewsDesk, tmp_path: Path
) -> None:
    # trial 19: Shopify's layoffs are indexed, its quarter is not; Rivian's quarter was
    # the closest
    rivian = (
        "Rivian said Thursday that it lost $1.7 billion in the second quarter of 2022 as it "
        "works to ramp up its vehicle production. Its revenue was $364 million in the quarter."
    )
    shopify = (
        "Shopify is laying off about 1,000 employees, roughly 10% of its workforce, its chief "
        "executive said in a memo to staff."
    )
    _ingest_stories(
        empty_desk,
        tmp_path,
        {"id": "rivian", "date": "2022-08-11", "title": "Rivian's loss widens", "text": rivian},
        {"id": "shopify", "date": "2022-07-26", "title": "Shopify cuts jobs", "text": shopify},
    )
    answer = empty_desk.ask("How much revenue did Shopify report for the second quarter of 2022?")
    assert answer.abstained
    assert "The closest sentences are from a story that does not name Shopify." in answer.notices
    # the story that names what is asked still answers
    rivian_answer = empty_desk.ask("How much revenue did Rivian report for the second quarter?")
    assert not rivian_answer.abstained
    assert rivian_answer.citations[0].article.id == "rivian"


def test_sentences_that_only_name_someone_do_not_answer_what_they_said(
    seed_desk: NewsDesk,
) -> None:
    # Blinken is named beside "said" three times ("in a call with Blinken ..., the
    # ministry said", "officials said Blinken would push ..."), but never speaks
    answer = seed_desk.ask("What did Blinken tell Qin Gang during their call?")
    assert answer.abstained
    assert "The retrieved articles report no words of Blinken." in answer.notices
    # the other side of that call speaks, through the ministry's account of it
    other_side = seed_desk.ask("What did Qin Gang tell Blinken?")
    assert not other_side.abstained
    assert any("Qin Gang urged" in c.quote for c in other_side.citations)


@pytest.mark.parametrize(
    ("question", "speaker", "quote"),
    [
        ("What did Kurt Campbell say?", "Kurt Campbell", "crisis communication mechanisms"),
        ("what did Kritenbrink say about Taiwan?", "Kritenbrink", "Taiwan Strait"),
    ],
)
def test_who_said_what_returns_the_speakers_words(
    seed_desk: NewsDesk, question: str, speaker: str, quote: str
) -> None:
    answer = seed_desk.ask(question)
    assert not answer.abstained
    assert any(quote in c.quote for c in answer.citations)
    assert all(c.speaker and speaker in c.speaker for c in answer.citations)


def test_pronoun_carried_quote_is_attributed(seed_desk: NewsDesk) -> None:
    """ "..., he said" two paragraphs after Kritenbrink is named is still his."""
    answer = seed_desk.ask("What did Kritenbrink say about the approach to Beijing?")
    quotes = [c for c in answer.citations if "realistic, confident approach" in c.quote]
    assert quotes and quotes[0].speaker == "Daniel Kritenbrink"


def test_follow_up_what_else_resolves_the_speaker_and_adds_new_quotes(
    seed_desk: NewsDesk,
) -> None:
    first = seed_desk.ask(MISSION)
    follow = seed_desk.ask("What else did he say?", history=[Turn(first.question, first.text)])
    assert "Kritenbrink" in follow.standalone_question
    assert not follow.abstained
    assert {c.start for c in follow.citations}.isdisjoint({c.start for c in first.citations})
    assert all(c.speaker and "Kritenbrink" in c.speaker for c in follow.citations)


def test_follow_up_why_is_resolved_against_the_previous_question(seed_desk: NewsDesk) -> None:
    first = seed_desk.ask(MISSION)
    follow = seed_desk.ask("why does he think that?", history=[(first.question, first.text)])
    assert "Kritenbrink" in follow.standalone_question
    assert "expectations" in follow.standalone_question


def test_streaming_yields_text_then_the_answer(seed_desk: NewsDesk) -> None:
    events = list(seed_desk.ask_stream(MISSION))
    deltas = [e for e in events if isinstance(e, TextDelta)]
    final = events[-1]
    assert isinstance(final, Answer)
    assert len(deltas) == len(final.citations)
    assert "".join(d.text for d in deltas).replace(" [", "[") == final.text.replace(" [", "[")


def test_as_of_excludes_later_articles_and_keeps_undated(empty_desk: NewsDesk, tmp_path) -> None:
    (tmp_path / "a.jsonl").write_text(
        '{"id": "old", "date": "2023-01-10", "title": "Budget vote", "text": '
        '"The city council approved the harbour budget of 4 million dollars on Monday."}\n'
        '{"id": "new", "date": "2023-06-10", "title": "Budget vote", "text": '
        '"The city council approved the harbour budget of 9 million dollars on Monday."}\n'
        '{"id": "undated", "title": "Harbour", "text": '
        '"The harbour budget pays for new cranes and a longer pier, the council said."}\n'
    )
    empty_desk.ingest([tmp_path / "a.jsonl"])
    question = "How big is the harbour budget the council approved?"
    early = {p.article_id for p in empty_desk.retrieve(question, as_of="2023-02-01")}
    assert "new" not in early
    assert {"old", "undated"} <= early
    late = empty_desk.retrieve(question, as_of="2023-06-11")
    assert {p.article_id for p in late} >= {"old", "new", "undated"}
    answer = empty_desk.ask(question, as_of="2023-02-01")
    assert all(c.article_id != "new" for c in answer.citations)


def test_nearer_article_wins_among_equal_matches(empty_desk: NewsDesk, tmp_path) -> None:
    text = "The regional ferry strike ended after workers accepted a new contract."
    (tmp_path / "b.jsonl").write_text(
        f'{{"id": "march", "date": "2023-03-01", "text": "{text}"}}\n'
        f'{{"id": "june", "date": "2023-06-01", "text": "{text} "}}\n'
    )
    empty_desk.ingest([tmp_path / "b.jsonl"])
    assert empty_desk.retrieve("ferry strike ended", as_of="2023-06-02")[0].article_id == "june"
    assert empty_desk.retrieve("ferry strike ended", as_of="2023-03-02")[0].article_id == "march"


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 20_000, "20,000 characters"),
        ("¿Qué dijo Kritenbrink sobre las expectativas del viaje?", "English"),
        ("基辛格对期望说了什么？", "English"),
        ("\x00\x01\x02", "empty"),
    ],
)
def test_bad_questions_get_a_clear_message(
    seed_desk: NewsDesk, question: str, fragment: str
) -> None:
    with pytest.raises(QuestionError, match=fragment):
        seed_desk.ask(question)


def test_control_characters_are_removed_with_a_notice(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask("Who is\x07 Qin\x00 Gang?")
    assert answer.question == "Who is Qin Gang?"
    assert any("control characters" in n for n in answer.notices)


def test_empty_index_says_how_to_ingest(empty_desk: NewsDesk) -> None:
    with pytest.raises(EmptyIndexError, match="newsdesk ingest"):
        empty_desk.ask("anything?")


def test_filters_by_source_and_article(empty_desk: NewsDesk, tmp_path) -> None:
    (tmp_path / "c.jsonl").write_text(
        '{"id": "x1", "source": "Wire A", "text": "The museum reopened its east wing on Sunday."}\n'
        '{"id": "x2", "source": "Wire B", "text": "The museum reopened its west wing on Sunday."}\n'
    )
    empty_desk.ingest([tmp_path / "c.jsonl"])
    assert {p.article_id for p in empty_desk.retrieve("museum reopened", sources=["Wire B"])} == {
        "x2"
    }
    assert {p.article_id for p in empty_desk.retrieve("museum wing", article_ids=["x1"])} == {"x1"}
    assert empty_desk.sources() == ["Wire A", "Wire B"]


def test_one_long_article_cannot_fill_every_slot(empty_desk: NewsDesk, tmp_path) -> None:
    long = " ".join(
        f"Paragraph {i}: the drought cut the wheat harvest in the northern plains again." + "\\n\\n"
        for i in range(60)
    )
    (tmp_path / "d.jsonl").write_text(
        f'{{"id": "long", "text": "{long}"}}\n'
        '{"id": "short", "text": "Farmers said the drought cut the wheat harvest by a third."}\n'
    )
    empty_desk.ingest([tmp_path / "d.jsonl"])
    passages = empty_desk.retrieve("drought wheat harvest", k=4)
    assert len(passages) == 4
    assert "short" in {p.article_id for p in passages}


def test_feedback_appends_one_json_line_per_vote(empty_desk: NewsDesk, seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask(MISSION)
    empty_desk.record_feedback(answer, "up", "good quote", history=[("q0", "a0")])
    empty_desk.record_feedback(answer, "down")
    lines = empty_desk.feedback_path.read_text().splitlines()
    assert len(lines) == 2
    import json

    first = json.loads(lines[0])
    assert first["verdict"] == "up" and first["comment"] == "good quote"
    assert first["history"] == [["q0", "a0"]]
    assert first["citations"][0]["quote"] == answer.citations[0].quote
    with pytest.raises(QuestionError):
        empty_desk.record_feedback(answer, "maybe")


def test_what_else_after_a_pronoun_quote_does_not_repeat_it(seed_desk: NewsDesk) -> None:
    first = seed_desk.ask("What did Kurt Campbell say?")
    named = [c for c in first.citations if "he said" in c.quote]
    assert named and "he [Kurt Campbell] said" in first.text
    follow = seed_desk.ask("What else did he say?", history=[(first.question, first.text)])
    assert {c.start for c in follow.citations}.isdisjoint({c.start for c in first.citations})


def test_a_headline_shorthand_is_answered_with_the_person_s_words(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask("Kritenbrink on expectations")
    assert not answer.abstained
    assert any(MISSION_QUOTE in c.quote for c in answer.citations)
    assert all(c.speaker and "Kritenbrink" in c.speaker for c in answer.citations)
    check_citations(seed_desk, answer)


def test_a_headline_shorthand_on_a_topic_the_person_never_spoke_of_abstains(
    seed_desk: NewsDesk,
) -> None:
    answer = seed_desk.ask("Kurt Campbell on Ukraine")
    assert answer.abstained
    assert "do not mention “Ukraine”" in " ".join(answer.notices)


def test_a_speakers_words_are_searched_for_when_the_question_brings_up_others(
    tmp_path, chroma_url: str | None
) -> None:
    # with one passage retrieved, "the storm" brings up a storm story that names the
    # Port Authority without its words; the story where it speaks is found by searching
    # for what the Port Authority said
    stories = [
        ("storm", "Storm floods the town", "The storm flooded the town on Sunday. The storm "
         "closed the Port Authority offices and schools. Storm damage was widespread, and the "
         "storm knocked out power to 5,000 homes."),
        ("cleanup", "Storm cleanup begins", "Cleanup began after the storm. Volunteers cleared "
         "storm debris from streets near the Port Authority building as the storm moved east."),
        ("words", "Harbour to reopen", "The harbour was closed for two days. The Port Authority "
         "said the storm had left debris in the shipping channel, and that it would reopen on "
         "Monday."),
    ]  # fmt: skip
    lines = [json.dumps({"id": i, "title": t, "text": x}) for i, t, x in stories]
    (tmp_path / "storm.jsonl").write_text("\n".join(lines) + "\n")
    settings = Settings.from_env(
        index_dir=tmp_path / "index", chroma_url=chroma_url, top_k=1, per_article_cap=1
    )
    desk = NewsDesk.open(settings, create=True)
    try:
        desk.ingest([tmp_path / "storm.jsonl"])
        question = "What did the Port Authority say about the storm?"
        assert [p.article_id for p in desk.retrieve(question)] == ["storm"]
        answer = desk.ask(question)
        assert not answer.abstained
        assert [c.article_id for c in answer.citations] == ["words"]
        check_citations(desk, answer)
        # no one by that name speaks anywhere: the abstention stands
        nobody = desk.ask("What did the Coast Guard say about the storm?")
        assert nobody.abstained
    finally:
        desk.close()


def test_a_body_is_not_held_to_articles_that_write_its_name_in_full(
    empty_desk: NewsDesk, tmp_path
) -> None:
    # "Who is Rosamund Lewis?" keeps to articles that write "Rosamund"; a body's
    # lower-case words ("defense ministry") need not be written as the question writes
    # them, and an article that happens to hold them all does not shut out the one
    # where "the Russian Ministry of Defense" speaks
    stories = [
        ("words", "Moscow says strikes hit only military sites", "The Russian Ministry of "
         "Defense said on Monday that its strikes targeted only military infrastructure."),
        ("other", "Analysts weigh the war", "Russian troops advanced. A defense analyst said "
         "the ministry had not explained its losses."),
    ]  # fmt: skip
    lines = [json.dumps({"id": i, "title": t, "text": x}) for i, t, x in stories]
    (tmp_path / "war.jsonl").write_text("\n".join(lines) + "\n")
    empty_desk.ingest([tmp_path / "war.jsonl"])
    answer = empty_desk.ask("What did the Russian defense ministry say?")
    assert not answer.abstained
    assert [c.article_id for c in answer.citations] == ["words"]
