"""Walking paths and reading each file with the reader its suffix names."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from index.readers.decoding import declared_charset, decode, encoding_warning, normalise_text
from index.readers.html import extract_html
from index.readers.jsonl import read_jsonl
from index.readers.markdown import parse_markdown
from index.readers.metadata import make_article
from index.readers.notes import (
    FEED_SUFFIXES,
    SUPPORTED_LIST,
    SUPPORTED_SUFFIXES,
    _missing_package,
    human_size,
    limit_text,
    os_reason,
)
from index.readers.text import read_sidecar, split_txt
from index.readers.url import is_url
from index.records import Article, ReadNote


def read_paths(
    paths: Iterable[str | Path], *, max_file_bytes: int = 20_000_000
) -> Iterator[Article | ReadNote]:
    """Read every article under `paths`, with a note for each input that needs one.

    Directories are walked recursively in sorted order, skipping hidden entries,
    symlinked directories and files of unsupported types. An `http(s)://` address is
    fetched (a page, or a feed), and only when it is given here.

    Args:
        paths: files, directories and URLs, read in the order given.
        max_file_bytes: the largest .txt/.md/.html file, or JSONL article text, accepted.
    """
    for given in paths:
        if isinstance(given, str) and is_url(given):
            from index.readers.url import fetch_url

            yield from fetch_url(given.strip())
            continue
        # a file is known by its resolved absolute path: two notes.txt in two folders are
        # two articles, and a link and its target are one
        path = Path(os.path.realpath(given))
        origin = str(path)
        try:
            mode = path.stat().st_mode
        except OSError as error:
            yield ReadNote(origin, os_reason(error), failed=True)
            continue
        if stat.S_ISDIR(mode):
            found = False
            for item in _walk(path):
                if isinstance(item, ReadNote):
                    yield item
                else:
                    found = True
                    yield from _read_file(item, max_file_bytes)
            if not found:
                message = f"no article files in this directory (newsdesk reads {SUPPORTED_LIST})"
                yield ReadNote(origin, message, failed=False)
        elif not stat.S_ISREG(mode):
            yield ReadNote(origin, "not a regular file or directory; nothing read", failed=True)
        elif _suffix(path.name) is None:
            message = (
                f"unsupported file type '{path.suffix or path.name}'; newsdesk reads "
                f"{SUPPORTED_LIST} (convert it to one of these)"
            )
            yield ReadNote(origin, message, failed=True)
        else:
            yield from _read_file(path, max_file_bytes)


def _walk(directory: Path) -> Iterator[Path | ReadNote]:
    """Supported files under `directory`, sorted, depth first; notes for unreadable folders."""
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        yield ReadNote(str(directory), os_reason(error), failed=True)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = directory / entry.name
        # symlinked directories are not followed: a link to a parent would loop forever
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path)
        elif _suffix(entry.name) is not None:
            try:
                is_file = entry.is_file()
            except OSError as error:  # a link loop (a.txt -> b.txt -> a.txt), say
                yield ReadNote(str(path), os_reason(error), failed=True)
                continue
            if is_file:
                yield Path(os.path.realpath(path)) if entry.is_symlink() else path


def _suffix(name: str) -> str | None:
    lowered = name.lower()
    return next((suffix for suffix in SUPPORTED_SUFFIXES if lowered.endswith(suffix)), None)


def _read_file(path: Path, max_file_bytes: int) -> Iterator[Article | ReadNote]:
    suffix = _suffix(path.name)
    if suffix in (".jsonl", ".jsonl.gz"):
        yield from read_jsonl(path, max_file_bytes, compressed=suffix == ".jsonl.gz")
    elif suffix in FEED_SUFFIXES:
        yield from _read_feed_file(path, max_file_bytes)
    else:
        yield from _read_document(path, max_file_bytes)


def _read_feed_file(path: Path, max_file_bytes: int) -> Iterator[Article | ReadNote]:
    """The items of an RSS or Atom feed saved as a file."""
    from index.readers.feed import read_feed

    data = _read_bytes(path, max_file_bytes, "; a feed that large is not news")
    if isinstance(data, ReadNote):
        yield data
    else:
        yield from read_feed(data, str(path))


def _read_bytes(path: Path, max_file_bytes: int, advice: str) -> bytes | ReadNote:
    """The file's bytes, or the note saying why they were not read."""
    try:
        size = path.stat().st_size
        if size > max_file_bytes:
            limit = limit_text(max_file_bytes)
            message = f"file is {human_size(size)}, over the {limit} limit{advice}"
            return ReadNote(str(path), message, failed=True)
        return path.read_bytes()
    except OSError as error:
        return ReadNote(str(path), os_reason(error), failed=True)


def _read_document(path: Path, max_file_bytes: int) -> Iterator[Article | ReadNote]:
    """One article from a .txt, .md or .html file."""
    origin = str(path)
    data = _read_bytes(path, max_file_bytes, " for one article; split it into several files")
    if isinstance(data, ReadNote):
        yield data
        return
    if not data:
        yield ReadNote(origin, "empty file; nothing to read", failed=True)
        return
    is_html = path.name.lower().endswith((".html", ".htm"))
    decoded = decode(data, declared_charset(data) if is_html else None)
    if decoded is None:
        message = f"binary file, not an article; newsdesk reads {SUPPORTED_LIST}"
        yield ReadNote(origin, message, failed=True)
        return
    text, encoding = decoded
    if encoding:
        yield ReadNote(origin, encoding_warning(encoding), failed=False)
    text = normalise_text(text)
    if not text:
        yield ReadNote(origin, "file holds only whitespace; nothing to read", failed=True)
        return
    if is_html:
        try:
            page = extract_html(text)
        except ImportError as error:  # an install that lacks one of trafilatura's parts
            yield ReadNote(origin, _missing_package(error), failed=True)
            return
        if page is None or not page.text:
            message = (
                "no article text found in this web page; save the article's own page, "
                "or paste its text into a .txt file"
            )
            yield ReadNote(origin, message, failed=True)
            return
        fields: dict[str, Any] = {
            "title": page.title,
            "date": page.date,
            "authors": page.authors,
            "source": page.source,
            "url": page.url,
        }
        body = page.text
    elif path.name.lower().endswith((".md", ".markdown")):
        markdown = parse_markdown(text)
        fields = {**markdown.front_matter, "title": markdown.title}
        body = markdown.text
    else:
        title, body, header = split_txt(text)
        sidecar, sidecar_notes = read_sidecar(path)
        yield from sidecar_notes
        fields = {"title": title, **header, **sidecar}
    if not body:
        message = (
            "no article text after the title; put the text below the title, after a blank line"
        )
        yield ReadNote(origin, message, failed=True)
        return
    yield from make_article(origin, body, fields)
