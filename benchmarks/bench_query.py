"""Query speed: warm latency of retrieval and of the full extractive answer on indexes of
about 1k, 10k and 100k chunks, and cold start from process start to the first answer.

    python benchmarks/bench_query.py --chunks 1000 10000 100000 | tee benchmarks/results/query.txt

Indexes are built from the start of the corpus under `--index-root` (default
/tmp/newsdesk-bench) and reused by later runs: each holds the first articles of the
corpus that make up about the target number of chunks, and a larger one starts as a
copy of the next smaller one, so the shared articles are embedded once. A build can
be stopped and restarted: ingest resumes where it stopped. `--build-only` builds and
measures nothing, for the long 100k build in the background:

    nohup python benchmarks/bench_query.py --chunks 1000 10000 100000 --build-only \\
        > /tmp/newsdesk-bench/build.log 2>&1 &

Questions are RealTimeQA's (../shared/eval/realtimeqa/questions_dev.jsonl): the first
`--questions` are timed, the last ten warm the service up first. First `retrieve` and
`ask` back to back for each question, which goes first alternating, while the questions
are new to the process: the paired table's ratio of the two is what a slow spell of the
shared machine, which lasts longer than one question, cannot tilt. Then each again in
passes of its own: `retrieve` without and with the question's date as `as_of`, then
`ask`, which finds what the paired pass cached (the main table's `ask` column).

`--runtime openvino onnx torch` measures those question runtimes (NEWSDESK_QUERY_RUNTIME)
in one run, alternating, `--rounds` times; the ONNX export is made first if the cache
lacks it. `--embedding-questions N` also times N question embeddings alone in each
runtime and prints the largest cosine difference between ONNX Runtime's vectors and
torch's (RealTimeQA dev, then the seed sets' questions):

    python benchmarks/bench_query.py --chunks 1000 --runtime torch onnx --rounds 2 \
        --embedding-questions 227 --cold-runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
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
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench_ingest import CORPUS, disk_bytes, run_ingest, write_corpus_slice

from index import (
    BUNDLED_MODEL,
    SentenceTransformerEmbedder,
    chunk_article,
    read_paths,
    split_sentences,
)
from index.embedding import Embedder
from index.onnx_embedding import RUNTIMES, OnnxEmbedder, QueryEmbedder, export_directory
from index.openvino_embedding import question_embedder
from index.records import Article
from qa import NewsDesk, Settings

QUESTIONS = CORPUS.parents[1] / "eval" / "realtimeqa" / "questions_dev.jsonl"
SEED_QUESTIONS = [
    Path(__file__).resolve().parents[1] / "seeds" / n
    for n in ("questions.jsonl", "calibration.jsonl")
]
WARM_QUESTIONS = 10

COLD_START = """
import sys, time
from qa import NewsDesk, Settings
desk = NewsDesk.open(Settings.from_env(index_dir=sys.argv[1]))
answer = desk.ask(sys.argv[2])
print(time.time(), answer.abstained, len(answer.citations))
"""


@dataclass(frozen=True)
class BuiltIndex:
    """An index of the first `articles` corpus articles, about `target` chunks."""

    target: int
    directory: Path
    articles: int
    chunks: int


@dataclass(frozen=True)
class Latency:
    """Milliseconds of one kind of call, one entry per question: wall clock, and the
    process CPU time (all threads), which says more than the wall on a busy machine."""

    samples: tuple[float, ...]
    cpu: tuple[float, ...] = ()

    def p(self, q: float) -> float:
        return float(np.percentile(self.samples, q)) if self.samples else float("nan")

    def cpu_p(self, q: float) -> float:
        return float(np.percentile(self.cpu, q)) if self.cpu else float("nan")


@dataclass(frozen=True)
class WarmRun:
    """Warm latencies on one index with one query thread count."""

    chunks: int
    threads: int
    runtime: str  # what embedded the questions: "onnx" or "torch"
    retrieve: Latency
    retrieve_as_of: Latency
    ask: Latency
    ask_embed: Latency  # the parts of `ask`, from Answer.timings_ms
    ask_retrieve: Latency
    ask_evidence: Latency
    # the same questions first, new to the process, `retrieve` and `ask` back to back for
    # each, which goes first alternating: a neighbour that slows the machine slows both
    paired_retrieve: Latency
    paired_ask: Latency
    load: float

    def paired_ratio(self) -> float:
        """The median over questions of ask's time over retrieve's, paired."""
        pairs = zip(self.paired_ask.samples, self.paired_retrieve.samples, strict=True)
        return float(np.median([a / r for a, r in pairs]))


def articles_for_chunks(targets: Sequence[int], corpus: Path) -> dict[int, int]:
    """How many leading corpus articles make at least `target` chunks, for each target
    (the whole corpus when it has fewer). Chunks are counted as ingest makes them."""
    embedder = SentenceTransformerEmbedder()
    wanted = sorted(targets)
    found: dict[int, int] = {}
    chunks = articles = 0
    for item in read_paths([corpus]):
        if not isinstance(item, Article):
            continue
        articles += 1
        chunks += len(chunk_article(item, split_sentences(item.text), embedder.token_counts))
        while wanted and chunks >= wanted[0]:
            found[wanted.pop(0)] = articles
        if not wanted:
            break
    for target in wanted:
        found[target] = articles
    return found


def existing_indexes(targets: Sequence[int], root: Path) -> list[BuiltIndex]:
    """The indexes under `root` as they stand, finished or not (an interrupted ingest
    leaves one that answers from the articles it completed)."""
    found = []
    for target in sorted(targets):
        directory = root / f"chunks-{target}"
        if directory.exists():
            articles, chunks = index_size(directory)
            found.append(BuiltIndex(target, directory, articles, chunks))
    return found


def build_indexes(targets: Sequence[int], root: Path, corpus: Path) -> list[BuiltIndex]:
    """Build (or reuse) one index per target under `root`, smallest first."""
    root.mkdir(parents=True, exist_ok=True)
    built: list[BuiltIndex] = []
    counts: dict[int, int] | None = None
    for target in sorted(targets):
        directory = root / f"chunks-{target}"
        done = root / f"chunks-{target}.json"
        if done.exists():
            info = json.loads(done.read_text())
            built.append(BuiltIndex(target, directory, info["articles"], info["chunks"]))
            continue
        if counts is None:
            log(f"counting chunks to choose the articles for {sorted(targets)}")
            counts = articles_for_chunks(targets, corpus)
            log(f"articles per target: {counts}")
        if built and not directory.exists():
            log(f"starting {directory} as a copy of {built[-1].directory}")
            shutil.copytree(built[-1].directory, directory)
        with tempfile.TemporaryDirectory(prefix="newsdesk-bench-query-") as scratch:
            source = Path(scratch) / "articles.jsonl"
            first = write_corpus_slice(counts[target], source, corpus)
            log(f"building {directory} from the first {first} articles")
            run = run_ingest(source, directory, threads=2)
        # an index already there (from bench_ingest, say) may hold more than asked for
        articles, chunks = index_size(directory)
        log(
            f"built {directory}: {chunks} chunks, this step {run.chunks} chunks in "
            f"{run.seconds:.0f} s ({run.chunks / max(run.seconds, 1e-9):.1f} chunks/s)"
        )
        info = {"articles": articles, "chunks": chunks, "step_seconds": run.seconds}
        done.write_text(json.dumps(info))
        built.append(BuiltIndex(target, directory, articles, chunks))
    return built


def index_size(directory: Path) -> tuple[int, int]:
    """(articles, chunks) served by the index."""
    desk = NewsDesk.open(Settings.from_env(index_dir=directory))
    try:
        summaries = desk.articles()
        return len(summaries), sum(a.chunks for a in summaries)
    finally:
        desk.close()


def load_questions(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


T = TypeVar("T")


def timed(
    call: Callable[[str, str | None], T], questions: Sequence[tuple[str, str | None]]
) -> tuple[Latency, list[T]]:
    """`call(question, as_of)` once per question, timed."""
    samples: list[float] = []
    cpu: list[float] = []
    results: list[T] = []
    for question, as_of in questions:
        tick, cpu_tick = time.perf_counter(), time.process_time()
        results.append(call(question, as_of))
        samples.append((time.perf_counter() - tick) * 1000.0)
        cpu.append((time.process_time() - cpu_tick) * 1000.0)
    return Latency(tuple(samples), tuple(cpu)), results


def warm_latency(
    index: BuiltIndex,
    threads: int,
    runtime: str,
    timed_questions: list[dict[str, str]],
    warm: list[str],
) -> WarmRun:
    """Latencies of `retrieve` and `ask` over the questions, after warming up."""
    settings = Settings.from_env(
        index_dir=index.directory, query_threads=threads, query_runtime=runtime
    )
    desk = NewsDesk.open(settings)
    try:
        desk.warm_up()
        if desk.query_runtime != runtime:  # no sound export: it fell back, said in the log
            raise SystemExit(f"questions are embedded with {desk.query_runtime}, not {runtime}")
        for q in warm:
            desk.retrieve(q)
            desk.ask(q)
        plain: list[tuple[str, str | None]] = [(q["question"], None) for q in timed_questions]
        dated = [(q["question"], q["question_date"]) for q in timed_questions]
        # paired first, while every question is new to this process: later passes ask
        # them again and find what the first one cached (articles, speakers, vectors)
        paired: dict[str, list[float]] = {"retrieve": [], "ask": []}
        for n, (question, _) in enumerate(plain):
            calls: list[tuple[str, Callable[[str], object]]] = [
                ("retrieve", desk.retrieve),
                ("ask", desk.ask),
            ]
            for name, call in calls if n % 2 == 0 else calls[::-1]:
                tick = time.perf_counter()
                call(question)
                paired[name].append((time.perf_counter() - tick) * 1000.0)
        retrieve, _ = timed(lambda q, d: desk.retrieve(q, as_of=d), plain)
        retrieve_as_of, _ = timed(lambda q, d: desk.retrieve(q, as_of=d), dated)
        ask, answers = timed(lambda q, d: desk.ask(q, as_of=d), plain)
    finally:
        desk.close()

    def part(name: str) -> Latency:
        return Latency(tuple(a.timings_ms.get(name, float("nan")) for a in answers))

    return WarmRun(
        chunks=index.chunks,
        threads=threads,
        runtime=runtime,
        retrieve=retrieve,
        retrieve_as_of=retrieve_as_of,
        ask=ask,
        ask_embed=part("embed_ms"),
        ask_retrieve=part("retrieve_ms"),
        ask_evidence=part("evidence_ms"),
        paired_retrieve=Latency(tuple(paired["retrieve"])),
        paired_ask=Latency(tuple(paired["ask"])),
        load=os.getloadavg()[0],
    )


@dataclass(frozen=True)
class ColdStart:
    chunks: int
    runtime: str
    to_answer_s: tuple[float, ...]  # process start to the answer in hand
    to_exit_s: tuple[float, ...]  # process start to the process gone
    cpu_s: tuple[float, ...]  # CPU time of the whole child process, all threads
    cli_s: tuple[float, ...]  # `newsdesk ask QUESTION --index DIR`, start to exit
    load: float


def cold_start(
    index: BuiltIndex, question: str, runs: int, runtimes: Sequence[str]
) -> list[ColdStart]:
    """Fresh interpreters that open the desk and ask once, timed from outside, then the
    same through `newsdesk ask`; the runtimes alternate, run by run."""
    to_answer: dict[str, list[float]] = {r: [] for r in runtimes}
    to_exit: dict[str, list[float]] = {r: [] for r in runtimes}
    cpu: dict[str, list[float]] = {r: [] for r in runtimes}
    cli: dict[str, list[float]] = {r: [] for r in runtimes}
    root = Path(__file__).resolve().parents[1]
    ask = [sys.executable, "-m", "ui.cli", "ask", question, "--index", str(index.directory)]
    for _ in range(runs):
        for runtime in runtimes:
            env = {**os.environ, "NEWSDESK_QUERY_RUNTIME": runtime}
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall, tick = time.time(), time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", COLD_START, str(index.directory), question],
                capture_output=True,
                text=True,
                check=True,
                cwd=root,
                env=env,
            )
            to_exit[runtime].append(time.perf_counter() - tick)
            to_answer[runtime].append(float(done.stdout.split()[0]) - wall)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[runtime].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            tick = time.perf_counter()
            subprocess.run(ask, capture_output=True, check=True, cwd=root, env=env)
            cli[runtime].append(time.perf_counter() - tick)
    return [
        ColdStart(
            index.chunks,
            r,
            tuple(to_answer[r]),
            tuple(to_exit[r]),
            tuple(cpu[r]),
            tuple(cli[r]),
            os.getloadavg()[0],
        )
        for r in runtimes
    ]


@dataclass(frozen=True)
class EmbeddingRun:
    """Questions embedded one at a time in each runtime, and how far apart the vectors are."""

    questions: int
    threads: int
    ms: dict[str, Latency]  # runtime -> per-question wall time
    max_gap_fp32: float  # largest 1 - cosine, ONNX against torch in fp32
    max_gap_auto: float  # ... against torch as the index embeds (bf16 where the CPU has it)
    torch_bf16: bool
    load: float


def embedding_run(questions: Sequence[str], threads: int, cache_dir: Path) -> EmbeddingRun:
    """Time each question's embedding in torch (as the query path runs it), in ONNX
    Runtime and, where the CPU has bfloat16, in OpenVINO, alternating question by
    question, and compare ONNX Runtime's vectors with torch's."""
    auto = SentenceTransformerEmbedder(threads=threads)
    fp32 = SentenceTransformerEmbedder(threads=threads, precision="fp32")
    export = export_directory(cache_dir, BUNDLED_MODEL)
    assert export is not None
    onnx = OnnxEmbedder(BUNDLED_MODEL, export, threads=threads)
    runtimes: dict[str, Embedder] = {"torch": auto, "onnx": onnx}
    openvino = question_embedder(BUNDLED_MODEL, export, threads=threads, precision="auto")
    if openvino is not None:  # where the CPU multiplies bfloat16 natively
        runtimes["openvino (bf16)"] = openvino
    for embedder in runtimes.values():
        embedder.embed(list(questions[:10]))  # load and warm
    ms: dict[str, list[float]] = {name: [] for name in runtimes}
    for question in questions:
        for name, embedder in runtimes.items():
            tick = time.perf_counter()
            embedder.embed([question])
            ms[name].append((time.perf_counter() - tick) * 1000.0)
    ours = onnx.embed(questions)

    def gap(theirs: np.ndarray) -> float:
        return float(np.max(1.0 - np.sum(ours * theirs, axis=1)))

    return EmbeddingRun(
        questions=len(questions),
        threads=threads,
        ms={name: Latency(tuple(v)) for name, v in ms.items()},
        max_gap_fp32=gap(fp32.embed(questions)),
        max_gap_auto=gap(auto.embed(questions)),
        torch_bf16=auto.uses_bf16,
        load=os.getloadavg()[0],
    )


def embedding_table(run: EmbeddingRun) -> str:
    torch_kind = "bf16 autocast" if run.torch_bf16 else "fp32"
    lines = [
        f"question embedding alone, ms, {run.questions} questions one at a time, "
        f"{run.threads} thread(s), alternating (load {run.load:.2f})",
        f"{'runtime':>22}  {'p50':>6}  {'p95':>6}",
    ]
    for name, latency in run.ms.items():
        label = f"torch ({torch_kind})" if name == "torch" else name
        lines.append(f"{label:>22}  {latency.p(50):6.2f}  {latency.p(95):6.2f}")
    lines.append(
        f"largest 1 - cosine, ONNX against torch: {run.max_gap_fp32:.2e} (fp32), "
        f"{run.max_gap_auto:.2e} ({torch_kind}, as the index embeds)"
    )
    return "\n".join(lines)


def ensure_export(cache_dir: Path) -> None:
    """Make the ONNX export if the cache lacks a sound one (loads torch)."""
    query = QueryEmbedder(SentenceTransformerEmbedder(), cache_dir)
    if query.runtime == "torch":
        log(f"exporting the model to ONNX into {cache_dir}")
        query.ensure_export()
        if query.runtime == "torch":
            raise SystemExit("the ONNX export failed; see the log line above")


def seed_and_dev_questions(n: int) -> list[str]:
    """The first n of RealTimeQA dev's questions, then the seed sets'."""
    found = [q["question"] for q in load_questions(QUESTIONS)]
    for path in SEED_QUESTIONS:
        found += [q["question"] for q in load_questions(path)]
    return found[:n]


def warm_table(runs: Sequence[WarmRun], questions: int) -> str:
    lines = [
        f"warm latency, ms, over {questions} RealTimeQA questions: wall p50 / p95, and the",
        "process CPU time p50 (all threads). ask's parts are wall p50 from Answer.timings_ms.",
        f"{'chunks':>7} {'thr':>3} {'runtime':>7}  {'retrieve':>13} {'cpu':>5}  "
        f"{'retrieve as_of':>14} {'cpu':>5}  {'ask':>13} {'cpu':>6}  "
        f"{'ask: embed / retrieve / evidence':>32}  {'load':>5}",
    ]
    for r in runs:
        lines.append(
            f"{r.chunks:>7} {r.threads:>3} {r.runtime:>7}  "
            f"{r.retrieve.p(50):6.1f} /{r.retrieve.p(95):6.1f} {r.retrieve.cpu_p(50):5.1f}  "
            f"{r.retrieve_as_of.p(50):7.1f} /{r.retrieve_as_of.p(95):6.1f} "
            f"{r.retrieve_as_of.cpu_p(50):5.1f}  "
            f"{r.ask.p(50):6.1f} /{r.ask.p(95):6.1f} {r.ask.cpu_p(50):6.1f}  "
            f"{r.ask_embed.p(50):10.1f} /{r.ask_retrieve.p(50):8.1f} /{r.ask_evidence.p(50):9.1f}  "
            f"{r.load:5.2f}"
        )
    return "\n".join(lines)


def paired_table(runs: Sequence[WarmRun], questions: int) -> str:
    lines = [
        f"answer over retrieval, paired: the {questions} questions, new to the process,",
        "`retrieve` and `ask` back to back for each (which goes first alternating); wall",
        "p50, ms, the ratio of the p50s, and the median of each question's ratio",
        f"{'chunks':>7} {'thr':>3} {'runtime':>7}  {'retrieve':>8}  {'ask':>6}  "
        f"{'ratio of p50s':>13}  {'median ratio':>12}",
    ]
    for r in runs:
        lines.append(
            f"{r.chunks:>7} {r.threads:>3} {r.runtime:>7}  {r.paired_retrieve.p(50):8.1f}  "
            f"{r.paired_ask.p(50):6.1f}  {r.paired_ask.p(50) / r.paired_retrieve.p(50):13.2f}  "
            f"{r.paired_ratio():12.2f}"
        )
    return "\n".join(lines)


def cold_table(runs: Sequence[ColdStart]) -> str:
    lines = [
        "cold start, s: fresh `python -c` that opens the desk and asks once (query_threads=1),",
        "and `newsdesk ask QUESTION --index DIR` from start to exit",
        f"{'chunks':>7} {'runtime':>7}  {'to answer: median / max':>24}  {'to exit: median':>16}  "
        f"{'cpu s: median':>13}  {'newsdesk ask: median / max':>27}  {'load':>5}",
    ]
    for c in runs:
        lines.append(
            f"{c.chunks:>7} {c.runtime:>7}  "
            f"{float(np.median(c.to_answer_s)):15.2f} /{max(c.to_answer_s):6.2f}  "
            f"{float(np.median(c.to_exit_s)):16.2f}  {float(np.median(c.cpu_s)):13.2f}  "
            f"{float(np.median(c.cli_s)):18.2f} /{max(c.cli_s):6.2f}  {c.load:5.2f}"
        )
    return "\n".join(lines)


def log(message: str) -> None:
    stamp = time.strftime("%H:%M:%S")
    print(f"[{stamp}] {message}  (load {os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chunks", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--index-root", type=Path, default=Path("/tmp/newsdesk-bench"))
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument(
        "--runtime",
        nargs="+",
        choices=RUNTIMES,
        default=["openvino"],
        help="what embeds questions (NEWSDESK_QUERY_RUNTIME); give several to compare",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="warm runs of each runtime, alternating"
    )
    parser.add_argument(
        "--embedding-questions",
        type=int,
        default=0,
        metavar="N",
        help="also time N questions' embeddings alone in each runtime and compare the vectors",
    )
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument(
        "--as-they-stand",
        action="store_true",
        help="build nothing; measure the indexes under --index-root as they are",
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    if args.as_they_stand:
        indexes = existing_indexes(args.chunks, args.index_root)
    else:
        indexes = build_indexes(args.chunks, args.index_root, args.corpus)
    if args.build_only:
        for b in indexes:
            print(f"{b.directory}: {b.articles} articles, {b.chunks} chunks")
        return 0
    questions = load_questions(QUESTIONS)
    timed_questions = questions[: args.questions]
    warm = [q["question"] for q in questions[-WARM_QUESTIONS:]]
    cache_dir = Settings.from_env().cache_dir
    if set(args.runtime) - {"torch"} or args.embedding_questions:
        ensure_export(cache_dir)
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for b in indexes:
        size = disk_bytes(b.directory) / 2**20
        print(f"index {b.directory}: {b.articles} articles, {b.chunks} chunks, {size:.0f} MiB")
    if args.embedding_questions:
        log(f"embedding {args.embedding_questions} questions in each runtime")
        embedded = embedding_run(seed_and_dev_questions(args.embedding_questions), 1, cache_dir)
        print()
        print(embedding_table(embedded))
    warm_runs = []
    for b in indexes:
        for threads in args.threads:
            for round_ in range(args.rounds):
                for runtime in args.runtime if round_ % 2 == 0 else args.runtime[::-1]:
                    log(f"warm latency on {b.chunks} chunks, {threads} thread(s), {runtime}")
                    warm_runs.append(warm_latency(b, threads, runtime, timed_questions, warm))
    if warm_runs:
        print()
        print(warm_table(warm_runs, len(timed_questions)))
        print()
        print(paired_table(warm_runs, len(timed_questions)))
    cold: list[ColdStart] = []
    for b in indexes:
        if args.cold_runs:
            log(f"cold start on {b.chunks} chunks")
            cold += cold_start(b, timed_questions[0]["question"], args.cold_runs, args.runtime)
    if cold:
        print()
        print(cold_table(cold))
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
