"""Web pages to articles: the main text and metadata, found by trafilatura."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

_LIST_MARKER = re.compile(r"^- ")  # how trafilatura's text output marks list items


@dataclass(frozen=True)
class HtmlArticle:
    """What a web page says about its article, before metadata is normalised."""

    title: str
    text: str  # main text, paragraphs separated by one blank line
    date: str  # as trafilatura found it ("2022-06-16"), or ""
    authors: str  # as the page gives them, "Jane Doe; John Roe", or ""
    source: str  # the site's name ("Daily Bugle"), or ""
    url: str  # canonical or og:url, or ""


def extract_html(page: str) -> HtmlArticle | None:
    """The main article of a web page, or None when the page has no main text."""
    # imported here because it costs a fifth of a second, which every command
    # that never reads a web page (ask, list) would otherwise pay at start-up
    import trafilatura

    # a page without main text is the caller's failure note, which says what to do; not
    # also trafilatura's own "discarding data: None" warning beside it
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    document = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, include_tables=True
    )
    if document is None or isinstance(document, dict):
        return None
    title = " ".join((document.title or "").split())
    return HtmlArticle(
        title=title,
        text=page_text(document.text or "", title),
        date=document.date or "",
        authors=document.author or "",
        source=document.sitename or "",
        url=document.url or "",
    )


def page_text(extracted: str, title: str) -> str:
    """Trafilatura's one-line-per-block text as blank-line separated paragraphs.

    The page's own heading usually opens the extracted text; it is the title, so
    it is dropped rather than indexed twice.

    >>> page_text("Budget passes\\nThe council voted.\\n- one\\n- two", "Budget passes")
    'The council voted.\\n\\none\\n\\ntwo'
    """
    lines = [_LIST_MARKER.sub("", line.strip()) for line in extracted.split("\n")]
    lines = [line for line in lines if line]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    return "\n\n".join(lines)
