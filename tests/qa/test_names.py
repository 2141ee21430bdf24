"""Names a question asks about that no retrieved article mentions make the answer abstain."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from article_desk import desk_over  # tests/ is on sys.path
from closed_model import unreachable_model

import qa.questions.names
from qa import NewsDesk
from qa.questions.names import (
    mentions_person,
    naming_in_full,
    person_asked,
    question_names,
    unmatched_names,
)


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("What did Blinken and Xi Jinping agree on?", ["Blinken", "Xi Jinping"]),
        ("Approximately how many people fled?", []),  # a capitalised first word
        ("Far-right pundit Alex Jones was in court. Why?", ["Alex Jones"]),
        ("What did he say? (When is Blinken going to China?)", ["Blinken", "China"]),
        ("what did kritenbrink say?", []),  # no capitals, no check
        ("Did the U.S. and NATO agree?", ["U.S.", "NATO"]),
        # a closing single quotation mark is not part of the name
        ("What did Apple's 'Pro' iPhones get?", ["Apple's", "Pro"]),
    ],
)
def test_question_names(question: str, names: list[str]) -> None:
    assert question_names(question) == names


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        ("What did Xi Jinping say?", "President Xi spoke on Tuesday.", []),
        ("What did Xi Jinping say?", "Blinken spoke on Tuesday.", ["Xi Jinping"]),
        ("What do Chinese officials want?", "China wants talks.", []),
        ("Where is the Texas-Mexico border wall?", "Texas built a wall.", []),
        ("What did Blinken’s team say?", "Blinken said so.", []),
        ("When does Blinken reach London?", "Blinken flies to Britain.", ["London"]),
        # initials written out, or with points
        ("Which film tops the US box office?", "It leads in North America.", []),
        ("What did the U.S. say?", "The United States said no.", []),
        ("What did the UK say?", "Britain said no.", []),
        ("What did the UN say?", "The U.N. said no.", []),
        ("What did the UK say?", "Paris said no.", ["UK"]),
        # an acronym written out, linking words left out of its initials
        ("What did the IRS announce?", "The Internal Revenue Service said so.", []),
        ("What did the CDC say?", "The U.S. Centers for Disease Control and Prevention said.", []),
        ("What did the NBA say?", "The New York Times said so.", ["NBA"]),
        ("What did the IRS announce?", "internal revenue service", ["IRS"]),  # not a name
        # accents left out of the question, or out of the article
        ("What did Sanchez announce?", "Pedro Sánchez said so.", []),
        ("What did Erdoğan say?", "Erdogan said so.", []),
        ("What did Zoë say?", "Zola said so.", ["Zoë"]),
        ("What did Émile Zola write?", "Emile Zola wrote.", []),
        ("Where is Óscar Arias?", "Nobody knows.", ["Óscar Arias"]),  # an accented initial
        # a month or weekday is a time frame, which reporting of that time need not write
        ("Why did Brady retire in February 2022?", "Brady retired on Tuesday.", []),
        ("What did Biden sign on Monday?", "Biden signed the bill.", []),
        ("What did Biden sign in February?", "Harris spoke.", ["Biden"]),
    ],
)
def test_unmatched_names(question: str, text: str, missing: list[str]) -> None:
    assert unmatched_names(question, [text]) == missing


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(qa.questions.names)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.model
def test_a_name_the_articles_never_give_makes_the_answer_abstain(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask("What did Blinken and Xi Jinping agree on?", as_of="2023-06-14")
    assert answer.abstained and not answer.citations
    assert answer.related  # the closest passages are still offered
    assert "No retrieved article mentions “Xi Jinping”." in answer.notices
    named = seed_desk.ask("When is Blinken going to China?", as_of="2023-06-14")
    assert not named.abstained and not named.notices


@pytest.mark.model
def test_in_generative_mode_the_model_is_not_asked_about_an_unknown_name(
    seed_desk: NewsDesk,
) -> None:
    with unreachable_model(seed_desk) as desk:
        answer = desk.ask("What did Blinken and Xi Jinping agree on?", as_of="2023-06-14")
    assert answer.abstained
    assert answer.notices[-2:] == (
        "No retrieved article mentions “Xi Jinping”.",
        "The language model was not asked.",
    )


@pytest.mark.model
def test_an_acronym_the_articles_only_write_out_is_answered(tmp_path: Path) -> None:
    article = {
        "id": "irs-backlog",
        "title": "Tax refunds to arrive faster",
        "date": "2022-06-21",
        "text": "The Internal Revenue Service announced Tuesday that it has finished "
        "processing the backlog of 2021 paper tax returns. The agency had been criticised "
        "for delays during the pandemic.",
    }
    with desk_over(tmp_path, article) as desk:
        answer = desk.ask("What has the IRS finished processing?")
        assert not answer.abstained and not answer.notices
        assert "backlog of 2021 paper tax returns" in answer.citations[0].quote
        other = desk.ask("What has the NBA finished processing?")
        assert other.abstained
        assert "No retrieved article mentions “NBA”." in other.notices


@pytest.mark.model
def test_a_name_asked_without_its_accent_is_answered(tmp_path: Path) -> None:
    article = {
        "id": "spain-election",
        "title": "Spain calls early election",
        "date": "2023-05-29",
        "text": "Spanish Prime Minister Pedro Sánchez called a snap general election for "
        "July 23 on Monday. “I have taken this decision in view of the results of "
        "yesterday’s elections,” Sánchez said in a televised address.",
    }
    with desk_over(tmp_path, article) as desk:
        # before, both abstained: "No retrieved article mentions “Sanchez”."
        said = desk.ask("What did Sanchez say about his decision?")
        called = desk.ask("Which election did Sanchez call?")
    assert not said.abstained and not said.notices
    assert said.citations[0].quote.startswith("“I have taken this decision")
    assert not called.abstained and "snap general election" in called.text


@pytest.mark.parametrize(
    ("question", "speaker", "person"),
    [
        ("Who is Rosamund Lewis?", None, "Rosamund Lewis"),
        ("Who was Jerry Lee Lewis?", None, "Jerry Lee Lewis"),
        ("Who is Lewis?", None, None),  # one word: articles write it alone anyway
        ("Who is the U.S. ambassador to China?", None, None),
        ("Who is leading the talks?", None, None),
        ("What did Karine Jean-Pierre say?", "Karine Jean-Pierre", "Karine Jean-Pierre"),
        ("What did Qin say?", "Qin", None),
    ],
)
def test_person_asked(question: str, speaker: str | None, person: str | None) -> None:
    assert person_asked(question, speaker) == person


@pytest.mark.parametrize(
    ("sentence", "mentioned"),
    [
        ("Lewis added that the risk is low.", True),  # news refers back by surname
        ("Rosamund Lewis, head of the smallpox secretariat, said", True),
        ("Rosamund Pike stars in the film.", False),
        ("It was shot in Lewisham.", False),
    ],
)
def test_mentions_person(sentence: str, mentioned: bool) -> None:
    assert mentions_person("Rosamund Lewis", sentence) is mentioned


def test_naming_in_full_takes_whole_words_as_written() -> None:
    texts = {
        "who": "Rosamund Lewis, head of the smallpox secretariat, said",
        "singer": "There's a whole lotta Jerry Lee Lewis news. Lewis' new album is out.",
        "lovely": "Kevin Kline starred in De-Lovely.",
    }
    assert naming_in_full("Rosamund Lewis", texts) == {"who"}
    assert naming_in_full("Jerry Lee Lewis's", texts) == {"singer"}
    assert naming_in_full("Kevin Love", texts) == set()  # "Lovely" is not "Love"


@pytest.mark.model
def test_a_person_asked_about_is_not_taken_for_a_namesake(tmp_path: Path) -> None:
    articles = (
        {
            "id": "monkeypox",
            "title": "WHO: monkeypox is spreading in new countries",
            "date": "2022-05-24",
            "text": "Monkeypox has been reported in countries that do not normally have it. "
            "“This is an emerging disease,” said Rosamund Lewis, head of the smallpox "
            "secretariat at the World Health Organization's emergencies programme. "
            "Lewis added that the risk for the general public appears to be low.",
        },
        {
            "id": "rock-and-roll",
            "title": "Jerry Lee Lewis releases a new album",
            "date": "2022-05-24",
            "text": "Jerry Lee Lewis, the rock and roll pioneer, has a new album out. "
            "“I still love to play,” Lewis said at the launch in Memphis. Lewis is 86.",
        },
    )
    with desk_over(tmp_path, *articles) as desk:
        said = desk.ask("What did Jerry Lee Lewis say?")
        assert said.citations, said.notices
        assert {c.article_id for c in said.citations} == {"rock-and-roll"}
        who = desk.ask("Who is Rosamund Lewis?")
        assert who.citations, who.notices
        assert {c.article_id for c in who.citations} == {"monkeypox"}
        assert any("Rosamund Lewis, head of the smallpox" in c.quote for c in who.citations)
        nobody = desk.ask("Who is Kevin Lewis?")
        assert nobody.abstained
        assert "No retrieved article names “Kevin Lewis” in full." in nobody.notices
        # the generative mode shows its model only what the extractive answer could quote
        with unreachable_model(desk) as generative:
            unasked = generative.ask("Who is Kevin Lewis?")
        assert unasked.abstained
        assert unasked.notices[-2:] == (
            "No retrieved article names “Kevin Lewis” in full.",
            "The language model was not asked.",
        )
