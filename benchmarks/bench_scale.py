"""Retrieval latency at 1k and 100k chunks, with stand-in vectors for the big index.

Embedding 100,000 chunks with all-MiniLM-L6-v2 takes about four hours on these two
cores. Search cost depends on how many vectors and postings there are, not on what
they mean, so this benchmark builds the indexes with `FakeEmbedder` (hashed
bag-of-words, 384 dimensions, like the real model) and queries them with real
query vectors from the bundled model. It measures the retrieval path (Chroma HNSW,
BM25, fusion, filters) at scale; answer quality at scale is RealTimeQA's job.

    python benchmarks/bench_scale.py [--chunks 1000 100000] [--root /tmp/newsdesk-scale]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from index import FakeEmbedder, NewsIndex, SentenceTransformerEmbedder, ingest
from qa.retrieval import HybridRetriever

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpora" / "news_corpus.jsonl.gz"
QUESTIONS = SHARED / "eval" / "realtimeqa" / "questions_dev.jsonl"


def build(directory: Path, target: int) -> NewsIndex:
    """An index of the first corpus articles that make at least `target` chunks."""
    embedder = FakeEmbedder(dimension=384, name="fake-384")
    index = NewsIndex.open(directory, embedder, create=True)
    if index.store.count() >= target:
        return index
    with tempfile.TemporaryDirectory() as tmp, gzip.open(CORPUS, "rt") as corpus:
        batch = Path(tmp) / "batch.jsonl"
        while index.store.count() < target:
            lines = [corpus.readline() for _ in range(200)]
            lines = [line for line in lines if line]
            if not lines:
                break
            batch.write_text("".join(lines))
            ingest(index, [batch])
            print(f"  {index.store.count()} chunks", flush=True)
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--root", type=Path, default=Path("/tmp/newsdesk-scale"))
    parser.add_argument("--questions", type=int, default=100)
    args = parser.parse_args()
    model = SentenceTransformerEmbedder(threads=1)
    rows = [json.loads(line) for line in QUESTIONS.read_text().splitlines()][: args.questions]
    vectors = model.embed([r["question"] for r in rows])
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for target in args.chunks:
        started = time.perf_counter()
        index = build(args.root / f"chunks-{target}", target)
        built = time.perf_counter() - started
        retriever = HybridRetriever(index)
        index.lexical()
        for r, v in zip(rows[:10], vectors[:10], strict=True):  # warm up
            retriever.retrieve(r["question"], query_vector=v)
        for label, as_of in (("no filter", False), ("as_of", True)):
            times = []
            for r, v in zip(rows, vectors, strict=True):
                day = date.fromisoformat(r["question_date"]) if as_of else None
                tick = time.perf_counter()
                retriever.retrieve(r["question"], query_vector=v, as_of=day)
                times.append((time.perf_counter() - tick) * 1000)
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            print(
                f"{index.store.count():>7} chunks  {label:<9}  retrieval p50 "
                f"{statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
                f"(build {built:.0f} s, load {os.getloadavg()[0]:.2f})",
                flush=True,
            )
        index.close()


if __name__ == "__main__":
    main()
