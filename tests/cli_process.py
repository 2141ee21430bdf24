"""The `newsdesk` command line run in a process of its own, as a second user of an index
would run it, for tests of what one process sees of another's changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def newsdesk(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `newsdesk ARGS...` from the repository root, offline; its exit code and output."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
