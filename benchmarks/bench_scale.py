"""Scale: the vector store embedded and on a Chroma server at 1k-100k chunks, stand-in
chunks at 1M, BM25 at 1M, and ingest on a local cluster against plain ingest.

Embedding 100,000 chunks with all-MiniLM-L6-v2 takes about four hours on these two
cores. Search cost depends on how many vectors and postings there are, not on what
they mean, so the indexes are built with `FakeEmbedder` (hashed bag-of-words, 384
dimensions, like the real model) and queried with real question vectors from the
bundled model (torch, one thread; ONNX gives the same vectors within 1e-5 cosine). The
question embedding is not timed. Answer quality at scale is RealTimeQA's job.

    python benchmarks/bench_scale.py --chroma http://127.0.0.1:8000 \\
        --chunks 1000 100000 --million 1000000 --bm25-chunks 1000000 --cluster-articles 200

- `--chunks N...`: an index of the first corpus articles that make N chunks, built by
  one `ingest` call, embedded (under `--root`) and, with `--chroma URL`, again with its
  vectors on that server; both are reused by later runs. Prints the ingest's articles/s
  and chunks/s and the time inside the store's `add_many`, then times the same
  questions on both, alternating per round: the store query alone and `retrieve`.
- `--million N` (needs `--chroma`; `--million-embedded` adds the embedded client): N
  stand-in chunks, the corpus's chunks repeated with fresh ids, written straight into a
  store in ingest-sized batches, then the store query.
- `--bm25-chunks N`: BM25 over N stand-in chunk texts: build time and memory, size on
  disk, and load and query in a fresh process.
- `--cluster-articles N`: benchmarks/bench_cluster.py --articles N.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench_ingest import CORPUS, disk_bytes, write_corpus_slice
from bench_query import QUESTIONS, WARM_QUESTIONS, Latency, load_questions
from stand_in import (
    COPY_NOISE,
    STAND_IN,
    Base,
    Chunked,
    MemoryTexts,
    copy_vectors,
    corpus_chunks,
    lexical_text,
    read_base,
    repeated,
)

from index import (
    Article,
    Chunk,
    Filters,
    NewsdeskError,
    NewsIndex,
    SentenceTransformerEmbedder,
    StoredChunk,
    ingest,
)
from index.ingest import BATCH_ARTICLES
from index.lexical import LexicalIndex, top_indices
from index.store import ChromaStore, VectorStore, parse_chroma_url, unavailable
from qa.retrieval import HybridRetriever, RetrievalPolicy

K = RetrievalPolicy().candidates  # what retrieval asks the store for
REPORT_EVERY = 100_000  # chunks between add-rate lines


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def log(message: str) -> None:
    stamp = time.strftime("%H:%M:%S")
    print(f"[{stamp}] {message}  (load {load()})", file=sys.stderr, flush=True)


# -- process memory


def status_kib(status: str, field: str) -> int:
    """A kB field of /proc/PID/status.

    >>> status_kib("Name:\\tpython\\nVmHWM:\\t  2048 kB\\nVmRSS:\\t  1024 kB\\n", "VmRSS")
    1024
    """
    for line in status.splitlines():
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0])
    raise KeyError(field)


def memory_mib(field: str = "VmRSS") -> float:
    return status_kib(Path("/proc/self/status").read_text(), field) / 1024


def reset_peak() -> bool:
    """Start VmHWM (peak RSS) afresh; False where the kernel does not let us."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


# -- 1. embedded against server at 1k-100k chunks


