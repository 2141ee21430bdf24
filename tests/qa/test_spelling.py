"""A word no indexed article holds is read as the passages' word a letter or two away:
a name as a name, a long word in lower case as any word one letter away."""

from __future__ import annotations

from pathlib import Path

import pytest
from article_desk import desk_over  # tests/ is on sys.path

from qa import NewsDesk
from qa.langchain import build_chain
from qa.questions.spelling import (
    MAX_WORDS_READ,
    Vocabulary,
    edit_distance,
    respelled,
    respellings,
    unknown_words,
)

SENTENCES = [
    "On Monday Daniel Kritenbrink told reporters that Antony Blinken would visit Beijing.",
    "In Paris, Boris Johnston and Kim met; officials were encouraged.",
    "Leave was granted.",
]
# the terms of the index: what SENTENCES hold, and "johnson", which another article holds
KNOWN = {
    "monday", "daniel", "kritenbrink", "told", "report", "antoni", "blinken", "visit", "beij",
    "pari", "bori", "johnston", "johnson", "kim", "met", "offici", "encourag", "leav", "grant",
}  # fmt: skip


@pytest.mark.parametrize(
    ("question", "readings"),
    [
        ("What did Kritenbrinck say?", {"Kritenbrinck": "Kritenbrink"}),  # one letter more
        ("What did Kritenbirnk say?", {"Kritenbirnk": "Kritenbrink"}),  # two swapped
        ("What did Kirtenbrnk say?", {"Kirtenbrnk": "Kritenbrink"}),  # two edits, long name
        ("What did Blinkin say?", {"Blinkin": "Blinken"}),
        (
            "What did Blinkin tell Daniel Kritenbrinck?",
            {"Blinkin": "Blinken", "Kritenbrinck": "Kritenbrink"},
        ),
        ("what did blinkin say?", {"blinkin": "Blinken"}),  # typed without capitals
        # a word the index holds is never respelled, however near a passage's name
        ("What did Johnson say?", {}),
        ("What did Kritenbrink say?", {}),
        # short words are one edit from too many others
        ("What did Kin say?", {}),
        # too far, or another first letter
        ("What did Blinkinov say?", {}),
        ("What did Klinken say?", {}),
        ("What did Xi Jinping say?", {}),
        # a name is read only as a name: "Leave" opens its sentence
        ("When does Blinken arrive in Leeve?", {}),
        # a word that is not a name, of seven letters or more, one edit away, in lower case
        ("Why were oficials encuoraged?", {"oficials": "officials", "encuoraged": "encouraged"}),
        ("Why were officials Encuoraged?", {}),  # capitalised: a name, and no name is near
        ("Why was leave grnted?", {}),  # short words are a letter from too many others
        ("Why were oficals encouraged?", {}),  # two edits: another word as often as not
        ("What did Blinken say about the visti?", {}),
    ],
)
def test_respellings(question: str, readings: dict[str, str]) -> None:
    assert respellings(question, KNOWN.__contains__, SENTENCES) == readings


def test_two_names_as_near_leave_the_question_as_it_is() -> None:
    sentences = ["He met Blinken and Blinker."]
    assert respellings("What did Blinkem say?", KNOWN.__contains__, sentences) == {}


@pytest.mark.parametrize(
    ("words", "hints"),
    [
        (["Lousiville"], {"Lousiville": "louisvill"}),  # one edit from the index's term
        (["Louisvile"], {"Louisvile": "louisvill"}),
        (["Lusiana"], {}),  # two edits, a word of seven letters
        (["Blinkem"], {}),  # "blinken" and "blinker" as near
        (["Xouisville"], {}),  # another first letter
    ],
)
def test_vocabulary_hints(words: list[str], hints: dict[str, str]) -> None:
    vocabulary = Vocabulary(["louisvill", "louisiana", "blinken", "blinker", "kentucki"])
    assert vocabulary.hints(words) == hints


def test_a_hinted_word_is_read_wherever_its_term_stands() -> None:
    sentences = ["LOUISVILLE, Ky. — The airlines said no.", "Louisville voted."]
    hints = {"Lousiville": "louisvill", "Airlinse": "airlin"}
    question = "Why did Lousiville and Airlinse vote?"
    # a name is read as a capitalised word only: "airlines" is not one
    assert respellings(question, set().__contains__, sentences, hints) == {
        "Lousiville": "Louisville"
    }


