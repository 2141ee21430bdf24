"""Ingest: read articles, chunk, embed and write them, skipping what is already there."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from index.chunking import ChunkingPolicy, chunk_article
from index.near_duplicates import GroupAssigner, signature
from index.news_index import NewsIndex
from index.readers import read_paths
from index.readers.url import is_url
from index.records import Article, Chunk, IngestReport, ReadNote, file_of
from index.sentence_labels import SentenceLabeller
from index.sentence_vectors import embed_chunks
from index.sentences import split_sentences

Progress = Callable[[int, int], None]  # (articles seen, chunks written) so far

BATCH_ARTICLES = 16  # articles embedded and committed together; a crash redoes at most these


@dataclass
class _Tally:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[ReadNote] = field(default_factory=list)
    warnings: list[ReadNote] = field(default_factory=list)
    chunks: int = 0
    seen: int = 0


def ingest(
    index: NewsIndex,
    paths: Iterable[str | Path],
    progress: Progress | None = None,
    policy: ChunkingPolicy = ChunkingPolicy(),
    *,
    replace: bool = True,
    labeller: SentenceLabeller | None = None,
) -> IngestReport:
    """Index the articles under `paths`. Unchanged articles are skipped, changed ones
    replace their old chunks, and every batch is committed before the next starts.

    With a `labeller`, every article's sentences are labelled and stored with it, and
    served articles that lack this labeller's labels are labelled first.

    With `replace=False` an article whose id is already indexed from another file is
    not touched: it is reported as failed, saying how to ask for the replacement (the
    web upload passes False unless the user ticks "Replace").
    """
    started = time.perf_counter()
    tally = _Tally()
    with index.write_lock:
        index.migrate_sentence_vectors()  # an index from before sentence vectors
        index.migrate_chunk_spans()  # and one from before chunk spans in the catalog
        index.migrate_sentence_terms()  # and one from before stored sentence terms
        groups = index.migrate_groups()  # and one from before near-duplicate groups
        if labeller is not None:
            index.migrate_labels(labeller)  # and one labelled by older code, or not at all
        index.catalog.compact_labels()  # and one whose labels list unlabelled sentences
        known = index.catalog.versions()
        # an edited .txt/.md/.html file gets a new id (a hash of its text): the article
        # it replaces is the one read from the same file before
        # origins written before they were absolute paths are taken from where we stand
        by_origin = {
            (origin if is_url(origin) else os.path.abspath(origin)): i
            for origin, i in index.catalog.ids_by_origin().items()
        }
        replaced: list[str] = []
        in_run: set[str] = set()
        batch: list[Article] = []
        for item in read_paths(paths):
            if isinstance(item, ReadNote):
                (tally.failed if item.failed else tally.warnings).append(item)
                continue
            tally.seen += 1
            if item.id in in_run:
                tally.warnings.append(
                    ReadNote(
                        item.origin, f"article id {item.id} appears twice; kept the first", False
                    )
                )
                continue
            in_run.add(item.id)
            state = known.get(item.id)
            if state == (item.version, "complete"):
                tally.unchanged.append(item.id)
            elif (
                not replace
                and state is not None
                and (
                    (held := index.catalog.article(item.id)) is not None
                    and file_of(held.origin) != file_of(item.origin)
                )
            ):
                title = f" (“{held.title}”)" if held.title else ""
                message = (
                    f"article id {item.id}{title} is already in the index, from another file; "
                    "not replaced. To replace it, ask for replacement (in the web chat, tick "
                    "“Replace existing articles with the same id”), or give the article "
                    "another id"
                )
                tally.failed.append(ReadNote(item.origin, message, True))
            else:
                # a pending row is not served (a run that failed or was killed left it),
                # so writing it adds the article rather than updating a served one
                served = state is not None and state[1] == "complete"
                previous = by_origin.get(item.origin)
                if previous is not None and previous != item.id and state is None:
                    replaced.append(previous)
                    served = True
                (tally.updated if served else tally.added).append(item.id)
                batch.append(item)
                if len(batch) >= BATCH_ARTICLES:
                    tally.chunks += _write_batch(index, batch, policy, groups, labeller)
                    batch = []
            if progress:
                progress(tally.seen, tally.chunks)
        if batch:
            tally.chunks += _write_batch(index, batch, policy, groups, labeller)
            if progress:
                progress(tally.seen, tally.chunks)
        index.remove([i for i in dict.fromkeys(replaced) if i not in in_run])
        if tally.added or tally.updated or index.lexical().stamp != index.catalog.generation:
            index.rebuild_lexical()
    return IngestReport(
        added=tuple(tally.added),
        updated=tuple(tally.updated),
        unchanged=tuple(tally.unchanged),
        failed=tuple(tally.failed),
        warnings=tuple(tally.warnings),
        chunks=tally.chunks,
        seconds=time.perf_counter() - started,
    )


def chunk(article: Article, index: NewsIndex, policy: ChunkingPolicy) -> list[Chunk]:
    """The chunks of one article under the index's embedder."""
    return chunk_article(
        article,
        split_sentences(article.text),
        index.embedder.token_counts,
        ChunkingPolicy(
            max_tokens=min(policy.max_tokens, index.embedder.max_tokens),
            target_tokens=policy.target_tokens,
            overlap_sentences=policy.overlap_sentences,
        ),
    )


def _write_batch(
    index: NewsIndex,
    articles: list[Article],
    policy: ChunkingPolicy,
    groups: GroupAssigner,
    labeller: SentenceLabeller | None,
) -> int:
    """pending -> chunks and sentences embedded, the articles' old chunks replaced ->
    complete, with their near-duplicate groups and sentence labels."""
    index.catalog.mark_pending(articles)
    chunked = [(a, chunk(a, index, policy)) for a in articles]
    vectors, sentence_vectors = embed_chunks(index.embedder, chunked, index.sentence_vectors_method)
    # every chunk of these articles goes, this version's too: a killed run may have
    # written this version under other chunking settings, with ordinals now unused
    index.store.delete_articles([a.id for a, _ in chunked])
    index.store.add_many(chunked, vectors)
    # labelled in batch order, so that a copy later in the batch joins an earlier one;
    # stored in the transaction that serves them, so a crash leaves no article half-grouped
    labels = {}
    for a in articles:
        sig = signature(a.text)
        labels[a.id] = (sig, groups.assign(a.id, sig))
    sentence_labels = None
    if labeller is not None:
        sentence_labels = (labeller.name, {a.id: (a.version, labeller.label(a)) for a in articles})
    index.catalog.mark_complete(
        {a.id: len(chunks) for a, chunks in chunked},
        sentence_vectors,
        labels,
        sentence_labels,
        {a.id: (a.version, chunks) for a, chunks in chunked},
    )
    return len(vectors)
