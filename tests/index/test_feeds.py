"""RSS and Atom feeds read from bytes: items to articles, and one clear note per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.readers.feed import fragment_text, looks_like_feed, read_feed
from index.records import Article, ReadNote, text_hash

FEED_URL = "https://bugle.example/feed.xml"

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Daily Bugle</title>
  <link>https://bugle.example/</link>
  {items}
</channel>
</rss>"""

BUDGET = """<item>
  <title>Budget passes &amp; schools win</title>
  <link>/news/budget</link>
  <guid isPermaLink="false">tag:bugle.example,2022:42</guid>
  <pubDate>Thu, 16 Jun 2022 23:30:00 -0400</pubDate>
  <dc:creator>Jane Doe and John Roe</dc:creator>
  <description>The council passed the budget.</description>
  <content:encoded><![CDATA[<p>The council voted 7-2 on Thursday to pass the budget.</p>
    <p>Schools get <b>most</b> of the new money, the mayor said.</p>
    <script>track()</script>]]></content:encoded>
</item>"""

BRIDGE = """<item>
  <title>Bridge reopens</title>
  <link>https://bugle.example/news/bridge</link>
  <guid>https://bugle.example/news/bridge</guid>
  <pubDate>Fri, 17 Jun 2022 08:00:00 GMT</pubDate>
  <author>ann@bugle.com (Ann Poe)</author>
  <description>&lt;p&gt;The Main Street bridge &lt;i&gt;reopened&lt;/i&gt; on Friday.&lt;/p&gt;
  </description>
</item>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom Times</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2022-06-18T12:00:00Z</updated>
  <entry>
    <title type="html">Storm &lt;em&gt;closes&lt;/em&gt; port</title>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <link rel="alternate" href="https://atom.example/storm"/>
    <updated>2022-06-18T09:15:00+02:00</updated>
    <author><name>Bo Li</name></author>
    <author><name>Cy Ng</name></author>
    <summary>A storm closed the port.</summary>
    <content type="html">&lt;p&gt;A storm closed the port of Genoa on Saturday.&lt;/p&gt;
      &lt;p&gt;Ferries will sail again on Monday, officials said.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Placeholder</title>
    <id>urn:uuid:00000000-0000-0000-0000-000000000002</id>
    <updated>2022-06-18T10:00:00Z</updated>
  </entry>
</feed>"""


def rss(*items: str) -> bytes:
    return RSS.format(items="\n".join(items)).encode("utf-8")


