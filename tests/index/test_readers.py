"""Reading articles from every supported format, and every kind of bad input."""

from __future__ import annotations

import gzip
import itertools
import json
import logging
from pathlib import Path

import pytest

from index.readers import SUPPORTED_SUFFIXES, host_of, parse_date, read_paths, split_authors
from index.readers.text import split_txt
from index.records import Article, ReadNote, text_hash

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "000_08dd639a47279972.txt"
CORPUS = REPO.parent / "shared" / "corpora" / "news_corpus.jsonl.gz"
BODY = (
    "The city council voted on Tuesday to approve a new budget that raises spending on "
    "schools and parks by a wide margin, after months of debate among its members."
)


def read(*paths: Path | str, **options: int) -> tuple[list[Article], list[ReadNote]]:
    items = list(read_paths(paths, **options))
    return (
        [item for item in items if isinstance(item, Article)],
        [item for item in items if isinstance(item, ReadNote)],
    )


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


# --- the seed and plain text ---------------------------------------------------------


def test_seed_article_has_its_title_once_and_the_text_after_it() -> None:
    articles, notes = read(SEED)
    assert notes == []
    [article] = articles
    title = "US Down Plays Chance Of Breakthrough From Blinken China Visit After Tense Call"
    assert article.title == title
    assert article.text.startswith("The United States on Wednesday")
    assert title not in article.text
    assert article.id == text_hash(article.text)
    assert article.origin == str(SEED)
    # date, source and url come from the sidecar beside it (tests/index/test_txt_sidecar.py)
    assert (article.date, article.source) == ("2023-06-14", "Reuters")


@pytest.mark.parametrize(
    ("content", "title", "text"),
    [
        ("Rain\n\nRain\n\nIt rained.\n\nA lot.\n", "Rain", "It rained.\n\nA lot."),
        ("Rain\n\nIt rained.\n\nA lot.", "Rain", "It rained.\n\nA lot."),
        ("\n\n  Rain  \r\nIt rained.\r\n\r\nA lot.\r\n\r\n", "Rain", "It rained.\n\nA lot."),
        ("Rain\n\nRain falls\n\nIt rained.", "Rain", "Rain falls\n\nIt rained."),
        ("Rain\n\n  indented first line\nsecond line", "Rain", "indented first line\nsecond line"),
    ],
)
def test_txt_title_and_text(tmp_path: Path, content: str, title: str, text: str) -> None:
    [article], notes = read(write(tmp_path / "a.txt", content))
    assert (article.title, article.text, notes) == (title, text, [])


def test_txt_header_paragraph_gives_metadata(tmp_path: Path) -> None:
    content = (
        "Rain\n\nDate: June 16, 2022\nURL: https://www.example.com/rain\n"
        "Authors: Jane Doe, John Roe\n\nIt rained."
    )
    [article], _ = read(write(tmp_path / "a.txt", content))
    assert article.text == "It rained."
    assert article.date == "2022-06-16"
    assert article.url == "https://www.example.com/rain"
    assert article.source == "example.com"
    assert article.authors == ("Jane Doe", "John Roe")


def test_txt_paragraph_only_partly_header_like_stays_text() -> None:
    assert split_txt("Rain\n\nSource: a leak\nsaid it rained.") == (
        "Rain",
        "Source: a leak\nsaid it rained.",
        {},
    )


def test_txt_with_only_a_title_fails(tmp_path: Path) -> None:
    articles, [note] = read(write(tmp_path / "a.txt", "Rain\n\nRain\n"))
    assert articles == []
    assert note.failed and "no article text after the title" in note.message


# --- Markdown --------------------------------------------------------------------------


def test_markdown_front_matter_gives_metadata(tmp_path: Path) -> None:
    content = (
        '---\ntitle: "Budget *passes*"\ndate: 2022-06-16T23:30:00-05:00\n'
        "source: Daily Bugle\nurl: https://www.bugle.com/b\nauthors:\n  - Jane Doe\n"
        "  - 'John Roe'\nid: bugle-1\n---\n\n# Budget *passes*\n\nThe council voted.\n"
    )
    [article], notes = read(write(tmp_path / "a.md", content))
    assert notes == []
    assert article.title == "Budget passes"
    assert article.text == "The council voted."
    assert (article.date, article.source, article.url) == (
        "2022-06-16",
        "Daily Bugle",
        "https://www.bugle.com/b",
    )
    assert (article.authors, article.id) == (("Jane Doe", "John Roe"), "bugle-1")


