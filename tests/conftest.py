"""Shared fixtures. Everything runs offline: the model is the copy bundled on disk."""

from __future__ import annotations

# offline, telemetry off, and no NEWSDESK_* of the developer's: the rootdir conftest.py,
# which pytest loads before this one, sets that up for the doctests and these tests alike
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_site import Serve, local_sites  # tests/ is on sys.path: this file is in it

from index import SentenceTransformerEmbedder
from qa import NewsDesk, Settings

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


@pytest.fixture()
def serve(monkeypatch: pytest.MonkeyPatch) -> Iterator[Serve]:
    """Start local sites: `serve({"/path": Route(...)})` returns a running `Site`
    (tests/local_site.py), shut down after the test; no proxy is asked."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    with local_sites() as start:
        yield start
