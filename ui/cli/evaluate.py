"""`newsdesk eval` and `newsdesk realtimeqa`: run question sets, write reports, gate CI."""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from evaluation import (
    WITHOUT_GOLD,
    EvalRun,
    QuestionResult,
    check_gate,
    evaluate,
    load_gate,
    load_questions,
    load_realtimeqa,
    overall_metrics,
    run_realtimeqa,
    write_report,
)
from evaluation.realtimeqa import DEFAULT_CORPUS, DEFAULT_DATA
from evaluation.report import metrics_table
from qa import IngestReport, NewsDesk, Settings
from ui.cli.ingesting import print_report, run_ingest

KNOWN_METRICS = frozenset(overall_metrics([])[0])


def add_eval_parser(subparsers: Any) -> None:
    """Register the `eval` and `realtimeqa` subcommands on the `newsdesk` parser."""
    p = subparsers.add_parser(
        "eval",
        help="run a question set (or a web chat feedback file) and report the metrics",
        description=(
            "Ask every question of QUESTIONS.jsonl, score answers, citations, retrieval and "
            "abstention, and write report.json, summary.md and plots to --report."
        ),
    )
    p.add_argument("questions", type=Path, metavar="QUESTIONS.jsonl")
    _common(p, default_report="reports/eval")
    p.add_argument(
        "--corpus",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="ingest these articles first (into --index, or a temporary index without it)",
    )
    p.add_argument(
        "--gate", type=Path, metavar="FILE", help="exit 1 when a metric misses its threshold here"
    )
    p.add_argument("--retrieval", choices=["hybrid", "dense"], help="retrieval to evaluate")
    p.set_defaults(handler=eval_command)

    p = subparsers.add_parser(
        "realtimeqa",
        help="RealTimeQA dev: gold articles among distractors, hybrid vs dense retrieval",
        description=(
            "Index the RealTimeQA gold articles plus N distractors from the news corpus, ask "
            "each question as of its date with hybrid and with dense-only retrieval, and "
            "write both runs' report to --report."
        ),
    )
    _common(p, default_report="reports/realtimeqa")
    p.add_argument("--distractors", type=_count, default=2000, metavar="N", help="default 2000")
    p.add_argument("--limit", type=_count, metavar="N", help="ask only the first N questions")
    p.add_argument(
        "--without-gold",
        action="store_true",
        help="also ask, on a copy of the index without any gold article, the questions whose "
        "answer no remaining article holds: the share declined is the abstention rate",
    )
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"default {DEFAULT_DATA}")
    p.add_argument(
        "--corpus-file",
        type=Path,
        default=DEFAULT_CORPUS,
        metavar="PATH",
        help=f"distractor source (default {DEFAULT_CORPUS})",
    )
    p.set_defaults(handler=realtimeqa_command)


