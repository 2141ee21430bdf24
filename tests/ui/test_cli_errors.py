"""What `newsdesk` prints when something goes wrong that is not the user's doing.

A real `newsdesk` process, with one command replaced by a fake bug (a function that
raises): the edge in `main()` must turn it into one line naming NEWSDESK_DEBUG=1 and
a log record, and NEWSDESK_DEBUG=1 must show the traceback.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa import FakeEmbedder
from ui.cli import commands as cli

ROOT = Path(__file__).resolve().parents[2]
# `newsdesk list` whose handler has a bug; the message runs over two lines on purpose
WITH_A_BUG = """
import sys
import ui.cli.commands

def list_with_a_bug(args):
    raise RuntimeError("the catalog row\\nhas no title")

ui.cli.commands._list = list_with_a_bug
sys.exit(ui.cli.commands.main(sys.argv[1:]))
"""


def newsdesk_with_a_bug(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    return subprocess.run(
        [sys.executable, "-c", WITH_A_BUG, "list", "--index", str(tmp_path / "index")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**environ, "HF_HUB_OFFLINE": "1", **env},
    )


def test_a_bug_prints_one_line_naming_newsdesk_debug(tmp_path: Path) -> None:
    result = newsdesk_with_a_bug(tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "newsdesk: ERROR: unexpected RuntimeError: the catalog row has no title; this is a "
        "bug in newsdesk. Run again with NEWSDESK_DEBUG=1 to see the traceback, and report it"
    ]


def test_newsdesk_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = newsdesk_with_a_bug(tmp_path, NEWSDESK_DEBUG="1")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "newsdesk: ERROR: unexpected RuntimeError: the catalog row has no title; "
        "this is a bug in newsdesk, please report it"
    )
    assert lines[1] == "Traceback (most recent call last):"
    assert ", in list_with_a_bug\nRuntimeError: the catalog row\nhas no title\n" in result.stderr


def test_newsdesk_debug_shows_where_a_project_error_came_from(tmp_path: Path) -> None:
    # no index there: a NewsdeskError, one line without NEWSDESK_DEBUG
    argv = ["list", "--index", str(tmp_path / "nowhere")]
    command = [sys.executable, "-m", "ui.cli", *argv]
    environ = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    plain = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=environ)
    assert plain.returncode == 2 and len(plain.stderr.splitlines()) == 1, plain.stderr
    environ["NEWSDESK_DEBUG"] = "1"
    debug = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=environ)
    assert debug.returncode == 2
    assert "Traceback (most recent call last):" in debug.stderr
    assert debug.stderr.splitlines()[-1] == plain.stderr.splitlines()[0]


def test_a_bug_leaves_a_log_record(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def list_with_a_bug(args: object) -> int:
        raise KeyError("title")

    monkeypatch.setattr(cli, "_list", list_with_a_bug)
    with caplog.at_level(logging.ERROR, logger="newsdesk"):
        code = cli.main(["list", "--index", str(tmp_path)], embedder=FakeEmbedder())
    assert code == 1
    [record] = [r for r in caplog.records if r.name == "newsdesk"]
    assert record.levelno == logging.ERROR and not record.exc_info
    assert "unexpected KeyError: 'title'" in record.getMessage()
    assert "NEWSDESK_DEBUG=1" in record.getMessage()
