"""Shared fixtures. Everything runs offline: the model is the copy bundled on disk.

The store, ingest, answer and crash tests run twice, once with the vectors in the
index directory (an embedded Chroma) and once on a real Chroma server: their modules
are marked `both_stores`, which parametrises the one fixture `chroma_url` for every test
there that uses it (directly or through a fixture). The server is
NEWSDESK_TEST_CHROMA_URL when set (`make test` starts one and sets it), else a
`chroma run` this session starts on a free 127.0.0.1 port and stops at the end. Every
index gets a collection of its own on it, so tests never see each other's data.
"""

from __future__ import annotations

# offline, telemetry off, and no NEWSDESK_* of the developer's: the rootdir conftest.py,
# which pytest loads before this one, sets that up for the doctests and these tests alike
import contextlib
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_site import Serve, local_sites  # tests/ is on sys.path: this file is in it

from index import SentenceTransformerEmbedder
from qa import NewsDesk, Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "000_08dd639a47279972.txt"
CHROMA = Path(sys.executable).with_name("chroma")  # installed with chromadb
STORES = ("embedded", "server")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_stores: runs with the vectors embedded and on a Chroma server"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "chroma_url" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_stores"
    ):
        metafunc.parametrize("chroma_url", STORES, indirect=True)


def ephemeral_floor() -> int:
    """The lowest port the kernel hands to outgoing connections (Linux; 32768 elsewhere)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port(count: int = 1) -> int:
    """The first of `count` consecutive TCP ports on 127.0.0.1 that nothing listens on now.

    Drawn below the kernel's ephemeral range: a port from there (what binding port 0
    gives) can be taken by any outgoing connection, such as a starting server's own
    client to Chroma, between this check and the server's bind. CI once failed so.
    """
    floor = ephemeral_floor()
    high = floor if floor > 11_000 else 65_536  # an odd range: any unprivileged port
    while True:
        first = random.randrange(10_000, high - count)
        try:
            with contextlib.ExitStack() as held:  # all bound at once, then all released
                for port in range(first, first + count):
                    held.enter_context(socket.socket()).bind(("127.0.0.1", port))
        except OSError:
            continue
        return first


def wait_for_heartbeat(url: str, process: subprocess.Popen[bytes] | None = None) -> None:
    """Return once the Chroma server at `url` answers its heartbeat (60 s at most)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"chroma run for {url} exited at start") from None
            time.sleep(0.2)
    raise RuntimeError(f"the Chroma server at {url} did not answer within 60 s")


class ChromaServer:
    """`chroma run --path DIR --host 127.0.0.1 --port P` as a child process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if not CHROMA.exists():
            pytest.fail(f"{CHROMA} is missing: chromadb installs it; reinstall newsdesk")
        command = [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        wait_for_heartbeat(self.url, self.process)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of the test session's Chroma server (see the module docstring)."""
    given = os.environ.get("NEWSDESK_TEST_CHROMA_URL")
    if given:
        wait_for_heartbeat(given.rstrip("/"))
        yield given.rstrip("/")
        return
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    server.start()
    yield server.url
    server.stop()


@pytest.fixture()
def chroma_url(request: pytest.FixtureRequest) -> str | None:
    """Where a test's index keeps its vectors: None for its own directory (embedded
    Chroma), or the session's server. Embedded unless the test is marked both_stores."""
    if getattr(request, "param", "embedded") == "server":
        return str(request.getfixturevalue("chroma_server"))
    return None


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The real bundled all-MiniLM-L6-v2, loaded once per test run."""
    model = SentenceTransformerEmbedder(threads=1)
    model.warm_up()
    return model


@pytest.fixture(scope="session")
def seed_desks() -> Iterator[dict[str | None, NewsDesk]]:
    """chroma_url -> the session's seed desk on that store (filled by `seed_desk`)."""
    desks: dict[str | None, NewsDesk] = {}
    yield desks
    for desk in desks.values():
        desk.close()


@pytest.fixture()
def seed_desk(
    seed_desks: dict[str | None, NewsDesk],
    chroma_url: str | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> NewsDesk:
    """A NewsDesk over the seed article, with the real model, built once per store for
    the session. Shared: do not mutate."""
    if chroma_url not in seed_desks:
        index_dir = tmp_path_factory.mktemp("seed-index") / "index"
        settings = Settings.from_env(index_dir=index_dir, chroma_url=chroma_url)
        desk = NewsDesk.open(settings, create=True)
        desk.ingest([SEED_ARTICLE])
        seed_desks[chroma_url] = desk
    return seed_desks[chroma_url]


@pytest.fixture()
def empty_desk(tmp_path: Path, chroma_url: str | None) -> Iterator[NewsDesk]:
    """A fresh, empty NewsDesk of its own, free to mutate."""
    settings = Settings.from_env(index_dir=tmp_path / "index", chroma_url=chroma_url)
    desk = NewsDesk.open(settings, create=True)
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
