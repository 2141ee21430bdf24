"""Read RSS and Atom feeds into `Article`s, one per item.

A feed is parsed from bytes already in hand: nothing here reaches the network or the
disk. An item's text is its full content where the feed gives it, else its summary
(and one note per feed says how many items were only summaries).
"""

from __future__ import annotations

import codecs
import html
import io
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from index.readers.decoding import normalise_text
from index.readers.html import extract_html
from index.readers.metadata import make_article, parse_date
from index.records import Article, ReadNote

FEED_TYPES: tuple[str, ...] = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    # the older names, which servers still send (Python's own file server among them)
    "application/x-rss+xml",
    "application/x-atom+xml",
)
# the root element after the XML declaration, comments, processing instructions and doctype
_FEED_ROOT = re.compile(
    rb"\s*(?:(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)\s*)*<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)\b",
    re.DOTALL | re.IGNORECASE,
)
_SNIFF_BYTES = 4096
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# RSS <author> is an e-mail address, often "jane@bugle.com (Jane Doe)"
_EMAIL_WITH_NAME = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")
_NAME_WITH_EMAIL = re.compile(r"^\s*([^<>@]+?)\s*<\S+@\S+>\s*$")
_EMAIL = re.compile(r"^\s*\S+@\S+\s*$")
_LINE_END = re.compile(r":\d+$")  # what the catalog takes for "file.jsonl:12"
_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p pre section table td th tr ul".split()
)
_DROPPED_TAGS = ("script", "style", "noscript", "template", "iframe")
_NOTED_TITLES = 3  # skipped items named in a note; the rest are counted


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """Whether `data` is an RSS or Atom feed, judged by its media type or its root element.

    >>> looks_like_feed(b'<?xml version="1.0"?>\\n<!-- hi --><rss version="2.0">')
    True
    >>> looks_like_feed(b'<feed xmlns="http://www.w3.org/2005/Atom">'), looks_like_feed(b"<html>")
    (True, False)
    >>> looks_like_feed(b"", "application/atom+xml; charset=utf-8")
    True
    """
    if content_type.split(";")[0].strip().lower() in FEED_TYPES:
        return True
    head = data[:_SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return _FEED_ROOT.match(head.removeprefix(codecs.BOM_UTF8)) is not None


def read_feed(
    data: bytes, origin: str, *, feed_url: str = "", content_type: str = ""
) -> Iterator[Article | ReadNote]:
    """The items of an RSS or Atom feed as articles, with a note for each problem.

    An item's id is the hash of its text, as for any article without an id of its own,
    so re-reading an unchanged feed gives the same articles. Its origin is the feed's
    origin, `#`, and the item's guid (else its link, else its title), which stays put
    when the feed gains or loses items.

    Args:
        data: the feed document as bytes (it is never fetched from a URL or a path).
        origin: where the feed came from (a path or the URL asked for); notes name it.
        feed_url: the address the feed was served from, against which relative item
            links are resolved.
        content_type: the HTTP Content-Type it was served with, for its charset.
    """
    try:
        import feedparser
    except ImportError:
        message = (
            "cannot read feeds: the Python package 'feedparser' is missing; pip install feedparser"
        )
        yield ReadNote(origin, message, failed=True)
        return
    if not data.strip():
        yield ReadNote(origin, "empty feed; nothing to read", failed=True)
        return
    charset = content_charset(content_type)
    headers = {"content-type": "application/xml" + (f"; charset={charset}" if charset else "")}
    if feed_url:
        headers["content-location"] = feed_url
    # a stream, never bytes: feedparser opens bytes that name an existing file
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    entries = parsed.get("entries", [])
    if not parsed.get("version") or (not entries and parsed.get("bozo")):
        yield ReadNote(origin, _not_a_feed(data, parsed), failed=True)
        return
    if not entries:
        yield ReadNote(origin, "the feed has no items yet; nothing to index", failed=False)
        return
    source = _plain_text(parsed.feed.get("title", ""), parsed.feed.get("title_detail"))
    site = str(parsed.feed.get("link") or "")  # where a local feed file's relative links lead
    readable: list[tuple[str, str, dict[str, Any]]] = []  # (origin, text, fields)
    summaries = 0
    skipped: list[str] = []
    for position, entry in enumerate(entries, start=1):
        text, is_summary = _entry_text(entry)
        title = _plain_text(entry.get("title", ""), entry.get("title_detail"))
        if not text:
            skipped.append(title or entry.get("link") or f"item {position}")
            continue
        summaries += is_summary
        fields = {
            "title": title,
            "date": _entry_date(entry),
            "source": source,
            "url": _entry_link(entry, site),
            "authors": _entry_authors(entry),
        }
        key = entry.get("id") or entry.get("link") or title or str(position)
        readable.append((item_origin(origin, key), text, fields))
    if parsed.get("bozo"):
        error = parsed.get("bozo_exception")
        if not readable:
            yield ReadNote(origin, _not_a_feed(data, parsed), failed=True)
            return
        yield ReadNote(origin, _broken_feed(data, error, len(readable)), failed=False)
    for item, text, fields in readable:
        yield from make_article(item, text, fields)
    if skipped:
        yield _skipped_note(origin, skipped, len(entries))
    if summaries:
        message = (
            f"feed gives only summaries for {summaries} of {len(readable)} items; they are "
            "indexed as summaries, open the links for full text"
        )
        yield ReadNote(origin, message, failed=False)


def item_origin(feed_origin: str, key: str) -> str:
    """The origin of one feed item: the feed's origin, `#`, and the item's guid or link.

    A key ending in `:<digits>` has that colon escaped, so the item is not taken for
    line 42 of a JSON lines file.

    >>> item_origin("https://bugle.example/feed.xml", "https://bugle.example/news/budget")
    'https://bugle.example/feed.xml#https://bugle.example/news/budget'
    >>> item_origin("feed.xml", "tag:bugle.example,2022:42")
    'feed.xml#tag:bugle.example,2022%3A42'
    """
    key = " ".join(key.split())
    if _LINE_END.search(key):
        head, _, number = key.rpartition(":")
        key = f"{head}{quote(':')}{number}"
    return f"{feed_origin}#{key}"


def fragment_text(fragment: str) -> str:
    """The text of an HTML fragment from a feed, one paragraph per block.

    Trafilatura, as for a web page, where it keeps at least 80% of the fragment's words:
    it drops share boxes and captions and keeps inline links in their sentence. A plain
    strip of the tags otherwise: a fragment of one block is too little for trafilatura
    (it logs an error and finds nothing), and where it drops more, it drops article
    text, such as the lists of a story's key points.

    >>> fragment_text("<p>The council <b>voted</b>.</p><p>It was late.<br>Very late.</p>")
    'The council voted.\\n\\nIt was late.\\n\\nVery late.'
    """
    root = _parse_fragment(fragment)
    stripped = _root_text(root) if root is not None else _strip_roughly(fragment)
    if root is None or len(root) < 2 or not stripped:
        return stripped
    try:
        page = extract_html(fragment)
    except ImportError:  # an install that lacks one of trafilatura's parts
        return stripped
    extracted = page.text if page else ""
    if len(extracted.split()) * 5 < len(stripped.split()) * 4:
        return stripped
    return extracted


def strip_tags(fragment: str) -> str:
    """The text of an HTML fragment without its tags, scripts and styles.

    >>> strip_tags("Rain <i>all</i> day<script>x()</script><ul><li>one</li><li>two</li></ul>")
    'Rain all day\\n\\none\\n\\ntwo'
    """
    root = _parse_fragment(fragment)
    return _root_text(root) if root is not None else _strip_roughly(fragment)


def _parse_fragment(fragment: str) -> Any:
    """The fragment as the children of one <div>; None when lxml cannot parse it."""
    import lxml.etree
    import lxml.html

    if not fragment.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return None


def _root_text(root: Any) -> str:
    for dropped in list(root.iter(*_DROPPED_TAGS)):
        dropped.drop_tree()  # its tail, the text after it, stays
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments: text_content() leaves them out
            continue
        if element.tag in _BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
        elif element.tag == "br":
            element.tail = "\n" + (element.tail or "")
    return _normalise_paragraphs(root.text_content())


def _strip_roughly(fragment: str) -> str:
    return _normalise_paragraphs(html.unescape(re.sub(r"<[^>]*>", " ", fragment)))


def _normalise_paragraphs(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n\n".join(line for line in lines if line)


def _entry_text(entry: Any) -> tuple[str, bool]:
    """An item's text and whether it is only the summary; "" when it has none."""
    for content in entry.get("content") or ():
        text = _detail_text(content.get("value", ""), content.get("type", ""))
        if text:
            return text, False
    summary = entry.get("summary", "")
    detail = entry.get("summary_detail") or {}
    return _detail_text(summary, detail.get("type", "text/html")), True


def _detail_text(value: str, media_type: str) -> str:
    if not value or not value.strip():
        return ""
    if media_type == "text/plain":
        return normalise_text(value)
    return fragment_text(value)


def _plain_text(value: str, detail: Any) -> str:
    """A title as one line of text; feeds may write titles as HTML."""
    if detail and detail.get("type") in ("text/html", "application/xhtml+xml") and "<" in value:
        value = strip_tags(value)
    return " ".join(value.split())


def _entry_date(entry: Any) -> str:
    """The item's date as written; where only feedparser understands it, its UTC date."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        if parse_date(raw):
            return str(raw)
        parsed = entry.get(f"{key}_parsed")
        if isinstance(parsed, time.struct_time):
            return time.strftime("%Y-%m-%d", parsed)
        return str(raw)  # make_article says it is not understood
    return ""


def _entry_link(entry: Any, site: str) -> str:
    link = str(entry.get("link") or "")
    if link and not urlsplit(link).scheme and urlsplit(site).scheme in ("http", "https"):
        link = urljoin(site, link)
    # an Atom entry without a link gets its id ("urn:uuid:...") as link from feedparser
    if link and link == entry.get("id") and urlsplit(link).scheme not in ("http", "https"):
        return ""
    return link


def _entry_authors(entry: Any) -> str | list[str]:
    """The item's author names; an e-mail address alone is not a name."""
    authors = [a for a in entry.get("authors") or () if isinstance(a, dict)]
    if len(authors) > 1:
        return [str(a.get("name") or "") for a in authors]
    raw = str(entry.get("author") or "")
    if match := _EMAIL_WITH_NAME.match(raw) or _NAME_WITH_EMAIL.match(raw):
        return match.group(1)
    return "" if _EMAIL.match(raw) else raw


def content_charset(content_type: str) -> str | None:
    """The charset a Content-Type names, by its codec's name; None when none or unknown.

    >>> content_charset("text/html; charset=ISO-8859-1"), content_charset("text/html")
    ('iso8859-1', None)
    """
    match = _CHARSET.search(content_type)
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1)).name
    except LookupError:
        return None


