"""Chunk size and overlap, chosen by measurement: retrieval hit@1 / hit@5 of the gold
article over RealTimeQA's dev questions, and what each policy costs to ingest.

    python benchmarks/bench_chunking.py | tee benchmarks/results/chunking.txt

For each (target_tokens, overlap_sentences) the RealTimeQA gold articles plus
`--distractors` other corpus articles are ingested into a fresh index, and every
question is asked of `qa.retrieval.HybridRetriever` as of its question date. A hit
is a retrieved passage from one of the question's gold articles.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench_ingest import CORPUS

from index import ChunkingPolicy, NewsIndex, SentenceTransformerEmbedder, ingest
from qa.retrieval import HybridRetriever

REALTIMEQA = CORPUS.parents[1] / "eval" / "realtimeqa"
TARGETS = (96, 160, 224)
OVERLAPS = (0, 1)


@dataclass(frozen=True)
class PolicyRun:
    """One chunking policy: its cost and its retrieval quality."""

    target_tokens: int
    overlap_sentences: int
    chunks: int
    ingest_s: float
    ingest_cpu_s: float
    hit1: float
    hit5: float
    mrr10: float  # reciprocal rank of the first gold passage in the top 10
    load: float


def write_articles(
    destination: Path, gold_ids: set[str], distractors: int, corpus: Path
) -> tuple[int, int]:
    """The gold articles, then the first `distractors` non-gold corpus articles, as JSONL."""
    lines = (REALTIMEQA / "articles_gold_dev.jsonl").read_text(encoding="utf-8").splitlines()
    gold_lines = [line for line in lines if line.strip() and json.loads(line)["id"] in gold_ids]
    added = 0
    with destination.open("w", encoding="utf-8") as out:
        out.writelines(line + "\n" for line in gold_lines)
        with gzip.open(corpus, "rt", encoding="utf-8") as src:
            for line in src:
                if added >= distractors:
                    break
                if json.loads(line)["id"] not in gold_ids:
                    out.write(line)
                    added += 1
    return len(gold_lines), added


def first_gold_rank(retrieved: Sequence[str], gold: set[str]) -> int | None:
    """1-based rank of the first retrieved article id that is gold.

    >>> first_gold_rank(["a", "b", "c"], {"c"}), first_gold_rank(["a"], {"z"})
    (3, None)
    """
    return next((i for i, a in enumerate(retrieved, 1) if a in gold), None)


def measure(
    policy: ChunkingPolicy,
    source: Path,
    directory: Path,
    embedder: SentenceTransformerEmbedder,
    questions: list[dict[str, Any]],
) -> PolicyRun:
    index = NewsIndex.open(directory, embedder, create=True)
    try:
        tick, cpu = time.perf_counter(), time.process_time()
        report = ingest(index, [source], policy=policy)
        ingest_s, ingest_cpu_s = time.perf_counter() - tick, time.process_time() - cpu
        retriever = HybridRetriever(index)
        ranks = []
        for q in questions:
            as_of = date.fromisoformat(q["question_date"])
            passages = retriever.retrieve(q["question"], k=10, as_of=as_of)
            gold = set(q["gold_article_ids"])
            ranks.append(first_gold_rank([p.article_id for p in passages], gold))
    finally:
        index.close()
    n = len(ranks)
    return PolicyRun(
        target_tokens=policy.target_tokens,
        overlap_sentences=policy.overlap_sentences,
        chunks=report.chunks,
        ingest_s=ingest_s,
        ingest_cpu_s=ingest_cpu_s,
        hit1=sum(1 for r in ranks if r == 1) / n,
        hit5=sum(1 for r in ranks if r is not None and r <= 5) / n,
        mrr10=sum(1 / r for r in ranks if r is not None) / n,
        load=os.getloadavg()[0],
    )


def table(runs: Sequence[PolicyRun], questions: int, articles: str) -> str:
    lines = [
        f"retrieval of the gold article over {questions} questions, {articles}",
        f"{'target':>6} {'overlap':>7} {'chunks':>7} {'ingest s':>9} {'cpu s':>7} "
        f"{'hit@1':>6} {'hit@5':>6} {'MRR@10':>7} {'load':>5}",
    ]
    for r in runs:
        lines.append(
            f"{r.target_tokens:>6} {r.overlap_sentences:>7} {r.chunks:>7} {r.ingest_s:>9.0f} "
            f"{r.ingest_cpu_s:>7.0f} {r.hit1:>6.3f} {r.hit5:>6.3f} {r.mrr10:>7.3f} {r.load:>5.2f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--distractors", type=int, default=300)
    parser.add_argument("--targets", type=int, nargs="+", default=list(TARGETS))
    parser.add_argument("--overlaps", type=int, nargs="+", default=list(OVERLAPS))
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads")
    parser.add_argument("--questions", type=int, help="only the first N questions and their gold")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    with (REALTIMEQA / "questions_dev.jsonl").open(encoding="utf-8") as f:
        questions = [json.loads(line) for line in f if line.strip()][: args.questions]
    gold_ids = {a for q in questions for a in q["gold_article_ids"]}
    embedder = SentenceTransformerEmbedder(threads=args.threads)
    embedder.warm_up()
    runs = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-chunking-") as scratch:
        source = Path(scratch) / "articles.jsonl"
        gold, distractors = write_articles(source, gold_ids, args.distractors, args.corpus)
        articles = f"{gold} gold + {distractors} distractor articles"
        for target in args.targets:
            for overlap in args.overlaps:
                policy = ChunkingPolicy(target_tokens=target, overlap_sentences=overlap)
                directory = Path(scratch) / f"index-{target}-{overlap}"
                run = measure(policy, source, directory, embedder, questions)
                runs.append(run)
                print(
                    f"  target {target} overlap {overlap}: {run.chunks} chunks, "
                    f"{run.ingest_s:.0f} s, hit@1 {run.hit1:.3f} hit@5 {run.hit5:.3f}",
                    file=sys.stderr,
                    flush=True,
                )
    print(table(runs, len(questions), articles))
    return 0


if __name__ == "__main__":
    sys.exit(main())
