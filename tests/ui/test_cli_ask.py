"""`newsdesk ask`, as a user types it: plain, --json and --jsonl."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from qa import NewsDesk
from ui.cli import main

pytestmark = pytest.mark.model


@pytest.fixture()
def index_args(seed_desk: NewsDesk) -> list[str]:
    return ["--index", str(seed_desk.settings.index_dir)]


def test_ask_prints_answer_and_numbered_sources(index_args, capsys) -> None:
    assert main(["ask", "what did Kritenbrink say about expectations?", *index_args]) == 0
    out = capsys.readouterr().out
    assert "some sort of breakthrough" in out
    assert "sources:" in out
    assert "[1] US Down Plays Chance Of Breakthrough" in out


def test_ask_json_prints_one_object(index_args, capsys) -> None:
    assert main(["ask", "What is the capital of Australia?", "--json", *index_args]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"question", "answer", "abstained", "citations", "timings_ms"} <= data.keys()
    assert data["abstained"] is True


def test_ask_jsonl_answers_each_line_and_reports_bad_ones(index_args, capsys, monkeypatch) -> None:
    lines = [
        json.dumps({"question": "Who is Qin Gang?"}),
        "{not json",
        json.dumps(
            {
                "question": "What else did he say?",
                "history": [["what did Kritenbrink say about expectations?", "..."]],
                "as_of": "2023-06-14",
            }
        ),
        json.dumps({"question": ""}),
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["ask", "--jsonl", *index_args]) == 1
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert len(out) == 4
    assert out[0]["citations"] and out[0]["citations"][0]["quote"]
    assert out[1] == {"line": 2, "error": out[1]["error"]}
    assert "Kritenbrink" in out[2]["standalone_question"]
    assert out[3]["line"] == 4 and "empty" in out[3]["error"]
    assert "line 2:" in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["ask", "   "], "empty"),
        (["ask", "x" * 20_000], "characters long"),
        (["ask"], "what is the question"),
        (["ask", "What is the capital of France?", "--as-of", "last tuesday"], "as_of"),
    ],
)
def test_ask_errors_are_one_line(index_args, capsys, argv, fragment) -> None:
    assert main([*argv, *index_args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsdesk: error:") and fragment in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_ask_without_an_index_says_how_to_build_one(tmp_path: Path, capsys) -> None:
    assert main(["ask", "anything?", "--index", str(tmp_path / "nowhere")]) == 2
    assert "newsdesk ingest" in capsys.readouterr().err
