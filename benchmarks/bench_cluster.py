"""Ingest on a local Dask cluster against plain ingest: articles/s of each on the first N
corpus articles, start-up timed apart.

    python benchmarks/bench_cluster.py --articles 200 | tee benchmarks/results/cluster.txt

Plain ingest embeds in this process with 2 torch threads (as `newsdesk ingest` does;
`--plain-threads 1 2` adds a row with one);
the cluster one starts `local:W` (W worker processes of one torch thread each, as
`newsdesk ingest --cluster local:W` does) and keeps one model here for counting word
pieces. Each ingest writes a fresh temporary index; the model loads (here and on every
worker) and the cluster's start are timed before the ingest clock starts. Needs the
cluster extra: pip install -e '.[cluster]'.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from bench_ingest import CORPUS, write_corpus_slice

from index import BUNDLED_MODEL, NewsIndex, SentenceTransformerEmbedder, ingest
from index.cluster import ClusterEmbedder
from index.embedding import Embedder


@dataclass(frozen=True)
class Run:
    """One timed ingest."""

    mode: str
    start_s: float  # models loaded, cluster started: before the ingest clock
    ingest_s: float
    articles: int
    chunks: int
    cpu_s: float  # this process's CPU time during the ingest (workers not included)
    load: tuple[float, float, float]  # load average after the run


def timed_ingest(mode: str, source: Path, directory: Path, start: Callable[[], Embedder]) -> Run:
    tick = time.perf_counter()
    embedder = start()
    start_s = time.perf_counter() - tick
    index = NewsIndex.open(directory, embedder, create=True)
    tick, cpu = time.perf_counter(), time.process_time()
    try:
        report = ingest(index, [source])
    finally:
        index.close()
    ingest_s, cpu_s = time.perf_counter() - tick, time.process_time() - cpu
    if report.failed:
        print(f"  {len(report.failed)} inputs failed, first: {report.failed[0]}", file=sys.stderr)
    return Run(
        mode,
        start_s,
        ingest_s,
        len(report.added),
        report.chunks,
        cpu_s,
        os.getloadavg(),
    )


def table(runs: Sequence[Run]) -> str:
    """One row per run; "vs plain" divides by the first run's articles/s."""
    plain = runs[0]
    lines = [
        f"{'mode':<14} {'start s':>8} {'ingest s':>9} {'articles/s':>11} {'chunks/s':>9} "
        f"{'vs plain':>9} {'coord. CPU s':>13}  load after",
    ]
    for run in runs:
        rate = run.articles / run.ingest_s
        lines.append(
            f"{run.mode:<14} {run.start_s:8.1f} {run.ingest_s:9.1f} {rate:11.2f} "
            f"{run.chunks / run.ingest_s:9.1f} {rate / (plain.articles / plain.ingest_s):8.2f}x "
            f"{run.cpu_s:13.1f}  {' '.join(f'{x:.2f}' for x in run.load)}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=48, help="corpus articles (default 48)")
    parser.add_argument("--workers", type=int, default=2, help="local cluster workers")
    parser.add_argument(
        "--plain-threads",
        type=int,
        nargs="+",
        default=[2],
        help="torch threads of plain ingest, one row each (default 2)",
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="newsdesk-bench-cluster-"))
    cluster: list[ClusterEmbedder] = []

    def plain(threads: int) -> Callable[[], Embedder]:
        def start() -> Embedder:
            embedder = SentenceTransformerEmbedder(threads=threads)
            embedder.embed(["warm up"])
            return embedder

        return start

    def on_cluster() -> Embedder:
        embedder = ClusterEmbedder(f"local:{args.workers}", BUNDLED_MODEL, threads=1)
        cluster.append(embedder)
        embedder.warm_up()
        return embedder

    try:
        source = scratch / "articles.jsonl"
        count = write_corpus_slice(args.articles, source, args.corpus)
        print(
            f"{count} articles of {args.corpus.name}; {os.cpu_count()} cores, load before "
            + " ".join(f"{x:.2f}" for x in os.getloadavg())
        )
        runs = [
            timed_ingest(f"plain, {n} thr.", source, scratch / f"plain-{n}", plain(n))
            for n in args.plain_threads
        ]
        runs.append(timed_ingest(f"local:{args.workers}", source, scratch / "cluster", on_cluster))
    finally:
        for embedder in cluster:
            embedder.close()
        shutil.rmtree(scratch, ignore_errors=True)
    if len({run.chunks for run in runs}) > 1:
        print("the ingests wrote different chunk counts: " + ", ".join(str(r.chunks) for r in runs))
        return 1
    print(table(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
