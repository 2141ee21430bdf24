"""`POST /api/ask` and the Gradio `/ask` endpoint, against the served app and the real model."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

QUESTION = "what did Kritenbrink say about expectations?"

pytestmark = pytest.mark.model


def assert_cited_answer(data: dict[str, Any]) -> None:
    assert data["question"] == QUESTION
    assert data["answer"]
    assert data["abstained"] is False
    assert data["citations"], data
    first = data["citations"][0]
    assert f"[{first['marker']}]" in data["answer"]
    assert first["quote"] and first["end"] > first["start"]


def test_post_api_ask_answers_with_citations(server_url: str) -> None:
    response = httpx.post(f"{server_url}/api/ask", json={"question": QUESTION}, timeout=60)
    assert response.status_code == 200, response.text
    assert_cited_answer(response.json())


def test_post_api_ask_takes_history_and_as_of(server_url: str) -> None:
    first = httpx.post(f"{server_url}/api/ask", json={"question": QUESTION}, timeout=60).json()
    body = {
        "question": "what else did he say?",
        "history": [[QUESTION, first["answer"]]],
        "as_of": "2030-01-01",
    }
    response = httpx.post(f"{server_url}/api/ask", json=body, timeout=60)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["question"] == "what else did he say?"
    assert data["standalone_question"] != "what else did he say?"  # resolved against history


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "the body is not JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"question": ""}', '"question" must be a non-empty string'),
        (b'{"question": "q", "history": "no"}', '"history" must be a list of'),
        (b'{"question": "q", "as_of": 20230614}', '"as_of" must be a date string'),
        (b'{"question": "q", "as_of": "junk"}', "junk"),
        (b'{"question": "q", "extra": 1}', "unknown field(s) extra"),
        (b'{"question": "q", "mode": "poetic"}', '"mode" must be "extractive" or "generative"'),
        (b'{"question": "q", "mode": 1}', "got 1"),
        (b'{"question": "' + b"x" * 70_000 + b'"}', "the limit is"),
    ],
)
def test_post_api_ask_refuses_bad_requests_with_a_json_message(
    server_url: str, body: bytes, message: str
) -> None:
    response = httpx.post(
        f"{server_url}/api/ask",
        content=body,
        headers={"content-type": "application/json"},
        timeout=60,
    )
    assert response.status_code == 400
    data = response.json()
    assert message in data["error"]
    assert "Traceback" not in response.text


def test_post_api_ask_takes_a_mode(server_url: str) -> None:
    body = {"question": QUESTION, "mode": "extractive"}
    response = httpx.post(f"{server_url}/api/ask", json=body, timeout=60)
    assert response.status_code == 200, response.text
    assert response.json()["mode"] == "extractive"
    assert_cited_answer(response.json())


def test_gradio_client_calls_the_ask_endpoint(server_url: str) -> None:
    from gradio_client import Client

    client = Client(server_url, verbose=False)
    result = client.predict(QUESTION, api_name="/ask")
    assert_cited_answer(result)


def test_deeply_nested_json_is_a_400_not_a_500(server_url: str) -> None:
    response = httpx.post(
        f"{server_url}/api/ask",
        content=b"[" * 30_000,
        headers={"content-type": "application/json"},
        timeout=60,
    )
    assert response.status_code == 400, response.text
    assert "nests too deeply" in response.json()["error"]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_on_api_ask_are_405_with_allow(server_url: str, method: str) -> None:
    response = httpx.request(method, f"{server_url}/api/ask", timeout=60)
    assert response.status_code == 405, response.text
    assert response.headers["allow"] == "POST"
    assert "POST a JSON body" in response.json()["error"]


@pytest.mark.parametrize("as_of", ["2023-06-14garbage", "2023-06-14 trailing junk"])
def test_post_api_ask_refuses_as_of_with_trailing_junk(server_url: str, as_of: str) -> None:
    body = {"question": QUESTION, "as_of": as_of}
    response = httpx.post(f"{server_url}/api/ask", json=body, timeout=60)
    assert response.status_code == 400, response.text
    assert "as_of must be a date like 2023-06-14" in response.json()["error"]


@pytest.mark.parametrize("history", [5, "text", [5], [["one"]]])
def test_gradio_ask_with_a_bad_history_gives_the_message(server_url: str, history: object) -> None:
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(server_url, verbose=False)
    with pytest.raises(AppError, match=r"history must be a list of \[question, answer\] pairs"):
        client.predict(QUESTION, history, api_name="/ask")
