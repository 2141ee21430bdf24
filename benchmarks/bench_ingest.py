"""Ingest speed: index the first N corpus articles into a fresh index and print where
the time goes (embedding versus everything else), bytes per chunk and peak RSS.

    python benchmarks/bench_ingest.py --articles 1000 | tee benchmarks/results/ingest.txt

The corpus is streamed into a temporary JSONL outside the repository; it is never
copied into the project. `--index DIR` keeps the built index there (it must not
exist yet); without it the index lives in a temporary directory that is removed.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from index import NewsIndex, SentenceTransformerEmbedder, ingest
from index.embedding import Embedder, PoolingEmbedder, Spans, Vectors
from index.openvino_embedding import INGEST_RUNTIMES, ingest_accelerator
from qa import Settings
from qa.speech.attribution import SpeakerLabeller

_T = TypeVar("_T")
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "news_corpus.jsonl.gz"


class TimedEmbedder:
    """An `Embedder` that passes every call through and adds up the seconds spent in
    `embed` and in `token_counts`, and the word pieces it was asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.embed_s = 0.0
        self.embed_cpu_s = 0.0  # process CPU time, all torch threads included
        self.count_s = 0.0
        self.measure_s = 0.0  # spent counting embedded tokens for this report; not ingest's
        self.texts = 0
        self.tokens = 0

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    @property
    def max_tokens(self) -> int:
        return self.inner.max_tokens

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        tick = time.perf_counter()
        try:
            return self.inner.token_counts(texts)
        finally:
            self.count_s += time.perf_counter() - tick

    def embed(self, texts: Sequence[str]) -> Vectors:
        return self._timed(texts, lambda: self.inner.embed(texts))

    def _timed(self, texts: Sequence[str], call: Callable[[], _T]) -> _T:
        tick, cpu = time.perf_counter(), time.process_time()
        try:
            return call()
        finally:
            self.embed_cpu_s += time.process_time() - cpu
            done = time.perf_counter()
            self.embed_s += done - tick
            self.texts += len(texts)
            self.tokens += sum(min(n + 2, self.max_tokens) for n in self.inner.token_counts(texts))
            self.measure_s += time.perf_counter() - done


class TimedPoolingEmbedder(TimedEmbedder):
    """A `TimedEmbedder` of an embedder that pools: ingest then makes the sentence
    vectors out of the chunks' forward passes, and `embed_pooled` is timed as `embed` is."""

    inner: PoolingEmbedder

    @property
    def mean_pooling(self) -> bool:
        return self.inner.mean_pooling

    def embed_pooled(
        self, texts: Sequence[str], spans: Sequence[Spans]
    ) -> tuple[Vectors, list[np.ndarray]]:
        return self._timed(texts, lambda: self.inner.embed_pooled(texts, spans))


@dataclass(frozen=True)
class IngestRun:
    """What one benchmark ingest measured."""

    articles: int
    chunks: int
    seconds: float  # ingest wall time, model loading excluded
    load_s: float  # loading the model, before the clock starts
    embed_s: float
    cpu_s: float  # process CPU time of the ingest, all threads
    embed_cpu_s: float
    count_s: float  # token counting for chunking (inside "everything else")
    mean_tokens: float  # word pieces per embedded text, [CLS]/[SEP] included
    index_bytes: int
    peak_rss_mb: float
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]


def write_corpus_slice(
    articles: int, destination: Path, corpus: Path = CORPUS, *, skip: int = 0
) -> int:
    """Copy `articles` lines of the corpus, after its first `skip`, into `destination`;
    returns the count."""
    written = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as src, destination.open("w") as out:
        for line in itertools.islice(src, skip, None):
            if written >= articles:
                break
            out.write(line)
            written += 1
    return written


def disk_bytes(directory: Path) -> int:
    """Bytes the directory takes on disk, as `du` counts them (allocated blocks)."""
    total = 0
    for root, _, files in os.walk(directory):
        for name in files:
            total += os.lstat(os.path.join(root, name)).st_blocks * 512
    return total


