"""`NewsIndex`: one index directory — catalog, Chroma vectors and BM25 — kept consistent.

Layout of an index directory:

    newsdesk-index.json   format version and the embedding model that built it
    catalog.sqlite3       articles (full text, metadata, status)
    chroma/               chunk vectors and metadata (texts are spans of the catalog's)
    lexical/              BM25 over the same chunks, stamped with the catalog generation

The catalog also holds every chunk sentence's vector (index/sentence_vectors.py).
Format 1 indexes, from before sentence vectors, answer as they are (missing sentence
vectors are embedded at question time) and are migrated by the next ingest.
So are indexes from before near-duplicate groups (index/near_duplicates.py): until the
next ingest labels them, each article is a group of its own.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import uuid
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np

from index import records
from index.catalog import Catalog, ChunkSpans
from index.embedding import Embedder, EmbeddingModelError
from index.errors import (
    EmptyIndexError,
    IndexNotWritableError,
    ModelMismatchError,
    NotAnIndexError,
    UnusableIndexError,
)
from index.lexical import LexicalIndex
from index.near_duplicates import GroupAssigner, signature
from index.records import Article, ArticleSummary, Chunk, parse_chunk_id
from index.sentence_labels import Labels, SentenceLabeller
from index.sentence_vectors import (
    ALONE,
    POOLED,
    SENTENCE_VECTOR_METHODS,
    TERMS_HEADER,
    SentenceVectors,
    can_pool,
    remake_sentence_vectors,
    sentence_terms,
)
from index.store import COLLECTION, ChromaStore, Filters, StoredChunk, VectorStore

log = logging.getLogger(__name__)

MARKER = "newsdesk-index.json"
FORMAT = 3  # 2: sentence vectors in the catalog; 3: with how each was made (pooled)
SENTENCE_CACHE_ARTICLES = 512  # decoded sentence vectors kept in memory
ARTICLE_CACHE_ARTICLES = 256  # served articles kept in memory: questions on a story reread it
# articles' chunk spans kept decoded: each retrieval reads those of its k chunks' articles,
# a JSON list of every chunk with its sentences (about 0.1 ms an article to decode)
SPANS_CACHE_ARTICLES = 256
MIGRATE_BATCH = 64  # articles whose sentence vectors a migration commits together


class NewsIndex:
    """An open index directory. Share one per process: reads are thread-safe and
    writes take `write_lock`."""

    def __init__(
        self,
        directory: Path,
        embedder: Embedder,
        *,
        chroma_url: str | None = None,
        collection: str = COLLECTION,
        sentence_vectors: str = ALONE,
    ) -> None:
        _check_sentence_vectors(sentence_vectors, embedder)
        self.directory = directory
        self.embedder = embedder
        # how ingest makes sentence vectors (index/sentence_vectors.py)
        self.sentence_vectors_method = sentence_vectors
        self.catalog = Catalog(directory / "catalog.sqlite3")
        try:
            self.store: VectorStore = ChromaStore(
                directory / "chroma", self.catalog, url=chroma_url, collection=collection
            )
        except BaseException:
            self.catalog.close()
            raise
        self.write_lock = threading.Lock()
        self._lexical_lock = threading.Lock()
        self._lexical: LexicalIndex | None = None
        self._versions: tuple[int, dict[str, str]] = (-1, {})
        # see _copy_state
        self._copy_fields: tuple[
            int, dict[str, tuple[str | None, str | None, int]], frozenset[str]
        ] = (-1, {}, frozenset())
        self._vectors: ServedCache[SentenceVectors] = ServedCache(SENTENCE_CACHE_ARTICLES)
        self._articles: ServedCache[Article] = ServedCache(ARTICLE_CACHE_ARTICLES)
        self._spans: ServedCache[ChunkSpans] = ServedCache(SPANS_CACHE_ARTICLES)

    @classmethod
    def open(
        cls,
        directory: Path,
        embedder: Embedder,
        *,
        create: bool = False,
        chroma_url: str | None = None,
        sentence_vectors: str | None = None,
    ) -> NewsIndex:
        """Open (or with `create`, start) the index at `directory`; with `chroma_url`,
        its vectors live on that Chroma server (the catalog and BM25 stay in `directory`).
        Ingest makes sentence vectors the `sentence_vectors` way (ALONE or POOLED), by
        default the way the index holds them (ALONE for a new one); the index records
        the way once an ingest has made all of them so.

        Raises a NewsdeskError subclass whose message says what to do when the
        directory is missing, not an index, not writable, built with another model,
        or its Chroma server cannot be reached.
        """
        directory = Path(directory).expanduser()
        marker = directory / MARKER
        if sentence_vectors is not None:
            _check_sentence_vectors(sentence_vectors, embedder)
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
                fresh = {
                    "format": FORMAT,
                    "embedding_model": embedder.name,
                    "sentence_vectors": sentence_vectors or ALONE,
                }
                if chroma_url:  # one collection per index, so that indexes share a server
                    fresh["chroma_collection"] = f"newsdesk-{uuid.uuid4().hex[:12]}"
                _write_json_atomic(marker, fresh)
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
        if int(info.get("format", 1)) > FORMAT:
            raise NotAnIndexError(
                f"the index at {directory} was written by a newer newsdesk (format "
                f"{info.get('format')}, this one reads up to {FORMAT}): upgrade newsdesk"
            )
        if create:
            _check_writable(directory)
        built_with = info.get("embedding_model")
        collection = _collection(directory, info, chroma_url)
        index = cls(
            directory,
            embedder,
            chroma_url=chroma_url,
            collection=collection,
            sentence_vectors=sentence_vectors or info.get("sentence_vectors", ALONE),
        )
        if built_with != embedder.name:
            # an index holding no vectors was built with nothing: a run that failed to
            # load its model must not lock the directory to that model's name
            if index.store.count() > 0:
                index.close()
                where = f" (vectors on {chroma_url})" if chroma_url else ""
                raise ModelMismatchError(
                    f"the index at {directory}{where} was built with embedding model "
                    f"{built_with!r}, "
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

    # -- what answering reads: the index's own words, so that `qa` needs neither the
    # -- catalog nor the vector store by name

    @property
    def generation(self) -> int:
        """Grows with every committed change to the articles."""
        return self.catalog.generation

    @property
    def changed_at(self) -> datetime | None:
        """When the articles last changed (UTC), by any process; None if never recorded."""
        return self.catalog.changed_at

    def count(self) -> int:
        """How many articles are indexed."""
        return self.catalog.count()

    def summaries(self) -> list[ArticleSummary]:
        return self.catalog.summaries()

    def article(self, article_id: str) -> Article | None:
        return self.catalog.article(article_id)

    def articles(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """article id -> its article, for the ids the catalog holds. Served articles are
        kept by version (an answer reads the same few stories again and again), the rest
        read in one query; an article whose row is mid-replace is read, not kept."""
        served = self.served_versions()

        def read(ids: list[str]) -> dict[str, Article]:
            # the rows of the articles whose chunks retrieval read are kept with their
            # spans: an answer reads its articles from there, not from the catalog again
            held = {i: s.full_article() for i, s in self._spans.held(ids, served).items()}
            rest = [i for i in ids if i not in held]
            return {**held, **self.catalog.articles(rest)} if rest else held

        return self._articles.get(article_ids, served, read, lambda a: a.version)

    def sources(self) -> list[str]:
        """The distinct sources of the indexed articles, sorted."""
        return self.catalog.sources()

    def filter_fields(self) -> dict[str, tuple[str, str | None]]:
        """article id -> (source, date), what filters look at."""
        return self.catalog.filter_fields()

    def query(self, vector: np.ndarray, k: int, filters: Filters) -> list[StoredChunk]:
        """The k chunks nearest `vector` that pass `filters`."""
        return self.store.query(vector, k, filters)

    def nearest(
        self, vector: np.ndarray, k: int, filters: Filters = Filters()
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine distance) of the k chunks nearest `vector` that pass
        `filters`; no metadata, so it costs a third of `query`."""
        return self.store.nearest(vector, k, filters)

    def chunks(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        """These chunks, in the order asked, leaving out those not served. Read from the
        catalog, which keeps every chunk's offsets (a Chroma get cost 1.3 ms for 8
        chunks of 10k); from Chroma for articles whose spans it lacks (an index from
        before them, until the next ingest)."""
        wanted = [parse_chunk_id(c) for c in chunk_ids]
        held = self._chunk_spans({a for a, _, _ in wanted})
        found: dict[str, StoredChunk] = {}
        elsewhere: list[str] = []
        for chunk_id, (article_id, version, ordinal) in zip(chunk_ids, wanted, strict=True):
            spans = held.get(article_id)
            if spans is None:
                elsewhere.append(chunk_id)
            elif spans.version == version and ordinal < len(spans.spans):
                start, end, sentences = spans.spans[ordinal]
                chunk = Chunk(
                    id=chunk_id,
                    article_id=article_id,
                    ordinal=ordinal,
                    start=start,
                    end=end,
                    text=spans.text[start:end],
                    sentences=tuple((s, e) for s, e in sentences),
                )
                found[chunk_id] = StoredChunk(chunk, version, spans.article)
        for stored in self.store.get(elsewhere) if elsewhere else ():
            found[stored.chunk.id] = stored
        return [found[c] for c in chunk_ids if c in found]

    def article_chunks(
        self, article_ids: Iterable[str], per_article: int | None = None
    ) -> list[StoredChunk]:
        """Every chunk of these articles' served versions, or the first `per_article`
        of each, article by article in the order given, each article's in its order;
        none for an article whose spans the catalog lacks (an index from before them,
        until the next ingest)."""
        ids = list(dict.fromkeys(article_ids))
        held = self._chunk_spans(ids)
        return self.chunks(
            [
                records.chunk_id(article_id, held[article_id].version, ordinal)
                for article_id in ids
                if article_id in held
                for ordinal in range(len(held[article_id].spans))[:per_article]
            ]
        )

    def _chunk_spans(self, article_ids: Iterable[str]) -> dict[str, ChunkSpans]:
        """The catalog's `chunk_spans`, those of served versions kept decoded."""
        return self._spans.get(
            article_ids, self.served_versions(), self.catalog.chunk_spans, lambda s: s.version
        )

    def migrate_chunk_spans(self) -> int:
        """Copy the chunk spans of complete articles that have none in the catalog (an
        index from before them) from Chroma; returns how many articles. The caller holds
        `write_lock`. No model work: 64 articles a commit."""
        lacking = self.catalog.lacking_chunk_spans()
        for lo in range(0, len(lacking), MIGRATE_BATCH):
            ids = lacking[lo : lo + MIGRATE_BATCH]
            by_article: dict[str, tuple[str, list[Chunk]]] = {}
            for stored in self.store.chunks_of(ids):
                _, chunks = by_article.setdefault(stored.chunk.article_id, (stored.version, []))
                chunks.append(stored.chunk)
            self.catalog.put_chunk_spans(by_article)
        if lacking:
            log.info("copied the chunk spans of %d articles of %s", len(lacking), self.directory)
        return len(lacking)

    def served_versions(self) -> dict[str, str]:
        """article id -> the version whose chunks may be served (cached per generation)."""
        generation = self.catalog.generation
        if self._versions[0] != generation:
            self._versions = (generation, self.catalog.complete_versions())
        return self._versions[1]

    def sentence_vectors(self, article_ids: Iterable[str]) -> dict[str, SentenceVectors]:
        """article id -> the sentence vectors of its served version, for the ids that have
        them (cached: an answer reads the same few articles again and again)."""
        served = self.served_versions()
        found = self._vectors.get(
            (i for i in article_ids if i in served),
            served,
            self.catalog.sentence_vectors,
            lambda v: v.version,
        )
        # vectors made from another version are not served: embedded at question time
        return {i: v for i, v in found.items() if v.version == served[i]}

    def migrate_sentence_vectors(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Make the sentence vectors of complete articles that have none (an index built
        before them) or made another way than `sentence_vectors_method`; returns how
        many articles were migrated. The caller holds `write_lock`. Each batch commits on
        its own, so a killed migration resumes."""
        lacking = self.catalog.lacking_sentence_vectors(self.sentence_vectors_method)
        if lacking:
            log.info(
                "making the %s sentence vectors of %d articles of %s (once: they were "
                "made another way, or by an older newsdesk)",
                self.sentence_vectors_method,
                len(lacking),
                self.directory,
            )
        done = 0
        for lo in range(0, len(lacking), MIGRATE_BATCH):
            ids = lacking[lo : lo + MIGRATE_BATCH]
            by_article: dict[str, list[Chunk]] = {}
            for stored in self.store.chunks_of(ids):
                by_article.setdefault(stored.chunk.article_id, []).append(stored.chunk)
            chunked = []
            for article_id in ids:
                article = self.catalog.article(article_id)
                if article is not None and article_id in by_article:
                    chunks = sorted(by_article[article_id], key=lambda c: c.ordinal)
                    chunked.append((article, chunks))
            method = self.sentence_vectors_method
            self.catalog.put_sentence_vectors(
                remake_sentence_vectors(self.embedder, chunked, method)
            )
            done += len(chunked)
            if progress:
                progress(done, len(lacking))
        if lacking:
            log.info("made the sentence vectors of %d articles of %s", done, self.directory)
        marker = self.directory / MARKER
        info = json.loads(marker.read_text())
        made = {"format": FORMAT, "sentence_vectors": self.sentence_vectors_method}
        if (
            info.get("format", 1) < FORMAT
            or info.get("sentence_vectors") != made["sentence_vectors"]
        ):
            _write_json_atomic(marker, {**info, **made})
        return done

    def sentence_labels(
        self, article_ids: Iterable[str], labeller: str
    ) -> dict[str, tuple[str, Labels]]:
        """article id -> (version, labels) that `labeller` made at ingest for its served
        version, for the ids that have them (the caller labels the others itself)."""
        served = self.served_versions()
        stored = self.catalog.labels([i for i in article_ids if i in served], labeller)
        return {i: made for i, made in stored.items() if made[0] == served[i]}

    def migrate_sentence_terms(self) -> int:
        """Store the lexical terms of the sentences of complete articles whose sentence
        vectors lack them (made before terms were stored, or by another version of
        lexical_terms); returns how many articles. No model work: 64 articles a commit,
        so a killed migration resumes. The caller holds `write_lock`."""
        lacking = self.catalog.lacking_sentence_terms(TERMS_HEADER)
        for lo in range(0, len(lacking), MIGRATE_BATCH):
            ids = lacking[lo : lo + MIGRATE_BATCH]
            articles = self.catalog.articles(ids)
            made = {
                i: (v.version, sentence_terms(articles[i].text, v.spans))
                for i, v in self.catalog.sentence_vectors(ids).items()
                if i in articles and articles[i].version == v.version
            }
            self.catalog.put_sentence_terms(made)
        if lacking:
            log.info("stored the sentence terms of %d articles of %s", len(lacking), self.directory)
        return len(lacking)

    def migrate_labels(self, labeller: SentenceLabeller) -> int:
        """Label the complete articles that lack labels by this labeller (indexed before
        it, or by older code); returns how many. The caller holds `write_lock`; each
        batch commits on its own, so a killed migration resumes."""
        lacking = self.catalog.lacking_labels(labeller.name)
        for lo in range(0, len(lacking), MIGRATE_BATCH * 8):
            made = {}
            for article_id in lacking[lo : lo + MIGRATE_BATCH * 8]:
                article = self.catalog.article(article_id)
                if article is not None:
                    made[article_id] = (article.version, labeller.label(article))
            self.catalog.put_labels((labeller.name, made))
        if lacking:
            log.info("labelled the sentences of %d articles of %s", len(lacking), self.directory)
        return len(lacking)

    def catch_up(self, labeller: SentenceLabeller) -> tuple[int, int]:
        """The migrations that need no model, run outside an ingest: the sentence terms
        and `labeller`'s labels the complete articles lack; how many articles got each.
        An index this process may not write is left as it is, and a write that fails (a
        full disk, a locked file) is logged: what is missing is made at question time."""
        if self.catalog.read_only:
            return 0, 0
        with self.write_lock:
            try:
                return self.migrate_sentence_terms(), self.migrate_labels(labeller)
            except sqlite3.Error as exc:
                log.warning(
                    "could not store sentence terms and labels in %s: %s", self.directory, exc
                )
                return 0, 0

    def migrate_groups(self) -> GroupAssigner:
        """Sign and group the complete articles that have no group label (indexed before
        groups), in the order they were added, and return the assigner the ingest
        goes on with. The caller holds `write_lock`; each batch commits on its own."""
        assigner = GroupAssigner(self.catalog.grouped())
        lacking = self.catalog.ungrouped()
        for lo in range(0, len(lacking), MIGRATE_BATCH * 8):
            ids = lacking[lo : lo + MIGRATE_BATCH * 8]
            texts = self.catalog.texts(ids)
            labelled = {}
            for article_id in ids:  # in insertion order: the first copy founds the group
                sig = signature(texts[article_id][1])
                labelled[article_id] = (sig, assigner.assign(article_id, sig))
            self.catalog.put_groups(labelled)
        if lacking:
            log.info("grouped %d articles of %s", len(lacking), self.directory)
        return assigner

    def group_of(self, article_id: str) -> str | None:
        """An article's near-duplicate group label; None when it has none yet."""
        return self.catalog.group_of(article_id)

    def copies(self, article_id: str) -> list[str]:
        """The other served articles of an article's near-duplicate group, in the order
        they were added; none when it is ungrouped."""
        # the cached fields say whether its group has another member: no query for the
        # most, which are alone in theirs
        _, fields, shared = self._copy_state()
        group = fields.get(article_id, (None, None, 0))[0]
        if group is None or group not in shared:
            return []
        return [i for i in self.catalog.members(group) if i != article_id]

    def copy_fields(self) -> dict[str, tuple[str | None, str | None, int]]:
        """article id -> (group label, date, text length) of every served article: what
        a group cap looks at (cached per generation)."""
        return self._copy_state()[1]

    def _copy_state(
        self,
    ) -> tuple[int, dict[str, tuple[str | None, str | None, int]], frozenset[str]]:
        """(generation, `copy_fields`, the groups of more than one served article), read
        once a generation."""
        generation = self.catalog.generation
        if self._copy_fields[0] != generation:
            fields = self.catalog.copy_fields()
            sizes = Counter(group for group, _, _ in fields.values() if group is not None)
            shared = frozenset(group for group, size in sizes.items() if size > 1)
            self._copy_fields = (generation, fields, shared)
        return self._copy_fields

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
            (s.chunk.id, f"{s.article.title}\n{s.chunk.text}")
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


def _collection(directory: Path, info: dict[str, Any], chroma_url: str | None) -> str:
    """The Chroma collection of an index, refusing a server index opened without its
    server and an index kept in its directory opened with one."""
    name = info.get("chroma_collection")
    if isinstance(name, str) and name:
        if not chroma_url:
            raise UnusableIndexError(
                f"the index at {directory} keeps its vectors on a Chroma server "
                f"(collection {name}): set NEWSDESK_CHROMA_URL=http://HOST:PORT or pass --chroma"
            )
        return name
    if chroma_url:
        raise UnusableIndexError(
            f"the index at {directory} keeps its vectors in the directory, not on a Chroma "
            f"server: unset NEWSDESK_CHROMA_URL (and --chroma), or give --index a new "
            f"directory to build an index on {chroma_url}"
        )
    return COLLECTION


def _check_writable(directory: Path) -> None:
    probe = directory
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise IndexNotWritableError(
            f"cannot write the index at {directory}: {probe} is not writable; "
            "choose another directory with --index or NEWSDESK_INDEX_DIR"
        )


def _check_sentence_vectors(method: str, embedder: Embedder) -> None:
    if method not in SENTENCE_VECTOR_METHODS:
        raise EmbeddingModelError(
            f"sentence vectors are made {' or '.join(SENTENCE_VECTOR_METHODS)}, not {method!r}"
        )
    if method == POOLED and not can_pool(embedder):
        raise EmbeddingModelError(
            f"the embedder {embedder.name!r} cannot pool sentences out of its chunks; "
            f"make sentence vectors {ALONE!r} (NEWSDESK_SENTENCE_VECTORS={ALONE})"
        )


def _write_json_atomic(path: Path, data: object) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    os.replace(tmp, path)


T = TypeVar("T")


class ServedCache(Generic[T]):
    """What the catalog holds for each article, kept in memory for the versions served:
    a replaced article's new version is read anew, and a deleted one is no longer
    served, so neither is ever answered from here."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._cache: OrderedDict[tuple[str, str], T] = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self,
        article_ids: Iterable[str],
        served: Mapping[str, str],
        read: Callable[[list[str]], dict[str, T]],
        version_of: Callable[[T], str],
    ) -> dict[str, T]:
        """article id -> its entry: kept ones, and the rest `read` in one call (kept
        when of the served version)."""
        out: dict[str, T] = {}
        unread = []
        with self._lock:
            for article_id in dict.fromkeys(article_ids):
                key = (article_id, served.get(article_id, ""))
                kept = self._cache.get(key)
                if kept is not None:
                    self._cache.move_to_end(key)
                    out[article_id] = kept
                else:
                    unread.append(article_id)
        if not unread:
            return out
        found = read(unread)
        with self._lock:
            for article_id, entry in found.items():
                version = version_of(entry)
                if served.get(article_id) == version:
                    self._cache[(article_id, version)] = entry
                    while len(self._cache) > self._size:
                        self._cache.popitem(last=False)
        out.update(found)
        return out

    def held(self, article_ids: Iterable[str], served: Mapping[str, str]) -> dict[str, T]:
        """article id -> its entry, for those kept of their served version; no read."""
        with self._lock:
            found = ((i, self._cache.get((i, served.get(i, "")))) for i in article_ids)
            return {i: entry for i, entry in found if entry is not None}
