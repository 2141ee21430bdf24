"""News arriving by URL, feed and watched folder, through the `newsdesk` command.

Pages and feeds are served from 127.0.0.1 by a server started here; nothing else is
fetched.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from index import FakeEmbedder
from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGE = """<html><head><title>Council passes budget</title>
<meta property="og:site_name" content="Daily Bugle"></head><body><article>
<h1>Council passes budget</h1>
<p>The city council passed the budget on Monday after a long debate about schools.</p>
<p>"This budget keeps every library open," the mayor said after the vote.</p>
</article></body></html>"""
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Bugle Wire</title>
<link>https://bugle.example/</link><description>news</description>
<item><title>Bridge reopens</title><link>https://bugle.example/bridge</link>
<guid>bridge-1</guid><pubDate>Tue, 14 Jun 2023 09:00:00 GMT</pubDate>
<description>The old bridge reopened on Tuesday after two years of repairs.</description></item>
<item><title>Library extends hours</title><link>https://bugle.example/library</link>
<guid>library-1</guid><pubDate>Wed, 15 Jun 2023 09:00:00 GMT</pubDate>
<description>The central library will stay open until nine on weekdays.</description></item>
</channel></rss>"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """A local web site serving the files of a folder: (base URL, folder)."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "budget.html").write_text(PAGE)
    (folder / "feed.rss").write_text(FEED)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def newsdesk(*argv: str) -> int:
    return main(list(argv), embedder=FakeEmbedder())


def test_a_page_and_a_feed_are_ingested_by_url_and_unchanged_the_second_time(
    site: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, _ = site
    index = str(tmp_path / "ix")
    page, feed = f"{base}/budget.html", f"{base}/feed.rss"
    assert newsdesk("ingest", page, feed, "--index", index, "--quiet") == 0
    assert capsys.readouterr().out.startswith("added 3, updated 0, unchanged 0, failed 0")
    assert newsdesk("ingest", page, feed, "--index", index, "--quiet") == 0
    assert capsys.readouterr().out.startswith("added 0, updated 0, unchanged 3, failed 0")
    assert newsdesk("list", "--index", index) == 0
    listed = capsys.readouterr().out
    assert "Council passes budget" in listed and "Bridge reopens" in listed


def test_a_changed_page_fetched_again_replaces_its_old_version(
    site: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, folder = site
    index = str(tmp_path / "ix")
    assert newsdesk("ingest", f"{base}/budget.html", "--index", index, "--quiet") == 0
    (folder / "budget.html").write_text(PAGE.replace("on Monday", "on Monday night"))
    assert newsdesk("ingest", f"{base}/budget.html", "--index", index, "--quiet") == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("added 0, updated 1, unchanged 0")
    assert newsdesk("list", "--index", index, "--json") == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1  # one article, not two


def test_a_feed_saved_as_a_file_is_read_as_a_feed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "wire.xml"
    saved.write_text(FEED)
    assert newsdesk("ingest", str(saved), "--index", str(tmp_path / "ix"), "--quiet") == 0
    out = capsys.readouterr().out
    assert out.startswith("added 2, updated 0, unchanged 0, failed 0"), out
    assert "only summaries" in out  # the note that the feed gave no full texts


def test_an_unreachable_url_is_one_failed_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    url = f"http://127.0.0.1:{port}/story"
    assert newsdesk("ingest", url, "--index", str(tmp_path / "ix"), "--quiet") == 1
    failed = [line for line in capsys.readouterr().out.splitlines() if "failed:" in line]
    assert len(failed) == 1 and url in failed[0], failed


def test_watch_ingests_a_file_dropped_in_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    argv = ["watch", str(inbox), "--index", str(tmp_path / "ix"), "--settle", "0.3"]
    fake_main = (
        "import sys; from index import FakeEmbedder; from ui.cli import main; "
        f"sys.exit(main({argv!r}, embedder=FakeEmbedder()))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", fake_main],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    try:
        assert process.stderr is not None and process.stdout is not None
        assert "watching" in process.stderr.readline()
        time.sleep(1.0)  # the watcher is up once it has said so; give it a moment
        (inbox / "story.txt").write_text("Bridge reopens\n\nThe old bridge reopened on Tuesday.")
        line = process.stdout.readline()  # blocks until the batch is ingested
        assert "added 1, updated 0, unchanged 0, failed 0" in line, line
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "stopped watching" in err and "Traceback" not in err
