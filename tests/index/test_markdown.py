"""The Markdown reader on markdown-it-py and PyYAML: what the libraries now give."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.readers import read_paths
from index.readers.markdown import parse_markdown, split_front_matter
from index.records import Article, ReadNote

# --- front matter ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml", "fields"),
    [
        ("authors:\n  - Jane Doe\n  - 'John Roe'", {"authors": ["Jane Doe", "John Roe"]}),
        ("authors: [Jane Doe, John Roe]", {"authors": ["Jane Doe", "John Roe"]}),
        ("authors: Jane Doe, John Roe", {"authors": "Jane Doe, John Roe"}),
        ("date: 2023-06-14", {"date": "2023-06-14"}),
        ("date: 2023-06-14 18:05:00", {"date": "2023-06-14T18:05:00"}),
        ("date: 2023-06-14T23:30:00-05:00", {"date": "2023-06-14T23:30:00-05:00"}),
        (
            "Title: A\nID: 7\nscore: 1.5\ndraft: true",
            {"title": "A", "id": "7", "score": "1.5", "draft": "true"},
        ),
        ("meta:\n  a: 1\ntags: [x, {y: 1}, 2]\nsource: ~", {"tags": ["x", "2"]}),
    ],
)
def test_front_matter_values_become_text(yaml: str, fields: dict[str, object]) -> None:
    assert split_front_matter(f"---\n{yaml}\n---\nBody") == (fields, "Body")


@pytest.mark.parametrize(
    "source",
    [
        "---\nJust a rule pair\n---\nBody",  # a YAML string
        "---\n- a\n- b\n---\nBody",  # a YAML list
        "---\n---\nBody",  # nothing
        "---\n**Update:** not YAML\n---\nBody",  # a YAML error, and no key line
        "---\ntitle: never closed\nBody",
    ],
)
def test_front_matter_that_is_not_a_mapping_leaves_the_file_as_it_is(source: str) -> None:
    assert split_front_matter(source) == ({}, source)


def test_front_matter_yaml_cannot_read_is_still_kept_out_of_the_text() -> None:
    source = "---\ntitle: Breaking: fire downtown\ndate: 2023-01-02\n---\n# Fire\n\nIt burned."
    fields, body = split_front_matter(source)
    assert body == "# Fire\n\nIt burned." and fields["date"] == "2023-01-02"
    # the front matter's title is the title, so the heading stays in the text, as before
    article = parse_markdown(source)
    assert (article.title, article.text) == ("Breaking: fire downtown", "Fire\n\nIt burned.")


def test_yaml_front_matter_reaches_the_article(tmp_path: Path) -> None:
    content = (
        "---\ntitle: Rain\ndate: 2022-06-16T23:30:00-05:00\nurl: https://x.example.com/r\n"
        "authors:\n  - Jane Doe\n  - John Roe\nid: 42\n---\nIt rained."
    )
    (tmp_path / "a.md").write_text(content, encoding="utf-8")
    items = list(read_paths([tmp_path / "a.md"]))
    assert not [item for item in items if isinstance(item, ReadNote)]
    [article] = [item for item in items if isinstance(item, Article)]
    # the calendar date as written in New York, not converted to UTC
    assert (article.title, article.date, article.id) == ("Rain", "2022-06-16", "42")
    assert (article.authors, article.source) == (("Jane Doe", "John Roe"), "x.example.com")


# --- body -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("- a\n  - *b*\n    - c\n- d", "a\nb\nc\nd"),
        ("1. one\n   - sub\n2. two\n\nAfter.", "1. one\nsub\n2. two\n\nAfter."),
        ("- loose\n\n- items", "loose\n\nitems"),
        (
            "| Name | **Votes** |\n|:--|--:|\n| `Poe` | [7](http://v) |\n| Roe | |",
            "Name | Votes\nPoe | 7\nRoe |",
        ),
        ("a | b\n--|--\n1 | 2", "a | b\n1 | 2"),
        (
            "Mail <editor@x.example.com> or <mailto:a@x.example.com>.",
            "Mail editor@x.example.com or a@x.example.com.",
        ),
        ("Up to the coast\\\non Thursday.", "Up to the coast on Thursday."),
        ("    pip install x\n    newsdesk ingest", "pip install x\nnewsdesk ingest"),
        ("```\n<b>*kept*</b>\n```", "<b>*kept*</b>"),
        ("<div class='x'>\n**Dateline** &mdash; Reuters\n</div>", "Dateline — Reuters"),
        ("<!-- editor's note -->\n\n<style>p {}</style>\n\nText.", "Text."),
        (
            "A [[nested]](http://x) ![img](i.png)[![logo](l.png)](http://y) link.",
            "A [nested] link.",
        ),
        ("Said.[^1]\n\n[^1]: The source, in a footnote.", "Said."),
        ("Said.[^a]\n\n[^a]: https://x.example.com", "Said."),
    ],
)
def test_markdown_body_to_plain_text(markdown: str, text: str) -> None:
    assert parse_markdown("# T\n\n" + markdown).text == text


@pytest.mark.parametrize(
    ("markdown", "title", "text"),
    [
        ("Big news\n========\n\nBody.", "Big news", "Body."),
        ("## Section\n\n# Title\n\nBody.", "Title", "Section\n\nBody."),
        ("---\ntitle: FM *title*\n---\n# Other\n\nBody.", "FM title", "Other\n\nBody."),
    ],
)
def test_title_is_the_first_level_one_heading(markdown: str, title: str, text: str) -> None:
    article = parse_markdown(markdown)
    assert (article.title, article.text) == (title, text)


def test_front_matter_numbers_and_yes_no_stay_as_written() -> None:
    fields, _ = split_front_matter("---\nid: 00123\ndraft: no\nversion: 1.10\n---\nBody")
    assert fields == {"id": "00123", "draft": "no", "version": "1.10"}


def test_front_matter_that_is_not_yaml_keeps_its_plain_key_lines() -> None:
    source = "---\ntitle: Breaking: fire downtown\ndate: 2023-06-14\n---\nThe fire spread."
    fields, body = split_front_matter(source)
    assert fields == {"title": "Breaking: fire downtown", "date": "2023-06-14"}
    assert body == "The fire spread."
