"""The Gradio web chat over a `NewsDesk`, and the server that carries it and `POST /api/ask`.

Limits, chosen on purpose:
- questions run 4 at a time: the chat, the Gradio `/ask` endpoint and `POST /api/ask`
  each take a slot of one semaphore (`WebChat.slots`, made in `build_app`); the
  NewsDesk is thread-safe for questions and the box has few cores, so more would
  only slow each answer down;
- uploads and addresses ingest one at a time (the service serialises ingests
  anyway), and questions keep being answered while one runs;
- an upload ingests only files this session uploaded (see ui/web/uploads.py), and its
  copies are removed once ingested; an address must be http(s) (see ui/web/corpus.py);
  either replaces an article of another file or address only when the user ticks
  "Replace";
- at most 64 events wait in Gradio's queue; later ones are told the queue is full.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import gradio as gr
import uvicorn
from fastapi import FastAPI

from qa import ANSWER_MODES, Answer, NewsDesk, NewsdeskError, QuestionError, TextDelta, Turn
from ui.web.corpus import GENERIC_ERROR, CorpusTab
from ui.web.http_api import ask_router
from ui.web.render import (
    CITE_CLICK_JS,
    ChatTurn,
    render_chat,
    render_sources,
    render_status,
)
from ui.web.uploads import ALLOWED_SUFFIXES, MAX_UPLOAD_BYTES, human_size

log = logging.getLogger(__name__)

QUESTION_CONCURRENCY = 4
# a question waits this long for a slot when POST /api/ask calls hold them all
_SLOT_WAIT_S = 120.0
QUEUE_MAX_SIZE = 64
_STATIC = Path(__file__).parent / "static"
# a model streams tokens faster than a browser wants whole transcripts re-rendered;
# the pieces that arrive in between are shown with the next render
_STREAM_RENDER_S = 0.1
MODES = tuple((mode.capitalize(), mode) for mode in ANSWER_MODES)  # (label, value)
# votes are delegated from the transcript root because its children are re-rendered
_VOTE_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-vote]');
  if (button) trigger('click', {vote: button.dataset.vote, turn: Number(button.dataset.turn)});
});
"""


