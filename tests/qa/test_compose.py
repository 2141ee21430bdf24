"""An answer says a thing once: sentences that restate each other are not both quoted."""

from __future__ import annotations

import pytest

from qa.extractive.compose import restates


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
