"""Side by side: newsdesk against the LangChain RAG tutorial pipeline, on the same corpus
articles and the same RealTimeQA questions, in one run, rounds alternating A B A B.

    python benchmarks/bench_vs_langchain.py --articles 500 --questions 60 --rounds 3 \\
        | tee benchmarks/results/vs-langchain.txt

Needs the `bench` extra (`pip install -e '.[bench]'`). Each round ingests the first
`--articles` corpus articles into a fresh temporary index with each tool, then times the
first `--questions` dev questions against it, after warming up on the last ten:

- A, newsdesk through its public API: `NewsDesk.ingest([jsonl])`, `desk.retrieve(q)`
  and the full cited answer `desk.ask(q)`, every setting at its default (bfloat16
  products where the CPU has them, chunks of about 160 word pieces with one sentence of
  overlap and the title, and every sentence embedded alone as well). With
  `--sentence-vectors pooled` the sentences' vectors are pooled out of their chunks'
  forward passes instead (the `sentence_vectors` setting). Chunks and sentences are
  embedded through OpenVINO, newsdesk's default since 2026-12-05 (`--ingest-runtime
  torch` for sentence-transformers, as before).
- B, the tutorial (python.langchain.com/docs/tutorials/rag): `RecursiveCharacterTextSplitter
  (chunk_size=1000, chunk_overlap=200)`, `HuggingFaceEmbeddings` with the same bundled
  all-MiniLM-L6-v2 (its defaults: fp32, batches of 32), a persistent Chroma through
  langchain-chroma, `vector_store.add_documents(splits)`, and `similarity_search(q, k=4)`.
  A document is what a web loader would give for the article: the headline, a blank
  line, and the text.

Both tools run with the same torch thread count: `--threads` (default 2, all the cores
here) while ingesting, `--query-threads` (default 1, newsdesk's default) while answering.
The clock of an ingest starts with the store open and the model loaded and stops when the
last write is done; it includes reading the JSONL (a temporary copy of the corpus slice,
outside the repository). Word pieces are counted with the model's tokenizer on exactly the
texts each tool hands to the model, [CLS] and [SEP] included and cut at the model's 256,
outside the clock.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench_ingest import CORPUS, TimedPoolingEmbedder, write_corpus_slice
from bench_query import QUESTIONS, WARM_QUESTIONS, Latency, load_questions, log, timed
from langchain_core.embeddings import Embeddings

from index import SentenceTransformerEmbedder
from index.embedding import Spans, bundled_model_path
from index.openvino_embedding import INGEST_RUNTIMES, ingest_accelerator
from index.sentence_vectors import ALONE, SENTENCE_VECTOR_METHODS
from qa import NewsDesk, NewsdeskError, Settings

TUTORIAL_CHUNK_SIZE = 1000  # characters, the tutorial's RecursiveCharacterTextSplitter
TUTORIAL_CHUNK_OVERLAP = 200
TUTORIAL_K = 4  # similarity_search's default


class BenchmarkSetupError(NewsdeskError):
    """What the benchmark needs is not there."""


class CountingEmbedder(TimedPoolingEmbedder):
    """A `TimedPoolingEmbedder` that also keeps every batch of texts it was asked to
    embed, so that the word pieces can be counted after the clock has stopped."""

    def __init__(self, inner: SentenceTransformerEmbedder) -> None:
        super().__init__(inner)
        self.calls: list[list[str]] = []
        self.pooled: set[int] = set()  # calls to embed_pooled: chunk texts only

    def embed(self, texts: Sequence[str]) -> Any:
        self.calls.append(list(texts))
        return super().embed(texts)

    def embed_pooled(self, texts: Sequence[str], spans: Sequence[Spans]) -> Any:
        self.pooled.add(len(self.calls))
        self.calls.append(list(texts))
        return super().embed_pooled(texts, spans)


@dataclass(frozen=True)
class WordPieces:
    """What one tool embedded for its articles, per article; word pieces as the model
    reads them ([CLS] and [SEP] included, cut at its maximum)."""

    chunks: float  # chunks per article
    chunk_pieces: float  # word pieces of the chunks, per article
    sentences: float = 0.0  # sentences embedded alone, per article (newsdesk's that
    # its chunks' passes did not read, or all of them when its embedder cannot pool)
    sentence_pieces: float = 0.0

    @property
    def total(self) -> float:
        return self.chunk_pieces + self.sentence_pieces


@dataclass(frozen=True)
class ToolRound:
    """One tool's ingest and queries in one round."""

    tool: str
    articles: int
    chunks: int
    seconds: float  # ingest wall time
    cpu_s: float  # ingest process CPU time, all threads
    embed_s: float  # of the wall time, inside the model's encode
    pieces: WordPieces
    retrieve: Latency
    ask: Latency | None  # the full cited answer; the tutorial has none
    load: tuple[float, float]  # 1-minute load average before and after

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def chunks_per_s(self) -> float:
        return self.chunks / self.seconds


