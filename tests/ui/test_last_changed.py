"""When the index last changed, as `NewsDesk.last_changed` and the Corpus tab give it,
follows ingests and deletes made by another process on an index this one holds open."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_process import newsdesk  # tests/cli_process.py

from qa import NewsDesk, Settings
from ui.web.corpus import CorpusTab

pytestmark = pytest.mark.model

ARTICLE = (
    "Glacier survey published\n\nScientists in Tromso said the Blaavatn glacier lost "
    "forty metres of ice last summer, the fastest retreat they have measured.\n"
)


def now_ms() -> datetime:
    """The time now, cut to the milliseconds the index records."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


@pytest.fixture()
def desk(tmp_path: Path) -> Iterator[NewsDesk]:
    desk = NewsDesk.open(Settings.from_env(index_dir=tmp_path / "index"), create=True)
    yield desk
    desk.close()


def test_changes_by_another_process_show_in_last_changed(desk: NewsDesk, tmp_path: Path) -> None:
    index = str(desk.settings.index_dir)
    assert desk.last_changed() is None
    path = tmp_path / "glacier.txt"
    path.write_text(ARTICLE, encoding="utf-8")

    started = now_ms()
    done = newsdesk("ingest", str(path), "--index", index, "--quiet")
    ended = datetime.now(UTC)
    assert done.returncode == 0, done.stderr
    ingested = desk.last_changed()
    assert ingested is not None and started <= ingested <= ended, (started, ingested, ended)
    assert ingested.tzinfo is not None and ingested.utcoffset() == UTC.utcoffset(None)
    table, _, _, line = CorpusTab(desk).corpus()
    assert "Glacier survey published" in table
    assert line == (
        '<p class="nd-last-changed">Index last changed: '
        f"{ingested.strftime('%Y-%m-%d %H:%M:%S')} UTC</p>"
    )

    done = newsdesk("ingest", str(path), "--index", index, "--quiet")  # nothing new
    assert done.returncode == 0, done.stderr
    assert desk.last_changed() == ingested

    [article] = desk.articles()
    started = now_ms()
    done = newsdesk("delete", article.id, "--index", index)
    ended = datetime.now(UTC)
    assert done.returncode == 0, done.stderr
    deleted = desk.last_changed()
    assert deleted is not None and started <= deleted <= ended and deleted > ingested
    assert desk.articles() == []


def test_changes_by_this_process_show_too(desk: NewsDesk, tmp_path: Path) -> None:
    path = tmp_path / "glacier.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    started = now_ms()
    assert desk.ingest([path]).added
    ingested = desk.last_changed()
    assert ingested is not None and started <= ingested <= datetime.now(UTC)
    assert desk.delete(["no-such-article"]) == []
    assert desk.last_changed() == ingested, "deleting nothing changed nothing"
