"""`POST /api/ask`: plain JSON over HTTP, answering like `newsdesk ask --json`.

The body is `{"question", "history"?, "as_of"?, "mode"?}`; `mode` ("extractive" or
"generative") defaults to the server's setting.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from qa import ANSWER_MODES, Answer, NewsDesk, NewsdeskError, Turn

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64_000  # a question, some history and a date fit many times over
MAX_CONCURRENT_ASKS = 4  # beyond this, callers wait for a free slot
# threads of their own for callers waiting on a slot, so that they never take the
# threads the web chat's answers run in (which need one to go on and free a slot)
MAX_WAITING_ASKS = 64


class RequestError(NewsdeskError):
    """The request body is not what `POST /api/ask` takes."""


def parse_ask_request(body: bytes) -> tuple[str, list[Turn], str | None, str | None]:
    """The question, history, as-of date and mode of a request body; a `RequestError`
    says what is wrong. A mode left out is None: the server's default.

    >>> parse_ask_request(b'{"question": "Who?", "history": [["Q", "A"]], "as_of": "2023-06-14"}')
    ('Who?', [Turn(question='Q', answer='A')], '2023-06-14', None)
    >>> parse_ask_request(b'{"question": "Who?", "mode": "generative"}')
    ('Who?', [], None, 'generative')
    >>> parse_ask_request(b'{"question": 3}')
    Traceback (most recent call last):
    ...
    ui.web.http_api.RequestError: "question" must be a non-empty string
    """
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RequestError(
            f"the body is not JSON ({error}); "
            'send {"question": "...", "history": [], "as_of": null, "mode": null}'
        ) from None
    except RecursionError:  # 30,000 '[' in a row
        raise RequestError(
            'the body nests too deeply to be a question; send {"question": "..."}'
        ) from None
    if not isinstance(data, dict):
        raise RequestError('the body must be a JSON object like {"question": "..."}')
    unknown = sorted(set(data) - {"question", "history", "as_of", "mode"})
    if unknown:
        raise RequestError(
            f"unknown field(s) {', '.join(unknown)}: use question, history, as_of, mode"
        )
    question = data.get("question")
    if not isinstance(question, str) or not question.strip():
        raise RequestError('"question" must be a non-empty string')
    history_raw = data.get("history") or []
    if not isinstance(history_raw, list) or not all(
        isinstance(t, list) and len(t) == 2 and all(isinstance(s, str) for s in t)
        for t in history_raw
    ):
        raise RequestError('"history" must be a list of [question, answer] pairs of strings')
    as_of = data.get("as_of")
    if as_of is not None and not isinstance(as_of, str):
        raise RequestError('"as_of" must be a date string like "2023-06-14", or null')
    mode = data.get("mode")
    if mode is not None and mode not in ANSWER_MODES:
        raise RequestError(
            f'"mode" must be "extractive" or "generative", or null for the server\'s '
            f"default; got {json.dumps(mode)}"
        )
    return question, [Turn(q, a) for q, a in history_raw], as_of or None, mode


def ask_router(
    desk: NewsDesk,
    slots: threading.BoundedSemaphore | None = None,
    on_answer: Callable[[Answer], None] | None = None,
) -> APIRouter:
    """A router with `POST /api/ask` answering from `desk`.

    `slots` is the pool of questions answered at once, shared with the web chat
    (`ui.web.app.build_app` passes one); None gives the API a pool of its own.
    """
    router = APIRouter()
    slots = slots or threading.BoundedSemaphore(MAX_CONCURRENT_ASKS)
    waiting = anyio.CapacityLimiter(MAX_WAITING_ASKS)

    def answer(
        question: str, history: list[Turn], as_of: str | None, mode: str | None
    ) -> dict[str, Any]:
        with slots:
            result = desk.ask(question, history, as_of, mode=mode)
        if on_answer is not None:
            on_answer(result)  # the server's one line per answered question
        return result.to_dict()

    @router.post("/api/ask")
    async def api_ask(request: Request) -> JSONResponse:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return _error(f"the body is {len(body)} bytes; the limit is {MAX_BODY_BYTES}")
        try:
            question, history, as_of, mode = parse_ask_request(body)
            result = await anyio.to_thread.run_sync(
                answer, question, history, as_of, mode, limiter=waiting
            )
        except NewsdeskError as error:
            return _error(str(error))
        except Exception:
            log.exception("POST /api/ask failed")
            return JSONResponse(
                {"error": "the server failed to answer; its log has the details"}, status_code=500
            )
        return JSONResponse(result)

    @router.api_route("/api/ask", methods=["GET", "HEAD", "PUT", "PATCH", "DELETE"])
    async def api_ask_wrong_method(request: Request) -> JSONResponse:
        return JSONResponse(
            {"error": f"{request.method} is not allowed here: POST a JSON body to /api/ask"},
            status_code=405,
            headers={"Allow": "POST"},
        )

    return router


def _error(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=400)
