"""Follow-ups: a question that leans on the last turn is rewritten to stand alone."""

from __future__ import annotations

import doctest

import pytest

import qa.questions.followup
from qa import NewsDesk, Turn
from qa.questions.followup import resolve_followup

TRIP = Turn(
    "When is Blinken going to China?",
    "Blinken is scheduled to travel to China and Britain between June 16 and June 21. [1]",
)


@pytest.mark.parametrize(
    "question",
    ["Which other country is on that trip?", "Who organised these talks?", "Why this visit?"],
)
def test_a_noun_pointed_back_at_brings_in_the_last_question(question: str) -> None:
    resolved = resolve_followup(question, [TRIP])
    assert resolved.is_followup and not resolved.wants_more
    assert resolved.question == f"{question} (When is Blinken going to China?)"


@pytest.mark.parametrize(
    "question",
    [
        "What happened this week?",  # a date, not a reference
        "Did officials say that China would attend?",  # a conjunction before a name
        "Did officials say that the talks failed?",
    ],
)
def test_a_question_that_stands_alone_is_left_as_it_is(question: str) -> None:
    resolved = resolve_followup(question, [TRIP])
    assert not resolved.is_followup and resolved.question == question


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(qa.questions.followup)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.model
def test_which_other_country_on_that_trip_finds_the_itinerary(seed_desk: NewsDesk) -> None:
    first = seed_desk.ask(TRIP.question, as_of="2023-06-14")
    follow = seed_desk.ask(
        "Which other country is on that trip?",
        history=[(first.question, first.text)],
        as_of="2023-06-14",
    )
    assert not follow.abstained
    assert any("China and Britain" in c.quote for c in follow.citations)


@pytest.mark.parametrize(
    ("previous", "person"),
    [
        # typed without capitals: the answer's name that the question asked about
        (
            Turn(
                "who is kurt campbell?",
                "White House Indo-Pacific Coordinator Kurt Campbell said in the same call ...",
            ),
            "Kurt Campbell",
        ),
        # no name of the question in the answer: its first name, as before
        (
            Turn("who spoke to reporters?", "Daniel Kritenbrink told reporters ..."),
            "Daniel Kritenbrink",
        ),
        # a word of the question that is no name ("The", "February") is not taken for one
        (Turn("who is the minister?", "The minister, Qin Gang, spoke."), "Qin Gang"),
        (
            Turn(
                "why did blinken put off his february trip?",
                "Having postponed a February trip, Blinken is set to visit.",
            ),
            "Blinken",
        ),
        # a speaker asked about without capitals, as the answer writes the name
        (Turn("what did qin gang tell blinken?", "Qin Gang urged the United States."), "Qin Gang"),
        # a chat's first word is no one's name: "Anything else?", "Tell me more"
        (Turn("Anything else?", "Chinese minister Qin Gang urged the United States."), "Qin Gang"),
        (Turn("Tell me more", "Daniel Kritenbrink told reporters ..."), "Daniel Kritenbrink"),
    ],
)
def test_he_is_the_person_the_last_question_asked_about(previous: Turn, person: str) -> None:
    resolved = resolve_followup("what did he say?", [previous])
    assert resolved.question == f"what did {person} say?"


@pytest.mark.model
@pytest.mark.parametrize("history", [[], [("When is the visit?", "Next week.")]])
def test_a_pronoun_that_stands_for_no_one_asks_for_the_name(
    seed_desk: NewsDesk, history: list[tuple[str, str]]
) -> None:
    # it said "The retrieved articles report no words of he."
    answer = seed_desk.ask("What did he say?", history=history)
    assert answer.abstained
    assert (
        "“he” stands for no one named in the question or before it: ask with the person's name."
        in answer.notices
    )


@pytest.mark.parametrize(
    ("answer", "question"),
    [
        # a word opening the answer's sentence is no one ("Having" was read as a person),
        # nor an adjective's capital ("Chinese spy balloon")
        (
            "Having postponed a February trip after a suspected Chinese spy balloon flew "
            "over U.S. airspace, Blinken is set to visit China.",
            "what did Blinken say?",
        ),
        ("Next week.", "what did he say? (When is the visit?)"),
    ],
)
def test_a_pronoun_stands_for_a_person_the_answer_names(answer: str, question: str) -> None:
    previous = [Turn("When is the visit?", answer)]
    assert resolve_followup("what did he say?", previous).question == question
