"""Ingest with `--cluster`: embedding on a real Dask cluster, the rest in the coordinator.

Every cluster here is a real `local:2` one (two worker processes that load the bundled
model), started by a real `newsdesk ingest` process; the index it builds is compared
with a plain ingest of the same files, and workers and the coordinator are killed with
SIGKILL mid-ingest, as tests/index/test_crash.py kills a plain one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index import Article, ChunkingPolicy, NewsIndex, SentenceTransformerEmbedder, ingest
from index.cluster import ClusterEmbedder, ClusterError
from index.ingest import chunk
from index.readers import read_paths
from index.sentence_vectors import ALONE, POOLED
from qa import NewsDesk, Settings
from tests.index.test_chroma_server import free_port
from tests.index.test_crash import catalog_status, start_ingest, stop_mid_batch
from ui.cli import main

psutil = pytest.importorskip("psutil")  # comes with distributed
pytest.importorskip("distributed", reason="the cluster extra: pip install -e '.[cluster]'")

ROOT = Path(__file__).resolve().parents[2]
NEWSDESK = [sys.executable, "-m", "ui.cli"]
DASK = Path(sys.executable).with_name("dask")  # the command distributed installs
QUESTION = "what did Kritenbrink say about expectations?"
ARTICLES = 48  # three batches of 16: a worker or the coordinator dies with batches to go
Write = Callable[[Path, int], Path]
Contents = Callable[[NewsIndex], Any]


def cluster_ingest(
    *paths: Path, index_dir: Path, sentence_vectors: str = ALONE
) -> subprocess.CompletedProcess[str]:
    """`newsdesk ingest PATH... --cluster local:2`, run to its end."""
    command = [*NEWSDESK, "ingest", *map(str, paths), "--index", str(index_dir)]
    return subprocess.run(
        [*command, "--cluster", "local:2", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "NEWSDESK_SENTENCE_VECTORS": sentence_vectors,
        },
    )


def workers_of(process: subprocess.Popen[str], count: int = 2) -> list[Any]:
    """The worker processes of the local cluster that `process` started, once there are
    `count` (multiprocessing starts each through `spawn_main`)."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"ingest ended before its workers were seen: {process.communicate()}")
        found = []
        for child in psutil.Process(process.pid).children(recursive=True):
            try:
                if "spawn_main" in " ".join(child.cmdline()):
                    found.append(child)
            except psutil.NoSuchProcess:
                continue
        if len(found) >= count:
            return found
        time.sleep(0.1)
    pytest.fail(f"no {count} cluster workers within 240 s")


def stored_vectors(index: NewsIndex) -> dict[str, np.ndarray]:
    """chunk id -> its vector in Chroma."""
    got = index.store._collection.get(include=["embeddings"])
    pairs = zip(got["ids"], got["embeddings"], strict=True)
    return {i: np.asarray(v, dtype=np.float32) for i, v in pairs}


def cited(answer: Any) -> list[tuple[str, int, int]]:
    return [(c.article_id, c.start, c.end) for c in answer.citations]


def assert_one_clean_copy(index: NewsIndex, news: Path, consistent: Contents) -> None:
    """Every article of `news` served once, chunked as a clean ingest chunks it."""
    contents = consistent(index)  # no pending, no orphans, no duplicates, BM25 == Chroma
    articles = [a for a in read_paths([news]) if isinstance(a, Article)]
    assert len(articles) == ARTICLES
    assert len(contents.served) == ARTICLES
    clean = {a.id: [c.id for c in chunk(a, index, ChunkingPolicy())] for a in articles}
    assert sorted(contents.chunk_ids) == sorted(i for ids in clean.values() for i in ids)


# -- addresses and the missing extra: one line each, nothing written


@pytest.mark.parametrize("address", ["local", "local:0", "local:two", "  "])
def test_a_malformed_local_address_is_refused_with_the_form_to_use(address: str) -> None:
    with pytest.raises(ClusterError, match=r"local:N|local:N or tcp://HOST:PORT"):
        ClusterEmbedder(address, "bundled:all-MiniLM-L6-v2")


