"""The web chat in Debian's Chromium: a cited sentence that copies of its story carry
too says "also in N outlets", opens to the list, and each entry opens its copy (pages
served by this test on 127.0.0.1)."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from qa import NewsDesk, Settings

pytestmark = [pytest.mark.browser, pytest.mark.model]

STORY = """\
The Quellington lantern festival drew a record 48,000 visitors on Saturday, organisers \
said, twice the crowd of last year and more than the town's own population.

Mayor Ottilie Brand said the city would extend the festival by two nights next year and \
add a second stage by the river for the lantern makers' workshops.

Hotels in the old town were fully booked for the weekend, and the regional rail company \
added late trains to carry visitors home after the closing parade.
"""
OUTLETS = {"gazette": "Test Gazette", "courier": "Valley Courier", "herald": "Hill Herald"}


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"<html><body><h1>copy at {self.path}</h1></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def pages() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def copies_url(
    tmp_path_factory: pytest.TempPathFactory,
    pages: str,
    threaded_server: Callable[[NewsDesk], AbstractContextManager[str]],
) -> Iterator[str]:
    directory: Path = tmp_path_factory.mktemp("copies")
    records = [
        {
            "id": key,
            "text": STORY + ("" if key == "gazette" else f"\nReporting for the {name}.\n"),
            "title": "Lantern festival draws record crowds",
            "source": name,
            "date": "2024-03-02",
            "url": f"{pages}/{key}/lanterns",
        }
        for key, name in OUTLETS.items()
    ]
    news = directory / "news.jsonl"
    news.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    desk = NewsDesk.open(Settings.from_env(index_dir=directory / "index"), create=True)
    desk.ingest([news])
    try:
        with threaded_server(desk) as url:
            yield url
    finally:
        desk.close()


def test_also_in_lists_the_other_outlets_and_opens_each_copy(
    browser: Browser, copies_url: str, pages: str
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(copies_url)
        page.fill("#nd-question textarea", "How many visitors did the lantern festival draw?")
        page.click("#nd-ask")
        page.wait_for_selector("#nd-turn-0 .nd-a:not(.nd-streaming)", timeout=60_000)
        also = page.locator("#nd-sources .nd-also").first
        also.wait_for(timeout=30_000)
        assert also.locator("summary").inner_text() == "also in 2 outlets"
        links = also.locator("a.nd-copy")
        assert not links.first.is_visible()  # closed until asked
        also.locator("summary").click()
        assert links.count() == 2 and links.first.is_visible()
        cited = page.locator("#nd-sources .nd-src-article .nd-meta").first.inner_text()
        names = [link.inner_text() for link in links.all()]
        expected = {n for n in OUTLETS.values() if n not in cited}
        assert {n.split(" — ")[0] for n in names} == expected, (cited, names)
        with context.expect_page() as opened:
            links.first.click()
        copy = opened.value
        copy.wait_for_load_state()
        assert copy.url.startswith(pages) and copy.url == links.first.get_attribute("href")
        assert "copy at /" in copy.locator("h1").inner_text()
    finally:
        context.close()
    assert not errors, errors
