"""What `newsdesk serve` writes to its terminal: startup and errors, requests only with
--verbose. A real server in a subprocess, over an index of the seed article."""

from __future__ import annotations

import doctest
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port  # below the ephemeral range, as every server test's

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_08dd639a47279972.txt"
NEWSDESK = [sys.executable, "-m", "ui.cli"]


def ingest_seed(index: Path) -> Path:
    """`index` with the seed article ingested by the command line."""
    subprocess.run(
        [*NEWSDESK, "ingest", str(SEED), "--index", str(index), "--quiet"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return index


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest_seed(tmp_path_factory.mktemp("serve") / "index")


def serve_and_browse(index: Path, *flags: str) -> str:
    """Start the server, load the page twice and ask once over HTTP, stop it: its output."""
    port = free_port()
    server = subprocess.Popen(
        [*NEWSDESK, "serve", "--index", str(index), "--port", str(port), *flags],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except OSError as error:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.communicate()[0]
                    raise AssertionError(f"the server did not start: {output}") from error
                time.sleep(0.2)
        urllib.request.urlopen(url, timeout=10).read()
        ask = urllib.request.Request(
            f"{url}/api/ask",
            data=json.dumps({"question": "Who is Qin Gang?"}).encode(),
            headers={"content-type": "application/json"},
        )
        assert json.loads(urllib.request.urlopen(ask, timeout=60).read())["citations"]
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=60)
    return output


def test_serve_logs_startup_but_no_requests_by_default(index_dir: Path) -> None:
    output = serve_and_browse(index_dir)
    assert "web chat on http://127.0.0.1:" in output, output
    assert "(1 articles in" in output
    assert "HTTP/1.1" not in output, output
    assert "Traceback" not in output, output
    # the question asked over POST /api/ask gets the one line an answered question gets
    assert "answered (api) in " in output and "'Who is Qin Gang?'" in output, output


def test_serve_verbose_logs_every_request(index_dir: Path) -> None:
    output = serve_and_browse(index_dir, "--verbose")
    assert output.count('"GET / HTTP/1.1" 200') >= 2, output
    assert '"POST /api/ask HTTP/1.1" 200' in output, output


def test_the_answer_log_line_examples_hold() -> None:
    import ui.web.app

    result = doctest.testmod(ui.web.app)
    assert (result.attempted > 0, result.failed) == (True, 0)


def test_serve_stores_the_speakers_an_older_version_left(tmp_path: Path) -> None:
    # an index whose speakers an older attribution code labelled: answers label them as
    # they go, slower, until they are stored again; serve stores them once, at its start
    index = ingest_seed(tmp_path / "index")
    from qa.speech.attribution import SpeakerLabeller

    current = SpeakerLabeller().name
    with sqlite3.connect(index / "catalog.sqlite3") as db:
        db.execute("UPDATE sentence_labels SET labeller = 'speakers-older'")
        assert db.execute(
            "SELECT COUNT(*) FROM sentence_labels WHERE labeller = ?", (current,)
        ).fetchone() == (0,)
    output = serve_and_browse(index)
    assert "stored the speakers of 1 articles as this version makes them" in output, output
    with sqlite3.connect(index / "catalog.sqlite3") as db:
        assert db.execute(
            "SELECT COUNT(*) FROM sentence_labels WHERE labeller = ?", (current,)
        ).fetchone() == (1,)
    # and once only: the next start has nothing to store
    assert "stored the" not in serve_and_browse(index)
