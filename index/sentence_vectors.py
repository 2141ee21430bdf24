"""Sentence vectors: one for every sentence of an article's chunks, made at ingest, so
that an answer embeds only its question and can score every retrieved sentence.

Two ways to make them (the index's `sentence_vectors` setting):
- "alone", the default: each sentence embedded by itself, as a question is.
- "pooled": the mean of the model's output vectors over the sentence's word pieces in
  the forward pass that embeds its chunk (PoolingEmbedder, as the bundled model's is).
  A sentence costs no model work of its own, which halves ingest's, but its vector is
  read in the context of the chunk around it: it says what the passage is about more
  than what the sentence says, and the seed set was answered worse with it (README,
  "Sentence vectors: alone or pooled"). A sentence repeated as the next chunk's overlap
  pools over both passes.
Each article's row records which, and ingest redoes the rows made the other way.

They live in the catalog, one row per article, written in the transaction that marks the
article complete and deleted with it, so they share its crash-safety. Each vector is kept
as int8 codes with one float32 scale (388 bytes for 384 dimensions instead of 1,536 in
float32): a question's cosine with a sentence moved by at most 0.0012 (mean 0.0003) on
the seed article's 26 sentences, and stored and exact vectors agree to 0.99995.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import cast

import numpy as np

from index.chunking import embedding_text
from index.embedding import Embedder, PoolingEmbedder
from index.lexical import NAMES_VERSION, TERMS_VERSION, lexical_terms, sentence_names
from index.records import Article, Chunk, Span

ALONE = "alone"  # each sentence embedded by itself; every index before pooling
POOLED = "pooled"  # each sentence pooled out of its chunk's forward pass
SENTENCE_VECTOR_METHODS = (ALONE, POOLED)
# the first line of stored sentence terms: terms or names of another version are not read
TERMS_HEADER = f"terms {TERMS_VERSION} names {NAMES_VERSION}"


@dataclass(frozen=True)
class SentenceVectors:
    """The sentence vectors of one article version; row i belongs to `spans[i]`."""

    version: str
    spans: tuple[Span, ...]
    codes: np.ndarray  # int8, shape (n, dimension)
    scales: np.ndarray  # float32, shape (n,): vector i is codes[i] * scales[i]
    method: str = ALONE  # POOLED or ALONE: how the vectors were made
    # each span's lexical terms and names as `sentence_terms` writes them ("" where
    # none were stored: an index from before them), so that an answer reads them, not
    # makes them
    terms: str = ""

    @cached_property
    def rows(self) -> dict[Span, int]:
        """span -> its row."""
        return {span: i for i, span in enumerate(self.spans)}

    def terms_of(self, row: int) -> tuple[list[str], list[str]] | None:
        """(`lexical_terms`, `sentence_names`) of span `row`'s sentence, as stored; None
        when they were not stored, or by another version of either."""
        lines = self._term_lines
        if lines is None:
            return None
        terms, _, names = lines[row].partition("\t")
        return terms.split(" ") if terms else [], names.split(" ") if names else []

    @cached_property
    def _term_lines(self) -> list[str] | None:
        lines = self.terms.split("\n")
        if lines[0] != TERMS_HEADER or len(lines) != len(self.spans) + 1:
            return None
        return lines[1:]

    @classmethod
    def from_vectors(
        cls,
        version: str,
        spans: Sequence[Span],
        vectors: np.ndarray,
        method: str = ALONE,
        terms: str = "",
    ) -> SentenceVectors:
        codes, scales = quantize(vectors)
        return cls(version, tuple(spans), codes, scales, method, terms)

    def vector(self, row: int) -> np.ndarray:
        """Row `row` as float32."""
        return self.vectors_of([row])[0]

    def vectors_of(self, rows: Sequence[int]) -> np.ndarray:
        """These rows as float32, each as `vector` gives it, shape (len(rows), dimension)."""
        return self.codes[rows].astype(np.float32) * self.scales[rows][:, None]

    def vectors(self) -> np.ndarray:
        """The vectors as float32, shape (n, dimension)."""
        return self.codes.astype(np.float32) * self.scales[:, None]

    def to_blobs(self) -> tuple[bytes, bytes, bytes]:
        """(spans, codes, scales) as bytes, the catalog's storage form."""
        spans = np.asarray(self.spans, dtype=np.int32).reshape(-1, 2)
        return spans.tobytes(), self.codes.tobytes(), self.scales.astype(np.float32).tobytes()

    @classmethod
    def from_blobs(
        cls,
        version: str,
        spans: bytes,
        codes: bytes,
        scales: bytes,
        method: str = ALONE,
        terms: str = "",
    ) -> SentenceVectors:
        pairs = np.frombuffer(spans, dtype=np.int32).reshape(-1, 2)
        n = len(pairs)
        code_rows = np.frombuffer(codes, dtype=np.int8)
        matrix = code_rows.reshape(n, -1) if n else np.zeros((0, 0), dtype=np.int8)
        return cls(
            version,
            tuple(zip(pairs[:, 0].tolist(), pairs[:, 1].tolist(), strict=True)),  # Python ints
            matrix,
            np.frombuffer(scales, dtype=np.float32),
            method,
            terms,
        )


