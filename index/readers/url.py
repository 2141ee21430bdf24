"""Fetch a web page or a feed by its URL and read it into `Article`s.

Nothing is fetched unless `fetch_url` is called. Every problem (no answer, a refused
connection, HTTP 404, a PDF, a body too big, robots.txt saying no) is one `ReadNote`
naming the address and what to do; nothing is raised for a bad address or a bad server.
"""

from __future__ import annotations

import codecs
import functools
import re
import socket
import ssl
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from index.readers.decoding import declared_charset, decode, normalise_text
from index.readers.feed import FEED_TYPES, content_charset, looks_like_feed, read_feed
from index.readers.html import extract_html
from index.readers.metadata import make_article
from index.readers.notes import _missing_package
from index.records import Article, ReadNote

if TYPE_CHECKING:
    import httpx

MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: crawlers read at least the first 500 KiB
HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = ("application/xml", "text/xml")
# served under a name that says nothing: the body is looked at to tell a feed or a page
_SNIFFED_TYPES = ("", "text/plain", "application/octet-stream", "binary/octet-stream")
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,*/*;q=0.1"
)
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_SUPPORTED = "newsdesk fetches web pages (HTML) and RSS or Atom feeds"
_KINDS = {
    "application/pdf": "a PDF; save its text as a .txt file and ingest that",
    "application/json": "JSON; if it holds articles, save them as .jsonl, one per line",
}


def is_url(arg: str) -> bool:
    """Whether a command-line argument is an address (`scheme://...`) rather than a path.

    Any scheme counts, so that `ftp://...` is told it cannot be fetched instead of
    being looked for as a file.

    >>> [is_url(a) for a in ("https://bugle.example/a", "ftp://x/y", "notes/a.txt", "C:\\\\a")]
    [True, True, False, False]
    """
    return _URL_LIKE.match(arg.strip()) is not None


@functools.cache
def user_agent() -> str:
    """What newsdesk calls itself to web servers, and the name robots.txt rules match."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("newsdesk")
    except PackageNotFoundError:
        installed = "dev"
    return f"newsdesk/{installed} (+https://github.com/newsdesk)"


def fetch_url(
    url: str,
    *,
    timeout: float = 10.0,
    max_bytes: int = 20 * 2**20,
    client: httpx.Client | None = None,
) -> Iterator[Article | ReadNote]:
    """The article of a web page, or the items of a feed, at `url`.

    A page is read as a saved .html file is (trafilatura's main text and metadata); a
    feed (RSS or Atom by its Content-Type, or XML whose root is one) as `read_feed`
    reads it. Anything else is one failed note naming its type.

    - The article's `url` is the address the page was finally served from, after
      redirects (a shortened or tracking link becomes the article's own address; the
      page's canonical link is not used, since sites get it wrong); its `origin` is
      the `url` given, so fetching the same address again names the same article.
    - robots.txt is read first, from every host along the redirects, and obeyed for
      the `newsdesk` user agent as RFC 9309 says: a robots.txt that is missing (any
      4xx, 401 and 403 included) allows everything; one whose server fails (5xx)
      forbids everything for now, since the site's rules cannot be known and it may
      be overloaded, and the note says to try later; a host that cannot be reached
      or does not answer in time is reported as that, not as a robots.txt problem.
    - Up to 5 redirects are followed, each to http(s) only.
    - The body is streamed and abandoned past `max_bytes`, whatever Content-Length says.
    - Nothing is sent until the returned iterator is read.

    Args:
        url: an http:// or https:// address.
        timeout: seconds the whole fetch may take, robots.txt and redirects included.
        max_bytes: the largest body read, counted after decompression.
        client: an httpx client to send requests with (its redirects are not used);
            by default one is made for this call and closed after it.
    """
    url = url.strip()
    origin = url
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"'{scheme}://' addresses" if scheme else "addresses without http(s)://"
        message = (
            f"{shown} cannot be fetched; give an http:// or https:// address, "
            "or a local file by its path"
        )
        yield ReadNote(origin, message, failed=True)
        return
    import httpx

    own_client = client is None
    if client is None:
        client = httpx.Client(follow_redirects=False)
    fetch = _Fetch(client, origin, timeout, max_bytes)
    try:
        final_url, content_type, body = fetch.get_page(url)
    except _Failed as failure:
        yield ReadNote(origin, failure.message, failed=True)
        return
    finally:
        if own_client:
            client.close()
    yield from _read_body(origin, final_url, content_type, body)


class _Failed(Exception):
    """Why a fetch stopped, as the one line its note says."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Fetch:
    """One call of `fetch_url`: its client, deadline and the robots.txt rules seen."""

    def __init__(self, client: httpx.Client, origin: str, timeout: float, max_bytes: int):
        self.client = client
        self.origin = origin
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.deadline = time.monotonic() + timeout
        self.robots: dict[str, RobotFileParser | None] = {}  # None: everything allowed

    def get_page(self, url: str) -> tuple[str, str, bytes]:
        """The final URL after redirects, its Content-Type and its body."""
        visited = [url]
        while True:
            self.check_robots(url)
            response = self.send(url)
            try:
                if response.has_redirect_location:
                    url = self.redirect(response, visited)
                    continue
                self.check_status(response, url)
                media_type = _media_type(response.headers.get("content-type", ""))
                if not _fetchable(media_type):
                    raise _Failed(self.at(url) + _unsupported(media_type))
                body = self.read_body(response, url, self.max_bytes, strict=True)
                return url, response.headers.get("content-type", ""), body
            finally:
                response.close()

    def redirect(self, response: httpx.Response, visited: list[str]) -> str:
        target = response.next_request
        if target is None:  # has_redirect_location promised one
            raise _Failed(f"a redirect without a usable Location, at {visited[-1]}")
        url = str(target.url)
        if target.url.scheme not in ("http", "https"):
            raise _Failed(
                f"redirected to {url[:120]}, which is not an http(s) address; "
                "open the address in a browser and save the page"
            )
        chain = " → ".join([*visited, url])
        if url in visited:
            raise _Failed(f"the redirects go round in a loop ({chain}); the site is misconfigured")
        if len(visited) > MAX_REDIRECTS:
            raise _Failed(
                f"more than {MAX_REDIRECTS} redirects ({chain}); open the address in a "
                "browser and give the address it ends at"
            )
        visited.append(url)
        return url

    def check_status(self, response: httpx.Response, url: str) -> None:
        status = response.status_code
        if 200 <= status < 300 and status not in (204, 205):
            return
        reason = f"HTTP {status} {response.reason_phrase}".strip()
        if status in (404, 410):
            advice = "no page at this address; check it for typos"
        elif status in (401, 403):
            advice = (
                "the site refused access; save the page from your browser and ingest the .html file"
            )
        elif status == 429:
            advice = "the site asks for fewer requests; try again later"
        elif status >= 500:
            advice = "the server failed; try again later"
        elif status in (204, 205):
            advice = "the server sent no content"
        elif status >= 400:
            advice = "the server rejected the request"
        else:
            advice = "not a status newsdesk can read a page from"
        raise _Failed(f"{self.at(url)}{reason}: {advice}")

    def check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self.robots:
            self.robots[site] = self.read_robots(site)
        rules = self.robots[site]
        if rules is not None and not rules.can_fetch(user_agent(), url):
            raise _Failed(
                f"{self.at(url)}the site's robots.txt ({site}/robots.txt) does not allow "
                "newsdesk to fetch this page; save the page from your browser and ingest "
                "the .html file"
            )

    def read_robots(self, site: str) -> RobotFileParser | None:
        """The robots.txt rules of `site`; None when it has none (everything allowed)."""
        robots_url = url = f"{site}/robots.txt"
        for _ in range(MAX_REDIRECTS + 1):
            response = self.send(url)
            try:
                if response.has_redirect_location and response.next_request is not None:
                    url = str(response.next_request.url)
                    if response.next_request.url.scheme not in ("http", "https"):
                        return None
                    continue
                status = response.status_code
                if status >= 500:
                    raise _Failed(
                        f"{robots_url} answered HTTP {status}, and a robots.txt that fails "
                        "forbids fetching anything from the site until it answers (RFC 9309); "
                        "try again later"
                    )
                if not 200 <= status < 300:
                    return None  # unavailable (4xx): no rules
                body = self.read_body(response, robots_url, ROBOTS_MAX_BYTES, strict=False)
            finally:
                response.close()
            rules = RobotFileParser(robots_url)
            rules.parse(body.decode("utf-8", errors="replace").splitlines())
            return rules
        return None  # more than 5 redirects: RFC 9309 lets it count as unavailable

    def send(self, url: str) -> httpx.Response:
        """The response to GET `url`, its body still to be streamed."""
        import httpx

        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise _Failed(self.too_slow(url))
        try:
            request = self.client.build_request(
                "GET",
                url,
                headers={"User-Agent": user_agent(), "Accept": _ACCEPT},
                timeout=httpx.Timeout(remaining),
            )
            return self.client.send(request, stream=True, follow_redirects=False)
        except httpx.TimeoutException:
            raise _Failed(self.too_slow(url)) from None
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise _Failed(self.at(url) + _transport_problem(error, url)) from None

    def read_body(self, response: httpx.Response, url: str, limit: int, *, strict: bool) -> bytes:
        """The body, read in chunks up to `limit`; past it, a failure (`strict`) or the cut."""
        import httpx

        declared = response.headers.get("content-length", "")
        if strict and declared.isdigit() and int(declared) > limit:
            raise _Failed(self.too_big(url, limit, f"Content-Length says {int(declared):,} bytes"))
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    if strict:
                        raise _Failed(self.too_big(url, limit, "stopped reading"))
                    chunks.append(chunk[: limit - size + len(chunk)])
                    break
                chunks.append(chunk)
                if time.monotonic() > self.deadline:
                    raise _Failed(self.too_slow(url, f" (sent {size:,} bytes)"))
        except httpx.TimeoutException:
            raise _Failed(self.too_slow(url, f" (sent {size:,} bytes)")) from None
        except httpx.HTTPError as error:
            raise _Failed(self.at(url) + _transport_problem(error, url)) from None
        return b"".join(chunks)

    def at(self, url: str) -> str:
        """ "at URL: " where a redirect made it another address than the one given."""
        return "" if url == self.origin else f"at {url}: "

    def too_slow(self, url: str, sent: str = "") -> str:
        return (
            f"{self.at(url)}no complete answer within {self.timeout:g} s{sent}; the site "
            "is slow or down, try again later or allow a longer timeout"
        )

    def too_big(self, url: str, limit: int, how: str) -> str:
        return (
            f"{self.at(url)}the response is over the {_binary_size(limit)} limit ({how}); a news "
            "page is far smaller, so this is likely not an article (raise max_bytes if it is)"
        )


def _transport_problem(error: Exception, url: str) -> str:
    """What a failed connection means, and what to do.

    >>> _transport_problem(ConnectionRefusedError(111, "Connection refused"), "http://a:81/")
    'connection refused by a:81; nothing answers there, check the address and port'
    """
    parts = urlsplit(url)
    host = parts.hostname or url
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return (
                f"the host name {host} could not be found (DNS); check the address for "
                "typos and that this machine is online"
            )
        if isinstance(cause, ConnectionRefusedError):
            port = parts.port or (443 if parts.scheme == "https" else 80)
            return (
                f"connection refused by {host}:{port}; nothing answers there, "
                "check the address and port"
            )
        if isinstance(cause, ssl.SSLCertVerificationError):
            return (
                f"the TLS certificate of {host} could not be verified "
                f"({cause.verify_message}); the site is misconfigured or not who it claims"
            )
        if isinstance(cause, ssl.SSLError):
            return f"the TLS connection to {host} failed ({cause.reason}); try http:// or later"
        cause = cause.__cause__ or cause.__context__
    text = str(error) or type(error).__name__
    if type(error).__name__ in ("InvalidURL", "UnsupportedProtocol", "LocalProtocolError"):
        return f"not a usable address ({text}); check it"
    if type(error).__name__ == "RemoteProtocolError":
        return f"the server broke off or garbled its answer ({text}); try again later"
    if type(error).__name__ == "DecodingError":
        return f"the server sent a corrupt compressed body ({text}); try again later"
    return f"the connection failed ({text}); try again later"


def _binary_size(size: int) -> str:
    """A byte count as the limits are set, in MiB where it is whole ones.

    >>> _binary_size(20 * 2**20), _binary_size(100_000)
    ('20 MiB', '100,000 bytes')
    """
    return f"{size // 2**20} MiB" if size >= 2**20 and size % 2**20 == 0 else f"{size:,} bytes"


def _media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def _fetchable(media_type: str) -> bool:
    return media_type in (*HTML_TYPES, *FEED_TYPES, *XML_TYPES, *_SNIFFED_TYPES)


def _unsupported(media_type: str) -> str:
    kind = _KINDS.get(media_type)
    if kind is None:
        major = media_type.split("/")[0]
        what = {"image": "an image", "video": "a video", "audio": "audio"}.get(major, "")
        kind = f"{what + ', ' if what else ''}not a web page or a feed"
    return f"the address serves {media_type} ({kind}); {_SUPPORTED}"


def _read_body(
    origin: str, final_url: str, content_type: str, body: bytes
) -> Iterator[Article | ReadNote]:
    media_type = _media_type(content_type)
    at = "" if final_url == origin else f"at {final_url}: "
    if media_type in FEED_TYPES or looks_like_feed(body):
        yield from read_feed(body, origin, feed_url=final_url, content_type=content_type)
    elif media_type in HTML_TYPES or (
        media_type in _SNIFFED_TYPES and _HTML_START.match(body.removeprefix(codecs.BOM_UTF8))
    ):
        yield from _read_page(origin, final_url, content_type, body)
    elif media_type in XML_TYPES:
        message = f"{at}the address serves XML that is not an RSS or Atom feed; {_SUPPORTED}"
        yield ReadNote(origin, message, failed=True)
    else:
        shown = media_type or "no Content-Type"
        message = (
            f"{at}the address serves {shown}, and it is neither a web page nor a feed; {_SUPPORTED}"
        )
        yield ReadNote(origin, message, failed=True)


def _read_page(
    origin: str, final_url: str, content_type: str, body: bytes
) -> Iterator[Article | ReadNote]:
    """One article from a web page, as the .html reader makes it."""
    at = "" if final_url == origin else f"at {final_url}: "
    decoded = decode(body, content_charset(content_type) or declared_charset(body))
    if decoded is None:
        message = f"{at}the page is binary data, not HTML, whatever its Content-Type says"
        yield ReadNote(origin, message, failed=True)
        return
    text, encoding = decoded
    if encoding:
        message = (
            f"the page names no charset and is not UTF-8: read as {encoding}; if letters "
            "look wrong, save the page from your browser and ingest the .html file"
        )
        yield ReadNote(origin, message, failed=False)
    text = normalise_text(text)
    try:
        page = extract_html(text) if text else None
    except ImportError as error:  # an install that lacks one of trafilatura's parts
        yield ReadNote(origin, _missing_package(error), failed=True)
        return
    if page is None or not page.text:
        message = (
            f"{at}no article text found in this web page; give the address of the "
            "article's own page (not a home or section page), or paste its text into a .txt file"
        )
        yield ReadNote(origin, message, failed=True)
        return
    fields = {
        "title": page.title,
        "date": page.date,
        "authors": page.authors,
        "source": page.source,
        "url": final_url,
    }
    yield from make_article(origin, page.text, fields)
