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
    """A test labeller: each sentence labelled with its length, None under 150 characters."""

    def __init__(self, name: str = "lengths-1") -> None:
        self.name = name
        self.calls = 0

    def label(self, article: Article) -> Labels:
        self.calls += 1
        spans = split_sentences(article.text)
        return tuple((s, f"{e - s} chars" if e - s >= 150 else None) for s, e in spans)


def _as_stored(labels: Labels) -> Labels:
    """What the catalog keeps of a labeller's labels: the first sentence (where the
    article's lead starts) and the labelled ones, in article order."""
    return tuple(pair for n, pair in enumerate(labels) if n == 0 or pair[1] is not None)


def _stored_match(index: NewsIndex, labeller: LengthLabeller) -> dict[str, bool]:
    """served article id -> whether its stored labels are the labeller's for its text."""
    ids = [s.id for s in index.catalog.summaries()]
    stored = index.sentence_labels(ids, labeller.name)
    out = {}
    for article_id in ids:
        article = index.catalog.article(article_id)
        assert article is not None
        made = stored.get(article_id)
        out[article_id] = made == (article.version, _as_stored(labeller.label(article)))
    return out


def test_ingest_stores_every_articles_labels(
    fake_index: NewsIndex, write_jsonl: Callable[[Path, int], Path], tmp_path: Path
) -> None:
    labeller = LengthLabeller()
    ingest(fake_index, [write_jsonl(tmp_path / "a.jsonl", 4)], labeller=labeller)
    matches = _stored_match(fake_index, labeller)
    assert len(matches) == 4 and all(matches.values())
    stored = fake_index.sentence_labels(list(matches), labeller.name)
    made = [labeller.label(a) for a in fake_index.articles(list(matches)).values()]
    assert any(label is None for labels in made for _, label in labels[1:])
    assert any(label for labels in made for _, label in labels)
    # of the sentences after the first, only the labelled are stored
    assert all(label for _, labels in stored.values() for _, label in labels[1:])


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


def test_labels_stored_with_every_sentence_are_compacted_by_the_next_ingest(
    fake_index: NewsIndex, write_jsonl: Callable[[Path, int], Path], tmp_path: Path
) -> None:
    labeller = LengthLabeller()
    source = write_jsonl(tmp_path / "a.jsonl", 3)
    ingest(fake_index, [source], labeller=labeller)
    ids = [s.id for s in fake_index.catalog.summaries()]
    with fake_index.catalog._lock:  # as code before 2026-12-06 stored them: every sentence
        for article_id, article in fake_index.articles(ids).items():
            every = [[s, label] for s, label in labeller.label(article)]
            fake_index.catalog._db.execute(
                "UPDATE sentence_labels SET labels = ? WHERE article_id = ?",
                (json.dumps(every, separators=(",", ":")), article_id),
            )
    before = fake_index.sentence_labels(ids, labeller.name)
    assert not any(_stored_match(fake_index, labeller).values())
    calls = labeller.calls
    ingest(fake_index, [source], labeller=labeller)
    assert labeller.calls == calls, "labelled again, not compacted"
    assert all(_stored_match(fake_index, labeller).values())
    after = fake_index.sentence_labels(ids, labeller.name)
    for article_id, (version, labels) in before.items():
        assert after[article_id][0] == version
        assert after[article_id][1][0] == labels[0]  # the first sentence, labelled or not
        assert {s: lb for s, lb in after[article_id][1] if lb} == {s: lb for s, lb in labels if lb}
