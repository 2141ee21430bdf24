"""The Chroma store on a real PersistentClient in tmp_path and on a real Chroma server,
with fake-embedded chunks and a real catalog for the article texts that chunk texts are
cut from."""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pytest

from index import Article, Chunk, FakeEmbedder, Filters
from index.catalog import Catalog
from index.store import ChromaStore, date_number

pytestmark = pytest.mark.both_stores

EMBEDDER = FakeEmbedder(dimension=16)


def article(article_id: str, *, date: str | None, source: str, text: str = "") -> Article:
    text = text or f"{article_id} reports on the budget. The council voted. Schools gain."
    return Article(
        id=article_id,
        text=text,
        title=f"Title of {article_id}",
        date=date,
        source=source,
        url=f"https://{source}/{article_id}",
    )


def chunks_of(a: Article, n: int = 3) -> list[Chunk]:
    """n one-sentence chunks, cut at the article's full stops."""
    spans, start = [], 0
    for _ in range(n):
        end = a.text.index(".", start) + 1
        spans.append((start, end))
        start = end + 1
    return [
        Chunk(f"{a.id}:{a.version}:{i}", a.id, i, s, e, a.text[s:e], ((s, e),))
        for i, (s, e) in enumerate(spans)
    ]


def add(store: ChromaStore, a: Article, n: int = 3) -> list[Chunk]:
    """Record the article in the store's catalog, then write its chunks."""
    catalog = store._texts
    assert isinstance(catalog, Catalog)
    catalog.mark_pending([a])
    chunks = chunks_of(a, n)
    store.add(a, chunks, EMBEDDER.embed([c.text for c in chunks]))
    catalog.mark_complete({a.id: n})
    return chunks


@pytest.fixture()
def store(tmp_path: Path, chroma_url: str | None) -> ChromaStore:
    # a collection of its own: the server is shared by the whole test session
    collection = f"test-{uuid.uuid4().hex[:12]}"
    texts = Catalog(tmp_path / "catalog.sqlite3")
    return ChromaStore(tmp_path / "chroma", texts, url=chroma_url, collection=collection)


def test_chunks_round_trip_with_their_metadata(store: ChromaStore) -> None:
    a = article("a1", date="2023-06-14", source="reuters.com")
    chunks = add(store, a)
    found = store.get([chunks[2].id, "missing", chunks[0].id])
    assert [s.chunk for s in found] == [chunks[2], chunks[0]]
    first = found[1]
    assert (first.article.title, first.article.date, first.article.source, first.article.url) == (
        a.title,
        "2023-06-14",
        "reuters.com",
        "https://reuters.com/a1",
    )
    assert first.version == a.version


def test_an_undated_article_reads_back_without_a_date(store: ChromaStore) -> None:
    add(store, article("a1", date=None, source=""))
    assert {s.article.date for s in store.scan()} == {None}


def test_writing_the_same_chunks_twice_keeps_one_copy(store: ChromaStore) -> None:
    a = article("a1", date=None, source="x")
    add(store, a)
    add(store, a)
    assert store.count() == 3


def test_adds_are_split_into_batches_below_the_maximum(store: ChromaStore) -> None:
    assert store.max_batch > 0
    text = " ".join(f"Sentence {i}." for i in range(25))
    a = article("long", date=None, source="x", text=text)
    store.max_batch = 4  # so that 25 chunks take seven upserts
    add(store, a, n=25)
    assert store.count() == 25
    assert sorted(s.chunk.ordinal for s in store.scan()) == list(range(25))


def test_scan_pages_through_every_chunk_once(store: ChromaStore) -> None:
    for i in range(4):
        add(store, article(f"a{i}", date=None, source="x"))
    ids = [s.chunk.id for s in store.scan(page=5)]
    assert len(ids) == 12 == len(set(ids))


