"""`make test`'s set-up step that finds Chromium, or installs it where it may."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from ensure_chromium import APT_INSTALL, DEFAULT, VARIABLE, Plan, choose

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "ensure_chromium.py"


Which = Callable[[str], str | None]
Exists = Callable[[str], bool]


def machine(
    on_path: dict[str, str] | None = None, files: set[str] | None = None
) -> tuple[Which, Exists]:
    """A stand-in `which` and `exists` for a machine holding `on_path` and `files`."""
    on_path = on_path or {}
    files = set(files or ()) | set(on_path.values())
    return on_path.get, files.__contains__


@pytest.mark.parametrize(
    ("environ", "on_path", "files", "is_root", "expected"),
    [
        # the variable wins over everything on the machine
        (
            {VARIABLE: "/opt/chrome/chrome"},
            {"chromium": "/usr/bin/chromium"},
            {"/opt/chrome/chrome"},
            False,
            Plan(path="/opt/chrome/chrome"),
        ),
        ({}, {"chromium": "/usr/local/bin/chromium"}, None, False, Plan("/usr/local/bin/chromium")),
        (
            {},
            {"chromium-browser": "/snap/bin/chromium-browser"},
            None,
            True,
            Plan("/snap/bin/chromium-browser"),
        ),
        ({}, None, {DEFAULT}, False, Plan(path=DEFAULT)),
        ({VARIABLE: "  "}, None, {DEFAULT}, False, Plan(path=DEFAULT)),  # blank = unset
        # root with apt: install, then look again
        (
            {},
            {"apt-get": "/usr/bin/apt-get"},
            None,
            True,
            Plan(commands=(("apt-get", "update", "-qq"), APT_INSTALL)),
        ),
    ],
)
def test_choose_finds_or_installs(
    environ: dict[str, str],
    on_path: dict[str, str] | None,
    files: set[str] | None,
    is_root: bool,
    expected: Plan,
) -> None:
    which, exists = machine(on_path, files)
    assert choose(environ, which, exists, is_root=is_root) == expected


def test_a_variable_naming_nothing_stops_and_never_falls_back() -> None:
    which, exists = machine({"chromium": "/usr/bin/chromium", "apt-get": "/usr/bin/apt-get"})
    plan = choose({VARIABLE: "/nowhere/chrome"}, which, exists, is_root=True)
    assert (plan.path, plan.commands) == (None, ())
    assert plan.message.startswith(f"{VARIABLE}=/nowhere/chrome does not exist")


def test_without_root_it_stops_with_the_exact_command() -> None:
    which, exists = machine({"apt-get": "/usr/bin/apt-get"})
    plan = choose({}, which, exists, is_root=False)
    assert (plan.path, plan.commands) == (None, ())
    assert (
        "run `sudo apt-get update && sudo apt-get install -y -qq chromium fonts-dejavu-core`"
        in plan.message
    )


def test_without_apt_it_says_to_install_by_hand_and_set_the_variable() -> None:
    which, exists = machine()
    plan = choose({}, which, exists, is_root=True)
    assert plan.path is None and not plan.commands
    assert "no apt-get" in plan.message and f"{VARIABLE}=/path/to/chromium" in plan.message


def run_script(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_script_finds_this_machines_chromium(tmp_path: Path) -> None:
    fake = tmp_path / "chromium"  # any existing file: the script checks presence, not version
    fake.write_text("")
    done = run_script(**{VARIABLE: str(fake)})
    assert (done.returncode, done.stdout.strip()) == (0, f"browser tests use Chromium at {fake}")


def test_the_script_stops_with_one_line_when_the_variable_names_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no-chromium"
    done = run_script(**{VARIABLE: str(missing)})
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"ensure_chromium: {VARIABLE}={missing} does not exist: point it at a Chromium "
        f"binary, or unset it to use {DEFAULT}"
    ]


@pytest.mark.browser
def test_the_variable_reaches_the_browser_fixture(tmp_path: Path) -> None:
    """the rootdir conftest.py clears NEWSDESK_* before the tests; NEWSDESK_TEST_* must survive."""
    missing = tmp_path / "no-chromium"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/ui/test_browser.py::test_bad_as_of_date_shows_the_message",
            "-x",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env={**os.environ, VARIABLE: str(missing)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode != 0, done.stdout[-2000:]
    assert f"no Chromium at {missing}" in done.stdout, done.stdout[-2000:]
