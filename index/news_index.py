"""`NewsIndex`: one index directory — catalog, Chroma vectors and BM25 — kept consistent.

Layout of an index directory:

    newsdesk-index.json   format version and the embedding model that built it
    catalog.sqlite3       articles (full text, metadata, status)
    chroma/               chunk vectors and metadata (texts are spans of the catalog's)
    lexical/              BM25 over the same chunks, stamped with the catalog generation
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from index.catalog import Catalog
from index.embedding import Embedder
from index.errors import (
    EmptyIndexError,
    IndexNotWritableError,
    ModelMismatchError,
    NotAnIndexError,
)
from index.lexical import LexicalIndex
from index.store import ChromaStore

log = logging.getLogger(__name__)

MARKER = "newsdesk-index.json"
FORMAT = 1


class NewsIndex:
    """An open index directory. Share one per process: reads are thread-safe and
    writes take `write_lock`."""

    def __init__(self, directory: Path, embedder: Embedder) -> None:
        self.directory = directory
        self.embedder = embedder
        self.catalog = Catalog(directory / "catalog.sqlite3")
        self.store = ChromaStore(directory / "chroma", self.catalog)
        self.write_lock = threading.Lock()
        self._lexical_lock = threading.Lock()
        self._lexical: LexicalIndex | None = None
        self._versions: tuple[int, dict[str, str]] = (-1, {})

    @classmethod
    def open(cls, directory: Path, embedder: Embedder, *, create: bool = False) -> NewsIndex:
        """Open (or with `create`, start) the index at `directory`.

        Raises a NewsdeskError subclass whose message says what to do when the
        directory is missing, not an index, not writable, or built with another model.
        """
        directory = Path(directory).expanduser()
        marker = directory / MARKER
        if directory.exists() and not directory.is_dir():
            raise NotAnIndexError(f"{directory} is a file, not an index directory")
        if not marker.exists():
            if directory.exists() and any(directory.iterdir()):
                raise NotAnIndexError(
                    f"{directory} holds files but is not a newsdesk index (no {MARKER}); "
                    "pass an empty or new directory with --index"
                )
            if not create:
                raise EmptyIndexError(
                    f"no index at {directory}: run 'newsdesk ingest seeds/ --index {directory}'"
                )
            _check_writable(directory)
            try:
                directory.mkdir(parents=True, exist_ok=True)
                _write_json_atomic(marker, {"format": FORMAT, "embedding_model": embedder.name})
            except OSError as exc:  # access() can say yes where the filesystem says no
                raise IndexNotWritableError(
                    f"cannot create the index at {directory} ({exc.strerror or exc}); "
                    "choose another directory with --index or NEWSDESK_INDEX_DIR"
                ) from None
        try:
            info = json.loads(marker.read_text())
        except (OSError, ValueError):
            info = None
        if not isinstance(info, dict):
            raise NotAnIndexError(
                f"{marker} is unreadable or damaged; rebuild the index into a new directory"
            )
        if create:
            _check_writable(directory)
        built_with = info.get("embedding_model")
        index = cls(directory, embedder)
        if built_with != embedder.name:
            # an index holding no vectors was built with nothing: a run that failed to
            # load its model must not lock the directory to that model's name
            if index.store.count() > 0:
                index.close()
                raise ModelMismatchError(
                    f"the index at {directory} was built with embedding model {built_with!r}, "
                    f"but {embedder.name!r} is configured. Set NEWSDESK_EMBEDDING_MODEL="
                    f"{built_with} (or --model) to use it, or rebuild: move {directory} aside "
                    f"and run 'newsdesk ingest PATH... --index {directory}'"
                )
            if create:
                _write_json_atomic(marker, {**info, "embedding_model": embedder.name})
        return index

    def close(self) -> None:
        self.catalog.close()

    @property
    def model_name(self) -> str:
        return self.embedder.name

    def served_versions(self) -> dict[str, str]:
        """article id -> the version whose chunks may be served (cached per generation)."""
        generation = self.catalog.generation
        if self._versions[0] != generation:
            self._versions = (generation, self.catalog.complete_versions())
        return self._versions[1]

    def lexical(self) -> LexicalIndex:
        """The BM25 index matching the catalog, loading or rebuilding it when stale.

        While another writer is mid-ingest, the last complete copy keeps serving.
        """
        generation = self.catalog.generation
        current = self._lexical
        if current is not None and current.stamp == generation:
            return current
        with self._lexical_lock:
            if self._lexical is not None and self._lexical.stamp == generation:
                return self._lexical
            saved = LexicalIndex.load(self.directory / "lexical")
            if saved is not None and (saved.stamp == generation or self.write_lock.locked()):
                self._lexical = saved
            elif self._lexical is None or not self.write_lock.locked():
                self._lexical = self.rebuild_lexical(generation)
            assert self._lexical is not None
            return self._lexical

    def rebuild_lexical(self, generation: int | None = None) -> LexicalIndex:
        """Rebuild BM25 from the served chunks in Chroma and save it."""
        generation = self.catalog.generation if generation is None else generation
        served = self.catalog.complete_versions()
        docs = (
            (s.chunk.id, f"{s.title}\n{s.chunk.text}")
            for s in self.store.scan()
            if served.get(s.chunk.article_id) == s.version
        )
        lexical = LexicalIndex.build(docs, generation)
        try:
            lexical.save(self.directory / "lexical")
        except OSError as exc:  # a read-only index still answers; the copy lives in memory
            log.warning("could not save the lexical index: %s", exc)
        self._lexical = lexical
        return lexical

    def delete(self, article_ids: Iterable[str]) -> list[str]:
        """Remove articles from Chroma, the catalog and BM25; returns those that existed."""
        ids = list(dict.fromkeys(article_ids))
        with self.write_lock:
            known = self.remove(ids)
            if known:
                self.rebuild_lexical()
        return known

    def remove(self, article_ids: list[str]) -> list[str]:
        """`delete` for a caller that holds `write_lock` and rebuilds BM25 itself."""
        versions = self.catalog.versions()
        known = [i for i in article_ids if i in versions]
        if known:
            # pending first: a crash after the vectors go leaves a row the next ingest redoes
            self.catalog.set_pending(known)
            self.store.delete_articles(known)
            self.catalog.delete(known)
        return known


def _check_writable(directory: Path) -> None:
    probe = directory
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise IndexNotWritableError(
            f"cannot write the index at {directory}: {probe} is not writable; "
            "choose another directory with --index or NEWSDESK_INDEX_DIR"
        )


def _write_json_atomic(path: Path, data: object) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    os.replace(tmp, path)
