"""Read article files (.txt, .md, .html, .jsonl, .jsonl.gz) into `Article`s.

Bad input never stops a run: each file, or each JSONL line, that cannot be read
becomes a `ReadNote` saying what was wrong and what to do, and reading goes on.
"""

from __future__ import annotations

import codecs
import errno
import gzip
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from index._html import extract_html
from index._markdown import parse_markdown
from index.records import Article, ReadNote, text_hash

SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".txt",
    ".md",
    ".markdown",
    ".html",
    ".htm",
    ".jsonl",
    ".jsonl.gz",
)
_SUPPORTED_LIST = ", ".join(SUPPORTED_SUFFIXES)
_MAX_NOTED_LINES = 20  # bad JSONL lines reported one by one; the rest are counted
_BINARY_SAMPLE = 8192
# every byte that plain text holds; the others are control characters
_TEXT_BYTES = bytes(b for b in range(256) if (b >= 32 and b != 127) or b in b"\t\n\r\x0c")
_TXT_HEADER = re.compile(r"^(date|source|url|authors?)\s*:\s*(\S.*)$", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_MONTH_STARTS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(\d{{4}})\b", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+(\d{{4}})\b", re.IGNORECASE)
_YEAR_FIRST = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])")
_YEAR_LAST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def read_paths(
    paths: Iterable[str | Path], *, max_file_bytes: int = 20_000_000
) -> Iterator[Article | ReadNote]:
    """Read every article under `paths`, with a note for each input that needs one.

    Directories are walked recursively in sorted order, skipping hidden entries,
    symlinked directories and files of unsupported types.

    Args:
        paths: files and directories, read in the order given.
        max_file_bytes: the largest .txt/.md/.html file, or JSONL article text, accepted.
    """
    for given in paths:
        # a file is known by its resolved absolute path: two notes.txt in two folders are
        # two articles, and a link and its target are one
        path = Path(os.path.realpath(given))
        origin = str(path)
        try:
            mode = path.stat().st_mode
        except OSError as error:
            yield ReadNote(origin, _os_reason(error), failed=True)
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
                message = f"no article files in this directory (newsdesk reads {_SUPPORTED_LIST})"
                yield ReadNote(origin, message, failed=False)
        elif not stat.S_ISREG(mode):
            yield ReadNote(origin, "not a regular file or directory; nothing read", failed=True)
        elif _suffix(path.name) is None:
            message = (
                f"unsupported file type '{path.suffix or path.name}'; newsdesk reads "
                f"{_SUPPORTED_LIST} (convert it to one of these)"
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
        yield ReadNote(str(directory), _os_reason(error), failed=True)
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
                yield ReadNote(str(path), _os_reason(error), failed=True)
                continue
            if is_file:
                yield Path(os.path.realpath(path)) if entry.is_symlink() else path


def _suffix(name: str) -> str | None:
    lowered = name.lower()
    return next((suffix for suffix in SUPPORTED_SUFFIXES if lowered.endswith(suffix)), None)


def _read_file(path: Path, max_file_bytes: int) -> Iterator[Article | ReadNote]:
    suffix = _suffix(path.name)
    if suffix in (".jsonl", ".jsonl.gz"):
        yield from _read_jsonl(path, max_file_bytes, compressed=suffix == ".jsonl.gz")
    else:
        yield from _read_document(path, max_file_bytes)


def _read_document(path: Path, max_file_bytes: int) -> Iterator[Article | ReadNote]:
    """One article from a .txt, .md or .html file."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_file_bytes:
            message = (
                f"file is {_size(size)}, over the {_limit(max_file_bytes)} limit for one "
                "article; split it into several files"
            )
            yield ReadNote(origin, message, failed=True)
            return
        data = path.read_bytes()
    except OSError as error:
        yield ReadNote(origin, _os_reason(error), failed=True)
        return
    if not data:
        yield ReadNote(origin, "empty file; nothing to read", failed=True)
        return
    is_html = path.name.lower().endswith((".html", ".htm"))
    decoded = _decode(data, _declared_charset(data) if is_html else None)
    if decoded is None:
        message = f"binary file, not an article; newsdesk reads {_SUPPORTED_LIST}"
        yield ReadNote(origin, message, failed=True)
        return
    text, encoding = decoded
    if encoding:
        yield ReadNote(origin, _encoding_warning(encoding), failed=False)
    text = _normalise_text(text)
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
    yield from _make_article(origin, body, fields)


def split_txt(text: str) -> tuple[str, str, dict[str, str]]:
    """Title, body and `key: value` header of a plain-text article.

    The first non-empty line is the title. A next paragraph that repeats the title
    is dropped; one made only of `Date:`, `Source:`, `URL:` or `Author(s):` lines is
    the header.

    >>> split_txt("Rain\\n\\nRain\\n\\nDate: 2022-06-16\\n\\nIt rained.\\n\\nA lot.")
    ('Rain', 'It rained.\\n\\nA lot.', {'date': '2022-06-16'})
    """
    title, _, rest = text.strip().partition("\n")
    title = title.strip()
    rest = rest.strip()
    first, _, after = rest.partition("\n\n")
    if first.strip() == title:
        rest = after.strip()
        first, _, after = rest.partition("\n\n")
    header_lines = [_TXT_HEADER.match(line.strip()) for line in first.split("\n")]
    header: dict[str, str] = {}
    if first and all(header_lines):
        for match in header_lines:
            if match:
                key = match.group(1).lower()
                header["authors" if key == "author" else key] = match.group(2).strip()
        rest = after.strip()
    return title, rest, header


SIDECAR_SUFFIX = ".meta.json"
SIDECAR_FIELDS = ("title", "date", "source", "url", "authors")
_MAX_SIDECAR_BYTES = 64_000


def sidecar_path(path: Path) -> Path:
    """Where the metadata of a .txt article lives: the same name, `.meta.json` for `.txt`.

    >>> sidecar_path(Path("seeds/000_ab.txt")).as_posix()
    'seeds/000_ab.meta.json'
    """
    return path.with_name(path.name[: -len(".txt")] + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> tuple[dict[str, Any], list[ReadNote]]:
    """The metadata in the `.meta.json` file beside a .txt article, if there is one.

    A JSON object with any of title, date, source, url and authors; its values win
    over the text's own header. A sidecar that cannot be used is a warning, and the
    article is read without it: the text is still worth indexing.
    """
    meta = sidecar_path(path)
    origin = str(meta)
    try:
        if meta.stat().st_size > _MAX_SIDECAR_BYTES:
            return {}, [ReadNote(origin, "sidecar over 64 kB; read without it", failed=False)]
        raw = meta.read_text(encoding="utf-8-sig")  # editors on Windows add a BOM
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError) as error:
        reason = _os_reason(error) if isinstance(error, OSError) else "not UTF-8"
        return {}, [ReadNote(origin, f"sidecar not read ({reason}); read without it", False)]
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        message = (
            f"sidecar is not JSON ({error.msg}, line {error.lineno}); read the article "
            'without it: write {"date": "YYYY-MM-DD", "source": "...", "url": "https://..."}'
        )
        return {}, [ReadNote(origin, message, failed=False)]
    if not isinstance(data, dict):
        message = f"sidecar must be a JSON object of {', '.join(SIDECAR_FIELDS)}; read without it"
        return {}, [ReadNote(origin, message, failed=False)]
    notes = []
    unknown = sorted(set(data) - set(SIDECAR_FIELDS))
    if unknown:
        message = (
            f"sidecar field(s) {', '.join(unknown)} ignored; it takes {', '.join(SIDECAR_FIELDS)}"
        )
        notes.append(ReadNote(origin, message, failed=False))
    return {key: data[key] for key in SIDECAR_FIELDS if key in data}, notes


def _read_jsonl(
    path: Path, max_file_bytes: int, *, compressed: bool
) -> Iterator[Article | ReadNote]:
    """One article per line; a bad line is noted and skipped, the rest still read."""
    origin = str(path)
    try:
        stream = _open_binary(path, compressed)
    except OSError as error:
        yield ReadNote(origin, _os_reason(error), failed=True)
        return
    bad_lines = 0
    unlisted: list[int] = []  # bad lines beyond the ones noted one by one
    recoded: list[tuple[int, str]] = []  # (line, encoding) of lines that were not UTF-8
    line_number = 0
    blank = True  # only blank lines so far
    with stream:
        try:
            head = stream.read(_BINARY_SAMPLE)
            stream.seek(0)
        except (OSError, EOFError, zlib.error) as error:
            yield _broken_stream_note(origin, 0, compressed, error)
            return
        if not head:
            yield ReadNote(origin, "empty file; nothing to read", failed=True)
            return
        if _looks_binary(head):
            message = f"binary file, not an article; newsdesk reads {_SUPPORTED_LIST}"
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
            line, encoding = _decode_text(raw)
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
    text = _normalise_text(text)
    if not text:
        return '"text" is empty; fix or remove the line', []
    if len(text) > max_file_bytes // 4 and len(text.encode("utf-8")) > max_file_bytes:
        size = len(text.encode("utf-8"))
        return (
            f"text is {_size(size)}, over the {_limit(max_file_bytes)} limit for one article; "
            "split it into several articles"
        ), []
    return "", list(_make_article(origin, text, record))


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
        message = f"reading stopped at line {lines_read + 1}: {_os_reason(error)}"
    return ReadNote(f"{origin}:{lines_read + 1}", message, failed=True)


def _make_article(origin: str, text: str, fields: dict[str, Any]) -> Iterator[Article | ReadNote]:
    """Normalise a record's metadata into an `Article`, with a warning for each value dropped."""
    notes: list[ReadNote] = []
    raw_date = fields.get("date")
    article_date = parse_date(raw_date) if isinstance(raw_date, str) else None
    if raw_date not in (None, "") and article_date is None:
        notes.append(
            ReadNote(
                origin,
                f"date {raw_date!r} not understood; read without a date (write it as YYYY-MM-DD)",
                failed=False,
            )
        )
    url = _plain(fields.get("url"))
    if url and urlsplit(url).scheme.lower() not in ("http", "https"):
        notes.append(
            ReadNote(
                origin,
                f"url {url[:80]!r} is not an http(s) address; read without it",
                failed=False,
            )
        )
        url = ""
    raw_id = fields.get("id")
    article_id = _plain(raw_id) if not isinstance(raw_id, bool) else ""
    yield from notes
    yield Article(
        id=article_id or text_hash(text),
        text=text,
        title=" ".join(_plain(fields.get("title")).split()),
        date=article_date,
        source=_plain(fields.get("source")) or host_of(url),
        url=url,
        authors=split_authors(fields.get("authors", fields.get("author"))),
        origin=origin,
    )


def _plain(value: Any) -> str:
    """A JSON/front-matter scalar as stripped text; anything else as ""."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def parse_date(value: str) -> str | None:
    """An ISO `YYYY-MM-DD` date from the common ways news writes one, else None.

    The calendar date is taken as written, not converted to UTC: an article dated
    23:30 in New York was published on that day there.

    >>> [parse_date(v) for v in ("2022-06-16T10:00:00Z", "June 16, 2022", "16 Jun 2022")]
    ['2022-06-16', '2022-06-16', '2022-06-16']
    >>> [parse_date(v) for v in ("Thu, 16 Jun 2022 10:00:00 GMT", "06/16/2022", "03/04/2022")]
    ['2022-06-16', '2022-06-16', None]
    """
    value = value.strip()
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        pass
    parts: tuple[str, str, str] | None = None
    if match := _YEAR_FIRST.match(value):
        parts = (match.group(1), match.group(2), match.group(3))
    elif match := _MONTH_DAY_YEAR.search(value):
        parts = (
            match.group(3),
            str(_MONTH_STARTS.index(match.group(1)[:3].lower()) + 1),
            match.group(2),
        )
    elif match := _DAY_MONTH_YEAR.search(value):
        parts = (
            match.group(3),
            str(_MONTH_STARTS.index(match.group(2)[:3].lower()) + 1),
            match.group(1),
        )
    elif match := _YEAR_LAST.match(value):
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            parts = (match.group(3), match.group(2), match.group(1))
        elif second > 12 >= first:
            parts = (match.group(3), match.group(1), match.group(2))
        # both at most 12: day-month or month-day cannot be told apart
    if parts is None:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except ValueError:
        return None


def host_of(url: str) -> str:
    """The site a url belongs to, without `www.`.

    >>> host_of("https://www.cnn.com/2022/06/12/media/index.html")
    'cnn.com'
    """
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def split_authors(value: Any) -> tuple[str, ...]:
    """Author names from a list, or from one string joined by `,`, `;`, `&` or `and`.

    >>> split_authors("By Jane Doe, John Roe and Ann Poe")
    ('Jane Doe', 'John Roe', 'Ann Poe')
    >>> split_authors(["Jane Doe", "", 7])
    ('Jane Doe',)
    """
    if isinstance(value, str):
        names = re.split(
            r"\s*(?:[,;&]|\band\b)\s*", re.sub(r"^by\s+", "", value.strip(), flags=re.I)
        )
    elif isinstance(value, list | tuple):
        names = [item for item in value if isinstance(item, str)]
    else:
        return ()
    cleaned = (" ".join(name.split()) for name in names)
    return tuple(dict.fromkeys(name for name in cleaned if name))


def _normalise_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than one byte in twenty of the opening a control character.

    >>> _looks_binary(b"plain text\\n"), _looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    (False, True)
    """
    if b"\x00" in data:
        return True
    sample = data[:_BINARY_SAMPLE]
    controls = len(sample.translate(None, _TEXT_BYTES))
    return controls * 20 > len(sample)


def _decode(data: bytes, declared: str | None) -> tuple[str, str] | None:
    """The text of a file and the encoding used if it was not UTF-8; None if it is binary."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            return None
    if _looks_binary(data):
        return None
    if declared:
        try:
            # a declared charset is what the page is written in, so no warning is due
            return data.decode("utf-8-sig" if declared == "utf-8" else declared), ""
        except UnicodeDecodeError:
            pass
    return _decode_text(data)


def _decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8, else the encodings a Western news text most likely used, with its name."""
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252 (Windows-1252)"
    except UnicodeDecodeError:
        # latin-1 maps every byte, so this always succeeds
        return data.decode("latin-1"), "latin-1"


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def _encoding_warning(encoding: str) -> str:
    return f"not UTF-8: read as {encoding}; if letters look wrong, save the file as UTF-8"


def _os_reason(error: Exception) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file or directory; check the path"
    if isinstance(error, PermissionError):
        return "permission denied; check who may read it"
    if isinstance(error, OSError) and error.errno == errno.ELOOP:
        return "a symbolic link that loops back on itself; fix or remove the link"
    reason = error.strerror if isinstance(error, OSError) and error.strerror else "read error"
    return f"cannot be read ({reason.lower()})"


def _missing_package(error: ImportError) -> str:
    """What to install when reading needs a package the environment lacks.

    >>> _missing_package(ImportError("lxml.html.clean module is now a separate project "
    ...     "lxml_html_clean. Install lxml[html_clean] or lxml_html_clean directly."))
    "cannot read HTML: the Python package 'lxml_html_clean' is missing; pip install lxml_html_clean"
    """
    text = str(error)
    # lxml names its split-off cleaner only in the message
    name = "lxml_html_clean" if "lxml_html_clean" in text else (error.name or "").split(".")[0]
    if not name:
        return f"cannot read HTML: a Python package is missing ({text}); reinstall newsdesk"
    return f"cannot read HTML: the Python package '{name}' is missing; pip install {name}"


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1_000_000 else f"{size:,} bytes"


def _limit(limit: int) -> str:
    return f"{limit / 1e6:g} MB" if limit >= 1_000_000 else f"{limit:,}-byte"


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
