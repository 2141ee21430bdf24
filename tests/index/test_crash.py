"""An ingest killed mid-run (SIGKILL) or interrupted (Ctrl-C) leaves an index that
opens and answers, and the next ingest completes it: one copy of every article.

Each test starts `python -m ui.cli ingest` on 160 generated articles (ten batches) and
stops it once the catalog shows one batch committed and the next one pending: with
bfloat16 embedding, three batches were done before the signal landed. Both tests run
with the vectors in the index directory and on a Chroma server.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from index import (
    Article,
    ChunkingPolicy,
    NewsIndex,
    SentenceTransformerEmbedder,
    ingest,
    read_paths,
)
from index.ingest import chunk
from qa import NewsDesk, Settings

pytestmark = [pytest.mark.model, pytest.mark.slow, pytest.mark.both_stores]

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = 160  # ten batches: the signal must land while batches remain
Write = Callable[[Path, int], Path]
Contents = Callable[[NewsIndex], Any]


def start_ingest(source: Path, index_dir: Path, chroma_url: str | None) -> subprocess.Popen[str]:
    """`newsdesk ingest` started as a background launcher starts it: with SIGINT
    ignored (`trap "" INT` is inherited through exec), so the Ctrl-C test holds only
    if newsdesk takes the handler back itself, whoever runs this test."""
    command = [sys.executable, "-m", "ui.cli", "ingest", str(source), "--index", str(index_dir)]
    if chroma_url:
        command += ["--chroma", chroma_url]
    return subprocess.Popen(
        ["sh", "-c", 'trap "" INT; exec "$@"', "sh", *command, "--quiet"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"},
    )


def catalog_status(index_dir: Path) -> tuple[int, int]:
    """(complete, pending) articles in the catalog; (0, 0) until it exists."""
    path = index_dir / "catalog.sqlite3"
    if not path.exists():
        return 0, 0
    db = sqlite3.connect(path, timeout=1)
    try:
        rows = dict(db.execute("SELECT status, COUNT(*) FROM articles GROUP BY status"))
    except sqlite3.OperationalError:  # the table is not there yet
        return 0, 0
    finally:
        db.close()
    return int(rows.get("complete", 0)), int(rows.get("pending", 0))


def stop_mid_batch(process: subprocess.Popen[str], index_dir: Path, sig: int) -> None:
    """Send `sig` once a batch is committed and the next one is being written."""
    deadline = time.monotonic() + 240  # the model loads slowly on a busy 2-core box
    while 0 in catalog_status(index_dir):
        if process.poll() is not None:
            pytest.fail(f"ingest ended before it was caught mid-batch: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("no batch was committed within 240 s")
        time.sleep(0.02)
    process.send_signal(sig)


@pytest.fixture()
def news(tmp_path: Path, write_jsonl: Write) -> Path:
    return write_jsonl(tmp_path / "news.jsonl", ARTICLES)


def test_a_killed_ingest_leaves_an_index_that_answers_and_the_next_run_completes(
    news: Path,
    tmp_path: Path,
    embedder: SentenceTransformerEmbedder,
    index_contents: Contents,
    consistent: Contents,
    chroma_url: str | None,
) -> None:
    index_dir = tmp_path / "index"
    process = start_ingest(news, index_dir, chroma_url)
    stop_mid_batch(process, index_dir, signal.SIGKILL)
    assert process.wait(60) == -signal.SIGKILL
    committed, pending = catalog_status(index_dir)
    assert committed > 0 and pending > 0  # killed with a batch half done

    index = NewsIndex.open(index_dir, embedder, chroma_url=chroma_url)
    try:
        # what was committed is served, whole and only once
        served = index_contents(index)
        assert len(served.served) == committed
        served_ids = [
            s.chunk.id
            for found in served.chunks.values()
            for s in found
            if served.served.get(s.chunk.article_id) == s.version
        ]
        assert sorted(index.lexical().chunk_ids) == sorted(served_ids)
        desk = NewsDesk(Settings.from_env(index_dir=index_dir, chroma_url=chroma_url), index)
        answer = desk.ask("Who urged the United States to stop meddling in its affairs?")
        cited = answer.citations + answer.related
        assert cited, answer
        for citation in cited:
            assert citation.article_id in served.served
            article = index.catalog.article(citation.article_id)
            assert article is not None
            assert article.text[citation.start : citation.end] == citation.quote

        report = ingest(index, [news])
        assert len(report.unchanged) == committed
        assert len(report.added) == ARTICLES - committed and report.updated == ()
        contents = consistent(index)  # no pending, no orphans, no duplicates, BM25 == Chroma
        assert len(contents.served) == ARTICLES
        articles = [a for a in read_paths([news]) if isinstance(a, Article)]
        # chunking is deterministic, so this is what a clean ingest writes
        clean = {a.id: [c.id for c in chunk(a, index, ChunkingPolicy())] for a in articles}
        assert sorted(contents.chunk_ids) == sorted(i for ids in clean.values() for i in ids)
        assert contents.counts() == {i: len(ids) for i, ids in clean.items()}
    finally:
        index.close()


def test_ctrl_c_prints_one_clean_line_and_keeps_what_was_committed(
    news: Path,
    tmp_path: Path,
    embedder: SentenceTransformerEmbedder,
    index_contents: Contents,
    chroma_url: str | None,
) -> None:
    index_dir = tmp_path / "index"
    process = start_ingest(news, index_dir, chroma_url)
    stop_mid_batch(process, index_dir, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, (stdout, stderr)
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines() == [
        "newsdesk: interrupted; what was committed is kept and the next run finishes the rest"
    ]
    index = NewsIndex.open(index_dir, embedder, chroma_url=chroma_url)
    try:
        committed, _ = catalog_status(index_dir)
        assert 0 < committed <= ARTICLES
        assert len(index_contents(index).served) == committed
    finally:
        index.close()
