"""Neighbour pairs: a sentence quoted with the next one when the pair answers better."""

from __future__ import annotations

import pytest

from qa.extractive.evidence import pairs_with_next, quote_left_open


@pytest.mark.parametrize(
    ("sentence", "open_"),
    [
        ("“I believe these lines of communication are necessary.", True),
        ("“They are necessary,” he said.", False),
        ("He said “we are ready” and left.", False),
        ('"We will not back down.', True),
        ('"We will not back down," she said.', False),
        ("No quotation here.", False),
        ("“Nested ‘single’ quotes stay open.", True),
    ],
)
def test_quote_left_open(sentence: str, open_: bool) -> None:
    assert quote_left_open(sentence) is open_


@pytest.mark.parametrize(
    ("question", "sentence", "following", "gain", "paired"),
    [
        # the rest of an open quotation comes along, whatever the question
        ("What did he say?", "“We are ready.", "We will go,” he said.", -0.2, True),
        # a "why" question takes the reason that follows a claim
        (
            "Why is the deal needed?",
            "The deal is needed.",
            "It is needed because prices rose.",
            -0.1,
            True,
        ),
        ("Why is the deal needed?", "The deal is needed.", "Talks resume on Monday.", 0.05, True),
        ("Why is the deal needed?", "The deal is needed.", "Talks resume on Monday.", 0.0, False),
        ("How will they do it?", "They will try.", "They aim to cut costs.", -0.1, True),
        # "how many" is not a question about reasons
        ("How many came?", "Forty came.", "They came because it rained.", 0.1, False),
        # other questions take one sentence
        ("What was agreed?", "They met.", "They agreed because they had to.", 0.3, False),
    ],
)
def test_pairs_with_next(
    question: str, sentence: str, following: str, gain: float, paired: bool
) -> None:
    assert pairs_with_next(question, sentence, following, gain) is paired
