"""Summary requests on a corpus index: does "Summarize the article about <headline>" quote
that article, and how long does it take?

    python benchmarks/bench_summaries.py --index /tmp/newsdesk-bench/chunks-100000 \\
        --articles 100 | tee benchmarks/results/summaries-100k.txt

`--index` is an index of the first corpus articles, as `bench_query.py` builds them. From
its articles with a headline of four words or more (every `step`-th, for `--articles` of
them), each headline is asked about twice: "Summarize the article about <headline>."
(one story: does its first citation quote that article, or a copy of it in its
near-duplicate group?) and "Give me a summary of the news about <headline>" (several
stories: is that article among those quoted?). Then the headlines of `--articles` corpus
articles the index does not hold are asked about, and the share summarised rather than
declined is printed: stories on the same news may be indexed, so that share is read, not
scored. The last lines print one summary of each kind, to be read.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench_ingest import CORPUS

from qa import NewsDesk, Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    desk = NewsDesk.open(Settings(index_dir=args.index))
    try:
        held = desk.articles()
        groups = {a.id: a.group or a.id for a in held}
        titled = [a for a in held if len(a.title.split()) >= 4]
        step = max(1, len(titled) // args.articles)
        sample = titled[::step][: args.articles]
        desk.ask("Summarize the article about the news.")  # warm up
        one, several, seconds = 0, 0, []
        examples: list[str] = []
        for a in sample:
            tick = time.perf_counter()
            answer = desk.ask(f"Summarize the article about {a.title}.")
            seconds.append(time.perf_counter() - tick)
            first = answer.citations[0].article_id if answer.citations else ""
            one += groups.get(first) == groups[a.id]
            tick = time.perf_counter()
            digest = desk.ask(f"Give me a summary of the news about {a.title}")
            seconds.append(time.perf_counter() - tick)
            several += any(groups.get(c.article_id) == groups[a.id] for c in digest.citations)
            if len(examples) < 2:
                examples += [f"{a.title}\n  one story: {answer.text}", f"  stories: {digest.text}"]
        ids = {a.id for a in held}
        unheld = _unheld_titles(args.corpus, ids, args.articles)
        summarised = sum(not desk.ask(f"Summarize the news about {t}.").abstained for t in unheld)
    finally:
        desk.close()
    n = len(sample)
    print(f"index {args.index}: {len(held)} articles, {len(titled)} with a headline")
    print(f"'Summarize the article about <headline>': quotes that story first {one}/{n}")
    print(f"'Give me a summary of the news about <headline>': quotes that story {several}/{n}")
    print(f"headlines of {len(unheld)} articles not indexed: summarised {summarised}")
    print(f"latency p50 {1000 * statistics.median(seconds):.1f} ms over {len(seconds)} asks")
    print("\n".join(examples))


def _unheld_titles(corpus: Path, held: set[str], count: int) -> list[str]:
    """Headlines of four words or more of corpus articles the index does not hold."""
    titles: list[str] = []
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            if article.get("id") not in held and len(article.get("title", "").split()) >= 4:
                titles.append(article["title"])
    step = max(1, len(titles) // count)
    return titles[::step][:count]


if __name__ == "__main__":
    main()