def run_newsdesk(
    source: Path,
    scratch: Path,
    embedder: SentenceTransformerEmbedder,
    questions: Sequence[str],
    warm: Sequence[str],
    threads: int,
    query_threads: int,
    sentence_vectors: str,
) -> ToolRound:
    """Ingest `source` into a fresh newsdesk index and time its questions."""
    import torch

    load_before = os.getloadavg()[0]
    counting = CountingEmbedder(embedder)
    chunk_split: dict[int, int] = {}  # embed call -> how many of its texts are chunks
    written = [0]

    def progress(seen: int, chunks: int) -> None:
        # ingest pools a batch's sentences out of its chunks' pass (embed_pooled), or
        # embeds the chunk texts first, then the sentences, in one call; it reports the
        # batch's chunks right after writing it
        if chunks > written[0]:
            pooled = sorted(i for i in counting.pooled if i not in chunk_split)
            last = pooled[-1] if pooled else len(counting.calls) - 1
            chunk_split[last] = chunks - written[0]
            written[0] = chunks

    settings = Settings(index_dir=scratch / "newsdesk", sentence_vectors=sentence_vectors)
    desk = NewsDesk.open(settings, create=True, embedder=counting)
    try:
        torch.set_num_threads(threads)
        tick, cpu = time.perf_counter(), time.process_time()
        report = desk.ingest([source], progress)
        seconds = time.perf_counter() - tick - counting.measure_s
        cpu_s = time.process_time() - cpu - counting.measure_s
    finally:
        desk.close()
    if report.failed:
        log(f"newsdesk: {len(report.failed)} inputs failed, first: {report.failed[0]}")
    articles = len(report.added) + len(report.updated)
    pieces = _newsdesk_pieces(counting, chunk_split, articles, report.chunks)
    # questions go to the plain embedder: the counting one would time its own counting
    desk = NewsDesk.open(settings, embedder=embedder)
    try:
        torch.set_num_threads(query_threads)
        desk.warm_up()
        for q in warm:
            desk.retrieve(q)
            desk.ask(q)
        plain = [(q, None) for q in questions]
        retrieve, _ = timed(lambda q, _d: desk.retrieve(q), plain)
        ask, _ = timed(lambda q, _d: desk.ask(q), plain)
    finally:
        desk.close()
    return ToolRound(
        tool="newsdesk",
        articles=articles,
        chunks=report.chunks,
        seconds=seconds,
        cpu_s=cpu_s,
        embed_s=counting.embed_s,
        pieces=pieces,
        retrieve=retrieve,
        ask=ask,
        load=(load_before, os.getloadavg()[0]),
    )


def _newsdesk_pieces(
    counting: CountingEmbedder, chunk_split: dict[int, int], articles: int, chunks: int
) -> WordPieces:
    """Split what newsdesk embedded into chunk texts and lone sentences, and count both.
    A call that `chunk_split` does not name holds sentences only: those a pooled pass
    could not read."""
    if sum(chunk_split.values()) != chunks:
        raise BenchmarkSetupError(
            f"could not tell newsdesk's chunk texts from its sentences ({sum(chunk_split.values())}"
            f" of {chunks} chunks placed): index/ingest.py no longer embeds a batch in one call; "
            "update _newsdesk_pieces to match"
        )
    chunk_texts: list[str] = []
    sentence_texts: list[str] = []
    for i, texts in enumerate(counting.calls):
        k = chunk_split.get(i, 0)
        chunk_texts += texts[:k]
        sentence_texts += texts[k:]
    per = max(articles, 1)
    return WordPieces(
        chunks=len(chunk_texts) / per,
        chunk_pieces=_model_pieces(counting.inner, chunk_texts) / per,
        sentences=len(sentence_texts) / per,
        sentence_pieces=_model_pieces(counting.inner, sentence_texts) / per,
    )


