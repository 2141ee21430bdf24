"""Question embeddings without torch: the embedding model exported to ONNX once, by a
process that has torch loaded anyway (ingest), and run with ONNX Runtime (or OpenVINO
in bfloat16 where the CPU has it: openvino_embedding.py).

Importing torch and sentence-transformers and loading the model took about 4 of the
6.7 s from `newsdesk ask` to its answer. ONNX Runtime and the fast tokenizer load in a
fraction of that and embed a question faster. The export is kept in a per-user cache,
one per model, so that every index built with the model shares it:

    CACHE_DIR/onnx/<fingerprint of the model's files>/
        model.onnx      the transformer, mean pooling and L2 normalisation in one graph
        tokenizer.json  the model's fast tokenizer
        export.json     written last: what the graph expects, and a probe sentence with
                        the vector torch gave it, which a loading process checks

A missing export, or one that does not load or does not embed the probe as torch did,
leaves questions on the torch path, said in one log line; the next ingest writes it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import tempfile
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.embedding import (
    BUNDLED_MODEL,
    Embedder,
    SentenceTransformerEmbedder,
    Vectors,
    bundled_model_path,
)
from index.errors import NewsdeskError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

log = logging.getLogger(__name__)

# what embeds questions: the export in OpenVINO (in bfloat16, where the CPU multiplies
# it natively; elsewhere ONNX Runtime, faster for one question in fp32), the export in
# ONNX Runtime, or torch; see QueryEmbedder
RUNTIMES = ("openvino", "onnx", "torch")
EXPORT_FORMAT = 1
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "export.json"
PROBE = "Newsdesk checks that the exported model embeds this sentence as torch did."
PROBE_MIN_COSINE = 0.9999  # fp32 against fp32: about 1 - 1e-7 when sound
HASHED_FILE_BYTES = 2**20  # larger files (the weights) enter the fingerprint by size and time


class OnnxExportError(NewsdeskError):
    """An ONNX export of the embedding model is missing, damaged or cannot be made."""


def model_directory(model: str) -> Path | None:
    """The local directory of a configured model name; None for a hub id.

    >>> model_directory("sentence-transformers/all-MiniLM-L6-v2") is None
    True
    """
    if model == BUNDLED_MODEL:
        return bundled_model_path()
    path = Path(model).expanduser()
    return path if path.is_dir() else None


def model_fingerprint(directory: Path) -> str:
    """A hash of a model directory's files: the content of the small ones, and the size
    and modification time of the large ones (hashing the 87 MB of weights would cost
    65 ms of every start)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        relative = path.relative_to(directory)
        if any(part.startswith(".") for part in relative.parts):
            continue
        stat = path.stat()
        digest.update(f"{relative.as_posix()}\0{stat.st_size}\0".encode())
        if stat.st_size <= HASHED_FILE_BYTES:
            digest.update(path.read_bytes())
        else:
            digest.update(str(stat.st_mtime_ns).encode())
    return digest.hexdigest()[:24]


def export_directory(cache_dir: Path, model: str) -> Path | None:
    """Where the export of `model` lives under `cache_dir`; None for a hub id."""
    directory = model_directory(model)
    if directory is None:
        return None
    return Path(cache_dir).expanduser() / "onnx" / model_fingerprint(directory)


class ExportEmbedder:
    """What an embedder of an export (`export_onnx`) reads off the export once `_load`
    has read its metadata and tokenizer: dimension, word-piece limit and counts."""

    _meta: dict[str, Any]
    _tokenizer: Any  # a tokenizers.Tokenizer, once loaded
    _counter: Any  # the same, untruncated, made for token_counts

    def _load(self) -> object:
        raise NotImplementedError

    @property
    def dimension(self) -> int:
        self._load()
        return int(self._meta["dimension"])

    @property
    def max_tokens(self) -> int:
        self._load()
        return int(self._meta["max_tokens"])

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        self._load()
        if self._counter is None:
            self._counter = untruncated(self._tokenizer)
        encoded = self._counter.encode_batch(list(texts), add_special_tokens=False)
        return [len(e.ids) for e in encoded]


