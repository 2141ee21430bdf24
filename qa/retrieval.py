"""Hybrid retrieval: Chroma (dense) and BM25 (lexical), fused by reciprocal rank.

Copies of one story (a near-duplicate group, index/near_duplicates.py) count as one
source: a chunk of a copy that says what a chunk of the group's preferred copy says
gives way to it, and the cap on passages is per group, so that one wire story carried
by many outlets cannot fill the passages.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from index import Filters, NewsIndex, StoredChunk, lexical_terms, parse_chunk_id
from index.lexical import top_indices
from index.near_duplicates import preferred_copy
from qa.extractive.evidence import is_furniture
from qa.questions.spelling import Vocabulary, common_words, respellings, unknown_words
from qa.records import Passage

RRF_K = 60  # the constant of Cormack et al.; damps the head of each list
# Chroma's own metadata filter costs about 5 ms per thousand chunks whatever it keeps
# (75 ms at 15k chunks, the as_of path). When at least this share of the articles
# passes, the dense list is ranked without it from a wider candidate list instead.
WIDEN_MIN_SHARE = 0.5
# two chunks of copies say the same when this share of their terms is shared: a
# re-typeset or lightly edited paragraph, not another paragraph of the story
TWIN_CHUNK_JACCARD = 0.5


@dataclass(frozen=True)
class RetrievalPolicy:
    """How many passages, how wide the candidate lists, how much one story may take."""

    k: int = 8
    per_article_cap: int = 3  # passages one group of copies (or one article) may take
    # "group": the cap counts a near-duplicate group's copies together (an ungrouped
    # article is a group of its own) and a copy's chunk gives way to the same chunk of
    # the group's preferred copy; "article": each article capped alone, as before groups
    cap_by: str = "group"
    candidates: int = 40  # taken from each of the dense and lexical lists before fusing
    # with `as_of`, news of the days before it is what a reader means by "this week"
    # and "recently": an article of that day gains about two first places' worth of
    # fused score, fading with a one-week time constant. Measured on RealTimeQA with
    # 2,000 distractors: a tie-breaker (0.0006, 14 days) gave hit@5 0.771; 0.01 gave
    # 0.854; 0.02 gave 0.917; 0.03 gives 0.938 and 0.05 no more
    recency_weight: float = 0.03
    recency_days: float = 7.0
    dense_only: bool = False  # the baseline: no BM25


class HybridRetriever:
    """Dense + BM25 retrieval over a `NewsIndex`, returning `Passage` records."""

    def __init__(self, index: NewsIndex, policy: RetrievalPolicy = RetrievalPolicy()) -> None:
        self.index = index
        self.policy = policy
        self._lock = threading.Lock()
        self._chunk_articles: tuple[int, np.ndarray, list[str]] | None = None
        self._table: _ArticleTable | None = None
        self._lexical_rows: tuple[int, int, np.ndarray, list[str]] | None = None
        self._vocabulary: tuple[int, Vocabulary] | None = None  # (lexical stamp, its terms)

    def embed_query(self, query: str) -> np.ndarray:
        return self.index.embedder.embed([query])[0]

    def respellings(
        self, query: str, passages: Sequence[Passage], hints: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """The names of `query` that no indexed chunk holds, each read as the name in
        `passages` one or two edits away (qa/questions/spelling.py); with `hints` (from
        `spelling_hints`), as the first word of `passages` that has the hinted term."""
        sentences = (p.text[s - p.start : e - p.start] for p in passages for s, e in p.sentences)
        return respellings(query, self.index.lexical().knows, sentences, hints)

    def spelling_hints(self, query: str) -> dict[str, str]:
        """The names of `query` (and its long words in lower case) that no indexed chunk
        holds -> the index's nearest term, one or two edits away (`Vocabulary.hints`)."""
        lexical = self.index.lexical()
        unknown = unknown_words(query, lexical.knows)
        if not unknown:
            return {}
        with self._lock:
            if self._vocabulary is None or self._vocabulary[0] != lexical.stamp:
                self._vocabulary = (lexical.stamp, Vocabulary(lexical.terms()))
            vocabulary = self._vocabulary[1]
        return vocabulary.hints(unknown, common_words(query, unknown))

    def retrieve(
        self,
        query: str,
        *,
        k: int | None = None,
        filters: Filters = Filters(),
        as_of: date | None = None,
        query_vector: np.ndarray | None = None,
    ) -> list[Passage]:
        """The best `k` passages for `query` that pass `filters`, best first.

        With `as_of`, articles published after that day are excluded (undated ones
        stay) and, among equal matches, those nearer the day win.
        """
        k = k or self.policy.k
        filters = filters.up_to(as_of)
        served = self.index.served_versions()
        if not served:
            return []
        vector = self.embed_query(query) if query_vector is None else query_vector
        n = self.policy.candidates
        # ids first, everything by chunk id, article id and catalog fields; a chunk's
        # metadata and text (two thirds of a dense search's cost) only for the k kept
        dense = [
            cid
            for cid, _ in self._dense(vector, n, filters)
            if served.get(parse_chunk_id(cid)[0]) == parse_chunk_id(cid)[1]
        ]
        lexical_ids = [] if self.policy.dense_only else self._lexical(query, n, filters, served)
        fused: dict[str, float] = {}
        dense_rank = {cid: r for r, cid in enumerate(dense, 1)}
        lexical_rank = {cid: r for r, cid in enumerate(lexical_ids, 1)}
        for ranks in (dense_rank, lexical_rank):
            for cid, r in ranks.items():
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + r)
        owner = {cid: parse_chunk_id(cid)[0] for cid in fused}
        if as_of is not None:
            table = self._articles()
            for cid, article_id in owner.items():
                fused[cid] += self._recency(table.date_of(article_id), as_of)
        order = sorted(fused, key=lambda c: -fused[c])
        chunks: dict[str, StoredChunk] = {}
        if self.policy.cap_by == "group":
            copies = self.index.copy_fields()
            order = _prefer_copies(order, owner, chunks, self.index.chunks, fused, copies, as_of)
            owner = {cid: copies.get(a, (None,))[0] or f"article:{a}" for cid, a in owner.items()}
        # a chunk mostly of a page's furniture (a photo gallery's frames, a video player,
        # linked headlines) holds little to quote however well its repeated captions
        # match: once read, it gives its place, and its story's, to the next
        read: set[str] = set()
        while True:
            chosen = self._capped(order, owner, k)
            wanted = [c for c in order if c in chosen and c not in chunks]
            chunks.update({s.chunk.id: s for s in self.index.chunks(wanted)} if wanted else {})
            furniture = {c for c in chosen - read if c in chunks and _mostly_furniture(chunks[c])}
            if not furniture:
                break
            read |= chosen
            order = [c for c in order if c not in furniture]
        return [
            _passage(chunks[c], fused[c], dense_rank.get(c), lexical_rank.get(c))
            for c in order
            if c in chosen and c in chunks  # a chunk deleted since the search is left out
        ]

    def _capped(self, order: Sequence[str], owner: Mapping[str, str], k: int) -> set[str]:
        """The best `k` of `order` with at most the policy's cap from one owner: the cap
        keeps one long article (one story in many copies) from taking every slot; slots
        that no other can fill go back to the capped ones, not left empty."""
        per_owner: dict[str, int] = {}
        capped: list[str] = []
        kept: list[str] = []
        for cid in order:
            per_owner[owner[cid]] = per_owner.get(owner[cid], 0) + 1
            (kept if per_owner[owner[cid]] <= self.policy.per_article_cap else capped).append(cid)
        return set((kept + capped)[:k] if len(kept) < k else kept[:k])

    def whole_articles(
        self, article_ids: Sequence[str], per_article: int | None = None
    ) -> list[Passage]:
        """Every chunk of these articles as a passage (or the first `per_article` of
        each: their leads), article by article: what the cap on passages per story left
        out of them, unscored by any search."""
        stored = self.index.article_chunks(article_ids, per_article)
        return [_passage(s, 0.0, None, None) for s in stored]

    def _dense(self, vector: np.ndarray, n: int, filters: Filters) -> list[tuple[str, float]]:
        """(chunk id, distance) of the n nearest chunks that pass `filters`."""
        index = self.index
        if filters.is_empty():
            return index.nearest(vector, n)
        table = self._articles()
        allowed = table.allowed(filters)
        share = float(allowed.mean()) if allowed.size else 0.0
        if share < WIDEN_MIN_SHARE:
            return index.nearest(vector, n, filters)
        wide = math.ceil(2 * n / share)  # twice the chunks expected to be needed
        ranked = index.nearest(vector, wide)
        kept = [(cid, d) for cid, d in ranked if table.admits(cid, allowed, filters)][:n]
        if len(kept) < n and len(ranked) >= wide:  # more that pass may lie further out
            return index.nearest(vector, n, filters)
        return kept

    def _articles(self) -> _ArticleTable:
        """The catalog's filter fields as arrays, rebuilt when the catalog changes."""
        generation = self.index.generation
        with self._lock:
            if self._table is None or self._table.generation != generation:
                self._table = _ArticleTable.build(generation, self.index.filter_fields())
            return self._table

    def _recency(self, published: str | None, as_of: date) -> float:
        if not published:
            return 0.0
        try:
            days = abs((as_of - date.fromisoformat(published)).days)
        except ValueError:
            return 0.0
        return self.policy.recency_weight * math.exp(-days / self.policy.recency_days)

    def _lexical(self, query: str, n: int, filters: Filters, served: dict[str, str]) -> list[str]:
        lexical = self.index.lexical()
        scores = lexical.scores(query)
        if scores.size == 0:
            return []
        mask = None if filters.is_empty() else self._mask(lexical.stamp, lexical.chunk_ids, filters)
        ids: list[str] = []
        for i in top_indices(scores, n * 2, mask):
            cid = lexical.chunk_ids[i]
            article_id, version, _ = parse_chunk_id(cid)
            if served.get(article_id) == version:
                ids.append(cid)
            if len(ids) >= n:
                break
        return ids

    def _mask(self, stamp: int, chunk_ids: Sequence[str], filters: Filters) -> np.ndarray:
        """Which lexical rows belong to articles that pass `filters`."""
        table = self._articles()
        with self._lock:
            if self._chunk_articles is None or self._chunk_articles[0] != stamp:
                article_ids = sorted({parse_chunk_id(cid)[0] for cid in chunk_ids})
                position = {a: i for i, a in enumerate(article_ids)}
                rows = np.array([position[parse_chunk_id(cid)[0]] for cid in chunk_ids])
                self._chunk_articles = (stamp, rows, article_ids)
            _, rows, article_ids = self._chunk_articles
            cached = self._lexical_rows
            if cached is None or cached[:2] != (stamp, table.generation):
                # an article without a catalog row (there should be none) gets a row
                # after the table's, judged as before: no source, no date
                unknown = [a for a in article_ids if a not in table.position]
                extra = {a: len(table.ids) + j for j, a in enumerate(unknown)}
                in_table = np.array(
                    [table.position.get(a, extra.get(a, 0)) for a in article_ids], dtype=np.intp
                )
                cached = (stamp, table.generation, in_table, unknown)
                self._lexical_rows = cached
        _, _, in_table, unknown = cached
        allowed = np.concatenate(
            [table.allowed(filters), [filters.admits(a, "", None) for a in unknown]]
        ).astype(bool)
        return allowed[in_table][rows]