class TimedStore:
    """A `VectorStore` that passes every call through and adds up the seconds of the
    writes ingest makes."""

    def __init__(self, inner: VectorStore) -> None:
        self.inner = inner
        self.max_batch = inner.max_batch
        self.add_s = 0.0
        self.added = 0
        self.delete_s = 0.0

    def count(self) -> int:
        return self.inner.count()

    def add_many(
        self, chunked: Sequence[tuple[Article, Sequence[Chunk]]], vectors: np.ndarray
    ) -> None:
        tick = time.perf_counter()
        self.inner.add_many(chunked, vectors)
        self.add_s += time.perf_counter() - tick
        self.added += sum(len(chunks) for _, chunks in chunked)

    def delete_articles(self, article_ids: Sequence[str], keep_version: str | None = None) -> None:
        tick = time.perf_counter()
        self.inner.delete_articles(article_ids, keep_version)
        self.delete_s += time.perf_counter() - tick

    def query(self, vector: np.ndarray, k: int, filters: Filters) -> list[StoredChunk]:
        return self.inner.query(vector, k, filters)

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        return self.inner.nearest(vector, k)

    def get(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        return self.inner.get(chunk_ids)

    def chunks_of(self, article_ids: Sequence[str]) -> list[StoredChunk]:
        return self.inner.chunks_of(article_ids)

    def scan(self, page: int = 5000) -> Iterator[StoredChunk]:
        return self.inner.scan(page)


@dataclass(frozen=True)
class Build:
    """One index's build, or what an earlier run recorded of it (`reused`)."""

    store: str  # "embedded" or "server"
    directory: Path
    chunks: int  # held by the store
    articles: int  # held by the catalog
    ingested: int  # articles the build ingested
    chunks_written: int
    seconds: float
    add_s: float
    added: int
    delete_s: float
    load: str
    reused: bool = False

    def row(self) -> str:
        def rate(count: int, seconds: float) -> str:
            return f"{count / seconds:10.1f}" if seconds > 0 else f"{'-':>10}"

        note = "  (reused: build figures of the run that made it)" if self.reused else ""
        return (
            f"{self.store:<8} {self.chunks:>7} {self.articles:>8} {self.seconds:8.1f} "
            f"{rate(self.ingested, self.seconds)} {rate(self.chunks_written, self.seconds)} "
            f"{self.add_s:7.1f} {rate(self.added, self.add_s)} {self.delete_s:8.1f}  "
            f"{self.load}{note}"
        )


BUILD_HEADER = (
    f"{'store':<8} {'chunks':>7} {'articles':>8} {'build s':>8} {'articles/s':>10} "
    f"{'chunks/s':>10} {'add s':>7} {'add ch./s':>10} {'delete s':>8}  load after"
)


@cache  # the same for both stores
def articles_for(target: int, corpus: Path) -> int:
    """How many leading corpus articles make at least `target` chunks under `STAND_IN`."""
    return sum(1 for _ in corpus_chunks(corpus, target))


def open_index(directory: Path, chroma_url: str | None) -> NewsIndex:
    index = NewsIndex.open(directory, STAND_IN, create=True, chroma_url=chroma_url)
    if chroma_url and index.count() and not index.store.count():
        # a server started afresh lost the collection the catalog still counts on
        index.close()
        log(f"{directory}: the server at {chroma_url} holds none of its vectors; rebuilding")
        shutil.rmtree(directory)
        index = NewsIndex.open(directory, STAND_IN, create=True, chroma_url=chroma_url)
    return index


def build(
    store: str, directory: Path, target: int, corpus: Path, chroma_url: str | None
) -> tuple[NewsIndex, Build]:
    """An index of the first corpus articles that make `target` chunks, built by one
    `ingest` call, or the one already there (its build figures read back)."""
    marker = directory.with_name(directory.name + ".json")
    index = open_index(directory, chroma_url)
    if index.store.count() >= target or marker.exists():
        info = json.loads(marker.read_text()) if marker.exists() else {}
        return index, Build(
            store,
            directory,
            index.store.count(),
            index.count(),
            info.get("ingested", 0),
            info.get("chunks_written", 0),
            info.get("seconds", 0.0),
            info.get("add_s", 0.0),
            info.get("added", 0),
            info.get("delete_s", 0.0),
            info.get("load", "?"),
            reused=True,
        )
    articles = articles_for(target, corpus)
    timed = TimedStore(index.store)
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-scale-") as scratch:
        source = Path(scratch) / "articles.jsonl"
        write_corpus_slice(articles, source, corpus)
        log(f"building {directory} ({store}) from the first {articles} articles")
        index.store = timed
        try:
            report = ingest(index, [source])
        finally:
            index.store = timed.inner
    done = Build(
        store,
        directory,
        index.store.count(),
        index.count(),
        len(report.added) + len(report.updated),
        report.chunks,
        report.seconds,
        timed.add_s,
        timed.added,
        timed.delete_s,
        load(),
    )
    fields = ("ingested", "chunks_written", "seconds", "add_s", "added", "delete_s", "load")
    marker.write_text(json.dumps({f: getattr(done, f) for f in fields}))
    return index, done


@dataclass(frozen=True)
class QueryRun:
    """One round of the questions on one index."""

    store: str
    chunks: int
    round: int
    dense: Latency  # the store's query alone
    retrieve: Latency
    retrieve_as_of: Latency
    load: str


def timed(call: Callable[[int], object], count: int) -> Latency:
    """`call(i)` for i in range(count), each timed in milliseconds."""
    samples = []
    for i in range(count):
        tick = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - tick) * 1000.0)
    return Latency(tuple(samples))


