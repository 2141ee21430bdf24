"""Find the Chromium the browser tests drive, or install it where that is allowed.

`make test` runs this before pytest. Playwright's own `playwright install` downloads
from a CDN that these machines cannot reach, so the tests drive a system Chromium:

- `NEWSDESK_TEST_CHROMIUM`, when set, names the binary; nothing else is tried;
- else `chromium` or `chromium-browser` on PATH, or /usr/bin/chromium;
- else, as root with apt-get (CI, a fresh container), Debian's `chromium` is installed;
- else it stops with the exact command to run.

Run: `python tests/ensure_chromium.py` (exit 0: found, its path printed; 1: not found).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

VARIABLE = "NEWSDESK_TEST_CHROMIUM"
NAMES = ("chromium", "chromium-browser")
DEFAULT = "/usr/bin/chromium"
PACKAGES = ("chromium", "fonts-dejavu-core")  # a font, so pages render text in screenshots
APT_INSTALL = ("apt-get", "install", "-y", "-qq", *PACKAGES)


@dataclass(frozen=True)
class Plan:
    """What to do about Chromium: use `path`, run `commands` first, or stop with `message`."""

    path: str | None = None
    commands: tuple[tuple[str, ...], ...] = ()
    message: str = ""


def choose(
    environ: Mapping[str, str],
    which: Callable[[str], str | None],
    exists: Callable[[str], bool],
    is_root: bool,
) -> Plan:
    """Decide, without touching the machine, how the tests get their Chromium.

    >>> apt_only = lambda name: "/usr/bin/apt-get" if name == "apt-get" else None
    >>> choose({}, apt_only, lambda path: False, is_root=True).commands[-1][:2]
    ('apt-get', 'install')
    >>> choose({}, lambda name: None, lambda path: False, is_root=True).message[:30]
    'no Chromium found and no apt-g'
    >>> choose({}, lambda name: "/bin/" + name, lambda path: True, is_root=False).path
    '/bin/chromium'
    """
    given = environ.get(VARIABLE, "").strip()
    if given:
        if exists(given):
            return Plan(path=given)
        return Plan(
            message=f"{VARIABLE}={given} does not exist: point it at a Chromium binary, "
            f"or unset it to use {DEFAULT}"
        )
    for name in NAMES:
        found = which(name)
        if found:
            return Plan(path=found)
    if exists(DEFAULT):
        return Plan(path=DEFAULT)
    if which("apt-get") is None:
        return Plan(
            message="no Chromium found and no apt-get to install it: install Chromium with "
            f"your system's package manager, then set {VARIABLE}=/path/to/chromium"
        )
    if not is_root:
        return Plan(
            message="no Chromium found for the browser tests: run "
            f"`sudo apt-get update && sudo {' '.join(APT_INSTALL)}`, then `make test` again"
        )
    return Plan(commands=(("apt-get", "update", "-qq"), APT_INSTALL))


def main(argv: Sequence[str] | None = None) -> int:
    """Find or install Chromium; print its path, or the one line that says what to do."""
    del argv  # no options: the environment says everything
    plan = choose(os.environ, shutil.which, os.path.exists, is_root=_is_root())
    if plan.commands:
        print("installing Debian's chromium for the browser tests (about a minute)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in plan.commands:
            if subprocess.run(command, env=env, check=False).returncode != 0:
                print(
                    f"ensure_chromium: `{' '.join(command)}` failed (see above); install "
                    f"Chromium by hand and set {VARIABLE}=/path/to/chromium",
                    file=sys.stderr,
                )
                return 1
        plan = choose(os.environ, shutil.which, os.path.exists, is_root=False)
    if plan.path is None:
        print(f"ensure_chromium: {plan.message}", file=sys.stderr)
        return 1
    print(f"browser tests use Chromium at {plan.path}")
    return 0


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def chromium_for_tests(environ: Mapping[str, str] = os.environ) -> str:
    """The Chromium path the browser fixture launches: the variable's, else what is found.

    Never installs anything; when nothing is found, the default path, so the fixture's
    failure names it.
    """
    plan = choose(environ, shutil.which, os.path.exists, is_root=False)
    if plan.path:
        return plan.path
    return environ.get(VARIABLE, "").strip() or DEFAULT


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
