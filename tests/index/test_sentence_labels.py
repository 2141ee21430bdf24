"""Sentence labels made at ingest: stored with their article's version, replaced with
it, deleted with it, made for articles indexed before them, and never served from
another labeller."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from index import NewsIndex, ingest, split_sentences
from index.records import Article
from index.sentence_labels import Labels


class LengthLabeller:
    """A test labeller: each sentence labelled with its length, None under 100 characters."""

    def __init__(self, name: str = "lengths-1") -> None:
        self.name = name
        self.calls = 0

    def label(self, article: Article) -> Labels:
        self.calls += 1
        spans = split_sentences(article.text)
        return tuple((s, f"{e - s} chars" if e - s >= 100 else None) for s, e in spans)


def _stored_match(index: NewsIndex, labeller: LengthLabeller) -> dict[str, bool]:
    """served article id -> whether its stored labels are the labeller's for its text."""
    ids = [s.id for s in index.catalog.summaries()]
    stored = index.sentence_labels(ids, labeller.name)
    out = {}
    for article_id in ids:
        article = index.catalog.article(article_id)
        assert article is not None
        made = stored.get(article_id)
        out[article_id] = made == (article.version, labeller.label(article))
    return out


def test_ingest_stores_every_articles_labels(
    fake_index: NewsIndex, write_jsonl: Callable[[Path, int], Path], tmp_path: Path
) -> None:
    labeller = LengthLabeller()
    ingest(fake_index, [write_jsonl(tmp_path / "a.jsonl", 4)], labeller=labeller)
    matches = _stored_match(fake_index, labeller)
    assert len(matches) == 4 and all(matches.values())
    some = next(iter(fake_index.sentence_labels(list(matches), labeller.name).values()))[1]
    assert any(label is None for _, label in some) and any(label for _, label in some)


def test_an_update_relabels_and_a_delete_removes_the_labels(
    fake_index: NewsIndex, write_jsonl: Callable[[Path, int], Path], tmp_path: Path
) -> None:
    labeller = LengthLabeller()
    source = write_jsonl(tmp_path / "a.jsonl", 3)
    ingest(fake_index, [source], labeller=labeller)
    records = [json.loads(line) for line in source.read_text().splitlines()]
    records[0]["text"] += "\n\nA late paragraph that was added to the story after it ran first."
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    report = ingest(fake_index, [source], labeller=labeller)
    assert report.updated == (records[0]["id"],)
    assert all(_stored_match(fake_index, labeller).values())
    fake_index.delete([records[1]["id"]])
    assert fake_index.catalog.labels([records[1]["id"]], labeller.name) == {}
    with fake_index.catalog._lock:
        rows = fake_index.catalog._db.execute("SELECT article_id FROM sentence_labels").fetchall()
    assert sorted(r[0] for r in rows) == sorted([records[0]["id"], records[2]["id"]])


def test_articles_indexed_without_labels_are_labelled_by_the_next_ingest(
    fake_index: NewsIndex, write_jsonl: Callable[[Path, int], Path], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "a.jsonl", 3)
    ingest(fake_index, [source])  # before labels, or by a caller without a labeller
    labeller = LengthLabeller()
    ids = [s.id for s in fake_index.catalog.summaries()]
    assert fake_index.sentence_labels(ids, labeller.name) == {}
    report = ingest(fake_index, [source], labeller=labeller)
    assert len(report.unchanged) == 3 and labeller.calls >= 3
    assert all(_stored_match(fake_index, labeller).values())
    assert fake_index.catalog.lacking_labels(labeller.name) == []


def test_labels_of_another_labeller_are_not_served_and_are_replaced(
    fake_index: NewsIndex, write_jsonl: Callable[[Path, int], Path], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "a.jsonl", 2)
    ingest(fake_index, [source], labeller=LengthLabeller("lengths-1"))
    newer = LengthLabeller("lengths-2")
    ids = [s.id for s in fake_index.catalog.summaries()]
    assert fake_index.sentence_labels(ids, newer.name) == {}
    assert fake_index.catalog.lacking_labels(newer.name) == ids
    ingest(fake_index, [source], labeller=newer)
    assert all(_stored_match(fake_index, newer).values())
    assert fake_index.sentence_labels(ids, "lengths-1") == {}
