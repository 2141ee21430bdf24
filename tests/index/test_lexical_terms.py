"""The terms BM25, the lexical features and the answerability signals share."""

from __future__ import annotations

import pytest

from index import lexical, lexical_terms


@pytest.mark.parametrize(
    ("form", "base"),
    [
        ("won", "wins"),
        ("ate", "eating"),
        ("took", "takes"),
        ("began", "begins"),
        ("children", "child"),
        ("women", "woman"),
        ("written", "writes"),
        ("sold", "selling"),
    ],
)
def test_an_irregular_form_is_one_term_with_its_base(form: str, base: str) -> None:
    assert lexical_terms(form) == lexical_terms(base)


@pytest.mark.parametrize(
    ("form", "other"),
    [
        ("left", "leave"),  # the left, a left turn
        ("shot", "shoot"),  # a booster shot
        ("rose", "rise"),  # Rose, a rose
        ("fed", "feed"),  # the Fed
    ],
)
def test_a_form_as_often_another_word_is_left_alone(form: str, other: str) -> None:
    assert lexical_terms(form) != lexical_terms(other)


def test_a_question_in_one_tense_finds_the_story_in_another() -> None:
    question = set(lexical_terms("Which team won the Stanley Cup and what did fans eat?"))
    story = set(lexical_terms("The Avalanche went on to win the Cup as fans ate hot dogs."))
    assert {"win", "eat"} <= question & story


def test_words_are_remembered_up_to_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("index.lexical._TERM_OF", {})
    monkeypatch.setattr("index.lexical._TERM_OF_LIMIT", 2)
    assert lexical_terms("Officials won the talks") == ["offici", "win", "talk"]
    remembered = dict(lexical._TERM_OF)
    assert remembered == {"officials": "offici", "won": "win", "the": "", "talks": "talk"}
    # past the bound, new words are stemmed for this text but not remembered
    assert lexical_terms("The talks were breaking down") == ["talk", "break"]
    assert remembered == lexical._TERM_OF