@dataclass(frozen=True)
class _ArticleTable:
    """Every catalog article's source and date as arrays, so that applying a filter
    to all of them is a few vector operations rather than a Python loop."""

    generation: int
    position: Mapping[str, int]  # article id -> row
    ids: np.ndarray
    sources: np.ndarray
    dates: np.ndarray  # ISO dates, "" when unknown

    @classmethod
    def build(cls, generation: int, fields: Mapping[str, tuple[str, str | None]]) -> _ArticleTable:
        ids = list(fields)
        return cls(
            generation=generation,
            position={a: i for i, a in enumerate(ids)},
            ids=np.array(ids, dtype=str),
            sources=np.array([fields[a][0] for a in ids], dtype=str),
            dates=np.array([fields[a][1] or "" for a in ids], dtype=str),
        )

    def allowed(self, filters: Filters) -> np.ndarray:
        """`filters.admits` of every row, by the same rules: undated rows pass dates."""
        ok = np.ones(len(self.ids), dtype=bool)
        if not len(self.ids):
            return ok
        if filters.article_ids:
            ok &= np.isin(self.ids, np.array(filters.article_ids, dtype=str))
        if filters.sources:
            ok &= np.isin(self.sources, np.array(filters.sources, dtype=str))
        undated = self.dates == ""
        if filters.date_from:
            ok &= undated | (self.dates >= filters.date_from)
        if filters.date_to:
            ok &= undated | (self.dates <= filters.date_to)
        return ok

    def date_of(self, article_id: str) -> str | None:
        row = self.position.get(article_id)
        return (str(self.dates[row]) or None) if row is not None else None

    def admits(self, chunk_id: str, allowed: np.ndarray, filters: Filters) -> bool:
        """Whether the chunk's article passes, given `allowed` from `self.allowed`."""
        article_id = parse_chunk_id(chunk_id)[0]
        row = self.position.get(article_id)
        return filters.admits(article_id, "", None) if row is None else bool(allowed[row])


