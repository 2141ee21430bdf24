"""The records the index speaks in. Offsets are character offsets into `Article.text`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property

Span = tuple[int, int]  # (start, end) into Article.text, end exclusive


def text_hash(text: str) -> str:
    """A short stable id for a text: sha256 of its whitespace-normalised form.

    >>> text_hash("a  b\\n") == text_hash("a b")
    True
    """
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


_LINE_ORIGIN = re.compile(r":\d+$")  # "dump.jsonl:12": line 12 of the file dump.jsonl


def is_line_origin(origin: str) -> bool:
    """Whether an origin names one line of a JSONL file rather than a whole file or page.

    >>> [is_line_origin(o) for o in ("dump.jsonl:12", "a.txt", "http://bugle.example:8000")]
    [True, False, False]
    """
    return not origin.startswith(("http://", "https://")) and bool(_LINE_ORIGIN.search(origin))


def file_of(origin: str) -> str:
    """The file an origin is in: the origin without its JSONL line number.

    >>> file_of("dump.jsonl:12"), file_of("https://bugle.example:8000")
    ('dump.jsonl', 'https://bugle.example:8000')
    """
    return _LINE_ORIGIN.sub("", origin) if is_line_origin(origin) else origin


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

    @cached_property  # frozen, so computed once: an answer asks it of every article it reads
    def version(self) -> str:
        """Hash of everything that is indexed, so a changed article is re-indexed."""
        parts = [self.text, self.title, self.date or "", self.source, self.url, *self.authors]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]

    def with_version(self, version: str) -> Article:
        """This article, just read back from the index, with the `version` the index
        recorded when it hashed the same fields: not hashed again, which was most of the
        time an answer spent reading its articles."""
        self.__dict__["version"] = version  # where cached_property keeps what it made
        return self


@dataclass(frozen=True)
class ArticleRef:
    """What a chunk, passage or citation says about its article: enough to name and open it."""

    id: str
    title: str = ""
    date: str | None = None
    source: str = ""
    url: str = ""

    @classmethod
    def of(cls, article: Article) -> ArticleRef:
        return cls(article.id, article.title, article.date, article.source, article.url)


def chunk_id(article_id: str, version: str, ordinal: int) -> str:
    """The id of an article version's `ordinal`-th chunk; `parse_chunk_id` reads it back.

    >>> chunk_id("story-1", "0a1b2c", 3)
    'story-1:0a1b2c:3'
    """
    return f"{article_id}:{version}:{ordinal}"


def parse_chunk_id(value: str) -> tuple[str, str, int]:
    """(article id, version, ordinal) of a chunk id. Article ids may hold colons.

    >>> parse_chunk_id("reuters:2023:0a1b2c:3")
    ('reuters:2023', '0a1b2c', 3)
    """
    article_id, version, ordinal = value.rsplit(":", 2)
    return article_id, version, int(ordinal)


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
    group: str | None = None  # near-duplicate group label; None until grouped


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
