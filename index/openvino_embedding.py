"""Ingest's plain embeddings, and questions, in OpenVINO: the model's ONNX export
(onnx_embedding.py), compiled for the CPU, in bfloat16 where the CPU multiplies it
natively.

Ingest embeds every chunk and every sentence, and the model is most of its time. Measured
on 6,046 chunk and sentence texts of 64 corpus articles, 2 threads, batches of 32 sorted
by length (2026-12-05, AVX512-BF16): torch with bfloat16 autocast 12.6-13.3 s; OpenVINO
bfloat16 9.8 s as one stream of two threads, 8.5 s as two streams of one thread each, the
way it runs here; every vector within 0.99993 cosine of torch's. Pooled sentence vectors
need the model's word-piece outputs, which the export does not give: they stay on torch.

Questions too, one at a time on one thread, where the CPU multiplies bfloat16 natively
(`question_embedder`): 227 questions alone took 3.0 ms p50 against ONNX Runtime's 3.9
(fp32; OpenVINO in fp32 4.9), and inside the service, where the weights no longer sit in
the cache between questions, 5.0-5.7 ms against 6.9-7.2, all within 0.99997 cosine.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from index.embedding import SentenceTransformerEmbedder, Vectors
from index.onnx_embedding import (
    META_FILE,
    MODEL_FILE,
    PROBE,
    TOKENIZER_FILE,
    ExportEmbedder,
    OnnxExportError,
    batch_feeds,
    export_directory,
    export_onnx,
    read_export_meta,
)

log = logging.getLogger(__name__)

INGEST_RUNTIMES = ("openvino", "torch")
# bfloat16 against torch's fp32 probe: 0.9999+ when sound, far lower when the graph is wrong
PROBE_MIN_COSINE = {True: 0.999, False: 0.9999}


class OpenVinoEmbedder(ExportEmbedder):
    """The `Embedder` of an export made by `export_onnx`, in OpenVINO: `threads` streams
    of one thread each, batches sorted by word pieces so that each pads little; with
    `latency`, one stream of `threads` threads, for questions one at a time."""

    def __init__(
        self,
        name: str,
        export: Path,
        *,
        threads: int = 2,
        bf16: bool,
        batch_size: int = 32,
        latency: bool = False,
    ) -> None:
        self.name = name
        self.export = export
        self.threads = max(1, threads)
        self.bf16 = bf16
        self.batch_size = batch_size
        self.latency = latency
        self._meta: dict[str, Any] = {}
        self._compiled: Any = None  # an openvino.CompiledModel
        self._tokenizer: Any = None  # a tokenizers.Tokenizer
        self._counter: Any = None  # the same, untruncated, for token_counts
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Compile and check the export now; raises OnnxExportError when it is unusable."""
        self._load()

    def _load(self) -> None:
        with self._lock:
            if self._compiled is not None:
                return
            meta = read_export_meta(self.export)
            try:
                import openvino
                from tokenizers import Tokenizer

                core = openvino.Core()
                compiled = core.compile_model(
                    core.read_model(str(self.export / MODEL_FILE)),
                    "CPU",
                    {
                        "INFERENCE_PRECISION_HINT": "bf16" if self.bf16 else "f32",
                        "INFERENCE_NUM_THREADS": self.threads,
                        "NUM_STREAMS": 1 if self.latency else self.threads,
                        "PERFORMANCE_HINT": "LATENCY" if self.latency else "THROUGHPUT",
                    },
                )
                tokenizer = Tokenizer.from_file(str(self.export / TOKENIZER_FILE))
            except Exception as exc:  # openvino and tokenizers raise their own types
                reason = " ".join(str(exc).split())[:200]
                raise OnnxExportError(
                    f"OpenVINO cannot load it ({type(exc).__name__}: {reason})"
                ) from None
            tokenizer.no_padding()  # padded here, to the longest in each batch
            tokenizer.enable_truncation(max_length=int(meta["max_tokens"]))
            self._meta, self._compiled, self._tokenizer = meta, compiled, tokenizer
            probe = self._run([PROBE])[0]
            cosine = float(probe @ np.asarray(meta["probe_vector"], dtype=np.float32))
            if not cosine >= PROBE_MIN_COSINE[self.bf16]:  # also catches NaN
                self._compiled = self._tokenizer = None
                raise OnnxExportError(
                    f"OpenVINO embeds its probe sentence at cosine {cosine:.6f} to torch's"
                )

    def embed(self, texts: Sequence[str]) -> Vectors:
        self._load()
        return self._run(texts)

    def _run(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), int(self._meta["dimension"])), dtype=np.float32)
        if not texts:
            return out
        encoded = self._tokenizer.encode_batch(list(texts))
        if len(texts) <= self.batch_size:  # a question: one request, made for this call
            request = self._compiled.create_infer_request()  # (9 us), so threads share none
            out[:] = request.infer(batch_feeds(encoded, self._meta))[0]
            return out
        infer_by_length(self._compiled, encoded, self._meta, out, self.threads, self.batch_size)
        return out


