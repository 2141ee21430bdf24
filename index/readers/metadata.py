"""Article metadata as records give it, normalised: ISO dates, hosts, author lists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from index.records import Article, ReadNote, text_hash

_MONTH_STARTS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def month_number(name: str) -> int:
    """The month (1-12) a month's name or its abbreviation names.

    >>> month_number("October"), month_number("Sept.")
    (10, 9)
    """
    return _MONTH_STARTS.index(name[:3].lower()) + 1


_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)


_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"


_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(\d{{4}})\b", re.IGNORECASE)


_DAY_MONTH_YEAR = re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+(\d{{4}})\b", re.IGNORECASE)


_YEAR_FIRST = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])")


_YEAR_LAST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def make_article(origin: str, text: str, fields: dict[str, Any]) -> Iterator[Article | ReadNote]:
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
            str(month_number(match.group(1))),
            match.group(2),
        )
    elif match := _DAY_MONTH_YEAR.search(value):
        parts = (
            match.group(3),
            str(month_number(match.group(2))),
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