def query_round(
    store: str,
    index: NewsIndex,
    round_: int,
    questions: Sequence[dict[str, str]],
    vectors: np.ndarray,
    warm: Sequence[tuple[str, np.ndarray]],
) -> QueryRun:
    retriever = HybridRetriever(index)
    for question, vector in warm:
        retriever.retrieve(question, query_vector=vector)
    days = [date.fromisoformat(q["question_date"]) for q in questions]
    n = len(questions)
    return QueryRun(
        store,
        index.store.count(),
        round_,
        timed(lambda i: index.store.query(vectors[i], K, Filters()), n),
        timed(lambda i: retriever.retrieve(questions[i]["question"], query_vector=vectors[i]), n),
        timed(
            lambda i: retriever.retrieve(
                questions[i]["question"], query_vector=vectors[i], as_of=days[i]
            ),
            n,
        ),
        load(),
    )


def pooled(runs: Sequence[QueryRun], store: str, kind: str) -> Latency:
    """One kind of latency of one store, every round's samples together."""
    samples: list[float] = []
    for run in runs:
        if run.store == store:
            samples += getattr(run, kind).samples
    return Latency(tuple(samples))


def p50_p95(latency: Latency) -> str:
    return f"{latency.p(50):7.1f} /{latency.p(95):7.1f}"


def query_table(runs: Sequence[QueryRun], questions: int) -> str:
    lines = [
        f"query latency, ms, wall p50 / p95 over {questions} RealTimeQA questions; store.query "
        f"is the dense search alone (k={K}, no filter), retrieve is HybridRetriever.retrieve",
        f"{'chunks':>7} {'round':>5} {'store':<8}  {'store.query':>16}  {'retrieve':>16}  "
        f"{'retrieve as_of':>16}  load after",
    ]
    for r in runs:
        lines.append(
            f"{r.chunks:>7} {r.round:>5} {r.store:<8}  {p50_p95(r.dense):>16}  "
            f"{p50_p95(r.retrieve):>16}  {p50_p95(r.retrieve_as_of):>16}  {r.load}"
        )
    if {r.store for r in runs} == {"embedded", "server"}:
        ratios = []
        for kind, label in (
            ("dense", "store.query"),
            ("retrieve", "retrieve"),
            ("retrieve_as_of", "as_of"),
        ):
            server, embedded = pooled(runs, "server", kind), pooled(runs, "embedded", kind)
            ratios.append(f"{label} {server.p(50) / embedded.p(50):.2f}x")
        lines.append(
            f"server / embedded, p50 of all rounds: {', '.join(ratios)} (goal at 100k: <= 2x)"
        )
    return "\n".join(lines)


# -- 2. stand-in chunks at 1M, written straight into a store