def run_ingest(
    source: Path,
    directory: Path,
    threads: int,
    *,
    runtime: str | None = None,
    log_every: int = 100,
    quiet: bool = False,
) -> IngestRun:
    """Ingest `source` into the index at `directory` with a timed embedder whose plain
    embeddings go through `runtime` (INGEST_RUNTIMES; by default the one `newsdesk ingest`
    uses)."""
    load_before = os.getloadavg()
    inner = SentenceTransformerEmbedder(threads=threads)
    tick = time.perf_counter()
    inner.warm_up()
    settings = Settings()
    if (runtime or settings.ingest_runtime) == "openvino":
        accelerator = ingest_accelerator(inner, settings.cache_dir, threads=threads)
        if accelerator is None:  # said in a log line
            raise SystemExit("error: OpenVINO cannot embed here; --ingest-runtime torch")
        inner.accelerate(accelerator)
    inner.embed(["warm up"])
    load_s = time.perf_counter() - tick
    timed = TimedPoolingEmbedder(inner)
    index = NewsIndex.open(directory, timed, create=True)
    started, started_cpu = time.perf_counter(), time.process_time()
    last = [0]

    def progress(seen: int, chunks: int) -> None:
        if quiet or seen - last[0] < log_every:
            return
        last[0] = seen
        elapsed = time.perf_counter() - started
        print(
            f"  {seen:6d} articles  {chunks:7d} chunks  {elapsed:7.0f} s  "
            f"{chunks / elapsed:5.1f} chunks/s  load {os.getloadavg()[0]:.2f}",
            file=sys.stderr,
            flush=True,
        )

    try:
        # with the speakers stored, as `newsdesk ingest` (NewsDesk.ingest) writes them
        report = ingest(index, [source], progress, labeller=SpeakerLabeller())
    finally:
        index.close()
    seconds = time.perf_counter() - started - timed.measure_s
    cpu_s = time.process_time() - started_cpu - timed.measure_s
    if report.failed:
        print(f"  {len(report.failed)} inputs failed, first: {report.failed[0]}", file=sys.stderr)
    return IngestRun(
        articles=len(report.added) + len(report.updated),
        chunks=report.chunks,
        seconds=seconds,
        load_s=load_s,
        embed_s=timed.embed_s,
        cpu_s=cpu_s,
        embed_cpu_s=timed.embed_cpu_s,
        count_s=timed.count_s,
        mean_tokens=timed.tokens / timed.texts if timed.texts else 0.0,
        index_bytes=disk_bytes(directory),
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        load_before=load_before,
        load_after=os.getloadavg(),
    )


def report(run: IngestRun, threads: int, runtime: str) -> str:
    """The result table."""
    other = run.seconds - run.embed_s
    rows = [
        ("articles ingested", f"{run.articles}"),
        ("chunks written", f"{run.chunks}"),
        ("word pieces per embedded text (mean)", f"{run.mean_tokens:.0f}"),
        ("runtime, threads", f"{runtime}, {threads}"),
        ("model load (not in the totals)", f"{run.load_s:.1f} s"),
        ("ingest wall time", f"{run.seconds:.1f} s"),
        ("articles/s", f"{run.articles / run.seconds:.2f}"),
        ("chunks/s", f"{run.chunks / run.seconds:.2f}"),
        ("embedding", f"{run.embed_s:.1f} s ({100 * run.embed_s / run.seconds:.1f} %)"),
        ("everything else", f"{other:.1f} s ({100 * other / run.seconds:.1f} %)"),
        ("  of which token counting", f"{run.count_s:.1f} s"),
        ("ingest CPU time (all threads)", f"{run.cpu_s:.1f} s"),
        ("embedding, share of CPU time", f"{100 * run.embed_cpu_s / run.cpu_s:.1f} %"),
        ("everything else, share of CPU time", f"{100 * (1 - run.embed_cpu_s / run.cpu_s):.1f} %"),
        ("embedding alone, chunks/s", f"{run.chunks / run.embed_s:.2f}"),
        ("index on disk", f"{run.index_bytes / 2**20:.1f} MiB"),
        ("index bytes per chunk", f"{run.index_bytes / max(run.chunks, 1):.0f}"),
        ("peak RSS", f"{run.peak_rss_mb:.0f} MiB"),
        ("load average before", " ".join(f"{x:.2f}" for x in run.load_before)),
        ("load average after", " ".join(f"{x:.2f}" for x in run.load_after)),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--index", type=Path, help="build the index here and keep it")
    parser.add_argument("--threads", type=int, default=2, help="the model's threads")
    parser.add_argument(
        "--ingest-runtime",
        choices=INGEST_RUNTIMES,
        default=Settings().ingest_runtime,
        help="what embeds, as NEWSDESK_INGEST_RUNTIME (default: %(default)s)",
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    if args.index is not None and args.index.exists():
        parser.error(f"{args.index} exists; the benchmark needs a fresh index directory")
    scratch = Path(tempfile.mkdtemp(prefix="newsdesk-bench-ingest-"))
    try:
        source = scratch / "articles.jsonl"
        count = write_corpus_slice(args.articles, source, args.corpus)
        directory = args.index or scratch / "index"
        print(f"ingesting the first {count} articles of {args.corpus} into {directory}")
        run = run_ingest(source, directory, args.threads, runtime=args.ingest_runtime)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(report(run, args.threads, args.ingest_runtime))
    return 0


if __name__ == "__main__":
    sys.exit(main())
