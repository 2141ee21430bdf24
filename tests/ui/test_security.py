"""Issue 16's security items against a real server on 127.0.0.1 with the real model:
no server file can be ingested through the upload event, and an upload replaces no
article it did not create."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx
import pytest

from qa import NewsDesk, Settings

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_08dd639a47279972.txt"
SECRET = "The vault combination is 31-41-59, said the quartermaster."


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsDesk]:
    """A NewsDesk of its own over the seed article: these tests try to change it."""
    index_dir = tmp_path_factory.mktemp("security") / "index"
    desk = NewsDesk.open(Settings.from_env(index_dir=index_dir), create=True)
    assert desk.ingest([SEED]).added
    yield desk
    desk.close()


@pytest.fixture(scope="module")
def server(
    desk: NewsDesk, threaded_server: Callable[[NewsDesk], AbstractContextManager[str]]
) -> Iterator[str]:
    """`ui.web.app.build_app` over `desk`, served on a free 127.0.0.1 port."""
    with threaded_server(desk) as url:
        yield url


def dependency(base: str, api_name: str) -> tuple[int, int]:
    """(fn_index, trigger id) of the page's event with this api_name, from /config."""
    config = httpx.get(f"{base}/config", timeout=30).json()
    for index, dep in enumerate(config["dependencies"]):
        if dep.get("api_name") == api_name:
            return index, dep["targets"][0][0]
    raise AssertionError(f"no {api_name!r} event in the page's config")


def event_body(base: str, api_name: str, data: list[Any], session: str) -> dict[str, Any]:
    """The body the page sends for one event of the dependency named `api_name`."""
    fn_index, trigger = dependency(base, api_name)
    return {
        "data": data,
        "fn_index": fn_index,
        "trigger_id": trigger,
        "session_hash": session,
        "event_data": None,
    }


def run_event(
    base: str, api_name: str, data: list[Any], session: str | None = None
) -> list[dict[str, Any]]:
    """Send one event through /gradio_api/queue/join, as the page does; every message back."""
    session = session or uuid.uuid4().hex
    body = event_body(base, api_name, data, session)
    joined = httpx.post(f"{base}/gradio_api/queue/join", json=body, timeout=30)
    assert joined.status_code == 200, joined.text
    messages = []
    with httpx.stream(
        "GET", f"{base}/gradio_api/queue/data", params={"session_hash": session}, timeout=120
    ) as stream:
        for line in stream.iter_lines():
            if not line.startswith("data:"):
                continue
            message = json.loads(line[5:])
            messages.append(message)
            if message.get("msg") == "process_completed":
                break
    assert messages and messages[-1].get("msg") == "process_completed", messages
    return messages


def run_direct(base: str, api_name: str, data: list[Any], session: str) -> dict[str, Any]:
    """Send one unqueued event (the file box's upload event) as the page does."""
    body = event_body(base, api_name, data, session)
    response = httpx.post(f"{base}/gradio_api/run/predict", json=body, timeout=30)
    assert response.status_code == 200, response.text
    return dict(response.json())


def upload_in_session(base: str, session: str, name: str, data: bytes) -> dict[str, Any]:
    """What the file box does: the bytes to /upload, then its upload event; the FileData."""
    path = upload_to_gradio(base, name, data)
    value = [file_data(path, name)]
    run_direct(base, "claim_uploads", [value, None], session)
    return value[0]


def ingest_click(
    base: str, session: str, files: list[dict[str, Any]], replace: bool = False
) -> str:
    """Click "Ingest uploaded files" in `session`; the final status line(s)."""
    return final_status(run_event(base, "upload", [files, replace, None], session))


def upload_to_gradio(base: str, name: str, data: bytes) -> str:
    """POST the bytes to Gradio's /upload, as the file box does; the path Gradio holds."""
    response = httpx.post(f"{base}/gradio_api/upload", files={"files": (name, data)}, timeout=30)
    assert response.status_code == 200, response.text
    [path] = response.json()
    return str(path)


