"""Sentence vectors made at ingest: storage form, alignment, and old indexes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index import FakeEmbedder, NewsIndex, NotAnIndexError, SentenceTransformerEmbedder, ingest
from index.records import Chunk
from index.sentence_vectors import SentenceVectors, quantize, sentence_spans

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
    start, end = stored.spans[3]
    alone = embedder.embed([article.text[start:end]])[0]
    assert float(stored.vector(3) @ alone) > 0.999


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
    assert reopened.catalog.lacking_sentence_vectors() == ids
    report = ingest(reopened, [source])
    assert report.unchanged == tuple(ids)
    assert reopened.catalog.lacking_sentence_vectors() == []
    assert json.loads(marker.read_text())["format"] == 2
    consistent(reopened)
    reopened.close()


def test_an_index_from_a_newer_newsdesk_is_refused(tmp_path: Path) -> None:
    directory = tmp_path / "ix"
    NewsIndex.open(directory, FakeEmbedder(), create=True).close()
    marker = directory / "newsdesk-index.json"
    marker.write_text(json.dumps({**json.loads(marker.read_text()), "format": 99}))
    with pytest.raises(NotAnIndexError, match="newer newsdesk"):
        NewsIndex.open(directory, FakeEmbedder())