class OnnxEmbedder(ExportEmbedder):
    """The `Embedder` of an export made by `export_onnx`: ONNX Runtime and the fast
    tokenizer, no torch. Truncates and pools as sentence-transformers does, so its
    vectors are within 1e-6 cosine of torch's in fp32."""

    def __init__(self, name: str, export: Path, *, threads: int = 1, batch_size: int = 32) -> None:
        self.name = name
        self.export = export
        self.threads = threads
        self.batch_size = batch_size
        self._meta: dict[str, Any] = {}
        self._session: Any = None  # an onnxruntime.InferenceSession
        self._tokenizer: Tokenizer | None = None
        self._counter: Tokenizer | None = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load and check the export now; raises OnnxExportError when it is unusable."""
        self._load()

    def _load(self) -> tuple[Any, Tokenizer]:
        with self._lock:
            if self._session is None or self._tokenizer is None:
                meta = read_export_meta(self.export)
                session, tokenizer = _open(self.export, meta, self.threads)
                self._meta = meta
                self._session, self._tokenizer = session, tokenizer
                probe = self._run([PROBE])[0]
                cosine = float(probe @ np.asarray(meta["probe_vector"], dtype=np.float32))
                if not cosine >= PROBE_MIN_COSINE:  # also catches NaN
                    self._session = self._tokenizer = None
                    raise OnnxExportError(
                        f"it embeds its probe sentence at cosine {cosine:.6f} to torch's"
                    )
            return self._session, self._tokenizer

    def embed(self, texts: Sequence[str]) -> Vectors:
        self._load()
        return self._run(texts)

    def _run(self, texts: Sequence[str]) -> Vectors:
        session, tokenizer = self._session, self._tokenizer
        assert session is not None and tokenizer is not None
        out = np.zeros((len(texts), int(self._meta["dimension"])), dtype=np.float32)
        for lo in range(0, len(texts), self.batch_size):
            encoded = tokenizer.encode_batch(list(texts[lo : lo + self.batch_size]))
            out[lo : lo + len(encoded)] = session.run(None, batch_feeds(encoded, self._meta))[0]
        return out


def untruncated(tokenizer: Tokenizer) -> Tokenizer:
    """A copy of `tokenizer` that counts a text's word pieces whatever its length."""
    from tokenizers import Tokenizer

    counter = Tokenizer.from_str(tokenizer.to_str())
    counter.no_truncation()
    return counter


