"""The `newsdesk` command line run in a process of its own, as a second user of an index
would run it, for tests of what one process sees of another's changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _offline() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}


def newsdesk(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `newsdesk ARGS...` from the repository root, offline; its exit code and output."""
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args],
        cwd=ROOT,
        env=_offline(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def start_newsdesk(*args: str) -> subprocess.Popen[str]:
    """`newsdesk ARGS...` started as `newsdesk` runs it, left running beside the test."""
    return subprocess.Popen(
        [sys.executable, "-m", "ui.cli", *args],
        cwd=ROOT,
        env=_offline(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
