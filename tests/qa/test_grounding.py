"""Citation checks on literal answers: markers, answer sentences, lexical support."""

from __future__ import annotations

import pytest

from qa.generative.grounding import (
    MIN_WORD_COVERAGE,
    answer_sentences,
    check_answer,
    check_sentence,
    clean_markers,
    declines,
    sentence_markers,
)

PASSAGES = [
    "Chinese foreign minister Qin Gang urged the United States to stop meddling in its "
    "affairs in a call with Blinken on Wednesday.",
    "U.S. officials said Blinken would push to establish open communication channels.",
    "It is the first trip by a U.S. Secretary of State to China in five years, after 2018.",
]


@pytest.mark.parametrize(
    ("raw", "passages", "cleaned", "dropped"),
    [
        ("Talks resumed [1].", 1, "Talks resumed [1].", ()),
        ("Talks resumed [1, 2].", 2, "Talks resumed [1][2].", ()),
        ("Talks resumed [1; 2].", 2, "Talks resumed [1][2].", ()),
        ("Talks resumed [Passage 2].", 2, "Talks resumed [2].", ()),
        ("Talks resumed [3].", 2, "Talks resumed.", (3,)),
        ("Talks resumed [0] and ended [1].", 2, "Talks resumed and ended [1].", (0,)),
        ("Talks resumed [2, 9][9].", 2, "Talks resumed [2].", (9,)),
        ("Talks resumed. [1] Then ended. [2]", 2, "Talks resumed [1]. Then ended [2].", ()),
        ("“We left.”[1] Then", 1, "“We left [1].” Then", ()),
        ("Talks resumed [1][1].", 1, "Talks resumed [1].", ()),
        ("No markers at all.", 3, "No markers at all.", ()),
    ],
)
def test_clean_markers(raw: str, passages: int, cleaned: str, dropped: tuple[int, ...]) -> None:
    assert clean_markers(raw, passages) == (cleaned, dropped)


def test_moving_a_marker_before_a_closing_quote_keeps_the_words() -> None:
    # the marker goes before the stop run; the closing quote stays with the stop
    text, _ = clean_markers("He said “we left.” [1] Then they met [1].", 1)
    assert text == "He said “we left [1].” Then they met [1]."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks resumed [1]. Qin called [2].", ["Talks resumed [1].", "Qin called [2]."]),
        ("Talks resumed.\n[1] Qin called [2].", ["Talks resumed.\n[1]", "Qin called [2]."]),
        ("[1] Talks resumed.", ["[1] Talks resumed."]),
        ("The U.S. Secretary met Qin [1].", ["The U.S. Secretary met Qin [1]."]),
        ("", []),
    ],
)
def test_answer_sentences(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in answer_sentences(text)] == expected


def test_answer_sentences_give_unsupported_indexes_their_meaning() -> None:
    report = check_answer("Blinken would push [2]. He flew to Oslo [2].", PASSAGES)
    spans = answer_sentences(report.text)
    assert len(spans) == len(report.sentences)
    assert [report.text[s:e] for s, e in spans][report.unsupported[0]] == "He flew to Oslo [2]."


@pytest.mark.parametrize(
    ("sentence", "markers"),
    [("Qin [2] called Blinken [1][2].", (2, 1)), ("No citation.", ()), ("A [10].", (10,))],
)
def test_sentence_markers(sentence: str, markers: tuple[int, ...]) -> None:
    assert sentence_markers(sentence) == markers


@pytest.mark.parametrize(
    ("sentence", "evidence", "supported", "missing"),
    [
        # every word is in the passage, "meddling" matched through its stem
        ("Qin Gang urged the United States to stop meddling [1].", PASSAGES[0], True, ()),
        # an invented place name
        ("Qin Gang urged the United States to stop meddling in Paris [1].", PASSAGES[0],
         False, ("Paris",)),
        # an invented number
        ("It is the first trip in seven years, after 2019 [3].", PASSAGES[2], False,
         ("2019", "seven")),
        ("It is the first trip in five years, after 2018 [3].", PASSAGES[2], True, ()),
        # "U.S." read as one word on both sides
        ("The U.S. officials want open channels [2].", PASSAGES[1], True, ("want",)),
        # most ordinary words missing
        ("Blinken would push hard for quick talks [2].", PASSAGES[1], False,
         ("hard", "quick", "talks")),
        # a sentence with no content words has nothing to check
        ("It was so [1].", PASSAGES[0], True, ()),
        # nothing cited: the evidence is empty
        ("Blinken would push [2].", "", False, ("Blinken", "push")),
    ],
)  # fmt: skip
def test_check_sentence(
    sentence: str, evidence: str, supported: bool, missing: tuple[str, ...]
) -> None:
    assert check_sentence(sentence, evidence) == (supported, missing)


def test_word_coverage_threshold_is_inclusive() -> None:
    # two ordinary words, one found: exactly MIN_WORD_COVERAGE when it is 0.5
    assert MIN_WORD_COVERAGE == 0.5
    assert check_sentence("Channels matter [2].", PASSAGES[1]) == (True, ("matter",))
    assert check_sentence("Channels matter greatly [2].", PASSAGES[1])[0] is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The passages do not answer this question.", True),
        ("The articles don't mention the date.", True),
        ("The provided context does not say who won.", True),
        ("Qin did not answer Blinken's call [1].", False),
        ("Blinken would push for talks [2].", False),
    ],
)
def test_declines(text: str, expected: bool) -> None:
    assert declines(text) is expected


def test_check_answer_drops_bad_markers_and_flags_sentences() -> None:
    raw = (
        "Qin Gang urged the United States to stop meddling [1]. "
        "Blinken would push for open channels [2][7]. "
        "China agreed to a new trade deal [3]. "
        "This was widely reported."
    )
    report = check_answer(raw, PASSAGES)
    assert report.dropped == (7,)
    assert "[7]" not in report.text
    assert [s.markers for s in report.sentences] == [(1,), (2,), (3,), ()]
    assert [s.supported for s in report.sentences] == [True, True, False, False]
    assert report.unsupported == (2, 3)
    assert report.cited == (1, 2, 3)
    assert "trade" in report.sentences[2].missing


def test_check_answer_reads_a_sentence_against_its_own_citations_only() -> None:
    # the words are in passage 1, but the sentence cites passage 2
    report = check_answer("Qin Gang urged the United States to stop meddling [2].", PASSAGES)
    assert report.unsupported == (0,)
    both = check_answer("Qin Gang urged the United States to stop meddling [2][1].", PASSAGES)
    assert both.unsupported == ()


def test_check_answer_with_no_markers_cites_nothing() -> None:
    report = check_answer("Blinken would push to establish open channels.", PASSAGES)
    assert report.cited == ()
    assert report.unsupported == (0,)