def test_delete_articles_can_keep_one_version(store: ChromaStore) -> None:
    old = article("a1", date=None, source="x")
    new = article("a1", date="2023-06-15", source="x")  # same id, changed metadata
    other = article("a2", date=None, source="x")
    add(store, old)
    add(store, new)
    add(store, other)
    assert old.version != new.version and store.count() == 9
    store.delete_articles(["a1"], keep_version=new.version)
    assert {(s.chunk.article_id, s.version) for s in store.scan()} == {
        ("a1", new.version),
        ("a2", other.version),
    }
    store.delete_articles(["a1", "a2"])
    assert store.count() == 0


def test_the_collection_measures_cosine_distance(store: ChromaStore) -> None:
    a = article("a1", date=None, source="x")
    chunks = add(store, a, n=1)
    vector = EMBEDDER.embed([chunks[0].text])[0]
    [hit] = store.query(vector, 5, Filters())
    assert hit.distance == pytest.approx(0.0, abs=1e-5)
    orthogonal = np.zeros_like(vector)
    orthogonal[int(np.argmin(np.abs(vector)))] = 1.0  # a unit vector at a zero entry of `vector`
    assert vector @ orthogonal == pytest.approx(0.0, abs=1e-6)
    [far] = store.query(orthogonal, 5, Filters())
    assert far.distance == pytest.approx(1.0, abs=1e-4)  # squared L2 would give 2


def test_an_empty_store_answers_queries_with_nothing(store: ChromaStore) -> None:
    assert store.query(EMBEDDER.embed(["budget"])[0], 5, Filters()) == []
    assert store.get([]) == [] and list(store.scan()) == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), {"cnn", "bbc", "undated"}),
        (Filters(sources=("cnn.com",)), {"cnn"}),
        (Filters(article_ids=("bbc", "undated")), {"bbc", "undated"}),
        (Filters(date_from="2023-06-10"), {"bbc", "undated"}),
        (Filters(date_to="2023-06-10"), {"cnn", "undated"}),
        (Filters(date_from="2023-06-01", date_to="2023-06-30"), {"cnn", "bbc", "undated"}),
        (Filters(sources=("bbc.com",), date_to="2023-06-10"), set()),
    ],
)
def test_query_filters_match_filters_admits(
    store: ChromaStore, filters: Filters, expected: set[str]
) -> None:
    corpus = [
        article("cnn", date="2023-06-05", source="cnn.com"),
        article("bbc", date="2023-06-20", source="bbc.com"),
        article("undated", date=None, source="blog.example"),  # undated passes date limits
    ]
    for a in corpus:
        add(store, a)
    found = store.query(EMBEDDER.embed(["budget council"])[0], 20, filters)
    assert {s.chunk.article_id for s in found} == expected
    assert {a.id for a in corpus if filters.admits(a.id, a.source, a.date)} == expected


def test_date_number_sorts_like_the_date() -> None:
    assert date_number("2022-06-16") == 20220616
    assert date_number(None) == 0
    assert date_number("2021-12-31") < date_number("2022-01-01")


def test_chroma_keeps_no_text_and_chunks_are_cut_from_the_catalog(store: ChromaStore) -> None:
    a = article("a1", date=None, source="x")
    chunks = add(store, a)
    raw = store._collection.get(include=["documents"])
    assert raw["documents"] == [None, None, None]  # no full-text index to pay for
    [found] = store.get([chunks[1].id])
    assert found.chunk.text == a.text[found.chunk.start : found.chunk.end] == chunks[1].text
    [hit] = store.query(EMBEDDER.embed([chunks[1].text])[0], 1, Filters())
    assert hit.chunk.text == chunks[1].text


def test_chunks_of_a_version_the_catalog_no_longer_holds_are_not_served(
    store: ChromaStore,
) -> None:
    old = article("a1", date=None, source="x")
    stale = add(store, old)
    new = article("a1", date=None, source="x", text="a1 now says something else. Twice. Or so.")
    add(store, new)  # the catalog now holds the new text; the old chunks linger
    assert store.get([c.id for c in stale]) == []
    served = store.query(EMBEDDER.embed([stale[0].text])[0], 10, Filters())
    assert {s.version for s in served} == {new.version}
    scanned = {s.chunk.id: s for s in store.scan()}
    assert all(scanned[c.id].chunk.text == "" for c in stale)  # kept, so checks find them
    assert len(scanned) == 6
