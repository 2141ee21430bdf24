"""Watching a folder: real files written in a temporary folder while `watch` runs in a thread.

Waits use generous deadlines and end as soon as what is awaited has happened; assertions
are on which files were handed over and what they held at that moment.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from index.watch import watch

SETTLE = 0.4  # seconds a file must stay unchanged in these tests
DEADLINE = 15.0  # seconds to wait for what should come within a second or two


@dataclass
class Watching:
    """A `watch` running in a thread, and what it handed over."""

    root: Path
    stop: threading.Event
    thread: threading.Thread
    batches: list[list[Path]] = field(default_factory=list)
    contents: dict[Path, list[bytes]] = field(default_factory=dict)  # each delivery's bytes
    lock: threading.Lock = field(default_factory=threading.Lock)
    errors: list[BaseException] = field(default_factory=list)

    def on_batch(self, paths: list[Path]) -> None:
        with self.lock:
            self.batches.append(paths)
            for path in paths:
                self.contents.setdefault(path, []).append(path.read_bytes())

    def delivered(self) -> list[Path]:
        """Every file handed over, in order, the readiness probes left out."""
        with self.lock:
            return [path for batch in self.batches for path in batch if not _is_probe(path)]

    def first_batch(self) -> list[Path]:
        with self.lock:
            batches = [[p for p in batch if not _is_probe(p)] for batch in self.batches]
        return next(batch for batch in batches if batch)

    def wait_until_up(self) -> None:
        """Write probe files until one is handed over: from then on, nothing is missed."""
        end = time.monotonic() + DEADLINE
        written = 0
        while time.monotonic() < end:
            write(self.root / f"probe-{written}.txt", "Probe\n\nIs the watch up?")
            written += 1
            step_end = time.monotonic() + SETTLE * 3
            while time.monotonic() < step_end:
                with self.lock:
                    if any(_is_probe(p) for batch in self.batches for p in batch):
                        return
                assert not self.errors, self.errors
                time.sleep(0.02)
        pytest.fail(f"watch handed over no probe file within {DEADLINE} s")

    def wait_for(self, *paths: Path, times: int = 1) -> None:
        """Wait until each of `paths` has been handed over `times` times."""
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            found = self.delivered()
            if all(found.count(path) >= times for path in paths):
                return
            assert not self.errors, self.errors
            time.sleep(0.02)
        pytest.fail(f"not handed over within {DEADLINE} s: {paths}; got {self.delivered()}")

    def settle(self) -> None:
        """Give anything still on its way the time to arrive."""
        time.sleep(SETTLE * 2.5)


StartWatch = Callable[..., Watching]


@pytest.fixture()
def start_watch(tmp_path: Path) -> Iterator[StartWatch]:
    """`start_watch(**options)` runs `watch` on tmp_path/inbox in a thread until teardown."""
    running: list[Watching] = []

    def start(**options: Any) -> Watching:
        options.setdefault("settle_seconds", SETTLE)
        root = tmp_path / "inbox"
        root.mkdir(exist_ok=True)
        stop = threading.Event()
        watching = Watching(root, stop, threading.Thread(target=lambda: None))

        def run() -> None:
            try:
                watch(root, watching.on_batch, stop=stop, **options)
            except BaseException as error:  # reported by wait_for and at teardown
                watching.errors.append(error)

        watching.thread = threading.Thread(target=run, daemon=True)
        watching.thread.start()
        running.append(watching)
        watching.wait_until_up()
        return watching

    yield start
    for watching in running:
        watching.stop.set()
        watching.thread.join(timeout=DEADLINE)
        assert not watching.thread.is_alive(), "watch did not end after stop"
        assert not watching.errors, watching.errors


def _is_probe(path: Path) -> bool:
    return path.name.startswith("probe-")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_files_already_there_are_handed_over_at_start(
    tmp_path: Path, start_watch: StartWatch
) -> None:
    inbox = tmp_path / "inbox"
    wanted = [
        write(inbox / "a.txt", "A\n\nText a."),
        write(inbox / "b.md", "# B\n\nText b."),
        write(inbox / "sub" / "c.html", "<p>c</p>"),
        write(inbox / "d.jsonl.gz", "not really gzip"),
    ]
    write(inbox / ".hidden.txt", "hidden")
    write(inbox / ".git" / "e.txt", "in a hidden folder")
    write(inbox / "notes.pdf", "not an article type")
    write(inbox / "f.txt.part", "downloading")
    watching = start_watch()
    watching.wait_for(*wanted)
    assert watching.first_batch() == sorted(wanted)
    watching.settle()
    assert sorted(watching.delivered()) == sorted(wanted)


def test_with_initial_off_only_new_files_are_handed_over(
    tmp_path: Path, start_watch: StartWatch
) -> None:
    old = write(tmp_path / "inbox" / "old.txt", "Old\n\nAlready there.")
    watching = start_watch(initial=False)
    new = write(watching.root / "new.txt", "New\n\nJust arrived.")
    watching.wait_for(new)
    watching.settle()
    assert old not in watching.delivered()
    assert watching.delivered() == [new]


def test_a_file_written_in_two_halves_is_handed_over_once_and_whole(
    start_watch: StartWatch,
) -> None:
    # settling for 1 s, the watch looks every 0.25 s: the pause below is long enough
    # for two looks to see the half file unchanged, and well inside the settling time
    watching = start_watch(settle_seconds=1.0)
    path = watching.root / "story.txt"
    first, second = b"Story\n\n" + b"First half. " * 2000, b"Second half. " * 2000
    with path.open("wb") as stream:
        stream.write(first)
        stream.flush()
        os.fsync(stream.fileno())
        time.sleep(0.4)
        stream.write(second)
    watching.wait_for(path)
    time.sleep(1.5)  # a second delivery would have come by now
    assert watching.contents[path] == [first + second]


def test_a_part_file_renamed_to_txt_is_handed_over(start_watch: StartWatch) -> None:
    watching = start_watch()
    part = write(watching.root / "download.txt.part", "Download\n\nThe whole text.")
    final = watching.root / "download.txt"
    time.sleep(SETTLE * 1.5)  # long enough that a .part file would have settled
    part.rename(final)
    watching.wait_for(final)
    watching.settle()
    assert watching.delivered() == [final]
    assert watching.contents[final] == [b"Download\n\nThe whole text."]


def test_hidden_and_temporary_files_are_never_handed_over(start_watch: StartWatch) -> None:
    watching = start_watch()
    for name in (".draft.txt", "a.txt.swp", "b.tmp", "c.txt~", "d.txt.crdownload", "e.txt.part"):
        write(watching.root / name, "not finished")
    write(watching.root / ".cache" / "f.txt", "in a hidden folder")
    marker = write(watching.root / "marker.txt", "Marker\n\nWritten after them.")
    watching.wait_for(marker)
    watching.settle()
    assert watching.delivered() == [marker]


def test_a_folder_moved_in_is_read_whole(tmp_path: Path, start_watch: StartWatch) -> None:
    outside = tmp_path / "outside"
    files = [
        write(outside / "a.txt", "A\n\nText."),
        write(outside / "deep" / "b.md", "# B\n\nText."),
    ]
    watching = start_watch()
    os.rename(outside, watching.root / "moved")
    moved = [watching.root / "moved" / "a.txt", watching.root / "moved" / "deep" / "b.md"]
    assert [f.name for f in files] == [m.name for m in moved]
    watching.wait_for(*moved)


def test_a_file_deleted_before_it_settles_is_not_handed_over(start_watch: StartWatch) -> None:
    watching = start_watch()
    gone = write(watching.root / "gone.txt", "Gone\n\nSoon deleted.")
    gone.unlink()
    kept = write(watching.root / "kept.txt", "Kept\n\nStays.")
    watching.wait_for(kept)
    watching.settle()
    assert watching.delivered() == [kept]


def test_a_file_changed_after_it_was_handed_over_is_handed_over_again(
    start_watch: StartWatch,
) -> None:
    watching = start_watch()
    path = write(watching.root / "story.txt", "Story\n\nFirst version.")
    watching.wait_for(path)
    write(path, "Story\n\nSecond version, longer.")
    watching.wait_for(path, times=2)
    assert watching.contents[path] == [
        b"Story\n\nFirst version.",
        b"Story\n\nSecond version, longer.",
    ]


def test_a_changed_sidecar_hands_over_its_text_again(start_watch: StartWatch) -> None:
    watching = start_watch()
    text = write(watching.root / "story.txt", "Story\n\nThe text.")
    watching.wait_for(text)
    write(watching.root / "story.meta.json", '{"date": "2022-06-16"}')
    watching.wait_for(text, times=2)
    assert watching.root / "story.meta.json" not in watching.delivered()


def test_stop_ends_the_watch_promptly(tmp_path: Path) -> None:
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(tmp_path, lambda paths: None), kwargs={"stop": stop}
    )
    thread.start()
    time.sleep(0.3)
    stopped = time.monotonic()
    stop.set()
    thread.join(timeout=DEADLINE)
    assert not thread.is_alive()
    assert time.monotonic() - stopped < 2.0


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError, match="no such folder to watch; create it"):
        watch(tmp_path / "nowhere", lambda paths: None)
