"""How an answer quotes: a thing said once, and a first sentence without its dateline."""

from __future__ import annotations

import pytest

from qa.extractive.compose import restates, without_dateline


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # a wire copy, and a lead retold by another outlet
        ("Blinken will visit China.", "Blinken will visit China.", True),
        (
            "Sri Lanka has plunged into chaos and its President has fled to Singapore as anger "
            "grows in his home country over his refusal to formally resign.",
            "Sri Lanka has plunged into chaos and its president has fled to Singapore, before "
            "emailing his resignation, as questions swirl about the country’s future.",
            True,
        ),
        # other figures are other facts, however alike the words
        ("Prices rose 5% in May.", "Prices rose 7% in May.", False),
        (
            "Chestnut won his 15th contest, eating 63 hot dogs in 10 minutes.",
            "Chestnut ate 63 hot dogs in 10 minutes.",
            False,
        ),
        # half the terms shared is the least
        ("Blinken met Qin in Beijing on Sunday.", "Blinken met Wang in Shanghai on Monday.", False),
        ("He said no.", "He said so.", False),  # nothing but stopwords: nothing to compare
    ],
)
def test_restates(a: str, b: str, same: bool) -> None:
    assert restates(a, b) is same
    assert restates(b, a) is same


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("(CNN) The US will send aid.", "The US will send aid."),
        ("Washington (CNN Business) Apple will adopt USB-C.", "Apple will adopt USB-C."),
        ("Jackson, Wyoming (CNN) Wyoming Rep. Liz Cheney lost.", "Wyoming Rep. Liz Cheney lost."),
        ("NEW YORK (Reuters) - Stocks fell on Monday.", "Stocks fell on Monday."),
        ("(AP) — “We are ready,” she said.", "“We are ready,” she said."),
        # a ticker or an aside is not a dateline: the next word is not a sentence's first
        ("Alphabet (GOOGL) split its shares.", "Alphabet (GOOGL) split its shares."),
        ("Last week, Apple (AAPL) unveiled phones.", "Last week, Apple (AAPL) unveiled phones."),
        ("The company (Apple) said so.", "The company (Apple) said so."),
    ],
)
def test_an_answer_quotes_a_first_sentence_without_its_dateline(sentence: str, said: str) -> None:
    assert without_dateline(sentence) == said
