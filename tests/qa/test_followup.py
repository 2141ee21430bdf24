"""Follow-ups: a question that leans on the last turn is rewritten to stand alone."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from article_desk import desk_over  # tests/ is on sys.path

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


@pytest.mark.parametrize(
    ("previous", "question", "read"),
    [
        # the answer's name that a verb follows, not the question's own
        (
            Turn(
                "Which U.S. Secretary of State is going to China?",
                "Antony Blinken is set to visit China and Britain, the State Department said.",
            ),
            "Where is he going after China?",
            "Where is Antony Blinken going after China?",
        ),
        # no one the answer gives: the question comes along instead of "World Cup"
        (
            Turn(
                "Who won the 2022 World Cup?",
                "Argentina won the 2022 World Cup on Sunday, defeating France.",
            ),
            "Who did they beat?",
            "Who did they beat? (Who won the 2022 World Cup?)",
        ),
        # "who is X?" asks about X
        (
            Turn("Who is Kurt Campbell?", "Daniel Kritenbrink said Kurt Campbell agreed."),
            "How old is he?",
            "How old is Kurt Campbell?",
        ),
        # a name whose first word may open a question ("Will he go?") inside a sentence
        (
            Turn("What did Will Smith apologize for?", "Smith apologized to the Academy."),
            "Who did he hit?",
            "Who did Will Smith hit?",
        ),
    ],
)
def test_after_who_did_it_he_is_whom_the_answer_gives(
    previous: Turn, question: str, read: str
) -> None:
    assert resolve_followup(question, [previous]).reading() == read


PARADE = Turn(
    "What happened at the Highland Park parade?",
    "A gunman opened fire on the Fourth of July parade in Highland Park. [1]",
)


@pytest.mark.parametrize(
    "question",
    [
        "How many people died?",
        "Who was the suspect?",
        "What was the final score?",
        "When will the park reopen?",
        "Did officials say that the talks failed?",
    ],
)
def test_a_question_that_names_nothing_is_searched_with_its_story(question: str) -> None:
    resolved = resolve_followup(question, [PARADE])
    # scored as asked, not as a follow-up: only the search carries the story
    assert resolved.question == question and not resolved.is_followup
    assert resolved.story == PARADE.question
    assert resolved.searched() == f"{question} ({PARADE.question})"
    assert resolved.searched("the police said") == f"the police said ({PARADE.question})"


def test_the_story_is_the_last_question_that_named_one() -> None:
    died = Turn("How many people died?", "Seven people died. [1]")
    assert resolve_followup("Who was the suspect?", [PARADE, died]).story == PARADE.question
    old = [PARADE, died, died, died]  # named three questions back and more: forgotten
    assert resolve_followup("Who was the suspect?", old).story is None


@pytest.mark.parametrize(
    "question",
    [
        "What did Biden say?",  # a name
        "How many people died in Uvalde?",
        "What happened on July 4?",  # a figure
        'What does "quiet quitting" mean?',  # a quotation
        "Thanks!",  # no question
        "Great, thanks.",
    ],
)
def test_a_question_that_names_its_story_or_asks_nothing_gets_none(question: str) -> None:
    resolved = resolve_followup(question, [PARADE])
    assert resolved.story is None and resolved.searched() == question


def test_a_question_that_began_the_conversation_is_its_story_though_it_names_nothing() -> None:
    heat = Turn("How hot did it get during the heat wave?", "It reached 110F. [1]")
    cities = Turn("Which cities were affected?", "Dallas and Memphis. [1]")
    assert resolve_followup("Which cities were affected?", [heat]).story == heat.question
    # one that asked within that story is not a story of its own
    assert resolve_followup("How many people died?", [heat, cities]).story == heat.question
    # a preposition may open the question: "In how many states?"
    assert resolve_followup("In how many states?", [heat]).story == heat.question


def test_a_name_less_question_past_the_story_s_turns_is_no_story_of_its_own() -> None:
    heat = Turn("How hot did it get during the heat wave?", "It reached 110F. [1]")
    asked = [Turn(q, "...") for q in ("Which cities?", "How many died?", "How long?")]
    assert resolve_followup("Which state was worst hit?", [heat, *asked[:2]]).story
    assert resolve_followup("Which state was worst hit?", [heat, *asked]).story is None


def test_no_story_without_a_question_before_it() -> None:
    thanks = Turn("Thanks!", "You're welcome.")
    assert resolve_followup("How many people died?", [thanks]).story is None
    assert resolve_followup("How many people died?", []).story is None


@pytest.mark.model
def test_how_many_died_is_answered_from_the_story_the_conversation_is_on(
    tmp_path: Path,
) -> None:
    parade = {
        "id": "parade",
        "title": "Gunman fires on Highland Park parade",
        "date": "2022-07-05",
        "text": "A gunman opened fire on the Fourth of July parade in Highland Park, "
        "Illinois, on Monday. Seven people died and more than thirty were wounded, the "
        "county coroner said. The suspect was arrested hours later near Lake Forest.",
    }
    crash = {
        "id": "crash",
        "title": "Bus crash on the interstate",
        "date": "2022-07-04",
        "text": "A tour bus overturned on the interstate near Albany on Sunday. Twelve "
        "people died in the crash, state police said. The driver was arrested on Monday.",
    }
    gas = {
        "id": "gas",
        "title": "Gas prices ease",
        "date": "2022-07-05",
        "text": "Gas prices eased this week after a record June. The average price of a "
        "gallon of gas fell to $4.80 on Tuesday, the motor club said.",
    }
    bus = "What happened to the tour bus near Albany?"
    with desk_over(tmp_path, parade, crash, gas) as desk:
        first = desk.ask(PARADE.question)
        on_parade = [(first.question, first.text)]
        died = desk.ask("How many people died?", history=on_parade)
        first = desk.ask(bus)
        on_bus = [(first.question, first.text)]
        bus_died = desk.ask("How many people died?", history=on_bus)
        switched = desk.ask("What is the average price of a gallon of gas?", history=on_parade)
    # the same question, answered from the story each conversation is on, and only it
    assert not died.abstained, died.notices
    assert {c.article_id for c in died.citations} == {"parade"}
    assert "Seven people died" in died.text
    assert died.standalone_question == f"How many people died? ({PARADE.question})"
    assert not bus_died.abstained, bus_died.notices
    assert {c.article_id for c in bus_died.citations} == {"crash"}
    assert "Twelve people died" in bus_died.text
    # a question that names nothing may still change the subject
    assert not switched.abstained
    assert switched.citations[0].article_id == "gas"
    assert "$4.80" in switched.text


@pytest.mark.parametrize(
    ("asked", "answer", "question", "expected"),
    [
        # a name with a capital inside it, or a hyphen
        (
            "Why did McCormick give up the recount?",
            "...",
            "Who is his wife?",
            "Who is McCormick's wife?",
        ),
        (
            "Why did Andrea Stewart-Cousins step in?",
            "...",
            "What did she do next?",
            "What did Andrea Stewart-Cousins do next?",
        ),
        # a name, a role, a name: the person is the last
        (
            "What did Dodgers reliever Joe Kelly do?",
            "...",
            "Who is he married to?",
            "Who is Joe Kelly married to?",
        ),
        # two abbreviated titles; "her" before a noun is a possessive, before "the" not
        (
            "When does Lt. Gov. Kathy Hochul take over?",
            "...",
            "Who handles her old duties?",
            "Who handles Lt. Gov. Kathy Hochul's old duties?",
        ),
        (
            "Why is Candace Cameron Bure apologizing?",
            "...",
            "Who gave her the idea?",
            "Who gave Candace Cameron Bure the idea?",
        ),
        # whom a named subject beat: "she" is the subject
        (
            "Who did Iga Swiatek beat in the final?",
            "Swiatek beat Coco Gauff.",
            "Where is she from?",
            "Where is Iga Swiatek from?",
        ),
    ],
)
def test_names_titles_and_possessives_in_a_pronoun_s_reading(
    asked: str, answer: str, question: str, expected: str
) -> None:
    assert resolve_followup(question, [Turn(asked, answer)]).reading() == expected


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        # a name's possessed role is the person: not the country
        (
            [("Why did Sri Lanka's prime minister resign?", "Mahinda Rajapaksa resigned.")],
            "Who replaced him?",
            "Who replaced Sri Lanka's prime minister?",
        ),
        # an abbreviated title is part of the name, and a question that only pointed at
        # the person keeps them for the next one
        (
            [
                ("Who is Dr. Oz?", "A TV host."),
                ("Which party is he running for?", "The Dr. Oz Show."),
            ],
            "Who is his opponent?",
            "Who is Dr. Oz's opponent?",
        ),
        # "they" may be a team the answer names after "The"; "he" is no "The ..." run
        (
            [
                (
                    "Who won the Stanley Cup?",
                    "The Colorado Avalanche defeated the Tampa Bay Lightning 2-1. The "
                    "Lightning won the last two Stanley Cups.",
                )
            ],
            "Who did they beat?",
            "Who did Colorado Avalanche beat?",
        ),
        (
            [
                (
                    "Which U.S. Secretary of State is going to China?",
                    "The United States played down expectations ahead of Antony Blinken's visit.",
                )
            ],
            "Where is he going next?",
            "Where is Antony Blinken going next?",
        ),
    ],
)
def test_the_person_a_pronoun_stands_for(
    history: list[tuple[str, str]], question: str, expected: str
) -> None:
    turns = [Turn(q, a) for q, a in history]
    assert resolve_followup(question, turns).reading() == expected


def test_it_is_read_in_the_conversation_s_story() -> None:
    turns = [
        Turn("Why did Biden call for a gas tax holiday?", "To ease prices. [1]"),
        Turn("How much would it save drivers?", "18 cents a gallon. [1]"),
    ]
    # "it" is the story's event: searched with the story's question, scored as asked
    resolved = resolve_followup("What did critics say about it?", turns)
    assert resolved.story == "Why did Biden call for a gas tax holiday?"
    assert resolved.question == "What did critics say about it?"
    # "why" and "what else" still lean on the last turn's words; "he" on its person
    assert resolve_followup("Why did it happen?", turns).story is None
    said = resolve_followup("What did he say about it?", turns[:1])
    assert said.story is None and said.question.startswith("What did Biden say about it?")


def test_a_role_keeps_what_it_is_of() -> None:
    turns = [Turn("Has Pence's former chief of staff testified?", "Yes. [1]")]
    assert (
        resolve_followup("Who is his attorney?", turns).reading()
        == "Who is Pence's former chief of staff's attorney?"
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("When?", "When did Sri Lanka's prime minister resign?"),
        ("And where?", "Where did Sri Lanka's prime minister resign?"),
        ("how much??", "How much did Sri Lanka's prime minister resign?"),
    ],
)
def test_a_question_word_alone_asks_the_last_question_with_it(question: str, expected: str) -> None:
    turns = [Turn("Why did Sri Lanka's prime minister resign?", "Protests. [1]")]
    resolved = resolve_followup(question, turns)
    assert resolved.question == expected and resolved.is_followup


def test_a_question_word_alone_reads_the_last_question_as_it_was_read() -> None:
    turns = [
        Turn("Who is Dr. Oz?", "A TV host. [1]"),
        Turn("Where did he work as a surgeon?", "At New York Presbyterian. [1]"),
    ]
    assert resolve_followup("When?", turns).reading() == "When did Dr. Oz work as a surgeon?"
    # no verb after the last question's word: it comes along whole
    won = [Turn("Who won the Stanley Cup?", "The Colorado Avalanche. [1]")]
    assert resolve_followup("Where?", won).reading() == "Where? (Who won the Stanley Cup?)"


def test_a_pronoun_s_person_is_searched_for_and_the_question_scored_as_asked() -> None:
    turns = [Turn("How much is David Tepper paying for the Carolina Panthers?", "$2.2bn. [1]")]
    resolved = resolve_followup("Which other team did he own part of?", turns)
    # scored as asked, so the sentence that answers wins over those that name him
    assert resolved.question == "Which other team did he own part of?"
    assert resolved.named and not resolved.is_followup
    assert resolved.story == resolved.reading() == "Which other team did David Tepper own part of?"
    # a question for someone's words needs their name to find them
    said = resolve_followup("What did he say about the stadium?", turns)
    assert not said.named and said.question == "What did David Tepper say about the stadium?"
