"""The query embedder: torch's vectors without torch, from the model's export in ONNX
Runtime or OpenVINO, and torch again, with one log line, when the export is missing or
damaged."""

from __future__ import annotations

import json
import logging
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from index import BUNDLED_MODEL, FakeEmbedder, SentenceTransformerEmbedder
from index.onnx_embedding import (
    META_FILE,
    MODEL_FILE,
    TOKENIZER_FILE,
    OnnxEmbedder,
    QueryEmbedder,
    export_directory,
    export_onnx,
    make_query_embedder,
    model_directory,
)
from index.openvino_embedding import OpenVinoEmbedder, cpu_multiplies_bf16

SENTENCES = [
    "Who is Qin Gang?",
    "Blinken will visit Beijing next week.",
    "",
    "  spaces   around  and\tinside ",
    "Café naïve résumé — “quoted” 2023’s U.S.-China talks",
    " ".join(["word"] * 400),  # past the model's 256 word pieces: truncated
]


def export_runtime(preferred: str) -> str:
    """What a sound export runs in when `preferred` is asked for, on this CPU."""
    return "openvino" if preferred == "openvino" and cpu_multiplies_bf16() else "onnx"


@pytest.fixture(scope="module")
def export(embedder: SentenceTransformerEmbedder, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled model's export, made once for the module."""
    return export_onnx(embedder, tmp_path_factory.mktemp("cache"))


def cache_with(export: Path, root: Path) -> Path:
    """A cache directory under `root` holding a copy of `export` where it is looked for."""
    cache = root / "cache"
    target = export_directory(cache, BUNDLED_MODEL)
    assert target is not None
    shutil.copytree(export, target)
    return cache


@pytest.mark.model
def test_onnx_vectors_match_torch_on_literal_sentences(
    embedder: SentenceTransformerEmbedder, export: Path
) -> None:
    onnx = OnnxEmbedder(BUNDLED_MODEL, export)
    vectors = onnx.embed(SENTENCES)
    torch_vectors = embedder.embed(SENTENCES)  # bfloat16 where the CPU has it, as ingest
    fp32 = SentenceTransformerEmbedder(precision="fp32").embed(SENTENCES)
    assert vectors.shape == (len(SENTENCES), 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.sum(vectors * torch_vectors, axis=1).min() > 0.999
    assert np.sum(vectors * fp32, axis=1).min() > 0.99999
    # one at a time (no padding) as in a batch padded to its longest
    alone = np.vstack([onnx.embed([s]) for s in SENTENCES])
    np.testing.assert_allclose(alone, vectors, atol=1e-5)
    assert (onnx.name, onnx.dimension, onnx.max_tokens) == (
        embedder.name,
        embedder.dimension,
        embedder.max_tokens,
    )
    assert onnx.token_counts(SENTENCES) == embedder.token_counts(SENTENCES)
    assert onnx.embed([]).shape == (0, 384)


@pytest.mark.model
def test_the_export_holds_its_graph_tokenizer_and_a_probe(export: Path) -> None:
    meta = json.loads((export / META_FILE).read_text())
    assert meta["onnx_bytes"] == (export / MODEL_FILE).stat().st_size > 80_000_000
    assert (export / TOKENIZER_FILE).is_file()
    assert meta["max_tokens"] == 256 and len(meta["probe_vector"]) == 384
    # keyed by the model's files: where a later process looks for it
    assert export.name == export_directory(export.parents[1], BUNDLED_MODEL).name  # type: ignore[union-attr]
    assert list(export.parent.glob(".export-*")) == []  # no scratch left behind


@pytest.mark.model
def test_a_missing_export_leaves_questions_on_torch_with_a_log_line(
    embedder: SentenceTransformerEmbedder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    query = QueryEmbedder(embedder, tmp_path / "empty-cache")
    with caplog.at_level(logging.INFO, logger="index.onnx_embedding"):
        assert query.runtime == "torch"
    assert [r.getMessage() for r in caplog.records if "no ONNX export" in r.getMessage()]
    np.testing.assert_array_equal(query.embed(SENTENCES[:2]), embedder.embed(SENTENCES[:2]))


def _truncate(export: Path) -> None:
    graph = export / MODEL_FILE
    graph.write_bytes(graph.read_bytes()[: graph.stat().st_size // 2])


def _scramble(export: Path) -> None:  # the same size, so only loading it finds out
    graph = export / MODEL_FILE
    graph.write_bytes(np.random.default_rng(0).bytes(graph.stat().st_size))


def _wrong_probe(export: Path) -> None:  # loads, but does not embed as torch did
    meta = json.loads((export / META_FILE).read_text())
    meta["probe_vector"] = [-x for x in meta["probe_vector"]]
    (export / META_FILE).write_text(json.dumps(meta))


def _broken_meta(export: Path) -> None:
    (export / META_FILE).write_text('{"format": 1, "inputs"')


def _broken_tokenizer(export: Path) -> None:
    (export / TOKENIZER_FILE).write_text("not a tokenizer")


@pytest.mark.model
@pytest.mark.parametrize("runtime", ["openvino", "onnx"])
@pytest.mark.parametrize(
    "damage", [_truncate, _scramble, _wrong_probe, _broken_meta, _broken_tokenizer]
)
def test_a_damaged_export_falls_back_to_torch_with_one_warning(
    embedder: SentenceTransformerEmbedder,
    export: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    damage: Callable[[Path], None],
    runtime: str,
) -> None:
    cache = cache_with(export, tmp_path)
    target = export_directory(cache, BUNDLED_MODEL)
    assert target is not None
    sound = QueryEmbedder(embedder, cache, runtime=runtime)
    assert sound.runtime == export_runtime(runtime)  # sound before the damage
    damage(target)
    query = QueryEmbedder(embedder, cache, runtime=runtime)
    with caplog.at_level(logging.INFO):
        assert query.runtime == "torch"
        vectors = query.embed(SENTENCES[:2])
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "unusable" in warnings[0].getMessage()
    assert str(target) in warnings[0].getMessage()
    np.testing.assert_array_equal(vectors, embedder.embed(SENTENCES[:2]))


def test_fakes_and_the_torch_setting_keep_the_given_embedder(tmp_path: Path) -> None:
    fake = FakeEmbedder()
    assert make_query_embedder(fake, runtime="onnx", cache_dir=tmp_path) is fake
    real = SentenceTransformerEmbedder()  # not loaded: nothing here needs the model
    assert make_query_embedder(real, runtime="torch", cache_dir=tmp_path) is real
    for runtime in ("openvino", "onnx"):
        query = make_query_embedder(real, runtime=runtime, cache_dir=tmp_path)
        assert isinstance(query, QueryEmbedder) and query.preferred == runtime


@pytest.mark.model
def test_openvino_embeds_questions_as_onnx_runtime_does(
    embedder: SentenceTransformerEmbedder, export: Path
) -> None:
    fp32 = OnnxEmbedder(BUNDLED_MODEL, export).embed(SENTENCES)
    openvino = OpenVinoEmbedder(BUNDLED_MODEL, export, threads=1, bf16=True, latency=True)
    vectors = openvino.embed(SENTENCES)
    assert vectors.shape == (len(SENTENCES), 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert np.sum(vectors * fp32, axis=1).min() > 0.999  # bfloat16 against fp32
    # a question alone, as the service asks, is the vector it gets in a batch
    alone = np.vstack([openvino.embed([s]) for s in SENTENCES])
    assert np.sum(alone * vectors, axis=1).min() > 0.999
    assert (openvino.dimension, openvino.max_tokens) == (embedder.dimension, embedder.max_tokens)
    assert openvino.token_counts(SENTENCES) == embedder.token_counts(SENTENCES)
    assert openvino.embed([]).shape == (0, 384)


@pytest.mark.model
def test_questions_take_onnx_runtime_in_fp32_or_without_openvino(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    cache = cache_with(export, tmp_path)
    fp32 = SentenceTransformerEmbedder(precision="fp32")  # not loaded: not needed here
    assert QueryEmbedder(fp32, cache).runtime == "onnx"
    forced = QueryEmbedder(SentenceTransformerEmbedder(precision="bf16"), cache)
    assert forced.runtime == "openvino"
    auto = SentenceTransformerEmbedder()
    assert QueryEmbedder(auto, cache).runtime == export_runtime("openvino")
    # openvino not installed (an import that fails, as it would): ONNX Runtime, said once
    monkeypatch.setitem(sys.modules, "openvino", None)
    query = QueryEmbedder(SentenceTransformerEmbedder(precision="bf16"), cache)
    with caplog.at_level(logging.INFO):
        assert query.runtime == "onnx"
    said = [r.getMessage() for r in caplog.records if "ONNX Runtime" in r.getMessage()]
    assert len(said) == 1 and "OpenVINO cannot load it" in said[0]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_only_local_models_have_an_export_keyed_by_their_files(tmp_path: Path) -> None:
    assert model_directory("sentence-transformers/all-MiniLM-L6-v2") is None
    assert export_directory(tmp_path, "sentence-transformers/all-MiniLM-L6-v2") is None
    bundled = export_directory(tmp_path, BUNDLED_MODEL)
    assert bundled is not None and bundled.parent == tmp_path / "onnx"
    model = tmp_path / "my-model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    before = export_directory(tmp_path / "cache", str(model))
    assert before == export_directory(tmp_path / "cache", str(model))
    (model / "config.json").write_text('{"hidden_size": 8}')
    assert export_directory(tmp_path / "cache", str(model)) not in (None, before)
