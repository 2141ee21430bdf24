"""Ingest's model in int8: what OpenVINO gains over bfloat16 on this CPU, and how far
the vectors move. A lever of issue 11, measured and not kept (README, Speed).

    pip install nncf   # not a dependency of newsdesk: only this benchmark quantizes
    python benchmarks/bench_int8.py --articles 64 --rounds 2

It records the texts an ingest of the first N corpus articles embeds (chunks and
sentences, as ingest sends them; `FakeEmbedder` answers, so no model runs), and the
texts of M other corpus articles to calibrate on. It quantizes the model's export
(onnx_embedding.py) with NNCF's post-training quantization for transformers, once as a
whole and once with the feed-forward output projections left in bfloat16, the layers
whose inputs have the widest range. Then it embeds the recorded texts as ingest does (two
streams of one thread, batches of 32 sorted by word pieces), fp32, bfloat16 and each int8
model in turn for `--rounds` rounds, and prints the seconds of each and every vector's
cosine to fp32's, by length in word pieces.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from bench_ingest import write_corpus_slice
from bench_vs_langchain import BenchmarkSetupError, load_average

from index import SentenceTransformerEmbedder
from index.embedding import BUNDLED_MODEL, FakeEmbedder, Vectors
from index.onnx_embedding import (
    META_FILE,
    MODEL_FILE,
    TOKENIZER_FILE,
    batch_feeds,
    export_directory,
    export_onnx,
    read_export_meta,
)
from index.openvino_embedding import infer_by_length
from qa import NewsDesk, NewsdeskError, Settings

BATCH = 32  # ingest's batch (OpenVinoEmbedder)
STREAMS = 2
LENGTHS = ((0, 16), (16, 32), (32, 64), (64, 128), (128, 257))  # word pieces, [lo, hi)
# the feed-forward output projections, left out of the second int8 model
FFN_OUTPUT = r".*/output/dense/MatMul"


class RecordingEmbedder(FakeEmbedder):
    """The bundled model's name, dimension and word-piece counts (so that articles are
    chunked as ingest chunks them), and `FakeEmbedder`'s hashed vectors, keeping every
    text: what ingest would have embedded, without running the model."""

    def __init__(self, inner: SentenceTransformerEmbedder) -> None:
        super().__init__(inner.dimension, inner.name)
        self.max_tokens = inner.max_tokens
        self.model = inner
        self.texts: list[str] = []

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        return self.model.token_counts(texts)

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.texts.extend(texts)
        return super().embed(texts)


def ingest_texts(embedder: SentenceTransformerEmbedder, articles: int, skip: int) -> list[str]:
    """The texts an ingest of `articles` corpus articles, after the first `skip`, embeds."""
    recorder = RecordingEmbedder(embedder)
    with tempfile.TemporaryDirectory(prefix="bench-int8-") as scratch:
        source = Path(scratch) / "articles.jsonl"
        write_corpus_slice(articles, source, skip=skip)
        desk = NewsDesk.open(
            Settings(index_dir=Path(scratch) / "index"), create=True, embedder=recorder
        )
        try:
            report = desk.ingest([source])
        finally:
            desk.close()
    if report.failed:
        raise BenchmarkSetupError(f"{len(report.failed)} articles failed: {report.failed[0]}")
    return recorder.texts


def quantize(model: Any, calibration: list[dict[str, np.ndarray]], ignored: list[str]) -> Any:
    import nncf

    logging.getLogger("nncf").setLevel(logging.ERROR)
    with contextlib.redirect_stdout(sys.stderr):  # its progress bars
        return nncf.quantize(
            model.clone(),
            nncf.Dataset(calibration),
            subset_size=len(calibration),
            model_type=nncf.ModelType.TRANSFORMER,
            ignored_scope=nncf.IgnoredScope(patterns=ignored, validate=False) if ignored else None,
        )


def embed_all(compiled: Any, encoded: Sequence[Any], meta: dict[str, Any]) -> tuple[Vectors, float]:
    """Every text's vector as ingest embeds them, and the seconds it took."""
    out = np.zeros((len(encoded), int(meta["dimension"])), dtype=np.float32)
    tick = time.perf_counter()
    infer_by_length(compiled, encoded, meta, out, STREAMS, BATCH)
    return out, time.perf_counter() - tick


