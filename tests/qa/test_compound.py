"""Several questions in one message: split, each answered alone, the answers joined."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index import ArticleRef
from qa import ABSTAIN_TEXT, Answer, NewsDesk
from qa.compound import joined_answer, speakers_apart, split_questions
from qa.records import Citation


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        (
            "When is Blinken visiting? And who is Qin Gang?",
            ["When is Blinken visiting?", "Who is Qin Gang?"],
        ),
        ("Who won? who lost? and why?", ["Who won?", "Who lost?", "Why?"]),
        # sentences before the first question are its context
        (
            "Blinken flies to Beijing. Who will he meet? Also, when?",
            ["Blinken flies to Beijing. Who will he meet?", "When?"],
        ),
        # one question, asked after a sentence of context
        ("Gas prices hit a record. How much is a gallon?", None),
        # a question quoted inside the question
        ("What did he mean by “Why now?” at the briefing?", None),
        ('Did he ask "Why?" in the call?', None),
        ("What did he say? (When is Blinken going to China?)", None),  # an aside
        # a statement after the questions: not a list of questions
        ("Who won? Tell me more.", None),
        # ... but after two, it goes with the last one, and thanks go
        (
            "When is Blinken visiting? And who is Qin Gang? Thanks!",
            ["When is Blinken visiting?", "Who is Qin Gang?"],
        ),
        ("Can you tell me who won? And who lost?", ["Who won?", "Who lost?"]),
        # a request ending in a period asks too
        ("Tell me who Qin Gang is. And what did he say?", ["Who is Qin Gang?", "What did he say?"]),
        ("Tell me what Dr. Fauci said. And why?", ["What did Dr. Fauci say?", "Why?"]),
        ("Tell me about the trip. When is it?", None),  # a topic, not a question
        # more than three: answered as one
        ("Who? What? When? Where?", None),
        ("What did the U.S. say?", None),
        # a second question joined to the first by "and"
        (
            "What did Kritenbrink say, and what did Qin say?",
            ["What did Kritenbrink say?", "What did Qin say?"],
        ),
        (
            "Who is Qin Gang and why did he call Blinken?",
            ["Who is Qin Gang?", "Why did he call Blinken?"],
        ),
        ("Where and when will the funeral be held?", None),  # one question, two words
        ("Who won and why did they win?", None),  # too short a first question to stand
    ],
)
def test_split_questions(message: str, parts: list[str] | None) -> None:
    assert split_questions(message) == (parts or [message])


@pytest.mark.parametrize(
    ("question", "joined", "parts"),
    [
        (
            "What did Kritenbrink and Campbell say about Taiwan?",
            "Kritenbrink and Campbell",
            ["What did Kritenbrink say about Taiwan?", "What did Campbell say about Taiwan?"],
        ),
        (
            "What do Blinken and Qin think about Taiwan?",
            "Blinken and Qin",
            ["What does Blinken think about Taiwan?", "What does Qin think about Taiwan?"],
        ),
        (
            "What have Biden, Xi and Macron said?",
            "Biden, Xi and Macron",
            ["What has Biden said?", "What has Xi said?", "What has Macron said?"],
        ),
        (  # the views stay plural; "the" goes with the first name only
            "What were the U.S. and China's views on Taiwan?",
            "U.S. and China",
            ["What were the U.S.'s views on Taiwan?", "What were China's views on Taiwan?"],
        ),
        (
            "Can you tell me what Kritenbrink and Campbell said?",
            "Kritenbrink and Campbell",
            ["What did Kritenbrink say?", "What did Campbell say?"],
        ),
        # comparisons
        (
            "Compare what Kritenbrink and Campbell said about expectations",
            "Kritenbrink and Campbell",
            [
                "What did Kritenbrink say about expectations?",
                "What did Campbell say about expectations?",
            ],
        ),
        (
            "Compare the views of Blinken and Qin on Taiwan",
            "Blinken and Qin",
            ["What did Blinken say on Taiwan?", "What did Qin say on Taiwan?"],
        ),
        (
            "How did Kritenbrink's view differ from Campbell's?",
            "Kritenbrink and Campbell",
            ["What did Kritenbrink say?", "What did Campbell say?"],
        ),
        (
            "Where do Blinken and Qin disagree over Taiwan?",
            "Blinken and Qin",
            ["What did Blinken say over Taiwan?", "What did Qin say over Taiwan?"],
        ),
        # one speaker, or not a question about words
        ("What did Kritenbrink say about Taiwan?", None, None),
        ("Why did Hyundai and Kia tell owners to park outdoors?", None, None),
        ("Why were the fires expected, according to DeSantis and forestry officials?", None, None),
        ("What did he and Campbell say?", None, None),  # a pronoun: the conversation's
        ("What did both sides say?", None, None),
        ("What did Biden, Xi, Macron and Scholz say?", None, None),  # more than three
        ("Kritenbrink and Campbell on Taiwan", None, None),  # a headline's shorthand
    ],
)
def test_speakers_apart(question: str, joined: str | None, parts: list[str] | None) -> None:
    apart = speakers_apart(question)
    if joined is None:
        assert apart is None
    else:
        assert apart is not None
        assert (apart.joined, apart.questions) == (joined, parts)


def _citation(marker: int, start: int, quote: str) -> Citation:
    return Citation(marker, ArticleRef("a1"), quote, start, start + len(quote), 0.5)


def test_joined_answer_numbers_anew_and_says_a_sentence_once() -> None:
    first = Answer(
        "Q1?",
        "Blinken visits in June. [1] He flies on Friday. [2]",
        (_citation(1, 0, "Blinken visits in June."), _citation(2, 30, "He flies on Friday.")),
        False,
        notices=("A notice.",),
    )
    second = Answer(  # its only sentence was the first answer's second one
        "Q2?", "He flies on Friday. [1]", (_citation(1, 30, "He flies on Friday."),), False
    )
    third = Answer(  # its second sentence restates the first answer's first, elsewhere
        "Q3?",
        "Qin spoke. [1] Blinken visits in June, officials said. [2]",
        (
            _citation(1, 60, "Qin spoke."),
            _citation(2, 90, "Blinken visits in June, officials said."),
        ),
        False,
    )
    fourth = Answer("Q4?", ABSTAIN_TEXT, (), True, notices=("A notice.",))
    joined = joined_answer("all", ["Q1?", "Q2?", "Q3?", "Q4?"], [first, second, third, fourth])
    assert joined.text == (
        "Blinken visits in June. [1] He flies on Friday. [2] “Q2?”: see [2]. "
        "Qin spoke. [3] The indexed articles do not answer “Q4?”."
    )
    assert [(c.marker, c.start) for c in joined.citations] == [(1, 0), (2, 30), (3, 60)]
    assert not joined.abstained
    assert joined.notices == ("Answered as 4 questions: “Q1?”; “Q2?”; “Q3?”; “Q4?”.", "A notice.")


def test_joined_answer_abstains_when_every_part_does() -> None:
    one = Answer("Q1?", ABSTAIN_TEXT, (), True, related=(_citation(1, 0, "Near."),))
    two = Answer("Q2?", ABSTAIN_TEXT, (), True, related=(_citation(1, 0, "Near."),))
    joined = joined_answer("both", ["Q1?", "Q2?"], [one, two])
    assert joined.abstained and joined.text == ABSTAIN_TEXT and joined.citations == ()
    assert [c.start for c in joined.related] == [0]  # the same passage listed once


@pytest.mark.model
def test_two_questions_in_one_message_are_each_answered(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask("When is Blinken visiting? And what will he discuss?")
    assert not answer.abstained
    assert answer.notices[0].startswith("Answered as 2 questions: “When is Blinken visiting?”")
    # each part cites its own evidence: the dates, and Blinken's agenda ("he" is Blinken,
    # resolved against the first question as a follow-up is)
    assert "June 16 and June 21" in answer.text
    assert "Taiwan Strait" in answer.text
    assert "What will Blinken discuss?" in answer.standalone_question
    for c in answer.citations:
        assert seed_desk.article(c.article_id).text[c.start : c.end] == c.quote
    assert [int(m) for m in re.findall(r"\[(\d+)\]", answer.text)] == [
        c.marker for c in answer.citations
    ]


@pytest.mark.model
def test_a_part_the_articles_do_not_answer_is_said_by_name(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask("Who is Qin Gang? And what did Xi Jinping say?")
    assert not answer.abstained
    assert any("Qin Gang" in c.quote for c in answer.citations)
    assert answer.text.endswith("The indexed articles do not answer “What did Xi Jinping say?”.")
    assert "No retrieved article mentions “Xi Jinping”." in answer.notices


@pytest.mark.model
def test_two_speakers_are_each_quoted(seed_desk: NewsDesk) -> None:
    # asked as one question, Campbell's sentence outscored Kritenbrink's and only it
    # was quoted; asked once per speaker, each is quoted in their own words
    answer = seed_desk.ask("What did Kritenbrink and Campbell say?")
    assert not answer.abstained
    assert answer.notices[0] == (
        "Answered as 2 questions: “What did Kritenbrink say?”; “What did Campbell say?”."
    )
    speakers = {c.speaker for c in answer.citations}
    assert {"Daniel Kritenbrink", "Kurt Campbell"} <= speakers
    for c in answer.citations:
        assert seed_desk.article(c.article_id).text[c.start : c.end] == c.quote
    compared = seed_desk.ask("How did Kritenbrink's view differ from Campbell's?")
    assert [c.quote for c in compared.citations] == [c.quote for c in answer.citations]


@pytest.mark.model
def test_speakers_the_articles_name_together_are_one(empty_desk: NewsDesk, tmp_path: Path) -> None:
    story = (
        "Pfizer and BioNTech said on Tuesday that a third dose of their vaccine was safe for "
        "children under five. Pfizer shares rose 2% after the announcement. BioNTech said in "
        "a separate statement that it would expand production in Germany next year."
    )
    (tmp_path / "vaccine.txt").write_text(f"Vaccine makers report trial results\n\n{story}\n")
    empty_desk.ingest([tmp_path / "vaccine.txt"])
    together = empty_desk.ask("What did Pfizer and BioNTech say?")
    assert not any(n.startswith("Answered as") for n in together.notices)
    # the same words, named apart from each other in no article, are asked apart
    (tmp_path / "talks.txt").write_text(
        "Ministers meet on trade\n\nThe trade minister said the tariffs would be lifted in "
        "March. The finance minister, Ana Ruiz, said the budget could absorb the cost. Trade "
        "minister Tom Weller added that exporters had waited long enough.\n"
    )
    empty_desk.ingest([tmp_path / "talks.txt"])
    apart = empty_desk.ask("What did Ruiz and Weller say?")
    assert apart.notices[0].startswith("Answered as 2 questions: “What did Ruiz say?”")
