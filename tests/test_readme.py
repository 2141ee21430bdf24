"""The README is code: its Python examples run as pasted, and its CLI example is a real run.

Both run in a temporary directory holding a copy of seeds/, as a user would from the
repository root, so nothing is written into the repository.

`python tests/test_readme.py --write` regenerates the CLI example at the top of the README
from a real run (do that after a change to answers or scoring).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
NEWSDESK = [sys.executable, "-m", "ui.cli"]
# the first fenced block that shows a `newsdesk ask` run, and the question in it
CLI_BLOCK = re.compile(r"(?ms)^```\n(\$ newsdesk ask \"(?P<question>[^\"]+)\"\n.*?)^```\n")
PYTHON_BLOCK = re.compile(r"(?ms)^```python\n(.*?)^```\n")
QUOTE_LINE = re.compile(
    r'^(?P<indent>\s+)"(?P<quote>.*)"  \[(?P<id>\w+) (?P<start>\d+):(?P<end>\d+)\]$'
)
WIDTH = 90  # the README's code blocks wrap here, so they read without scrolling

# Runs the README's Python blocks in order in one namespace, as one session would, then
# reports what they made. The gradio_client block talks to a running `newsdesk serve`:
# the runner serves the examples' own `desk` on a free port and points the block there.
RUNNER = r"""
import json, socket, sys, threading, time

blocks = json.loads(sys.stdin.read())
namespace = {"__name__": "__readme__"}
for number, code in enumerate(blocks, 1):
    if "http://127.0.0.1:7860/" in code:
        import uvicorn
        from ui.web.app import build_app

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        app = build_app(namespace["desk"], "127.0.0.1", port)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
        deadline = time.monotonic() + 60
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        code = code.replace("http://127.0.0.1:7860/", f"http://127.0.0.1:{port}/")
    exec(compile(code, f"README.md python block {number}", "exec"), namespace)
