"""A real desk over a few literal articles, for tests that need one answer from them."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import qa.service
from qa import Answer, NewsDesk, Passage, Settings


@contextmanager
def desk_over(tmp_path: Path, *articles: Mapping[str, Any]) -> Iterator[NewsDesk]:
    """A desk with a new index under `tmp_path` holding `articles` (objects of the
    .jsonl reader: `id`, `title`, `date`, `text`, ...), closed on leaving."""
    source = tmp_path / "articles.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    desk = NewsDesk.open(Settings.from_env(index_dir=tmp_path / "index"), create=True)
    try:
        desk.ingest([source])
        yield desk
    finally:
        desk.close()


def filler_stories(*titles: str) -> list[dict[str, str]]:
    """Short stories on nothing a test asks about, one a title: with them in the index
    the cap on passages per story binds, as it does over a real corpus."""
    return [
        {
            "id": f"filler-{n}",
            "title": title,
            "date": "2022-10-01",
            "text": f"{title}. The announcement came on Monday, officials said, and "
            "more details are expected next week.",
        }
        for n, title in enumerate(titles)
    ]


def read_and_unread(
    desk: NewsDesk, question: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Passage], Answer, Answer]:
    """What `question` retrieves, its answer, and its answer with no story read past the
    passages retrieved (`WHOLE_STORIES` 0): how a test shows that reading further is
    what found it."""
    passages = desk.retrieve(question)
    answer = desk.ask(question)
    monkeypatch.setattr(qa.service, "WHOLE_STORIES", 0)
    return passages, answer, desk.ask(question)
