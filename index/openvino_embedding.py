"""Ingest's plain embeddings in OpenVINO: the model's ONNX export (onnx_embedding.py),
compiled for the CPU, in bfloat16 where the CPU multiplies it natively.

Ingest embeds every chunk and every sentence, and the model is most of its time. Measured
on 6,046 chunk and sentence texts of 64 corpus articles, 2 threads, batches of 32 sorted
by length (2026-12-05, AVX512-BF16): torch with bfloat16 autocast 12.6-13.3 s; OpenVINO
bfloat16 9.8 s as one stream of two threads, 8.5 s as two streams of one thread each, the
way it runs here; every vector within 0.99993 cosine of torch's. Pooled sentence vectors
need the model's word-piece outputs, which the export does not give: they stay on torch.
"""

from __future__ import annotations

import copy
import logging
import os
import tempfile
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.embedding import SentenceTransformerEmbedder, Vectors
from index.onnx_embedding import (
    META_FILE,
    MODEL_FILE,
    PROBE,
    TOKENIZER_FILE,
    OnnxExportError,
    batch_feeds,
    check_exportable,
    export_directory,
    export_onnx,
    pooled_graph,
    read_export_meta,
)

log = logging.getLogger(__name__)

INGEST_RUNTIMES = ("openvino", "torch")
# bfloat16 against torch's fp32 probe: 0.9999+ when sound, far lower when the graph is wrong
PROBE_MIN_COSINE = {True: 0.999, False: 0.9999}
# OpenVINO's own conversion of the torch model keeps attention one operation (scaled
# dot-product attention), which it runs faster than the ONNX graph's products and softmax
# on long texts, and slower on short ones. Batches of 32, one thread, bfloat16
# (2026-12-05), its time over the ONNX graph's: 0.81-0.82 at 160-230 word pieces, 0.89
# at 112, 0.96 at 80, 1.12-1.30 at 12-56. Batches whose longest text has at least
# LONG_TEXT_TOKENS word pieces (chunks, long sentences) go through it.
ATTENTION_FILE = "openvino-attention.xml"  # and its weights, .bin, beside the ONNX export
LONG_TEXT_TOKENS = 72


class OpenVinoEmbedder:
    """The `Embedder` of an export made by `export_onnx`, in OpenVINO: `threads` streams
    of one thread each, batches sorted by word pieces so that each pads little."""

    def __init__(
        self, name: str, export: Path, *, threads: int = 2, bf16: bool, batch_size: int = 32
    ) -> None:
        self.name = name
        self.export = export
        self.threads = max(1, threads)
        self.bf16 = bf16
        self.batch_size = batch_size
        self._meta: dict[str, Any] = {}
        self._compiled: Any = None  # an openvino.CompiledModel of the ONNX export
        self._long: Any = None  # ... of ATTENTION_FILE, for long texts; None: none sound
        self._cosine = float("nan")  # the last probe's, against torch's vector
        self._tokenizer: Any = None  # a tokenizers.Tokenizer
        self._lock = threading.Lock()

    @property
    def attention_graph(self) -> bool:
        """Whether long texts go through OpenVINO's own conversion (ATTENTION_FILE)."""
        self._load()
        return self._long is not None

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
                    core.read_model(str(self.export / MODEL_FILE)), "CPU", self._config()
                )
                tokenizer = Tokenizer.from_file(str(self.export / TOKENIZER_FILE))
            except Exception as exc:  # openvino and tokenizers raise their own types
                raise OnnxExportError(f"OpenVINO cannot load it ({_reason(exc)})") from None
            tokenizer.no_padding()  # padded here, to the longest in each batch
            tokenizer.enable_truncation(max_length=int(meta["max_tokens"]))
            self._meta, self._compiled, self._tokenizer = meta, compiled, tokenizer
            if not self._probe_holds(compiled):
                self._compiled = self._tokenizer = None
                raise OnnxExportError(
                    f"OpenVINO embeds its probe sentence at cosine {self._cosine:.6f} to torch's"
                )
            self._long = self._attention_graph(core)

    def _config(self) -> dict[str, Any]:
        return {
            "INFERENCE_PRECISION_HINT": "bf16" if self.bf16 else "f32",
            "INFERENCE_NUM_THREADS": self.threads,
            "NUM_STREAMS": self.threads,
            "PERFORMANCE_HINT": "THROUGHPUT",
        }

    def _probe_holds(self, compiled: Any) -> bool:
        probe = self._run([PROBE], graph=compiled)[0]
        self._cosine = float(probe @ np.asarray(self._meta["probe_vector"], dtype=np.float32))
        return self._cosine >= PROBE_MIN_COSINE[self.bf16]  # False for NaN too

    def _attention_graph(self, core: Any) -> Any:
        """ATTENTION_FILE compiled, when there and sound; else None, and long texts go
        through the ONNX graph too (a log line says why, when it is there but unsound)."""
        path = self.export / ATTENTION_FILE
        if not path.exists():
            return None
        try:
            compiled = core.compile_model(core.read_model(str(path)), "CPU", self._config())
            if self._probe_holds(compiled):
                return compiled
            reason = f"it embeds the probe sentence at cosine {self._cosine:.6f} to torch's"
        except Exception as exc:  # openvino raises its own types
            reason = _reason(exc)
        log.warning("long texts embed through the ONNX graph: %s: %s", path.name, reason)
        return None

    def embed(self, texts: Sequence[str]) -> Vectors:
        self._load()
        return self._run(texts)

    def _run(self, texts: Sequence[str], graph: Any = None) -> Vectors:
        """The texts' vectors, each batch through `graph` if given, else through the
        attention graph when its longest text has LONG_TEXT_TOKENS, else the ONNX one."""
        import openvino

        out = np.zeros((len(texts), int(self._meta["dimension"])), dtype=np.float32)
        if not texts:
            return out
        encoded = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: -len(encoded[i].ids))
        queues: dict[int, Any] = {}

        def done(request: Any, rows: list[int]) -> None:
            out[rows] = request.get_output_tensor(0).data

        for lo in range(0, len(order), self.batch_size):
            rows = order[lo : lo + self.batch_size]
            chosen = graph
            if chosen is None:
                long = self._long is not None and len(encoded[rows[0]].ids) >= LONG_TEXT_TOKENS
                chosen = self._long if long else self._compiled
            if id(chosen) not in queues:
                queues[id(chosen)] = openvino.AsyncInferQueue(chosen, self.threads)
                queues[id(chosen)].set_callback(done)
            queues[id(chosen)].start_async(
                batch_feeds([encoded[i] for i in rows], self._meta), rows
            )
        for queue in queues.values():
            queue.wait_all()
        return out


