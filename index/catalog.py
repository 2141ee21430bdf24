"""The article catalog: full texts and metadata in SQLite, the record of what is indexed.

An article row is written as `pending` before its chunks go to Chroma and marked
`complete` after, so an interrupted ingest is finished by the next one. Chunks whose
`version` differs from their article's row are stale and are never served.

Each complete article also keeps the MinHash signature of its text and its
near-duplicate group label (index/near_duplicates.py), written in the transaction that
marks it complete. A catalog from before groups gains the two columns when it is first
opened for writing; its articles are signed and grouped by the next ingest
(`NewsIndex.migrate_groups`), and until then each is a group of its own.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.errors import IndexNotWritableError, NotAnIndexError
from index.records import Article, ArticleRef, ArticleSummary, Chunk, is_line_origin
from index.sentence_labels import Labels, decode, encode
from index.sentence_vectors import SentenceVectors

WRITE_WAIT_S = 60.0  # how long a write waits for another process's to finish
Grouping = tuple[bytes, str]  # (MinHash signature of the text, near-duplicate group label)
# (labeller name, article id -> (the version labelled, its labels))
LabelSet = tuple[str, Mapping[str, tuple[str, Labels]]]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    status TEXT NOT NULL,            -- 'pending' while its chunks are being written
    title TEXT NOT NULL,
    date TEXT,
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    authors TEXT NOT NULL,           -- JSON list
    origin TEXT NOT NULL,
    text TEXT NOT NULL,
    chunks INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL,            -- insertion order, for listing
    signature BLOB,                  -- MinHash of the text; NULL until grouped
    group_id TEXT                    -- near-duplicate group label; NULL until grouped
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sentence_vectors (  -- see index/sentence_vectors.py
    article_id TEXT PRIMARY KEY,
    version TEXT NOT NULL,           -- the article version they were made from
    spans BLOB NOT NULL,             -- int32 (start, end) pairs
    codes BLOB NOT NULL,             -- int8, one row of the embedding dimension per span
    scales BLOB NOT NULL,            -- float32, one per span
    method TEXT NOT NULL DEFAULT 'alone', -- 'pooled' or 'alone' (SentenceVectors.method)
    terms TEXT NOT NULL DEFAULT ''        -- each sentence's lexical terms (SentenceVectors.terms)
);
CREATE TABLE IF NOT EXISTS chunk_spans (  -- each chunk's offsets, as Chroma holds them too
    article_id TEXT PRIMARY KEY,
    version TEXT NOT NULL,           -- the article version they were cut from
    spans TEXT NOT NULL              -- JSON [[start, end, [[s, e], ...]], ...] by ordinal
);
CREATE TABLE IF NOT EXISTS sentence_labels (  -- see index/sentence_labels.py
    article_id TEXT PRIMARY KEY,
    version TEXT NOT NULL,           -- the article version they were made from
    labeller TEXT NOT NULL,          -- SentenceLabeller.name of the code that made them
    labels TEXT NOT NULL             -- JSON [[sentence start, label or null], ...]: the
                                     -- first sentence and the labelled (older rows: all)
);
"""


@dataclass(frozen=True)
class ChunkSpans:
    """An article's chunks as the catalog keeps them: what a chunk read back needs
    besides its vector, so that answering does not ask Chroma for it."""

    version: str
    article: ArticleRef
    text: str  # the article's
    spans: list[list[Any]]  # by ordinal: [start, end, [[sentence start, end], ...]]
    row: tuple[Any, ...] = ()  # the article's row, _ARTICLE_COLUMNS: read with the spans

    def full_article(self) -> Article:
        """The article, as `Catalog.articles` reads it: an answer reads the articles of
        the chunks retrieval read, and need not read their rows a second time."""
        return _article_of(self.row)


