"""Question sets: the JSONL format, its errors, the feedback file, and the seed sets."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import pytest

from evaluation import (
    EvalQuestion,
    QuestionSetError,
    load_questions,
    parse_question_lines,
    question_from_feedback,
)
from evaluation import questions as questions_module
from evaluation.metrics import contains_answer
from index.readers import read_paths
from index.records import Article, text_hash
from qa import NewsDesk

ROOT = Path(__file__).resolve().parents[2]
SEED_ARTICLE = ROOT / "seeds" / "000_08dd639a47279972.txt"
QUESTIONS = ROOT / "seeds" / "questions.jsonl"
CALIBRATION = ROOT / "seeds" / "calibration.jsonl"


def _seed_article() -> Article:
    return next(a for a in read_paths([SEED_ARTICLE]) if isinstance(a, Article))


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(questions_module)
    assert result.attempted >= 3
    assert result.failed == 0


def test_a_full_question_line_round_trips(tmp_path: Path) -> None:
    line = {
        "id": "q1",
        "question": "When is Blinken visiting?",
        "history": [["Who is Blinken?", "The Secretary of State."]],
        "as_of": "2023-06-14",
        "answerable": True,
        "expected_answers": ["June 16"],
        "expected_quotes": ["between June 16 and June 21"],
        "gold_article_ids": ["4d476bd2c3c5b8d7"],
    }
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(line) + "\n\n", encoding="utf-8")
    assert load_questions(path) == [
        EvalQuestion(
            id="q1",
            question="When is Blinken visiting?",
            history=(("Who is Blinken?", "The Secretary of State."),),
            as_of="2023-06-14",
            answerable=True,
            expected_answers=("June 16",),
            expected_quotes=("between June 16 and June 21",),
            gold_article_ids=("4d476bd2c3c5b8d7",),
        )
    ]


def test_history_may_be_objects_and_answerable_defaults_to_true() -> None:
    [q] = parse_question_lines(
        ['{"id": 3, "question": "And then?", "history": [{"question": "a?", "answer": "b."}]}']
    )
    assert (q.id, q.history, q.answerable, q.as_of) == ("3", (("a?", "b."),), True, None)


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"question": "Who?"}', '"id" is missing'),
        ('{"id": "a", "question": "  "}', '"question" must be a non-empty string'),
        ('{"id": "a", "question": "Who?", "answerable": "no"}', '"answerable" must be true'),
        ('{"id": "a", "question": "Who?", "as_of": "14/06/2023"}', '"as_of" must be a date'),
        ('{"id": "a", "question": "Who?", "history": [["only one"]]}', '"history" must be'),
        ('{"id": "a", "question": "Who?", "expected_answers": [""]}', '"expected_answers"'),
        ('{"id": "a", "question": "Who?", "gold_ids": ["x"]}', "unknown key(s) gold_ids"),
        ('{"question": "Who?", "verdict": "meh"}', '"verdict" must be "up" or "down"'),
    ],
)
def test_a_bad_line_is_reported_with_its_line_number(line: str, complaint: str) -> None:
    good = '{"id": "ok", "question": "Fine?"}'
    with pytest.raises(QuestionSetError) as caught:
        parse_question_lines([good, line], origin="set.jsonl")
    message = str(caught.value)
    assert "set.jsonl:2:" in message
    assert complaint in message
    assert "set.jsonl:1" not in message


def test_duplicate_ids_and_every_bad_line_are_listed() -> None:
    lines = ['{"id": "a", "question": "x?"}', '{"id": "a", "question": "y?"}', "oops"]
    with pytest.raises(QuestionSetError, match=r"2 bad line\(s\)") as caught:
        parse_question_lines(lines, origin="s")
    assert "s:2: id 'a' already used on line 1" in str(caught.value)
    assert "s:3: not valid JSON" in str(caught.value)


def test_missing_and_empty_files_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(QuestionSetError, match="no question file at"):
        load_questions(tmp_path / "nope.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(QuestionSetError, match="holds no questions"):
        load_questions(tmp_path / "empty.jsonl")


@pytest.mark.parametrize(
    ("verdict", "abstained", "answerable"),
    [("up", False, True), ("up", True, False), ("down", True, True), ("down", False, None)],
)
def test_feedback_votes_become_questions(
    verdict: str, abstained: bool, answerable: bool | None
) -> None:
    citations = [] if abstained else [{"marker": 1, "quote": "Qin Gang", "article_id": "a1"}]
    record = {
        "question": "Who is the foreign minister?",
        "history": [["Who called?", "Qin did. [1]"]],
        "answer": "The articles do not answer this." if abstained else "Qin Gang. [1]",
        "abstained": abstained,
        "citations": citations,
        "verdict": verdict,
        "comment": "checked",
    }
    q = question_from_feedback(record, "feedback-7")
    assert q.id == "feedback-7"
    assert q.answerable is answerable
    assert q.history == (("Who called?", "Qin did. [1]"),)
    assert q.note == f"feedback {verdict}: checked"
    if verdict == "up" and not abstained:
        assert q.expected_answers == ("Qin Gang.", "Qin Gang")
        assert q.expected_quotes == ("Qin Gang",)
        assert q.gold_article_ids == ("a1",)
    else:
        assert (q.expected_answers, q.expected_quotes, q.gold_article_ids) == ((), (), ())


@pytest.mark.model
def test_the_feedback_file_the_service_writes_loads_as_questions(
    seed_desk: NewsDesk, empty_desk: NewsDesk
) -> None:
    answered = seed_desk.ask("What did Kritenbrink say about expectations?")
    declined = seed_desk.ask("What is the population of Beijing?")
    assert not answered.abstained and declined.abstained
    # the empty desk only hosts the feedback file, so the shared seed index stays untouched
    empty_desk.record_feedback(answered, "up", comment="right")
    empty_desk.record_feedback(declined, "up")
    empty_desk.record_feedback(answered, "down", history=[("Who?", "Kritenbrink.")])
    first, second, third = load_questions(empty_desk.feedback_path)
    assert [q.id for q in (first, second, third)] == ["feedback-1", "feedback-2", "feedback-3"]
    assert first.answerable is True
    assert first.expected_quotes == tuple(c.quote for c in answered.citations)
    assert first.gold_article_ids == (answered.citations[0].article_id,)
    assert second.answerable is False
    assert third.answerable is None
    assert third.history == (("Who?", "Kritenbrink."),)


# -- the seed question sets -------------------------------------------------------


def test_the_seed_article_id_is_the_hash_of_its_text() -> None:
    article = _seed_article()
    assert article.id == text_hash(article.text) == "4d476bd2c3c5b8d7"


@pytest.mark.parametrize("path", [QUESTIONS, CALIBRATION], ids=["questions", "calibration"])
def test_seed_sets_are_about_the_seed_article(path: Path) -> None:
    article = _seed_article()
    for q in load_questions(path):
        assert q.as_of == "2023-06-14", q.id
        for quote in q.expected_quotes:
            assert quote in article.text, (q.id, quote)
        if q.answerable:
            assert q.expected_answers and q.gold_article_ids == (article.id,), q.id
            # an expected answer an extractive answer can contain: it is in the article
            assert contains_answer(article.text, q.expected_answers), q.id
        else:
            assert not (q.expected_answers or q.expected_quotes or q.gold_article_ids), q.id


def test_the_seed_question_set_has_the_required_mix() -> None:
    questions = load_questions(QUESTIONS)
    unanswerable = [q for q in questions if q.answerable is False]
    assert len(questions) >= 40
    assert len(unanswerable) >= 12
    assert sum(1 for q in questions if q.history) >= 4
    assert sum(1 for q in questions if q.id.startswith("who-")) >= 4
    assert sum(1 for q in questions if len(q.expected_quotes) >= 2) >= 3


def test_the_calibration_set_is_balanced_and_disjoint_from_the_questions() -> None:
    questions = load_questions(QUESTIONS)
    calibration = load_questions(CALIBRATION)
    unanswerable = sum(1 for q in calibration if q.answerable is False)
    assert 25 <= len(calibration) <= 40
    assert abs(unanswerable - (len(calibration) - unanswerable)) <= 2
    assert not {q.id for q in questions} & {q.id for q in calibration}
    asked = {_norm(q.question) for q in questions}
    for q in calibration:
        assert _norm(q.question) not in asked, q.id


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.replace("’", "").lower()).split())


def test_the_public_surface_is_listed() -> None:
    import evaluation

    public = {n for n in vars(evaluation) if not n.startswith("_")}
    modules = {"errors", "gate", "metrics", "questions", "realtimeqa", "report", "runner"}
    assert set(evaluation.__all__) == public - modules