def _model_pieces(embedder: Any, texts: Sequence[str]) -> int:
    """Word pieces the model reads for `texts`: [CLS] and [SEP] added, cut at its maximum."""
    return sum(min(n + 2, embedder.max_tokens) for n in embedder.token_counts(texts))


def tutorial_modules() -> tuple[Any, Any, Any, Any]:
    """(Document, RecursiveCharacterTextSplitter, HuggingFaceEmbeddings, Chroma)."""
    try:
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_huggingface import HuggingFaceEmbeddings
        from langchain_text_splitters import RecursiveCharacterTextSplitter
    except ImportError as exc:
        raise BenchmarkSetupError(
            f"the tutorial pipeline needs {exc.name}: pip install -e '.[bench]'"
        ) from None
    return Document, RecursiveCharacterTextSplitter, HuggingFaceEmbeddings, Chroma


class TimedEmbeddings(Embeddings):
    """LangChain `Embeddings` passed through, adding up the seconds spent embedding."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.embed_s = 0.0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        tick = time.perf_counter()
        try:
            return list(self.inner.embed_documents(texts))
        finally:
            self.embed_s += time.perf_counter() - tick

    def embed_query(self, text: str) -> list[float]:
        return list(self.inner.embed_query(text))


def run_tutorial(
    source: Path,
    scratch: Path,
    embeddings: Any,
    counter: SentenceTransformerEmbedder,
    questions: Sequence[str],
    warm: Sequence[str],
    threads: int,
    query_threads: int,
) -> ToolRound:
    """The LangChain RAG tutorial's indexing and retrieval, on the same JSONL."""
    import chromadb
    import torch

    document, splitter_class, _, chroma = tutorial_modules()
    load_before = os.getloadavg()[0]
    timed_embeddings = TimedEmbeddings(embeddings)
    from chromadb.api.client import Client

    # ClientAPI does not declare close(), which the client has and which releases SQLite
    client = cast(
        Client,
        chromadb.PersistentClient(
            path=str(scratch / "tutorial"),
            settings=chromadb.config.Settings(anonymized_telemetry=False),
        ),
    )
    try:
        store = chroma(
            collection_name="tutorial", embedding_function=timed_embeddings, client=client
        )
        splitter = splitter_class(
            chunk_size=TUTORIAL_CHUNK_SIZE, chunk_overlap=TUTORIAL_CHUNK_OVERLAP
        )
        torch.set_num_threads(threads)
        tick, cpu = time.perf_counter(), time.process_time()
        docs = [document(page_content=text, metadata=meta) for text, meta in read_documents(source)]
        splits = splitter.split_documents(docs)
        store.add_documents(documents=splits)
        seconds = time.perf_counter() - tick
        cpu_s = time.process_time() - cpu
        per = max(len(docs), 1)
        pieces = WordPieces(
            chunks=len(splits) / per,
            chunk_pieces=_model_pieces(counter, [s.page_content for s in splits]) / per,
        )
        torch.set_num_threads(query_threads)
        for q in warm:
            store.similarity_search(q, k=TUTORIAL_K)
        plain = [(q, None) for q in questions]
        retrieve, _ = timed(lambda q, _d: store.similarity_search(q, k=TUTORIAL_K), plain)
    finally:
        client.close()
    return ToolRound(
        tool="tutorial",
        articles=len(docs),
        chunks=len(splits),
        seconds=seconds,
        cpu_s=cpu_s,
        embed_s=timed_embeddings.embed_s,
        pieces=pieces,
        retrieve=retrieve,
        ask=None,
        load=(load_before, os.getloadavg()[0]),
    )