def test_a_question_of_many_unknown_names_reads_a_few() -> None:
    # each word read searches the passages' names and the index's terms: a message of
    # a hundred made-up names must not cost a second
    names = " ".join(f"Zorbalax{letter}" for letter in "abcdefghij")
    unknown = unknown_words(f"What did {names} say?", KNOWN.__contains__)
    assert unknown == [f"Zorbalax{letter}" for letter in "abcd"][:MAX_WORDS_READ]


def test_respelled_replaces_whole_words_only() -> None:
    question = "Did Blinkin's aide Blinkins meet Blinkin?"
    read = "Did Blinken's aide Blinkins meet Blinken?"
    assert respelled(question, {"Blinkin": "Blinken"}) == read


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("same", "same", 0),
        ("abcd", "abdc", 1),  # a swap is one edit
        ("kitten", "sittin", 2),
        ("kitten", "sitting", 3),  # past the limit: limit + 1
        ("ab", "abcde", 3),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, limit=2) == distance


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "typed", "read"),
    [
        # the speaker, a name
        ("What did Kritenbrinck say about expectations?", "Kritenbrinck", "Kritenbrink"),
        # the topic, a word in lower case: it abstained ("The words of Kritenbrink in the
        # retrieved articles do not mention “expecations”")
        ("What did Kritenbrink say about expecations?", "expecations", "expectations"),
    ],
)
def test_a_misspelt_word_is_answered_and_the_reading_shown(
    seed_desk: NewsDesk, question: str, typed: str, read: str
) -> None:
    answer = seed_desk.ask(question)
    assert not answer.abstained
    assert f"Read “{typed}” as “{read}”, as the articles spell it." in answer.notices
    assert answer.standalone_question == "What did Kritenbrink say about expectations?"
    assert any("intent of having some sort of breakthrough" in c.quote for c in answer.citations)
    assert all(c.speaker and "Kritenbrink" in c.speaker for c in answer.citations)


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "notice"),
    [
        (
            "what did kritenbrink say about the expecations?",
            "Read “expecations” as “expectations”, as the articles spell it.",
        ),
        # an index term stands for many words: "planned" is not read as "played", nor
        # "concrete" as "concerns", though their terms are one edit from the index's
        ("in which month had blinken originally planned to go to china?", None),
        ("does the u.s. side anticipate coming home with many concrete agreements?", None),
    ],
)
def test_a_lower_case_word_is_read_only_as_a_spelling_near_it(
    seed_desk: NewsDesk, question: str, notice: str | None
) -> None:
    readings = [n for n in seed_desk.ask(question).notices if n.startswith("Read “")]
    assert readings == ([notice] if notice else [])


@pytest.mark.model
def test_a_question_spelt_as_the_articles_are_is_not_respelled(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask("What did Kritenbrink say about expectations?")
    assert not any(n.startswith("Read “") for n in answer.notices)
    assert answer.standalone_question == "What did Kritenbrink say about expectations?"


@pytest.mark.model
def test_a_name_nothing_is_near_still_abstains(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask("What did Zelenskyy say about expectations?")
    assert answer.abstained
    assert not any(n.startswith("Read “") for n in answer.notices)


@pytest.mark.model
def test_the_langchain_chain_reads_a_misspelt_name_too(seed_desk: NewsDesk) -> None:
    answer = build_chain(seed_desk).invoke("What did Kritenbrinck say about expectations?")
    assert not answer.abstained
    assert "Read “Kritenbrinck” as “Kritenbrink”, as the articles spell it." in answer.notices
    assert all(c.speaker and "Kritenbrink" in c.speaker for c in answer.citations)


@pytest.mark.model
def test_a_name_the_passages_write_only_in_a_dateline_is_found_through_the_index(
    tmp_path: Path,
) -> None:
    story = {
        "id": "jcps",
        "title": "School tax vote heads to the ballot",
        "date": "2020-08-10",
        "text": "LOUISVILLE, Ky. — A petition to put a school tax increase on the ballot "
        "has enough signatures, officials said Monday. Theresa Camoriano led the "
        "petition drive against the increase.",
    }
    other = {
        "id": "parks",
        "title": "Park fees rise",
        "date": "2020-08-11",
        "text": "The park raised its campground fees by ten dollars a night.",
    }
    with desk_over(tmp_path, story, other) as desk:
        answer = desk.ask("Who led the petition drive in Lousiville?")
    assert "Read “Lousiville” as “Louisville”, as the articles spell it." in answer.notices
    assert answer.standalone_question == "Who led the petition drive in Louisville?"
    assert not answer.abstained
    assert "Theresa Camoriano" in answer.text
