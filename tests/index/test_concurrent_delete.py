"""Another process deletes from, and ingests into, an index this process holds open and
answers from (issue 16 item 7): questions go on being answered, never from a deleted
article, and the new articles are found."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_process import newsdesk  # tests/cli_process.py

from qa import NewsDesk, Settings

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_08dd639a47279972.txt"
QUESTION = "what did Kritenbrink say about expectations?"
OTHER = (
    "Harbour strike ends\n\nDock workers in Rotterdam ended their strike on Monday after "
    "the port authority agreed to a new pay deal, the union said.\n"
)


@pytest.fixture()
def desk(tmp_path: Path) -> Iterator[NewsDesk]:
    index_dir = tmp_path / "index"
    desk = NewsDesk.open(Settings.from_env(index_dir=index_dir), create=True)
    (tmp_path / "other.txt").write_text(OTHER, encoding="utf-8")
    assert len(desk.ingest([SEED, tmp_path / "other.txt"]).added) == 2
    yield desk
    desk.close()


def test_a_delete_by_another_process_leaves_the_holder_answering(desk: NewsDesk) -> None:
    before = desk.ask(QUESTION)
    assert before.citations, "the seed article should answer this before it is deleted"
    seed_id = before.citations[0].article_id
    done = newsdesk("delete", seed_id, "--index", str(desk.settings.index_dir))
    assert done.returncode == 0, done.stderr
    assert f"deleted: {seed_id}" in done.stdout
    for question in (QUESTION, "Who is Kritenbrink?", "what ended the Rotterdam strike?"):
        answer = desk.ask(question)  # raised TypeError from index/store.py before
        cited = {c.article_id for c in (*answer.citations, *answer.related)}
        assert seed_id not in cited, question
    assert seed_id not in {a.id for a in desk.articles()}


def test_an_ingest_by_another_process_is_found_by_the_holder(
    desk: NewsDesk, tmp_path: Path
) -> None:
    desk.ask(QUESTION)
    path = tmp_path / "late.txt"
    path.write_text(
        "Glacier survey published\n\nScientists in Tromso said the Blaavatn glacier lost "
        "forty metres of ice last summer, the fastest retreat they have measured.\n",
        encoding="utf-8",
    )
    done = newsdesk("ingest", str(path), "--index", str(desk.settings.index_dir), "--quiet")
    assert done.returncode == 0, done.stderr
    answer = desk.ask("How much ice did the Blaavatn glacier lose?")
    assert any("forty metres" in c.quote for c in answer.citations), answer.text
