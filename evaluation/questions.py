"""Question sets: read and check JSONL test questions, or the web chat's feedback votes.

A question line (every key but `id` and `question` optional):

    {"id": "blinken-dates", "question": "When is Blinken visiting?",
     "history": [["earlier question", "earlier answer"]], "as_of": "2023-06-14",
     "answerable": true, "expected_answers": ["June 16"],
     "expected_quotes": ["between June 16 and June 21"],
     "gold_article_ids": ["4d476bd2c3c5b8d7"]}

A feedback line, as `NewsDesk.record_feedback` writes it, is recognised by its
`verdict` key and turned into a question by `question_from_feedback`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from evaluation.errors import QuestionSetError
from evaluation.metrics import strip_markers

_MAX_LISTED_PROBLEMS = 10
_QUESTION_KEYS = frozenset(
    (
        "id",
        "question",
        "history",
        "as_of",
        "answerable",
        "expected_answers",
        "expected_quotes",
        "gold_article_ids",
        "note",
    )
)


@dataclass(frozen=True)
class EvalQuestion:
    """One test question and what a good answer to it looks like."""

    id: str
    question: str
    history: tuple[tuple[str, str], ...] = ()  # earlier (question, answer) turns, oldest first
    as_of: str | None = None  # ISO date the question is asked on
    # False: the corpus cannot answer it, so the service should abstain;
    # None: not known (a down-voted answer says it was wrong, not what is right)
    answerable: bool | None = True
    expected_answers: tuple[str, ...] = ()  # any one, contained in the answer, counts
    expected_quotes: tuple[str, ...] = ()  # article substrings a citation should cover
    gold_article_ids: tuple[str, ...] = ()  # the articles that answer it
    note: str = ""  # free text shown in the report (a feedback comment, a source)


def load_questions(path: str | Path) -> list[EvalQuestion]:
    """Read a question set, or a feedback file, from a JSONL file.

    Args:
        path: a `.jsonl` file of question lines or feedback lines (they may mix).

    Raises:
        QuestionSetError: the file cannot be read, or some lines are bad; the
            message lists them with their line numbers. No question is dropped
            silently, since that would change what the scores mean.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise QuestionSetError(f"no question file at {path}; check the path") from None
    except (OSError, UnicodeDecodeError) as error:
        raise QuestionSetError(f"cannot read question file {path}: {error}") from None
    return parse_question_lines(lines, origin=str(path))


def parse_question_lines(lines: Iterable[str], origin: str = "<questions>") -> list[EvalQuestion]:
    """Questions from JSONL lines; blank lines are skipped, bad ones reported together.

    >>> [q.id for q in parse_question_lines(['{"id": "a", "question": "Who?"}', ""])]
    ['a']
    """
    questions: list[EvalQuestion] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"{where}: not valid JSON ({error.msg} at column {error.colno})")
            continue
        try:
            if isinstance(record, dict) and "verdict" in record:
                question = question_from_feedback(record, f"feedback-{number}")
            else:
                question = question_from_record(record)
        except QuestionSetError as error:
            problems.append(f"{where}: {error}")
            continue
        if question.id in seen:
            problems.append(f"{where}: id {question.id!r} already used on line {seen[question.id]}")
            continue
        seen[question.id] = number
        questions.append(question)
    if problems:
        listed = "\n  ".join(problems[:_MAX_LISTED_PROBLEMS])
        more = len(problems) - _MAX_LISTED_PROBLEMS
        tail = f"\n  ... and {more} more" if more > 0 else ""
        raise QuestionSetError(f"{len(problems)} bad line(s); fix them:\n  {listed}{tail}")
    if not questions:
        raise QuestionSetError(f"{origin} holds no questions; write one JSON object per line")
    return questions


def question_from_record(record: Any) -> EvalQuestion:
    """An `EvalQuestion` from one decoded question line, checked field by field.

    >>> question_from_record({"id": 7, "question": " Who? ", "answerable": False})
    EvalQuestion(id='7', question='Who?', history=(), as_of=None, answerable=False, \
expected_answers=(), expected_quotes=(), gold_article_ids=(), note='')
    """
    if not isinstance(record, dict):
        raise QuestionSetError('each line must be a JSON object with "id" and "question"')
    unknown = sorted(set(record) - _QUESTION_KEYS)
    if unknown:
        raise QuestionSetError(
            f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_QUESTION_KEYS))}"
        )
    raw_id = record.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or not str(raw_id).strip():
        raise QuestionSetError('"id" is missing; give each question a unique "id"')
    answerable = record.get("answerable", True)
    if not isinstance(answerable, bool):
        raise QuestionSetError('"answerable" must be true or false')
    note = record.get("note", "")
    if not isinstance(note, str):
        raise QuestionSetError('"note" must be a string')
    return EvalQuestion(
        id=str(raw_id).strip(),
        question=_question_text(record.get("question")),
        history=_history(record.get("history", [])),
        as_of=_as_of(record.get("as_of")),
        answerable=answerable,
        expected_answers=_strings(record, "expected_answers"),
        expected_quotes=_strings(record, "expected_quotes"),
        gold_article_ids=_strings(record, "gold_article_ids"),
        note=note,
    )


