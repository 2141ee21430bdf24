"""Write an evaluation's results: report.json, summary.md and PNG plots."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evaluation.runner import HIT_KS, EvalRun, QuestionResult

# the 0-1 metrics, in the order tables and bar plots show them
RATIO_METRICS: tuple[str, ...] = (
    *(f"hit@{k}" for k in HIT_KS),
    "mrr",
    "answer_containment",
    "answer_first_sentence",
    "answer_cited",
    "gold_cited",
    "citation_exactness",
    "expected_quote_coverage",
    "citation_support",
    "abstention_precision",
    "abstention_recall",
    "abstention_rate",
)
LATENCY_METRICS: tuple[str, ...] = ("latency_p50_ms", "latency_p95_ms", "latency_mean_ms")
_ANSWER_CHARS = 600  # answer text shown per failed question in the summary


def write_report(
    runs: Sequence[EvalRun], directory: str | Path, *, title: str, command: str = ""
) -> list[Path]:
    """Write report.json, summary.md, metrics.png and latency.png into `directory`.

    Args:
        runs: one run, or several to compare (e.g. hybrid and dense retrieval).
        directory: created if missing; files already there are overwritten.
        title: the summary's heading.
        command: the command line that produced the runs, quoted in the summary.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    report = {"title": title, "command": command, "runs": [run_dict(run) for run in runs]}
    paths = [
        directory / "report.json",
        directory / "summary.md",
        directory / "metrics.png",
        directory / "latency.png",
    ]
    paths[0].write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    paths[1].write_text(render_summary(runs, title=title, command=command), encoding="utf-8")
    plot_metrics(runs, paths[2])
    plot_latency(runs, paths[3])
    answerable = [r for r in runs if any(q.question.answerable for q in r.results)]
    unanswerable = [r for r in runs if r.results and r not in answerable]
    if answerable and unanswerable:
        paths.append(directory / "abstention.png")
        plot_abstention(answerable[0], unanswerable[0], paths[-1])
    return paths


def best_score(result: QuestionResult) -> float:
    """The score of the best sentence the answer found, cited or shown as related
    (0 when it found none): an answer is given when this reaches the threshold."""
    if result.answer is None:
        return 0.0
    scores = [c.score for c in (*result.answer.citations, *result.answer.related)]
    return max(scores, default=0.0)


def abstention_curves(
    answerable: EvalRun, unanswerable: EvalRun, thresholds: Sequence[float]
) -> list[tuple[float, float, float]]:
    """(threshold, share of answerable questions declined, share of unanswerable ones
    declined) at each threshold, had the answer abstained below it."""
    asked = [best_score(r) for r in answerable.results if r.question.answerable]
    unknown = [best_score(r) for r in unanswerable.results]
    out = []
    for t in thresholds:
        declined = sum(s < t for s in asked) / len(asked) if asked else 0.0
        caught = sum(s < t for s in unknown) / len(unknown) if unknown else 0.0
        out.append((t, declined, caught))
    return out


def plot_abstention(answerable: EvalRun, unanswerable: EvalRun, path: str | Path) -> None:
    """False abstentions on answerable questions against abstentions on unanswerable
    ones, as the abstention threshold moves."""
    # the ranker's threshold sits near 0.2, the hand score's at 0.44
    thresholds = [i / 100 for i in range(0, 81)]
    curves = abstention_curves(answerable, unanswerable, thresholds)
    figure, axes = _figure(width=7, height=4)
    axes.plot(thresholds, [c[1] for c in curves], label=f"{answerable.label}: answerable declined")
    axes.plot(thresholds, [c[2] for c in curves], label=f"{unanswerable.label}: declined")
    for name, value in answerable.settings.items():
        if name == "abstain_threshold":
            axes.axvline(float(value), color="grey", linestyle=":", label="threshold in use")
    axes.set_xlabel("abstention threshold")
    axes.set_ylabel("share of questions declined")
    axes.set_ylim(0, 1.02)
    axes.set_title("Abstention trade-off")
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def run_dict(run: EvalRun) -> dict[str, Any]:
    """A run as JSON-ready data: settings, overall metrics, then every question."""
    return {
        "label": run.label,
        "settings": dict(run.settings),
        "seconds": round(run.seconds, 2),
        "metrics": dict(run.metrics),
        "counts": dict(run.counts),
        "questions": [_question_dict(r) for r in run.results],
    }


def _question_dict(result: QuestionResult) -> dict[str, Any]:
    q = result.question
    return {
        "id": q.id,
        "question": q.question,
        "history": [list(turn) for turn in q.history],
        "as_of": q.as_of,
        "answerable": q.answerable,
        "expected_answers": list(q.expected_answers),
        "expected_quotes": list(q.expected_quotes),
        "gold_article_ids": list(q.gold_article_ids),
        "note": q.note,
        "scores": result.scores,
        "failures": list(result.failures),
        "error": result.error,
        "retrieved_article_ids": list(result.retrieved_article_ids),
        "answer": result.answer.to_dict() if result.answer else None,
    }