@pytest.mark.parametrize("name", ["a.md", "b.markdown", "C.MD"])
def test_markdown_heading_is_the_title_and_authors_string_is_split(
    tmp_path: Path, name: str
) -> None:
    content = "---\nauthors: Jane Doe, John Roe\n---\nIntro.\n\n# The *title*\n\nBody."
    [article], _ = read(write(tmp_path / name, content))
    assert (article.title, article.text) == ("The title", "Intro.\n\nBody.")
    assert article.authors == ("Jane Doe", "John Roe")
    assert article.id == text_hash(article.text)


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        (
            "Some **bold**, *italic*, __strong__ and _em_ words.",
            "Some bold, italic, strong and em words.",
        ),
        ("Run `pip install x` ~~now~~.", "Run pip install x now."),
        (
            'A [report](https://a.b/c_(d) "T") and [ref][1].\n\n[1]: https://x.y',
            "A report and ref.",
        ),
        ("Look ![a chart](c.png) here.", "Look here."),
        ("## Section *two*\n\nText.", "Section two\n\nText."),
        ("- one\n- *two*\n  more\n\n1. first", "one\ntwo more\n\n1. first"),
        ("> quoted\n> text", "quoted text"),
        ("soft\nwrapped\n\nnext", "soft wrapped\n\nnext"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "a | b\n1 | 2"),
        ("snake_case and 5 * 3 \\*kept\\*", "snake_case and 5 * 3 *kept*"),
        ("Tom &amp; Jerry<br>left<script>alert(1)</script>.", "Tom & Jerry left."),
        ("Up\n\n---\n\nDown", "Up\n\nDown"),
        ("A note.[^1]", "A note."),
    ],
)
def test_markdown_syntax_does_not_reach_the_text(tmp_path: Path, markdown: str, text: str) -> None:
    [article], _ = read(write(tmp_path / "a.md", "# T\n\n" + markdown))
    assert article.text == text


def test_markdown_javascript_links_are_neither_kept_nor_shown(tmp_path: Path) -> None:
    content = (
        "---\nurl: javascript:alert(1)\n---\n# T\n\n"
        "[click](javascript:alert(1)) and <javascript:alert(2)> and "
        '<a href="javascript:alert(3)">this</a>.'
    )
    [article], [note] = read(write(tmp_path / "a.md", content))
    assert article.text == "click and and this."
    assert article.url == ""
    assert "javascript" not in article.text
    assert not note.failed and "not an http(s) address" in note.message


# --- HTML --------------------------------------------------------------------------------

PAGE = f"""<!doctype html><html><head><title>Budget passes | Daily Bugle</title>
<meta property="og:title" content="Budget passes">
<meta property="og:site_name" content="Daily Bugle">
<meta name="author" content="Jane Doe; John Roe">
<link rel="canonical" href="https://www.dailybugle.com/news/budget">
<meta property="article:published_time" content="2022-06-16T10:00:00Z">
<script>var tracking = "do not index";</script></head>
<body><nav>Home | Sports | Weather</nav><article><h1>Budget passes</h1>
<p>{BODY} {BODY}</p><p>Second paragraph. {BODY}</p></article>
<footer>Copyright Daily Bugle</footer></body></html>"""


@pytest.mark.parametrize("name", ["page.html", "page.htm", "PAGE.HTML"])
def test_html_main_text_and_metadata(tmp_path: Path, name: str) -> None:
    [article], notes = read(write(tmp_path / name, PAGE))
    assert notes == []
    assert article.title == "Budget passes"
    assert article.text == f"{BODY} {BODY}\n\nSecond paragraph. {BODY}"
    assert article.date == "2022-06-16"
    assert article.authors == ("Jane Doe", "John Roe")
    assert article.source == "Daily Bugle"
    assert article.url == "https://www.dailybugle.com/news/budget"


