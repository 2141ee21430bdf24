"""A question asked as a request ("Can you tell me what X said?"), naming the articles it
is asked of ("according to the article"), or with the user's chat around it ("Thanks!"),
is read as the question it holds: the pure rewriting on literal strings, then the seed
desk answering such messages as it answers the questions they hold."""

from __future__ import annotations

import pytest

from qa import NewsDesk
from qa.questions.requests import direct_question
from qa.speech.question import SaidQuestion, parse_said_question


@pytest.mark.parametrize(
    ("request_text", "question"),
    [
        # the frame goes, whatever the question inside
        ("Tell me who won the Stanley Cup", "Who won the Stanley Cup?"),
        ("Do you know how many people were killed?", "How many people were killed?"),
        ("Hi, could you please tell me which team won?", "Which team won?"),
        ("I want to know how much the bill will cost, please.", "How much the bill will cost?"),
        (
            "I’d like to know on what day Qin and Blinken spoke",
            "On what day Qin and Blinken spoke?",
        ),
        (
            "Tell me apart from Taiwan, what else they disagree on.",
            "Apart from Taiwan, what else they disagree on?",
        ),
        # ... and one still in a question's order stays so
        ("Can you tell me what did Kritenbrink say?", "What did Kritenbrink say?"),
        (
            "Please tell me how many weeks was Pulisic expected to miss.",
            "How many weeks was Pulisic expected to miss?",
        ),
        # someone's words or views, in a request's order
        (
            "Can you tell me what Kritenbrink said about expectations?",
            "What did Kritenbrink say about expectations?",
        ),
        (
            "Tell me what the U.S. side expects from the trip",
            "What does the U.S. side expect from the trip?",
        ),
        ("I wonder what else Campbell has said", "What else has Campbell said?"),
        (
            "Explain why Campbell thinks the lines are necessary",
            "Why does Campbell think the lines are necessary?",
        ),
        ("Tell me what Yellen will say about rates", "What will Yellen say about rates?"),
        # who someone is; when, where and why with their auxiliary after the subject
        ("I'd like to know who Kurt Campbell is", "Who is Kurt Campbell?"),
        (
            "Please tell me when Blinken is due to visit China.",
            "When is Blinken due to visit China?",
        ),
        ("Do you know where the summit will be held?", "Where will the summit be held?"),
        ("Could you explain why the balloon was shot down?", "Why was the balloon shot down?"),
        ("Tell me how long the strike has lasted", "How long has the strike lasted?"),
        # "how many" and "how much" name their subject: no auxiliary moves
        ("Tell me how many people were hurt", "How many people were hurt?"),
        # the articles named: what the desk answers from anyway
        ("Based on the articles, who is Kurt Campbell?", "Who is Kurt Campbell?"),
        ("In the news articles, what is Kritenbrink's job?", "What is Kritenbrink's job?"),
        ("According to the Reuters article, did Blinken meet Xi?", "Did Blinken meet Xi?"),
        ("What did Kritenbrink say, according to the articles?", "What did Kritenbrink say?"),
        ("Who built the model in the article?", "Who built the model?"),
        (
            "Researchers from which country built it, according to the story?",
            "Researchers from which country built it?",
        ),
        # a label, the desk addressed, a word said before the question
        ("Q: who is Kurt Campbell?", "Who is Kurt Campbell?"),
        ("@newsdesk what did Kritenbrink say?", "What did Kritenbrink say?"),
        ("Hey newsdesk, who is Qin Gang?", "Who is Qin Gang?"),
        ("OK so on what date did they speak?", "On what date did they speak?"),
        ("Okay, and what did he say?", "And what did he say?"),
        # ... but "so far" is the question's own
        ("So far, how many people died?", "So far, how many people died?"),
        # the topic first, set off by a colon or a dash: a name for its pronoun, or context
        ("Kritenbrink - what did he say?", "What did Kritenbrink say?"),
        ("Hans-Joachim Watzke: what did he say?", "What did Hans-Joachim Watzke say?"),
        ("Blinken—who will he meet?", "Who will Blinken meet?"),
        ("Blinken's trip - when does it start?", "Blinken's trip. When does it start?"),
        ("How much did 'Top Gun: Maverick' cost?", "How much did 'Top Gun: Maverick' cost?"),
        # the question word where the answer goes
        ("Kritenbrink said what about Taiwan?", "What did Kritenbrink say about Taiwan?"),
        ("Campbell says what?", "What does Campbell say?"),
        ("He said what?", "What did he say?"),
        # a follow-up's "and" stays, for the follow-up to be read as one
        ("And can you tell me what he said?", "And what did he say?"),
        ("So, tell me who won", "Who won?"),
        # a yes-no question's "whether"
        ("Can you tell me whether Blinken met Xi?", "Blinken met Xi?"),
    ],
)
def test_a_request_is_read_as_its_question(request_text: str, question: str) -> None:
    assert direct_question(request_text) == question


