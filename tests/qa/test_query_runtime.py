"""Questions embedded through the model's export (OpenVINO or ONNX Runtime): ingest
writes the export, `newsdesk ask` then answers without importing torch, and a missing
or damaged export answers the same through torch."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from onnx_exports import damaged_copy  # tests/onnx_exports.py

from index import BUNDLED_MODEL, SentenceTransformerEmbedder
from index.onnx_embedding import MODEL_FILE, export_directory
from index.openvino_embedding import cpu_multiplies_bf16
from qa import NewsDesk, Settings, SettingsError
from qa.records import Answer

ROOT = Path(__file__).resolve().parents[2]
SEED_ARTICLE = ROOT / "seeds" / "000_08dd639a47279972.txt"
QUESTIONS = [
    json.loads(line)["question"]
    for line in (ROOT / "seeds" / "questions.jsonl").read_text().splitlines()[:12]
]
HEAVY = ("torch", "sentence_transformers", "transformers", "gradio")
# what the default setting runs a sound export in on this CPU
EXPORT_RUNTIME = "openvino" if cpu_multiplies_bf16() else "onnx"
# `newsdesk ask` in a process of its own, then which heavy packages it had imported
ASK_AND_LIST_IMPORTS = f"""
import sys
from ui.cli import main

code = main(["ask", "--json", *sys.argv[1:]])
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
print("IMPORTED:", *heavy, file=sys.stderr)
sys.exit(code)
"""


def shown(answer: Answer) -> tuple[object, ...]:
    """What a user sees of an answer."""
    return (
        answer.text,
        answer.abstained,
        [(c.article_id, c.start, c.end) for c in answer.citations],
        [(c.article_id, c.start, c.end) for c in answer.related],
    )


@dataclass(frozen=True)
class Built:
    """The seed article indexed with an empty cache, answered through torch, then
    ingested again by a desk on the default runtime, which answers through the export."""

    index_dir: Path
    cache: Path
    torch_answers: list[tuple[object, ...]]
    runtime_before: str  # the default desk's, before its ingest and after
    runtime_after: str
    onnx_answers: list[tuple[object, ...]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder) -> Built:
    root = tmp_path_factory.mktemp("query-runtime")
    index_dir, cache = root / "index", root / "cache"
    torch_settings = Settings.from_env(index_dir=index_dir, cache_dir=cache, query_runtime="torch")
    desk = NewsDesk.open(torch_settings, create=True, embedder=embedder)
    try:
        desk.ingest([SEED_ARTICLE])  # query_runtime=torch: nothing exported
        torch_answers = [shown(desk.ask(q)) for q in QUESTIONS]
    finally:
        desk.close()
    assert not (cache / "onnx").exists()
    desk = NewsDesk.open(Settings.from_env(index_dir=index_dir, cache_dir=cache), embedder=embedder)
    try:
        before = desk.query_runtime
        report = desk.ingest([SEED_ARTICLE])
        assert report.unchanged and not report.added  # nothing new: the export all the same
        after = desk.query_runtime
        onnx_answers = [shown(desk.ask(q)) for q in QUESTIONS]
    finally:
        desk.close()
    return Built(index_dir, cache, torch_answers, before, after, onnx_answers)


@pytest.mark.model
def test_ingest_writes_the_export_and_it_answers_as_torch_does(built: Built) -> None:
    export = export_directory(built.cache, BUNDLED_MODEL)
    assert export is not None and (export / MODEL_FILE).is_file()
    assert (built.runtime_before, built.runtime_after) == ("torch", EXPORT_RUNTIME)
    assert any(not a[1] for a in built.torch_answers)  # some of them are real answers
    assert built.onnx_answers == built.torch_answers


@pytest.mark.model
def test_a_damaged_export_answers_through_torch_and_the_next_ingest_rewrites_it(
    built: Built,
    embedder: SentenceTransformerEmbedder,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    index_dir, torch_answers = built.index_dir, built.torch_answers
    export = export_directory(built.cache, BUNDLED_MODEL)
    assert export is not None and (export / MODEL_FILE).is_file()
    damaged_cache = tmp_path / "cache"
    graph = damaged_copy(export, damaged_cache)
    settings = Settings.from_env(index_dir=index_dir, cache_dir=damaged_cache)
    desk = NewsDesk.open(settings, embedder=embedder)
    try:
        with caplog.at_level(logging.WARNING, logger="index.onnx_embedding"):
            assert [shown(desk.ask(q)) for q in QUESTIONS[:4]] == torch_answers[:4]
        assert desk.query_runtime == "torch"
        assert len(caplog.records) == 1 and "unusable" in caplog.records[0].getMessage()
        desk.ingest([SEED_ARTICLE])
        assert desk.query_runtime == EXPORT_RUNTIME
        assert graph.stat().st_size > 80_000_000
    finally:
        desk.close()


def spans(citations: list[dict]) -> list[tuple[str, int, int]]:
    return [(c["article_id"], c["start"], c["end"]) for c in citations]


def ask_in_a_process(index_dir: Path, cache: Path, question: str) -> tuple[dict, list[str]]:
    """`newsdesk ask --json` in a fresh interpreter: its answer, and the heavy
    packages it imported."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env |= {"HF_HUB_OFFLINE": "1", "NEWSDESK_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", ASK_AND_LIST_IMPORTS, question, "--index", str(index_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    imported = [line for line in done.stderr.splitlines() if line.startswith("IMPORTED:")]
    assert len(imported) == 1, done.stderr
    return json.loads(done.stdout), imported[0].split()[1:]


@pytest.mark.model
def test_newsdesk_ask_answers_without_importing_torch(built: Built, tmp_path: Path) -> None:
    index_dir, cache = built.index_dir, built.cache
    assert built.runtime_after == EXPORT_RUNTIME
    answer, imported = ask_in_a_process(index_dir, cache, QUESTIONS[0])
    assert imported == []
    assert answer["citations"] and not answer["abstained"]
    # the control: with no export the same command loads torch, and says the same
    fallback, imported = ask_in_a_process(index_dir, tmp_path / "empty-cache", QUESTIONS[0])
    assert "torch" in imported and "sentence_transformers" in imported
    assert fallback["answer"] == answer["answer"]
    # the same quotes; their scores differ in the fourth decimal (bfloat16 against fp32)
    assert spans(fallback["citations"]) == spans(answer["citations"])


def test_query_runtime_is_openvino_onnx_or_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().query_runtime == "openvino"
    monkeypatch.setenv("NEWSDESK_QUERY_RUNTIME", "tensorflow")
    with pytest.raises(SettingsError, match="query_runtime must be one of openvino, onnx, torch"):
        Settings.from_env()
    monkeypatch.setenv("NEWSDESK_QUERY_RUNTIME", "torch")
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", "~/somewhere")
    settings = Settings.from_env()
    assert settings.query_runtime == "torch"
    assert settings.cache_dir == Path("~/somewhere").expanduser()


@pytest.mark.model
def test_an_export_that_cannot_be_written_leaves_the_ingest_standing(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    cache.write_text("a file where the cache directory should be")
    settings = Settings.from_env(index_dir=tmp_path / "index", cache_dir=cache)
    desk = NewsDesk.open(settings, create=True, embedder=embedder)
    try:
        with caplog.at_level(logging.WARNING, logger="index.onnx_embedding"):
            report = desk.ingest([SEED_ARTICLE])
        assert report.added and report.chunks > 0
        assert [r for r in caplog.records if "questions stay on torch" in r.getMessage()]
        assert desk.query_runtime == "torch"
        assert not desk.ask(QUESTIONS[0]).abstained
    finally:
        desk.close()
