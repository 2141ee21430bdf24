"""Fixtures for the index tests: small real inputs written to tmp_path, indexes over
them (vectors in the directory, or on the session's Chroma server where a module
is marked both_stores: see tests/conftest.py), and a reader that checks an index's three
stores against each other."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index import (
    Article,
    FakeEmbedder,
    NewsIndex,
    SentenceTransformerEmbedder,
    lexical_terms,
    read_paths,
    sentence_names,
)
from index.near_duplicates import signature
from index.store import StoredChunk

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_08dd639a47279972.txt"
CITIES = ("Beijing", "Lagos", "Lima", "Oslo", "Perth", "Quito", "Seoul", "Tunis")


@dataclass(frozen=True)
class IndexContents:
    """What an index holds, read back from each of its stores."""

    chunk_ids: list[str]  # every chunk id in Chroma, in scan order, duplicates kept
    chunks: dict[str, list[StoredChunk]]  # article id -> its chunks in Chroma, by ordinal
    served: dict[str, str]  # article id -> version, for the catalog's complete articles
    pending: list[str]  # article ids the catalog holds as pending
    lexical_ids: list[str]  # chunk ids BM25 scores

    def counts(self) -> dict[str, int]:
        """article id -> chunks in Chroma."""
        return {article_id: len(chunks) for article_id, chunks in self.chunks.items()}


def read_contents(index: NewsIndex) -> IndexContents:
    scanned = list(index.store.scan())
    chunks: dict[str, list[StoredChunk]] = {}
    for stored in scanned:
        chunks.setdefault(stored.chunk.article_id, []).append(stored)
    for found in chunks.values():
        found.sort(key=lambda s: s.chunk.ordinal)
    states = index.catalog.versions()
    return IndexContents(
        chunk_ids=[s.chunk.id for s in scanned],
        chunks=chunks,
        served={i: version for i, (version, status) in states.items() if status == "complete"},
        pending=sorted(i for i, (_, status) in states.items() if status == "pending"),
        lexical_ids=list(index.lexical().chunk_ids),
    )


def check_consistent(index: NewsIndex) -> IndexContents:
    """Assert that catalog, Chroma and BM25 agree and every chunk's offsets hold."""
    contents = read_contents(index)
    assert len(contents.chunk_ids) == len(set(contents.chunk_ids)), "duplicate chunk ids"
    assert contents.pending == [], f"articles left pending: {contents.pending}"
    orphans = [
        s.chunk.id
        for found in contents.chunks.values()
        for s in found
        if contents.served.get(s.chunk.article_id) != s.version
    ]
    assert orphans == [], f"chunks of no served version: {orphans[:5]}"
    listed = {summary.id: summary.chunks for summary in index.catalog.summaries()}
    assert listed == contents.counts(), "catalog chunk counts differ from Chroma's"
    assert sorted(contents.lexical_ids) == sorted(contents.chunk_ids)
    for article_id, found in contents.chunks.items():
        article = index.catalog.article(article_id)
        assert article is not None
        # read back with the version the catalog recorded, which is its fields' hash
        assert article.version == contents.served[article_id]
        assert replace(article).version == article.version, "a version not of its fields"
        assert [s.chunk.ordinal for s in found] == list(range(len(found)))
        for stored in found:
            chunk = stored.chunk
            assert article.text[chunk.start : chunk.end] == chunk.text, chunk.id
            assert chunk.sentences, chunk.id
            assert chunk.sentences[0][0] == chunk.start and chunk.sentences[-1][1] == chunk.end
            assert all(a[1] <= b[0] for a, b in itertools.pairwise(chunk.sentences))
    check_sentence_vectors(index, contents)
    check_chunk_spans(index, contents)
    check_groups(index, contents)
    return contents


def check_rows_are_the_served(
    index: NewsIndex, table: str, read: Mapping[str, Any], contents: IndexContents
) -> None:
    """What the catalog gave back (`read`) is of the served articles with chunks, and
    `table` holds a row for each served article and none for an article that is gone."""
    assert sorted(read) == sorted(contents.chunks), f"{table} for other articles"
    with index.catalog._lock:  # rows of deleted articles would linger here
        rows = index.catalog._db.execute(f"SELECT article_id FROM {table}").fetchall()
    assert sorted(r[0] for r in rows) == sorted(contents.served), table


