"""The `.meta.json` sidecar that gives a .txt article its date, source, url and authors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.readers import read_paths
from index.readers.text import sidecar_path
from index.records import Article, ReadNote, text_hash

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TEXT = "Rain in Quellington\n\nIt rained for the third day in Quellington, officials said.\n"


def read(path: Path) -> tuple[list[Article], list[ReadNote]]:
    items = list(read_paths([path]))
    return (
        [item for item in items if isinstance(item, Article)],
        [item for item in items if isinstance(item, ReadNote)],
    )


def article_with(tmp_path: Path, sidecar: str | None, text: str = TEXT) -> Path:
    path = tmp_path / "rain.txt"
    path.write_text(text, encoding="utf-8")
    if sidecar is not None:
        (tmp_path / "rain.meta.json").write_text(sidecar, encoding="utf-8")
    return path


def test_the_seed_has_its_date_source_and_url_and_keeps_its_id() -> None:
    articles, notes = read(SEEDS / "000_08dd639a47279972.txt")
    assert notes == []
    [seed] = articles
    assert seed.id == "4d476bd2c3c5b8d7" == text_hash(seed.text)
    assert (seed.date, seed.source) == ("2023-06-14", "Reuters")
    assert seed.url.startswith("https://")


def test_the_seeds_directory_reads_the_sidecar_as_metadata_not_as_an_article() -> None:
    articles = [a for a in read_paths([SEEDS]) if isinstance(a, Article)]
    assert [a.id for a in articles] == ["4d476bd2c3c5b8d7"]
    assert articles[0].source == "Reuters"


def test_sidecar_fields_are_read_and_win_over_the_text_header(tmp_path: Path) -> None:
    text = "Rain\n\nDate: 2020-01-01\nSource: Old Gazette\n\nIt rained for days, officials said.\n"
    sidecar = {
        "title": "Rain, again",
        "date": "June 3, 2024",
        "source": "Test Wire",
        "url": "https://example.com/rain",
        "authors": ["Ann Poe", "Jo Roe"],
    }
    [article], notes = read(article_with(tmp_path, json.dumps(sidecar), text))
    assert notes == []
    assert (article.title, article.date, article.source, article.url, article.authors) == (
        "Rain, again",
        "2024-06-03",
        "Test Wire",
        "https://example.com/rain",
        ("Ann Poe", "Jo Roe"),
    )
    assert article.text == "It rained for days, officials said."


def test_without_a_sidecar_the_text_header_still_counts(tmp_path: Path) -> None:
    text = "Rain\n\nSource: Old Gazette\n\nIt rained for days, officials said.\n"
    [article], notes = read(article_with(tmp_path, None, text))
    assert (notes, article.source) == ([], "Old Gazette")


@pytest.mark.parametrize(
    ("sidecar", "says"),
    [
        ('{"date": "2024-06-03",', "sidecar is not JSON"),
        ('["2024-06-03"]', "sidecar must be a JSON object"),
        ("", "sidecar is not JSON"),
    ],
)
def test_an_unusable_sidecar_is_a_warning_and_the_article_is_still_read(
    tmp_path: Path, sidecar: str, says: str
) -> None:
    [article], notes = read(article_with(tmp_path, sidecar))
    [note] = notes
    assert says in note.message and "read" in note.message
    assert note.origin == str(tmp_path / "rain.meta.json")
    assert not note.failed
    assert article.date is None and article.text.startswith("It rained")


def test_unknown_sidecar_fields_are_named_and_the_rest_kept(tmp_path: Path) -> None:
    [article], notes = read(article_with(tmp_path, '{"source": "Wire", "publisher": "X"}'))
    assert [n.message for n in notes] == [
        "sidecar field(s) publisher ignored; it takes title, date, source, url, authors"
    ]
    assert article.source == "Wire"


def test_a_bad_date_or_url_in_the_sidecar_is_dropped_with_the_usual_warning(
    tmp_path: Path,
) -> None:
    sidecar = '{"date": "someday", "url": "javascript:alert(1)"}'
    [article], notes = read(article_with(tmp_path, sidecar))
    assert (article.date, article.url) == (None, "")
    assert len(notes) == 2
    assert "YYYY-MM-DD" in notes[0].message and "http(s)" in notes[1].message


def test_a_sidecar_not_in_utf8_is_a_warning(tmp_path: Path) -> None:
    path = article_with(tmp_path, None)
    (tmp_path / "rain.meta.json").write_bytes('{"source": "Café"}'.encode("cp1252"))
    [article], [note] = read(path)
    assert "sidecar not read (not UTF-8)" in note.message and article.source == ""


def test_a_sidecar_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    [article], notes = read(article_with(tmp_path, '\ufeff{"source": "Wire"}'))
    assert (notes, article.source) == ([], "Wire")


def test_sidecar_path_sits_beside_the_text() -> None:
    assert sidecar_path(Path("/a/b/x.y.txt")) == Path("/a/b/x.y.meta.json")
