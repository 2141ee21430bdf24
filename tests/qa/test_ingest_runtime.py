"""Ingest's plain embeddings through OpenVINO (`ingest_runtime`): the model's ONNX
export compiled by OpenVINO gives the vectors torch gives, a desk ingests through it by
default and answers as a desk that ingested through torch, and where the export cannot
be had the ingest goes on through torch."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
from onnx_exports import damaged_copy  # tests/onnx_exports.py

from index import SentenceTransformerEmbedder
from index.onnx_embedding import export_onnx
from index.openvino_embedding import OpenVinoEmbedder
from qa import NewsDesk, Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]
SEED_ARTICLE = ROOT / "seeds" / "000_08dd639a47279972.txt"
QUESTIONS = [
    json.loads(line)["question"]
    for line in (ROOT / "seeds" / "questions.jsonl").read_text().splitlines()[:12]
]


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder) -> Path:
    """A cache holding the bundled model's export."""
    return export_onnx(embedder, tmp_path_factory.mktemp("ingest-runtime-cache"))


def chunk_vectors(desk: NewsDesk) -> dict[str, np.ndarray]:
    got = desk._index.store._collection.get(include=["embeddings"])  # type: ignore[attr-defined]
    return {i: np.asarray(v) for i, v in zip(got["ids"], got["embeddings"], strict=True)}


@pytest.mark.model
def test_openvino_embeds_as_torch_does(export: Path, embedder: SentenceTransformerEmbedder) -> None:
    assert embedder.accelerator is None  # the session's embedder stays on torch
    openvino = OpenVinoEmbedder(embedder.name, export, threads=2, bf16=embedder.uses_bf16)
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    texts = [
        "Blinken arrives in Beijing.",
        text[:3000],  # past the model's 256 word pieces: cut as torch cuts it
        "x",
        *text.split(". ")[:40],  # enough for two batches, of unequal lengths
    ]
    got, want = openvino.embed(texts), embedder.embed(texts)
    assert got.shape == want.shape == (len(texts), 384)
    cosines = (got * want).sum(axis=1)
    assert cosines.min() > 0.999
    # each row is its own text's: nearest to torch's vector of the same text
    assert ((got @ want.T).argmax(axis=1) == np.arange(len(texts))).all()
    assert openvino.embed([]).shape == (0, 384)


@pytest.mark.model
def test_a_desk_ingests_through_openvino_and_answers_as_through_torch(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    by_torch = NewsDesk.open(
        Settings.from_env(index_dir=tmp_path / "torch", cache_dir=cache, ingest_runtime="torch"),
        create=True,
    )
    by_openvino = NewsDesk.open(
        Settings.from_env(index_dir=tmp_path / "openvino", cache_dir=cache), create=True
    )
    try:
        by_torch.ingest([SEED_ARTICLE])
        assert by_torch._index.embedder.accelerator is None  # type: ignore[attr-defined]
        by_openvino.ingest([SEED_ARTICLE])
        accelerator = by_openvino._index.embedder.accelerator  # type: ignore[attr-defined]
        assert isinstance(accelerator, OpenVinoEmbedder)
        # ingest's streams are ingest_threads, not the query path's one thread
        assert by_openvino.settings.query_threads == 1
        assert accelerator.threads == by_openvino.settings.ingest_threads == 2
        ours, theirs = chunk_vectors(by_openvino), chunk_vectors(by_torch)
        assert ours.keys() == theirs.keys() and len(ours) > 3
        assert min(float(ours[i] @ theirs[i]) for i in ours) > 0.999
        (article,) = [a.id for a in by_torch.articles()]
        ours_s = by_openvino._index.sentence_vectors([article])[article]
        theirs_s = by_torch._index.sentence_vectors([article])[article]
        assert ours_s.spans == theirs_s.spans
        a, b = ours_s.vectors(), theirs_s.vectors()  # int8 codes: not quite unit length
        cosines = (a * b).sum(axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
        assert cosines.min() > 0.998
        for question in QUESTIONS:
            a, b = by_openvino.ask(question), by_torch.ask(question)
            assert (a.text, a.abstained) == (b.text, b.abstained), question
    finally:
        by_torch.close()
        by_openvino.close()


@pytest.mark.model
def test_without_a_usable_export_the_ingest_goes_on_through_torch(
    export: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    damaged_cache = tmp_path / "damaged"
    damaged_copy(export, damaged_cache)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache directory should be")
    for cache, reason in ((damaged_cache, "bytes, not"), (blocked, "")):
        settings = Settings.from_env(index_dir=tmp_path / f"index-{cache.name}", cache_dir=cache)
        desk = NewsDesk.open(settings, create=True)
        caplog.clear()
        try:
            with caplog.at_level(logging.WARNING, logger="index.openvino_embedding"):
                report = desk.ingest([SEED_ARTICLE])
            assert report.added and report.chunks > 0
            assert desk._index.embedder.accelerator is None  # type: ignore[attr-defined]
            said = [r.getMessage() for r in caplog.records if r.name == "index.openvino_embedding"]
            assert len(said) == 1 and said[0].startswith("ingest embeds with torch")
            assert reason in said[0]
            assert not desk.ask(QUESTIONS[0]).abstained
        finally:
            desk.close()


def test_ingest_runtime_is_openvino_or_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().ingest_runtime == "openvino"
    monkeypatch.setenv("NEWSDESK_INGEST_RUNTIME", "cuda")
    with pytest.raises(SettingsError, match="ingest_runtime must be one of openvino, torch"):
        Settings.from_env()
    monkeypatch.setenv("NEWSDESK_INGEST_RUNTIME", "torch")
    assert Settings.from_env().ingest_runtime == "torch"


def test_ingest_threads_are_read_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_INGEST_THREADS", "0")
    with pytest.raises(SettingsError, match="ingest_threads must be at least 1, got 0"):
        Settings.from_env()
    monkeypatch.setenv("NEWSDESK_INGEST_THREADS", "4")
    assert Settings.from_env().ingest_threads == 4