class WebChat:
    """The handlers of the chat tab and the API; each speaks `qa` records in and HTML out
    (the Corpus tab's are `ui.web.corpus.CorpusTab`)."""

    def __init__(self, desk: NewsDesk, slots: threading.BoundedSemaphore | None = None) -> None:
        self.desk = desk
        # one pool for every way a question comes in: chat, Gradio's /ask, POST /api/ask
        self.slots = slots or threading.BoundedSemaphore(QUESTION_CONCURRENCY)

    # chat

    def ask(
        self,
        question: str,
        turns: list[ChatTurn],
        as_of: str,
        sources: Sequence[str] | None,
        mode: str | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the transcript; outputs (chat, sources, turns, question box).

        In generative mode the model's tokens are shown as they come, then replaced by
        the checked answer, whose text may differ (markers renumbered or dropped, or the
        extractive answer when the model failed).
        """
        question = (question or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), turns, ""
            return
        mode = mode or self.desk.settings.mode
        history = _history(turns)
        pending = ChatTurn(question, mode=mode)
        yield render_chat([*turns, pending]), gr.skip(), turns, ""
        final = pending
        slot = self.slots.acquire(timeout=_SLOT_WAIT_S)
        try:
            if not slot:
                raise QuestionError("the server is busy answering other questions; ask again")
            streamed = ""
            shown_at = 0.0  # the first token is shown at once
            for item in self.desk.ask_stream(
                question, history, as_of.strip() or None, sources=list(sources or ()), mode=mode
            ):
                if isinstance(item, TextDelta):
                    streamed += item.text
                    if time.monotonic() - shown_at < _STREAM_RENDER_S:
                        continue
                    shown_at = time.monotonic()
                    yield (
                        render_chat([*turns, replace(pending, partial=streamed)]),
                        gr.skip(),
                        turns,
                        "",
                    )
                elif isinstance(item, Answer):
                    final = replace(pending, answer=item)
        except NewsdeskError as error:
            final = replace(pending, error=str(error))
        except Exception:
            log.exception("answering %r failed", question)
            final = replace(pending, error=GENERIC_ERROR)
        finally:
            if slot:
                self.slots.release()
        if final.answer is None and not final.error:
            final = replace(pending, error=GENERIC_ERROR)
            log.error("ask_stream ended without an Answer for %r", question)
        if final.answer is not None:
            log_answer("chat", final.answer)
        turns = [*turns, final]
        yield render_chat(turns), self.sources_panel(turns), turns, ""

    def sources_panel(self, turns: Sequence[ChatTurn]) -> str:
        """The sources panel of `turns`, with the text of every article they cite."""
        ids = {
            c.article_id
            for t in turns
            if t.answer is not None
            for c in (*t.answer.citations, *t.answer.related)
        }
        texts: dict[str, str] = {}
        for article_id in ids:
            # an article deleted since it was cited: the panel shows the quote alone
            with contextlib.suppress(NewsdeskError):
                texts[article_id] = self.desk.article(article_id).text
        return render_sources(turns, texts)

    def new_chat(self) -> tuple[str, str, list[ChatTurn], str]:
        """An empty transcript and panel; outputs (chat, sources, turns, feedback status)."""
        return render_chat([]), render_sources([], {}), [], ""

    def vote(
        self, turns: list[ChatTurn], comment: str, event: gr.EventData
    ) -> tuple[Any, list[ChatTurn], str, Any]:
        """Record a thumbs up/down; outputs (chat, turns, feedback status, comment box)."""
        try:
            verdict, index = str(event.vote), int(event.turn)
        except (AttributeError, TypeError, ValueError):
            return gr.skip(), turns, gr.skip(), gr.skip()
        if verdict not in ("up", "down") or not 0 <= index < len(turns):
            return gr.skip(), turns, gr.skip(), gr.skip()
        answer = turns[index].answer
        if answer is None:
            return (
                gr.skip(),
                turns,
                render_status(["There is no answer to vote on."], "error"),
                gr.skip(),
            )
        try:
            self.desk.record_feedback(answer, verdict, comment.strip(), _history(turns[:index]))
        except NewsdeskError as error:
            return gr.skip(), turns, render_status([str(error)], "error"), gr.skip()
        except Exception:
            log.exception("recording feedback failed")
            return gr.skip(), turns, render_status([GENERIC_ERROR], "error"), gr.skip()
        turns = [replace(t, vote=verdict) if i == index else t for i, t in enumerate(turns)]
        word = "thumbs up" if verdict == "up" else "thumbs down"
        note = f"Thanks: recorded a {word} on answer {index + 1}" + (
            " with your comment." if comment.strip() else "."
        )
        return render_chat(turns), turns, render_status([note], "ok"), ""

    # API

    def ask_api(
        self,
        question: str,
        history: list[list[str]] | None = None,
        as_of: str | None = None,
        mode: str | None = None,
    ) -> dict[str, Any]:
        """Answer `question`, after earlier [question, answer] pairs, like `newsdesk ask --json`.

        `mode` is "extractive" or "generative"; left out, the server's default.
        """
        if history is not None and not (
            isinstance(history, list)
            and all(isinstance(t, list | tuple) and len(t) == 2 for t in history)
        ):
            raise gr.Error("history must be a list of [question, answer] pairs")
        if not self.slots.acquire(timeout=_SLOT_WAIT_S):
            raise gr.Error("the server is busy answering other questions; ask again")
        try:
            turns = [Turn(str(q), str(a)) for q, a in (history or [])]
            answer = self.desk.ask(question, turns, as_of or None, mode=mode or None)
            log_answer("gradio api", answer)
            return answer.to_dict()
        except NewsdeskError as error:
            raise gr.Error(str(error)) from None
        finally:
            self.slots.release()


def _history(turns: Sequence[ChatTurn]) -> list[Turn]:
    return [Turn(t.question, t.answer.text) for t in turns if t.answer is not None]


def build_blocks(desk: NewsDesk, slots: threading.BoundedSemaphore | None = None) -> gr.Blocks:
    """The page: a chat tab with its sources panel and filters, and a corpus tab.

    `slots` is the question pool shared with `POST /api/ask` (a new one when None).
    """
    chat = WebChat(desk, slots)
    tab = CorpusTab(desk)
    with gr.Blocks(title="newsdesk", analytics_enabled=False) as blocks:
        turns = gr.State([])
        claimed_uploads = gr.State([])  # Gradio upload paths this session's uploads produced
        with gr.Column(elem_id="nd-header"):
            gr.HTML(
                "<h1>newsdesk</h1><p>Answers from the news articles in the index; "
                "every sentence cites the passage it comes from.</p>",
                js_on_load=None,
            )
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"), gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=420):
                    chat_html = gr.HTML(
                        render_chat([]),
                        elem_id="nd-chat",
                        js_on_load=_VOTE_JS + CITE_CLICK_JS,
                        autoscroll=True,
                        max_height=620,
                    )
                    with gr.Row():
                        question = gr.Textbox(
                            placeholder="Ask about the news, e.g. what did Kritenbrink "
                            "say about expectations? or: what is this article about?",
                            show_label=False,
                            scale=5,
                            max_lines=4,
                            elem_id="nd-question",
                            autofocus=True,
                        )
                        ask_button = gr.Button(
                            "Ask", variant="primary", scale=0, min_width=90, elem_id="nd-ask"
                        )
                        new_chat = gr.Button(
                            "New chat", scale=0, min_width=130, elem_id="nd-new-chat"
                        )
                    with gr.Row():
                        as_of = gr.Textbox(
                            label="As of (optional)",
                            info="The day the question is asked: later articles are left "
                            "out, and “this week” counts back from it.",
                            placeholder="YYYY-MM-DD",
                            scale=1,
                            elem_id="nd-as-of",
                        )
                        source_filter = gr.Dropdown(
                            label="Only these sources (optional)",
                            multiselect=True,
                            choices=[],
                            scale=2,
                            elem_id="nd-source-filter",
                        )
                        mode = gr.Radio(
                            list(MODES),
                            value=desk.settings.mode,
                            label="Answers",
                            info="Generative: a language model writes; citations are checked",
                            scale=2,
                            elem_id="nd-mode",
                        )
                    comment = gr.Textbox(
                        label="Comment sent with your next vote (optional)",
                        max_lines=2,
                        elem_id="nd-comment",
                    )
                    feedback_status = gr.HTML("", js_on_load=None, elem_id="nd-feedback")
                with gr.Column(scale=2, min_width=340, elem_id="nd-sources-box"):
                    sources_html = gr.HTML(
                        render_sources([], {}),
                        elem_id="nd-sources",
                        js_on_load=None,
                        max_height=760,
                    )
            with gr.Tab("Corpus", id="corpus") as corpus_tab:
                files = gr.File(
                    label=f"Upload articles ({', '.join(ALLOWED_SUFFIXES)}; up to "
                    f"{human_size(MAX_UPLOAD_BYTES)} each)",
                    file_count="multiple",
                    file_types=list(ALLOWED_SUFFIXES),
                    type="filepath",
                    elem_id="nd-upload",
                )
                upload_button = gr.Button(
                    "Ingest uploaded files", variant="primary", elem_id="nd-ingest"
                )
                with gr.Row(equal_height=True):
                    address = gr.Textbox(
                        label="Or fetch a web page or an RSS/Atom feed by its address",
                        placeholder="https://example.com/news/story or https://example.com/feed.xml",
                        max_lines=1,
                        scale=4,
                        elem_id="nd-url",
                    )
                    fetch_button = gr.Button(
                        "Fetch and ingest", variant="primary", scale=1, elem_id="nd-fetch"
                    )
                replace_existing = gr.Checkbox(
                    False,
                    label="Replace existing articles with the same id",
                    info="Unticked, an upload or an address only adds: an article another "
                    "file or address put in the index is never replaced",
                    elem_id="nd-replace",
                )
                ingest_status = gr.HTML("", js_on_load=None, elem_id="nd-ingest-status")
                last_changed = gr.HTML("", js_on_load=None, elem_id="nd-last-changed")
                corpus_html = gr.HTML("", js_on_load=None, elem_id="nd-corpus")
                with gr.Row():
                    to_delete = gr.Dropdown(
                        label="Articles to delete",
                        multiselect=True,
                        choices=[],
                        scale=4,
                        elem_id="nd-delete-choice",
                    )
                    delete_button = gr.Button(
                        "Delete", variant="stop", scale=1, elem_id="nd-delete"
                    )

        ask_io: dict[str, Any] = {
            "fn": chat.ask,
            "inputs": [question, turns, as_of, source_filter, mode],
            "outputs": [chat_html, sources_html, turns, question],
            "concurrency_limit": QUESTION_CONCURRENCY,
            "concurrency_id": "questions",
            "api_name": "chat",  # "ask" is the public endpoint's name
            "api_visibility": "private",
        }
        question.submit(**ask_io)
        ask_button.click(**ask_io)
        new_chat.click(
            chat.new_chat,
            None,
            [chat_html, sources_html, turns, feedback_status],
            api_visibility="private",
            queue=False,
        )
        chat_html.click(
            chat.vote,
            [turns, comment],
            [chat_html, turns, feedback_status, comment],
            api_visibility="private",
        )
        corpus_outputs = [corpus_html, to_delete, source_filter, last_changed]
        blocks.load(tab.corpus, None, corpus_outputs, api_visibility="private")
        # another process may have ingested or deleted since the page loaded
        corpus_tab.select(
            tab.corpus, None, corpus_outputs, api_visibility="private", show_progress="hidden"
        )
        # Gradio's record of the files its upload route wrote: the only paths ingested
        tab.received = blocks.upload_file_set
        files.upload(
            tab.claim_uploads,
            [files, claimed_uploads],
            claimed_uploads,
            queue=False,
            api_visibility="private",
        )
        upload_button.click(
            tab.upload,
            [files, replace_existing, claimed_uploads],
            [ingest_status, *corpus_outputs, files, claimed_uploads],
            concurrency_limit=1,
            concurrency_id="ingest",
            api_visibility="private",
        )
        fetch_io: dict[str, Any] = {
            "fn": tab.ingest_url,
            "inputs": [address, replace_existing],
            "outputs": [ingest_status, *corpus_outputs, address],
            "concurrency_limit": 1,
            "concurrency_id": "ingest",
            "api_visibility": "private",
        }
        fetch_button.click(**fetch_io)
        address.submit(**fetch_io)
        delete_button.click(
            tab.delete,
            to_delete,
            [ingest_status, *corpus_outputs],
            concurrency_limit=1,
            concurrency_id="ingest",
            api_visibility="private",
        )
        gr.api(
            chat.ask_api,
            api_name="ask",
            concurrency_limit=QUESTION_CONCURRENCY,
            concurrency_id="questions",
        )
    blocks.queue(default_concurrency_limit=QUESTION_CONCURRENCY, max_size=QUEUE_MAX_SIZE)
    return blocks


def build_app(desk: NewsDesk, host: str = "127.0.0.1", port: int = 7860) -> FastAPI:
    """A FastAPI app serving `POST /api/ask` and, at `/`, the web chat."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    slots = threading.BoundedSemaphore(QUESTION_CONCURRENCY)  # chat and API: one pool
    app.include_router(ask_router(desk, slots, on_answer=lambda answer: log_answer("api", answer)))
    theme = gr.themes.Soft(
        primary_hue="indigo",
        font=[
            "ui-sans-serif",
            "system-ui",
            "sans-serif",
        ],  # no web fonts: the server may be offline
        font_mono=["ui-monospace", "monospace"],
    )
    return gr.mount_gradio_app(
        app,
        build_blocks(desk, slots),
        path="/",
        server_name=host,
        server_port=port,
        footer_links=["api"],
        run_history=False,
        max_file_size=MAX_UPLOAD_BYTES,
        show_error=False,  # unexpected errors: a generic message in the page, details in the log
        ssr_mode=False,
        theme=theme,
        css_paths=[_STATIC / "newsdesk.css"],
    )


def serve(desk: NewsDesk, host: str = "127.0.0.1", port: int = 7860, verbose: bool = False) -> None:
    """Serve the web chat and `POST /api/ask` on host:port until interrupted.

    Logs startup, errors and one line per answered question; `verbose` adds uvicorn's
    line for every HTTP request (a page load alone makes dozens).
    """
    app = build_app(desk, host, port)
    desk.warm_up()  # load the model now, so the first question is not the slow one
    # what is loaded by now lives as long as the server: out of the collector's full
    # passes, which otherwise stopped an answer for 40-70 ms every few hundred questions
    gc.freeze()
    log.info(
        "web chat on http://%s:%d (%d articles in %s); Ctrl-C stops it",
        host,
        port,
        len(desk.articles()),
        desk.settings.index_dir,
    )
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info" if verbose else "warning",  # warnings and errors always show
        access_log=verbose,
    )


def log_answer(via: str, answer: Answer) -> None:
    """Log the one line the server writes for an answered question."""
    log.info("%s", answer_log_line(via, answer))


def answer_log_line(via: str, answer: Answer) -> str:
    """Where a question came from, how long it took, how it went, and the question.

    >>> answer_log_line("chat", Answer("Who?", "Qin.", (), False, timings_ms={"total_ms": 41.7}))
    "answered (chat) in 42 ms, 0 citations: 'Who?'"
    >>> answer_log_line("api", Answer("Why?", "", (), True, mode="generative"))
    "answered (api, generative), abstained: 'Why?'"
    """
    if answer.abstained:
        outcome = "abstained"
    else:
        n = len(answer.citations)
        outcome = f"{n} citation{'' if n == 1 else 's'}"
    total = answer.timings_ms.get("total_ms")
    took = f" in {total:.0f} ms" if total is not None else ""
    mode = "" if answer.mode == "extractive" else f", {answer.mode}"
    return f"answered ({via}{mode}){took}, {outcome}: {answer.question!r}"
