"""Near-duplicate groups on small real texts written here: a wire story, an outlet's
edited copy of it, and another story on the same topic; through ingest, update,
delete and the migration of an index from before groups."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from index import NewsIndex, ingest
from index.near_duplicates import (
    THRESHOLD,
    GroupAssigner,
    new_group_id,
    preferred_copy,
    signature,
    similarity,
)
from qa.retrieval import HybridRetriever

Contents = Callable[[NewsIndex], Any]

WIRE = """\
Rescue crews in southern Turkey pulled two more survivors from a collapsed apartment \
block on Tuesday, more than a week after the earthquake, officials said.

The two men, aged 21 and 33, were carried out of the rubble in the city of Kahramanmaras \
shortly after dawn and taken to a field hospital, the disaster agency AFAD said in a statement.

"We heard a voice under the concrete at about three in the morning," said Mehmet Yilmaz, \
a volunteer from Istanbul who had worked at the site for six days. "Nobody slept after that."

The death toll from the quake and its aftershocks has passed 35,000 in Turkey and Syria, \
and aid groups warned that freezing nights were putting hundreds of thousands of homeless \
people at risk.

The government has said it will rebuild the destroyed housing within a year, a promise \
that engineers described as ambitious given the scale of the damage.
"""

# another outlet's copy: its own dateline and sign-off, curly quotes, a word changed
EDITED = """\
ANKARA (Wire) — Rescue crews in southern Turkey pulled two more survivors from a collapsed \
apartment block on Tuesday, more than a week after the earthquake, officials said.

The two men, aged 21 and 33, were carried out of the rubble in the city of Kahramanmaras \
shortly after dawn and taken to a field hospital, the disaster agency AFAD said in a statement.

“We heard a voice under the concrete at about three in the morning,” said Mehmet Yilmaz, \
a volunteer from Istanbul who had worked at the site for six days. “Nobody slept after that.”

The death toll from the quake and its aftershocks has passed 35,000 in Turkey and Syria, \
and aid agencies warned that freezing nights were putting hundreds of thousands of homeless \
people at risk.

The government has said it will rebuild the destroyed housing within a year, a promise \
that engineers described as ambitious given the scale of the damage.

Copyright 2023 The Daily Courier.
"""

# the same topic, the same day, another story
OTHER = """\
Turkey's parliament on Tuesday approved a three-month state of emergency in the ten \
provinces hit by last week's earthquake, giving the government powers to requisition \
buildings and fast-track reconstruction contracts.

Opposition lawmakers said the measures concentrated too much power in Ankara and asked \
why building codes had not been enforced before the quake. Engineers have blamed lax \
inspections for the collapse of thousands of apartment blocks.

The death toll in Turkey and Syria has passed 35,000, and the United Nations said more \
than a million people were living in tents or temporary shelters.
"""


# the articles table as the release before groups made it, filled from the new one
OLD_ARTICLES = """
ALTER TABLE articles RENAME TO articles_new;
DROP INDEX articles_group;
CREATE TABLE articles (
    id TEXT PRIMARY KEY, version TEXT NOT NULL, status TEXT NOT NULL, title TEXT NOT NULL,
    date TEXT, source TEXT NOT NULL, url TEXT NOT NULL, authors TEXT NOT NULL,
    origin TEXT NOT NULL, text TEXT NOT NULL, chunks INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL
);
INSERT INTO articles SELECT id, version, status, title, date, source, url, authors, origin,
    text, chunks, seq FROM articles_new;