def check_chunk_spans(index: NewsIndex, contents: IndexContents) -> None:
    """The catalog holds every served article's chunks as Chroma does, and nothing of
    articles that are gone."""
    held = index.catalog.chunk_spans([*contents.served, "no-such-article"])
    check_rows_are_the_served(index, "chunk_spans", held, contents)
    for article_id, found in contents.chunks.items():
        spans = held[article_id]
        assert spans.version == contents.served[article_id], article_id
        assert [(s, e, [list(x) for x in sentences]) for s, e, sentences in spans.spans] == [
            (c.chunk.start, c.chunk.end, [list(x) for x in c.chunk.sentences]) for c in found
        ], article_id


def check_sentence_vectors(index: NewsIndex, contents: IndexContents) -> None:
    """Every served article has one unit vector per distinct sentence of its chunks, of
    its served version, made the way the index makes them, and no vectors are kept for
    articles that are gone."""
    stored = index.catalog.sentence_vectors([*contents.served, "no-such-article"])
    check_rows_are_the_served(index, "sentence_vectors", stored, contents)
    for article_id, found in contents.chunks.items():
        vectors = stored[article_id]
        assert vectors.version == contents.served[article_id], article_id
        assert vectors.method == index.sentence_vectors_method, article_id
        spans = sorted({span for s in found for span in s.chunk.sentences})
        assert list(vectors.spans) == spans, article_id
        norms = np.linalg.norm(vectors.vectors(), axis=1)
        assert norms.shape == (len(spans),)
        assert np.allclose(norms, 1.0, atol=0.02), article_id
        # and each sentence's lexical terms and names, as an answer would make them
        article = index.catalog.article(article_id)
        assert article is not None, article_id
        for row, (start, end) in enumerate(spans):
            sentence = article.text[start:end]
            made = (lexical_terms(sentence), sentence_names(sentence))
            assert vectors.terms_of(row) == made, (article_id, row)


def check_groups(index: NewsIndex, contents: IndexContents) -> None:
    """Every served article carries its text's signature and a group label, written
    with it (which labels they are is the grouping tests' business)."""
    rows = {article_id: (sig, group) for article_id, sig, group in index.catalog.grouped()}
    assert sorted(i for i in rows if i in contents.served) == sorted(contents.served)
    for article_id in contents.served:
        article = index.catalog.article(article_id)
        assert article is not None
        # read back with the version the catalog recorded, which is its fields' hash
        assert article.version == contents.served[article_id]
        assert replace(article).version == article.version, "a version not of its fields"
        assert rows[article_id][0] == signature(article.text), article_id
        assert rows[article_id][1], article_id


@pytest.fixture()
def index_contents() -> Callable[[NewsIndex], IndexContents]:
    """Read an index's contents back without checking them."""
    return read_contents


@pytest.fixture()
def consistent() -> Callable[[NewsIndex], IndexContents]:
    """Check an index (see `check_consistent`) and return what it holds."""
    return check_consistent


@pytest.fixture(scope="session")
def seed_article() -> Article:
    """The seed article as the .txt reader gives it."""
    [article] = [item for item in read_paths([SEED]) if isinstance(item, Article)]
    return article


def generated_records(seed: Article, count: int) -> list[dict[str, str]]:
    """`count` distinct JSONL records built from the seed's paragraphs, 2 to 3 chunks each."""
    paragraphs = [p for p in seed.text.split("\n\n") if len(p) > 60]
    records = []
    for i in range(count):
        city = CITIES[i % len(CITIES)]
        lead = f"Officials in {city} followed the talks closely on day {i} of the visit."
        body = [paragraphs[(i + k) % len(paragraphs)] for k in range(4)]
        records.append(
            {
                "id": f"gen-{i:02d}",
                "title": f"{city} watches Blinken visit, report {i}",
                "text": "\n\n".join([lead, *body]),
                "date": f"2023-06-{1 + i % 28:02d}",
                "source": f"wire-{i % 3}",
                "url": f"https://news.example.com/{city.lower()}/{i}",
            }
        )
    return records


@pytest.fixture()
def write_jsonl(seed_article: Article) -> Callable[[Path, int], Path]:
    """Write `count` generated articles as one JSONL file at `path`."""

    def write(path: Path, count: int) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [json.dumps(r) for r in generated_records(seed_article, count)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture()
def fake_index(tmp_path: Path, chroma_url: str | None) -> Iterator[NewsIndex]:
    """A fresh index built with the deterministic fake embedder."""
    directory = tmp_path / "fake-index"
    index = NewsIndex.open(directory, FakeEmbedder(), create=True, chroma_url=chroma_url)
    yield index
    index.close()


@pytest.fixture()
def real_index(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, chroma_url: str | None
) -> Iterator[NewsIndex]:
    """A fresh index built with the real bundled model (shared for the session)."""
    index = NewsIndex.open(tmp_path / "index", embedder, create=True, chroma_url=chroma_url)
    yield index
    index.close()
