"""Chroma, and nothing else Chroma: one cosine collection of chunk vectors.

Chroma keeps each chunk's vector and metadata, not its text: it would index every
document for a full-text search newsdesk never uses (BM25 lives apart), which made
upserts two to three times slower and took 40 % of the index. A chunk's text is its
span of the article text in the catalog, filled in on the way out.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

import numpy as np

from index.errors import VectorStoreUnavailableError
from index.records import Article, ArticleRef, Chunk

log = logging.getLogger(__name__)
_T = TypeVar("_T")

COLLECTION = "chunks"


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as Chroma returns it, with its article's version and fields beside it."""

    chunk: Chunk
    version: str
    article: ArticleRef
    distance: float = 0.0  # cosine distance to the query, 0 when not from a query


@dataclass(frozen=True)
class Filters:
    """Which chunks a query may return. Empty fields do not filter."""

    article_ids: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    date_from: str | None = None  # ISO dates, inclusive
    date_to: str | None = None

    def is_empty(self) -> bool:
        return not (self.article_ids or self.sources or self.date_from or self.date_to)

    def up_to(self, day: date | None) -> Filters:
        """These filters, admitting nothing published after `day` (an `as_of`).

        >>> Filters(date_to="2023-06-30").up_to(date(2023, 6, 18)).date_to
        '2023-06-18'
        >>> Filters(date_to="2023-06-01").up_to(date(2023, 6, 18)).date_to
        '2023-06-01'
        """
        if day is None or (self.date_to is not None and self.date_to <= day.isoformat()):
            return self
        return replace(self, date_to=day.isoformat())

    def admits(self, article_id: str, source: str, date: str | None) -> bool:
        """Whether an article passes. Undated articles pass date limits: an unknown
        date is not a reason to drop an article silently."""
        if self.article_ids and article_id not in self.article_ids:
            return False
        if self.sources and source not in self.sources:
            return False
        if date:
            if self.date_from and date < self.date_from:
                return False
            if self.date_to and date > self.date_to:
                return False
        return True


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """(host, port, ssl) of a Chroma server URL.

    >>> parse_chroma_url("http://127.0.0.1:8001"), parse_chroma_url("https://chroma.example")
    (('127.0.0.1', 8001, False), ('chroma.example', 443, True))
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise VectorStoreUnavailableError(
            f"NEWSDESK_CHROMA_URL={url!r} is not a server address: use http://HOST:PORT, "
            "as `chroma run --port PORT` serves"
        )
    ssl = parts.scheme == "https"
    try:
        port = parts.port or (443 if ssl else 8000)
    except ValueError:
        raise VectorStoreUnavailableError(f"NEWSDESK_CHROMA_URL={url!r} has a bad port") from None
    return parts.hostname, port, ssl


def unavailable(url: str, error: BaseException) -> VectorStoreUnavailableError:
    """The one line for a Chroma server that did not answer."""
    reason = " ".join(str(error).split())[:200] or type(error).__name__
    return VectorStoreUnavailableError(
        f"cannot reach the Chroma server at {url} ({reason}): start it with "
        "'chroma run --path DIR --port PORT', check NEWSDESK_CHROMA_URL (or --chroma), "
        "or unset it to keep vectors in the index directory"
    )


def date_number(date: str | None) -> int:
    """ISO date as a sortable int, 0 when unknown: Chroma compares numbers, not strings.

    >>> date_number("2022-06-16"), date_number(None)
    (20220616, 0)
    """
    return int(date.replace("-", "")) if date else 0


class VectorStore(Protocol):
    """Where chunk vectors live and are searched: `ChromaStore` is the one there is.

    Chunk texts are not stored: each store cuts them from the catalog's article texts.
    """

    max_batch: int  # the most chunks one write may carry

    def count(self) -> int:
        """How many chunks are stored, stale ones included."""
        ...

    def add_many(
        self, chunked: Sequence[tuple[Article, Sequence[Chunk]]], vectors: np.ndarray
    ) -> None:
        """Upsert these articles' chunks, `vectors` row by row in that order."""
        ...

    def delete_articles(self, article_ids: Sequence[str], keep_version: str | None = None) -> None:
        """Delete every chunk of these articles (but those of `keep_version`)."""
        ...

    def query(self, vector: np.ndarray, k: int, filters: Filters) -> list[StoredChunk]:
        """The k nearest chunks that pass `filters`, nearest first."""
        ...

    def nearest(
        self, vector: np.ndarray, k: int, filters: Filters = Filters()
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine distance) of the k nearest chunks that pass `filters`."""
        ...

    def get(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        """These chunks, in the order asked, leaving out those not served."""
        ...

    def chunks_of(self, article_ids: Sequence[str]) -> list[StoredChunk]:
        """The served chunks of these articles, in no particular order."""
        ...

    def scan(self, page: int = 5000) -> Iterator[StoredChunk]:
        """Every stored chunk, stale ones with empty text."""
        ...


class ArticleTexts(Protocol):
    """Where chunk texts come from: the catalog."""

    def texts(self, article_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """article id -> (version, full text), for the ids it holds."""
        ...


def _server_errors(method: Callable[..., _T]) -> Callable[..., _T]:
    """A lost connection to a Chroma server becomes one line naming the server; the
    ingest that was under way resumes, like a killed one, on the next run."""

    @wraps(method)
    def call(self: ChromaStore, *args: Any, **kwargs: Any) -> _T:
        try:
            return method(self, *args, **kwargs)
        except Exception as error:
            if self.url is None or not _is_connection_error(error):
                raise
            raise unavailable(self.url, error) from None

    return call


def _is_connection_error(error: BaseException) -> bool:
    import httpx

    return isinstance(error, httpx.TransportError | ConnectionError) or "connect" in str(error)


class ChromaStore:
    """The chunk vectors in Chroma, telemetry off (a `VectorStore`): in an embedded
    PersistentClient under `directory`, or with `url` on a Chroma server, in the
    collection named `collection`.

    A server's token is Chroma's own client setting, read from the environment by
    Chroma: CHROMA_CLIENT_AUTH_PROVIDER=chromadb.auth.token_authn.TokenAuthClientProvider
    and CHROMA_CLIENT_AUTH_CREDENTIALS=<token> (CHROMA_AUTH_TOKEN_TRANSPORT_HEADER picks
    Authorization or X-Chroma-Token).
    """

    def __init__(
        self,
        directory: Path,
        texts: ArticleTexts,
        *,
        url: str | None = None,
        collection: str = COLLECTION,
    ) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        self.url = url
        try:
            if url is None:
                self._client = chromadb.PersistentClient(
                    path=str(directory),
                    settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
                )
            else:
                host, port, ssl = parse_chroma_url(url)
                self._client = chromadb.HttpClient(
                    host=host,
                    port=port,
                    ssl=ssl,
                    settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
                )
            self._collection = self._client.get_or_create_collection(
                collection, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )
            self.max_batch = self._client.get_max_batch_size()
        except Exception as error:
            if url is None or isinstance(error, (ImportError, TypeError)):
                raise
            raise unavailable(url, error) from None
        self._texts = texts

    @_server_errors
    def count(self) -> int:
        return int(self._collection.count())

    def add(self, article: Article, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Upsert one article's chunks; see `add_many`."""
        self.add_many([(article, chunks)], vectors)

    @_server_errors
    def add_many(
        self, chunked: Sequence[tuple[Article, Sequence[Chunk]]], vectors: np.ndarray
    ) -> None:
        """Upsert several articles' chunks (`vectors` row by row in that order), in
        batches below Chroma's maximum; ids are content-derived, so writing the same
        chunk twice leaves one copy."""
        # one upsert per article cost 4x the wall time of one per batch of articles:
        # Chroma pays a fixed price (a commit, index bookkeeping) per call
        pairs = [(article, c) for article, chunks in chunked for c in chunks]
        for lo in range(0, len(pairs), self.max_batch):
            batch = pairs[lo : lo + self.max_batch]
            self._collection.upsert(
                ids=[c.id for _, c in batch],
                embeddings=vectors[lo : lo + len(batch)],
                metadatas=[self._metadata(a, c) for a, c in batch],
            )

    @_server_errors
    def delete_articles(self, article_ids: Sequence[str], keep_version: str | None = None) -> None:
        """Delete every chunk of these articles (but those of `keep_version`)."""
        for lo in range(0, len(article_ids), 500):
            where: dict[str, Any] = {"article_id": {"$in": list(article_ids[lo : lo + 500])}}
            if keep_version is not None:
                where = {"$and": [where, {"version": {"$ne": keep_version}}]}
            self._collection.delete(where=where)

    @_server_errors
    def query(self, vector: np.ndarray, k: int, filters: Filters) -> list[StoredChunk]:
        """The k nearest chunks that pass `filters`."""
        # no count() first: Chroma returns what there is when k exceeds it, and
        # counting costs 1-2 ms a query, growing with the collection
        result = self._collection.query(
            query_embeddings=[vector],
            n_results=k,
            where=self._where(filters),
            include=["metadatas", "distances"],
        )
        metas = (result["metadatas"] or [[]])[0]
        dists = (result["distances"] or [[]])[0]
        return self._stored(result["ids"][0], metas, dists)

    @_server_errors
    def nearest(
        self, vector: np.ndarray, k: int, filters: Filters = Filters()
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine distance) of the k nearest chunks that pass `filters`. Ids
        only: fetching metadata costs more than the search itself (2.2 against 0.8 ms
        for 40 of 10k chunks)."""
        result = self._collection.query(
            query_embeddings=[vector], n_results=k, where=self._where(filters),
            include=["distances"],
        )  # fmt: skip
        dists = (result["distances"] or [[]])[0]
        return [(i, float(d)) for i, d in zip(result["ids"][0], dists, strict=True)]

    @_server_errors
    def get(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        if not chunk_ids:
            return []
        result = self._collection.get(ids=list(chunk_ids), include=["metadatas"])
        found = {s.chunk.id: s for s in self._stored(result["ids"], result["metadatas"] or [])}
        return [found[c] for c in chunk_ids if c in found]

    @_server_errors
    def chunks_of(self, article_ids: Sequence[str]) -> list[StoredChunk]:
        """The served chunks of these articles, in no particular order."""
        out: list[StoredChunk] = []
        for lo in range(0, len(article_ids), 500):
            where: Any = {"article_id": {"$in": list(article_ids[lo : lo + 500])}}
            result = self._collection.get(where=where, include=["metadatas"])
            out.extend(self._stored(result["ids"], result["metadatas"] or []))
        return out

    def scan(self, page: int = 5000) -> Iterator[StoredChunk]:
        """Every stored chunk, in pages; stale ones too (a version the catalog no longer
        holds, left by a crash), with empty text, so that checks can find them."""
        offset = 0
        while True:
            result = self._collection.get(include=["metadatas"], limit=page, offset=offset)
            if not result["ids"]:
                return
            yield from self._stored(result["ids"], result["metadatas"] or [], stale=True)
            offset += len(result["ids"])

    @staticmethod
    def _metadata(article: Article, chunk: Chunk) -> dict[str, Any]:
        return {
            "article_id": article.id,
            "version": article.version,
            "ordinal": chunk.ordinal,
            "start": chunk.start,
            "end": chunk.end,
            "sentences": json.dumps(chunk.sentences),
            "title": article.title,
            "date": article.date or "",
            "date_num": date_number(article.date),
            "source": article.source,
            "url": article.url,
        }

    def _stored(
        self,
        ids: Sequence[str],
        metas: Sequence[Any],
        distances: Sequence[float] | None = None,
        *,
        stale: bool = False,
    ) -> list[StoredChunk]:
        """Chunks with their text cut from the catalog's article. A chunk of a version
        the catalog does not hold (replaced or deleted mid-read) is left out, or with
        `stale` kept with empty text. A chunk another process deleted after this one's
        vector index last loaded comes back with no metadata; it is left out, always."""
        texts = self._texts.texts({str(m["article_id"]) for m in metas if m is not None})
        out = []
        for n, (chunk_id, m) in enumerate(zip(ids, metas, strict=True)):
            if m is None:
                continue
            version, text = texts.get(str(m["article_id"]), (None, ""))
            if version != m["version"]:
                if not stale:
                    continue
                text = ""
            start, end = int(m["start"]), int(m["end"])
            out.append(
                StoredChunk(
                    chunk=Chunk(
                        id=chunk_id,
                        article_id=str(m["article_id"]),
                        ordinal=int(m["ordinal"]),
                        start=start,
                        end=end,
                        text=text[start:end],
                        sentences=tuple((int(s), int(e)) for s, e in json.loads(m["sentences"])),
                    ),
                    version=str(m["version"]),
                    article=ArticleRef(
                        id=str(m["article_id"]),
                        title=str(m["title"]),
                        date=str(m["date"]) or None,
                        source=str(m["source"]),
                        url=str(m["url"]),
                    ),
                    distance=float(distances[n]) if distances is not None else 0.0,
                )
            )
        return out

    @staticmethod
    def _where(filters: Filters) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if filters.article_ids:
            clauses.append({"article_id": {"$in": list(filters.article_ids)}})
        if filters.sources:
            clauses.append({"source": {"$in": list(filters.sources)}})
        if filters.date_from:
            clauses.append(
                {"$or": [{"date_num": {"$gte": date_number(filters.date_from)}}, {"date_num": 0}]}
            )
        if filters.date_to:
            clauses.append(
                {"$or": [{"date_num": {"$lte": date_number(filters.date_to)}}, {"date_num": 0}]}
            )
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}
