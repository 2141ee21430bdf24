"""Opening an index directory, and what each way of getting it wrong says."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from index import (
    EmptyIndexError,
    FakeEmbedder,
    IndexNotWritableError,
    ModelMismatchError,
    NewsIndex,
    NotAnIndexError,
    ingest,
    lexical,
)
from index.news_index import MARKER

Write = Callable[[Path, int], Path]


def test_a_missing_directory_without_create_says_to_ingest(tmp_path: Path) -> None:
    with pytest.raises(EmptyIndexError) as caught:
        NewsIndex.open(tmp_path / "nowhere", FakeEmbedder())
    assert "newsdesk ingest" in str(caught.value)
    assert str(tmp_path / "nowhere") in str(caught.value)
    assert not (tmp_path / "nowhere").exists()  # opening to read creates nothing


def test_create_starts_an_index_and_records_the_model(tmp_path: Path) -> None:
    directory = tmp_path / "deep" / "index"
    index = NewsIndex.open(directory, FakeEmbedder(name="fake-a"), create=True)
    index.close()
    assert json.loads((directory / MARKER).read_text())["embedding_model"] == "fake-a"
    NewsIndex.open(directory, FakeEmbedder(name="fake-a")).close()  # and opens again


def test_an_empty_existing_directory_can_become_an_index(tmp_path: Path) -> None:
    NewsIndex.open(tmp_path, FakeEmbedder(), create=True).close()
    assert (tmp_path / MARKER).is_file()


def test_a_directory_holding_other_files_is_not_an_index(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(NotAnIndexError) as caught:
        NewsIndex.open(tmp_path, FakeEmbedder(), create=True)
    assert MARKER in str(caught.value) and "--index" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # left untouched


def test_a_file_is_not_an_index(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    path.write_text("x")
    for create in (False, True):
        with pytest.raises(NotAnIndexError, match="is a file"):
            NewsIndex.open(path, FakeEmbedder(), create=create)


@pytest.mark.parametrize("content", ["{not json", "[]", ""])
def test_a_damaged_marker_is_not_an_index(tmp_path: Path, content: str) -> None:
    (tmp_path / MARKER).write_text(content)
    with pytest.raises(NotAnIndexError, match="damaged"):
        NewsIndex.open(tmp_path, FakeEmbedder())


def test_a_read_only_parent_is_refused(tmp_path: Path) -> None:
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        if os.access(parent, os.W_OK):
            pytest.skip("running as root: permissions do not stop root (see the /proc test)")
        with pytest.raises(IndexNotWritableError) as caught:
            NewsIndex.open(parent / "index", FakeEmbedder(), create=True)
        assert str(parent) in str(caught.value) and "--index" in str(caught.value)
    finally:
        parent.chmod(0o755)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc and /sys")
@pytest.mark.parametrize(
    "directory",
    [
        "/proc/self/newsdesk-index",  # access() says no, even to root
        "/sys/newsdesk-index",  # access() may say yes to root; mkdir says no
    ],
)
def test_a_parent_nobody_may_write_is_refused_even_for_root(directory: str) -> None:
    # these kernel filesystems take no new directories from anyone, so the test
    # runs as root in CI too
    with pytest.raises(IndexNotWritableError, match="--index"):
        NewsIndex.open(Path(directory), FakeEmbedder(), create=True)


def test_another_model_is_refused_with_how_to_rebuild(tmp_path: Path, write_jsonl: Write) -> None:
    directory = tmp_path / "index"
    index = NewsIndex.open(directory, FakeEmbedder(name="fake-a"), create=True)
    ingest(index, [write_jsonl(tmp_path / "news.jsonl", 2)])
    index.close()
    for create in (False, True):
        with pytest.raises(ModelMismatchError) as caught:
            NewsIndex.open(directory, FakeEmbedder(name="fake-b"), create=create)
        message = str(caught.value)
        assert "'fake-a'" in message and "'fake-b'" in message
        assert "NEWSDESK_EMBEDDING_MODEL=fake-a" in message
        assert f"newsdesk ingest PATH... --index {directory}" in message
    assert json.loads((directory / MARKER).read_text())["embedding_model"] == "fake-a"


def test_an_index_with_no_vectors_takes_the_model_that_fills_it(tmp_path: Path) -> None:
    # as a first ingest leaves it when its model fails to load
    directory = tmp_path / "index"
    NewsIndex.open(directory, FakeEmbedder(name="fake-broken"), create=True).close()
    NewsIndex.open(directory, FakeEmbedder(name="fake-b")).close()  # reading changes nothing
    assert json.loads((directory / MARKER).read_text())["embedding_model"] == "fake-broken"
    NewsIndex.open(directory, FakeEmbedder(name="fake-b"), create=True).close()
    assert json.loads((directory / MARKER).read_text())["embedding_model"] == "fake-b"


def test_delete_removes_from_every_store_and_reports_what_existed(
    fake_index: NewsIndex,
    tmp_path: Path,
    write_jsonl: Write,
    consistent: Callable[[NewsIndex], Any],
) -> None:
    ingest(fake_index, [write_jsonl(tmp_path / "news.jsonl", 3)])
    before = consistent(fake_index)
    assert sorted(before.served) == ["gen-00", "gen-01", "gen-02"]
    assert fake_index.delete(["gen-01", "nope", "gen-01"]) == ["gen-01"]
    after = consistent(fake_index)
    assert sorted(after.served) == ["gen-00", "gen-02"]
    assert not any(cid.startswith("gen-01:") for cid in after.chunk_ids + after.lexical_ids)
    assert fake_index.catalog.article("gen-01") is None
    assert fake_index.delete(["nope"]) == []


def test_a_lost_or_damaged_lexical_index_is_rebuilt(
    fake_index: NewsIndex,
    tmp_path: Path,
    write_jsonl: Write,
    consistent: Callable[[NewsIndex], Any],
) -> None:
    ingest(fake_index, [write_jsonl(tmp_path / "news.jsonl", 3)])
    expected = sorted(consistent(fake_index).lexical_ids)
    directory = fake_index.directory
    fake_index.close()
    shutil.rmtree(directory / "lexical")
    reopened = NewsIndex.open(directory, FakeEmbedder())
    assert sorted(reopened.lexical().chunk_ids) == expected
    reopened.close()
    (directory / "lexical" / "chunk_ids.json").write_text("[broken")
    reopened = NewsIndex.open(directory, FakeEmbedder())
    assert sorted(reopened.lexical().chunk_ids) == expected
    assert reopened.lexical().scores("Blinken Beijing").max() > 0
    reopened.close()


@pytest.mark.parametrize(
    ("text", "older", "stamp_terms", "query"),
    [
        # saved before terms folded accents: "Sánchez" stayed "sánchez", and the stamp
        # names no terms version
        ("Pedro Sánchez called an election.", {"folded": str.lower}, None, "Sanchez"),
        # saved with terms of version 2: accents folded, but "won" not read as "win"
        ("The Avalanche won the Cup.", {"_IRREGULAR": {}}, 2, "Will they win again?"),
    ],
)
def test_a_lexical_index_of_older_terms_is_rebuilt(
    fake_index: NewsIndex,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    older: dict[str, object],
    stamp_terms: int | None,
    query: str,
) -> None:
    source = tmp_path / "news.jsonl"
    source.write_text(json.dumps({"id": "a", "title": "News", "text": text}) + "\n", "utf-8")
    with monkeypatch.context() as patch:
        for name, value in older.items():
            patch.setattr(f"index.lexical.{name}", value)
        patch.setattr("index.lexical._TERM_OF", {})  # no word remembered with new terms
        ingest(fake_index, [source])
    assert fake_index.lexical().scores(query).max() == 0
    directory = fake_index.directory
    fake_index.close()
    stamp = directory / "lexical" / "stamp.json"
    saved = {"stamp": json.loads(stamp.read_text())["stamp"]}
    stamp.write_text(json.dumps(saved if stamp_terms is None else {**saved, "terms": stamp_terms}))
    reopened = NewsIndex.open(directory, FakeEmbedder())
    try:
        assert reopened.lexical().scores(query).max() > 0
        assert json.loads(stamp.read_text())["terms"] == lexical.TERMS_VERSION
    finally:
        reopened.close()


def test_chunks_are_read_from_the_catalog_and_from_chroma_where_it_lacks_them(
    fake_index: NewsIndex,
    tmp_path: Path,
    write_jsonl: Write,
    consistent: Callable[[NewsIndex], Any],
    monkeypatch: pytest.MonkeyPatch,
    chroma_url: str | None,
) -> None:
    ingest(fake_index, [write_jsonl(tmp_path / "news.jsonl", 3)])
    contents = consistent(fake_index)
    ids = sorted(contents.chunk_ids, key=lambda c: (c.startswith("gen-02:"), c))[::-1]
    assert len(ids) >= 4
    ids.insert(1, "gen-00:not-its-version:0")  # a stale id is left out, as Chroma leaves it
    from_chroma = fake_index.store.get(ids)
    assert [s.chunk.id for s in from_chroma] == [i for i in ids if "not-its" not in i]

    def no_chroma(chunk_ids: Any) -> Any:
        raise AssertionError(f"asked Chroma for {chunk_ids}")

    with monkeypatch.context() as patch:
        patch.setattr(fake_index.store, "get", no_chroma)
        assert fake_index.chunks(ids) == from_chroma

    # an index from before chunk spans, opened anew: read from Chroma, until the next
    # ingest copies them
    with fake_index.catalog._lock:
        fake_index.catalog._db.execute("DELETE FROM chunk_spans WHERE article_id = 'gen-02'")
    fake_index.close()
    index = NewsIndex.open(fake_index.directory, FakeEmbedder(), chroma_url=chroma_url)
    try:
        asked: list[list[str]] = []
        real_get = index.store.get
        monkeypatch.setattr(index.store, "get", lambda c: asked.append(list(c)) or real_get(c))
        assert index.chunks(ids) == from_chroma
        assert asked == [[i for i in ids if i.startswith("gen-02:")]]
        assert index.catalog.lacking_chunk_spans() == ["gen-02"]
        report = ingest(index, [tmp_path / "news.jsonl"])
        assert report.unchanged == ("gen-00", "gen-01", "gen-02")
        assert index.catalog.lacking_chunk_spans() == []
        consistent(index)
    finally:
        index.close()


def test_articles_kept_in_memory_follow_a_replace_and_a_delete(
    fake_index: NewsIndex, tmp_path: Path
) -> None:
    def write(text: str) -> Path:
        path = tmp_path / "news.jsonl"
        lines = [{"id": "a", "title": "A", "text": text}, {"id": "b", "title": "B", "text": "Bee."}]
        path.write_text("".join(json.dumps(line) + "\n" for line in lines))
        return path

    ingest(fake_index, [write("The first telling of it.")])
    first = fake_index.articles(["a", "b", "nope"])
    assert sorted(first) == ["a", "b"]
    assert fake_index.articles(["a"])["a"] is first["a"]  # kept, not read again
    ingest(fake_index, [write("The second telling of it.")])  # "a" replaced
    assert fake_index.articles(["a"])["a"].text == "The second telling of it."
    fake_index.delete(["a"])
    assert fake_index.articles(["a", "b"]).keys() == {"b"}


def test_the_articles_of_chunks_read_are_not_read_again(
    fake_index: NewsIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "news.jsonl"
    lines = [
        {"id": "a", "title": "A", "text": "The first story. It goes on.", "authors": ["Ann"]},
        {"id": "b", "title": "B", "text": "The second story.", "date": "2023-06-14"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    ingest(fake_index, [path])
    expected = fake_index.catalog.articles(["a", "b"])
    chunk_ids = [s.chunk.id for s in fake_index.store.scan()]
    assert {s.chunk.article_id for s in fake_index.chunks(chunk_ids)} == {"a", "b"}
    read: list[list[str]] = []
    catalog_articles = fake_index.catalog.articles
    monkeypatch.setattr(
        fake_index.catalog, "articles", lambda ids: read.append(list(ids)) or catalog_articles(ids)
    )
    found = fake_index.articles(["a", "b"])
    assert found == expected and [a.version for a in found.values()] == [
        a.version for a in expected.values()
    ]
    assert read == []  # both came with the chunks retrieval read


def test_an_article_s_chunks_are_read_whole_in_order_and_follow_a_replace(
    fake_index: NewsIndex, tmp_path: Path
) -> None:
    def write(paragraphs: int) -> Path:
        body = "\n\n".join(
            f"Paragraph {n} tells part {n} of the story at length, " + "with more words " * 30
            for n in range(paragraphs)
        )
        path = tmp_path / "news.jsonl"
        lines = [{"id": "long", "title": "Long", "text": body}, {"id": "b", "text": "Bee."}]
        path.write_text("".join(json.dumps(line) + "\n" for line in lines))
        return path

    ingest(fake_index, [write(6)])
    stored = {s.chunk.id: s.chunk for s in fake_index.store.scan()}
    chunks = [s.chunk for s in fake_index.article_chunks(["long", "nope", "b", "long"])]
    assert [c.article_id for c in chunks].count("b") == 1 and chunks[-1].article_id == "b"
    long = [c for c in chunks if c.article_id == "long"]
    assert len(long) > 3 and [c.ordinal for c in long] == list(range(len(long)))
    assert all(stored[c.id] == c for c in chunks)  # as the store holds them
    leads = [s.chunk for s in fake_index.article_chunks(["long", "b"], per_article=1)]
    assert [(c.article_id, c.ordinal) for c in leads] == [("long", 0), ("b", 0)]
    ingest(fake_index, [write(2)])  # "long" replaced by a shorter version
    again = fake_index.article_chunks(["long"])
    assert 0 < len(again) < len(long)
    assert {s.chunk.id for s in again} == {
        s.chunk.id for s in fake_index.store.scan() if s.chunk.article_id == "long"
    }
    fake_index.delete(["long"])
    assert fake_index.article_chunks(["long"]) == []