class Catalog:
    """SQLite-backed article table; safe to share between threads."""

    def __init__(self, path: Path, *, read_only: bool | None = None) -> None:
        """Open the catalog at `path`; read-only (no schema, no WAL switch) when the
        directory cannot be written, so `ask` and `list` work on an index of someone else's.

        Raises NotAnIndexError naming the file when it is not a SQLite database.
        """
        if read_only is None:
            read_only = path.exists() and not os.access(path.parent, os.W_OK | os.X_OK)
        self.read_only = read_only
        try:
            self._db = _connect(path, read_only)
            if read_only:
                self._db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            else:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                # a deleted or replaced article's text is overwritten with zeros, not
                # left in free pages for anyone who reads the file
                self._db.execute("PRAGMA secure_delete=ON")
                self._db.executescript(_SCHEMA)
                _add_group_columns(self._db)
                _add_vector_columns(self._db)
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError) and "readonly" in str(error):
                raise IndexNotWritableError(
                    f"cannot write {path} ({error}); check its permissions, or choose "
                    "another directory with --index or NEWSDESK_INDEX_DIR"
                ) from None
            raise NotAnIndexError(
                f"{path} is damaged ({error}): move the index directory aside and rebuild "
                "it with 'newsdesk ingest PATH... --index DIR'"
            ) from None
        self._lock = threading.RLock()
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(articles)").fetchall()}
        # a catalog from before groups, opened read-only: every article its own group
        self._group_column = "group_id" if "group_id" in columns else "NULL"
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master").fetchall()}
        # and one from before sentence labels: every sentence is labelled at question time
        self._has_labels = "sentence_labels" in tables
        vector_columns = {
            r[1] for r in self._db.execute("PRAGMA table_info(sentence_vectors)").fetchall()
        }
        # and one from before pooled sentence vectors, opened read-only: all made alone
        self._method_column = "method" if "method" in vector_columns else "'alone'"
        # and one from before stored sentence terms, opened read-only: made per question
        self._terms_column = "terms" if "terms" in vector_columns else "''"
        # and one from before chunk spans, opened read-only: chunks are read from Chroma
        self._has_chunk_spans = "chunk_spans" in tables

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @property
    def generation(self) -> int:
        """Bumped by every change to the set of served chunks."""
        row = self._query_one("SELECT value FROM meta WHERE key = 'generation'")
        return int(row[0]) if row else 0

    @property
    def changed_at(self) -> datetime | None:
        """When the generation last grew (UTC), by this process or another; None before
        the first change, or in an index whose changes predate this record."""
        row = self._query_one("SELECT value FROM meta WHERE key = 'changed_at'")
        return datetime.fromisoformat(row[0]) if row else None

    def _bump(self) -> None:
        self._db.execute(
            "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('changed_at', ?)", (now,))

    def versions(self) -> dict[str, tuple[str, str]]:
        """article id -> (version, status)."""
        with self._lock:
            rows = self._db.execute("SELECT id, version, status FROM articles").fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    def complete_versions(self) -> dict[str, str]:
        """article id -> version, for the articles whose chunks are all written."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, version FROM articles WHERE status = 'complete'"
            ).fetchall()
        return dict(rows)

    def mark_pending(self, articles: Sequence[Article]) -> None:
        """Record the new versions before their chunks are written."""
        with self._lock:
            self._db.execute("BEGIN")
            seq = self._query_one("SELECT COALESCE(MAX(seq), 0) FROM articles")
            next_seq = int(seq[0]) if seq else 0
            for a in articles:
                next_seq += 1
                self._db.execute(
                    "INSERT INTO articles (id, version, status, title, date, source, url,"
                    " authors, origin, text, chunks, seq)"
                    " VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, 0, ?)"
                    " ON CONFLICT(id) DO UPDATE SET version=excluded.version, status='pending',"
                    " title=excluded.title, date=excluded.date, source=excluded.source,"
                    " url=excluded.url, authors=excluded.authors, origin=excluded.origin,"
                    " text=excluded.text, chunks=0",
                    (a.id, a.version, a.title, a.date, a.source, a.url,
                     json.dumps(list(a.authors)), a.origin, a.text, next_seq),
                )  # fmt: skip
            self._bump()
            self._db.execute("COMMIT")

    def mark_complete(
        self,
        chunk_counts: dict[str, int],
        sentence_vectors: Mapping[str, SentenceVectors] | None = None,
        groups: Mapping[str, Grouping] | None = None,
        labels: LabelSet | None = None,
        chunk_spans: Mapping[str, tuple[str, Sequence[Chunk]]] | None = None,
    ) -> None:
        """Serve these articles; their sentence vectors, (signature, group label),
        sentence labels and chunk spans ((version, chunks)) go in the same transaction,
        so an article is never served without them."""
        with self._lock:
            self._db.execute("BEGIN")
            for article_id, count in chunk_counts.items():
                self._db.execute(
                    "UPDATE articles SET status = 'complete', chunks = ? WHERE id = ?",
                    (count, article_id),
                )
            self._put_chunk_spans(chunk_spans or {})
            self._put_sentence_vectors(sentence_vectors or {})
            self._put_groups(groups or {})
            if labels is not None:
                self._put_labels(labels)
            self._bump()
            self._db.execute("COMMIT")

    def put_groups(self, groups: Mapping[str, Grouping]) -> None:
        """Store (signature, group label) of articles already complete (a migration)."""
        with self._lock:
            self._db.execute("BEGIN")
            self._put_groups(groups)
            self._bump()  # retrieval caches the labels per generation
            self._db.execute("COMMIT")

    def _put_groups(self, groups: Mapping[str, Grouping]) -> None:
        self._db.executemany(
            "UPDATE articles SET signature = ?, group_id = ? WHERE id = ?",
            [(sig, group, i) for i, (sig, group) in groups.items()],
        )

    def grouped(self) -> list[tuple[str, bytes, str]]:
        """(article id, signature, group label) of every labelled article, in insertion
        order: what `GroupAssigner` starts from. Pending rows keep the label they had."""
        if self._group_column == "NULL":
            return []
        with self._lock:
            rows = self._db.execute(
                "SELECT id, signature, group_id FROM articles"
                " WHERE group_id IS NOT NULL ORDER BY seq"
            ).fetchall()
        return [(r[0], bytes(r[1] or b""), r[2]) for r in rows]

    def ungrouped(self) -> list[str]:
        """Complete articles without a group label (indexed before groups), in insertion order."""
        if self._group_column == "NULL":
            return []
        with self._lock:
            rows = self._db.execute(
                "SELECT id FROM articles WHERE status = 'complete' AND group_id IS NULL"
                " ORDER BY seq"
            ).fetchall()
        return [r[0] for r in rows]

    def copy_fields(self) -> dict[str, tuple[str | None, str | None, int]]:
        """article id -> (group label, date, text length) of every complete article:
        what retrieval needs to cap by group and prefer one copy."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, {self._group_column}, date, LENGTH(text) FROM articles"
                " WHERE status = 'complete'"
            ).fetchall()
        return {r[0]: (r[1], r[2], int(r[3])) for r in rows}

    def members(self, group_id: str) -> list[str]:
        """The complete articles labelled `group_id`, in insertion order."""
        if self._group_column == "NULL":
            return []
        with self._lock:
            rows = self._db.execute(
                "SELECT id FROM articles WHERE group_id = ? AND status = 'complete' ORDER BY seq",
                (group_id,),
            ).fetchall()
        return [r[0] for r in rows]

    def group_of(self, article_id: str) -> str | None:
        """The group label of an article, None when it has none (yet)."""
        row = self._query_one(
            f"SELECT {self._group_column} FROM articles WHERE id = ?", (article_id,)
        )
        return row[0] if row else None

    def put_chunk_spans(self, spans: Mapping[str, tuple[str, Sequence[Chunk]]]) -> None:
        """Store the chunk spans of articles already complete (an index migrated in place)."""
        with self._lock:
            self._db.execute("BEGIN")
            self._put_chunk_spans(spans)
            self._db.execute("COMMIT")

    def _put_chunk_spans(self, spans: Mapping[str, tuple[str, Sequence[Chunk]]]) -> None:
        rows = []
        for article_id, (version, chunks) in spans.items():
            ordered = sorted(chunks, key=lambda c: c.ordinal)
            if [c.ordinal for c in ordered] != list(range(len(ordered))):
                continue  # not every chunk: its chunks are read from Chroma
            bounds = [[c.start, c.end, [list(s) for s in c.sentences]] for c in ordered]
            rows.append((article_id, version, json.dumps(bounds, separators=(",", ":"))))
        self._db.executemany("INSERT OR REPLACE INTO chunk_spans VALUES (?, ?, ?)", rows)

    def chunk_spans(self, article_ids: Iterable[str]) -> dict[str, ChunkSpans]:
        """article id -> what `ChunkSpans` holds, for complete articles whose chunk spans
        are of their version (none for an index from before chunk spans)."""
        if not self._has_chunk_spans:
            return {}
        columns = ", ".join(f"a.{name}" for name in _ARTICLE_COLUMNS.split(", "))
        rows = self._rows_by_id(
            f"SELECT {columns}, c.spans"
            " FROM articles a JOIN chunk_spans c ON c.article_id = a.id AND c.version = a.version"
            " WHERE a.status = 'complete' AND a.id IN",
            article_ids,
        )
        return {
            r[0]: ChunkSpans(
                version=r[8],
                article=ArticleRef(id=r[0], title=r[2], date=r[3] or None, source=r[4], url=r[5]),
                text=r[1],
                spans=json.loads(r[9]),
                row=r[:9],
            )
            for r in rows
        }

    def lacking_chunk_spans(self) -> list[str]:
        """Complete articles without chunk spans of their version, in insertion order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT a.id FROM articles a LEFT JOIN chunk_spans c ON c.article_id = a.id"
                " WHERE a.status = 'complete' AND (c.version IS NULL OR c.version != a.version)"
                " ORDER BY a.seq"
            ).fetchall()
        return [r[0] for r in rows]

    def put_sentence_vectors(self, vectors: Mapping[str, SentenceVectors]) -> None:
        """Store sentence vectors for articles already complete (an index migrated in place)."""
        with self._lock:
            self._db.execute("BEGIN")
            self._put_sentence_vectors(vectors)
            self._db.execute("COMMIT")

    def _put_sentence_vectors(self, vectors: Mapping[str, SentenceVectors]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO sentence_vectors"
            " (article_id, version, spans, codes, scales, method, terms)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(i, v.version, *v.to_blobs(), v.method, v.terms) for i, v in vectors.items()],
        )

    def lacking_sentence_terms(self, header: str) -> list[str]:
        """Complete articles whose sentence vectors of their version hold no terms under
        `header`, their first line (stored before terms were, or by another version of
        them)."""
        if self._terms_column != "terms":
            return []
        with self._lock:
            rows = self._db.execute(
                "SELECT a.id FROM articles a JOIN sentence_vectors v ON v.article_id = a.id"
                " WHERE a.status = 'complete' AND v.version = a.version"
                " AND v.terms != ? AND substr(v.terms, 1, length(?) + 1) != ? || char(10)"
                " ORDER BY a.seq",
                (header, header, header),
            ).fetchall()
        return [r[0] for r in rows]

    def put_sentence_terms(self, terms: Mapping[str, tuple[str, str]]) -> None:
        """Store (version, terms) as the sentence terms of each article's vectors of that
        version (a migration; vectors of another version are left alone)."""
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(
                "UPDATE sentence_vectors SET terms = ? WHERE article_id = ? AND version = ?",
                [(made, i, version) for i, (version, made) in terms.items()],
            )
            self._db.execute("COMMIT")

    def sentence_vectors(self, article_ids: Iterable[str]) -> dict[str, SentenceVectors]:
        """article id -> its stored sentence vectors (of whichever version made them)."""
        rows = self._rows_by_id(
            "SELECT article_id, version, spans, codes, scales,"
            f" {self._method_column}, {self._terms_column} FROM sentence_vectors"
            " WHERE article_id IN",
            article_ids,
        )
        return {r[0]: SentenceVectors.from_blobs(*r[1:]) for r in rows}

    def _rows_by_id(self, select: str, ids: Iterable[str], *before: Any) -> list[Any]:
        """The rows of `select` ending in "IN", for the ids, 500 to a statement (SQLite's
        limit on bound values); `before` are bound ahead of the ids."""
        wanted = list(ids)
        rows: list[Any] = []
        for lo in range(0, len(wanted), 500):
            part = wanted[lo : lo + 500]
            with self._lock:
                found = self._db.execute(
                    f"{select} ({','.join('?' * len(part))})", [*before, *part]
                ).fetchall()
            rows.extend(found)
        return rows

    def lacking_sentence_vectors(self, method: str) -> list[str]:
        """Complete articles without sentence vectors of their version made by `method`
        (built before sentence vectors existed, or made another way), in insertion order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT a.id FROM articles a LEFT JOIN sentence_vectors v ON v.article_id = a.id"
                " WHERE a.status = 'complete' AND (v.version IS NULL OR v.version != a.version"
                f" OR {self._method_column} != ?) ORDER BY a.seq",
                (method,),
            ).fetchall()
        return [r[0] for r in rows]

    def put_labels(self, labels: LabelSet) -> None:
        """Store sentence labels of articles already complete (made by a newer labeller)."""
        with self._lock:
            self._db.execute("BEGIN")
            self._put_labels(labels)
            self._db.execute("COMMIT")

    def _put_labels(self, labels: LabelSet) -> None:
        labeller, by_article = labels
        self._db.executemany(
            "INSERT OR REPLACE INTO sentence_labels VALUES (?, ?, ?, ?)",
            [(i, version, labeller, encode(made)) for i, (version, made) in by_article.items()],
        )

    def labels(self, article_ids: Iterable[str], labeller: str) -> dict[str, tuple[str, Labels]]:
        """article id -> (version, labels) made by `labeller`, for the ids that have them."""
        if not self._has_labels:
            return {}
        rows = self._rows_by_id(
            "SELECT article_id, version, labels FROM sentence_labels"
            " WHERE labeller = ? AND article_id IN",
            article_ids,
            labeller,
        )
        return {r[0]: (r[1], decode(r[2])) for r in rows}

    def compact_labels(self) -> int:
        """Store without their unlabelled sentences (but the first) the labels stored
        before those were left out (a migration); returns how many articles."""
        if self.read_only or not self._has_labels:
            return 0
        with self._lock:
            rows = self._db.execute(  # an unlabelled sentence after another one
                "SELECT article_id, labels FROM sentence_labels WHERE labels LIKE '%],[%,null]%'"
            ).fetchall()
            if not rows:
                return 0
            self._db.execute("BEGIN")
            self._db.executemany(
                "UPDATE sentence_labels SET labels = ? WHERE article_id = ?",
                [(encode(decode(labels)), article_id) for article_id, labels in rows],
            )
            self._db.execute("COMMIT")
        return len(rows)

    def lacking_labels(self, labeller: str) -> list[str]:
        """Complete articles without labels of their version by `labeller`, in insertion
        order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT a.id FROM articles a LEFT JOIN sentence_labels l ON l.article_id = a.id"
                " WHERE a.status = 'complete'"
                " AND (l.version IS NULL OR l.version != a.version OR l.labeller != ?)"
                " ORDER BY a.seq",
                (labeller,),
            ).fetchall()
        return [r[0] for r in rows]

    def set_pending(self, article_ids: Iterable[str]) -> None:
        """Take articles out of service before their chunks change."""
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(
                "UPDATE articles SET status = 'pending' WHERE id = ?", [(i,) for i in article_ids]
            )
            self._bump()
            self._db.execute("COMMIT")

    def delete(self, article_ids: Iterable[str]) -> list[str]:
        """Remove rows; returns the ids that existed."""
        ids = list(article_ids)
        with self._lock:
            self._db.execute("BEGIN")
            found = [i for i in ids if self._query_one("SELECT 1 FROM articles WHERE id = ?", (i,))]
            self._db.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in found])
            for table in ("sentence_vectors", "sentence_labels", "chunk_spans"):
                self._db.executemany(
                    f"DELETE FROM {table} WHERE article_id = ?", [(i,) for i in found]
                )
            self._bump()
            self._db.execute("COMMIT")
            if found:
                # the deleted text leaves the WAL too; with a reader in another process
                # the checkpoint stops short, and the next delete or close finishes it
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return found

    def article(self, article_id: str) -> Article | None:
        query = f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?"
        row = self._query_one(query, (article_id,))
        return None if row is None else _article_of(row)

    def articles(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """article id -> its article, for the ids the catalog holds: one read for all."""
        rows = self._rows_by_id(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN", article_ids)
        return {row[0]: _article_of(row) for row in rows}

    def texts(self, article_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """article id -> (version, full text), for the ids the catalog holds."""
        ids = list(article_ids)
        out: dict[str, tuple[str, str]] = {}
        for lo in range(0, len(ids), 500):  # SQLite allows 999 parameters a statement
            part = ids[lo : lo + 500]
            marks = ",".join("?" * len(part))
            with self._lock:
                rows = self._db.execute(
                    f"SELECT id, version, text FROM articles WHERE id IN ({marks})", part
                ).fetchall()
            out.update({r[0]: (r[1], r[2]) for r in rows})
        return out

    def summaries(self) -> list[ArticleSummary]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, title, date, source, url, chunks, {self._group_column}"
                " FROM articles WHERE status = 'complete' ORDER BY seq"
            ).fetchall()
        return [ArticleSummary(*row) for row in rows]

    def ids_by_origin(self) -> dict[str, str]:
        """origin -> article id, for articles read from a whole file (not a JSONL line)."""
        with self._lock:
            rows = self._db.execute("SELECT origin, id FROM articles ORDER BY seq").fetchall()
        return {origin: i for origin, i in rows if origin and not is_line_origin(origin)}

    def filter_fields(self) -> dict[str, tuple[str, str | None]]:
        """article id -> (source, date), what retrieval filters look at."""
        with self._lock:
            rows = self._db.execute("SELECT id, source, date FROM articles").fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    def count(self) -> int:
        row = self._query_one("SELECT COUNT(*) FROM articles WHERE status = 'complete'")
        return int(row[0]) if row else 0

    def sources(self) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT source FROM articles WHERE source != '' ORDER BY source"
            ).fetchall()
        return [r[0] for r in rows]

    def _query_one(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        with self._lock:
            row = self._db.execute(sql, params).fetchone()
        return tuple(row) if row is not None else None


def _add_group_columns(db: sqlite3.Connection) -> None:
    """Give a catalog from before groups its two columns (a new one has them) and the
    index that finds a group's members."""
    columns = {r[1] for r in db.execute("PRAGMA table_info(articles)").fetchall()}
    for name, kind in (("signature", "BLOB"), ("group_id", "TEXT")):
        if name not in columns:
            db.execute(f"ALTER TABLE articles ADD COLUMN {name} {kind}")
    db.execute("CREATE INDEX IF NOT EXISTS articles_group ON articles (group_id)")