def fill_store(store: ChromaStore, texts: MemoryTexts, base: Base, n: int, label: str) -> None:
    """Write n stand-in chunks into `store` in ingest's batches, printing the add rate
    every ~100k chunks (overall, and of the last stretch, which shows how it slows as
    the store grows); a store already holding some goes on after them."""
    held = store.count()
    written = added = 0
    add_s = 0.0
    batch: list[Chunked] = []
    rows: list[np.ndarray] = []
    next_report = (held // REPORT_EVERY + 1) * REPORT_EVERY
    stretch = (0, 0.0)  # (added, add_s) at the last report

    def report(final: bool) -> None:
        nonlocal stretch
        rate = added / add_s if add_s else float("nan")
        # the final report right after a periodic one has no stretch of its own
        last = ""
        if add_s > stretch[1]:
            last = f" (last stretch {(added - stretch[0]) / (add_s - stretch[1]):,.0f})"
        stretch = (added, add_s)
        what = "in all" if final else "so far"
        print(
            f"  {label}: {held + added:>8} chunks held, {added} added {what}"
            f" in {add_s:.1f} s inside add_many: {rate:,.0f} chunks/s{last}  (load {load()})",
            flush=True,
        )

    for copy, position, (article, chunks) in repeated(base.chunked, n):
        texts.put(article)
        start = base.offsets[position]
        if written + len(chunks) > held:  # the first `held` went in on an earlier run
            batch.append((article, chunks))
            rows.append(copy_vectors(base.vectors[start : start + len(chunks)], copy))
        written += len(chunks)
        if len(batch) >= BATCH_ARTICLES or (batch and written >= n):
            tick = time.perf_counter()
            store.add_many(batch, np.concatenate(rows))
            add_s += time.perf_counter() - tick
            added += sum(len(c) for _, c in batch)
            batch, rows = [], []
            if held + added >= next_report:
                report(final=False)
                next_report = ((held + added) // REPORT_EVERY + 1) * REPORT_EVERY
    if held:
        print(f"  {label}: {held} chunks were already held from an earlier run")
    report(final=True)


def million(
    base: Base,
    n: int,
    root: Path,
    chroma_url: str | None,
    vectors: np.ndarray,
    warm: np.ndarray,
) -> str:
    """Fill a stand-in store of n chunks and time the store query on it."""
    store_name = "server" if chroma_url else "embedded"
    texts = MemoryTexts()
    collection = f"newsdesk-scale-{n}-of-{base.chunks}"
    directory = root / f"stand-in-{n}-of-{base.chunks}"
    store = ChromaStore(directory / "chroma", texts, url=chroma_url, collection=collection)
    log(f"writing {n} stand-in chunks into the {store_name} store ({collection})")
    fill_store(store, texts, base, n, store_name)
    for vector in warm:
        store.query(vector, K, Filters())
    dense = timed(lambda i: store.query(vectors[i], K, Filters()), len(vectors))
    return (
        f"{store_name:<8} {store.count():>8} chunks  store.query p50 / p95 "
        f"{p50_p95(dense)} ms  ({len(vectors)} questions, k={K}; load {load()})"
    )


def stand_in_source(base: Base, n: int) -> str:
    """Where n stand-in chunks come from, for a section's title."""
    source = f"{base.chunks} corpus chunks ({len(base.chunked)} articles)"
    if n <= base.chunks:
        return source
    return f"{source} repeated {n / base.chunks:.1f} times with fresh ids"


# -- 3. BM25 at 1M


def bm25(base: Base, n: int, questions: int) -> list[str]:
    """Build BM25 over n stand-in chunk texts here; load and query it in a fresh process."""
    docs = (
        (c.id, lexical_text(article, c))
        for _, _, (article, chunks) in repeated(base.chunked, n)
        for c in chunks
    )
    before = memory_mib()
    peak = reset_peak()
    tick = time.perf_counter()
    lexical = LexicalIndex.build(docs, 0)
    build_s = time.perf_counter() - tick
    after = memory_mib()
    high = f"{memory_mib('VmHWM'):.0f} MiB" if peak else "n/a"
    # bm25s's own vocabulary and postings; LexicalIndex has no need to show them
    retriever = lexical._retriever
    vocabulary = len(retriever.vocab_dict) if retriever else 0  # type: ignore[attr-defined]
    postings = len(retriever.scores["data"]) if retriever else 0  # type: ignore[attr-defined]
    lines = [
        f"BM25 over {len(lexical.chunk_ids)} stand-in chunk texts: {vocabulary} distinct terms, "
        f"{postings} postings; "
        f"build {build_s:.1f} s; RSS {before:.0f} -> {after:.0f} MiB (+{after - before:.0f}), "
        f"peak during build {high}  (load {load()})"
    ]
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-bm25-") as scratch:
        directory = Path(scratch) / "lexical"
        tick = time.perf_counter()
        lexical.save(directory)
        save_s = time.perf_counter() - tick
        del lexical
        size = disk_bytes(directory) / 2**20
        lines.append(f"saved: {size:.0f} MiB on disk in {save_s:.1f} s")
        probe = subprocess.run(
            [
                sys.executable,
                __file__,
                "--bm25-probe",
                str(directory),
                "--questions",
                str(questions),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    found = json.loads(probe.stdout.splitlines()[-1])
    scores = Latency(tuple(found["scores_ms"]))
    top = Latency(tuple(found["top_ms"]))
    lines.append(
        f"fresh process: RSS {found['rss_start']:.0f} MiB after imports, load (memory-mapped) "
        f"{found['load_ms']:.0f} ms -> RSS {found['rss_loaded']:.0f} MiB, "
        f"{found['rss_queried']:.0f} MiB after the questions"
    )
    lines.append(
        f"fresh process, {len(scores.samples)} questions: scores p50 / p95 {p50_p95(scores)} ms, "
        f"top_indices(k={K}) {p50_p95(top)} ms  (load {found['load']})"
    )
    return lines


def bm25_probe(directory: Path, questions: int) -> None:
    """In a fresh process: load the saved BM25 and time its questions; one JSON line."""
    rss_start = memory_mib()
    tick = time.perf_counter()
    lexical = LexicalIndex.load(directory)
    load_ms = (time.perf_counter() - tick) * 1000.0
    if lexical is None:
        raise SystemExit(f"no BM25 index at {directory}")
    rss_loaded = memory_mib()
    asked = [q["question"] for q in load_questions(QUESTIONS)[:questions]]
    scores_ms, top_ms = [], []
    for question in asked:
        tick = time.perf_counter()
        scores = lexical.scores(question)
        between = time.perf_counter()
        top_indices(scores, K)
        scores_ms.append((between - tick) * 1000.0)
        top_ms.append((time.perf_counter() - between) * 1000.0)
    found = {
        "rss_start": rss_start,
        "load_ms": load_ms,
        "rss_loaded": rss_loaded,
        "rss_queried": memory_mib(),
        "scores_ms": scores_ms,
        "top_ms": top_ms,
        "load": load(),
    }
    print(json.dumps(found))


# -- the run


def header(args: argparse.Namespace) -> str:
    try:
        commit = subprocess.run(
            ["git", "-C", str(Path(__file__).parent), "describe", "--always", "--dirty"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return "\n".join(
        [
            f"# python benchmarks/bench_scale.py {' '.join(sys.argv[1:])}",
            f"# {now}, commit {commit}, {os.cpu_count()} cores, load average {load()}",
            "# stand-in: every index vector is FakeEmbedder's (hashed bag-of-words, 384-d);"
            " questions are real",
            "# (the bundled model's vectors, torch, 1 thread; their embedding is not timed);"
            " 1M chunks and BM25",
            "# chunks repeat the corpus's chunks with fresh ids (copies' vectors moved by"
            f" N(0, {COPY_NOISE}) noise)",
        ]
    )


def server_holdings(url: str) -> str:
    """What the server holds in all its collections: its metadata filters (the as_of
    path) slowed from 12 to 42 ms p50 on a 1k-chunk index when other collections held
    40k more chunks, so a comparison wants a server holding only its own indexes."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    host, port, ssl = parse_chroma_url(url)
    try:
        client = chromadb.HttpClient(
            host=host, port=port, ssl=ssl, settings=ChromaSettings(anonymized_telemetry=False)
        )
        counts = {c.name: c.count() for c in client.list_collections()}
    except Exception as error:  # whatever the client raises for a server that is not there
        raise unavailable(url, error) from None
    return f"# the server at {url} holds {len(counts)} collections, {sum(counts.values())} chunks"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chunks", type=int, nargs="*", default=[1000, 100000])
    parser.add_argument("--root", type=Path, default=Path("/tmp/newsdesk-scale"))
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--chroma", metavar="URL", help="a Chroma server: `chroma run --port P`")
    parser.add_argument("--rounds", type=int, default=2, help="query rounds, stores alternating")
    parser.add_argument("--million", type=int, metavar="N", help="stand-in chunks on the server")
    parser.add_argument("--million-embedded", action="store_true", help="and embedded")
    parser.add_argument("--bm25-chunks", type=int, metavar="N")
    parser.add_argument(
        "--base-chunks",
        type=int,
        metavar="N",
        help="the corpus chunks that stand-in chunks repeat (default: as many as asked for, "
        "up to the whole corpus)",
    )
    parser.add_argument("--cluster-articles", type=int, metavar="N")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--bm25-probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bm25_probe:
        bm25_probe(args.bm25_probe, args.questions)
        return 0
    if args.million and not args.chroma and not args.million_embedded:
        parser.error("--million writes to the server: give --chroma URL (or --million-embedded)")
    print(header(args), flush=True)
    if args.chroma:
        print(server_holdings(args.chroma), flush=True)
    args.root.mkdir(parents=True, exist_ok=True)

    rows = load_questions(QUESTIONS)
    questions = rows[: args.questions]
    warm_rows = rows[-WARM_QUESTIONS:]
    vectors = warm_vectors = np.empty((0, STAND_IN.dimension), dtype=np.float32)
    warm: list[tuple[str, np.ndarray]] = []
    if args.chunks or args.million:
        log("embedding the questions with the bundled model")
        model = SentenceTransformerEmbedder(threads=1)
        vectors = model.embed([q["question"] for q in questions])
        warm_vectors = model.embed([q["question"] for q in warm_rows])
        warm = list(zip((q["question"] for q in warm_rows), warm_vectors, strict=True))
        del model

    stores = [("embedded", None)] + ([("server", args.chroma)] if args.chroma else [])
    for target in args.chunks:
        built: dict[str, NewsIndex] = {}
        print(f"\n## {target} chunks: the first corpus articles that make them, one ingest call")
        print(BUILD_HEADER)
        try:
            for store, url in stores:
                suffix = "" if store == "embedded" else "-server"
                directory = args.root / f"chunks-{target}{suffix}"
                built[store], done = build(store, directory, target, args.corpus, url)
                print(done.row(), flush=True)
            runs = []
            for round_ in range(args.rounds):
                order = list(built) if round_ % 2 == 0 else list(built)[::-1]
                for store in order:
                    log(f"questions on {target} chunks, {store}, round {round_ + 1}")
                    runs.append(
                        query_round(store, built[store], round_ + 1, questions, vectors, warm)
                    )
            print(query_table(runs, len(questions)), flush=True)
        finally:
            for index in built.values():
                index.close()

    base: Base | None = None
    if args.million or args.bm25_chunks:
        # the corpus is repeated only where it runs out, unless a smaller base is asked for
        limit = args.base_chunks or max(args.million or 0, args.bm25_chunks or 0)
        log(f"chunking the corpus for stand-in chunks (up to {limit})")
        base = read_base(args.corpus, limit)
    if args.million and base is not None:
        print(
            f"\n## {args.million} stand-in chunks: {stand_in_source(base, args.million)}, "
            f"written {BATCH_ARTICLES} articles per add_many as ingest writes them"
        )
        targets = ([args.chroma] if args.chroma else []) + ([None] if args.million_embedded else [])
        for url in targets:
            print(million(base, args.million, args.root, url, vectors, warm_vectors), flush=True)

    if args.bm25_chunks and base is not None:
        print(
            f"\n## BM25 at {args.bm25_chunks} chunks: {stand_in_source(base, args.bm25_chunks)}"
            " (repeating grows the postings as a real archive would, not the vocabulary)"
        )
        for line in bm25(base, args.bm25_chunks, args.questions):
            print(line, flush=True)

    if args.cluster_articles:
        import bench_cluster  # needs the cluster extra

        print(
            f"\n## ingest on a local cluster of 2 workers against plain ingest, "
            f"{args.cluster_articles} articles"
        )
        sys.stdout.flush()
        status = bench_cluster.main(["--articles", str(args.cluster_articles)])
        if status:
            return status
    print(f"\nload average at end: {load()}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except NewsdeskError as error:  # a server that is down, an index of another model
        sys.exit(f"bench_scale.py: {error}")
