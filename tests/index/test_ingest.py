"""Ingest on small real files written to tmp_path, with the real bundled model
(marked `model`) and, where the model is beside the point, the fake one; each test on
both stores (vectors in the index directory, and on a Chroma server)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from index import (
    BUNDLED_MODEL,
    Article,
    ChunkingPolicy,
    NewsIndex,
    SentenceTransformerEmbedder,
    embedding_text,
    ingest,
    read_paths,
)
from index.ingest import chunk
from index.news_index import MARKER

pytestmark = pytest.mark.both_stores

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_08dd639a47279972.txt"
Write = Callable[[Path, int], Path]
Contents = Callable[[NewsIndex], Any]

MARKDOWN = """---
title: Council passes the budget
date: 2023-06-14
source: Daily Bugle
url: https://bugle.example.com/budget
---

# Council passes the budget

The city council voted on Tuesday to approve a budget that raises spending on schools.

Opponents said the plan would strain the city's finances. "We cannot afford it," one said.
"""


def inputs(directory: Path, write_jsonl: Write, count: int = 3) -> Path:
    """A folder with the seed (.txt), a Markdown article and `count` JSONL articles."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED, directory / "seed.txt")
    (directory / "budget.md").write_text(MARKDOWN, encoding="utf-8")
    write_jsonl(directory / "news.jsonl", count)
    return directory


def read_articles(*paths: Path) -> dict[str, Article]:
    return {a.id: a for a in read_paths(paths) if isinstance(a, Article)}


def expected_chunks(index: NewsIndex, articles: dict[str, Article]) -> dict[str, int]:
    """Chunks per article that a clean ingest writes."""
    return {i: len(chunk(a, index, ChunkingPolicy())) for i, a in articles.items()}


@pytest.mark.model
def test_every_stored_chunk_holds_its_offsets_and_fits_the_model(
    real_index: NewsIndex,
    tmp_path: Path,
    write_jsonl: Write,
    consistent: Contents,
    embedder: SentenceTransformerEmbedder,
) -> None:
    folder = inputs(tmp_path / "in", write_jsonl)
    seen: list[tuple[int, int]] = []
    report = ingest(real_index, [folder], progress=lambda a, c: seen.append((a, c)))
    articles = read_articles(folder)
    assert sorted(report.added) == sorted(articles) and len(articles) == 5
    assert report.failed == () and report.updated == () and report.unchanged == ()
    contents = consistent(real_index)  # offsets of every chunk against the catalog's text
    assert contents.counts() == expected_chunks(real_index, articles)
    assert report.chunks == len(contents.chunk_ids) == real_index.store.count()
    assert seen[-1] == (5, report.chunks) and seen == sorted(seen)
    for found in contents.chunks.values():
        texts = [embedding_text(s.article.title, s.chunk.text) for s in found]
        assert max(embedder.token_counts(texts)) + 2 <= 256


@pytest.mark.model
def test_metadata_reaches_chroma_and_the_model_is_recorded(
    real_index: NewsIndex, tmp_path: Path, write_jsonl: Write, index_contents: Contents
) -> None:
    folder = inputs(tmp_path / "in", write_jsonl, count=2)
    ingest(real_index, [folder])
    contents = index_contents(real_index)
    records = {r["id"]: r for r in map(json.loads, (folder / "news.jsonl").open())}
    expected = {
        **{i: (r["title"], r["date"], r["url"], r["source"]) for i, r in records.items()},
        read_articles(folder / "budget.md").popitem()[0]: (
            "Council passes the budget",
            "2023-06-14",
            "https://bugle.example.com/budget",
            "Daily Bugle",
        ),
    }
    for article_id, fields in expected.items():
        found = contents.chunks[article_id]
        assert {
            (s.article.title, s.article.date, s.article.url, s.article.source) for s in found
        } == {fields}
    marker = json.loads((real_index.directory / MARKER).read_text())
    assert marker["embedding_model"] == BUNDLED_MODEL == real_index.model_name


@pytest.mark.model
def test_ingesting_the_same_files_twice_adds_nothing(
    real_index: NewsIndex, tmp_path: Path, write_jsonl: Write, index_contents: Contents
) -> None:
    folder = inputs(tmp_path / "in", write_jsonl)
    first = ingest(real_index, [folder])
    before = index_contents(real_index)
    generation = real_index.catalog.generation
    again = ingest(real_index, [folder])
    assert again.added == () and again.updated == () and again.chunks == 0
    assert sorted(again.unchanged) == sorted(first.added)
    after = index_contents(real_index)
    assert real_index.store.count() == len(before.chunk_ids)
    assert sorted(after.chunk_ids) == sorted(before.chunk_ids)
    assert sorted(after.lexical_ids) == sorted(before.lexical_ids)
    assert real_index.catalog.generation == generation  # nothing was rewritten


