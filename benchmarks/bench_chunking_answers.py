"""The chunking policy judged by the answers, not only by retrieval: RealTimeQA's
metrics (hit@k, answer containment, citations) on an index built with one policy.

    python benchmarks/bench_chunking_answers.py --target 224 --overlap 0 \
        --index /tmp/rtqa2000-224

`bench_chunking.py` ranks policies by whether retrieval finds the gold article; the
extractive answer quotes sentences from the retrieved chunks, so a policy that
retrieves better can still answer worse. This builds a fresh index of the RealTimeQA
gold articles plus `--distractors` corpus articles with the given policy, then asks
every question as of its date with hybrid and with dense-only retrieval, as `newsdesk
realtimeqa` does for the default. An existing `--index` must have been built with the
same policy: ingest skips articles it holds, whatever they were chunked with.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench_ingest import CORPUS

from evaluation.realtimeqa import ARTICLES_FILE, load_realtimeqa, write_articles
from evaluation.runner import evaluate
from index import ChunkingPolicy, NewsIndex, SentenceTransformerEmbedder, ingest
from qa import NewsDesk, Settings

REALTIMEQA = CORPUS.parents[1] / "eval" / "realtimeqa"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", type=int, required=True, help="target word pieces a chunk")
    parser.add_argument("--overlap", type=int, required=True, help="sentences of overlap")
    parser.add_argument("--index", type=Path, required=True, help="index directory to build")
    parser.add_argument("--distractors", type=int, default=2000)
    args = parser.parse_args(argv)
    policy = ChunkingPolicy(target_tokens=args.target, overlap_sentences=args.overlap)
    questions = load_realtimeqa(REALTIMEQA)
    gold = {g for q in questions for g in q.gold_article_ids}
    with tempfile.TemporaryDirectory() as scratch:
        articles = Path(scratch) / "articles.jsonl"
        write_articles(REALTIMEQA / ARTICLES_FILE, CORPUS, gold, args.distractors, articles)
        index = NewsIndex.open(args.index, SentenceTransformerEmbedder(threads=2), create=True)
        tick = time.perf_counter()
        try:
            report = ingest(index, [articles], policy=policy)
        finally:
            index.close()
    print(
        f"policy {args.target}/{args.overlap}: {len(report.added)} articles added, "
        f"{report.chunks} chunks in {time.perf_counter() - tick:.0f} s",
        flush=True,
    )
    for retrieval in ("hybrid", "dense"):
        desk = NewsDesk.open(Settings.from_env(index_dir=args.index, retrieval=retrieval))
        try:
            run = evaluate(desk, questions, label=retrieval)
        finally:
            desk.close()
        shown = {k: round(v, 3) for k, v in run.metrics.items() if v is not None}
        print(f"{retrieval} {args.target}/{args.overlap} {shown}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