def batch_feeds(encoded: Sequence[Any], meta: dict[str, Any]) -> dict[str, np.ndarray]:
    """The export's inputs for a batch of tokenizer encodings, padded to the longest."""
    width = max(len(e.ids) for e in encoded)
    ids = np.full((len(encoded), width), int(meta["pad_id"]), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for row, e in enumerate(encoded):
        n = len(e.ids)
        ids[row, :n], mask[row, :n], types[row, :n] = e.ids, e.attention_mask, e.type_ids
    given = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
    return {name: given[name] for name in meta["inputs"]}


def read_export_meta(export: Path) -> dict[str, Any]:
    try:
        meta = json.loads((export / META_FILE).read_text())
    except FileNotFoundError:
        raise OnnxExportError(f"no {META_FILE}") from None
    except (OSError, ValueError) as exc:
        raise OnnxExportError(f"{META_FILE} is unreadable ({exc})") from None
    wanted = ("format", "inputs", "dimension", "max_tokens", "pad_id", "onnx_bytes")
    if not isinstance(meta, dict) or any(k not in meta for k in (*wanted, "probe_vector")):
        raise OnnxExportError(f"{META_FILE} lacks what it should hold")
    if meta["format"] != EXPORT_FORMAT:
        raise OnnxExportError(f"{META_FILE} is format {meta['format']}, not {EXPORT_FORMAT}")
    try:
        size = (export / MODEL_FILE).stat().st_size
    except OSError as exc:
        raise OnnxExportError(f"{MODEL_FILE}: {exc.strerror or exc}") from None
    if size != meta["onnx_bytes"]:
        raise OnnxExportError(f"{MODEL_FILE} has {size} bytes, not {meta['onnx_bytes']}")
    return meta


def _open(export: Path, meta: dict[str, Any], threads: int) -> tuple[Any, Tokenizer]:
    """The ONNX Runtime session and the tokenizer of an export, set up as
    sentence-transformers tokenizes: special tokens added, truncated to max_tokens."""
    import onnxruntime
    from tokenizers import Tokenizer

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads  # query_threads: on 2 shared cores more fight
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    # idle pool threads spinning for work would take the cores from other processes
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 4  # its warnings go to stderr; a failure raises anyway
    # onnxruntime and tokenizers raise their own types (tokenizers a bare Exception) for
    # a damaged file; whatever they raise, the caller falls back to torch
    try:
        session = onnxruntime.InferenceSession(
            str(export / MODEL_FILE), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(export / TOKENIZER_FILE))
    except Exception as exc:
        reason = " ".join(str(exc).split())[:200]
        raise OnnxExportError(f"it does not load ({type(exc).__name__}: {reason})") from None
    tokenizer.no_padding()  # padded here, to the longest in each batch
    tokenizer.enable_truncation(max_length=int(meta["max_tokens"]))
    return session, tokenizer


def export_onnx(embedder: SentenceTransformerEmbedder, cache_dir: Path) -> Path:
    """Export `embedder`'s model into `cache_dir` and return the export's directory.

    Needs torch and the `onnx` package; ingest, which has loaded torch, calls it. Raises
    OnnxExportError for a model this export does not reproduce (a hub id, pooling
    other than the mean, a prompt) or a cache that cannot be written.
    """
    export = export_directory(cache_dir, embedder.name)
    if export is None:
        raise OnnxExportError(f"{embedder.name!r} is not a local model directory")
    model = embedder.model
    _check_exportable(model, embedder.name)
    import torch

    tokenizer = model.tokenizer
    inputs = [n for n in tokenizer.model_input_names if n in _INPUTS]
    if "input_ids" not in inputs or "attention_mask" not in inputs:
        raise OnnxExportError(f"{embedder.name!r} takes inputs {tokenizer.model_input_names}")
    with torch.no_grad():
        probe = model.encode(
            [PROBE], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )[0]
    # a copy: the export traces the model, and other threads may be embedding with it
    transformer: Any = copy.deepcopy(model[0].auto_model)
    graph_module = _pooled_graph(transformer.float().eval(), inputs)
    sample = tokenizer(["a sample", "a longer sample sentence"], padding=True, return_tensors="pt")
    args = tuple(sample[name] for name in inputs)
    try:
        export.mkdir(parents=True, exist_ok=True)
        (export / META_FILE).unlink(missing_ok=True)  # readers see it missing, not half-new
        with tempfile.TemporaryDirectory(dir=export.parent, prefix=".export-") as scratch:
            graph = Path(scratch) / MODEL_FILE
            with warnings.catch_warnings():
                # the tracer's notes on shapes it treats as constant; none of them
                # changes what the graph computes (checked against torch below)
                warnings.simplefilter("ignore")
                _export_graph(torch, graph_module, args, graph, inputs)
            (Path(scratch) / TOKENIZER_FILE).write_text(tokenizer.backend_tokenizer.to_str())
            meta = {
                "format": EXPORT_FORMAT,
                "model": embedder.name,
                "inputs": inputs,
                "dimension": int(probe.shape[0]),
                "max_tokens": int(model.max_seq_length or 512),
                "pad_id": int(tokenizer.pad_token_id or 0),
                "onnx_bytes": graph.stat().st_size,
                "probe_vector": [float(x) for x in probe],
                "torch": torch.__version__,
            }
            for name in (MODEL_FILE, TOKENIZER_FILE):
                os.replace(Path(scratch) / name, export / name)
            _write_atomic(export / META_FILE, json.dumps(meta))
    except OSError as exc:
        raise OnnxExportError(f"cannot write {export}: {exc.strerror or exc}") from None
    OnnxEmbedder(embedder.name, export).warm_up()  # the probe, through ONNX Runtime
    log.info("exported %s to ONNX at %s", embedder.name, export)
    return export


_INPUTS = ("input_ids", "token_type_ids", "attention_mask")


def _export_graph(
    torch: Any, module: Any, args: tuple[Any, ...], graph: Path, inputs: list[str]
) -> None:
    """torch.onnx.export with batch and length free; its failures as OnnxExportError."""
    try:
        torch.onnx.export(
            module,
            args,
            str(graph),
            input_names=inputs,
            output_names=["embedding"],
            dynamic_axes={
                **{n: {0: "batch", 1: "tokens"} for n in inputs},
                "embedding": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
    # the exporter raises its own types, and ModuleNotFoundError without the onnx
    # package; none of them may fail the ingest that asked for the export
    except Exception as exc:
        reason = " ".join(str(exc).split())[:200]
        raise OnnxExportError(
            f"torch.onnx.export failed ({type(exc).__name__}: {reason}); "
            "is the onnx package installed?"
        ) from None


def _check_exportable(model: Any, name: str) -> None:
    kinds = [type(m).__name__ for m in model]
    if kinds[:2] != ["Transformer", "Pooling"] or kinds[2:] not in ([], ["Normalize"]):
        raise OnnxExportError(f"{name!r} has modules {kinds}; only a pooled transformer exports")
    pooling = model[1].get_config_dict().get("pooling_mode")
    if pooling != "mean":
        raise OnnxExportError(f"{name!r} pools by {pooling!r}; only 'mean' exports")
    if getattr(model, "default_prompt_name", None):
        raise OnnxExportError(f"{name!r} prepends a default prompt")
    if not hasattr(model[0], "auto_model") or not model.tokenizer.is_fast:
        raise OnnxExportError(f"{name!r} is not a transformer with a fast tokenizer")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    tmp.write_text(text)
    os.replace(tmp, path)


def _pooled_graph(transformer: Any, names: list[str]) -> Any:
    """A torch module taking the inputs `names` by position (as the exporter passes
    them) and returning unit vectors: token embeddings averaged over the attention mask,
    then L2-normalised, as sentence-transformers' Pooling('mean') and Normalize do."""
    import torch

    class MeanPooledUnit(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, *args: torch.Tensor) -> torch.Tensor:
            inputs = dict(zip(names, args, strict=True))
            tokens = self.transformer(**inputs).last_hidden_state
            mask = inputs["attention_mask"].unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    return MeanPooledUnit().eval()


class QueryEmbedder:
    """The question path's `Embedder`: the model's export when the cache holds a sound
    one, else `fallback` (torch), saying why in one log line.

    The export runs in OpenVINO with bfloat16 matrix products where `runtime` is
    "openvino" and the CPU multiplies bfloat16 natively (as ingest's embeddings do):
    a question's vector then takes 5.0 ms of an answer instead of 6.9 in ONNX Runtime
    (fp32), within 0.99997 cosine. Elsewhere, with "onnx", and where OpenVINO cannot
    load the export, it runs in ONNX Runtime.

    It decides on the first question, not when opened, so that commands that ask
    nothing (list, delete) load neither runtime.
    """

    def __init__(
        self,
        fallback: SentenceTransformerEmbedder,
        cache_dir: Path,
        *,
        threads: int = 1,
        runtime: str = "openvino",
    ):
        self.name = fallback.name
        self.fallback = fallback
        self.cache_dir = Path(cache_dir).expanduser()
        self.threads = threads
        self.preferred = runtime
        self._active: Embedder | None = None
        self._lock = threading.Lock()

    @property
    def runtime(self) -> str:
        """ "openvino", "onnx" or "torch": what embeds questions (decides if not yet
        decided)."""
        active = self._choose()
        if active is self.fallback:
            return "torch"
        return "onnx" if isinstance(active, OnnxEmbedder) else "openvino"

    def _choose(self) -> Embedder:
        with self._lock:
            if self._active is None:
                self._active = self._export_or_fallback()
            return self._active

    def _export_or_fallback(self) -> Embedder:
        export = export_directory(self.cache_dir, self.name)
        if export is None:
            log.info("questions are embedded with torch: %r is not a local model", self.name)
            return self.fallback
        if not (export / META_FILE).exists():
            log.info(
                "no ONNX export of %s in %s: questions are embedded with torch until the "
                "next 'newsdesk ingest' writes it",
                self.name,
                self.cache_dir,
            )
            return self.fallback
        if self.preferred == "openvino":
            from index.openvino_embedding import question_embedder

            openvino = question_embedder(
                self.name, export, threads=self.threads, precision=self.fallback.precision
            )
            if openvino is not None:
                return openvino
        onnx = OnnxEmbedder(self.name, export, threads=self.threads)
        try:
            onnx.warm_up()
        except OnnxExportError as exc:
            log.warning(
                "the ONNX export at %s is unusable (%s): questions are embedded with torch; "
                "the next 'newsdesk ingest' rewrites it",
                export,
                exc,
            )
            return self.fallback
        return onnx

    def ensure_export(self) -> None:
        """Write the export when the question path lacks a sound one (ingest calls this:
        it has loaded torch); a failure is one log line, the ingest stands."""
        export = export_directory(self.cache_dir, self.name)
        if export is None:
            return
        if (export / META_FILE).exists() and self.runtime != "torch":
            return
        try:
            export_onnx(self.fallback, self.cache_dir)
        except OnnxExportError as exc:
            log.warning("questions stay on torch: no ONNX export of %s: %s", self.name, exc)
            return
        with self._lock:
            self._active = None  # the next question takes the new export

    def warm_up(self) -> None:
        self._choose()

    @property
    def dimension(self) -> int:
        return self._choose().dimension

    @property
    def max_tokens(self) -> int:
        return self._choose().max_tokens

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        return self._choose().token_counts(texts)

    def embed(self, texts: Sequence[str]) -> Vectors:
        return self._choose().embed(texts)


def make_query_embedder(
    embedder: Embedder, *, runtime: str, cache_dir: Path, threads: int = 1
) -> Embedder:
    """What embeds questions for an index built with `embedder`: a `QueryEmbedder` for
    the real model with `runtime` "openvino" or "onnx", else `embedder` itself (a fake,
    a cluster)."""
    if runtime != "torch" and isinstance(embedder, SentenceTransformerEmbedder):
        return QueryEmbedder(embedder, cache_dir, threads=threads, runtime=runtime)
    return embedder
