"""The wheel holds what an installed newsdesk needs: built from a copy of the sources in
tmp_path (the working tree gets no build/ or egg-info), offline, then read as a zip."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for package in ("index", "qa", "evaluation", "ui"):
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    result = subprocess.run(
        [*command, "--no-index", "--quiet", "--wheel-dir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    [built] = out.glob("newsdesk-*.whl")
    return built


def test_the_wheel_holds_the_web_chat_stylesheet(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "ui/web/app.py" in names  # the wheel was read, so a missing file means missing
    for static in sorted((ROOT / "ui" / "web" / "static").iterdir()):
        assert f"ui/web/static/{static.name}" in names, sorted(names)
    assert "qa/extractive/answerability.json" in names  # bundled_model() reads it
    assert "qa/extractive/sentence_ranker.json" in names  # bundled_ranker() reads it


def test_the_wheel_holds_every_module_and_no_tests(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {
        path.relative_to(ROOT).as_posix()
        for package in ("index", "qa", "evaluation", "ui")
        for path in (ROOT / package).rglob("*.py")
    }
    assert modules and modules <= names, sorted(modules - names)
    assert not any(name.startswith(("tests/", "benchmarks/", "seeds/")) for name in names)