DROP TABLE articles_new;
"""


def record(article_id: str, text: str, **extra: str) -> dict[str, str]:
    return {"id": article_id, "text": text, "title": f"story {article_id}", **extra}


def write(path: Path, *records: dict[str, str]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def groups_of(index: NewsIndex) -> dict[str, str | None]:
    return {s.id: s.group for s in index.summaries()}


def test_an_edited_copy_is_near_a_duplicate_and_another_story_is_not() -> None:
    wire, edited, other = signature(WIRE), signature(EDITED), signature(OTHER)
    assert similarity(wire, edited) >= THRESHOLD
    assert similarity(wire, other) < 0.1 and similarity(edited, other) < 0.1


def test_the_assigner_labels_copies_together_and_strangers_apart() -> None:
    groups = GroupAssigner()
    first = groups.assign("wire", signature(WIRE))
    assert first == new_group_id("wire", signature(WIRE))
    assert groups.assign("edited", signature(EDITED)) == first
    assert groups.assign("other", signature(OTHER)) != first
    # a text that did not change keeps its label, asked again
    assert groups.assign("edited", signature(EDITED)) == first


def test_ingest_groups_an_edited_copy_and_not_another_story_on_the_topic(
    fake_index: NewsIndex, tmp_path: Path, consistent: Contents
) -> None:
    news = write(
        tmp_path / "news.jsonl",
        record("wire", WIRE),
        record("edited", EDITED),
        record("other", OTHER),
    )
    ingest(fake_index, [news])
    consistent(fake_index)
    groups = groups_of(fake_index)
    assert groups["wire"] is not None and groups["wire"] == groups["edited"]
    assert groups["other"] is not None and groups["other"] != groups["wire"]
    assert fake_index.copies("wire") == ["edited"] and fake_index.copies("other") == []


def test_a_story_alone_in_its_group_gains_the_copy_ingested_after_it(
    fake_index: NewsIndex, tmp_path: Path
) -> None:
    ingest(fake_index, [write(tmp_path / "a.jsonl", record("wire", WIRE))])
    assert fake_index.copies("wire") == []  # read while its group had one member
    ingest(fake_index, [write(tmp_path / "b.jsonl", record("edited", EDITED))])
    assert fake_index.copies("wire") == ["edited"] and fake_index.copies("edited") == ["wire"]
    fake_index.delete(["edited"])
    assert fake_index.copies("wire") == []


def test_an_update_that_becomes_another_story_leaves_the_group_and_the_others_stay(
    fake_index: NewsIndex, tmp_path: Path, consistent: Contents
) -> None:
    third = WIRE.replace("Rescue crews", "Emergency teams").replace("field hospital", "clinic")
    ingest(
        fake_index,
        [
            write(
                tmp_path / "a.jsonl",
                record("wire", WIRE),
                record("edited", EDITED),
                record("third", third),
            )
        ],
    )
    before = groups_of(fake_index)
    assert before["wire"] == before["edited"] == before["third"]
    # an edited copy that stays a copy keeps its label
    ingest(fake_index, [write(tmp_path / "d.jsonl", record("third", third + "\nMore soon."))])
    assert groups_of(fake_index) == before
    # the founder's text is replaced by another story: it leaves, its copies stay
    ingest(fake_index, [write(tmp_path / "b.jsonl", record("wire", OTHER))])
    after = groups_of(fake_index)
    consistent(fake_index)
    assert after["edited"] == after["third"] == before["edited"]
    assert after["wire"] not in (None, before["wire"])
    # a title change leaves the text, and so the label, as it was
    ingest(fake_index, [write(tmp_path / "c.jsonl", record("edited", EDITED, title="new"))])
    assert groups_of(fake_index)["edited"] == before["edited"]


def test_deleting_one_copy_leaves_the_other_copies_labels_as_they_were(
    fake_index: NewsIndex, tmp_path: Path, consistent: Contents
) -> None:
    third = WIRE.replace("Rescue crews", "Emergency teams")
    news = write(
        tmp_path / "news.jsonl",
        record("wire", WIRE),
        record("edited", EDITED),
        record("third", third),
        record("other", OTHER),
    )
    ingest(fake_index, [news])
    before = groups_of(fake_index)
    assert fake_index.delete(["wire"]) == ["wire"]
    after = groups_of(fake_index)
    consistent(fake_index)
    assert after == {k: v for k, v in before.items() if k != "wire"}
    assert fake_index.copies("edited") == ["third"]
    # a copy arriving after the founder is gone still joins the group
    ingest(fake_index, [write(tmp_path / "late.jsonl", record("late", WIRE + "\nUpdated."))])
    assert groups_of(fake_index)["late"] == before["wire"]


def test_an_index_from_before_groups_answers_then_is_grouped_by_the_next_ingest(
    fake_index: NewsIndex, tmp_path: Path, consistent: Contents, monkeypatch: pytest.MonkeyPatch
) -> None:
    news = write(tmp_path / "news.jsonl", record("wire", WIRE), record("edited", EDITED))
    ingest(fake_index, [news])
    directory, embedder = fake_index.directory, fake_index.embedder
    fake_index.close()
    # the catalog as the previous release wrote it: no signature, no group_id
    db = sqlite3.connect(directory / "catalog.sqlite3")
    db.executescript(OLD_ARTICLES)
    db.close()
    with monkeypatch.context() as patch:
        # opened read-only first (a fake for a directory this user cannot write: the
        # tests run as root), it lists and retrieves, every article a group of its own
        patch.setattr("index.catalog.os.access", lambda path, mode: False)
        old = NewsIndex.open(directory, embedder)
        assert old.catalog.read_only
        assert groups_of(old) == {"wire": None, "edited": None}
        assert old.copies("wire") == [] and old.catalog.grouped() == []
        assert old.copy_fields()["wire"][0] is None
        passages = HybridRetriever(old).retrieve("survivors pulled from the rubble")
        assert {p.article_id for p in passages} == {"wire", "edited"}
        old.close()
    reopened = NewsIndex.open(directory, embedder)  # writable: the columns are added
    try:
        assert groups_of(reopened) == {"wire": None, "edited": None}
        report = ingest(reopened, [news, write(tmp_path / "new.jsonl", record("other", OTHER))])
        assert sorted(report.unchanged) == ["edited", "wire"] and report.added == ("other",)
        groups = groups_of(reopened)
        wire = reopened.article("wire")
        assert wire is not None  # labelled in the order added: the first founded the group
        assert groups["wire"] == groups["edited"] == new_group_id("wire", signature(wire.text))
        assert groups["other"] not in (None, groups["wire"])
        consistent(reopened)
    finally:
        reopened.close()


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (None, "late-long"),
        ("2023-02-14", "mid"),
        ("2023-02-15", "late-long"),
        ("2023-01-01", "undated"),  # nothing dated before: undated copies may be older
    ],
)
def test_the_preferred_copy_is_the_nearest_before_as_of_then_the_longest(
    as_of: str | None, expected: str
) -> None:
    copies = [
        ("early", "2023-02-13", 4000),
        ("mid", "2023-02-14", 2500),
        ("late-short", "2023-02-15", 1200),
        ("late-long", "2023-02-15T08:00:00", 3000),
        ("undated", None, 9000),
    ]
    assert preferred_copy(copies, as_of) == expected
