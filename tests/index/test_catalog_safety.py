"""The catalog on disk (issue 16): a deleted article's text does not stay in the files,
a damaged catalog is named with the fix, and an index that cannot be written is read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from index import FakeEmbedder, NewsIndex, NotAnIndexError, ingest
from index.catalog import Catalog

MARKER = "Quillfeatherington"  # in the text only: Chroma keeps titles, not texts


def write_article(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"A plain title\n\n{body}\n", encoding="utf-8")
    return path


def files_holding(directory: Path, needle: bytes) -> list[str]:
    return sorted(
        str(p.relative_to(directory))
        for p in directory.rglob("*")
        if p.is_file() and needle in p.read_bytes()
    )


def test_a_deleted_articles_text_is_in_no_file_of_the_index(
    fake_index: NewsIndex, tmp_path: Path
) -> None:
    body = f"The envoy {MARKER} met the delegation on Tuesday and said little afterwards."
    kept = write_article(tmp_path / "in", "kept.txt", "Another article entirely, about rain.")
    report = ingest(fake_index, [write_article(tmp_path / "in", "gone.txt", body), kept])
    assert len(report.added) == 2
    assert files_holding(fake_index.directory, MARKER.encode()), "the test needs the text stored"
    [gone] = [i for i in report.added if MARKER in fake_index.catalog.texts([i])[i][1]]
    assert fake_index.delete([gone]) == [gone]
    assert files_holding(fake_index.directory, MARKER.encode()) == []


def test_a_damaged_catalog_is_named_with_the_fix(fake_index: NewsIndex) -> None:
    directory = fake_index.directory
    fake_index.close()
    for leftover in directory.glob("catalog.sqlite3-*"):
        leftover.unlink()
    (directory / "catalog.sqlite3").write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(NotAnIndexError) as raised:
        NewsIndex.open(directory, FakeEmbedder())
    message = str(raised.value)
    assert str(directory / "catalog.sqlite3") in message
    assert "is damaged" in message and "rebuild it with 'newsdesk ingest" in message


def test_a_read_only_catalog_reads_and_refuses_writes(
    fake_index: NewsIndex, tmp_path: Path
) -> None:
    ingest(fake_index, [write_article(tmp_path / "in", "a.txt", "Some text about the harbour.")])
    [summary] = fake_index.catalog.summaries()
    fake_index.close()
    catalog = Catalog(fake_index.directory / "catalog.sqlite3", read_only=True)
    assert catalog.read_only
    assert [s.id for s in catalog.summaries()] == [summary.id]
    assert catalog.count() == 1
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        catalog.delete([summary.id])
    catalog.close()


def test_an_index_the_user_cannot_write_is_opened_read_only(
    fake_index: NewsIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(fake_index, [write_article(tmp_path / "in", "a.txt", "Some text about the harbour.")])
    fake_index.close()
    # a fake for a directory this user cannot write: the tests run as root, whom
    # permissions never stop, so access() is told to say no
    monkeypatch.setattr("index.catalog.os.access", lambda path, mode: False)
    index = NewsIndex.open(fake_index.directory, FakeEmbedder())
    assert index.catalog.read_only
    assert [s.title for s in index.catalog.summaries()] == ["A plain title"]
    index.close()
