"""Bad input to the service API gets one clear error (issue 16): as_of with trailing
junk, a history that is not a list, and feedback that would grow without bound."""

from __future__ import annotations

import json
from datetime import date

import pytest

from qa import Answer, NewsDesk, QuestionError
from qa.service import MAX_COMMENT_CHARS, MAX_FEEDBACK_BYTES, _as_date, _turns


@pytest.mark.parametrize(
    "value", ["2023-06-14garbage", "2023-06-14 trailing junk", "20230614x", "2023-6-14", "junk"]
)
def test_as_of_with_anything_but_a_date_is_refused(value: str) -> None:
    with pytest.raises(QuestionError, match="as_of must be a date like 2023-06-14"):
        _as_date(value)


@pytest.mark.parametrize(
    ("value", "day"),
    [("2023-06-14", date(2023, 6, 14)), ("2023-06-14T09:30:00Z", date(2023, 6, 14)), ("", None)],
)
def test_as_of_takes_a_date_or_a_timestamp(value: str, day: date | None) -> None:
    assert _as_date(value) == day


@pytest.mark.parametrize("history", [5, "q a", {"q": "a"}, [5], [["only one"]]])
def test_a_history_that_is_not_pairs_is_refused(history: object) -> None:
    with pytest.raises(QuestionError, match=r"history must be a list of \[question, answer\]"):
        _turns(history)  # type: ignore[arg-type]


def answer() -> Answer:
    return Answer(question="Who?", text="Nobody.", citations=(), abstained=True)


def test_a_long_comment_is_refused_and_nothing_is_written(empty_desk: NewsDesk) -> None:
    with pytest.raises(QuestionError, match="the limit is 2,000: shorten it"):
        empty_desk.record_feedback(answer(), "up", "x" * (MAX_COMMENT_CHARS + 1))
    assert not empty_desk.feedback_path.exists()
    empty_desk.record_feedback(answer(), "up", "x" * MAX_COMMENT_CHARS)
    assert json.loads(empty_desk.feedback_path.read_text())["comment"] == "x" * 2_000


def test_feedback_stops_at_its_size_cap_with_a_message(empty_desk: NewsDesk) -> None:
    empty_desk.feedback_path.write_bytes(b"x" * (MAX_FEEDBACK_BYTES - 100) + b"\n")
    size = empty_desk.feedback_path.stat().st_size
    with pytest.raises(QuestionError, match=r"has reached its 10 MB limit.*move the file aside"):
        empty_desk.record_feedback(answer(), "down", "a comment")
    assert empty_desk.feedback_path.stat().st_size == size