def test_without_distributed_cluster_says_what_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # None in sys.modules is how Python marks a module as not importable
    monkeypatch.setitem(sys.modules, "distributed", None)
    index_dir = tmp_path / "index"
    code = main(["ingest", str(ROOT / "seeds"), "--index", str(index_dir), "--cluster", "local:2"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == [
        "newsdesk: error: --cluster needs Dask's distributed, which is not installed: "
        "pip install 'newsdesk[cluster]' (Dask's distributed)"
    ]
    assert not index_dir.exists()


def test_an_unreachable_cluster_is_one_line_naming_it(tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    index_dir = tmp_path / "index"
    command = [*NEWSDESK, "ingest", str(ROOT / "seeds"), "--index", str(index_dir)]
    result = subprocess.run(
        [*command, "--cluster", address],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"newsdesk: error: cannot reach a Dask scheduler at {address} ")
    assert "--cluster local:N" in line
    assert catalog_status(index_dir) == (0, 0)  # nothing was read into the index


# -- a cluster started apart, as an operator runs one: `dask scheduler`, `dask worker`


def start_dask(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(DASK), *args, "--no-dashboard"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # workers run this checkout's newsdesk
    )


@pytest.mark.model
def test_a_running_scheduler_is_reached_by_its_address_and_workers_are_waited_for(
    tmp_path: Path, consistent: Contents, embedder: SentenceTransformerEmbedder
) -> None:
    if not DASK.exists():
        pytest.fail(f"{DASK} is missing: distributed installs it; reinstall the cluster extra")
    address = f"tcp://127.0.0.1:{free_port()}"
    index_dir = tmp_path / "index"
    command = [*NEWSDESK, "ingest", str(ROOT / "seeds"), "--index", str(index_dir)]
    started = [start_dask("scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":")[-1])]
    try:
        # a scheduler without workers: said, before anything is read
        ingesting = [*command, "--cluster", address, "--quiet"]
        result = subprocess.run(ingesting, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, result
        assert result.stderr.splitlines() == [
            f"newsdesk: error: the Dask scheduler at {address} has no workers after 10 s: "
            f"start some with 'dask worker {address}'"
        ]
        assert catalog_status(index_dir) == (0, 0)

        started.append(start_dask("worker", address, "--nworkers", "1", "--nthreads", "2"))
        result = subprocess.run(ingesting, cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("added 1, updated 0, unchanged 0, failed 0 ")
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait(timeout=60)
    index = NewsIndex.open(index_dir, embedder)
    try:
        assert len(consistent(index).served) == 1
        answer = NewsDesk(Settings.from_env(index_dir=index_dir), index).ask(QUESTION)
        assert cited(answer), answer
    finally:
        index.close()


# -- a real local cluster


@pytest.mark.model
@pytest.mark.parametrize("method", [ALONE, POOLED])
def test_a_cluster_ingest_builds_the_index_a_plain_one_builds(
    tmp_path: Path, write_jsonl: Write, embedder: SentenceTransformerEmbedder, consistent: Contents,
    method: str,
) -> None:  # fmt: skip
    news = write_jsonl(tmp_path / "news.jsonl", 6)
    sources = (ROOT / "seeds", news)
    # Dask's usual HTTP port taken (another cluster, a notebook): still nothing on stderr
    taken = socket.socket()
    with contextlib.suppress(OSError):  # already taken is the case under test too
        taken.bind(("127.0.0.1", 8787))
        taken.listen()
    try:
        result = cluster_ingest(
            *sources, index_dir=tmp_path / "on-cluster", sentence_vectors=method
        )
    finally:
        taken.close()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("added 7, updated 0, unchanged 0, failed 0 ")
    assert result.stderr == ""

    # the index records the local model's name, so it opens with the plain embedder
    on_cluster = NewsIndex.open(tmp_path / "on-cluster", embedder, sentence_vectors=method)
    plain = NewsIndex.open(tmp_path / "plain", embedder, create=True, sentence_vectors=method)
    try:
        ingest(plain, sources)
        got, want = consistent(on_cluster), consistent(plain)
        assert len(want.served) == 7
        assert got.served == want.served
        assert {a: [s.chunk for s in c] for a, c in got.chunks.items()} == {
            a: [s.chunk for s in c] for a, c in want.chunks.items()
        }
        # vectors: the same model on other batches, so equal up to padding and bfloat16
        got_vectors, want_vectors = stored_vectors(on_cluster), stored_vectors(plain)
        assert sorted(got_vectors) == sorted(want_vectors)
        cosines = [float(got_vectors[i] @ want_vectors[i]) for i in want_vectors]
        assert min(cosines) > 0.999, min(cosines)
        got_sentences = on_cluster.catalog.sentence_vectors(list(want.served))
        want_sentences = plain.catalog.sentence_vectors(list(want.served))
        for article_id, vectors in want_sentences.items():
            assert got_sentences[article_id].spans == vectors.spans
            assert got_sentences[article_id].method == vectors.method == method
            products = np.sum(got_sentences[article_id].vectors() * vectors.vectors(), axis=1)
            assert products.min() > 0.995, (article_id, products.min())  # int8 codes both

        answers = [
            NewsDesk(Settings.from_env(index_dir=i.directory), i).ask(QUESTION)
            for i in (on_cluster, plain)
        ]
        assert cited(answers[1]), answers[1]
        assert cited(answers[0]) == cited(answers[1])
    finally:
        on_cluster.close()
        plain.close()


@pytest.mark.model
@pytest.mark.slow
def test_a_worker_killed_mid_ingest_loses_and_doubles_nothing(
    tmp_path: Path,
    write_jsonl: Write,
    embedder: SentenceTransformerEmbedder,
    consistent: Contents,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    news = write_jsonl(tmp_path / "news.jsonl", ARTICLES)
    index_dir = tmp_path / "index"
    monkeypatch.setenv("NEWSDESK_CLUSTER", "local:2")  # start_ingest's command, on a cluster
    process = start_ingest(news, index_dir, None)  # the vectors embedded in the index
    victim, survivor = workers_of(process)
    # a batch committed and the next pending: every worker has its model and a part
    deadline = time.monotonic() + 240
    while 0 in catalog_status(index_dir) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    committed_before, _ = catalog_status(index_dir)
    assert 0 < committed_before < ARTICLES
    victim.send_signal(signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=600)
    assert not victim.is_running()
    # the scheduler gives the lost part to a worker (the engine's retry) and the run
    # ends; a run that cannot recover must end in one line, not a traceback
    if process.returncode == 0:
        assert stdout.startswith(f"added {ARTICLES}, updated 0, unchanged 0, failed 0 "), stdout
        # nothing from newsdesk; multiprocessing may warn of the semaphore the killed
        # worker held, which its resource tracker then frees
        assert "newsdesk:" not in stderr and "Traceback" not in stderr, stderr
    else:
        assert process.returncode == 2, (stdout, stderr)
        [line] = stderr.splitlines()
        assert line.startswith("newsdesk: error: the cluster at local:2 failed while embedding")
    assert not survivor.is_running()  # the local cluster stopped with its ingest

    index = NewsIndex.open(index_dir, embedder)
    try:
        report = ingest(index, [news])  # the rerun: nothing left, or the rest
        assert len(report.added) + len(report.unchanged) == ARTICLES
        assert_one_clean_copy(index, news, consistent)
    finally:
        index.close()


@pytest.mark.model
@pytest.mark.slow
def test_a_killed_coordinator_leaves_no_workers_and_the_next_cluster_ingest_completes(
    tmp_path: Path,
    write_jsonl: Write,
    embedder: SentenceTransformerEmbedder,
    consistent: Contents,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    news = write_jsonl(tmp_path / "news.jsonl", ARTICLES)
    index_dir = tmp_path / "index"
    monkeypatch.setenv("NEWSDESK_CLUSTER", "local:2")
    process = start_ingest(news, index_dir, None)  # the vectors embedded in the index
    workers = workers_of(process)
    stop_mid_batch(process, index_dir, signal.SIGKILL)
    assert process.wait(60) == -signal.SIGKILL
    committed, pending = catalog_status(index_dir)
    assert committed > 0 and pending > 0  # killed with a batch half done
    # a worker whose coordinator is gone exits by itself: no orphans hold the cores
    gone, alive = psutil.wait_procs(workers, timeout=30)
    assert alive == [] and len(gone) == 2

    result = cluster_ingest(news, index_dir=index_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        f"added {ARTICLES - committed}, updated 0, unchanged {committed}, failed 0 "
    ), result.stdout
    index = NewsIndex.open(index_dir, embedder)
    try:
        assert_one_clean_copy(index, news, consistent)
    finally:
        index.close()