def read_documents(source: Path) -> list[tuple[str, dict[str, str]]]:
    """(page content, metadata) per corpus line with text: headline, blank line, text, as
    a web loader gives a news page; metadata keeps Chroma's scalar types only.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = Path(d) / "a.jsonl"
    ...     _ = path.write_text('{"id": "x", "title": "T", "text": "Body.", "authors": []}\\n')
    ...     read_documents(path)
    [('T\\n\\nBody.', {'id': 'x', 'title': 'T'})]
    """
    out = []
    with source.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            text, title = row.get("text") or "", row.get("title") or ""
            if not text.strip():
                continue
            meta = {
                k: v for k in ("id", "title", "date", "url") if isinstance(v := row.get(k), str)
            }
            out.append((f"{title}\n\n{text}" if title else text, meta))
    return out


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def round_table(rounds: Sequence[ToolRound]) -> str:
    lines = [
        "per round, ingest then warm queries; ms are wall p50 (process CPU p50 in brackets)",
        f"{'round':>5} {'tool':<9} {'articles':>8} {'chunks':>6} {'ingest s':>8} {'cpu s':>7} "
        f"{'art/s':>6} {'chunks/s':>8} {'embed %':>7}  {'retrieve ms':>15}  {'answer ms':>15}  "
        f"{'load':>11}",
    ]
    for i, r in enumerate(rounds):
        answer = f"{r.ask.p(50):6.1f} ({r.ask.cpu_p(50):6.1f})" if r.ask else f"{'-':>15}"
        lines.append(
            f"{i // 2 + 1:>5} {r.tool:<9} {r.articles:>8} {r.chunks:>6} {r.seconds:8.1f} "
            f"{r.cpu_s:7.1f} {r.articles_per_s:6.2f} {r.chunks_per_s:8.2f} "
            f"{100 * r.embed_s / r.seconds:7.1f}  "
            f"{r.retrieve.p(50):6.1f} ({r.retrieve.cpu_p(50):6.1f})  {answer}  "
            f"{r.load[0]:5.2f}-{r.load[1]:<5.2f}"
        )
    return "\n".join(lines)


def pieces_table(ours: WordPieces, theirs: WordPieces) -> str:
    """What each tool hands the model per article (the same in every round)."""
    rows = [
        ("chunks", ours.chunks, theirs.chunks),
        (
            "word pieces per chunk",
            ours.chunk_pieces / ours.chunks,
            theirs.chunk_pieces / theirs.chunks,
        ),
        ("word pieces of the chunks", ours.chunk_pieces, theirs.chunk_pieces),
        ("sentences embedded alone", ours.sentences, theirs.sentences),
        (
            "word pieces of those sentences",
            ours.sentence_pieces,
            theirs.sentence_pieces,
        ),
        ("word pieces embedded, all told", ours.total, theirs.total),
    ]
    width = max(len(name) for name, _, _ in rows)
    lines = [f"{'per article':<{width}}  {'newsdesk':>9} {'tutorial':>9} {'ratio':>6}"]
    for name, a, b in rows:
        ratio = f"{a / b:6.2f}" if b else f"{'-':>6}"
        lines.append(f"{name:<{width}}  {a:9.1f} {b:9.1f} {ratio}")
    return "\n".join(lines)