def sentence_terms(text: str, spans: Sequence[Span]) -> str:
    """The storage form of each span's `lexical_terms` and `sentence_names`: a header
    naming their versions, then one line a span, its terms joined by spaces, a tab, its
    names joined by spaces (neither ever holds a space or a tab).

    >>> sentence_terms("Talks broke down. They met Biden in 2023.", [(0, 17), (18, 41)])
    'terms 3 names 1\\ntalk break\\t\\nmeet biden 2023\\tbiden 2023'
    """
    lines = [TERMS_HEADER]
    for s, e in spans:
        sentence = text[s:e]
        lines.append(f"{' '.join(lexical_terms(sentence))}\t{' '.join(sentence_names(sentence))}")
    return "\n".join(lines)


def quantize(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 codes and one scale per row, so that `codes * scale` is within half a step
    of each component.

    >>> codes, scales = quantize(np.array([[0.6, -0.8]], dtype=np.float32))
    >>> codes.tolist(), round(float(scales[0]), 5)
    ([[95, -127]], 0.0063)
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    peak = np.abs(vectors).max(axis=1) if len(vectors) else np.zeros(0, dtype=np.float32)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    codes = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    return codes, scales


def sentence_spans(chunks: Sequence[Chunk]) -> list[Span]:
    """The distinct sentence spans of an article's chunks, in article order: a sentence
    repeated as the next chunk's overlap is embedded once.

    >>> a = Chunk("a:v:0", "a", 0, 0, 9, "One. Two.", ((0, 4), (5, 9)))
    >>> b = Chunk("a:v:1", "a", 1, 5, 16, "Two. Three.", ((5, 9), (10, 16)))
    >>> sentence_spans([a, b])
    [(0, 4), (5, 9), (10, 16)]
    """
    return sorted({span for chunk in chunks for span in chunk.sentences})


def can_pool(embedder: Embedder) -> bool:
    """Whether this embedder can make POOLED vectors: a PoolingEmbedder whose model
    mean-pools (which loads the model)."""
    if not callable(getattr(embedder, "embed_pooled", None)):
        return False
    return cast(PoolingEmbedder, embedder).mean_pooling


def embed_chunks(
    embedder: Embedder, chunked: Sequence[tuple[Article, Sequence[Chunk]]], method: str = ALONE
) -> tuple[np.ndarray, dict[str, SentenceVectors]]:
    """The vectors of the chunks' embedding texts, in order, and article id -> the
    vectors of its chunks' sentences made by `method`, in one call of the model."""
    texts = [embedding_text(a.title, c.text) for a, chunks in chunked for c in chunks]
    if method == ALONE:
        # chunks and sentences in one call: the model sorts all of them by length together
        vectors = embedder.embed([*texts, *_sentence_texts(chunked)])
        return vectors[: len(texts)], _pack(chunked, vectors[len(texts) :], ALONE)
    spans: list[list[Span]] = []
    for article, chunks in chunked:
        for c in chunks:
            # a sentence's place in the embedding text: after the title and its newline
            shift = len(embedding_text(article.title, c.text)) - len(c.text) - c.start
            spans.append([(s + shift, e + shift) for s, e in c.sentences])
    vectors, sums = cast(PoolingEmbedder, embedder).embed_pooled(texts, spans)
    pooled: list[np.ndarray] = []
    cut_off: list[tuple[int, str]] = []  # sentences the model read no word piece of
    row = 0
    for article, chunks in chunked:
        totals: dict[Span, np.ndarray] = {}
        for c in chunks:
            for span, vector in zip(c.sentences, sums[row], strict=True):
                totals[span] = totals[span] + vector if span in totals else vector
            row += 1
        for span in sentence_spans(chunks):
            if not np.any(totals[span]):
                cut_off.append((len(pooled), article.text[span[0] : span[1]]))
            pooled.append(totals[span])
    if cut_off:
        redo = embedder.embed([text for _, text in cut_off])
        for (i, _), vector in zip(cut_off, redo, strict=True):
            pooled[i] = vector
    matrix = np.stack(pooled) if pooled else np.zeros((0, vectors.shape[1]), np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return vectors, _pack(chunked, matrix / np.where(norms > 0, norms, 1.0), POOLED)


def remake_sentence_vectors(
    embedder: Embedder, chunked: Sequence[tuple[Article, Sequence[Chunk]]], method: str
) -> dict[str, SentenceVectors]:
    """article id -> the vectors of its chunks' sentences made by `method`, for chunks
    whose own vectors are stored already (an index that lacks these)."""
    if method == ALONE:
        return _pack(chunked, embedder.embed(_sentence_texts(chunked)), ALONE)
    return embed_chunks(embedder, chunked, method)[1]  # the chunks' pass is the cost


def _sentence_texts(chunked: Sequence[tuple[Article, Sequence[Chunk]]]) -> list[str]:
    return [a.text[s:e] for a, chunks in chunked for s, e in sentence_spans(chunks)]


def _pack(
    chunked: Sequence[tuple[Article, Sequence[Chunk]]], vectors: np.ndarray, method: str
) -> dict[str, SentenceVectors]:
    """article id -> its sentence vectors, from one row per `sentence_spans` span."""
    out: dict[str, SentenceVectors] = {}
    row = 0
    for article, chunks in chunked:
        spans = sentence_spans(chunks)
        out[article.id] = SentenceVectors.from_vectors(
            article.version,
            spans,
            vectors[row : row + len(spans)],
            method,
            sentence_terms(article.text, spans),
        )
        row += len(spans)
    return out
