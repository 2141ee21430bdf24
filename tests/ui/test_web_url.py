"""The Corpus tab in Debian's Chromium: pages and feeds fetched by address from a real
HTTP server on 127.0.0.1 (tests/local_site.py), one status line for each failure, and
the line saying when the index last changed."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from local_site import Route, Serve, Site, html
from playwright.sync_api import Page, expect

from index.readers.url import fetch_url
from qa import Article, NewsDesk, Settings

pytestmark = [pytest.mark.browser, pytest.mark.model]

STATUS_TIMEOUT_MS = 60_000
FINAL = "#nd-ingest-status .nd-status:not([data-seen])"

PAGE = """<!DOCTYPE html>
<html><head>
<title>Ferry service resumes after storm | Harbour Herald</title>
<meta property="og:title" content="Ferry service resumes after storm">
<meta property="og:site_name" content="Harbour Herald">
<meta property="article:published_time" content="2024-05-02T08:00:00Z">
</head><body>
<nav><a href="/">Home</a></nav>
<article>
<h1>Ferry service resumes after storm</h1>
<p>The Vellmar island ferry sailed again on Thursday after a storm kept it in port for
four days, the operator said, with the first crossing carrying 212 passengers.</p>
<p>Extra sailings will run over the weekend to clear the backlog of freight lorries
waiting at the terminal, the harbour master told the Herald.</p>
</article>
</body></html>"""

FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbour Herald</title>
<item><title>Lighthouse keeper retires</title><link>/news/lighthouse</link>
<guid isPermaLink="false">lighthouse-1</guid>
<pubDate>Fri, 03 May 2024 08:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>Orla Quinlan retired on Friday after 31 years keeping the
Vellmar lighthouse.</p><p>The light is now run from the mainland.</p>]]></content:encoded></item>
<item><title>Fish market moves</title><link>/news/market</link><guid>market-1</guid>
<description>The Vellmar fish market moves to the north quay in June.</description></item>
</channel></rss>"""


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsDesk]:
    """An empty NewsDesk of its own, with the real model: these tests fill it."""
    index_dir = tmp_path_factory.mktemp("web-url") / "index"
    desk = NewsDesk.open(Settings.from_env(index_dir=index_dir), create=True)
    yield desk
    desk.close()


@pytest.fixture(scope="module")
def chat_url(
    desk: NewsDesk, threaded_server: Callable[[NewsDesk], AbstractContextManager[str]]
) -> Iterator[str]:
    with threaded_server(desk) as url:
        yield url


@pytest.fixture
def site(serve: Serve) -> Site:
    return serve(
        {
            "/robots.txt": Route(
                body=b"User-agent: *\nDisallow: /private/\n",
                headers={"Content-Type": "text/plain"},
            ),
            "/news/ferry": html(PAGE),
            "/feed.xml": Route(body=FEED, headers={"Content-Type": "application/rss+xml"}),
            "/private/memo": html(PAGE.replace("Ferry", "Memo")),
            "/report.pdf": Route(body=b"%PDF-1.4\n", headers={"Content-Type": "application/pdf"}),
            "/slow": Route(body=PAGE.encode(), headers={"Content-Type": "text/html"}, delay=30),
        }
    )


def corpus_tab(page: Page) -> None:
    page.get_by_role("tab", name="Corpus").click()
    page.locator("#nd-url input").wait_for(timeout=10_000)


def fetch(page: Page, address: str, *, enter: bool = False) -> tuple[str, str]:
    """Type `address` and fetch it (the button, or Enter in the box); waits for the final
    status box and returns (its kind, its text)."""
    page.evaluate(
        "() => document.querySelectorAll('#nd-ingest-status .nd-status')"
        ".forEach(el => el.dataset.seen = '1')"
    )
    page.fill("#nd-url input", address)
    if enter:
        page.press("#nd-url input", "Enter")
    else:
        page.click("#nd-fetch")
    final = page.locator(f"{FINAL}.nd-status-ok, {FINAL}.nd-status-error")
    final.wait_for(timeout=STATUS_TIMEOUT_MS)
    kind = "ok" if "nd-status-ok" in (final.get_attribute("class") or "") else "error"
    return kind, final.inner_text()


def status_lines(page: Page) -> list[str]:
    return page.locator("#nd-ingest-status .nd-status p").all_inner_texts()


def last_changed(page: Page) -> str:
    return page.locator("#nd-last-changed p.nd-last-changed").inner_text().strip()


def expect_last_changed(page: Page, text: str) -> None:
    """Wait for the line to say `text` (a tab shown refreshes it without a progress mark)."""
    expect(page.locator("#nd-last-changed p.nd-last-changed")).to_have_text(text, timeout=10_000)


def next_second(when: datetime | None) -> None:
    """Wait until the wall clock is past the second of `when`."""
    while when is not None and datetime.now(UTC).replace(microsecond=0) <= when.replace(
        microsecond=0
    ):
        time.sleep(0.05)


def line_for(when: datetime | None) -> str:
    """The line the Corpus tab should show for a last change at `when`."""
    if when is None:
        return "Index last changed: no ingest or delete recorded yet"
    return f"Index last changed: {when.astimezone(UTC).strftime('%Y-%m-%d %H:%M:%S UTC')}"