def export_attention_graph(embedder: SentenceTransformerEmbedder, export: Path) -> None:
    """Convert `embedder`'s model from torch straight into OpenVINO (ATTENTION_FILE,
    beside the ONNX export in `export`, whose inputs it takes), keeping attention one
    operation. Ingest, which has loaded torch, calls it; raises OnnxExportError."""
    model = embedder.model
    check_exportable(model, embedder.name)
    import openvino
    import torch

    inputs = list(read_export_meta(export)["inputs"])
    # a copy: conversion traces the model, and other threads may be embedding with it
    transformer: Any = copy.deepcopy(model[0].auto_model)
    module = pooled_graph(transformer.float().eval(), inputs)
    sample = model.tokenizer(["a sample", "a longer sample"], padding=True, return_tensors="pt")
    target = export / ATTENTION_FILE
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on shapes it fixes
            graph = openvino.convert_model(module, example_input=tuple(sample[n] for n in inputs))
        for port, name in zip(graph.inputs, inputs, strict=True):
            port.get_tensor().set_names({name})
        graph.reshape({name: openvino.PartialShape([-1, -1]) for name in inputs})
        target.unlink(missing_ok=True)  # readers see it missing, not half-new
        with tempfile.TemporaryDirectory(dir=export, prefix=".attention-") as scratch:
            written = Path(scratch) / ATTENTION_FILE
            openvino.save_model(graph, str(written), compress_to_fp16=False)
            os.replace(written.with_suffix(".bin"), target.with_suffix(".bin"))
            os.replace(written, target)
    except OSError as exc:
        raise OnnxExportError(f"cannot write {export}: {exc.strerror or exc}") from None
    except Exception as exc:  # the converter raises its own types
        raise OnnxExportError(f"OpenVINO cannot convert it ({_reason(exc)})") from None
    log.info("converted %s for OpenVINO at %s", embedder.name, target)


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"


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
        if not (export / ATTENTION_FILE).exists():
            try:
                export_attention_graph(embedder, export)
            except OnnxExportError as exc:  # the ONNX graph embeds long texts too
                log.info("long texts embed through the ONNX graph: %s", exc)
        accelerator = OpenVinoEmbedder(
            embedder.name, export, threads=threads or embedder.threads or 2, bf16=embedder.uses_bf16
        )
        accelerator.warm_up()
    except OnnxExportError as exc:
        log.warning("ingest embeds with torch: %s", exc)
        return None
    return accelerator
