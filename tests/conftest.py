"""Shared fixtures. Everything runs offline: the model is the copy bundled on disk."""

from __future__ import annotations

import os

# before any library import: no hub, no telemetry, no tokenizer thread fan-out
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
# the product's settings come from NEWSDESK_* (qa/settings.py): a developer's own must not
# leak into the tests. NEWSDESK_TEST_* are settings of the test run itself, which the
# product never reads (NEWSDESK_TEST_CHROMIUM: the browser the UI tests drive), so they stay.
for _name in list(os.environ):
    if _name.startswith("NEWSDESK_") and not _name.startswith("NEWSDESK_TEST_"):
        del os.environ[_name]

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from index import SentenceTransformerEmbedder  # noqa: E402
from qa import NewsDesk, Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "000_08dd639a47279972.txt"


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The real bundled all-MiniLM-L6-v2, loaded once per test run."""
    model = SentenceTransformerEmbedder(threads=1)
    model.warm_up()
    return model


@pytest.fixture(scope="session")
def seed_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsDesk]:
    """A NewsDesk over the seed article, with the real model. Shared: do not mutate."""
    index_dir = tmp_path_factory.mktemp("seed-index") / "index"
    desk = NewsDesk.open(Settings.from_env(index_dir=index_dir), create=True)
    desk.ingest([SEED_ARTICLE])
    yield desk
    desk.close()


@pytest.fixture()
def empty_desk(tmp_path: Path) -> Iterator[NewsDesk]:
    """A fresh, empty NewsDesk of its own, free to mutate."""
    desk = NewsDesk.open(Settings.from_env(index_dir=tmp_path / "index"), create=True)
    yield desk
    desk.close()
