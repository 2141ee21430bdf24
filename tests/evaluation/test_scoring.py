"""Scoring one answer, pooling a run, the gate and the report, on literal records."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest

from evaluation import (
    EvalQuestion,
    EvalRun,
    GateError,
    check_gate,
    load_gate,
    overall_metrics,
    score_question,
    write_report,
)
from evaluation import gate as gate_module
from evaluation.report import render_summary
from qa import Answer, ArticleRef, Citation

ARTICLE = "Qin Gang called Blinken. Blinken travels June 16. It was tense."
TEXTS: dict[str, str | None] = {"a1": ARTICLE}


def _cite(marker: int, start: int, end: int, quote: str | None = None) -> Citation:
    return Citation(
        marker=marker,
        article=ArticleRef("a1", "T"),
        quote=ARTICLE[start:end] if quote is None else quote,
        start=start,
        end=end,
        score=1.0,
    )


def _answer(text: str, citations: tuple[Citation, ...], abstained: bool = False) -> Answer:
    return Answer(question="q", text=text, citations=citations, abstained=abstained)


WHEN = EvalQuestion(
    id="when",
    question="When does Blinken travel?",
    expected_answers=("June 16",),
    expected_quotes=("travels June 16",),
    gold_article_ids=("a1",),
)
NEVER = EvalQuestion(id="never", question="Population of Beijing?", answerable=False)


def test_the_answer_is_cited_only_inside_a_quote() -> None:
    cited = _answer("Blinken travels June 16. [1]", (_cite(1, 25, 49),))
    scores = score_question(WHEN, cited, ["a1"], TEXTS, 1.0).scores
    assert scores["answer_cited"] == scores["gold_cited"] == 1.0
    # the answer's words hold the date, but the quote it cites does not
    uncited = _answer("Blinken travels June 16. [1]", (_cite(1, 0, 24),))
    scores = score_question(WHEN, uncited, ["a1"], TEXTS, 1.0).scores
    assert scores["answer_containment"] == 1.0
    assert scores["answer_cited"] == 0.0
    # the right words from an article that is not gold: cited, but not from gold
    elsewhere = EvalQuestion("w", "When?", expected_answers=("June 16",), gold_article_ids=("b",))
    scores = score_question(elsewhere, cited, ["a1"], TEXTS, 1.0).scores
    assert (scores["answer_cited"], scores["gold_cited"]) == (1.0, 0.0)
    assert score_question(NEVER, cited, ["a1"], TEXTS, 1.0).scores["answer_cited"] is None


def test_the_first_sentence_is_scored_for_the_answer_on_its_own() -> None:
    first = _answer("Blinken travels June 16. [1] Qin Gang called Blinken. [2]", (
        _cite(1, 25, 49), _cite(2, 0, 24)))  # fmt: skip
    assert score_question(WHEN, first, ["a1"], TEXTS, 1.0).scores["answer_first_sentence"] == 1.0
    second = _answer("Qin Gang called Blinken. [1] Blinken travels June 16. [2]", (
        _cite(1, 0, 24), _cite(2, 25, 49)))  # fmt: skip
    scores = score_question(WHEN, second, ["a1"], TEXTS, 1.0).scores
    assert (scores["answer_containment"], scores["answer_first_sentence"]) == (1.0, 0.0)
    declined = _answer("The indexed articles do not answer this question.", (), abstained=True)
    assert score_question(WHEN, declined, ["a1"], TEXTS, 1.0).scores["answer_first_sentence"] == 0
    assert score_question(NEVER, first, ["a1"], TEXTS, 1.0).scores["answer_first_sentence"] is None


def test_a_good_answer_passes_everything() -> None:
    answer = _answer("Blinken travels June 16. [1]", (_cite(1, 25, 49),))
    result = score_question(WHEN, answer, ["a1", "b"], TEXTS, 12.0)
    assert result.failures == ()
    scores = result.scores
    assert scores["hit@1"] == scores["mrr"] == scores["answer_containment"] == 1.0
    assert scores["citation_exactness"] == scores["citation_support"] == 1.0
    assert scores["expected_quote_coverage"] == 1.0
    assert scores["abstained"] == 0.0


def test_each_kind_of_failure_is_named() -> None:
    answer = _answer(
        "It was tense. [1] Qin Gang called Blinken. [7] Nothing else.",
        (_cite(1, 50, 63), _cite(2, 0, 9, quote="Qin  Gang")),
    )
    result = score_question(WHEN, answer, ["b", "c", "d", "e", "f", "a1"], TEXTS, 5.0)
    why = "\n".join(result.failures)
    assert "the answer contains none of the expected answers" in why
    assert "quote differs from the article text at its offsets: [2]" in why
    assert "expected quote(s) not cited: 'travels June 16'" in why
    assert "2 of 3 answer sentences uncited" in why
    assert "no gold article in the top 5 passages" in why
    assert result.scores["citation_exactness"] == 0.5
    assert result.scores["citation_support"] == pytest.approx(1 / 3)
    assert result.scores["mrr"] == pytest.approx(1 / 6)


def test_a_citation_of_an_unknown_article_is_inexact() -> None:
    answer = _answer("Blinken travels June 16. [1]", (_cite(1, 25, 49),))
    result = score_question(WHEN, answer, ["a1"], {}, 5.0)
    assert result.inexact == ("[1]",)


def test_abstentions_are_scored_against_answerability() -> None:
    declined = _answer("The articles do not answer this.", (), abstained=True)
    right = score_question(NEVER, declined, [], TEXTS, 3.0)
    wrong = score_question(WHEN, declined, [], TEXTS, 3.0)
    answered = score_question(
        NEVER, _answer("It was tense. [1]", (_cite(1, 50, 63),)), [], TEXTS, 3.0
    )
    assert right.failures == ()
    assert right.scores["hit@5"] is None  # no retrieval score for an unanswerable question
    assert "abstained on an answerable question" in wrong.failures
    assert wrong.scores["answer_containment"] == 0.0
    assert "answered a question the articles cannot answer" in answered.failures
    metrics, counts = overall_metrics([right, wrong, answered])
    assert metrics["abstention_precision"] == 0.5  # 2 abstained, 1 rightly
    assert metrics["abstention_recall"] == 0.5  # 2 unanswerable, 1 declined
    assert counts["abstention_precision"] == 2 and counts["abstention_recall"] == 2


def test_a_refused_question_counts_as_no_answer() -> None:
    result = score_question(WHEN, None, [], TEXTS, 1.0, error="question is empty")
    assert result.abstained
    assert result.failures[0] == "the service refused the question: question is empty"
    assert result.scores["answer_containment"] == 0.0


def test_overall_metrics_pool_quotes_and_sentences() -> None:
    good = score_question(
        WHEN, _answer("Blinken travels June 16. [1]", (_cite(1, 25, 49),)), ["a1"], TEXTS, 10.0
    )
    mixed = score_question(
        WHEN,
        _answer(
            "It was tense. [1] Qin called. [2] More.",
            (_cite(1, 50, 63), _cite(2, 0, 3, quote="Qin Gang")),
        ),
        ["x", "a1"],
        TEXTS,
        30.0,
    )
    metrics, counts = overall_metrics([good, mixed])
    assert metrics["hit@1"] == 0.5 and metrics["hit@5"] == 1.0
    assert metrics["mrr"] == pytest.approx(0.75)
    assert metrics["citation_exactness"] == pytest.approx(2 / 3)  # [2] spans "Qin" only
    assert counts["citation_exactness"] == 3
    assert metrics["citation_support"] == pytest.approx(3 / 4)  # 4 sentences, 3 cited
    assert metrics["latency_p50_ms"] == 20.0
    assert metrics["abstention_precision"] is None  # nothing abstained: not a score


def test_overall_metrics_of_nothing_are_all_unmeasured() -> None:
    metrics, counts = overall_metrics([])
    assert all(value is None for value in metrics.values())
    assert counts["questions"] == 0


# -- gate --------------------------------------------------------------------------


def test_gate_docstring_examples_hold() -> None:
    assert doctest.testmod(gate_module).failed == 0


def test_gate_checks_floors_and_latency_ceilings() -> None:
    metrics = {"answer_containment": 0.9, "citation_exactness": 1.0, "latency_p95_ms": 500.0}
    assert check_gate(metrics, {"answer_containment": 0.9, "citation_exactness": 1.0}) == []
    assert check_gate({"answer_containment": 27 / 30}, {"answer_containment": 0.9}) == []
    failures = check_gate(metrics, {"answer_containment": 0.95, "latency_p95_ms": 400})
    assert failures == [
        "answer_containment = 0.900, below the threshold 0.950",
        "latency_p95_ms = 500.000, above the ceiling 400.000",
    ]


def test_gate_files_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "gate.json"
    known = frozenset(overall_metrics([])[0])
    path.write_text('{"_why": "floors", "hit@5": 1, "latency_p95_ms": 400}', encoding="utf-8")
    assert load_gate(path, known) == {"hit@5": 1.0, "latency_p95_ms": 400.0}
    path.write_text('{"answer_containmnet": 0.9}', encoding="utf-8")
    with pytest.raises(GateError, match="unknown metric 'answer_containmnet'; known: "):
        load_gate(path, known)
    path.write_text('{"hit@5": "high"}', encoding="utf-8")
    with pytest.raises(GateError, match="must be a number"):
        load_gate(path, known)
    path.write_text("[0.9]", encoding="utf-8")
    with pytest.raises(GateError, match="JSON object"):
        load_gate(path, known)
    with pytest.raises(GateError, match="no gate file"):
        load_gate(tmp_path / "missing.json")


def test_the_seed_gate_names_only_known_metrics() -> None:
    seed_gate = Path(__file__).resolve().parents[2] / "seeds" / "eval_gate.json"
    thresholds = load_gate(seed_gate, frozenset(overall_metrics([])[0]))
    assert thresholds["citation_exactness"] == 1.0
    assert {"answer_containment", "abstention_precision", "abstention_recall"} <= set(thresholds)


# -- report ------------------------------------------------------------------------


def _run(label: str) -> EvalRun:
    results = [
        score_question(
            WHEN, _answer("Blinken travels June 16. [1]", (_cite(1, 25, 49),)), ["a1"], TEXTS, 9.0
        ),
        score_question(NEVER, _answer("It was tense. [1]", (_cite(1, 50, 63),)), [], TEXTS, 14.0),
        score_question(
            EvalQuestion(id="vote", question="Who?", answerable=None, note="feedback down: no"),
            _answer("Qin Gang called Blinken. [1]", (_cite(1, 0, 24),)),
            [],
            TEXTS,
            11.0,
        ),
    ]
    metrics, counts = overall_metrics(results)
    return EvalRun(label, tuple(results), metrics, counts, {"retrieval": label}, 1.5)


def test_the_summary_lists_failed_questions_with_expected_and_got() -> None:
    summary = render_summary([_run("hybrid")], title="Seed", command="newsdesk eval q.jsonl")
    assert summary.startswith("# Seed\n")
    assert "newsdesk eval q.jsonl" in summary
    assert "| answer_containment | 1.000 | 1 |" in summary
    failed = summary.split("## Failed questions (hybrid): 1 of 3", 1)[1]
    assert "### never: Population of Beijing?" in failed
    assert "- Expected: an abstention" in failed
    assert "- Got: an answer: It was tense. [1]" in failed
    assert "- Why: answered a question the articles cannot answer" in failed
    assert "### when" not in failed.split("## To review")[0]
    assert "### vote: Who?" in failed.split("## To review")[1]


def test_write_report_writes_json_markdown_and_plots(tmp_path: Path) -> None:
    runs = [_run("hybrid"), _run("dense")]
    paths = write_report(runs, tmp_path / "out", title="Both", command="newsdesk realtimeqa")
    assert [p.name for p in paths] == ["report.json", "summary.md", "metrics.png", "latency.png"]
    report = json.loads(paths[0].read_text(encoding="utf-8"))
    assert [run["label"] for run in report["runs"]] == ["hybrid", "dense"]
    first = report["runs"][0]["questions"][0]
    assert first["id"] == "when" and first["failures"] == []
    assert first["answer"]["citations"][0]["quote"] == "Blinken travels June 16."
    assert report["runs"][0]["metrics"]["latency_p50_ms"] == 11.0
    assert "| metric | hybrid | dense | over |" in paths[1].read_text(encoding="utf-8")
    for png in paths[2:]:
        assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert png.stat().st_size > 5000