def cosine_table(vectors: dict[str, Vectors], lengths: np.ndarray) -> str:
    reference = vectors["fp32"]
    lines = [
        "| model | word pieces | texts | mean cosine to fp32 | 1st percentile | lowest |",
        "|---|---|---|---|---|---|",
    ]
    for name, matrix in vectors.items():
        if name == "fp32":
            continue
        cosines = (matrix * reference).sum(axis=1)
        for lo, hi in ((0, 257), *LENGTHS):
            rows = cosines[(lengths >= lo) & (lengths < hi)]
            if len(rows):
                pieces = "all" if (lo, hi) == (0, 257) else f"{lo}-{hi - 1}"
                lines.append(
                    f"| {name} | {pieces} | {len(rows)} | {rows.mean():.5f} | "
                    f"{np.percentile(rows, 1):.5f} | {rows.min():.5f} |"
                )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=64, help="corpus articles embedded")
    parser.add_argument("--calibration-articles", type=int, default=20)
    parser.add_argument("--calibration-from", type=int, default=3000, help="first corpus line")
    parser.add_argument("--calibration-texts", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except (BenchmarkSetupError, NewsdeskError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def run(args: argparse.Namespace) -> int:
    try:
        import nncf  # noqa: F401
        import openvino
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise BenchmarkSetupError(f"{exc.name} is not installed: pip install nncf") from None
    embedder = SentenceTransformerEmbedder(BUNDLED_MODEL)
    cache = Path(Settings().cache_dir)
    export = export_directory(cache, BUNDLED_MODEL)
    if export is None:
        raise BenchmarkSetupError(f"{BUNDLED_MODEL} is not a local model")
    if not (export / META_FILE).exists():  # written last: an export cut short lacks it
        export = export_onnx(embedder, cache)
    meta = read_export_meta(export)
    tokenizer = Tokenizer.from_file(str(export / TOKENIZER_FILE))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=int(meta["max_tokens"]))

    texts = ingest_texts(embedder, args.articles, 0)
    pool = ingest_texts(embedder, args.calibration_articles, args.calibration_from)
    picked = np.random.default_rng(0).choice(
        len(pool), min(args.calibration_texts, len(pool)), replace=False
    )
    calibration = [
        batch_feeds(tokenizer.encode_batch([pool[i] for i in picked[lo : lo + 8]]), meta)
        for lo in range(0, len(picked), 8)
    ]
    print(
        f"# {len(texts)} texts of the first {args.articles} corpus articles; calibrated on "
        f"{len(picked)} texts of articles {args.calibration_from}-"
        f"{args.calibration_from + args.calibration_articles - 1}; load {load_average()}"
    )
    core = openvino.Core()
    model = core.read_model(str(export / MODEL_FILE))
    models = {
        "fp32": (model, "f32"),
        "bf16": (model, "bf16"),
        "int8": (quantize(model, calibration, []), "bf16"),
        "int8, FFN output in bf16": (quantize(model, calibration, [FFN_OUTPUT]), "bf16"),
    }
    compiled = {
        name: core.compile_model(
            graph,
            "CPU",
            {
                "INFERENCE_PRECISION_HINT": precision,
                "INFERENCE_NUM_THREADS": STREAMS,
                "NUM_STREAMS": STREAMS,
                "PERFORMANCE_HINT": "THROUGHPUT",
            },
        )
        for name, (graph, precision) in models.items()
    }
    encoded = tokenizer.encode_batch(texts)
    vectors: dict[str, Vectors] = {}
    seconds: dict[str, list[float]] = {name: [] for name in compiled}
    for _ in range(args.rounds):
        for name, runnable in compiled.items():
            vectors[name], took = embed_all(runnable, encoded, meta)
            seconds[name].append(took)
    print(
        f"\n| model | seconds by round | of bf16's | (load {load_average()}) |\n|---|---|---|---|"
    )
    bf16 = min(seconds["bf16"])
    for name, taken in seconds.items():
        rounds = ", ".join(f"{s:.2f}" for s in taken)
        print(f"| {name} | {rounds} | {min(taken) / bf16:.2f} | |")
    print()
    print(cosine_table(vectors, np.array([len(e.ids) for e in encoded])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
