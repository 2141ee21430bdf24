"""Sentence vectors made at ingest: storage form, alignment, and old indexes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index import FakeEmbedder, NewsIndex, NotAnIndexError, SentenceTransformerEmbedder, ingest
from index.chunking import embedding_text
from index.embedding import EmbeddingModelError
from index.lexical import NAMES_VERSION, TERMS_VERSION
from index.news_index import FORMAT
from index.records import Article, Chunk
from index.sentence_vectors import (
    ALONE,
    POOLED,
    TERMS_HEADER,
    SentenceVectors,
    embed_chunks,
    quantize,
    sentence_spans,
    sentence_terms,
)

Consistent = Callable[[NewsIndex], Any]


def test_int8_codes_keep_cosines_within_a_hundredth() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(200, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    query = vectors[0] + 0.3 * vectors[1]
    query /= np.linalg.norm(query)
    codes, scales = quantize(vectors)
    assert codes.dtype == np.int8 and scales.dtype == np.float32
    restored = codes.astype(np.float32) * scales[:, None]
    error = np.abs(restored @ query - vectors @ query).max()
    assert 0 < error < 0.01


def test_a_zero_vector_quantizes_to_zero_codes() -> None:
    codes, scales = quantize(np.zeros((1, 4), dtype=np.float32))
    assert codes.tolist() == [[0, 0, 0, 0]] and scales.tolist() == [1.0]


def test_the_blobs_round_trip() -> None:
    vectors = np.array([[0.6, 0.8], [1.0, 0.0], [0.0, -1.0]], dtype=np.float32)
    made = SentenceVectors.from_vectors("v1", [(0, 4), (5, 9), (10, 16)], vectors)
    back = SentenceVectors.from_blobs("v1", *made.to_blobs())
    assert back.spans == ((0, 4), (5, 9), (10, 16))
    assert back.rows[(5, 9)] == 1
    assert np.allclose(back.vectors(), vectors, atol=0.01)
    assert np.array_equal(back.vector(2), back.vectors()[2])


def test_no_sentences_round_trip_to_no_sentences() -> None:
    made = SentenceVectors.from_vectors("v", [], np.zeros((0, 384), dtype=np.float32))
    back = SentenceVectors.from_blobs("v", *made.to_blobs())
    assert back.spans == () and back.vectors().shape[0] == 0


def test_an_overlap_sentence_is_one_span() -> None:
    a = Chunk("a:v:0", "a", 0, 0, 9, "One. Two.", ((0, 4), (5, 9)))
    b = Chunk("a:v:1", "a", 1, 5, 16, "Two. Three.", ((5, 9), (10, 16)))
    assert sentence_spans([b, a]) == [(0, 4), (5, 9), (10, 16)]


@pytest.mark.model
def test_pooling_gives_the_models_own_text_vectors_and_sums_of_word_pieces(
    embedder: SentenceTransformerEmbedder,
) -> None:
    texts = ["Blinken to visit\nHe flew in. Qin met him.", "A short one."]
    spans = [[(17, 28), (29, 41)], [(0, 0), (2, 7)]]
    vectors, sums = embedder.embed_pooled(texts, spans)
    assert np.allclose((vectors * embedder.embed(texts)).sum(axis=1), 1.0, atol=1e-4)
    assert [s.shape for s in sums] == [(2, 384), (2, 384)]
    assert not np.any(sums[1][0])  # an empty span covers no word piece
    # a span's sum is its own word pieces': "short" alone in the second text
    sentences = [float(np.linalg.norm(s)) for s in (*sums[0], sums[1][1])]
    assert all(n > 0 for n in sentences)
    first, second = (v / np.linalg.norm(v) for v in sums[0])
    assert float(first @ second) < 0.99


@pytest.mark.model
def test_a_stored_vector_is_the_sentence_embedded_alone(
    real_index: NewsIndex, consistent: Consistent, write_jsonl: Callable[[Path, int], Path],
    tmp_path: Path, embedder: SentenceTransformerEmbedder,
) -> None:  # fmt: skip
    ingest(real_index, [write_jsonl(tmp_path / "a.jsonl", 2)])
    contents = consistent(real_index)
    article_id = sorted(contents.served)[0]
    article = real_index.catalog.article(article_id)
    assert article is not None
    stored = real_index.sentence_vectors([article_id])[article_id]
    assert stored.method == ALONE
    start, end = stored.spans[3]
    alone = embedder.embed([article.text[start:end]])[0]
    assert float(stored.vector(3) @ alone) > 0.999


@pytest.mark.model
def test_a_stored_vector_is_its_sentence_pooled_out_of_its_chunks(
    consistent: Consistent, write_jsonl: Callable[[Path, int], Path], tmp_path: Path,
    embedder: SentenceTransformerEmbedder, chroma_url: str | None,
) -> None:  # fmt: skip
    pooled = NewsIndex.open(
        tmp_path / "ix", embedder, create=True, chroma_url=chroma_url, sentence_vectors=POOLED
    )
    ingest(pooled, [write_jsonl(tmp_path / "a.jsonl", 2)])
    contents = consistent(pooled)
    article_id = sorted(contents.served)[0]
    article = pooled.catalog.article(article_id)
    assert article is not None
    chunks = sorted((s.chunk for s in contents.chunks[article_id]), key=lambda c: c.ordinal)
    assert len(chunks) >= 2
    stored = pooled.sentence_vectors([article_id])[article_id]
    assert stored.method == POOLED
    # the sentence both first chunks hold (the overlap) pools over both passes
    shared = sorted(set(chunks[0].sentences) & set(chunks[1].sentences))
    assert shared
    texts, spans = [], []
    for c in chunks[:2]:
        text = embedding_text(article.title, c.text)
        shift = len(text) - len(c.text) - c.start
        texts.append(text)
        spans.append([(shared[0][0] + shift, shared[0][1] + shift)])
    _, sums = embedder.embed_pooled(texts, spans)
    expected = sums[0][0] + sums[1][0]
    expected /= np.linalg.norm(expected)
    assert float(stored.vector(stored.rows[shared[0]]) @ expected) > 0.999
    # each vector is its own sentence's: most are nearest their sentence embedded alone
    alone = embedder.embed([article.text[s:e] for s, e in stored.spans])
    nearest = (stored.vectors() @ alone.T).argmax(axis=1)
    assert float(np.mean(nearest == np.arange(len(stored.spans)))) >= 0.7
    pooled.close()


@pytest.mark.model
def test_a_sentence_the_model_cut_off_its_chunk_is_embedded_alone(
    embedder: SentenceTransformerEmbedder,
) -> None:
    # a chunk longer than the 256 word pieces the model reads: its last sentence is not
    # in the pass at all, so pooling has nothing to give it
    long = " ".join(["Officials met again in Beijing on Monday."] * 40)
    text = f"{long} Talks end."
    article = Article(id="a", text=text, title="Talks")
    split = len(long)
    chunk = Chunk("a:v:0", "a", 0, 0, len(text), text, ((0, split), (split + 1, len(text))))
    vectors, stored = embed_chunks(embedder, [(article, [chunk])], POOLED)
    assert vectors.shape == (1, 384)
    found = stored["a"]
    assert found.method == POOLED and found.spans == ((0, split), (split + 1, len(text)))
    alone = embedder.embed(["Talks end."])[0]
    assert float(found.vector(1) @ alone) > 0.99
    assert float(found.vector(0) @ alone) < 0.9


@pytest.mark.model
def test_an_index_keeps_the_way_its_sentence_vectors_were_made(
    write_jsonl: Callable[[Path, int], Path], tmp_path: Path, consistent: Consistent,
    embedder: SentenceTransformerEmbedder, chroma_url: str | None,
) -> None:  # fmt: skip
    directory = tmp_path / "ix"
    made = NewsIndex.open(
        directory, embedder, create=True, chroma_url=chroma_url, sentence_vectors=POOLED
    )
    ingest(made, [write_jsonl(tmp_path / "a.jsonl", 1)])
    made.close()
    marker = directory / "newsdesk-index.json"
    assert json.loads(marker.read_text())["sentence_vectors"] == POOLED
    # opened without saying (a `serve` whose web upload ingests): still pooled, and an
    # ingest adds pooled vectors instead of remaking the others alone
    later = NewsIndex.open(directory, embedder, chroma_url=chroma_url)
    assert later.sentence_vectors_method == POOLED
    ingest(later, [write_jsonl(tmp_path / "b.jsonl", 2)])
    assert len(consistent(later).served) == 2  # consistent() checks every row is POOLED
    later.close()
    fresh = NewsIndex.open(tmp_path / "new", embedder, create=True, chroma_url=chroma_url)
    assert fresh.sentence_vectors_method == ALONE
    fresh.close()


def test_pooled_sentence_vectors_need_an_embedder_that_pools(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelError, match="NEWSDESK_SENTENCE_VECTORS=alone"):
        NewsIndex.open(tmp_path / "ix", FakeEmbedder(), create=True, sentence_vectors=POOLED)
    assert not (tmp_path / "ix").exists()  # refused before anything was written


@pytest.mark.model
def test_an_index_from_before_sentence_vectors_answers_and_is_migrated_by_ingest(
    real_index: NewsIndex, consistent: Consistent, write_jsonl: Callable[[Path, int], Path],
    tmp_path: Path, embedder: SentenceTransformerEmbedder,
) -> None:  # fmt: skip
    source = write_jsonl(tmp_path / "a.jsonl", 3)
    ingest(real_index, [source])
    directory = real_index.directory
    real_index.close()
    # make it what a format-1 index looks like: no sentence vectors, marker format 1
    old = NewsIndex.open(directory, embedder)
    with old.catalog._lock:
        old.catalog._db.execute("DELETE FROM sentence_vectors")
    marker = directory / "newsdesk-index.json"
    marker.write_text(json.dumps({**json.loads(marker.read_text()), "format": 1}))
    old.close()

    reopened = NewsIndex.open(directory, embedder)
    ids = [s.id for s in reopened.catalog.summaries()]
    assert reopened.sentence_vectors(ids) == {}  # it answers: vectors are made per question
    assert reopened.catalog.lacking_sentence_vectors(ALONE) == ids
    report = ingest(reopened, [source])
    assert report.unchanged == tuple(ids)
    assert reopened.catalog.lacking_sentence_vectors(ALONE) == []
    assert json.loads(marker.read_text())["format"] == FORMAT
    consistent(reopened)
    reopened.close()


@pytest.mark.model
def test_an_index_from_before_pooling_is_pooled_by_the_next_ingest_that_asks(
    real_index: NewsIndex, consistent: Consistent, write_jsonl: Callable[[Path, int], Path],
    tmp_path: Path, embedder: SentenceTransformerEmbedder, chroma_url: str | None,
) -> None:  # fmt: skip
    source = write_jsonl(tmp_path / "a.jsonl", 3)
    ingest(real_index, [source])
    directory = real_index.directory
    real_index.close()
    # what a format-2 catalog holds: rows made alone, in a table without `method`
    old = NewsIndex.open(directory, embedder, chroma_url=chroma_url)
    ids = [s.id for s in old.catalog.summaries()]
    before = old.catalog.sentence_vectors(ids)
    with old.catalog._lock:
        old.catalog._db.executescript(
            "CREATE TABLE v2 (article_id TEXT PRIMARY KEY, version TEXT NOT NULL, spans BLOB"
            " NOT NULL, codes BLOB NOT NULL, scales BLOB NOT NULL);"
            "INSERT INTO v2 SELECT article_id, version, spans, codes, scales FROM sentence_vectors;"
            "DROP TABLE sentence_vectors; ALTER TABLE v2 RENAME TO sentence_vectors;"
        )
    marker = directory / "newsdesk-index.json"
    marker.write_text(json.dumps({**json.loads(marker.read_text()), "format": 2}))
    old.close()

    reopened = NewsIndex.open(directory, embedder, chroma_url=chroma_url)
    assert reopened.catalog.lacking_sentence_vectors(ALONE) == []  # nothing to redo
    reopened.close()
    pooled = NewsIndex.open(directory, embedder, chroma_url=chroma_url, sentence_vectors=POOLED)
    served = pooled.sentence_vectors(ids)  # served as they are until the next ingest
    assert {v.method for v in served.values()} == {ALONE} and sorted(served) == sorted(ids)
    assert pooled.catalog.lacking_sentence_vectors(POOLED) == ids
    report = ingest(pooled, [source])
    assert report.unchanged == tuple(ids)
    assert pooled.catalog.lacking_sentence_vectors(POOLED) == []
    after = pooled.catalog.sentence_vectors(ids)
    assert {v.method for v in after.values()} == {POOLED}
    assert all(after[i].spans == before[i].spans for i in ids)
    # pooled in context, not the same vectors as alone
    assert (
        min(float(np.mean((after[i].vectors() * before[i].vectors()).sum(1))) for i in ids) < 0.95
    )
    info = json.loads(marker.read_text())
    assert (info["format"], info["sentence_vectors"]) == (FORMAT, POOLED)
    consistent(pooled)
    pooled.close()


def test_an_index_from_a_newer_newsdesk_is_refused(tmp_path: Path) -> None:
    directory = tmp_path / "ix"
    NewsIndex.open(directory, FakeEmbedder(), create=True).close()
    marker = directory / "newsdesk-index.json"
    marker.write_text(json.dumps({**json.loads(marker.read_text()), "format": 99}))
    with pytest.raises(NotAnIndexError, match="newer newsdesk"):
        NewsIndex.open(directory, FakeEmbedder())


def test_stored_terms_are_read_only_under_their_own_version() -> None:
    vectors = np.eye(2, dtype=np.float32)
    spans = [(0, 17), (18, 36)]
    text = "Talks broke down. They met in Oslo."
    made = SentenceVectors.from_vectors("v", spans, vectors, ALONE, sentence_terms(text, spans))
    assert [made.terms_of(0), made.terms_of(1)] == [
        (["talk", "break"], []),
        (["meet", "oslo"], ["oslo"]),
    ]
    round_trip = SentenceVectors.from_blobs("v", *made.to_blobs(), ALONE, made.terms)
    assert round_trip.terms_of(1) == (["meet", "oslo"], ["oslo"])
    # none stored (an index from before them), or by another version of lexical_terms or
    # of sentence_names, or before names were stored beside the terms
    assert SentenceVectors.from_vectors("v", spans, vectors).terms_of(0) is None
    for older in (
        made.terms.replace(f"terms {TERMS_VERSION}", f"terms {TERMS_VERSION - 1}"),
        made.terms.replace(f"names {NAMES_VERSION}", f"names {NAMES_VERSION - 1}"),
        f"terms {TERMS_VERSION}\ntalk break\nmeet oslo",
    ):
        assert SentenceVectors.from_vectors("v", spans, vectors, ALONE, older).terms_of(0) is None


def test_an_index_from_before_stored_terms_answers_and_is_migrated_by_ingest(
    fake_index: NewsIndex, consistent: Consistent, write_jsonl: Callable[[Path, int], Path],
    tmp_path: Path, chroma_url: str | None,
) -> None:  # fmt: skip
    source = write_jsonl(tmp_path / "a.jsonl", 3)
    ingest(fake_index, [source])
    with fake_index.catalog._lock:  # what an index from before stored terms holds
        fake_index.catalog._db.execute("UPDATE sentence_vectors SET terms = ''")
    fake_index.close()
    old = NewsIndex.open(fake_index.directory, FakeEmbedder(), chroma_url=chroma_url)
    try:
        ids = [s.id for s in old.catalog.summaries()]
        stored = old.sentence_vectors(ids)
        assert sorted(stored) == sorted(ids)  # vectors still served; terms made per question
        assert all(v.terms_of(0) is None for v in stored.values())
        assert old.catalog.lacking_sentence_terms(TERMS_HEADER) == ids
        report = ingest(old, [source])
        assert report.unchanged == tuple(ids)
        assert old.catalog.lacking_sentence_terms(TERMS_HEADER) == []
        consistent(old)  # every stored sentence's terms are lexical_terms of its text
    finally:
        old.close()
