"""Issue 16's load test: 20 clients ask for 20 s through POST /api/ask and the Gradio
/ask endpoint while another process ingests into the index and another deletes from
it; every request is answered (0 errors, 0 HTTP 500s). 127.0.0.1 only."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cli_process import start_newsdesk  # tests/cli_process.py

from qa import NewsDesk, Settings

pytestmark = [pytest.mark.slow, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_08dd639a47279972.txt"
CLIENTS = 20
SECONDS = 20.0
QUESTIONS = (
    "what did Kritenbrink say about expectations?",
    "When is Blinken visiting?",
    "what ended the Rotterdam strike?",
    "How much ice did the glacier lose?",
)


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[str, NewsDesk, Path]]:
    """A small index (the seed and one more article) served on 127.0.0.1."""
    import uvicorn

    from ui.web.app import build_app

    (tmp_path / "strike.txt").write_text(
        "Harbour strike ends\n\nDock workers in Rotterdam ended their strike on Monday "
        "after the port authority agreed to a new pay deal, the union said.\n",
        encoding="utf-8",
    )
    desk = NewsDesk.open(Settings.from_env(index_dir=tmp_path / "index"), create=True)
    assert len(desk.ingest([SEED, tmp_path / "strike.txt"]).added) == 2
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    app = build_app(desk, "127.0.0.1", sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", desk, tmp_path
    server.should_exit = True
    thread.join(10)
    sock.close()
    desk.close()


def test_twenty_clients_for_twenty_seconds_with_an_ingest_and_a_delete_elsewhere(
    served: tuple[str, NewsDesk, Path],
) -> None:
    from gradio_client import Client

    base, desk, folder = served
    [strike] = [a.id for a in desk.articles() if a.title == "Harbour strike ends"]
    late = folder / "glacier.txt"
    late.write_text(
        "Glacier survey published\n\nScientists in Tromso said the Blaavatn glacier lost "
        "forty metres of ice last summer, the fastest retreat they have measured.\n",
        encoding="utf-8",
    )
    outcomes: list[str] = []  # "ok", or what went wrong
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def client(number: int) -> None:
        gradio = Client(base, verbose=False) if number % 5 == 0 else None
        with httpx.Client(timeout=120) as http:
            asked = number
            while time.monotonic() < stop:
                question = QUESTIONS[asked % len(QUESTIONS)]
                asked += 1
                try:
                    if gradio is not None:
                        result = gradio.predict(question, api_name="/ask")
                        outcome = "ok" if "answer" in result else f"gradio: {result}"
                    else:
                        response = http.post(f"{base}/api/ask", json={"question": question})
                        ok = response.status_code == 200 and "answer" in response.json()
                        outcome = "ok" if ok else f"{response.status_code}: {response.text[:200]}"
                except Exception as error:  # every failure is counted, whatever it is
                    outcome = f"{type(error).__name__}: {error}"
                with lock:
                    outcomes.append(outcome)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(2)  # the clients are asking before the other processes start
    index = str(desk.settings.index_dir)
    ingesting = start_newsdesk("ingest", str(late), "--index", index, "--quiet")
    deleting = start_newsdesk("delete", strike, "--index", index)
    ingested = ingesting.communicate(timeout=300)
    deleted = deleting.communicate(timeout=300)
    for thread in threads:
        thread.join(SECONDS + 180)
    assert not any(t.is_alive() for t in threads), "a client never got its answer"
    assert ingesting.returncode == 0, ingested[1]
    assert deleting.returncode == 0, deleted[1]
    assert len(outcomes) >= CLIENTS, outcomes
    errors = [o for o in outcomes if o != "ok"]
    assert errors == [], f"{len(errors)} of {len(outcomes)} requests failed: {errors[:5]}"
    titles = {a.title for a in desk.articles()}
    assert "Glacier survey published" in titles and "Harbour strike ends" not in titles