def file_data(path: str, name: str) -> dict[str, Any]:
    return {"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}


def final_status(messages: list[dict[str, Any]]) -> str:
    output = messages[-1]["output"]
    assert output.get("data"), output
    return str(output["data"][0])


def test_upload_event_refuses_a_file_from_the_servers_disk(
    server: str, desk: NewsDesk, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(f"Quartermaster notes\n\n{SECRET}\n", encoding="utf-8")
    before = {a.id for a in desk.articles()}
    status = ingest_click(server, uuid.uuid4().hex, [file_data(str(secret), "note.txt")])
    assert {a.id for a in desk.articles()} == before, status
    assert "added" not in status
    assert "not uploaded" in status, status
    answer = httpx.post(
        f"{server}/api/ask", json={"question": "What is the vault combination?"}, timeout=60
    ).json()
    assert "31-41-59" not in json.dumps(answer)


def test_a_server_file_named_in_the_upload_event_leaves_no_copy_in_gradios_cache(
    server: str, tmp_path: Path
) -> None:
    from gradio.utils import get_upload_folder

    secret = tmp_path / "copied.txt"
    secret.write_text(f"Copied notes\n\n{SECRET} Copy {uuid.uuid4().hex}.\n", encoding="utf-8")
    ingest_click(server, uuid.uuid4().hex, [file_data(str(secret), "copied.txt")])
    copies = [p for p in Path(get_upload_folder()).rglob("copied.txt")]
    assert copies == []


def test_an_upload_of_this_session_is_ingested_and_leaves_no_copy(
    server: str, desk: NewsDesk
) -> None:
    from gradio.utils import get_upload_folder

    session = uuid.uuid4().hex
    text = f"Harbour report\n\nThe harbour master counted {uuid.uuid4().int % 10**6} ships.\n"
    held = upload_in_session(server, session, "harbour.txt", text.encode())
    status = ingest_click(server, session, [held])
    assert "1 added" in status and "You can ask about them now." in status, status
    [article] = [a for a in desk.articles() if a.title == "Harbour report"]
    assert not Path(held["path"]).exists()  # Gradio's copy
    uploads = desk.settings.index_dir / "uploads"
    assert not uploads.exists() or list(uploads.iterdir()) == []
    assert not [p for p in Path(get_upload_folder()).rglob("harbour.txt")]
    assert desk.delete([article.id]) == [article.id]


def test_another_sessions_upload_is_not_ingested(server: str, desk: NewsDesk) -> None:
    text = f"Mill report\n\nThe mill ground {uuid.uuid4().int % 10**6} sacks of flour.\n"
    held = upload_in_session(server, uuid.uuid4().hex, "mill.txt", text.encode())
    status = ingest_click(server, uuid.uuid4().hex, [held])
    assert "mill.txt was not uploaded from this page" in status, status
    assert not [a for a in desk.articles() if a.title == "Mill report"]


def test_an_upload_replaces_an_article_of_another_file_only_when_asked(
    server: str, desk: NewsDesk
) -> None:
    [seed] = [a for a in desk.articles() if a.title.startswith("US Down Plays")]
    line = json.dumps({"id": seed.id, "title": "Hijacked", "text": "Nothing happened today."})
    session = uuid.uuid4().hex
    held = upload_in_session(server, session, "ids.jsonl", (line + "\n").encode())
    status = ingest_click(server, session, [held])
    assert f"Failed: ids.jsonl:1: article id {seed.id}" in status, status
    assert "not replaced" in status and "You can ask" not in status
    assert desk.article(seed.id).title == seed.title
    held = upload_in_session(server, session, "ids.jsonl", (line + "\n").encode())
    status = ingest_click(server, session, [held], replace=True)
    assert "1 updated" in status, status
    assert desk.article(seed.id).title == "Hijacked"
    assert desk.ingest([SEED]).updated == (seed.id,)  # put the seed back for the others


def test_status_lines_name_the_users_file_never_a_server_path(server: str, desk: NewsDesk) -> None:
    session = uuid.uuid4().hex
    held = upload_in_session(server, session, "broken.jsonl", b"{not json\n")
    status = ingest_click(server, session, [held])
    assert "Failed: broken.jsonl:1: not valid JSON" in status, status
    assert str(desk.settings.index_dir) not in status and "/tmp" not in status
    assert "You can ask about them now" not in status


@pytest.mark.parametrize("address", ["{secret}", "file://{secret}", " {folder} ", "{folder}/"])
def test_the_address_event_never_reads_a_server_path(
    server: str, desk: NewsDesk, tmp_path: Path, address: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(f"Quartermaster notes\n\n{SECRET}\n", encoding="utf-8")
    before = {a.id for a in desk.articles()}
    address = address.format(secret=secret, folder=tmp_path)
    status = final_status(run_event(server, "ingest_url", [address, True]))
    assert "is not a web address" in status or "addresses cannot be fetched" in status, status
    assert "http:// or https://" in status, status
    assert {a.id for a in desk.articles()} == before
    assert not [a for a in desk.articles() if a.title == "Quartermaster notes"]
