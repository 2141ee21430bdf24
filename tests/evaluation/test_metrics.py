"""The evaluation's pure metrics, on literal values."""

from __future__ import annotations

import doctest

import pytest

from evaluation import metrics
from evaluation.metrics import (
    abstention_precision_recall,
    answer_sentences,
    contains_answer,
    covered_quotes,
    hit_at_k,
    is_exact_quote,
    normalise,
    percentile,
    reciprocal_rank,
    strip_markers,
    supported_sentences,
)


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(metrics)
    assert result.attempted >= 16
    assert result.failed == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("China’s “core concerns”", "chinas core concerns"),
        ("China's 'core' concerns", "chinas core concerns"),
        ("  Military-to-military\n dialogue!  ", "military to military dialogue"),
        ("U.S. officials", "u s officials"),
        ("ＦＵＬＬ width", "full width"),
        ("", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("answer", "expected", "contained"),
    [
        ("Qin Gang urged the U.S. to stop meddling. [1]", ["stop meddling"], True),
        ("“Squid Game” is coming back. [1]", ["“Squid Game”"], True),
        ('"Squid Game" is coming back.', ["‘squid game’"], True),
        ("He visits on June 16 [1].", ["June 1"], False),  # a number ends at a word end
        ("Saudi Arabian officials said [1].", ["Saudi Arabia"], True),  # a word may run on
        ("Australia’s first launch", ["Australia"], True),
        ("the Sunday meeting", ["day"], False),  # but a match starts at a word
        ("He visits on June 16 [1].", ["June 16 1"], False),  # markers are not text
        ("The articles do not answer this question.", ["Britain"], False),
        ("Britain and China", [], False),
        ("Britain and China", ["", "  "], False),  # an empty expectation never matches
        ("between June 16 and June 21", ["nope", "June 21"], True),  # any one counts
    ],
)
def test_contains_answer(answer: str, expected: list[str], contained: bool) -> None:
    assert contains_answer(answer, expected) is contained


@pytest.mark.parametrize(
    ("retrieved", "k", "hit", "rr"),
    [
        (["g", "x"], 1, True, 1.0),
        (["x", "x", "x", "g"], 3, False, 0.25),
        (["x", "x", "x", "g"], 5, True, 0.25),
        ([], 5, False, 0.0),
        (["x", "h"], 5, True, 0.5),  # any gold article counts
    ],
)
def test_hit_and_reciprocal_rank(retrieved: list[str], k: int, hit: bool, rr: float) -> None:
    gold = ["g", "h"]
    assert hit_at_k(retrieved, gold, k) is hit
    assert reciprocal_rank(retrieved, gold) == pytest.approx(rr)


@pytest.mark.parametrize(
    ("quote", "start", "end", "exact"),
    [
        ("Qin Gang", 8, 16, True),
        ("Qin Gang ", 8, 17, True),
        ("Qin  Gang", 8, 16, False),  # whitespace matters: offsets must point at the quote
        ("Qin Gang", 7, 15, False),
        ("Qin Gang", 8, 99, False),  # past the end
        ("", 3, 3, False),  # an empty span cites nothing
        ("Chinese", -1, 6, False),
    ],
)
def test_is_exact_quote(quote: str, start: int, end: int, exact: bool) -> None:
    article = "Chinese Qin Gang said. More."
    assert is_exact_quote(quote, article, start, end) is exact


def test_covered_quotes_is_per_expected_quote() -> None:
    cited = ["Chinese foreign minister Qin Gang urged the United States", "He said so."]
    expected = ["minister Qin Gang", "foreign minister Qin", "Qin Gang said", "he said so"]
    assert covered_quotes(expected, cited) == [True, True, False, True]
    assert covered_quotes(["anything"], []) == [False]


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("One. [1] Two [2]. Three.", [("One. [1]", (1,)), ("Two [2].", (2,)), ("Three.", ())]),
        # dotted abbreviations and titles do not end a sentence
        (
            "The U.S. Secretary of State left. [1] Mr. Qin stayed. [2]",
            [("The U.S. Secretary of State left. [1]", (1,)), ("Mr. Qin stayed. [2]", (2,))],
        ),
        # a quotation ending in a stop, then its marker
        ("“We’re not going,” he said. [3][4]", [("“We’re not going,” he said. [3][4]", (3, 4))]),
        ("Is it? Yes! [1]", [("Is it?", ()), ("Yes! [1]", (1,))]),
        ("", []),
        ("[1]", []),
    ],
)
def test_answer_sentences(text: str, pieces: list[tuple[str, tuple[int, ...]]]) -> None:
    assert [(s.text, s.markers) for s in answer_sentences(text)] == pieces


@pytest.mark.parametrize(
    ("text", "markers", "supported"),
    [
        ("Qin left. [1] Blinken stayed. [2]", [1, 2], (2, 2)),
        ("Qin left. [1] Blinken stayed. [2]", [1], (1, 2)),  # [2] resolves to no citation
        ("Qin left. Blinken stayed. [1]", [1], (1, 2)),
        ("Qin met J. Smith. [1]", [1], (1, 1)),  # an initial is no sentence end
        ("Qin left [1][9].", [1], (1, 1)),  # one resolving marker is enough
        ("", [1], (0, 0)),
    ],
)
def test_supported_sentences(text: str, markers: list[int], supported: tuple[int, int]) -> None:
    assert supported_sentences(text, markers) == supported


def test_abstention_precision_recall() -> None:
    # (answerable, abstained): 2 right abstentions, 1 wrong, 1 unanswerable answered
    outcomes = [(False, True), (False, True), (True, True), (False, False), (True, False)]
    precision, recall = abstention_precision_recall(outcomes)
    assert precision == pytest.approx(2 / 3)
    assert recall == pytest.approx(2 / 3)
    assert abstention_precision_recall([(False, False)]) == (None, 0.0)
    assert abstention_precision_recall([]) == (None, None)


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([5.0], 95, 5.0),
        ([1.0, 2.0, 3.0, 4.0, 100.0], 50, 3.0),
        ([1.0, 2.0, 3.0, 4.0, 100.0], 95, 80.8),
        ([3.0, 1.0, 2.0], 0, 1.0),
        ([3.0, 1.0, 2.0], 100, 3.0),
    ],
)
def test_percentile_matches_linear_interpolation(
    values: list[float], q: float, expected: float
) -> None:
    assert percentile(values, q) == pytest.approx(expected)
    assert percentile([], q) is None


def test_strip_markers_keeps_the_words() -> None:
    assert strip_markers("Qin spoke [1], then left [2][3].") == "Qin spoke, then left."
