"""The records the index speaks in. Offsets are character offsets into `Article.text`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

Span = tuple[int, int]  # (start, end) into Article.text, end exclusive


def text_hash(text: str) -> str:
    """A short stable id for a text: sha256 of its whitespace-normalised form.

    >>> text_hash("a  b\\n") == text_hash("a b")
    True
    """
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Article:
    """One news article: its text and what is known about it."""

    id: str
    text: str
    title: str = ""
    date: str | None = None  # ISO YYYY-MM-DD, None when unknown
    source: str = ""  # outlet or host name ("CNN", "reuters.com")
    url: str = ""
    authors: tuple[str, ...] = ()
    origin: str = ""  # where it was read from: a path, "path:line"

    @property
    def version(self) -> str:
        """Hash of everything that is indexed, so a changed article is re-indexed."""
        parts = [self.text, self.title, self.date or "", self.source, self.url, *self.authors]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of one article; `article.text[start:end] == text`."""

    id: str
    article_id: str
    ordinal: int  # position of the chunk within its article, from 0
    start: int
    end: int
    text: str
    sentences: tuple[Span, ...] = field(default=())  # article offsets of each sentence inside


@dataclass(frozen=True)
class ArticleSummary:
    """What `list` shows of an indexed article."""

    id: str
    title: str
    date: str | None
    source: str
    url: str
    chunks: int


@dataclass(frozen=True)
class ReadNote:
    """Something a reader has to say about an input: a warning, or why it failed."""

    origin: str  # "path" or "path:line"
    message: str
    failed: bool  # True: nothing was read from origin; False: read, with a warning


@dataclass(frozen=True)
class IngestReport:
    """The closing summary of an ingest run."""

    added: tuple[str, ...] = ()  # article ids
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    failed: tuple[ReadNote, ...] = ()
    warnings: tuple[ReadNote, ...] = ()
    chunks: int = 0  # chunks written in this run
    seconds: float = 0.0
