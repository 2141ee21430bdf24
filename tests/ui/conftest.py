"""Fixtures for the web chat: a real index of the seed article, the app served on
127.0.0.1 in a background thread, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from ensure_chromium import chromium_for_tests  # tests/ is on sys.path (rootdir conftest)
from playwright.sync_api import Browser, BrowserContext, Dialog, Page

from qa import NewsDesk, Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the bundled model loads from disk; no hub here

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = chromium_for_tests()  # NEWSDESK_TEST_CHROMIUM, else chromium on PATH
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def seeded_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsDesk]:
    """A NewsDesk over a fresh index of seeds/ with the real bundled model (~15 s to build)."""
    index_dir = tmp_path_factory.mktemp("ui-index")
    desk = NewsDesk.open(Settings.from_env(index_dir=index_dir), create=True)
    report = desk.ingest([ROOT / "seeds"])
    assert report.added, f"the seed articles were not indexed: {report}"
    yield desk
    desk.close()


@contextmanager
def serve_in_thread(desk: NewsDesk) -> Iterator[str]:
    """`ui.web.app.build_app` over `desk`, served on a free 127.0.0.1 port in a background
    thread while the block runs; gives its base url."""
    import uvicorn

    from ui.web.app import build_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # bound here, so no other process can take the port first
    port = sock.getsockname()[1]
    app = build_app(desk, "127.0.0.1", port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the web chat server did not start; see the log above")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="session")
def threaded_server() -> Callable[[NewsDesk], AbstractContextManager[str]]:
    """`serve_in_thread`, for a test module that serves a desk of its own."""
    return serve_in_thread


@pytest.fixture(scope="session")
def server_url(seeded_desk: NewsDesk) -> Iterator[str]:
    """The app of `ui.web.app.build_app` served on a free 127.0.0.1 port for the whole session."""
    with serve_in_thread(seeded_desk) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium under Playwright; `playwright install` cannot download here."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `python tests/ensure_chromium.py`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page_at(browser: Browser) -> Iterator[Callable[[str], Page]]:
    """Open the chat served at a base url in fresh pages; any JavaScript dialog or page
    error fails the test."""
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def open_page(url: str) -> Page:
        context = browser.new_context(viewport={"width": 1400, "height": 950})
        contexts.append(context)
        page = context.new_page()

        def on_dialog(dialog: Dialog) -> None:
            problems.append(f"a {dialog.type} dialog opened: {dialog.message!r}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        # not wait_until="networkidle": Gradio holds a connection open, so the page
        # never goes idle and that wait would only end at its timeout; wait for elements
        page.goto(url)
        page.wait_for_selector("#nd-question textarea", timeout=30_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, problems


@pytest.fixture
def open_chat(open_page_at: Callable[[str], Page], server_url: str) -> Callable[[], Page]:
    """Open the chat of the session's server (over the seed articles) in fresh pages."""
    return lambda: open_page_at(server_url)