ns = namespace
print(json.dumps({
    "index_dir": str(ns["desk"].settings.index_dir),
    "answer": [ns["answer"].text, len(ns["answer"].citations), ns["answer"].abstained],
    "follow": [ns["follow"].text, len(ns["follow"].citations)],
    "docs": [d.metadata["article_id"] for d in ns["docs"]],
    "batch": [[a.question, a.text, len(a.citations)] for a in ns["answers"]],
    "first": [ns["first"]["answer"], len(ns["first"]["citations"])],
    "reply": [ns["reply"]["answer"], len(ns["reply"]["citations"])],
}))
"""


def python_blocks(readme: str) -> list[str]:
    """The code of every ```python block, in order.

    >>> python_blocks("x\\n```python\\na = 1\\n```\\n```\\n$ b\\n```\\n```python\\nb = 2\\n```\\n")
    ['a = 1\\n', 'b = 2\\n']
    """
    return PYTHON_BLOCK.findall(readme)


def cli_example(command: str, output: str, width: int = WIDTH) -> str:
    """The README's rendering of a CLI run: `$ command`, the output wrapped at `width`,
    quotes in the sources shortened to their first and last words (offsets kept whole).

    >>> print(cli_example('newsdesk ask "q?"', 'It rose. [1]\\nsources:\\n[1] T\\n'
    ...     '    "one two three four five six seven eight nine ten eleven."  [ab 0:58]'), end="")
    $ newsdesk ask "q?"
    It rose. [1]
    sources:
    [1] T
        "one two three four five six ... nine ten eleven."  [ab 0:58]
    """
    lines = [f"$ {command}"]
    for line in output.rstrip("\n").split("\n"):
        quote = QUOTE_LINE.match(line)
        if quote:
            words = quote["quote"].split()
            short = (
                " ".join([*words[:6], "...", *words[-3:]]) if len(words) > 10 else quote["quote"]
            )
            lines.append(
                f'{quote["indent"]}"{short}"  [{quote["id"]} {quote["start"]}:{quote["end"]}]'
            )
            continue
        # answer text wraps flush left; a source's heading wraps under its title
        indent = "    " if re.match(r"\[\d+\] ", line) else ""
        lines += textwrap.wrap(
            line,
            width,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [""]
    return "\n".join(lines) + "\n"


def test_the_helpers_worked_examples_hold() -> None:
    import doctest

    result = doctest.testmod(sys.modules[__name__])
    assert (result.attempted >= 2, result.failed) == (True, 0)


def seeded_workdir(path: Path) -> Path:
    """A directory like the repository root for a user: seeds/ in it, nothing else."""
    shutil.copytree(ROOT / "seeds", path / "seeds")
    return path


def env() -> dict[str, str]:
    # the examples import the repository's packages, as an installed newsdesk would
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def real_cli_run(workdir: Path, question: str) -> str:
    """`newsdesk ingest seeds/` then `newsdesk ask QUESTION` in `workdir`: the ask output."""
    subprocess.run(
        [*NEWSDESK, "ingest", "seeds/", "--quiet"],
        cwd=workdir,
        env=env(),
        check=True,
        capture_output=True,
        timeout=300,
    )
    done = subprocess.run(
        [*NEWSDESK, "ask", question],
        cwd=workdir,
        env=env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_readme_has_its_examples() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(python_blocks(text)) >= 3
    assert CLI_BLOCK.search(text), "no `$ newsdesk ask` example in the README"


def test_python_examples_run_as_pasted(tmp_path: Path) -> None:
    workdir = seeded_workdir(tmp_path / "checkout")
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    done = subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=json.dumps(blocks),
        cwd=workdir,
        env=env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # the model loads quietly: no "Loading weights" bar, no warnings, nothing at all
    assert done.stderr == "", done.stderr[-3000:]
    made = json.loads(done.stdout.strip().splitlines()[-1])

    index_dir = Path(made["index_dir"]).resolve()
    for inside in (ROOT, workdir.resolve()):
        assert not index_dir.is_relative_to(inside), f"the example writes {index_dir}"
    text, citations, abstained = made["answer"]
    assert citations >= 1 and not abstained, text
    assert "breakthrough" in text
    assert made["follow"][1] >= 1 and made["follow"][0] != text
    assert made["docs"] and set(made["docs"]) == {"4d476bd2c3c5b8d7"}
    assert [q for q, _, _ in made["batch"]] == ["Who is Qin Gang?", "what else did he say?"]
    assert all(n >= 1 for _, _, n in made["batch"]), made["batch"]
    assert made["first"][1] >= 1 and made["reply"][1] >= 1
    assert made["reply"][0] != made["first"][0]
    shutil.rmtree(index_dir, ignore_errors=True)  # the example's own temporary index


def test_the_cli_example_is_a_real_run(tmp_path: Path) -> None:
    readme = README.read_text(encoding="utf-8")
    block = CLI_BLOCK.search(readme)
    assert block
    question = block["question"]
    output = real_cli_run(seeded_workdir(tmp_path), question)
    expected = cli_example(f'newsdesk ask "{question}"', output)
    assert block[1] == expected, (
        "the README's CLI example differs from a real run: "
        "run `python tests/test_readme.py --write` and check the diff"
    )


def test_the_cli_examples_offsets_hold_the_quotes_it_shows() -> None:
    """Independent of any run: each `[id start:end]` in the example is where its quote is."""
    block = CLI_BLOCK.search(README.read_text(encoding="utf-8"))
    assert block
    article = _seed_text()
    shown = re.findall(
        r'"(.+?)"  \[4d476bd2c3c5b8d7 (\d+):(\d+)\]', block[1].replace("\n    ", " ")
    )
    assert shown, block[1]
    for quote, start, end in shown:
        cited = article[int(start) : int(end)]
        head, _, tail = quote.partition(" ... ")
        assert cited.startswith(head) and cited.endswith(tail), (quote, cited)


def _seed_text() -> str:
    from index.readers import read_paths
    from index.records import Article

    [seed] = [
        a
        for a in read_paths([ROOT / "seeds" / "000_08dd639a47279972.txt"])
        if isinstance(a, Article)
    ]
    return seed.text


def write_cli_example() -> None:
    """Replace the README's CLI example with a fresh real run."""
    readme = README.read_text(encoding="utf-8")
    block = CLI_BLOCK.search(readme)
    if block is None:
        raise SystemExit("no `$ newsdesk ask` block in README.md")
    with tempfile.TemporaryDirectory() as tmp:
        output = real_cli_run(seeded_workdir(Path(tmp)), block["question"])
    new = cli_example(f'newsdesk ask "{block["question"]}"', output)
    README.write_text(readme[: block.start(1)] + new + readme[block.end(1) :], encoding="utf-8")
    print(new, end="")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        raise SystemExit("usage: python tests/test_readme.py --write")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    write_cli_example()