def _prefer_copies(
    order: Sequence[str],
    owner: Mapping[str, str],
    chunks: dict[str, StoredChunk],
    fetch: Callable[[Sequence[str]], list[StoredChunk]],
    fused: dict[str, float],
    copies: Mapping[str, tuple[str | None, str | None, int]],
    as_of: date | None,
) -> list[str]:
    """`order` (chunk ids, best first) without the chunks of a group's other copies
    that say what a chunk of its preferred copy (`preferred_copy`: nearest `as_of`,
    then longest) among the candidates says; that chunk takes the better of their
    fused scores (updated in `fused`). Chunks only another copy has stay. `owner` maps
    chunk id -> article id; the chunks compared are fetched into `chunks`."""
    members: dict[str, list[str]] = {}
    for cid in order:
        group = copies.get(owner[cid], (None,))[0]
        if group is not None:
            members.setdefault(group, []).append(cid)
    several = {g: cids for g, cids in members.items() if len({owner[c] for c in cids}) > 1}
    needed = [c for cids in several.values() for c in cids if c not in chunks]
    chunks.update({s.chunk.id: s for s in fetch(needed)} if needed else {})
    dropped: set[str] = set()
    terms: dict[str, set[str]] = {}

    def terms_of(cid: str) -> set[str]:
        if cid not in terms:
            terms[cid] = set(lexical_terms(chunks[cid].chunk.text))
        return terms[cid]

    for cids in several.values():
        cids = [c for c in cids if c in chunks]
        articles = list(dict.fromkeys(owner[c] for c in cids))
        if len(articles) < 2:
            continue
        fields = [(a, copies[a][1], copies[a][2]) for a in articles]
        best = preferred_copy(fields, as_of.isoformat() if as_of else None)
        own = [c for c in cids if owner[c] == best]
        for cid in cids:
            if owner[cid] == best:
                continue
            twin = next(
                (m for m in own if _jaccard(terms_of(cid), terms_of(m)) >= TWIN_CHUNK_JACCARD), None
            )
            if twin is not None:
                dropped.add(cid)
                fused[twin] = max(fused[twin], fused[cid])
    if not dropped:
        return list(order)
    return sorted((c for c in order if c not in dropped), key=lambda c: -fused[c])


def _mostly_furniture(stored: StoredChunk) -> bool:
    """Whether more than two thirds of a chunk's sentences are a page's furniture
    (`is_furniture`): CNN runs a gallery's frames on, "Hide Caption 7 of 40 Photos: <the
    gallery's title> <a caption>", and a chunk of them matches a question on the title
    again and again. A chunk where the story gives way to its gallery is the story's."""
    chunk = stored.chunk
    furniture = sum(
        is_furniture(chunk.text[start - chunk.start : end - chunk.start])
        for start, end in chunk.sentences
    )
    return 3 * furniture > 2 * len(chunk.sentences)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _passage(
    s: StoredChunk, score: float, dense_rank: int | None, lexical_rank: int | None
) -> Passage:
    c = s.chunk
    return Passage(
        chunk_id=c.id,
        article=s.article,
        start=c.start,
        end=c.end,
        text=c.text,
        sentences=c.sentences,
        score=score,
        dense_rank=dense_rank,
        lexical_rank=lexical_rank,
    )