def articles(items: list[Article | ReadNote]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def notes(items: list[Article | ReadNote]) -> list[ReadNote]:
    return [item for item in items if isinstance(item, ReadNote)]


def test_rss_item_with_full_content_becomes_an_article() -> None:
    items = list(read_feed(rss(BUDGET), "feed.xml", feed_url=FEED_URL))
    assert notes(items) == []
    [article] = articles(items)
    assert article.text == (
        "The council voted 7-2 on Thursday to pass the budget.\n\n"
        "Schools get most of the new money, the mayor said."
    )
    assert article.id == text_hash(article.text)
    assert article.title == "Budget passes & schools win"
    assert article.date == "2022-06-16"  # the day as written in New York, not UTC's 17th
    assert article.source == "Daily Bugle"
    assert article.url == "https://bugle.example/news/budget"  # resolved against the feed
    assert article.authors == ("Jane Doe", "John Roe")
    # the guid ends in ":42", which must not read as line 42 of a JSONL file
    assert article.origin == "feed.xml#tag:bugle.example,2022%3A42"


def test_summary_only_items_are_indexed_with_one_note_for_the_feed() -> None:
    items = list(read_feed(rss(BUDGET, BRIDGE, BRIDGE.replace("bridge", "ferry")), "f.xml"))
    found = articles(items)
    assert [a.title for a in found] == [
        "Budget passes & schools win",
        "Bridge reopens",
        "Bridge reopens",
    ]
    assert found[2].text == "The Main Street ferry reopened on Friday."
    assert found[1].text == "The Main Street bridge reopened on Friday."
    assert found[1].authors == ("Ann Poe",)  # the name, not the e-mail address
    assert found[1].origin == "f.xml#https://bugle.example/news/bridge"
    [note] = notes(items)
    assert note == ReadNote(
        "f.xml",
        "feed gives only summaries for 2 of 3 items; they are indexed as summaries, "
        "open the links for full text",
        failed=False,
    )


def test_rereading_a_feed_that_gained_an_item_leaves_the_old_items_unchanged() -> None:
    before = articles(list(read_feed(rss(BUDGET, BRIDGE), FEED_URL, feed_url=FEED_URL)))
    newer = BRIDGE.replace("bridge", "tunnel").replace("Bridge", "Tunnel")
    after = articles(list(read_feed(rss(newer, BUDGET, BRIDGE), FEED_URL, feed_url=FEED_URL)))
    assert len(before) == 2 and len(after) == 3
    assert after[1:] == before  # ids, versions and origins all the same
    assert after[0].id not in {a.id for a in before}
    assert len({a.origin for a in after}) == 3


def test_atom_entries_with_html_title_content_and_several_authors() -> None:
    items = list(read_feed(ATOM, "atom.xml"))
    [article] = articles(items)
    assert article.title == "Storm closes port"
    assert article.text == (
        "A storm closed the port of Genoa on Saturday.\n\n"
        "Ferries will sail again on Monday, officials said."
    )
    assert article.date == "2022-06-18"
    assert article.authors == ("Bo Li", "Cy Ng")
    assert article.source == "Atom Times"
    assert article.url == "https://atom.example/storm"
    # the placeholder has no text: skipped, named, and its urn id is not taken for a url
    assert notes(items) == [
        ReadNote(
            "atom.xml",
            "1 of 2 items has no text (no content, no summary) and was skipped: “Placeholder”",
            failed=False,
        )
    ]


def test_a_feed_whose_items_have_no_text_reads_nothing_and_says_so() -> None:
    empty = "<item><title>Just a link</title><link>https://bugle.example/x</link></item>"
    items = list(read_feed(rss(empty, empty), "f.xml"))
    assert len(items) == 1
    assert isinstance(items[0], ReadNote) and items[0].failed
    assert "none of the feed's 2 items has any text" in items[0].message


def test_rss_1_rdf_feeds_are_read() -> None:
    rdf = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="https://rdf.example/"><title>RDF Wire</title></channel>
  <item rdf:about="https://rdf.example/1"><title>Vote delayed</title>
    <link>https://rdf.example/1</link><description>The vote was delayed a week.</description>
  </item>
</rdf:RDF>"""
    [article] = articles(list(read_feed(rdf, "wire.rdf")))
    assert (article.title, article.source, article.text) == (
        "Vote delayed",
        "RDF Wire",
        "The vote was delayed a week.",
    )


def test_a_feed_in_a_declared_legacy_encoding_reads_its_letters_right() -> None:
    latin = rss(BRIDGE.replace("Main Street", "Café Street")).replace(
        b'encoding="UTF-8"', b'encoding="ISO-8859-1"'
    )
    latin = latin.decode("utf-8").encode("latin-1")
    [article] = articles(list(read_feed(latin, "f.xml")))
    assert article.text == "The Café Street bridge reopened on Friday."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<!DOCTYPE html><html><body><p>A page.</p></body></html>", "starts with <html>"),
        (b'<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>', "<urlset>"),
        (b"<rss version='2.0'><channel><title>T</title><item>&bad;", "XML is broken at line 1"),
        (b"\x00\x01\x02 binary", "XML is broken"),
    ],
)
def test_what_is_not_a_feed_is_one_failed_note(data: bytes, expected: str) -> None:
    items = list(read_feed(data, "thing.xml"))
    assert len(items) == 1
    [note] = notes(items)
    assert note.failed and note.origin == "thing.xml"
    assert expected in note.message
    assert "feed" in note.message


def test_empty_bytes_are_a_failed_note() -> None:
    assert list(read_feed(b"  \n", "f.xml")) == [
        ReadNote("f.xml", "empty feed; nothing to read", failed=True)
    ]


def test_a_broken_feed_keeps_the_items_before_the_break_with_a_warning() -> None:
    whole = rss(BUDGET, BRIDGE)
    cut = whole[: whole.index(b"<author>")]  # inside the second item
    items = list(read_feed(cut, "f.xml"))
    assert [a.title for a in articles(items)] == ["Budget passes & schools win"]
    broken = [n for n in notes(items) if "broken" in n.message]
    assert len(broken) == 1 and not broken[0].failed
    assert "the last may be cut short" in broken[0].message


def test_bytes_that_name_a_file_are_parsed_not_opened(tmp_path: Path) -> None:
    # feedparser opens a path it is handed; read_feed must hand it the bytes themselves
    feed_file = tmp_path / "feed.xml"
    feed_file.write_bytes(rss(BUDGET))
    items = list(read_feed(str(feed_file).encode(), "arg"))
    assert articles(items) == []
    assert len(items) == 1 and isinstance(items[0], ReadNote) and items[0].failed


def test_a_relative_link_is_resolved_against_the_site_when_the_feed_url_is_unknown() -> None:
    [article] = articles(list(read_feed(rss(BUDGET), "feed.xml")))
    assert article.url == "https://bugle.example/news/budget"  # the channel's <link>


def test_a_relative_link_with_nothing_to_resolve_it_is_dropped_with_a_warning() -> None:
    without_site = rss(BUDGET).replace(b"<link>https://bugle.example/</link>", b"")
    items = list(read_feed(without_site, "feed.xml"))
    [article] = articles(items)
    assert article.url == ""
    [note] = notes(items)
    assert "'/news/budget' is not an http(s) address" in note.message
    assert note.origin == article.origin and not note.failed


def test_a_date_feedparser_alone_understands_is_its_utc_day() -> None:
    item = BRIDGE.replace("Fri, 17 Jun 2022 08:00:00 GMT", "2022-W24-5")  # ISO week date
    [article] = articles(list(read_feed(rss(item), "f.xml")))
    assert article.date == "2022-06-17"


@pytest.mark.parametrize(
    ("data", "content_type", "expected"),
    [
        (b'<?xml version="1.0"?>\n<rss version="2.0">', "", True),
        (b"\xef\xbb\xbf<?xml version='1.0'?><!-- c --><feed xmlns='x'>", "text/xml", True),
        (b"<rdf:RDF xmlns:rdf='x'>", "", True),
        ('<?xml version="1.0"?><rss>'.encode("utf-16"), "", True),
        (b"", "application/rss+xml", True),
        (b"<!doctype html><html>", "text/html", False),
        (b"<?xml version='1.0'?><urlset>", "application/xml", False),
        (b'{"version": "https://jsonfeed.org/version/1"}', "application/json", False),
    ],
)
def test_looks_like_feed(data: bytes, content_type: str, expected: bool) -> None:
    assert looks_like_feed(data, content_type) is expected


def test_fragment_text_keeps_inline_links_in_their_sentence() -> None:
    fragment = (
        "<p>The council voted 7-2.</p>\n"
        "<p>The post <a href='x'>Budget passes</a> appeared first on <a href='y'>Bugle</a>.</p>"
    )
    assert fragment_text(fragment) == (
        "The council voted 7-2.\n\nThe post Budget passes appeared first on Bugle."
    )


def test_fragment_text_of_a_one_line_summary_is_its_text() -> None:
    # trafilatura finds no main text in so little; the plain strip is used
    assert fragment_text("Rain <b>all</b> day.") == "Rain all day."
