"""JSON Lines (.jsonl, .jsonl.gz): one article per line, bad lines noted one by one."""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from index.readers.decoding import BINARY_SAMPLE, decode_text, looks_binary, normalise_text
from index.readers.metadata import make_article
from index.readers.notes import SUPPORTED_LIST, human_size, limit_text, os_reason
from index.records import Article, ReadNote

_MAX_NOTED_LINES = 20  # bad JSONL lines reported one by one; the rest are counted


def read_jsonl(
    path: Path, max_file_bytes: int, *, compressed: bool
) -> Iterator[Article | ReadNote]:
    """One article per line; a bad line is noted and skipped, the rest still read."""
    origin = str(path)
    try:
        stream = _open_binary(path, compressed)
    except OSError as error:
        yield ReadNote(origin, os_reason(error), failed=True)
        return
    bad_lines = 0
    unlisted: list[int] = []  # bad lines beyond the ones noted one by one
    recoded: list[tuple[int, str]] = []  # (line, encoding) of lines that were not UTF-8
    line_number = 0
    blank = True  # only blank lines so far
    with stream:
        try:
            head = stream.read(BINARY_SAMPLE)
            stream.seek(0)
        except (OSError, EOFError, zlib.error) as error:
            yield _broken_stream_note(origin, 0, compressed, error)
            return
        if not head:
            yield ReadNote(origin, "empty file; nothing to read", failed=True)
            return
        if looks_binary(head):
            message = f"binary file, not an article; newsdesk reads {SUPPORTED_LIST}"
            yield ReadNote(origin, message, failed=True)
            return
        lines = iter(stream)
        while True:
            try:
                raw = next(lines)
            except StopIteration:
                break
            except (OSError, EOFError, zlib.error) as error:
                yield _broken_stream_note(origin, line_number, compressed, error)
                blank = False  # the note above says what happened
                break
            line_number += 1
            if not raw.strip():
                continue
            line, encoding = decode_text(raw)
            if blank and _is_question_set(line):
                # seeds/ keeps its question sets beside its articles: say so once
                message = 'a question set (lines have "question", not "text"); not ingested'
                yield ReadNote(origin, message, failed=False)
                return
            blank = False
            if encoding:
                recoded.append((line_number, encoding))
            problem, notes = _jsonl_article(f"{origin}:{line_number}", line, max_file_bytes)
            if problem:
                bad_lines += 1
                if bad_lines <= _MAX_NOTED_LINES:
                    yield ReadNote(f"{origin}:{line_number}", problem, failed=True)
                else:
                    unlisted.append(line_number)
            yield from notes
    if blank:
        yield ReadNote(origin, "file holds only whitespace; nothing to read", failed=True)
    if unlisted:
        first = ", ".join(str(number) for number in unlisted[:5])
        message = (
            f"{len(unlisted)} more bad lines not listed one by one (lines {first}"
            f"{', ...' if len(unlisted) > 5 else ''}); fix or remove them"
        )
        yield ReadNote(origin, message, failed=True)
    if recoded:
        first_line, encoding = recoded[0]
        message = (
            f"{len(recoded)} line(s) not UTF-8, read as {encoding} (first at line {first_line}); "
            "if letters look wrong, save the file as UTF-8"
        )
        yield ReadNote(origin, message, failed=False)


def _open_binary(path: Path, compressed: bool) -> io.BufferedIOBase:
    return gzip.open(path, "rb") if compressed else path.open("rb")


def _jsonl_article(
    origin: str, line: str, max_file_bytes: int
) -> tuple[str, list[Article | ReadNote]]:
    """Why one JSONL line cannot be read ("" if it can), and what it yields."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return f"not valid JSON ({error.msg} at column {error.colno}); fix or remove the line", []
    if not isinstance(record, dict):
        return (
            f'a JSON {_json_kind(record)}, not an object with a "text" field; '
            "fix or remove the line"
        ), []
    text = record.get("text")
    if text is None:
        return 'no "text" field; each line needs the article text in "text"', []
    if not isinstance(text, str):
        return f'"text" is a JSON {_json_kind(text)}, not a string; fix or remove the line', []
    text = normalise_text(text)
    if not text:
        return '"text" is empty; fix or remove the line', []
    if len(text) > max_file_bytes // 4 and len(text.encode("utf-8")) > max_file_bytes:
        size = len(text.encode("utf-8"))
        return (
            f"text is {human_size(size)}, over the {limit_text(max_file_bytes)} limit for one "
            "article; split it into several articles"
        ), []
    return "", list(make_article(origin, text, record))


def _json_kind(value: Any) -> str:
    kinds = {
        dict: "object",
        list: "list",
        str: "string",
        bool: "boolean",
        int: "number",
        float: "number",
    }
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def _broken_stream_note(
    origin: str, lines_read: int, compressed: bool, error: Exception
) -> ReadNote:
    # gzip says so only in its message; the first read is where a plain file shows
    if lines_read == 0 and isinstance(error, gzip.BadGzipFile) and "Not a gzip" in str(error):
        message = "not gzip-compressed; if it holds plain JSON lines, rename it to .jsonl"
        return ReadNote(origin, message, failed=True)
    if compressed:
        message = (
            f"gzip data is corrupt or truncated at line {lines_read + 1}; the {lines_read} "
            "lines before it were read; download or compress the file again"
        )
    else:
        message = f"reading stopped at line {lines_read + 1}: {os_reason(error)}"
    return ReadNote(f"{origin}:{lines_read + 1}", message, failed=True)


def _is_question_set(line: str) -> bool:
    """Whether a JSONL line is an evaluation question rather than an article.

    >>> _is_question_set('{"id": "q1", "question": "Who?"}')
    True
    >>> _is_question_set('{"question": "Who?", "text": "An article."}')
    False
    """
    try:
        record = json.loads(line)
    except ValueError:
        return False
    return isinstance(record, dict) and "question" in record and "text" not in record