@pytest.mark.parametrize(
    "text",
    [
        "What did Kritenbrink say about expectations?",
        "Who is Kurt Campbell?",
        "Tell me about the trip.",  # a topic, not a question: left to retrieval as typed
        "Please summarize the article",
        "Kritenbrink on expectations",
        "Can you believe it?",
        "Tell me",
        "What is in the article?",
        "What happened in the news this week?",
        "What did Biden say in the report?",  # a report may be what is asked about
    ],
)
def test_what_is_not_a_request_for_a_question_is_left_as_typed(text: str) -> None:
    assert direct_question(text) == text


@pytest.mark.parametrize(
    ("message", "question"),
    [
        # the user's chat goes, before or after the question
        ("What did Kritenbrink say? Thanks!", "What did Kritenbrink say?"),
        ("Quick one for my editor. Who is Kurt Campbell?", "Who is Kurt Campbell?"),
        ("Who is Kurt Campbell? I'm writing a story. Keep it short.", "Who is Kurt Campbell?"),
        ("I need it for a briefing. Can you tell me who Qin Gang is?", "Who is Qin Gang?"),
        # news stays as the question's context, and news after it goes before it
        (
            "Gas prices hit a record. How much is a gallon? Thanks.",
            "Gas prices hit a record. How much is a gallon?",
        ),
        (
            "How much is a gallon? Gas prices hit a record.",
            "Gas prices hit a record. How much is a gallon?",
        ),
        # "Artemis I" and "World War I" are names, "US" a place: news, not the user
        (
            "NASA delayed its Artemis I launch. Why?",
            "NASA delayed its Artemis I launch. Why?",
        ),
        ("Gas prices in the US hit a record. Why?", "Gas prices in the US hit a record. Why?"),
    ],
)
def test_the_users_chat_goes_and_news_stays(message: str, question: str) -> None:
    assert direct_question(message) == question


def test_a_question_after_news_is_parsed_from_its_own_sentence() -> None:
    asked = "I'm writing about the trip. What did Kritenbrink say about expectations?"
    assert parse_said_question(asked) == SaidQuestion("Kritenbrink", "expectations")
    # a pronoun's person is in the news before it, which the parse does not read
    assert parse_said_question("Biden made a declaration. What did he say?") is None


def test_a_request_for_someones_words_parses_as_the_question_does() -> None:
    held = direct_question("Could you tell me what Daniel Kritenbrink said about expectations?")
    assert parse_said_question(held) == SaidQuestion("Daniel Kritenbrink", "expectations")


@pytest.mark.model
@pytest.mark.parametrize(
    ("request_text", "question"),
    [
        (
            "Can you tell me what Kritenbrink said about expectations?",
            "What did Kritenbrink say about expectations?",
        ),
        (
            "Please tell me when Blinken is due to visit China.",
            "When is Blinken due to visit China?",
        ),
        ("I'd like to know who Kurt Campbell is", "Who is Kurt Campbell?"),
        # "Based" was read as a speaker whose words no article reports, and it abstained
        ("Based on the articles, who is Kurt Campbell?", "Who is Kurt Campbell?"),
        (
            "In the Reuters article, what did Kritenbrink say about expectations?",
            "What did Kritenbrink say about expectations?",
        ),
        # chat around the question: it had abstained on "editor" and "short"
        (
            "Quick one for my editor. What is Daniel Kritenbrink's job?",
            "What is Daniel Kritenbrink's job?",
        ),
        (
            "What position does Kurt Campbell hold? Keep it short.",
            "What position does Kurt Campbell hold?",
        ),
    ],
)
def test_the_desk_answers_a_request_as_the_question_it_holds(
    seed_desk: NewsDesk, request_text: str, question: str
) -> None:
    asked = seed_desk.ask(question)
    answer = seed_desk.ask(request_text)
    assert not answer.abstained
    assert answer.standalone_question == question
    assert [c.quote for c in answer.citations] == [c.quote for c in asked.citations]
    assert answer.question == request_text  # the user's words are what the answer shows


@pytest.mark.model
@pytest.mark.model
def test_a_follow_up_asked_as_a_request_is_answered_as_the_follow_up(
    seed_desk: NewsDesk,
) -> None:
    history = [("Who is Kurt Campbell?", seed_desk.ask("Who is Kurt Campbell?").text)]
    asked = seed_desk.ask("And what did he say about communication?", history=history)
    answer = seed_desk.ask("And can you tell me what he said about communication?", history=history)
    assert answer.standalone_question == asked.standalone_question
    assert "Kurt Campbell" in answer.standalone_question
    assert [c.quote for c in answer.citations] == [c.quote for c in asked.citations]


def test_a_request_for_words_cites_the_speaker_not_the_lead(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask("Can you tell me what Kritenbrink said about expectations?")
    assert any("intent of having some sort of breakthrough" in c.quote for c in answer.citations)
    assert all(c.speaker and "Kritenbrink" in c.speaker for c in answer.citations)


@pytest.mark.model
def test_retrieval_reads_the_request_as_its_question(seed_desk: NewsDesk) -> None:
    asked = seed_desk.retrieve("When is Blinken due to visit China?")
    requested = seed_desk.retrieve("Please tell me when Blinken is due to visit China.")
    assert [(p.chunk_id, p.score) for p in requested] == [(p.chunk_id, p.score) for p in asked]
