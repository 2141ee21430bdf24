"""A desk whose language model cannot be reached, for tests that the model is not asked."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from qa import NewsDesk


@contextmanager
def unreachable_model(desk: NewsDesk) -> Iterator[NewsDesk]:
    """`desk`'s index opened in generative mode with a model server on a closed
    127.0.0.1 port: were the model asked, the answer's notice would say it failed."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = desk.settings.with_(
        mode="generative",
        llm="openai:none",
        openai_base_url=f"http://127.0.0.1:{port}/v1",
        openai_api_key="unused",
    )
    generative = NewsDesk.open(settings)
    try:
        yield generative
    finally:
        generative.close()
