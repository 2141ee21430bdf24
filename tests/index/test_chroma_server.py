"""An index whose vectors live on a real Chroma server (`chroma run` on 127.0.0.1).

The session's server (tests/conftest.py: NEWSDESK_TEST_CHROMA_URL, else one started on
a free port) serves most tests; the lost-connection test starts and stops one of its
own. The catalog and BM25 stay in the index directory, as the README says.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index import FakeEmbedder, NewsIndex, ingest
from index.errors import UnusableIndexError, VectorStoreUnavailableError
from qa import NewsDesk, Settings
from tests.conftest import ChromaServer, free_port
from tests.index.conftest import SEED, check_consistent

ROOT = Path(__file__).resolve().parents[2]
NEWSDESK = [sys.executable, "-m", "ui.cli"]


def seed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy2(SEED, folder / SEED.name)
    shutil.copy2(SEED.with_suffix(".meta.json"), folder / SEED.with_suffix(".meta.json").name)
    return folder


def test_an_index_on_the_server_ingests_deletes_and_stays_consistent(
    chroma_server: str, tmp_path: Path
) -> None:
    index = NewsIndex.open(tmp_path / "ix", FakeEmbedder(), create=True, chroma_url=chroma_server)
    report = ingest(index, [seed_copy(tmp_path)])
    assert report.added and report.chunks > 0
    contents = check_consistent(index)
    assert len(contents.chunk_ids) == report.chunks == index.store.count()
    assert not (tmp_path / "ix" / "chroma").exists()  # the vectors are on the server
    # a second index on the same server has a collection of its own
    other = NewsIndex.open(
        tmp_path / "other", FakeEmbedder(), create=True, chroma_url=chroma_server
    )
    assert other.store.count() == 0
    index.delete(list(contents.served))
    assert index.store.count() == 0
    check_consistent(index)


@pytest.mark.model
def test_another_process_answers_from_the_server_index(chroma_server: str, tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "ix", chroma_url=chroma_server)
    desk = NewsDesk.open(settings, create=True)
    desk.ingest([seed_copy(tmp_path)])
    desk.close()
    command = [*NEWSDESK, "ask", "what did Kritenbrink say about expectations?", "--json"]
    result = subprocess.run(
        [*command, "--index", str(tmp_path / "ix"), "--chroma", chroma_server],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert not answer["abstained"]
    assert any("breakthrough" in c["quote"] for c in answer["citations"]), answer


def test_a_server_that_is_down_gets_one_line_naming_it(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(
        VectorStoreUnavailableError, match=f"cannot reach the Chroma server at {url}"
    ):
        NewsIndex.open(tmp_path / "ix", FakeEmbedder(), create=True, chroma_url=url)
    result = subprocess.run(
        [*NEWSDESK, "list", "--index", str(tmp_path / "ix"), "--chroma", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert url in line and "chroma run" in line, line


def test_an_index_opened_with_the_wrong_kind_of_store_says_which(
    chroma_server: str, tmp_path: Path
) -> None:
    NewsIndex.open(tmp_path / "local", FakeEmbedder(), create=True).close()
    with pytest.raises(UnusableIndexError, match="unset NEWSDESK_CHROMA_URL"):
        NewsIndex.open(tmp_path / "local", FakeEmbedder(), chroma_url=chroma_server)
    NewsIndex.open(
        tmp_path / "remote", FakeEmbedder(), create=True, chroma_url=chroma_server
    ).close()
    with pytest.raises(UnusableIndexError, match="keeps its vectors on a Chroma server"):
        NewsIndex.open(tmp_path / "remote", FakeEmbedder())


def test_a_bad_chroma_url_is_refused_plainly(tmp_path: Path) -> None:
    with pytest.raises(VectorStoreUnavailableError, match="not a server address"):
        NewsIndex.open(tmp_path / "ix", FakeEmbedder(), create=True, chroma_url="localhost:8000")


def test_an_ingest_cut_off_by_a_lost_server_resumes_cleanly(tmp_path: Path) -> None:
    server = ChromaServer(tmp_path / "server-data")
    server.start()
    try:
        stories = tmp_path / "stories"
        stories.mkdir()
        for n in range(64):  # four batches of BATCH_ARTICLES
            (stories / f"story-{n:02}.txt").write_text(
                f"Story {n}\n\nThe council of town {n} met on Monday. It voted on the budget."
            )
        index = NewsIndex.open(tmp_path / "ix", FakeEmbedder(), create=True, chroma_url=server.url)

        def lose_the_server(articles: int, chunks: int) -> None:
            if chunks:  # after the first committed batch
                server.stop()

        with pytest.raises(VectorStoreUnavailableError, match=server.url):
            ingest(index, [stories], lose_the_server)
        index.close()
        server.start()  # the same data directory and port
        reopened = NewsIndex.open(tmp_path / "ix", FakeEmbedder(), chroma_url=server.url)
        # the first batch was committed; the one in flight is pending, as after a kill
        assert 0 < len(reopened.served_versions()) < 64
        report = ingest(reopened, [stories])
        assert len(report.added) + len(report.updated) + len(report.unchanged) == 64
        assert len(check_consistent(reopened).served) == 64
    finally:
        server.stop()