def _add_vector_columns(db: sqlite3.Connection) -> None:
    """Give the sentence vectors of an older catalog the columns it lacks: `method`
    (before pooling, every row was embedded alone) and `terms` (before stored terms:
    empty, so answers make them per question until a migration fills them)."""
    columns = {r[1] for r in db.execute("PRAGMA table_info(sentence_vectors)").fetchall()}
    for name, definition in (
        ("method", "TEXT NOT NULL DEFAULT 'alone'"),
        ("terms", "TEXT NOT NULL DEFAULT ''"),
    ):
        if name not in columns:
            db.execute(f"ALTER TABLE sentence_vectors ADD COLUMN {name} {definition}")


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if not read_only:
        # a writer waits for another process's write (an ingest beside a delete whose
        # WAL checkpoint waits on busy readers) rather than fail after sqlite's 5 s
        return sqlite3.connect(
            path, timeout=WRITE_WAIT_S, check_same_thread=False, isolation_level=None
        )
    uri = path.resolve().as_uri()
    try:
        db = sqlite3.connect(
            f"{uri}?mode=ro", uri=True, check_same_thread=False, isolation_level=None
        )
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        # a WAL database whose -shm file cannot be created here opens only as immutable
        # (SQLite then trusts the file not to change while open): a change its owner
        # makes meanwhile is seen by the next command, not this one
        return sqlite3.connect(
            f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False, isolation_level=None
        )


_ARTICLE_COLUMNS = "id, text, title, date, source, url, authors, origin, version"


def _article_of(row: Sequence[Any]) -> Article:
    """The Article of a row of _ARTICLE_COLUMNS."""
    return Article(
        id=row[0], text=row[1], title=row[2], date=row[3], source=row[4], url=row[5],
        authors=tuple(json.loads(row[6])), origin=row[7],
    ).with_version(row[8])  # fmt: skip
