"""Generative answers in the web chat: the mode control, the named endpoint's mode, and
the real SmolLM2 answering in Chromium (marked `llm`). Their HTML is tested, on literal
records, in test_render.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import gradio as gr
import pytest
from playwright.sync_api import Page

from qa import FakeEmbedder, NewsDesk, Settings
from ui.web.app import WebChat, build_blocks

OpenChat = Callable[[], Page]

QUESTION = "what did Kritenbrink say about expectations?"
# SmolLM2 on a busy 2-core box: 10-40 s, up to the 60 s model timeout plus the fallback
GENERATIVE_TIMEOUT_MS = 240_000


# -- the mode control and the named endpoint, on an empty index with the fake embedder


@pytest.fixture
def empty_desk(tmp_path: Path) -> Iterator[NewsDesk]:
    """An empty index with the deterministic fake embedder: no model loads."""
    desk = NewsDesk.open(Settings(index_dir=tmp_path), create=True, embedder=FakeEmbedder())
    yield desk
    desk.close()


@pytest.mark.parametrize("mode", ["extractive", "generative"])
def test_the_mode_control_starts_at_the_settings_mode(tmp_path: Path, mode: str) -> None:
    settings = Settings(index_dir=tmp_path, mode=mode)
    desk = NewsDesk.open(settings, create=True, embedder=FakeEmbedder())
    try:
        blocks = build_blocks(desk)
    finally:
        desk.close()
    radios = [b for b in blocks.blocks.values() if getattr(b, "elem_id", None) == "nd-mode"]
    assert len(radios) == 1 and isinstance(radios[0], gr.Radio)
    assert radios[0].value == mode
    assert [value for _, value in radios[0].choices] == ["extractive", "generative"]


def test_the_chat_passes_the_mode_to_the_service(empty_desk: NewsDesk) -> None:
    # the service checks the mode before it looks at the (empty) index
    *_, last = WebChat(empty_desk).ask("who?", [], "", None, "poetic")
    (turn,) = last[2]
    assert "mode must be 'extractive' or 'generative', got 'poetic'" in turn.error
    *_, last = WebChat(empty_desk).ask("who?", [], "", None, "generative")
    assert "has no articles" in last[2][0].error


def test_the_named_endpoint_refuses_a_bad_mode(empty_desk: NewsDesk) -> None:
    with pytest.raises(gr.Error, match="mode must be 'extractive' or 'generative'"):
        WebChat(empty_desk).ask_api("who?", None, None, "poetic")


@pytest.mark.model
def test_gradio_client_asks_in_a_chosen_mode(server_url: str) -> None:
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(server_url, verbose=False)
    result = client.predict(QUESTION, mode="extractive", api_name="/ask")
    assert result["mode"] == "extractive" and result["citations"]
    with pytest.raises(AppError, match="got 'poetic'"):
        client.predict(QUESTION, mode="poetic", api_name="/ask")


# -- the real local model in the browser


@pytest.mark.browser
@pytest.mark.model
@pytest.mark.llm
def test_generative_mode_streams_then_shows_the_checked_answer(open_chat: OpenChat) -> None:
    page = open_chat()
    assert page.locator("#nd-mode input[value=extractive]").is_checked()
    page.evaluate(
        """() => {
        window.__ndPartial = '';
        new MutationObserver(() => {
            const partial = document.querySelector('#nd-chat .nd-streaming .nd-partial');
            if (partial && partial.textContent.length > window.__ndPartial.length)
                window.__ndPartial = partial.textContent;
        }).observe(document.body, {childList: true, subtree: true, characterData: true});
    }"""
    )
    page.locator("#nd-mode").get_by_role("radio", name="Generative").check()
    assert page.locator("#nd-mode input[value=generative]").is_checked()
    page.fill("#nd-question textarea", QUESTION)
    page.click("#nd-ask")
    page.wait_for_selector("#nd-turn-0 .nd-a:not(.nd-streaming)", timeout=GENERATIVE_TIMEOUT_MS)
    block = page.locator("#nd-turn-0 .nd-a")
    text = block.inner_text()
    classes = block.get_attribute("class") or ""
    assert "nd-error" not in classes, text
    notices = block.locator(".nd-notices")
    sources = page.locator("#nd-sources")
    assert sources.locator(".nd-src mark").count() >= 1, sources.inner_text()

    if block.get_attribute("data-mode") == "extractive":  # the model failed or timed out
        assert "extractive answer instead" in notices.inner_text(), text
        return
    assert page.evaluate("window.__ndPartial").strip(), "no model tokens were shown"
    assert block.locator("p.nd-text").inner_text().strip()
    assert "Written by a language model" in text
    if "nd-unchecked" in classes:  # SmolLM2 usually writes no [n] markers
        assert "unchecked" in notices.inner_text()
        assert block.locator(".nd-unsupported").count() >= 1
        assert sources.locator(".nd-evidence .nd-src").count() >= 1
    elif "nd-abstained" in classes:  # it said the passages do not answer
        assert sources.locator(".nd-related .nd-src").count() >= 1
    else:
        cites = block.locator("a.nd-cite")
        assert cites.count() >= 1, text
        href = cites.first.get_attribute("href") or ""
        assert sources.locator(f"{href} mark").count() == 1
    # whatever it wrote, the checked answer's markup holds nothing a browser would run
    assert page.locator("#nd-chat img, #nd-chat script").count() == 0
