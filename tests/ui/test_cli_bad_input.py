"""`newsdesk ask` with bad input (issue 16): one line each, and a --jsonl run goes on."""

from __future__ import annotations

import io
import json

import pytest

from qa import NewsDesk
from ui.cli import main

pytestmark = pytest.mark.model


def test_jsonl_line_with_a_number_for_history_is_one_error_and_the_run_goes_on(
    seed_desk: NewsDesk, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        {"question": "Who is Kritenbrink?", "history": 5},
        {"question": "what did Kritenbrink say about expectations?"},
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(json.dumps(x) + "\n" for x in lines)))
    code = main(["ask", "--jsonl", "--index", str(seed_desk.settings.index_dir)])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1
    assert out[0] == {"line": 1, "error": "history must be a list of [question, answer] pairs"}
    assert out[1]["citations"], out[1]


@pytest.mark.parametrize("as_of", ["2023-06-14 trailing junk", "2023-06-14garbage"])
def test_ask_with_junk_after_the_as_of_date_is_refused(
    seed_desk: NewsDesk, capsys: pytest.CaptureFixture[str], as_of: str
) -> None:
    code = main(
        [
            "ask",
            "Who is Kritenbrink?",
            "--as-of",
            as_of,
            "--index",
            str(seed_desk.settings.index_dir),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "as_of must be a date like 2023-06-14" in err and "Traceback" not in err