def infer_by_length(
    compiled: Any,
    encoded: Sequence[Any],
    meta: dict[str, Any],
    out: Vectors,
    streams: int,
    batch: int,
) -> None:
    """Fill `out` with the vectors of the `encoded` texts, run by the OpenVINO model
    `compiled` in batches of `batch` sorted by word pieces (so that each pads little),
    `streams` requests at a time."""
    import openvino

    order = sorted(range(len(encoded)), key=lambda i: -len(encoded[i].ids))
    queue = openvino.AsyncInferQueue(compiled, streams)

    def done(request: Any, rows: list[int]) -> None:
        out[rows] = request.get_output_tensor(0).data

    queue.set_callback(done)
    for lo in range(0, len(order), batch):
        rows = order[lo : lo + batch]
        queue.start_async(batch_feeds([encoded[i] for i in rows], meta), rows)
    queue.wait_all()


def ingest_accelerator(
    embedder: SentenceTransformerEmbedder, cache_dir: Path, *, threads: int | None = None
) -> OpenVinoEmbedder | None:
    """OpenVINO for `embedder`'s plain embeddings, writing the model's export first when
    the cache lacks it (torch is loaded for ingest anyway); None, said in one log line,
    where it cannot be had: a hub model, an export that fails, no openvino."""
    cache = Path(cache_dir).expanduser()
    export = export_directory(cache, embedder.name)
    if export is None:
        log.info("ingest embeds with torch: %r is not a local model", embedder.name)
        return None
    try:
        if not (export / META_FILE).exists():
            export = export_onnx(embedder, cache)
        accelerator = OpenVinoEmbedder(
            embedder.name, export, threads=threads or embedder.threads or 2, bf16=embedder.uses_bf16
        )
        accelerator.warm_up()
    except OnnxExportError as exc:
        log.warning("ingest embeds with torch: %s", exc)
        return None
    return accelerator


def question_embedder(
    name: str, export: Path, *, threads: int, precision: str
) -> OpenVinoEmbedder | None:
    """OpenVINO for questions, one at a time, where it runs in bfloat16 (`precision`
    "bf16", or "auto" on a CPU that multiplies bfloat16 natively); None otherwise, and
    where it cannot load the export (said in a log line: ONNX Runtime takes over). In
    fp32 ONNX Runtime is the faster of the two for one question (3.9 against 4.9 ms)."""
    if not (precision == "bf16" or (precision == "auto" and cpu_multiplies_bf16())):
        return None
    embedder = OpenVinoEmbedder(name, export, threads=threads, bf16=True, latency=True)
    try:
        embedder.warm_up()
    except OnnxExportError as exc:
        log.info("questions are embedded by ONNX Runtime: %s", exc)
        return None
    return embedder


@cache
def cpu_multiplies_bf16() -> bool:
    """Whether OpenVINO finds bfloat16 arithmetic in this CPU (AVX512-BF16 or AMX), as
    `index.embedding` asks torch; False where openvino does not import."""
    try:
        import openvino

        capabilities = openvino.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    except Exception:  # no openvino, or a CPU plugin that will not load: their own types
        return False
    return "BF16" in capabilities