def _common(p: argparse.ArgumentParser, *, default_report: str) -> None:
    p.add_argument(
        "--index", type=Path, help="index directory (default .newsdesk, or NEWSDESK_INDEX_DIR)"
    )
    p.add_argument(
        "--model", help="embedding model name or path (default: the bundled all-MiniLM-L6-v2)"
    )
    p.add_argument(
        "--report",
        type=Path,
        default=Path(default_report),
        metavar="DIR",
        help=f"where report.json, summary.md and the plots go (default {default_report})",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bars")


def eval_command(args: argparse.Namespace) -> int:
    """Run `newsdesk eval`; 1 when the gate fails, else 0."""
    questions = load_questions(args.questions)
    # read the gate before the long run, so a typo in it fails in a second
    thresholds = load_gate(args.gate, KNOWN_METRICS) if args.gate else {}
    with _index_dir(args.index, temporary=bool(args.corpus and not args.index)) as index_dir:
        settings = Settings.from_env(
            index_dir=index_dir, embedding_model=args.model, retrieval=args.retrieval
        )
        desk = NewsDesk.open(settings, create=bool(args.corpus))
        try:
            if args.corpus:
                run_ingest(desk, args.corpus, quiet=args.quiet)
            with _bar(len(questions), "questions", args.quiet) as tick:
                run = evaluate(desk, questions, label=settings.retrieval, progress=tick)
        finally:
            desk.close()
    write_report(
        [run], args.report, title=f"Evaluation of {args.questions}", command=_command(args)
    )
    _print_runs([run], args.report)
    failures = check_gate(run.metrics, thresholds)
    if failures:
        print(f"gate {args.gate} failed:")
        for failure in failures:
            print(f"  {failure}")
        return 1
    if thresholds:
        print(f"gate {args.gate} passed ({len(thresholds)} thresholds)")
    return 0


def realtimeqa_command(args: argparse.Namespace) -> int:
    """Run `newsdesk realtimeqa` with hybrid and dense-only retrieval."""
    total = len(load_realtimeqa(args.data, args.limit))  # fails fast on a wrong --data
    with _index_dir(args.index, temporary=not args.index) as index_dir:
        settings = Settings.from_env(index_dir=index_dir, embedding_model=args.model)
        from tqdm import tqdm

        ingest_bar = tqdm(
            unit=" articles", desc="ingest", disable=args.quiet, file=sys.stderr, leave=False
        )
        bars: dict[str, Any] = {}

        def ingested(articles: int, chunks: int) -> None:
            ingest_bar.n = articles
            ingest_bar.set_postfix_str(f"{chunks} chunks", refresh=False)
            ingest_bar.refresh()

        def done(report: IngestReport) -> None:
            ingest_bar.close()
            print_report(report, sys.stdout)

        def asked(retrieval: str, result: QuestionResult) -> None:
            if retrieval not in bars:
                for bar in bars.values():
                    bar.close()
                bars[retrieval] = tqdm(
                    total=None if retrieval == WITHOUT_GOLD else total,
                    desc=retrieval,
                    unit="q",
                    disable=args.quiet,
                    file=sys.stderr,
                )
            bars[retrieval].update(1)

        try:
            runs = run_realtimeqa(
                settings,
                data_dir=args.data,
                corpus=args.corpus_file,
                distractors=args.distractors,
                limit=args.limit,
                ingest_progress=ingested,
                on_ingested=done,
                progress=asked,
                without_gold=args.without_gold,
            )
        finally:
            ingest_bar.close()
            for bar in bars.values():
                bar.close()
    title = f"RealTimeQA dev, {args.distractors} distractors"
    write_report(runs, args.report, title=title, command=_command(args))
    _print_runs(runs, args.report)
    return 0


@contextmanager
def _index_dir(given: Path | None, *, temporary: bool) -> Iterator[Path | None]:
    """The --index directory, or a temporary one removed afterwards."""
    if not temporary:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="newsdesk-eval-") as scratch:
        yield Path(scratch) / "index"


@contextmanager
def _bar(total: int, unit: str, quiet: bool) -> Iterator[Any]:
    """A tqdm bar over questions; yields the per-result callback that advances it."""
    from tqdm import tqdm

    bar = tqdm(total=total, unit=f" {unit}", disable=quiet, file=sys.stderr, dynamic_ncols=True)
    failed = 0

    def tick(result: QuestionResult) -> None:
        nonlocal failed
        failed += bool(result.failures)
        bar.set_postfix_str(f"{failed} failed", refresh=False)
        bar.update(1)

    try:
        yield tick
    finally:
        bar.close()


def _print_runs(runs: Sequence[EvalRun], report_dir: Path) -> None:
    print("\n".join(metrics_table(runs)))
    for run in runs:
        name = f" ({run.label})" if run.label else ""
        print(
            f"{len(run.failed)} of {len(run.results)} questions failed{name} in {run.seconds:.1f}s"
        )
    print(f"report: {report_dir / 'summary.md'}")


def _command(args: argparse.Namespace) -> str:
    """The command line that reproduces this run, for the report.

    Rebuilt from the parsed options rather than taken from sys.argv, since `main(argv)`
    may be called with other arguments than the process got.
    """
    return shlex.join(_rebuild(args))


def _rebuild(args: argparse.Namespace) -> list[str]:
    if args.handler is eval_command:
        words = ["newsdesk", "eval", str(args.questions)]
        if args.corpus:
            words += ["--corpus", *map(str, args.corpus)]
        if args.gate:
            words += ["--gate", str(args.gate)]
        if args.retrieval:
            words += ["--retrieval", args.retrieval]
    else:
        words = ["newsdesk", "realtimeqa", "--distractors", str(args.distractors)]
        if args.limit:
            words += ["--limit", str(args.limit)]
    if args.index:
        words += ["--index", str(args.index)]
    if args.model:
        words += ["--model", args.model]
    return [*words, "--report", str(args.report)]


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value