def test_html_in_a_declared_charset_is_read_without_warning(tmp_path: Path) -> None:
    page = PAGE.replace("<head>", '<head><meta charset="iso-8859-1">').replace(
        "Second paragraph.", "Second paragraph, café."
    )
    [article], notes = read(write(tmp_path / "a.html", page.encode("latin-1")))
    assert notes == []
    assert "Second paragraph, café." in article.text


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><script>alert(1)</script></head><body></body></html>",
        "<html><body><img src='photo.jpg'><img src='logo.png'></body></html>",
    ],
)
def test_html_without_main_text_fails_clearly(
    tmp_path: Path, page: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        articles, [note] = read(write(tmp_path / "a.html", page))
    assert articles == []
    assert note.failed and note.message.startswith("no article text found in this web page")
    # the note is all the user is told: not also trafilatura's "discarding data: None"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


# --- JSONL -----------------------------------------------------------------------------


def test_jsonl_records_and_their_metadata(tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.jsonl",
        jsonl(
            {
                "id": "x1",
                "text": "First.\r\n\r\nSecond.",
                "title": " A  title ",
                "url": "https://www.cnn.com/a",
                "date": "2022-06-16T10:00:00Z",
                "authors": ["Jane Doe", "John Roe"],
            },
            {
                "id": 7,
                "text": "Numbered id.",
                "authors": "Jane Doe and John Roe",
                "source": "Reuters",
                "url": "https://edition.cnn.com/b",
                "date": "Jun 16, 2022",
            },
            {"text": "No id at all."},
        ),
    )
    [first, second, third], notes = read(path)
    assert notes == []
    assert (first.id, first.text, first.title) == ("x1", "First.\n\nSecond.", "A title")
    assert (first.date, first.source, first.authors) == (
        "2022-06-16",
        "cnn.com",
        ("Jane Doe", "John Roe"),
    )
    assert (second.id, second.source, second.date) == ("7", "Reuters", "2022-06-16")
    assert second.authors == ("Jane Doe", "John Roe")
    assert (third.id, third.title, third.date, third.source) == (
        text_hash("No id at all."),
        "",
        None,
        "",
    )
    assert [a.origin for a in (first, second, third)] == [f"{path}:{n}" for n in (1, 2, 3)]


def test_jsonl_unparseable_date_is_a_warning_and_the_article_is_kept(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", jsonl({"text": "T.", "date": "sometime soon"}))
    [article], [note] = read(path)
    assert article.date is None
    assert (note.origin, note.failed) == (f"{path}:1", False)
    assert "'sometime soon' not understood" in note.message


BAD_LINES = [
    ("{not json", "not valid JSON"),
    ('["a list"]', "a JSON list, not an object"),
    ('{"title": "no text"}', 'no "text" field'),
    ('{"text": "  "}', '"text" is empty'),
    ('{"text": 5}', '"text" is a JSON number, not a string'),
]


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".JSONL.GZ"])
def test_jsonl_malformed_lines_are_noted_and_good_lines_read(tmp_path: Path, suffix: str) -> None:
    lines = (
        [json.dumps({"text": "Good one."})]
        + [line for line, _ in BAD_LINES]
        + [
            "",
            json.dumps({"text": "Good two."}),
        ]
    )
    content = ("\n".join(lines) + "\n").encode("utf-8")
    path = write(
        tmp_path / f"a{suffix}", gzip.compress(content) if "gz" in suffix.lower() else content
    )
    articles, notes = read(path)
    assert [a.text for a in articles] == ["Good one.", "Good two."]
    assert [a.origin for a in articles] == [f"{path}:1", f"{path}:8"]
    assert [n.origin for n in notes] == [f"{path}:{n}" for n in range(2, 7)]
    for note, (_, expected) in zip(notes, BAD_LINES, strict=True):
        assert note.failed and expected in note.message


def test_jsonl_more_than_twenty_bad_lines_collapse_into_one_note(tmp_path: Path) -> None:
    lines = ["{bad"] * 25 + [json.dumps({"text": "Survivor."})]
    path = write(tmp_path / "a.jsonl", "\n".join(lines))
    [article], notes = read(path)
    assert article.text == "Survivor."
    assert [n.origin for n in notes[:20]] == [f"{path}:{n}" for n in range(1, 21)]
    [summary] = notes[20:]
    assert summary.origin == str(path) and summary.failed
    assert summary.message.startswith("5 more bad lines not listed one by one (lines 21, 22, 23")


