"""The harness end to end: the seed set through the real service, and `newsdesk eval`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation import EvalQuestion, QuestionResult, evaluate, load_questions, write_report
from qa import NewsDesk
from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED_ARTICLE = ROOT / "seeds" / "000_08dd639a47279972.txt"
QUESTIONS = ROOT / "seeds" / "questions.jsonl"
SEED_ID = "4d476bd2c3c5b8d7"

pytestmark = pytest.mark.model


def test_the_seed_set_runs_through_the_service(seed_desk: NewsDesk, tmp_path: Path) -> None:
    questions = load_questions(QUESTIONS)
    seen: list[QuestionResult] = []
    run = evaluate(seed_desk, questions, label="seed", progress=seen.append)
    assert [r.question.id for r in run.results] == [q.id for q in questions]
    assert seen == list(run.results)
    answerable = [q for q in questions if q.answerable]
    assert run.counts["answer_containment"] == len(answerable)
    assert run.counts["abstention_recall"] == len(questions) - len(answerable)
    # one article in the index: every answerable question retrieves it first
    assert run.metrics["hit@1"] == run.metrics["mrr"] == 1.0
    for result in run.results:
        assert result.latency_ms > 0
        if result.question.answerable:
            assert result.retrieved_article_ids[0] == SEED_ID, result.question.id
        else:
            assert result.retrieved_article_ids == ()
        assert result.answer is not None and result.error == ""
    assert run.counts["citation_exactness"] > len(answerable)  # citations and related
    assert run.metrics["citation_exactness"] == 1.0, [r.inexact for r in run.results]
    for name in ("answer_containment", "abstention_precision", "abstention_recall"):
        value = run.metrics[name]
        assert value is not None and 0.0 <= value <= 1.0
    assert run.settings["retrieval"] == "hybrid"
    summary = write_report([run], tmp_path, title="Seed")[1].read_text(encoding="utf-8")
    assert f"## Failed questions (seed): {len(run.failed)} of {len(questions)}" in summary
    for result in run.failed:
        assert f"### {result.question.id}: " in summary


def test_a_follow_up_is_retrieved_as_the_service_resolved_it(seed_desk: NewsDesk) -> None:
    follow_up = EvalQuestion(
        id="f",
        question="What else did he say?",
        history=(("What did Kurt Campbell say?", "Campbell spoke of communication. [1]"),),
        expected_answers=("lines of communication",),
        gold_article_ids=(SEED_ID,),
    )
    [result] = evaluate(seed_desk, [follow_up]).results
    assert result.answer is not None
    assert result.answer.standalone_question != follow_up.question
    assert result.retrieved_article_ids[:1] == (SEED_ID,)


# -- the command line ----------------------------------------------------------------

SMALL_SET = [
    {
        "id": "expectations",
        "question": "What did Kritenbrink say about expectations?",
        "expected_answers": ["breakthrough"],
        "gold_article_ids": [SEED_ID],
    },
    {"id": "population", "question": "What is the population of Beijing?", "answerable": False},
    {
        "id": "impossible",
        "question": "When is Blinken visiting?",
        "expected_answers": ["a phrase the article never uses"],
        "gold_article_ids": [SEED_ID],
    },
]


@pytest.fixture(scope="module")
def small_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("eval") / "small.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in SMALL_SET), encoding="utf-8")
    return path


def _gate(directory: Path, thresholds: dict[str, float]) -> Path:
    path = directory / "gate.json"
    path.write_text(json.dumps(thresholds), encoding="utf-8")
    return path


def test_eval_passes_a_gate_it_meets(
    small_set: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = tmp_path / "index"
    assert main(["ingest", str(SEED_ARTICLE), "--index", str(index), "--quiet"]) == 0
    gate = _gate(tmp_path, {"citation_exactness": 1.0, "latency_p95_ms": 60_000})
    report = tmp_path / "report"
    argv = ["eval", str(small_set), "--index", str(index), "--report", str(report)]
    code = main([*argv, "--gate", str(gate), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"gate {gate} passed (2 thresholds)" in out
    assert "| citation_exactness | 1.000 |" in out
    assert sorted(p.name for p in report.iterdir()) == [
        "latency.png",
        "metrics.png",
        "report.json",
        "summary.md",
    ]
    data = json.loads((report / "report.json").read_text(encoding="utf-8"))
    [run] = data["runs"]
    assert [q["id"] for q in run["questions"]] == ["expectations", "population", "impossible"]
    assert data["command"] == (
        f"newsdesk eval {small_set} --gate {gate} --index {index} --report {report}"
    )


def test_eval_fails_a_gate_it_misses_and_names_each_metric(
    small_set: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gate = _gate(
        tmp_path,
        {"citation_exactness": 1.0, "answer_containment": 0.9, "latency_p50_ms": 0.001},
    )
    # no --index: the corpus goes into a temporary index
    argv = ["eval", str(small_set), "--corpus", str(SEED_ARTICLE), "--gate", str(gate)]
    code = main([*argv, "--report", str(tmp_path / "report"), "--quiet"])
    out = capsys.readouterr().out
    assert code == 1
    failing = out.split(f"gate {gate} failed:\n", 1)[1].splitlines()
    assert len(failing) == 2
    # "impossible" cannot contain its expected answer, so containment is at most 1/2
    assert failing[0].startswith("  answer_containment = ")
    assert failing[0].endswith("below the threshold 0.900")
    assert failing[1].startswith("  latency_p50_ms = ")
    assert "above the ceiling 0.001" in failing[1]
    summary = (tmp_path / "report" / "summary.md").read_text(encoding="utf-8")
    assert "### impossible: When is Blinken visiting?" in summary
    assert "'a phrase the article never uses'" in summary


def test_a_bad_gate_stops_before_anything_runs(
    small_set: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gate = _gate(tmp_path, {"answer_accuracy": 0.9})
    code = main(["eval", str(small_set), "--index", str(tmp_path / "none"), "--gate", str(gate)])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown metric 'answer_accuracy'" in err
    assert not (tmp_path / "none").exists()