def render_summary(runs: Sequence[EvalRun], *, title: str, command: str = "") -> str:
    """The Markdown summary: a metrics table, then each run's failed questions."""
    lines = [f"# {title}", ""]
    if command:
        lines += ["Command:", "", "```", command, "```", ""]
    lines += metrics_table(runs)
    for run in runs:
        name = f" ({run.label})" if run.label else ""
        failed = run.failed
        lines += ["", f"## Failed questions{name}: {len(failed)} of {len(run.results)}", ""]
        if not failed:
            lines.append("None.")
        for result in failed:
            lines += _failure_lines(result)
        review = [r for r in run.results if r.question.answerable is None]
        if review:
            lines += ["", f"## To review{name}: votes whose right answer is unknown", ""]
            for result in review:
                lines += _failure_lines(result)
    return "\n".join(lines).rstrip() + "\n"


def metrics_table(runs: Sequence[EvalRun]) -> list[str]:
    """A Markdown table of the overall metrics, one column per run, with what each is over.

    >>> from evaluation.runner import EvalRun
    >>> run = EvalRun("hybrid", (), {"answer_containment": 0.5}, {"answer_containment": 2})
    >>> metrics_table([run])[2:3]
    ['| answer_containment | 0.500 | 2 |']
    """
    labels = [run.label or "value" for run in runs]
    header = ["| metric | " + " | ".join(labels) + " | over |"]
    header.append("|---" * (len(runs) + 2) + "|")
    rows = []
    names = [n for n in (*RATIO_METRICS, *LATENCY_METRICS) if any(n in r.metrics for r in runs)]
    for name in names:
        values = " | ".join(_format(run.metrics.get(name), name) for run in runs)
        over = runs[0].counts.get(name, "") if runs else ""
        rows.append(f"| {name} | {values} | {over} |")
    return header + rows


def _format(value: float | None, name: str) -> str:
    if value is None:
        return "n/a"
    return f"{value:.0f}" if name.endswith("_ms") else f"{value:.3f}"


def _failure_lines(result: QuestionResult) -> list[str]:
    q = result.question
    lines = [f"### {q.id}: {q.question}", ""]
    for asked, answered in q.history:
        lines.append(f"- History: Q: {asked} / A: {_clip(answered, 200)}")
    if q.as_of:
        lines.append(f"- As of: {q.as_of}")
    if q.note:
        lines.append(f"- Note: {q.note}")
    expected = {True: "an answer", False: "an abstention", None: "unknown"}[q.answerable]
    lines.append(f"- Expected: {expected}")
    if q.expected_answers:
        lines.append("  - answers (any one): " + "; ".join(repr(a) for a in q.expected_answers))
    if q.expected_quotes:
        lines.append("  - quotes: " + "; ".join(repr(a) for a in q.expected_quotes))
    answer = result.answer
    if answer is None:
        lines.append(f"- Got: an error: {result.error}")
    else:
        got = "an abstention" if answer.abstained else "an answer"
        lines.append(f"- Got: {got}: {_clip(answer.text, _ANSWER_CHARS)}")
        if answer.standalone_question and answer.standalone_question != q.question:
            lines.append(f"  - resolved question: {answer.standalone_question}")
        for c in answer.citations:
            lines.append(
                f"  - [{c.marker}] {c.article_id} {c.start}-{c.end}: {_clip(c.quote, 200)}"
            )
    lines += [f"- Why: {failure}" for failure in result.failures]
    lines.append("")
    return lines


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plot_metrics(runs: Sequence[EvalRun], path: str | Path) -> None:
    """A bar chart of the 0-1 metrics, one bar per run for each metric."""
    figure, axes = _figure(width=10, height=4.5)
    names = [n for n in RATIO_METRICS if any(r.metrics.get(n) is not None for r in runs)]
    width = 0.8 / max(len(runs), 1)
    for i, run in enumerate(runs):
        values = [run.metrics.get(n) or 0.0 for n in names]
        xs = [x + i * width - 0.4 + width / 2 for x in range(len(names))]
        bars = axes.bar(xs, values, width=width, label=run.label or None)
        axes.bar_label(bars, fmt="%.2f", fontsize=7)
    axes.set_xticks(range(len(names)), names, rotation=30, ha="right")
    axes.set_ylim(0, 1.1)
    axes.set_ylabel("score")
    axes.set_title("Evaluation metrics")
    if any(run.label for run in runs):
        axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def plot_latency(runs: Sequence[EvalRun], path: str | Path) -> None:
    """A histogram of per-question answer latency, runs overlaid."""
    figure, axes = _figure(width=7, height=4)
    for run in runs:
        latencies = [r.latency_ms for r in run.results]
        if latencies:
            axes.hist(latencies, bins=20, alpha=0.6, label=run.label or None)
    axes.set_xlabel("answer latency (ms)")
    axes.set_ylabel("questions")
    axes.set_title("Latency per question")
    if any(run.label for run in runs):
        axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def _figure(*, width: float, height: float) -> tuple[Any, Any]:
    """A figure drawn by the Agg backend: no display, and no pyplot global state."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()
