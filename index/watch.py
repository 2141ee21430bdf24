"""Watch a folder and hand over the article files that arrive in it, once complete.

A file is complete when its size and modification time have stayed the same for
`settle_seconds` of watching. A writer that pauses for longer than that has its file
handed over twice, half and then whole; the second read replaces the first, since an
edited file replaces the article it held.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from index.readers import SUPPORTED_SUFFIXES
from index.readers.text import SIDECAR_SUFFIX

# what editors, downloaders and copy tools write while a file is not finished yet
TEMPORARY_SUFFIXES: tuple[str, ...] = (
    ".tmp",
    ".temp",
    ".part",
    ".partial",
    ".crdownload",
    ".download",
    ".swp",
    ".swx",
    "~",
)


def watch(
    directory: Path,
    on_batch: Callable[[list[Path]], None],
    *,
    stop: threading.Event | None = None,
    settle_seconds: float = 1.0,
    suffixes: Sequence[str] = SUPPORTED_SUFFIXES,
    initial: bool = True,
) -> None:
    """Call `on_batch` with each batch of article files added or changed under `directory`.

    Folders are watched recursively. Hidden files and folders (a name starting with
    `.`, as rsync's and Emacs's temporary files do) and temporary files (`*.tmp`,
    `*.part`, `*~`, `*.swp`, ...) are never handed over; a file renamed from such a
    name to an article name is, once complete. A folder moved in is read whole. A
    changed `.meta.json` sidecar hands over its `.txt` again.

    Returns when `stop` is set (within a fraction of a second). KeyboardInterrupt is
    not caught; an exception from `on_batch` ends the watch and propagates.

    Args:
        directory: the folder to watch; it must exist.
        on_batch: called with the complete files of one batch, sorted, absolute.
        stop: set it, from any thread, to end the watch.
        settle_seconds: how long a file must stay unchanged to count as complete.
        suffixes: the file endings handed over (the readers' suffixes by default).
        initial: also hand over the files already there when the watch starts
            (the index skips the unchanged ones cheaply).
    """
    import watchfiles

    root = Path(os.path.realpath(directory))
    if not root.is_dir():
        raise NotADirectoryError(
            f"{directory}: no such folder to watch; create it, or give the folder the "
            "articles arrive in"
        )
    endings = tuple(suffix.lower() for suffix in suffixes)
    settling = _Settling(settle_seconds)
    # woken this often with no change, to see whether pending files have settled
    wake_ms = max(20, min(500, int(settle_seconds * 1000 / 4)))
    changes = watchfiles.watch(
        root,
        watch_filter=None,
        debounce=max(wake_ms, 50),
        step=min(50, wake_ms),
        stop_event=stop,
        rust_timeout=wake_ms,
        yield_on_timeout=True,
        recursive=True,
    )
    started = False
    for batch in changes:
        if not started:  # the watcher runs from here: no file can fall between the two
            started = True
            if initial:
                settling.add_all(files_under(root, endings))
        for change, name in batch:
            path = Path(name)
            if _hidden_or_temporary(path, root):
                continue
            if change == watchfiles.Change.deleted:
                settling.discard_under(path)
            elif path.is_dir():
                settling.add_all(files_under(path, endings))
            elif _is_article(path.name, endings):
                settling.add(path)
            elif path.name.endswith(SIDECAR_SUFFIX):
                text = path.with_name(path.name[: -len(SIDECAR_SUFFIX)] + ".txt")
                if ".txt" in endings and text.is_file():
                    settling.add(text)
        ready = settling.complete(time.monotonic())
        if ready:
            on_batch(ready)
        if stop is not None and stop.is_set():
            return


def files_under(directory: Path, endings: Iterable[str]) -> Iterator[Path]:
    """The article files under `directory`, sorted, skipping hidden and temporary ones.

    Symlinked folders are not followed: a link to a parent would loop forever.
    """
    suffixes = tuple(endings)
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        return  # gone or unreadable: ingest reports unreadable files, the watch goes on
    for entry in entries:
        if entry.name.startswith(".") or entry.name.lower().endswith(TEMPORARY_SUFFIXES):
            continue
        path = directory / entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from files_under(path, suffixes)
            elif _is_article(entry.name, suffixes) and entry.is_file():
                yield path
        except OSError:
            continue


class _Settling:
    """Files seen to change, each with its (size, mtime) and since when it has held."""

    def __init__(self, settle_seconds: float) -> None:
        self.settle_seconds = settle_seconds
        self.files: dict[Path, tuple[tuple[int, int] | None, float]] = {}

    def add(self, path: Path) -> None:
        # a file already settling keeps its clock: its next look at size and mtime decides
        self.files.setdefault(path, (None, 0.0))

    def add_all(self, paths: Iterable[Path]) -> None:
        for path in paths:
            self.add(path)

    def discard_under(self, path: Path) -> None:
        """Forget `path`, and everything under it if it was a folder."""
        for known in list(self.files):
            if known == path or path in known.parents:
                del self.files[known]

    def complete(self, now: float) -> list[Path]:
        """The files unchanged for `settle_seconds`, sorted; they are forgotten."""
        done = []
        for path, (seen, since) in list(self.files.items()):
            try:
                status = path.stat()
            except OSError:  # deleted, or renamed away, before it settled
                del self.files[path]
                continue
            if not stat.S_ISREG(status.st_mode):
                del self.files[path]
                continue
            current = (status.st_size, status.st_mtime_ns)
            if current != seen:
                self.files[path] = (current, now)
            elif now - since >= self.settle_seconds:
                done.append(path)
                del self.files[path]
        return sorted(done)


def _is_article(name: str, endings: tuple[str, ...]) -> bool:
    """Whether a file name ends in one of `endings`, and is not hidden or temporary.

    >>> [_is_article(n, (".txt", ".jsonl.gz")) for n in ("a.TXT", "b.jsonl.gz", ".c.txt", "d.txt~")]
    [True, True, False, False]
    """
    lowered = name.lower()
    return (
        lowered.endswith(endings)
        and not lowered.startswith(".")
        and not lowered.endswith(TEMPORARY_SUFFIXES)
    )


def _hidden_or_temporary(path: Path, root: Path) -> bool:
    """Whether any part of `path` below `root` is hidden, or its name temporary."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return True  # not under the folder watched
    return any(part.startswith(".") for part in parts) or path.name.lower().endswith(
        TEMPORARY_SUFFIXES
    )