def summary_table(rounds: Sequence[ToolRound]) -> str:
    """Medians over the rounds, and the median of the per-round ratios newsdesk / tutorial."""
    ours = [r for r in rounds if r.tool == "newsdesk"]
    theirs = [r for r in rounds if r.tool == "tutorial"]
    metrics: list[tuple[str, Callable[[ToolRound], float]]] = [
        ("ingest, articles/s", lambda r: r.articles_per_s),
        ("ingest, chunks/s", lambda r: r.chunks_per_s),
        ("ingest CPU s per article", lambda r: r.cpu_s / r.articles),
        ("embedding s per article", lambda r: r.embed_s / r.articles),
        ("everything else s per article", lambda r: (r.seconds - r.embed_s) / r.articles),
        ("word pieces embedded per article", lambda r: r.pieces.total),
        ("retrieval p50, ms", lambda r: r.retrieve.p(50)),
    ]
    lines = [
        f"medians over {len(ours)} rounds; ratio = median of the per-round newsdesk / tutorial",
        f"{'':<34} {'newsdesk':>9} {'tutorial':>9} {'ratio':>6}",
    ]
    for name, value in metrics:
        a = [value(r) for r in ours]
        b = [value(r) for r in theirs]
        ratio = median([x / y for x, y in zip(a, b, strict=True) if y])
        lines.append(f"{name:<34} {median(a):9.2f} {median(b):9.2f} {ratio:6.2f}")
    asks = [r.ask.p(50) for r in ours if r.ask]
    answer_ratio = median(
        [r.ask.p(50) / t.retrieve.p(50) for r, t in zip(ours, theirs, strict=True) if r.ask]
    )
    lines.append(
        f"{'newsdesk full cited answer p50, ms':<34} {median(asks):9.2f} {'-':>9} {'-':>6}"
    )
    lines.append(f"{'  / the tutorial retrieval p50':<34} {'':>9} {'':>9} {answer_ratio:6.2f}")
    return "\n".join(lines)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="torch threads while ingesting")
    parser.add_argument(
        "--query-threads", type=int, default=1, help="torch threads while answering"
    )
    parser.add_argument(
        "--sentence-vectors",
        choices=SENTENCE_VECTOR_METHODS,
        default=ALONE,
        help="how newsdesk makes its sentence vectors (default: alone, its default)",
    )
    parser.add_argument(
        "--ingest-runtime",
        choices=INGEST_RUNTIMES,
        default=Settings().ingest_runtime,
        help="what makes newsdesk's plain embeddings at ingest (default: its default)",
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--questions-file", type=Path, default=QUESTIONS)
    args = parser.parse_args(argv)
    for name in ("articles", "questions", "rounds", "threads", "query_threads"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    try:
        return run(args)
    except NewsdeskError as exc:
        print(f"bench_vs_langchain: {exc}", file=sys.stderr)
        return 2


def run(args: argparse.Namespace) -> int:
    for path in (args.corpus, args.questions_file):
        if not path.is_file():
            raise BenchmarkSetupError(f"{path} is missing: the benchmark reads it in place")
    _, _, hf_embeddings, _ = tutorial_modules()  # fail before loading anything heavy
    questions = load_questions(args.questions_file)
    if len(questions) < args.questions + WARM_QUESTIONS:
        raise BenchmarkSetupError(
            f"{args.questions_file} has {len(questions)} questions: ask for at most "
            f"--questions {max(len(questions) - WARM_QUESTIONS, 1)} (ten more warm up)"
        )
    timed_q = [q["question"] for q in questions[: args.questions]]
    warm = [q["question"] for q in questions[-WARM_QUESTIONS:]]
    print(f"load average at start: {load_average()}")
    import torch

    model = str(bundled_model_path())
    ours = SentenceTransformerEmbedder()  # threads are set per phase below, for both
    ours.warm_up()
    if args.ingest_runtime == "openvino":
        # as a desk does at its first ingest (NewsDesk.ingest); `ours` goes to the desks
        # wrapped for counting, so the benchmark sets it up itself
        accelerator = ingest_accelerator(ours, Settings().cache_dir, threads=args.threads)
        if accelerator is None:
            raise BenchmarkSetupError(
                "OpenVINO cannot embed here (the log line above says why): "
                "--ingest-runtime torch measures without it"
            )
        ours.accelerate(accelerator)
    ours.embed(["warm up"])
    theirs = hf_embeddings(model_name=model)
    theirs.embed_documents(["warm up"])
    print(
        f"model {model}; newsdesk embeds in {'bfloat16' if ours.uses_bf16 else 'fp32'}, "
        f"the tutorial in fp32; newsdesk ingests through {args.ingest_runtime}, its "
        f"sentence vectors {args.sentence_vectors}; "
        f"torch threads {args.threads} ingesting, "
        f"{args.query_threads} answering, for both (torch {torch.__version__})"
    )
    rounds: list[ToolRound] = []
    scratch = Path(tempfile.mkdtemp(prefix="newsdesk-bench-vs-langchain-"))
    try:
        source = scratch / "articles.jsonl"
        count = write_corpus_slice(args.articles, source, args.corpus)
        print(
            f"{count} articles from {args.corpus}, {len(timed_q)} questions from "
            f"{args.questions_file} (warm-up on the last {WARM_QUESTIONS})"
        )
        for i in range(args.rounds):
            for tool in ("newsdesk", "tutorial"):
                directory = scratch / f"round-{i + 1}-{tool}"
                directory.mkdir()
                log(f"round {i + 1}: {tool}")
                if tool == "newsdesk":
                    result = run_newsdesk(
                        source,
                        directory,
                        ours,
                        timed_q,
                        warm,
                        args.threads,
                        args.query_threads,
                        args.sentence_vectors,
                    )
                else:
                    result = run_tutorial(
                        source,
                        directory,
                        theirs,
                        ours,
                        timed_q,
                        warm,
                        args.threads,
                        args.query_threads,
                    )
                shutil.rmtree(directory, ignore_errors=True)
                log(
                    f"round {i + 1}: {tool} {result.articles_per_s:.2f} articles/s, "
                    f"retrieval p50 {result.retrieve.p(50):.1f} ms"
                )
                rounds.append(result)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print()
    print(round_table(rounds))
    print()
    print(pieces_table(rounds[0].pieces, rounds[1].pieces))
    print()
    print(summary_table(rounds))
    print(f"\nload average at end: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