def question_from_feedback(record: Mapping[str, Any], default_id: str) -> EvalQuestion:
    """A test question from one vote of the web chat's `feedback.jsonl`.

    - "up" on an answer: answerable; the approved answer (markers removed) and
      each cited quote are expected answers (any one counts), the cited quotes
      are expected quotes and the cited articles are gold, so the vote becomes a
      regression test that passes while the service keeps giving that evidence.
    - "up" on an abstention: unanswerable.
    - "down" on an abstention: answerable, with nothing known of the answer.
    - "down" on an answer: unknown (`answerable=None`): the answer was wrong, or
      the question should have been declined; the report lists it for review.

    >>> q = question_from_feedback({"question": "Who?", "answer": "Qin [1]", "verdict": "up",
    ...     "citations": [{"quote": "Qin Gang", "article_id": "a1"}]}, "f1")
    >>> q.answerable, q.expected_answers, q.expected_quotes, q.gold_article_ids
    (True, ('Qin', 'Qin Gang'), ('Qin Gang',), ('a1',))
    """
    verdict = record.get("verdict")
    if verdict not in ("up", "down"):
        raise QuestionSetError(f'"verdict" must be "up" or "down", got {verdict!r}')
    raw_answer = record.get("answer", "")
    answer = raw_answer if isinstance(raw_answer, Mapping) else {"text": raw_answer}
    text = answer.get("text", "")
    if not isinstance(text, str):
        raise QuestionSetError('"answer" must be the answer text or an object with "text"')
    raw_citations = record.get("citations", answer.get("citations", []))
    if not isinstance(raw_citations, list) or not all(
        isinstance(c, Mapping) for c in raw_citations
    ):
        raise QuestionSetError('"citations" must be a list of objects')
    quotes = tuple(
        dict.fromkeys(c["quote"] for c in raw_citations if isinstance(c.get("quote"), str))
    )
    articles = tuple(
        dict.fromkeys(
            c["article_id"] for c in raw_citations if isinstance(c.get("article_id"), str)
        )
    )
    abstained = record.get("abstained", answer.get("abstained", not raw_citations))
    if not isinstance(abstained, bool):
        raise QuestionSetError('"abstained" must be true or false')
    comment = record.get("comment", "")
    note = f"feedback {verdict}" + (f": {comment}" if isinstance(comment, str) and comment else "")
    base = EvalQuestion(
        id=str(record.get("id") or default_id),
        question=_question_text(record.get("question")),
        history=_history(record.get("history", [])),
        as_of=_as_of(record.get("as_of")),
        note=note,
    )
    if verdict == "up" and abstained:
        return replace(base, answerable=False)
    if verdict == "up":
        approved = strip_markers(text)
        expected = tuple(dict.fromkeys(a for a in (approved, *quotes) if a))
        return replace(
            base,
            answerable=True,
            expected_answers=expected,
            expected_quotes=quotes,
            gold_article_ids=articles,
        )
    return replace(base, answerable=True if abstained else None)


def _question_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise QuestionSetError('"question" must be a non-empty string')
    return value.strip()


def _history(value: Any) -> tuple[tuple[str, str], ...]:
    """`[[q, a], ...]` or `[{"question": q, "answer": a}, ...]` as (q, a) pairs."""
    if not isinstance(value, list):
        raise QuestionSetError('"history" must be a list of [question, answer] pairs')
    turns: list[tuple[str, str]] = []
    for turn in value:
        if isinstance(turn, Mapping):
            turn = [turn.get("question"), turn.get("answer")]
        if (
            not isinstance(turn, list | tuple)
            or len(turn) != 2
            or not all(isinstance(part, str) for part in turn)
        ):
            raise QuestionSetError('"history" must be a list of [question, answer] pairs')
        turns.append((turn[0], turn[1]))
    return tuple(turns)


def _as_of(value: Any) -> str | None:
    if value is None:
        return None
    try:
        if isinstance(value, str):
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise QuestionSetError(f'"as_of" must be a date written YYYY-MM-DD, got {value!r}')


def _strings(record: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = record.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise QuestionSetError(f'"{key}" must be a list of non-empty strings')
    return tuple(value)