def test_a_page_and_a_feed_are_fetched_and_listed(
    open_page_at: Callable[[str], Page], chat_url: str, desk: NewsDesk, site: Site
) -> None:
    assert desk.last_changed() is None, "this test runs first, on the empty index"
    page = open_page_at(chat_url)
    corpus_tab(page)
    expect_last_changed(page, line_for(None))

    kind, text = fetch(page, site.url("/news/ferry"))
    assert kind == "ok", text
    assert "1 added" in text, text
    assert "Ferry service resumes after storm" in page.locator("#nd-corpus").inner_text()
    assert page.input_value("#nd-url input") == "", "a fetched address should leave the box"
    [ferry] = [a for a in desk.articles() if a.title == "Ferry service resumes after storm"]
    assert desk.article(ferry.id).url == site.url("/news/ferry")
    assert desk.last_changed() is not None
    assert last_changed(page) == line_for(desk.last_changed())

    kind, text = fetch(page, site.url("/feed.xml"), enter=True)
    assert kind == "ok", text
    assert "2 added" in text, text
    listed = page.locator("#nd-corpus").inner_text()
    assert "Lighthouse keeper retires" in listed and "Fish market moves" in listed
    assert "/robots.txt" in site.paths() and "/feed.xml" in site.paths()

    kind, text = fetch(page, site.url("/feed.xml"))  # the same items again
    assert kind == "ok" and "0 added" in text and "2 unchanged" in text, text


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("{site}/missing", "HTTP 404 Not Found: no page at this address; check it for typos"),
        ("{site}/report.pdf", "the address serves application/pdf (a PDF;"),
        ("{site}/private/memo", "robots.txt ({site}/robots.txt) does not allow newsdesk"),
        ("", "Type the address of a web page or an RSS or Atom feed first"),
        ("/etc/passwd", "/etc/passwd is not a web address"),
        ("ftp://127.0.0.1/news", "ftp:// addresses cannot be fetched"),
    ],
)
def test_each_failure_is_one_status_line(
    open_page_at: Callable[[str], Page],
    chat_url: str,
    desk: NewsDesk,
    site: Site,
    address: str,
    expected: str,
) -> None:
    address, expected = address.format(site=site.base), expected.format(site=site.base)
    before = [a.id for a in desk.articles()]
    changed = desk.last_changed()
    page = open_page_at(chat_url)
    corpus_tab(page)
    kind, text = fetch(page, address)
    assert kind == "error", text
    lines = status_lines(page)
    assert len(lines) == 1 and expected in lines[0], lines
    assert "Traceback" not in text and "Error:" not in text
    if address:
        assert page.input_value("#nd-url input") == address, "a failed address is kept to fix"
    if address.startswith("http"):
        assert lines[0].startswith(f"Failed: {address}: "), lines
    assert [a.id for a in desk.articles()] == before
    assert desk.last_changed() == changed


def test_a_slow_site_shows_progress_then_one_line(
    open_page_at: Callable[[str], Page], chat_url: str, site: Site
) -> None:
    page = open_page_at(chat_url)
    corpus_tab(page)
    page.fill("#nd-url input", site.url("/slow"))
    page.click("#nd-fetch")
    progress = page.locator("#nd-ingest-status .nd-status-info")
    progress.wait_for(timeout=STATUS_TIMEOUT_MS)
    assert progress.inner_text().startswith(f"Ingesting {site.url('/slow')}: 0 article(s) read")
    page.locator("#nd-ingest-status .nd-status-error").wait_for(timeout=STATUS_TIMEOUT_MS)
    lines = status_lines(page)
    assert len(lines) == 1 and "no complete answer within 10 s" in lines[0], lines


def test_an_address_replaces_another_files_article_only_when_asked(
    open_page_at: Callable[[str], Page],
    chat_url: str,
    desk: NewsDesk,
    site: Site,
    tmp_path: Path,
) -> None:
    # the page's text from a file: the same article id, "another file"
    [fetched] = list(fetch_url(site.url("/news/ferry")))
    assert isinstance(fetched, Article), fetched
    held = tmp_path / "held.jsonl"
    row = {"id": fetched.id, "title": "Held copy", "text": fetched.text}
    held.write_text(json.dumps(row) + "\n")
    assert not desk.ingest([held]).failed
    assert desk.article(fetched.id).title == "Held copy"

    page = open_page_at(chat_url)
    corpus_tab(page)
    kind, status = fetch(page, site.url("/news/ferry"))
    assert kind == "error", status
    assert "is already in the index, from another file; not replaced" in status, status
    assert desk.article(fetched.id).title == "Held copy"

    page.locator("#nd-replace input").check()
    kind, status = fetch(page, site.url("/news/ferry"))
    assert kind == "ok" and "1 updated" in status, status
    assert desk.article(fetched.id).title == "Ferry service resumes after storm"


def test_the_corpus_tab_shows_changes_made_elsewhere_when_shown_again(
    open_page_at: Callable[[str], Page], chat_url: str, desk: NewsDesk, tmp_path: Path
) -> None:
    title = f"Tide gauge {uuid.uuid4().hex[:8]} installed"
    path = tmp_path / "tide.txt"
    path.write_text(f"{title}\n\nA new tide gauge was installed on the Vellmar pier.\n")
    page = open_page_at(chat_url)
    corpus_tab(page)
    shown = line_for(desk.last_changed())
    expect_last_changed(page, shown)

    for change in ("ingest", "delete"):  # neither through this page
        before = desk.last_changed()
        next_second(before)  # else the tab could show the same time without refreshing
        if change == "ingest":
            assert desk.ingest([path]).added
        else:
            assert len(desk.delete([a.id for a in desk.articles() if a.title == title])) == 1
        after = desk.last_changed()
        assert after is not None and after != before
        assert last_changed(page) == shown, "the tab changed before it was shown again"
        page.get_by_role("tab", name="Ask").click()
        corpus_tab(page)
        shown = line_for(after)
        expect_last_changed(page, shown)
        listed = title in page.locator("#nd-corpus").inner_text()
        assert listed == (change == "ingest"), change
