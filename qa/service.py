"""`NewsDesk`: the service object the UI, CLI and evaluation use. It owns the models."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from index.records import Article, ArticleSummary, IngestReport
from qa.records import Answer, TextDelta, Turn
from qa.settings import Settings

History = Sequence[Turn | tuple[str, str]]
Progress = Callable[[int, int, int], None]  # (articles done, articles total, chunks done)


class NewsDesk:
    """Question answering over an index of news articles.

    Open it with `NewsDesk.open(Settings.from_env(index_dir=...))`. It is safe to
    share between threads: questions run concurrently, ingests one at a time.
    """

    @classmethod
    def open(cls, settings: Settings | None = None, *, create: bool = False) -> NewsDesk:
        """Open the index in `settings.index_dir` (create it if `create`)."""
        raise NotImplementedError

    def ask(
        self,
        question: str,
        history: History = (),
        as_of: date | str | None = None,
        *,
        sources: Sequence[str] = (),
        article_ids: Sequence[str] = (),
        mode: str | None = None,
    ) -> Answer:
        """Answer `question` from the indexed articles, citing every sentence.

        Args:
            question: the user's question (English, at most 1,000 characters).
            history: earlier turns, oldest first, used to resolve follow-ups.
            as_of: ignore articles published after this date; prefer those near it.
            sources: only use articles from these sources.
            article_ids: only use these articles.
            mode: "extractive" or "generative"; defaults to the settings.
        """
        raise NotImplementedError

    def ask_stream(
        self,
        question: str,
        history: History = (),
        as_of: date | str | None = None,
        *,
        sources: Sequence[str] = (),
        article_ids: Sequence[str] = (),
        mode: str | None = None,
    ) -> Iterator[TextDelta | Answer]:
        """Like `ask`, yielding `TextDelta`s as the answer is produced, then the `Answer`."""
        raise NotImplementedError

    def ingest(self, paths: Iterable[str | Path], progress: Progress | None = None) -> IngestReport:
        """Read and index articles; unchanged ones are skipped, changed ones replaced."""
        raise NotImplementedError

    def articles(self) -> list[ArticleSummary]:
        """Every indexed article, oldest first."""
        raise NotImplementedError

    def article(self, article_id: str) -> Article:
        """One indexed article with its full text."""
        raise NotImplementedError

    def delete(self, article_ids: Iterable[str]) -> list[str]:
        """Remove articles; returns the ids that were there."""
        raise NotImplementedError

    def sources(self) -> list[str]:
        """The distinct sources of the indexed articles."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the index handles."""