@pytest.mark.model
def test_a_changed_article_replaces_its_chunks_without_orphans(
    real_index: NewsIndex, tmp_path: Path, write_jsonl: Write, consistent: Contents
) -> None:
    folder = inputs(tmp_path / "in", write_jsonl)
    ingest(real_index, [folder])
    old = consistent(real_index)
    news = folder / "news.jsonl"
    records = [json.loads(line) for line in news.open()]
    records[1]["text"] = "A short correction replaced the story. Nothing else remains."
    records[2]["title"] = "A new headline for the same text"
    news.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    seed_copy = folder / "seed.txt"  # a .txt keeps its id (the text's hash) when its title changes
    body = SEED.read_text().split("\n\n", 2)[2]  # after the title and its repeat
    seed_copy.write_text("Blinken heads to Beijing\n\n" + body)

    report = ingest(real_index, [folder])

    seed_id = next(iter(read_articles(seed_copy)))
    assert sorted(report.updated) == sorted(["gen-01", "gen-02", seed_id])
    assert sorted(report.unchanged) == sorted(set(old.served) - set(report.updated))
    new = consistent(real_index)  # no chunk of an old version is left, in Chroma or BM25
    assert new.counts() == expected_chunks(real_index, read_articles(folder))
    assert new.counts()["gen-01"] == 1 < old.counts()["gen-01"]
    assert {s.article.title for s in new.chunks["gen-02"]} == {"A new headline for the same text"}
    assert {s.article.title for s in new.chunks[seed_id]} == {"Blinken heads to Beijing"}
    assert set(new.chunk_ids) & {i for i in old.chunk_ids if i.startswith("gen-01:")} == set()
    assert real_index.lexical().scores("correction replaced story").max() > 0


@pytest.mark.model
def test_delete_removes_an_article_from_chroma_catalog_and_bm25(
    real_index: NewsIndex, tmp_path: Path, write_jsonl: Write, consistent: Contents
) -> None:
    ingest(real_index, [write_jsonl(tmp_path / "news.jsonl", 3)])
    assert real_index.delete(["gen-00", "no-such-id"]) == ["gen-00"]
    contents = consistent(real_index)
    assert sorted(contents.served) == ["gen-01", "gen-02"]
    assert not [i for i in contents.chunk_ids + contents.lexical_ids if i.startswith("gen-00:")]
    assert real_index.catalog.article("gen-00") is None
    assert [s.id for s in real_index.catalog.summaries()] == ["gen-01", "gen-02"]
    # and it comes back whole when ingested again
    report = ingest(real_index, [tmp_path / "news.jsonl"])
    assert report.added == ("gen-00",) and sorted(report.unchanged) == ["gen-01", "gen-02"]
    assert sorted(consistent(real_index).served) == ["gen-00", "gen-01", "gen-02"]


@pytest.mark.model
def test_bad_jsonl_lines_are_reported_by_number_and_the_good_ones_kept(
    real_index: NewsIndex, tmp_path: Path, seed_article: Article, consistent: Contents
) -> None:
    good = [{"id": f"ok-{i}", "text": f"Story {i} happened."} for i in (1, 2, 3)]
    lines = [
        json.dumps(good[0]),
        "{not json",
        json.dumps(good[1]),
        json.dumps({"title": "no text"}),
        "[1, 2]",
        "",
        json.dumps(good[2]),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest(real_index, [path])
    assert report.added == ("ok-1", "ok-2", "ok-3")
    assert [n.origin for n in report.failed] == [f"{path}:2", f"{path}:4", f"{path}:5"]
    assert "not valid JSON" in report.failed[0].message
    assert '"text"' in report.failed[1].message
    assert sorted(consistent(real_index).served) == ["ok-1", "ok-2", "ok-3"]


@pytest.mark.model
def test_failed_inputs_keep_the_run_going_and_lose_nothing_indexed(
    real_index: NewsIndex, tmp_path: Path, write_jsonl: Write, consistent: Contents
) -> None:
    ingest(real_index, [write_jsonl(tmp_path / "news.jsonl", 2)])
    before = consistent(real_index)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "one.txt").write_text("One story\n\nThe mayor resigned on Monday.\n")
    names = ("missing.txt", "empty.txt", "image.txt", "one.txt")
    report = ingest(real_index, [tmp_path / name for name in names])
    assert [n.origin for n in report.failed] == [str(tmp_path / name) for name in names[:3]]
    assert len(report.added) == 1
    after = consistent(real_index)
    assert set(before.chunk_ids) < set(after.chunk_ids)


@pytest.mark.model
def test_an_article_id_seen_twice_in_one_run_is_written_once(
    real_index: NewsIndex, tmp_path: Path, consistent: Contents
) -> None:
    path = tmp_path / "twice.jsonl"
    first = {"id": "dup", "title": "First", "text": "The first telling of the story."}
    second = {"id": "dup", "title": "Second", "text": "The second telling of it."}
    path.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n")
    report = ingest(real_index, [path])
    assert report.added == ("dup",)
    assert [n.origin for n in report.warnings] == [f"{path}:2"]
    contents = consistent(real_index)
    assert [s.chunk.text for s in contents.chunks["dup"]] == [first["text"]]


def test_a_pending_article_rewritten_under_other_chunking_keeps_no_old_chunks(
    fake_index: NewsIndex, consistent: Contents
) -> None:
    narrow = ChunkingPolicy(max_tokens=64, target_tokens=40)
    [article_id] = ingest(fake_index, [SEED], policy=narrow).added
    before = consistent(fake_index).counts()[article_id]
    fake_index.catalog.set_pending([article_id])  # as a run killed mid-batch leaves it
    report = ingest(fake_index, [SEED])  # same version, default chunking: fewer chunks
    assert report.added == (article_id,)
    after = consistent(fake_index).counts()[article_id]
    assert after < before


def test_an_edited_text_file_replaces_the_article_it_held(
    fake_index: NewsIndex, tmp_path: Path, consistent: Contents
) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Harbour budget\n\nThe council approved the harbour budget on Monday.\n")
    first = ingest(fake_index, [story])
    story.write_text("Harbour budget\n\nThe council approved a larger harbour budget on Monday.\n")
    second = ingest(fake_index, [story])
    assert second.updated != () and second.added == ()
    contents = consistent(fake_index)
    assert sorted(contents.served) == sorted(second.updated)
    assert first.added[0] not in contents.served
    assert "larger" in fake_index.catalog.article(second.updated[0]).text  # type: ignore[union-attr]