def test_jsonl_text_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", jsonl({"text": "x" * 2000}, {"text": "Small."}))
    [article], [note] = read(path, max_file_bytes=1000)
    assert article.text == "Small."
    assert note.origin == f"{path}:1"
    assert note.message == (
        "text is 2,000 bytes, over the 1,000-byte limit for one article; "
        "split it into several articles"
    )


def test_truncated_gzip_keeps_the_articles_read_before_it(tmp_path: Path) -> None:
    records = [{"text": f"Article number {n}. " + "filler words " * 400} for n in range(40)]
    whole = gzip.compress(jsonl(*records).encode("utf-8"))
    path = write(tmp_path / "a.jsonl.gz", whole[: len(whole) // 2])
    articles, [note] = read(path)
    assert 0 < len(articles) < 40
    assert [a.text.split(".")[0] for a in articles] == [
        f"Article number {n}" for n in range(len(articles))
    ]
    assert note.failed and note.origin == f"{path}:{len(articles) + 1}"
    assert note.message.startswith(f"gzip data is corrupt or truncated at line {len(articles) + 1}")


def test_gzip_with_a_bad_checksum_is_reported(tmp_path: Path) -> None:
    whole = bytearray(gzip.compress(jsonl({"text": "Only."}).encode("utf-8")))
    whole[-8] ^= 0xFF  # the CRC32 of the trailer
    path = write(tmp_path / "a.jsonl.gz", bytes(whole))
    _, notes = read(path)
    assert [n.failed for n in notes] == [True]
    assert "gzip data is corrupt or truncated" in notes[0].message


def test_plain_jsonl_named_gz_says_to_rename_it(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl.gz", jsonl({"text": "Plain."}))
    articles, [note] = read(path)
    assert articles == []
    assert note.message == "not gzip-compressed; if it holds plain JSON lines, rename it to .jsonl"


def test_jsonl_lines_not_in_utf8_are_read_with_one_warning(tmp_path: Path) -> None:
    content = b'{"text": "caf\xe9 one"}\n{"text": "fine"}\n{"text": "caf\xe9 two"}\n'
    path = write(tmp_path / "a.jsonl", content)
    articles, [note] = read(path)
    assert [a.text for a in articles] == ["café one", "fine", "café two"]
    assert not note.failed
    assert note.message.startswith(
        "2 line(s) not UTF-8, read as cp1252 (Windows-1252) (first at line 1)"
    )


# --- bad input of every kind -------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".jsonl", ".jsonl.gz"])
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty file; nothing to read"),
        (b"  \n\t\r\n  \n", "file holds only whitespace; nothing to read"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not an article"),
        (bytes(range(1, 32)) * 10, "binary file, not an article"),
    ],
)
def test_unreadable_content_gives_one_failed_note(
    tmp_path: Path, suffix: str, content: bytes, expected: str
) -> None:
    data = gzip.compress(content) if suffix == ".jsonl.gz" else content
    path = write(tmp_path / f"a{suffix}", data)
    articles, [note] = read(path)
    assert articles == []
    assert (note.origin, note.failed) == (str(path), True)
    assert note.message.startswith(expected)


@pytest.mark.parametrize(
    ("codec", "encoding", "text"),
    [
        ("cp1252", "cp1252 (Windows-1252)", "Café “quoted”"),
        ("latin-1", "latin-1", "Café \x81 has no cp1252 letter"),
        ("utf-16", "UTF-16", "Café"),
    ],
)
def test_text_not_in_utf8_is_read_with_a_warning(
    tmp_path: Path, codec: str, encoding: str, text: str
) -> None:
    path = write(tmp_path / "a.txt", f"Title\n\n{text}".encode(codec))
    [article], [note] = read(path)
    assert (article.title, article.text) == ("Title", text)
    assert not note.failed
    assert note.message == (
        f"not UTF-8: read as {encoding}; if letters look wrong, save the file as UTF-8"
    )


def test_utf8_with_a_byte_order_mark_needs_no_warning(tmp_path: Path) -> None:
    [article], notes = read(write(tmp_path / "a.txt", "\ufeffTitle\n\nCafé.".encode()))
    assert (article.title, article.text, notes) == ("Title", "Café.", [])


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_fifty_megabyte_file_is_refused_without_reading_it(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"big{suffix}"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: no 50 MB is written
    articles, [note] = read(path)
    assert articles == []
    assert note.failed
    assert note.message == (
        "file is 50.0 MB, over the 20 MB limit for one article; split it into several files"
    )


def test_missing_path_and_unsupported_file(tmp_path: Path) -> None:
    pdf = write(tmp_path / "report.pdf", b"%PDF-1.4")
    _, [missing, unsupported] = read(tmp_path / "gone.txt", pdf)
    assert (missing.origin, missing.failed) == (str(tmp_path / "gone.txt"), True)
    assert missing.message.startswith("no such file or directory")
    assert unsupported.failed
    assert unsupported.message.startswith("unsupported file type '.pdf'; newsdesk reads .txt, .md")
    assert all(suffix in unsupported.message for suffix in SUPPORTED_SUFFIXES)


def test_one_bad_file_does_not_stop_the_run(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "Good\n\nText.")
    articles, notes = read(tmp_path / "gone.txt", write(tmp_path / "e.md", ""), good)
    assert [a.title for a in articles] == ["Good"]
    assert len(notes) == 2


def test_messages_name_no_exception_and_carry_no_traceback(tmp_path: Path) -> None:
    whole = gzip.compress(jsonl(*({"text": "x" * 3000} for _ in range(30))).encode())
    paths = [
        tmp_path / "gone.txt",
        write(tmp_path / "t.jsonl.gz", whole[:-40]),
        write(tmp_path / "p.jsonl.gz", b"plain"),
        write(tmp_path / "b.jsonl", "\n".join(["{bad", "[1]", "null", '{"text": []}'] * 8)),
        write(tmp_path / "bin.txt", b"\x00\x01"),
        write(tmp_path / "x.doc", b"doc"),
    ]
    _, notes = read(*paths)
    assert len(notes) >= 25
    for note in notes:
        assert "\n" not in note.message
        for word in ("Traceback", "Error", "Exception", "errno"):
            assert word not in note.message


# --- walking directories -------------------------------------------------------------------


def test_directories_are_walked_sorted_recursively_skipping_hidden_and_unsupported(
    tmp_path: Path,
) -> None:
    for relative in [
        "b.txt",
        "a/z.md",
        "a/y.TXT",
        "c.pdf",
        ".hidden.txt",
        ".git/x.txt",
        "a/.d/q.txt",
    ]:
        write(tmp_path / relative, f"{relative}\n\nBody of {relative}.")
    write(tmp_path / "d" / "n.jsonl", jsonl({"text": "From JSONL."}))
    articles, notes = read(tmp_path)
    assert notes == []
    assert [a.origin for a in articles] == [
        str(tmp_path / "a" / "y.TXT"),
        str(tmp_path / "a" / "z.md"),
        str(tmp_path / "b.txt"),
        f"{tmp_path / 'd' / 'n.jsonl'}:1",
    ]


def test_hidden_file_named_explicitly_is_read(tmp_path: Path) -> None:
    [article], _ = read(write(tmp_path / ".draft.txt", "Draft\n\nText."))
    assert article.title == "Draft"


def test_directory_without_articles_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path / "notes.pdf", b"%PDF")
    _, [note] = read(tmp_path)
    assert not note.failed and note.message.startswith("no article files in this directory")


def test_reading_twice_gives_the_same_ids(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "A\n\nText a.")
    write(tmp_path / "b.md", "# B\n\nText b.")
    first = [a.id for a in read(tmp_path)[0]]
    assert len(set(first)) == 2  # both files read, so the comparison below compares something
    assert [a.id for a in read(tmp_path)[0]] == first


# --- metadata helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-06-16", "2022-06-16"),
        ("2022-06-16T10:00:00Z", "2022-06-16"),
        ("2022-06-16T23:30:00-05:00", "2022-06-16"),
        ("2022-06-16 10:00:00 +0000 UTC", "2022-06-16"),
        ("2022/6/1", "2022-06-01"),
        ("June 16, 2022", "2022-06-16"),
        ("Sept. 3rd, 2022", "2022-09-03"),
        ("Thursday, 16 June 2022", "2022-06-16"),
        ("Thu, 16 Jun 2022 10:00:00 GMT", "2022-06-16"),
        ("Published 4:05 PM EDT, Thu June 16, 2022", "2022-06-16"),
        ("16/06/2022", "2022-06-16"),
        ("06/16/2022", "2022-06-16"),
        ("03/04/2022", None),  # day and month cannot be told apart
        ("2022-02-30", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_date(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.cnn.com/2022/06/12/x.html", "cnn.com"),
        ("https://edition.CNN.com/x", "edition.cnn.com"),
        ("http://www.usatoday.com:8080/x", "usatoday.com"),
        ("", ""),
    ],
)
def test_host_of(url: str, host: str) -> None:
    assert host_of(url) == host


@pytest.mark.parametrize(
    ("value", "authors"),
    [
        ("Jane Doe; John Roe", ("Jane Doe", "John Roe")),
        ("By Jane Doe & John Roe", ("Jane Doe", "John Roe")),
        (["Jane Doe", " Jane Doe ", None], ("Jane Doe",)),
        (None, ()),
        ("", ()),
    ],
)
def test_split_authors(value: object, authors: tuple[str, ...]) -> None:
    assert split_authors(value) == authors


# --- the real corpus ---------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.exists(), reason="the shared news corpus is not on this machine")
def test_first_two_thousand_corpus_articles_stream_cleanly() -> None:
    items = list(itertools.islice(read_paths([CORPUS]), 2000))
    assert all(isinstance(item, Article) for item in items)
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        expected = [json.loads(line)["id"] for line in itertools.islice(handle, 2000)]
    articles = [item for item in items if isinstance(item, Article)]
    assert [a.id for a in articles] == expected
    assert all(a.source and a.text and a.date for a in articles)


def test_a_question_set_is_skipped_with_one_warning(tmp_path: Path) -> None:
    questions = tmp_path / "questions.jsonl"
    questions.write_text('{"id": "q1", "question": "Who?"}\n{"id": "q2", "question": "Why?"}\n')
    items = list(read_paths([tmp_path]))
    assert len(items) == 1
    note = items[0]
    assert isinstance(note, ReadNote) and not note.failed
    assert "question set" in note.message


# --- identity, link loops, missing packages (issue 16) ---------------------------------


def test_a_file_is_known_by_its_resolved_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in ("A", "B"):
        write(tmp_path / folder / "notes.txt", f"Notes from {folder}\n\n{BODY}")
    origins = []
    for folder in ("A", "B"):
        monkeypatch.chdir(tmp_path / folder)
        [article], _ = read("notes.txt")
        origins.append(article.origin)
    assert origins == [str(tmp_path / "A" / "notes.txt"), str(tmp_path / "B" / "notes.txt")]
    (tmp_path / "link.txt").symlink_to(tmp_path / "A" / "notes.txt")
    [linked], _ = read(tmp_path / "link.txt")
    assert linked.origin == origins[0]


def test_a_symlink_loop_is_one_note_and_the_files_beside_it_are_read(tmp_path: Path) -> None:
    write(tmp_path / "good.txt", f"Good\n\n{BODY}")
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    articles, notes = read(tmp_path)
    assert [a.title for a in articles] == ["Good"]
    assert sorted(Path(n.origin).name for n in notes) == ["a.txt", "b.txt"]
    assert all(n.failed and "loops back on itself" in n.message for n in notes)
    _, [note] = read(tmp_path / "a.txt")
    assert note.failed and "fix or remove the link" in note.message


def test_a_package_missing_inside_a_reader_is_one_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a fake for an install whose pip did not resolve lxml[html_clean]: it cannot happen here
    def fake_extract_html(text: str) -> None:
        raise ImportError(
            "lxml.html.clean module is now a separate project lxml_html_clean.\n"
            "Install lxml[html_clean] or lxml_html_clean directly."
        )

    monkeypatch.setattr("index.readers.files.extract_html", fake_extract_html)
    write(tmp_path / "good.txt", f"Good\n\n{BODY}")
    articles, [note] = read(write(tmp_path / "page.html", PAGE), tmp_path / "good.txt")
    assert [a.title for a in articles] == ["Good"]
    assert note.failed and note.origin.endswith("page.html")
    assert note.message == (
        "cannot read HTML: the Python package 'lxml_html_clean' is missing; "
        "pip install lxml_html_clean"
    )
