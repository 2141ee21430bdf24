"""Accepting uploaded article files: only what Gradio received, allow-list, size limit,
safe names inside one folder.

An upload event names files by their path on the server, and a client can name any
path. So a file is ingested only when Gradio's own upload route wrote it (it is in the
record Gradio keeps of what it received, and, resolved, inside Gradio's upload folder,
a regular file and not a link) and this session claimed it when its upload finished.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import stat
import unicodedata
from collections.abc import Collection, Iterable, Sequence
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


@dataclass(frozen=True)
class StoredUpload:
    """An accepted upload: the name the user gave it (sanitised) and the copy ingested."""

    name: str
    path: Path


def received_uploads(
    paths: Iterable[str], received: Collection[str], upload_folder: str | Path
) -> list[str]:
    """The `paths` Gradio's upload route wrote: listed in `received` (what the route
    recorded), inside `upload_folder` once links are resolved, and regular files.

    A path named in an event but not received is how a client would make the server
    read its own disk: Gradio copies such a file into its cache before the handler runs.
    """
    root = os.path.realpath(upload_folder)
    wrote = {os.path.realpath(p) for p in received}
    out = []
    for path in paths:
        real = os.path.realpath(path)
        try:
            regular = stat.S_ISREG(os.lstat(path).st_mode)
        except OSError:
            continue
        if regular and real in wrote and os.path.commonpath([root, real]) == root:
            out.append(path)
    return out


def forget_upload(path: str | Path, upload_folder: str | Path) -> None:
    """Remove a file Gradio holds in `upload_folder`, and its folder when that empties.

    Gradio keeps every upload until the server stops; a deleted article's text must
    not stay behind in it. Paths outside the folder are left alone.
    """
    root = os.path.realpath(upload_folder)
    real = os.path.realpath(path)
    if real == root or os.path.commonpath([root, real]) != root:
        return
    with contextlib.suppress(FileNotFoundError):
        os.unlink(real)
    parent = os.path.dirname(real)
    if parent != root:
        with contextlib.suppress(OSError):  # not empty: another upload shares it
            os.rmdir(parent)


def store_uploads(
    files: Sequence[tuple[str, Path]], folder: Path, max_bytes: int = MAX_UPLOAD_BYTES
) -> tuple[list[StoredUpload], list[UploadRefusal]]:
    """Copy accepted uploads into `folder`; return the copies and the refusals.

    A copy is named `<safe name>-<content hash>.<suffix>`: the same bytes land on the
    same file (an unchanged article), and other bytes under the same name never take
    the place of an earlier upload, so a re-upload cannot replace another's article
    through the file it came from.

    Args:
        files: (name the user gave, where the server holds the bytes now) pairs.
        folder: the upload folder; nothing is written outside it.
        max_bytes: the largest file accepted.
    """
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    stored: list[StoredUpload] = []
    refused: list[UploadRefusal] = []
    for given, held in files:
        display = safe_filename(given)
        refusal = check_upload(display, held.stat().st_size, max_bytes)
        if refusal is not None:
            refused.append(refusal)
            continue
        target = _content_target(root, display, held)
        if target.parent != root:  # safe_filename makes this impossible; a second lock on the door
            refused.append(
                UploadRefusal(display, f"{display} would be written outside the upload folder")
            )
            continue
        if not target.exists():
            shutil.copyfile(held, target)
        stored.append(StoredUpload(display, target))
    return stored, refused


def user_origin(origin: str, stored: Sequence[StoredUpload]) -> str:
    """An ingest note's origin as the user knows it: their file name, never a server path.

    >>> user_origin("/srv/idx/uploads/a-1f2e.jsonl:3", [StoredUpload("a.jsonl",
    ...     Path("/srv/idx/uploads/a-1f2e.jsonl"))])
    'a.jsonl:3'
    >>> user_origin("/srv/elsewhere/b.txt", [])
    'b.txt'
    """
    for upload in stored:
        path = str(upload.path)
        if origin == path or (origin.startswith(path + ":") and origin[len(path) + 1 :].isdigit()):
            return upload.name + origin[len(path) :]
    return Path(origin).name


def _content_target(root: Path, name: str, held: Path) -> Path:
    """`root/stem-HASH.suffix`, HASH the first 12 hex digits of the content's sha256."""
    suffix = allowed_suffix(name) or ""
    stem = name[: len(name) - len(suffix)]
    return (root / f"{stem}-{_digest(held)[:12]}{suffix}").resolve()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
