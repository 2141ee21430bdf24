"""The Corpus tab's handlers: uploads, web addresses, deletes, and the article list with
when the index last changed.

Uploads and addresses go through one ingest runner (`NewsDesk.ingest` in a thread, its
progress polled into the status box), so both show progress and results alike and
obey the same "Replace existing articles with the same id" box. An address is fetched
by the reader `newsdesk ingest https://...` uses (index/readers/url.py, through
`NewsDesk.ingest`), with its limits on time, size and redirects and its robots.txt
check; this module only makes sure that what reaches it is an http(s) address, never a
path on the server.
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gradio as gr
from gradio.utils import get_upload_folder

from qa import IngestReport, NewsDesk, NewsdeskError
from ui.web.render import render_corpus, render_status
from ui.web.uploads import (
    StoredUpload,
    forget_upload,
    received_uploads,
    safe_filename,
    store_uploads,
    user_origin,
)

log = logging.getLogger(__name__)

GENERIC_ERROR = "Something went wrong on the server; the server log has the details."
MAX_ADDRESS_CHARS = 2_000  # longer is a pasted page or a tracking monster, not an address
_PROGRESS_POLL_S = 0.25


class CorpusTab:
    """The handlers of the Corpus tab; each speaks `qa` records in and HTML out."""

    def __init__(self, desk: NewsDesk) -> None:
        self.desk = desk
        self.upload_dir = desk.settings.index_dir / "uploads"
        # what Gradio's upload route received (its own record), set by build_blocks
        self.received: set[str] = set()

    def corpus(self) -> tuple[str, Any, Any, str]:
        """Outputs (corpus table, delete choices, source filter choices, last changed),
        read fresh, so changes by other processes show too."""
        articles = self.desk.articles()
        choices = [
            (f"{a.title or 'Untitled'} ({a.date or 'no date'}, {a.source or 'no source'})", a.id)
            for a in articles
        ]
        return (
            render_corpus(articles),
            gr.update(choices=choices, value=[]),
            gr.update(choices=self.desk.sources()),
            render_last_changed(self.desk.last_changed()),
        )

    def claim_uploads(self, files: list[str] | None, claimed: list[str] | None) -> list[str]:
        """Record, for this session, the files its upload just put in Gradio's hands.

        Runs on the file box's upload event; the session's record (a `gr.State`, held
        on the server) is what `upload` later ingests from, so a path named in another
        request, or uploaded in another session, is never read.
        """
        fresh = received_uploads(files or [], self.received, get_upload_folder())
        return list(dict.fromkeys([*(claimed or []), *fresh]))

    def upload(
        self, files: list[str] | None, replace_existing: bool, claimed: list[str] | None
    ) -> Iterator[tuple[Any, ...]]:
        """Store and ingest uploads, showing progress.

        Outputs (status, *corpus outputs, file box, claimed).
        """
        claimed = list(claimed or [])
        if not files:
            message = "Choose one or more files to upload first."
            yield render_status([message], "error"), *_keep(), gr.skip(), claimed
            return
        gradio_folder = get_upload_folder()
        mine = set(received_uploads(claimed, self.received, gradio_folder))
        refusals: list[str] = []
        accepted = []
        for f in files:
            if f in mine:
                accepted.append(f)
                continue
            name = safe_filename(Path(f).name)
            refusals.append(
                f"{name} was not uploaded from this page: choose it in the file box again"
            )
            if f not in self.received:  # a copy Gradio made of a path named in the request
                forget_upload(f, gradio_folder)
        stored: list[StoredUpload] = []
        try:
            if accepted:
                stored, refused = store_uploads(
                    [(Path(f).name, Path(f)) for f in accepted], self.upload_dir
                )
                refusals += [r.reason for r in refused]
            if not stored:
                yield render_status(refusals, "error"), *_keep(), None, claimed
                return
            names = ", ".join(u.name for u in stored)
            for status, state in self._ingest(
                [u.path for u in stored],
                names,
                lambda origin: user_origin(origin, stored),
                refusals,
                replace_existing,
            ):
                if state == "running":
                    yield status, *_keep(), gr.skip(), gr.skip()
                else:
                    yield status, *self.corpus(), None, claimed
        except OSError as error:
            log.exception("storing uploads failed")
            message = f"Could not store the upload: {error.strerror or 'file system error'}"
            yield render_status([message], "error"), *_keep(), None, claimed
        finally:
            # the text lives in the catalog now; no copy is left for a delete to miss
            for upload in stored:
                forget_upload(upload.path, self.upload_dir)
            for f in accepted:
                forget_upload(f, gradio_folder)
                self.received.discard(f)
            claimed[:] = [c for c in claimed if c not in accepted]

    def ingest_url(self, address: str | None, replace_existing: bool) -> Iterator[tuple[Any, ...]]:
        """Fetch and ingest the page or feed at an http(s) address, showing progress.

        Outputs (status, *corpus outputs, address box); the box is emptied once
        something was read, and keeps a failed address for the user to correct.
        """
        text = (address or "").strip()
        problem = address_problem(text)
        if problem is not None:
            yield render_status([problem], "error"), *_keep(), gr.skip()
            return
        for status, state in self._ingest([text], text, str, [], replace_existing):
            if state == "running":
                yield status, *_keep(), gr.skip()
            else:
                yield status, *self.corpus(), "" if state == "ok" else gr.skip()

    def delete(self, article_ids: list[str] | None) -> tuple[Any, ...]:
        """Delete the chosen articles; outputs (status, *corpus outputs)."""
        if not article_ids:
            return render_status(["Choose the articles to delete first."], "error"), *_keep()
        try:
            gone = self.desk.delete(article_ids)
        except NewsdeskError as error:
            return render_status([str(error)], "error"), *self.corpus()
        return render_status([f"Deleted {len(gone)} article(s)."], "ok"), *self.corpus()

    def _ingest(
        self,
        inputs: Sequence[str | Path],
        names: str,
        shown_origin: Callable[[str], str],
        refusals: list[str],
        replace: bool,
    ) -> Iterator[tuple[str, str]]:
        """(status box, "running") while `inputs` are ingested in a worker thread, then
        (status box, "ok" or "error"): the result, "ok" when something was read.
        `shown_origin` turns a note's origin into what the user gave."""
        progress = [0, 0]
        outcome: dict[str, Any] = {}

        def on_progress(articles: int, chunks: int) -> None:
            progress[:] = [articles, chunks]

        def work() -> None:
            try:
                outcome["report"] = self.desk.ingest(inputs, on_progress, replace=replace)
            except Exception as error:  # handed to the handler below, which tells the user
                outcome["error"] = error

        worker = threading.Thread(target=work, name="newsdesk-ingest", daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(_PROGRESS_POLL_S)
            line = (
                f"Ingesting {names}: {progress[0]} article(s) read, {progress[1]} chunk(s) written…"
            )
            yield render_status([line, *refusals], "info"), "running"
        failure = outcome.get("error")
        if failure is not None:
            if not isinstance(failure, NewsdeskError):
                log.error("ingesting %s failed", names, exc_info=failure)
            message = str(failure) if isinstance(failure, NewsdeskError) else GENERIC_ERROR
            yield render_status([message, *refusals], "error"), "error"
            return
        report: IngestReport = outcome["report"]
        lines, ok = report_lines(report, shown_origin)
        state = "ok" if ok else "error"
        yield render_status([*lines, *refusals], state), state


def report_lines(
    report: IngestReport, shown_origin: Callable[[str], str]
) -> tuple[list[str], bool]:
    """The status lines of an ingest, and whether it went well (something was read).

    When nothing was read and something failed, the failures are all there is to say:
    a "0 added" line before them would only bury them.
    """
    read = bool(report.added or report.updated or report.unchanged)
    changed = bool(report.added or report.updated)
    lines = [f"Failed: {shown_origin(n.origin)}: {n.message}" for n in report.failed]
    lines += [f"Warning: {shown_origin(n.origin)}: {n.message}" for n in report.warnings]
    if read or not report.failed:
        summary = (
            f"Done in {report.seconds:.1f} s: {len(report.added)} added, "
            f"{len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {report.chunks} chunk(s) written."
            + (" You can ask about them now." if changed else "")
        )
        lines.insert(0, summary)
    return lines, read or not report.failed


def address_problem(text: str) -> str | None:
    """Why `text` cannot be fetched from the web chat, or None for an http(s) address.

    Anything else is refused here, before the service sees it: the service reads a
    string that is not an address as a path on the server.

    >>> address_problem("https://bugle.example/news/budget") is None
    True
    >>> print(address_problem(""))
    Type the address of a web page or an RSS or Atom feed first, e.g. https://example.com/news/story
    >>> print(address_problem("/etc/passwd"))
    /etc/passwd is not a web address: give one that starts with http:// or https://
    >>> print(address_problem("file:///etc/passwd"))
    file:// addresses cannot be fetched: give one that starts with http:// or https://
    >>> print(address_problem("https://a.example/x https://b.example/y"))
    the address has spaces in it: give one address at a time, spaces written as %20
    """
    if not text:
        return (
            "Type the address of a web page or an RSS or Atom feed first, "
            "e.g. https://example.com/news/story"
        )
    if len(text) > MAX_ADDRESS_CHARS:
        return (
            f"the address is {len(text):,} characters long, over the limit of "
            f"{MAX_ADDRESS_CHARS:,}: give the page's plain address"
        )
    if any(c.isspace() or ord(c) < 32 for c in text):
        return "the address has spaces in it: give one address at a time, spaces written as %20"
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    fix = "give one that starts with http:// or https://"
    if parts is None or "://" not in text:
        return f"{_shorten(text)} is not a web address: {fix}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{_shorten(parts.scheme)}:// addresses cannot be fetched: {fix}"
    if not parts.hostname:
        return (
            f"{_shorten(text)} names no host: give the whole address, e.g. https://example.com/news"
        )
    return None


def render_last_changed(when: datetime | None) -> str:
    """The line saying when the index's articles last changed, in UTC.

    >>> render_last_changed(datetime(2026, 12, 4, 17, 40, 12, 345000, tzinfo=UTC))
    '<p class="nd-last-changed">Index last changed: 2026-12-04 17:40:12 UTC</p>'
    >>> render_last_changed(None)
    '<p class="nd-last-changed">Index last changed: no ingest or delete recorded yet</p>'
    """
    if when is None:
        shown = "no ingest or delete recorded yet"
    else:
        shown = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f'<p class="nd-last-changed">Index last changed: {html.escape(shown)}</p>'


def _keep() -> tuple[Any, ...]:
    """Leave every output of `CorpusTab.corpus` as it is."""
    return gr.skip(), gr.skip(), gr.skip(), gr.skip()


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
