"""Embeddings: the bundled model loads offline and gives unit vectors; bad models say so."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from index import (
    BUNDLED_MODEL,
    EmbeddingModelError,
    FakeEmbedder,
    NewsIndex,
    SentenceTransformerEmbedder,
    make_embedder,
)
from index.embedding import bundled_model_path

TEXTS = [
    "Blinken will visit Beijing next week.",
    "The U.S. Secretary of State travels to China.",
    "The football club won the cup final on penalties.",
]


@pytest.mark.model
def test_the_bundled_model_loads_offline_and_gives_unit_vectors(
    embedder: SentenceTransformerEmbedder,
) -> None:
    assert os.environ["HF_HUB_OFFLINE"] == "1"  # set before the fixture loaded the model
    assert embedder.name == BUNDLED_MODEL
    assert (bundled_model_path() / "config.json").is_file()
    vectors = embedder.embed(TEXTS)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert embedder.dimension == 384
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[0, 2] + 0.2  # same story beats another topic


@pytest.mark.model
def test_embeddings_do_not_depend_on_the_batch(embedder: SentenceTransformerEmbedder) -> None:
    together = embedder.embed(TEXTS)
    alone = np.vstack([embedder.embed([text]) for text in TEXTS])
    np.testing.assert_allclose(together, alone, atol=1e-5)


@pytest.mark.model
def test_embed_is_sentence_transformers_own_encode(embedder: SentenceTransformerEmbedder) -> None:
    # newsdesk batches by word pieces itself; the vectors must stay the library's
    assert embedder.mean_pooling
    texts = [*TEXTS, "Talks.", " ".join(["A very long sentence about the summit."] * 60)]
    ours = embedder.embed(texts)
    theirs = embedder.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert np.all(np.sum(ours * theirs, axis=1) > 0.999)
    assert embedder.embed([]).shape == (0, 384)


@pytest.mark.model
def test_a_model_that_does_not_mean_pool_embeds_through_encode_and_cannot_pool(
    tmp_path: Path,
) -> None:
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.models import Pooling, Transformer

    first_token = SentenceTransformerEmbedder(threads=1)
    word_pieces = Transformer(str(bundled_model_path()))
    first_token._model = SentenceTransformer(
        modules=[word_pieces, Pooling(384, pooling_mode="cls")], device="cpu"
    )
    assert not first_token.mean_pooling
    vectors = first_token.embed(TEXTS)
    expected = first_token.model.encode(TEXTS, normalize_embeddings=True)
    assert np.all(np.sum(vectors * expected, axis=1) > 0.999)
    with pytest.raises(EmbeddingModelError, match="NEWSDESK_SENTENCE_VECTORS=alone"):
        first_token.embed_pooled(TEXTS, [[(0, 7)]] * 3)
    # an index asked to pool with it says so when opened, before anything is written
    with pytest.raises(EmbeddingModelError, match="NEWSDESK_SENTENCE_VECTORS=alone"):
        NewsIndex.open(tmp_path / "ix", first_token, create=True, sentence_vectors="pooled")
    assert not (tmp_path / "ix").exists()


@pytest.mark.model
def test_token_counts_leave_out_the_special_tokens(embedder: SentenceTransformerEmbedder) -> None:
    assert embedder.token_counts(["hello world", "", "U.S."]) == [2, 0, 4]
    assert embedder.token_counts([]) == []
    assert embedder.max_tokens == 256


@pytest.mark.model
@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("/nonexistent/newsdesk-model", "no embedding model at /nonexistent/newsdesk-model"),
        ("./no-such-model-dir", "no embedding model at ./no-such-model-dir"),
        ("", "the embedding model name is empty"),
        ("   ", "the embedding model name is empty"),
    ],
)
def test_a_bad_model_name_raises_a_clear_error(name: str, says: str) -> None:
    model = SentenceTransformerEmbedder(name)
    with pytest.raises(EmbeddingModelError) as caught:
        model.embed(["anything"])
    message = str(caught.value)
    assert says in message
    assert BUNDLED_MODEL in message  # the way out
    assert "\n" not in message


@pytest.mark.model
def test_a_directory_that_is_not_a_model_raises_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{not json")
    model = SentenceTransformerEmbedder(str(tmp_path))
    with pytest.raises(EmbeddingModelError) as caught:
        model.warm_up()
    message = str(caught.value)
    assert message.startswith(f"cannot load embedding model {str(tmp_path)!r}: ")
    assert BUNDLED_MODEL in message and "\n" not in message


@pytest.mark.model
def test_an_unknown_hub_name_fails_offline_in_one_line() -> None:
    model = SentenceTransformerEmbedder("newsdesk-tests/no-such-model")
    with pytest.raises(EmbeddingModelError) as caught:
        model.warm_up()
    assert "'newsdesk-tests/no-such-model'" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_fake_embedder_is_deterministic_and_unit_length() -> None:
    fake = FakeEmbedder(dimension=32)
    vectors = fake.embed([*TEXTS, ""])
    assert vectors.shape == (4, 32)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    np.testing.assert_array_equal(vectors, FakeEmbedder(dimension=32).embed([*TEXTS, ""]))
    assert fake.token_counts(["U.S. talks, again"]) == [7]  # U . S . talks , again


@pytest.mark.parametrize("name", [BUNDLED_MODEL, "fake-news-bert", "fake"])
def test_make_embedder_always_gives_a_real_model(name: str) -> None:
    # a real model may be called "fake-..."; the fake is chosen by passing the object
    real = make_embedder(name)
    assert isinstance(real, SentenceTransformerEmbedder) and real.name == name


@pytest.mark.model
def test_bfloat16_vectors_match_fp32_ones() -> None:
    # "auto" turns bfloat16 on where the CPU has it natively; forcing it runs anywhere
    fp32 = SentenceTransformerEmbedder(threads=1, precision="fp32")
    bf16 = SentenceTransformerEmbedder(threads=1, precision="bf16")
    assert not fp32.uses_bf16 and bf16.uses_bf16
    exact, fast = fp32.embed(TEXTS), bf16.embed(TEXTS)
    assert fast.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    assert np.all(np.sum(exact * fast, axis=1) > 0.999)


def test_an_unknown_precision_is_refused_before_loading() -> None:
    with pytest.raises(EmbeddingModelError, match="one of auto, fp32, bf16, got 'fp16'"):
        SentenceTransformerEmbedder(precision="fp16")
