"""Accepting uploaded article files: allow-list, size limit, safe names inside one folder."""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ALLOWED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
MAX_UPLOAD_BYTES = 5 * 2**20  # per file; larger collections go through `newsdesk ingest`
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 100


@dataclass(frozen=True)
class UploadRefusal:
    """Why one uploaded file was not accepted, in words for the user."""

    name: str
    reason: str


def safe_filename(name: str) -> str:
    """A file name that stays inside its folder: no path parts, no dots in front, plain characters.

    >>> safe_filename("../../etc/passwd.txt"), safe_filename("Été 2023 report.md")
    ('passwd.txt', 'Ete_2023_report.md')
    >>> safe_filename("..\\\\..\\\\x.html"), safe_filename("...")
    ('x.html', 'upload')
    """
    base = re.split(r"[\\/]", name)[-1]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE.sub("_", ascii_name).lstrip("._-")
    if not cleaned or not cleaned.strip("._-"):
        return "upload"
    if len(cleaned) > _MAX_NAME:
        stem, dot, suffix = cleaned.rpartition(".")
        cleaned = stem[: _MAX_NAME - len(suffix) - 1] + dot + suffix if dot else cleaned[:_MAX_NAME]
    return cleaned


def allowed_suffix(name: str) -> str | None:
    """The allowed suffix `name` ends with, or None.

    >>> allowed_suffix("a.TXT"), allowed_suffix("a.jsonl"), allowed_suffix("a.exe")
    ('.txt', '.jsonl', None)
    """
    lower = name.lower()
    return next((s for s in ALLOWED_SUFFIXES if lower.endswith(s)), None)


def check_upload(name: str, size: int, max_bytes: int = MAX_UPLOAD_BYTES) -> UploadRefusal | None:
    """Why a file of this name and size is refused, or None when it is accepted.

    >>> print(check_upload("notes.pdf", 10).reason)  # doctest: +NORMALIZE_WHITESPACE
    notes.pdf is not an article file newsdesk can read:
    upload .txt, .md, .markdown, .html, .htm or .jsonl
    >>> check_upload("a.txt", 10) is None
    True
    """
    if allowed_suffix(name) is None:
        kinds = ", ".join(ALLOWED_SUFFIXES[:-1]) + " or " + ALLOWED_SUFFIXES[-1]
        return UploadRefusal(
            name, f"{name} is not an article file newsdesk can read: upload {kinds}"
        )
    if size > max_bytes:
        return UploadRefusal(
            name,
            f"{name} is {human_size(size)}, over the {human_size(max_bytes)} upload limit: "
            "split it, or ingest it on the server with 'newsdesk ingest PATH'",
        )
    if size == 0:
        return UploadRefusal(name, f"{name} is empty: there is nothing to ingest")
    return None


def human_size(n: int) -> str:
    """A byte count as people (and Gradio's upload messages) read it: 1 kB is 1024 bytes.

    >>> human_size(512), human_size(2_048), human_size(5 * 2**20)
    ('512 bytes', '2.0 kB', '5.0 MB')
    """
    if n >= 2**20:
        return f"{n / 2**20:.1f} MB"
    if n >= 2**10:
        return f"{n / 2**10:.1f} kB"
    return f"{n} bytes"


def store_uploads(
    files: Sequence[tuple[str, Path]], folder: Path, max_bytes: int = MAX_UPLOAD_BYTES
) -> tuple[list[Path], list[UploadRefusal]]:
    """Copy accepted uploads into `folder` under safe names; return the copies and the refusals.

    Args:
        files: (name the user gave, where the server holds the bytes now) pairs.
        folder: the upload folder; nothing is written outside it.
        max_bytes: the largest file accepted.
    """
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    stored: list[Path] = []
    refused: list[UploadRefusal] = []
    for given, held in files:
        display = safe_filename(given)
        refusal = check_upload(display, held.stat().st_size, max_bytes)
        if refusal is not None:
            refused.append(refusal)
            continue
        target = _free_target(root, display, held)
        if target.parent != root:  # safe_filename makes this impossible; a second lock on the door
            refused.append(
                UploadRefusal(display, f"{display} would be written outside the upload folder")
            )
            continue
        if not target.exists():
            shutil.copyfile(held, target)
        stored.append(target)
    return stored, refused


def _free_target(root: Path, name: str, held: Path) -> Path:
    """`root/name`, or `root/stem-HASH.suffix` when another file already holds that name."""
    target = (root / name).resolve()
    if not target.exists() or _digest(target) == _digest(held):
        return target
    suffix = allowed_suffix(name) or ""
    stem = name[: len(name) - len(suffix)]
    return (root / f"{stem}-{_digest(held)[:8]}{suffix}").resolve()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