def _not_a_feed(data: bytes, parsed: Any) -> str:
    error = parsed.get("bozo_exception")
    if parsed.get("bozo") and error is not None and hasattr(error, "getLineNumber"):
        return (
            f"not a readable RSS or Atom feed: the XML is broken {_sax_reason(data, error)}; "
            "check the address gives the feed itself"
        )
    root = re.search(rb"<([A-Za-z_][\w.:-]*)", data[:_SNIFF_BYTES])
    found = f" (it starts with <{root.group(1).decode('ascii', 'replace')}>)" if root else ""
    return (
        f"not an RSS or Atom feed{found}; give the address of the site's feed, often "
        "linked as RSS or ending in /feed, /rss or .xml"
    )


def _broken_feed(data: bytes, error: Any, read: int) -> str:
    if error is not None and hasattr(error, "getLineNumber"):
        items = "the item" if read == 1 else f"the {read} items"
        return (
            f"the feed's XML is broken {_sax_reason(data, error)}; {items} before the break "
            f"{'was' if read == 1 else 'were'} read, the last may be cut short"
        )
    if type(error).__name__ == "CharacterEncodingOverride":
        return "the feed's declared encoding is wrong; read as best it could be"
    return f"the feed is not quite valid ({error}); read as best it could be"


def _sax_reason(data: bytes, error: Any) -> str:
    """Where the XML broke and why, by the line of `data` it broke on."""
    message = str(error.getMessage()) if hasattr(error, "getMessage") else str(error)
    line = error.getLineNumber()
    head = data[:64]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    # feedparser puts an XML declaration and a line break before a document without one
    if not head.removeprefix(codecs.BOM_UTF8).startswith(b"<?xml"):
        line = max(1, line - 1)
    return f"at line {line} ({message})"


def _skipped_note(origin: str, skipped: list[str], total: int) -> ReadNote:
    named = ", ".join(f"“{title}”" for title in skipped[:_NOTED_TITLES])
    more = f" and {len(skipped) - _NOTED_TITLES} more" if len(skipped) > _NOTED_TITLES else ""
    if len(skipped) == total:
        message = (
            f"none of the feed's {total} items has any text (no content, no summary): "
            f"{named}{more}; nothing to index, fetch the item links instead"
        )
        return ReadNote(origin, message, failed=True)
    message = (
        f"{len(skipped)} of {total} items {'has' if len(skipped) == 1 else 'have'} no text "
        f"(no content, no summary) and {'was' if len(skipped) == 1 else 'were'} skipped: "
        f"{named}{more}"
    )
    return ReadNote(origin, message, failed=False)
