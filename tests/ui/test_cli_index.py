"""`newsdesk ingest | list | delete`, called as `main([...])` and read from its output.

Most tests pass `main(..., embedder=FakeEmbedder(...))`: what the CLI prints does not
depend on the model, and loading the real one per call would cost seconds each. One test runs the
default (real, bundled) model end to end, and tests/index/ cover it in depth.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from index import Embedder, FakeEmbedder, NewsIndex
from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_08dd639a47279972.txt"
FAKE = FakeEmbedder(name="fake-cli")  # the deterministic fake embedder, passed to main()
SUMMARY = re.compile(
    r"^added (\d+), updated (\d+), unchanged (\d+), failed (\d+) \(\d+ chunks in \d+\.\ds\)$"
)
Capture = pytest.CaptureFixture[str]


def records(count: int) -> list[dict[str, str]]:
    return [
        {
            "id": f"story-{i}",
            "title": f"Council story {i}",
            "text": f"The council met for the {i}th time. It voted on the budget for schools.",
            "date": f"2023-06-1{i}",
            "source": "Daily Bugle",
            "url": f"https://bugle.example.com/{i}",
        }
        for i in range(count)
    ]


@pytest.fixture()
def news(tmp_path: Path) -> Path:
    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records(2)), encoding="utf-8")
    return path


@pytest.fixture()
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


def run(capsys: Capture, *argv: str, embedder: Embedder | None = FAKE) -> tuple[int, str, str]:
    """`newsdesk ARGV...` with the fake embedder, or with `--model` when `embedder` is None."""
    code = main(list(argv), embedder=embedder)
    out, err = capsys.readouterr()
    return code, out, err


def summary(out: str) -> tuple[int, ...]:
    match = SUMMARY.match(out.splitlines()[0])
    assert match, out
    return tuple(int(n) for n in match.groups())


def assert_one_error_line(code: int, out: str, err: str, says: str) -> None:
    assert code == 2
    assert out == ""
    assert err.startswith("newsdesk: error: ") and err.endswith("\n") and err.count("\n") == 1
    assert says in err, err
    assert "Traceback" not in err


def test_ingest_prints_the_summary_and_a_second_run_adds_nothing(
    capsys: Capture, news: Path, index_dir: Path
) -> None:
    code, out, err = run(capsys, "ingest", str(news), "--index", str(index_dir), "--quiet")
    assert code == 0 and err == ""
    assert summary(out) == (2, 0, 0, 0)
    code, out, _ = run(capsys, "ingest", str(news), "--index", str(index_dir), "--quiet")
    assert code == 0 and summary(out) == (0, 0, 2, 0)
    assert out.count("\n") == 1


def test_ingest_shows_progress_in_articles_and_chunks_per_second(
    capsys: Capture, news: Path, index_dir: Path
) -> None:
    code, out, err = run(capsys, "ingest", str(news), "--index", str(index_dir))
    assert code == 0 and summary(out) == (2, 0, 0, 0)
    assert re.search(r"2 articles.*chunks/s", err), err


def test_ingest_lists_each_failure_with_its_reason(
    capsys: Capture, news: Path, tmp_path: Path, index_dir: Path
) -> None:
    missing, empty, binary = tmp_path / "missing.txt", tmp_path / "empty.txt", tmp_path / "b.txt"
    empty.write_bytes(b"")
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    paths = [str(p) for p in (missing, news, empty, binary)]
    code, out, err = run(capsys, "ingest", *paths, "--index", str(index_dir), "--quiet")
    assert code == 0  # something was indexed
    assert summary(out) == (2, 0, 0, 3)
    assert out.splitlines()[1:] == [
        f"  failed: {missing}: no such file or directory; check the path",
        f"  failed: {empty}: empty file; nothing to read",
        f"  failed: {binary}: binary file, not an article; newsdesk reads "
        ".txt, .md, .markdown, .html, .htm, .jsonl, .jsonl.gz, .rss, .atom, .xml",
    ]
    assert err == ""


def test_ingest_that_reads_nothing_exits_1(
    capsys: Capture, tmp_path: Path, index_dir: Path
) -> None:
    missing = tmp_path / "missing.txt"
    code, out, _ = run(capsys, "ingest", str(missing), "--index", str(index_dir), "--quiet")
    assert code == 1
    assert summary(out) == (0, 0, 0, 1)


def test_list_shows_id_title_date_source_chunks_and_group(
    capsys: Capture, news: Path, index_dir: Path, tmp_path: Path
) -> None:
    # another outlet's copy of story-0, word for word: one group with it
    copy = {**records(1)[0], "id": "copy-0", "source": "Wire", "title": "Copy"}
    copies = tmp_path / "copies.jsonl"
    copies.write_text(json.dumps(copy) + "\n", encoding="utf-8")
    run(capsys, "ingest", str(news), str(copies), "--index", str(index_dir), "--quiet")
    code, out, err = run(capsys, "list", "--index", str(index_dir))
    assert code == 0 and err == ""
    index = NewsIndex.open(index_dir, FAKE)
    chunks: dict[str, int] = {}
    for stored in index.store.scan():
        chunks[stored.chunk.article_id] = chunks.get(stored.chunk.article_id, 0) + 1
    groups = {s.id: s.group for s in index.summaries()}
    index.close()
    assert groups["copy-0"] == groups["story-0"] != groups["story-1"]
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "DATE", "SOURCE", "CHUNKS", "GROUP", "TITLE"]
    rows = [line.split(maxsplit=6) for line in lines[1:-1]]
    expected = [
        [
            f"story-{i}",
            f"2023-06-1{i}",
            "Daily",
            "Bugle",
            str(chunks[f"story-{i}"]),
            str(groups[f"story-{i}"]),
            f"Council story {i}",
        ]
        for i in range(2)
    ]
    expected.append(
        ["copy-0", "2023-06-10", "Wire", str(chunks["copy-0"]), str(groups["copy-0"]), "Copy"]
    )
    assert rows == expected
    assert lines[-1] == "3 articles, 2 of them in 1 groups of copies"


def test_list_json_gives_one_object_per_article(
    capsys: Capture, news: Path, index_dir: Path
) -> None:
    run(capsys, "ingest", str(news), "--index", str(index_dir), "--quiet")
    code, out, _ = run(capsys, "list", "--json", "--index", str(index_dir))
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["id"], r["title"], r["date"], r["source"], r["url"]) for r in rows] == [
        (r["id"], r["title"], r["date"], r["source"], r["url"]) for r in records(2)
    ]
    assert all(r["chunks"] >= 1 for r in rows)
    assert all(isinstance(r["group"], str) and r["group"].startswith("g") for r in rows)
    assert rows[0]["group"] != rows[1]["group"]


def test_list_of_an_empty_index_says_how_to_fill_it(
    capsys: Capture, tmp_path: Path, index_dir: Path
) -> None:
    run(capsys, "ingest", str(tmp_path / "missing.txt"), "--index", str(index_dir))
    code, out, _ = run(capsys, "list", "--index", str(index_dir))
    assert code == 0
    assert out == "no articles indexed: run 'newsdesk ingest PATH...'\n"


def test_delete_removes_articles_and_reports_unknown_ids(
    capsys: Capture, news: Path, index_dir: Path
) -> None:
    run(capsys, "ingest", str(news), "--index", str(index_dir), "--quiet")
    code, out, _ = run(capsys, "delete", "story-0", "no-such-id", "--index", str(index_dir))
    assert code == 1
    assert out.splitlines() == ["deleted: story-0", "not found: no-such-id"]
    _, listed, _ = run(capsys, "list", "--json", "--index", str(index_dir))
    assert [json.loads(line)["id"] for line in listed.splitlines()] == ["story-1"]
    index = NewsIndex.open(index_dir, FAKE)
    assert {s.chunk.article_id for s in index.store.scan()} == {"story-1"}
    assert all(i.startswith("story-1:") for i in index.lexical().chunk_ids)
    index.close()
    code, out, _ = run(capsys, "delete", "story-1", "--index", str(index_dir))
    assert code == 0 and out == "deleted: story-1\n"


def test_errors_print_one_line_and_exit_2(
    capsys: Capture, news: Path, tmp_path: Path, index_dir: Path
) -> None:
    missing = tmp_path / "nowhere"
    assert_one_error_line(*run(capsys, "list", "--index", str(missing)), says="newsdesk ingest")
    assert_one_error_line(
        *run(capsys, "delete", "x", "--index", str(missing)), says="newsdesk ingest"
    )
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert_one_error_line(
        *run(capsys, "ingest", str(news), "--index", str(a_file)), says="is a file"
    )
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"\xff\xd8")
    assert_one_error_line(
        *run(capsys, "ingest", str(news), "--index", str(other)),
        says="is not a newsdesk index",
    )


def test_another_model_is_refused_in_one_line(capsys: Capture, news: Path, index_dir: Path) -> None:
    a, b = FakeEmbedder(name="fake-a"), FakeEmbedder(name="fake-b")
    run(capsys, "ingest", str(news), "--index", str(index_dir), "--quiet", embedder=a)
    code, out, err = run(capsys, "list", "--index", str(index_dir), embedder=b)
    assert_one_error_line(code, out, err, says="built with embedding model 'fake-a'")
    assert "rebuild" in err


def test_a_bad_model_fails_in_one_line_and_does_not_claim_the_index(
    capsys: Capture, news: Path, index_dir: Path
) -> None:
    for bad in ("/nonexistent/model", ""):
        argv = ["ingest", str(news), "--index", str(index_dir), "--quiet", "--model", bad]
        code, out, err = run(capsys, *argv, embedder=None)
        assert_one_error_line(code, out, err, says="embedding model")
    code, out, _ = run(capsys, "ingest", str(news), "--index", str(index_dir), "--quiet")
    assert code == 0 and summary(out) == (2, 0, 0, 0)


def test_the_command_prints_only_its_summary(news: Path, index_dir: Path) -> None:
    # a real process: library log lines and warnings would show here, not under capsys
    argv = ["ingest", str(news), "--index", str(index_dir), "--quiet"]
    fake_main = (
        "import sys; from index import FakeEmbedder; from ui.cli import main; "
        f"sys.exit(main({argv!r}, embedder=FakeEmbedder(name='fake-cli')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", fake_main],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert summary(result.stdout) == (2, 0, 0, 0) and result.stdout.count("\n") == 1


@pytest.mark.model
def test_ingest_list_delete_with_the_bundled_model(capsys: Capture, index_dir: Path) -> None:
    argv = ["ingest", str(SEED), "--index", str(index_dir), "--quiet"]
    code, out, _ = run(capsys, *argv, embedder=None)
    assert code == 0 and summary(out) == (1, 0, 0, 0)
    code, out, _ = run(capsys, "list", "--index", str(index_dir), embedder=None)
    [row] = out.splitlines()[1:-1]
    article_id, date, source, chunks, group, title = row.split(maxsplit=5)
    assert (date, source) == ("2023-06-14", "Reuters")  # from the seed's .meta.json sidecar
    assert int(chunks) >= 3 and group.startswith("g")
    full = "US Down Plays Chance Of Breakthrough From Blinken China Visit After Tense Call"
    assert title.endswith("…") and full.startswith(title[:-1])  # cut to fit the table
    code, out, _ = run(capsys, "delete", article_id, "--index", str(index_dir), embedder=None)
    assert code == 0 and out == f"deleted: {article_id}\n"
