"""Stand-in chunks for the scale benchmark: the corpus chunked as `ingest` chunks it
under `FakeEmbedder`, and repeated with fresh ids to make more chunks than it has.

Search and BM25 cost depend on how many vectors and postings there are, not on what
they mean; benchmarks/bench_scale.py says so in its output.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from index import (
    Article,
    Chunk,
    ChunkingPolicy,
    FakeEmbedder,
    chunk_article,
    chunk_id,
    embedding_text,
    read_paths,
    split_sentences,
)

STAND_IN = FakeEmbedder(dimension=384, name="fake-384")  # the name older runs' indexes carry
COPY_NOISE = 0.01  # per-dimension sigma added to a repeated chunk's vector

Chunked = tuple[Article, list[Chunk]]


def corpus_chunks(corpus: Path, limit: int | None) -> Iterator[Chunked]:
    """The corpus articles with their chunks, as `ingest` makes them with `STAND_IN`,
    until `limit` chunks (or the corpus) run out."""
    policy = ChunkingPolicy()
    policy = replace(policy, max_tokens=min(policy.max_tokens, STAND_IN.max_tokens))
    total = 0
    seen: set[str] = set()
    for item in read_paths([corpus]):
        if not isinstance(item, Article) or item.id in seen:
            continue  # ingest keeps the first of two articles with one id
        seen.add(item.id)
        chunks = chunk_article(item, split_sentences(item.text), STAND_IN.token_counts, policy)
        yield item, chunks
        total += len(chunks)
        if limit is not None and total >= limit:
            return


def copy_article(article: Article, chunks: Sequence[Chunk], copy: int) -> Chunked:
    """The `copy`-th stand-in copy of an article: the same text under a fresh id (copy
    0 is the article itself), its chunks re-identified to match.

    >>> a = Article("story", "One. Two.")
    >>> c = Chunk(chunk_id("story", a.version, 0), "story", 0, 0, 4, "One.")
    >>> b, [d] = copy_article(a, [c], 2)
    >>> b.id, d.id == chunk_id("story~2", a.version, 0), d.text
    ('story~2', True, 'One.')
    """
    if copy == 0:
        return article, list(chunks)
    fresh = replace(article, id=f"{article.id}~{copy}")
    return fresh, [
        replace(c, id=chunk_id(fresh.id, fresh.version, c.ordinal), article_id=fresh.id)
        for c in chunks
    ]


def repeated(base: Sequence[Chunked], n: int) -> Iterator[tuple[int, int, Chunked]]:
    """(copy, position in `base`, article with chunks) for n chunks in all: the base
    articles in order, then again as copy 1, 2, ...; the last is cut short to make n.

    >>> a = Article("a", "x"); c = Chunk("a:v:0", "a", 0, 0, 1, "x")
    >>> [(copy, at, art.id, len(cs)) for copy, at, (art, cs) in repeated([(a, [c, c])], 5)]
    [(0, 0, 'a', 2), (1, 0, 'a~1', 2), (2, 0, 'a~2', 1)]
    """
    made = copy = 0
    while made < n and base:
        for position, (article, chunks) in enumerate(base):
            fresh, fresh_chunks = copy_article(article, chunks[: n - made], copy)
            yield copy, position, (fresh, fresh_chunks)
            made += len(fresh_chunks)
            if made >= n:
                return
        copy += 1


def copy_vectors(vectors: np.ndarray, copy: int) -> np.ndarray:
    """The stand-in vectors of a copy: copy 0's own, later copies' moved by a little
    seeded noise and renormalised, so that no two of the N vectors are one point (HNSW
    meets no such ties in real data).

    >>> v = np.eye(2, 384, dtype=np.float32)
    >>> bool((copy_vectors(v, 0) == v).all()), bool((copy_vectors(v, 3) == v).any())
    (True, False)
    >>> w = copy_vectors(v, 3); [round(float(x), 3) for x in np.linalg.norm(w, axis=1)]
    [1.0, 1.0]
    """
    if copy == 0:
        return vectors
    noise = np.random.default_rng(copy).normal(0.0, COPY_NOISE, vectors.shape)
    moved = vectors + noise.astype(np.float32)
    return moved / np.linalg.norm(moved, axis=1, keepdims=True)


def lexical_text(article: Article, chunk: Chunk) -> str:
    """What BM25 indexes of a chunk, as `NewsIndex.rebuild_lexical` writes it."""
    return f"{article.title}\n{chunk.text}"


class MemoryTexts:
    """The catalog's `texts` for stand-in articles that live only in this process."""

    def __init__(self) -> None:
        self._texts: dict[str, tuple[str, str]] = {}

    def put(self, article: Article) -> None:
        self._texts[article.id] = (article.version, article.text)

    def texts(self, article_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        return {i: self._texts[i] for i in article_ids if i in self._texts}


@dataclass(frozen=True)
class Base:
    """The corpus chunks that stand-in chunks repeat, with their stand-in vectors."""

    chunked: list[Chunked]
    vectors: np.ndarray  # one row per chunk, in chunked order
    offsets: list[int]  # per article, the row of its first chunk

    @property
    def chunks(self) -> int:
        return len(self.vectors)


def read_base(corpus: Path, limit: int | None) -> Base:
    """The first corpus articles that make `limit` chunks (the last one cut short to
    make exactly that many), or all of them, with their stand-in vectors."""
    chunked = list(corpus_chunks(corpus, limit))
    if limit is not None:  # cut the last article so the base is exactly `limit`
        over = sum(len(c) for _, c in chunked) - limit
        if over > 0:
            article, chunks = chunked[-1]
            chunked[-1] = (article, chunks[: len(chunks) - over])
    texts = [embedding_text(a.title, c.text) for a, chunks in chunked for c in chunks]
    offsets, row = [], 0
    for _, chunks in chunked:
        offsets.append(row)
        row += len(chunks)
    return Base(chunked, STAND_IN.embed(texts), offsets)
