"""Fetching pages and feeds by URL, from real HTTP servers on 127.0.0.1 started here.

No test reaches the network: every address is a local server's, or a port nothing
listens on, or (for the one failure a local server cannot produce, DNS) a transport
that raises what httpx raises.
"""

from __future__ import annotations

import gzip
import socket
import time

import httpx
import pytest
from local_site import Route, Serve, html, redirect  # the `serve` fixture: tests/conftest.py

from index.readers.url import fetch_url, is_url, user_agent
from index.records import Article, ReadNote, text_hash

PAGE = """<!DOCTYPE html>
<html><head>
<title>Budget passes after long night | Daily Bugle</title>
<meta property="og:title" content="Budget passes after long night">
<meta property="og:site_name" content="Daily Bugle">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2022-06-16T23:30:00-04:00">
<link rel="canonical" href="https://bugle.example/news/budget">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Budget passes after long night</h1>
<p>The city council voted 7-2 on Thursday to pass the budget after a debate that ran
past midnight, with most of the new money going to schools.</p>
<p>“It was a long night, but the schools got what they needed,” Mayor Ann Poe told
reporters outside city hall as the meeting ended.</p>
<p>Road repairs will wait another year, the council's finance chair said, because the
state grant the city had counted on was cut in the spring.</p>
</article>
<footer>Copyright Daily Bugle</footer>
</body></html>"""

FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Daily Bugle</title>
<item><title>Bridge reopens</title><link>/news/bridge</link>
<guid isPermaLink="false">bridge-1</guid>
<pubDate>Fri, 17 Jun 2022 08:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>The Main Street bridge reopened on Friday.</p>
<p>Traffic was light, police said.</p>]]></content:encoded></item>
<item><title>Port closes</title><link>/news/port</link><guid isPermaLink="false">port-1</guid>
<description>A storm closed the port.</description></item>
</channel></rss>"""


def articles(items: list[Article | ReadNote]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def only_note(items: list[Article | ReadNote]) -> ReadNote:
    assert len(items) == 1, items
    note = items[0]
    assert isinstance(note, ReadNote), note
    return note


def test_an_html_page_becomes_one_article_as_a_saved_html_file_would(serve: Serve) -> None:
    site = serve({"/news/budget": html(PAGE)})
    url = site.url("/news/budget")
    items = list(fetch_url(url))
    [article] = items
    assert isinstance(article, Article)
    assert article.title == "Budget passes after long night"
    assert article.text.startswith("The city council voted 7-2 on Thursday")
    assert "Mayor Ann Poe told" in article.text and "Copyright" not in article.text
    assert article.id == text_hash(article.text)
    assert article.date == "2022-06-16"
    assert article.source == "Daily Bugle"
    assert article.authors == ("Jane Doe",)
    assert article.url == url  # the address that served it, not the page's canonical link
    assert article.origin == url


def test_the_server_sees_newsdesks_user_agent_on_robots_and_page(serve: Serve) -> None:
    site = serve({"/a": html(PAGE)})
    assert articles(list(fetch_url(site.url("/a"))))
    assert site.paths() == ["/robots.txt", "/a"]
    agents = [headers.get("User-Agent", "") for _, headers in site.seen]
    assert agents == [user_agent()] * 2
    assert agents[0].startswith("newsdesk/") and "(+https://github.com/newsdesk)" in agents[0]


def test_a_feed_url_gives_its_items(serve: Serve) -> None:
    site = serve({"/feed": Route(body=FEED, headers={"Content-Type": "application/rss+xml"})})
    url = site.url("/feed")
    items = list(fetch_url(url))
    found = articles(items)
    assert [a.title for a in found] == ["Bridge reopens", "Port closes"]
    assert (
        found[0].text
        == "The Main Street bridge reopened on Friday.\n\nTraffic was light, police said."
    )
    assert found[0].url == site.url("/news/bridge")  # resolved against the feed's address
    assert [a.origin for a in found] == [f"{url}#bridge-1", f"{url}#port-1"]
    notes = [item for item in items if isinstance(item, ReadNote)]
    assert [n.message for n in notes] == [
        "feed gives only summaries for 1 of 2 items; they are indexed as summaries, "
        "open the links for full text"
    ]


@pytest.mark.parametrize("content_type", ["text/xml", "application/xml", "text/plain", ""])
def test_a_feed_served_as_plain_xml_is_recognised_by_its_root(
    serve: Serve, content_type: str
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    site = serve({"/rss": Route(body=FEED, headers=headers)})
    assert [a.title for a in articles(list(fetch_url(site.url("/rss"))))] == [
        "Bridge reopens",
        "Port closes",
    ]


def test_a_redirect_chain_is_followed_and_the_final_address_kept(serve: Serve) -> None:
    site = serve(
        {
            "/short": redirect("/r1", 301),
            "/r1": redirect("/r2", 307),
            "/r2": redirect("/news/budget?from=r2", 303),
            "/news/budget?from=r2": html(PAGE),
        }
    )
    [article] = list(fetch_url(site.url("/short")))
    assert isinstance(article, Article)
    assert article.url == site.url("/news/budget?from=r2")
    assert article.origin == site.url("/short")
    assert site.paths() == ["/robots.txt", "/short", "/r1", "/r2", "/news/budget?from=r2"]


def test_five_redirects_are_followed_and_a_sixth_is_one_line(serve: Serve) -> None:
    routes = {f"/hop{n}": redirect(f"/hop{n + 1}") for n in range(6)}
    routes["/hop6"] = html(PAGE)
    site = serve(routes)
    assert articles(list(fetch_url(site.url("/hop1"))))  # 5 redirects: hop1 .. hop6
    note = only_note(list(fetch_url(site.url("/hop0"))))  # 6 redirects
    assert note.failed and note.origin == site.url("/hop0")
    assert note.message.startswith("more than 5 redirects (")
    assert "open the address in a browser" in note.message


def test_a_redirect_loop_is_named_as_a_loop(serve: Serve) -> None:
    site = serve({"/x": redirect("/y"), "/y": redirect("/x")})
    note = only_note(list(fetch_url(site.url("/x"))))
    assert note.failed
    assert note.message.startswith("the redirects go round in a loop (")
    assert f"{site.url('/x')} → {site.url('/y')} → {site.url('/x')}" in note.message


def test_a_redirect_to_another_scheme_is_refused(serve: Serve) -> None:
    site = serve({"/away": redirect("ftp://files.example/a.txt")})
    note = only_note(list(fetch_url(site.url("/away"))))
    assert (
        note.failed and "ftp://files.example/a.txt, which is not an http(s) address" in note.message
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (404, "HTTP 404 Not Found: no page at this address; check it for typos"),
        (410, "HTTP 410 Gone: no page at this address; check it for typos"),
        (403, "HTTP 403 Forbidden: the site refused access; save the page"),
        (429, "HTTP 429 Too Many Requests: the site asks for fewer requests; try again later"),
        (500, "HTTP 500 Internal Server Error: the server failed; try again later"),
        (503, "HTTP 503 Service Unavailable: the server failed; try again later"),
        (204, "HTTP 204 No Content: the server sent no content"),
    ],
)
def test_http_errors_are_one_line_with_the_status(serve: Serve, status: int, expected: str) -> None:
    body = b"" if status == 204 else b"<html><body>error page</body></html>"
    site = serve({"/page": Route(status, body, {"Content-Type": "text/html"})})
    note = only_note(list(fetch_url(site.url("/page"))))
    assert note.failed and note.origin == site.url("/page")
    assert note.message.startswith(expected)


def test_an_error_after_a_redirect_names_where_it_happened(serve: Serve) -> None:
    site = serve({"/old": redirect("/gone")})
    note = only_note(list(fetch_url(site.url("/old"))))
    assert note.message == f"at {site.url('/gone')}: HTTP 404 Not Found: " + (
        "no page at this address; check it for typos"
    )


def test_a_server_that_does_not_answer_in_time_is_one_line(serve: Serve) -> None:
    site = serve(
        {"/slow": Route(body=PAGE.encode(), delay=30, headers={"Content-Type": "text/html"})}
    )
    started = time.monotonic()
    note = only_note(list(fetch_url(site.url("/slow"), timeout=0.5)))
    assert time.monotonic() - started < 5
    assert note.failed
    assert note.message.startswith("no complete answer within 0.5 s; the site is slow or down")


def test_the_timeout_covers_the_whole_fetch_not_each_step(serve: Serve) -> None:
    # robots.txt takes most of the time allowed; the page gets only what is left
    site = serve(
        {
            "/robots.txt": Route(404, delay=0.6),
            "/page": Route(body=PAGE.encode(), delay=0.6, headers={"Content-Type": "text/html"}),
        }
    )
    note = only_note(list(fetch_url(site.url("/page"), timeout=1.0)))
    assert "no complete answer within 1 s" in note.message


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/pdf", "the address serves application/pdf (a PDF; save its text as a .txt"),
        ("image/png", "the address serves image/png (an image, not a web page or a feed)"),
        ("application/json", "the address serves application/json (JSON;"),
        ("application/zip", "the address serves application/zip (not a web page or a feed)"),
    ],
)
def test_other_content_types_are_one_line_naming_the_type(
    serve: Serve, content_type: str, expected: str
) -> None:
    site = serve({"/file": Route(body=b"%PDF-1.4 ...", headers={"Content-Type": content_type})})
    note = only_note(list(fetch_url(site.url("/file"))))
    assert note.failed
    assert note.message.startswith(expected)
    assert note.message.endswith("newsdesk fetches web pages (HTML) and RSS or Atom feeds")


def test_xml_that_is_not_a_feed_is_one_line(serve: Serve) -> None:
    sitemap = b'<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url></urlset>'
    site = serve({"/sitemap.xml": Route(body=sitemap, headers={"Content-Type": "application/xml"})})
    note = only_note(list(fetch_url(site.url("/sitemap.xml"))))
    assert note.failed and "XML that is not an RSS or Atom feed" in note.message


def test_a_body_over_the_limit_is_abandoned_whatever_content_length_says(serve: Serve) -> None:
    # no Content-Length at all: the body is counted as it streams
    site = serve({"/big": Route(stream=4 * 2**20, headers={"Content-Type": "text/html"})})
    started = time.monotonic()
    note = only_note(list(fetch_url(site.url("/big"), max_bytes=2**20)))
    assert time.monotonic() - started < 10
    assert note.failed
    assert "the response is over the 1 MiB limit (stopped reading)" in note.message


def test_a_compressed_body_is_counted_after_decompression(serve: Serve) -> None:
    packed = gzip.compress(b"<html><body>" + b"a" * (3 * 2**20) + b"</body></html>")
    assert len(packed) < 2**20 // 10  # Content-Length alone would let it through
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    site = serve({"/bomb": Route(body=packed, headers=headers)})
    note = only_note(list(fetch_url(site.url("/bomb"), max_bytes=2**20)))
    assert note.failed and "over the 1 MiB limit (stopped reading)" in note.message


def test_a_declared_content_length_over_the_limit_is_not_downloaded(serve: Serve) -> None:
    body = b"<html><body>" + b"a" * 300_000 + b"</body></html>"
    site = serve({"/big": Route(body=body, headers={"Content-Type": "text/html"})})
    note = only_note(list(fetch_url(site.url("/big"), max_bytes=100_000)))
    assert f"(Content-Length says {len(body):,} bytes)" in note.message


def test_robots_txt_that_disallows_the_page_stops_the_fetch_before_it(serve: Serve) -> None:
    rules = b"User-agent: otherbot\nDisallow:\n\nUser-agent: newsdesk\nDisallow: /private/\n"
    site = serve(
        {"/robots.txt": Route(body=rules), "/private/a": html(PAGE), "/public/a": html(PAGE)}
    )
    note = only_note(list(fetch_url(site.url("/private/a"))))
    assert note.failed
    assert note.message == (
        f"the site's robots.txt ({site.base}/robots.txt) does not allow newsdesk to fetch "
        "this page; save the page from your browser and ingest the .html file"
    )
    assert "/private/a" not in site.paths()
    assert articles(list(fetch_url(site.url("/public/a"))))


def test_robots_rules_for_other_agents_do_not_apply(serve: Serve) -> None:
    rules = b"User-agent: otherbot\nDisallow: /\n"
    site = serve({"/robots.txt": Route(body=rules), "/a": html(PAGE)})
    assert articles(list(fetch_url(site.url("/a"))))


def test_robots_txt_is_asked_of_every_host_along_the_redirects(serve: Serve) -> None:
    target = serve({"/robots.txt": Route(body=b"User-agent: *\nDisallow: /\n"), "/a": html(PAGE)})
    start = serve({"/go": redirect(target.url("/a"))})
    note = only_note(list(fetch_url(start.url("/go"))))
    assert note.message.startswith(f"at {target.url('/a')}: the site's robots.txt")
    assert target.paths() == ["/robots.txt"]


def test_a_failing_robots_txt_forbids_the_fetch(serve: Serve) -> None:
    site = serve({"/robots.txt": Route(503), "/a": html(PAGE)})
    note = only_note(list(fetch_url(site.url("/a"))))
    assert note.failed
    assert note.message.startswith(f"{site.base}/robots.txt answered HTTP 503")
    assert "try again later" in note.message
    assert site.paths() == ["/robots.txt"]


def test_a_refused_connection_is_one_line_naming_host_and_port() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, and is closed now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    note = only_note(list(fetch_url(f"http://127.0.0.1:{port}/a")))
    assert note.failed
    assert note.message == (
        f"at http://127.0.0.1:{port}/robots.txt: connection refused by 127.0.0.1:{port}; "
        "nothing answers there, check the address and port"
    )


def test_a_host_name_that_does_not_resolve_is_one_line() -> None:
    def no_such_host(request: httpx.Request) -> httpx.Response:
        # what httpx raises when getaddrinfo fails, cause chained as httpcore chains it
        try:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        except socket.gaierror as error:
            raise httpx.ConnectError("[Errno -2] Name or service not known") from error

    with httpx.Client(transport=httpx.MockTransport(no_such_host)) as client:
        note = only_note(list(fetch_url("https://no-such-host.invalid/a", client=client)))
    assert note.failed
    assert "the host name no-such-host.invalid could not be found (DNS)" in note.message


def test_a_client_given_is_used_and_left_open(serve: Serve) -> None:
    site = serve({"/a": html(PAGE)})
    with httpx.Client(headers={"X-Test": "given"}) as client:
        assert articles(list(fetch_url(site.url("/a"), client=client)))
        assert not client.is_closed
    assert [headers.get("X-Test") for _, headers in site.seen] == ["given", "given"]
    assert site.seen[-1][1]["User-Agent"] == user_agent()


@pytest.mark.parametrize(
    "url", ["ftp://files.example/a.html", "file:///etc/passwd", "mailto:ed@bugle.example"]
)
def test_only_http_and_https_are_fetched(url: str) -> None:
    note = only_note(list(fetch_url(url)))
    assert note.failed and note.origin == url
    assert "cannot be fetched; give an http:// or https:// address" in note.message


def test_nothing_is_fetched_until_the_articles_are_asked_for(serve: Serve) -> None:
    site = serve({"/a": html(PAGE)})
    pending = fetch_url(site.url("/a"))
    assert site.seen == []
    assert articles(list(pending))
    assert site.paths() == ["/robots.txt", "/a"]


def test_a_page_in_the_charset_its_header_names_reads_right(serve: Serve) -> None:
    page = PAGE.replace("Mayor Ann Poe", "Mayor Zoë Poe")
    site = serve({"/a": html(page, charset="windows-1252")})
    [article] = list(fetch_url(site.url("/a")))
    assert isinstance(article, Article) and "Mayor Zoë Poe told" in article.text


def test_a_page_without_article_text_is_one_line(serve: Serve) -> None:
    site = serve(
        {
            "/": html(
                "<html><head><title>Home</title></head><body><script>x()</script></body></html>"
            )
        }
    )
    note = only_note(list(fetch_url(site.url("/"))))
    assert note.failed and note.message.startswith("no article text found in this web page")


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("https://bugle.example/news/a", True),
        ("http://127.0.0.1:8000/", True),
        ("  HTTPS://BUGLE.EXAMPLE/  ", True),
        ("ftp://files.example/a", True),
        ("seeds/", False),
        ("notes.txt", False),
        ("/home/ed/news/a.html", False),
        ("bugle.example/news/a", False),
    ],
)
def test_is_url(arg: str, expected: bool) -> None:
    assert is_url(arg) is expected
