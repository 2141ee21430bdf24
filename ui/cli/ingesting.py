"""An ingest run as the terminal shows it: a progress bar, then a closing summary."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from qa import IngestReport, NewsDesk


def run_ingest(desk: NewsDesk, paths: Sequence[str | Path], *, quiet: bool = False) -> IngestReport:
    """Ingest with a progress bar and print the closing summary."""
    from tqdm import tqdm

    bars: list[tqdm[None]] = []
    started = time.perf_counter()

    def progress(articles: int, chunks: int) -> None:
        # drawn from the first article on: the ingest may first reach a cluster, and
        # one that cannot be reached is one line, without a bar left above it
        if not bars:
            bars.append(
                tqdm(
                    unit=" articles",
                    disable=quiet,
                    file=sys.stderr,
                    dynamic_ncols=True,
                    mininterval=0.5,
                )
            )
        bar = bars[0]
        rate = chunks / max(time.perf_counter() - started, 1e-6)
        bar.set_postfix_str(f"{chunks} chunks, {rate:.1f} chunks/s", refresh=False)
        bar.update(articles - bar.n)  # tqdm redraws at most ~10 times a second

    try:
        report = desk.ingest(paths, progress)
    finally:
        for bar in bars:
            bar.close()
    print_report(report, sys.stdout)
    return report


def print_report(report: IngestReport, out: TextIO, *, prefix: str = "") -> None:
    """The summary line of an ingest, then one line per warning and per failure."""
    print(
        f"{prefix}added {len(report.added)}, updated {len(report.updated)}, "
        f"unchanged {len(report.unchanged)}, failed {len(report.failed)} "
        f"({report.chunks} chunks in {report.seconds:.1f}s)",
        file=out,
    )
    for note in report.warnings:
        print(f"  warning: {note.origin}: {note.message}", file=out)
    for note in report.failed:
        print(f"  failed: {note.origin}: {note.message}", file=out)
