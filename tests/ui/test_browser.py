"""The web chat in Debian's Chromium: answers, citations, follow-ups, uploads, safety, load."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page

from qa import NewsDesk
from ui.web.uploads import MAX_UPLOAD_BYTES

OpenChat = Callable[[], Page]

pytestmark = [pytest.mark.browser, pytest.mark.model]

QUESTION = "what did Kritenbrink say about expectations?"
EXPECTED_SENTENCE = "not going to Beijing with the intent of having some sort of breakthrough"
ANSWER_TIMEOUT_MS = 60_000

LANTERN_ARTICLE = """Quellington Lantern Festival Draws Record Crowds

Date: 2024-03-02
Source: Test Gazette
URL: https://example.com/lanterns

The Quellington lantern festival drew a record 48,000 visitors on Saturday, organisers said.

Mayor Ottilie Brand said the city would extend the festival by two nights next year.
"""

XSS_ARTICLE = """Zorblax parade <script>window.__pwned = 1; alert("script")</script> report

Source: <img src=x onerror="window.__pwned = 1; alert('img')">
URL: javascript:window.__pwned=1

The Zorblax parade <img src=x onerror="window.__pwned = 1; alert('img')"> drew 312 dancers.

Organisers said [see the route](javascript:window.__pwned=1) the Zorblax parade will return.
"""


def ask(page: Page, question: str) -> Locator:
    """Ask in the chat and wait for the answer block of that turn to be final.

    Wait for elements like this, never with `wait_until="networkidle"`: Gradio keeps a
    connection open to the server, so the page never goes network-idle and such a wait
    only ends at its timeout.
    """
    turn = page.locator(".nd-turn").count()
    page.fill("#nd-question textarea", question)
    page.click("#nd-ask")
    page.wait_for_selector(f"#nd-turn-{turn} .nd-a:not(.nd-streaming)", timeout=ANSWER_TIMEOUT_MS)
    return page.locator(f"#nd-turn-{turn} .nd-a")


def choose_file(page: Page, path: Path) -> None:
    """Put a file in the upload box of the corpus tab and wait until Gradio holds it."""
    page.get_by_role("tab", name="Corpus").click()
    page.set_input_files("#nd-upload input[type=file]", str(path))
    page.locator("#nd-upload .file-preview").wait_for(timeout=20_000)


def upload(page: Page, path: Path) -> str:
    """Upload and ingest one file from the corpus tab; returns the status text."""
    choose_file(page, path)
    page.click("#nd-ingest")
    status = page.locator("#nd-ingest-status .nd-status-ok, #nd-ingest-status .nd-status-error")
    status.wait_for(timeout=ANSWER_TIMEOUT_MS)
    text = status.inner_text()
    page.get_by_role("tab", name="Ask").click()
    return text


def test_citation_click_shows_the_highlighted_passage(open_chat: OpenChat) -> None:
    page = open_chat()
    page.evaluate(
        """() => {
        window.__ndStreamed = false;
        new MutationObserver(() => {
            if (document.querySelector('#nd-chat .nd-streaming')) window.__ndStreamed = true;
        }).observe(document.body, {childList: true, subtree: true});
    }"""
    )
    answer = ask(page, QUESTION)
    assert page.evaluate("window.__ndStreamed"), "the answer was not shown while it streamed"
    assert "nd-error" not in (answer.get_attribute("class") or ""), answer.inner_text()
    cite = answer.locator("a.nd-cite").first
    target_id = (cite.get_attribute("href") or "").removeprefix("#")
    assert target_id.startswith("nd-src-0-"), target_id
    cite.click()
    target = page.locator(f"#{target_id}")
    assert page.locator(".nd-src.nd-active").evaluate_all("els => els.map(e => e.id)") == [
        target_id
    ]
    assert page.evaluate("location.hash") == "", "a URL fragment would outlive the panel"
    assert target.evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
    ), "the cited passage was not scrolled into view"
    mark = target.locator("mark")
    assert mark.count() == 1 and mark.inner_text().strip()
    assert target.locator("xpath=ancestor::article//h5").inner_text().startswith("US Down Plays")


OUTLINED_OR_YELLOW = """() => [...document.querySelectorAll('#nd-sources .nd-src')]
    .filter(el => getComputedStyle(el).outlineStyle !== 'none'
        || [...el.querySelectorAll('mark')].some(
            m => getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)'))
    .map(el => el.id)"""


def test_after_a_follow_up_no_passage_is_outlined_until_one_is_clicked(
    open_chat: OpenChat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ui.web.app")
    page = open_chat()
    first = ask(page, QUESTION)
    first.locator("a.nd-cite").first.click()
    assert page.evaluate(OUTLINED_OR_YELLOW) == ["nd-src-0-1"]
    second = ask(page, "what else did he say?")
    assert second.locator("a.nd-cite").count() >= 1, second.inner_text()
    assert page.locator("#nd-sources .nd-src").count() >= 2
    # the panel was re-rendered: nothing stays marked from the click on answer 1
    assert page.evaluate(OUTLINED_OR_YELLOW) == []
    cite = second.locator("a.nd-cite").last
    cite.click()
    clicked = (cite.get_attribute("href") or "").removeprefix("#")
    assert page.evaluate(OUTLINED_OR_YELLOW) == [clicked]
    answered = [r.getMessage() for r in caplog.records if r.getMessage().startswith("answered")]
    assert [line.split(": ", 1)[1] for line in answered[-2:]] == [
        repr(QUESTION),
        repr("what else did he say?"),
    ], answered


def test_example_question_cites_the_breakthrough_sentence(open_chat: OpenChat) -> None:
    page = open_chat()
    answer = ask(page, QUESTION)
    marked = []
    for i in range(answer.locator("a.nd-cite").count()):
        cite = answer.locator("a.nd-cite").nth(i)
        cite.click()
        mark = page.locator(f"{cite.get_attribute('href')} mark")
        marked.append(mark.inner_text())
        if EXPECTED_SENTENCE in marked[-1]:
            return
    pytest.fail(f"no citation highlights {EXPECTED_SENTENCE!r}: {answer.inner_text()!r}, {marked}")


def test_follow_up_vote_and_new_chat(open_chat: OpenChat, seeded_desk: NewsDesk) -> None:
    page = open_chat()
    first = ask(page, QUESTION)
    second = ask(page, "what else did he say?")
    assert "nd-error" not in (second.get_attribute("class") or ""), second.inner_text()
    assert second.locator("a.nd-cite").count() >= 1, second.inner_text()
    # the follow-up says how it was read; the first question, asked in full, does not
    assert second.locator(".nd-read-as").inner_text() == "Read as “what else did Kritenbrink say?”"
    assert first.locator(".nd-read-as").count() == 0
    assert second.inner_text() != first.inner_text()
    assert page.locator("#nd-sources .nd-src-q").first.inner_text().startswith("Answer 2:")

    feedback = seeded_desk.feedback_path
    before = feedback.read_text().splitlines() if feedback.exists() else []
    page.fill("#nd-comment textarea", "good follow-up")
    second.locator("button[data-vote=up]").click()
    page.locator("#nd-feedback .nd-status-ok").wait_for(timeout=10_000)
    assert page.locator("#nd-turn-1 button[data-vote=up].nd-chosen").count() == 1
    lines = feedback.read_text().splitlines()
    assert len(lines) == len(before) + 1
    vote = json.loads(lines[-1])
    assert (vote["verdict"], vote["comment"]) == ("up", "good follow-up")
    assert vote["question"] == "what else did he say?"
    assert vote["history"][0][0] == QUESTION

    page.click("#nd-new-chat")
    page.locator("#nd-chat .nd-empty").wait_for(timeout=10_000)
    assert page.locator(".nd-turn").count() == 0
    assert page.locator("#nd-sources .nd-src").count() == 0


def test_two_questions_in_one_message_cite_an_answer_to_each(open_chat: OpenChat) -> None:
    page = open_chat()
    answer = ask(page, "When is Blinken visiting? And who is Qin Gang?")
    assert "nd-abstained" not in (answer.get_attribute("class") or ""), answer.inner_text()
    assert "Answered as 2 questions" in answer.inner_text()
    marked = []
    for i in range(answer.locator("a.nd-cite").count()):
        cite = answer.locator("a.nd-cite").nth(i)
        cite.click()
        marked.append(page.locator(f"{cite.get_attribute('href')} mark").inner_text())
    assert any("June 16 and June 21" in m for m in marked), marked
    assert any("Qin Gang urged" in m for m in marked), marked


def test_a_summary_request_quotes_the_story_lead(open_chat: OpenChat) -> None:
    page = open_chat()
    answer = ask(page, "What is this article about?")
    assert "played down expectations" in answer.inner_text(), answer.inner_text()
    cite = answer.locator("a.nd-cite").first
    cite.click()
    mark = page.locator(f"{cite.get_attribute('href')} mark")
    assert mark.inner_text().startswith("The United States on Wednesday played down")


def test_abstention_is_marked_with_related_passages(open_chat: OpenChat) -> None:
    page = open_chat()
    answer = ask(page, "What is the boiling point of liquid nitrogen?")
    assert "nd-abstained" in (answer.get_attribute("class") or ""), answer.inner_text()
    assert "No answer in the articles" in answer.inner_text()
    related = page.locator("#nd-sources .nd-related .nd-src")
    assert related.count() >= 1
    assert related.first.locator("mark").count() == 1


def test_bad_as_of_date_shows_the_message(open_chat: OpenChat) -> None:
    page = open_chat()
    page.fill("#nd-as-of input, #nd-as-of textarea", "junk")
    answer = ask(page, QUESTION)
    assert "nd-error" in (answer.get_attribute("class") or "")
    assert "junk" in answer.inner_text()


def test_upload_then_ask_about_it(open_chat: OpenChat, tmp_path: Path) -> None:
    page = open_chat()
    path = tmp_path / "lanterns.txt"
    path.write_text(LANTERN_ARTICLE)
    status = upload(page, path)
    assert "1 added" in status, status
    assert "Quellington Lantern Festival" in page.locator("#nd-corpus").inner_text()
    answer = ask(page, "How many visitors did the Quellington lantern festival draw?")
    assert "48,000" in answer.inner_text()
    assert "Quellington Lantern Festival" in page.locator("#nd-sources").inner_text()

    page.get_by_role("tab", name="Corpus").click()
    page.locator("#nd-delete-choice input").fill("Quellington")
    page.get_by_role("option", name="Quellington Lantern Festival", exact=False).first.click()
    page.click("#nd-delete")
    page.locator("#nd-ingest-status").get_by_text("Deleted 1 article(s).").wait_for(timeout=20_000)
    assert "Quellington" not in page.locator("#nd-corpus").inner_text()


def test_refused_uploads_say_why(open_chat: OpenChat, tmp_path: Path) -> None:
    page = open_chat()
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert "empty.txt is empty" in upload(page, empty)
    page.get_by_role("tab", name="Corpus").click()
    for name, size, message in [
        ("notes.pdf", 10, "Invalid file type: notes.pdf"),
        ("huge.txt", MAX_UPLOAD_BYTES + 1, "exceed the maximum allowed size of 5.0 Mb"),
    ]:
        path = tmp_path / name
        path.write_bytes(b"a" * size)
        page.set_input_files("#nd-upload input[type=file]", str(path))
        page.get_by_text(message).wait_for(timeout=10_000)


def test_xss_payloads_render_as_text(open_chat: OpenChat, tmp_path: Path) -> None:
    page = open_chat()  # the fixture fails the test if any dialog opens
    path = tmp_path / "zorblax.txt"
    path.write_text(XSS_ARTICLE)
    upload(page, path)
    answer = ask(page, "How many dancers were in the Zorblax parade?")
    assert "312" in answer.inner_text()
    panel = page.locator("#nd-sources")
    panel_text = panel.inner_text()
    assert "<script>window.__pwned = 1" in panel_text  # the title, shown as text
    assert "<img src=x onerror=" in panel_text
    assert "javascript:window.__pwned=1" in panel_text
    page.get_by_role("tab", name="Corpus").click()
    assert "<script>" in page.locator("#nd-corpus").inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    rendered = ", ".join(
        f"{box} {tag}"
        for box in ("#nd-chat", "#nd-sources", "#nd-corpus")
        for tag in ("img", "script")
    )
    assert page.locator(rendered).count() == 0
    assert page.locator("a[href^='javascript' i]").count() == 0


def test_two_pages_asking_at_once_are_both_answered(open_chat: OpenChat) -> None:
    pages = [open_chat(), open_chat()]
    questions = [QUESTION, "What did Qin Gang urge the United States to do?"]
    for page, question in zip(pages, questions, strict=True):
        page.fill("#nd-question textarea", question)
    for page in pages:
        page.click("#nd-ask")
    for page in pages:
        page.wait_for_selector("#nd-turn-0 .nd-a:not(.nd-streaming)", timeout=ANSWER_TIMEOUT_MS)
        answer = page.locator("#nd-turn-0 .nd-a")
        assert "nd-error" not in (answer.get_attribute("class") or ""), answer.inner_text()
        assert answer.locator("a.nd-cite").count() >= 1


def test_questions_are_answered_while_an_upload_ingests(
    open_chat: OpenChat, tmp_path: Path
) -> None:
    uploader, asker = open_chat(), open_chat()
    path = tmp_path / "filler.jsonl"
    rows = [
        {"title": f"Filler {i}", "text": f"Filler article {i} says little of note. " * 60}
        for i in range(40)
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    choose_file(uploader, path)
    uploader.click("#nd-ingest")
    uploader.locator("#nd-ingest-status .nd-status-info").wait_for(timeout=20_000)
    answer = ask(asker, QUESTION)
    still_ingesting = uploader.locator("#nd-ingest-status .nd-status-info").count() == 1
    assert "nd-error" not in (answer.get_attribute("class") or ""), answer.inner_text()
    assert answer.locator("a.nd-cite").count() >= 1
    done = uploader.locator("#nd-ingest-status .nd-status-ok")
    done.wait_for(timeout=120_000)
    assert "40 added" in done.inner_text()
    assert still_ingesting, "the ingest ended before the answer came: make the upload bigger"
