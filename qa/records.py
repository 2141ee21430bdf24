"""The records the QA layer speaks in; the UI, CLI and evaluation see only these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from index.records import ArticleRef, Span
from index.store import Filters


class _OfArticle:
    """Read-only shortcuts to the fields of the record's `article`."""

    article: ArticleRef

    @property
    def article_id(self) -> str:
        return self.article.id

    @property
    def title(self) -> str:
        return self.article.title

    @property
    def date(self) -> str | None:
        return self.article.date

    @property
    def source(self) -> str:
        return self.article.source

    @property
    def url(self) -> str:
        return self.article.url


@dataclass(frozen=True)
class Passage(_OfArticle):
    """A retrieved chunk with its scores; `text` is `article.text[start:end]`."""

    chunk_id: str
    article: ArticleRef
    start: int
    end: int
    text: str
    sentences: tuple[Span, ...]
    score: float  # fused score, higher is better
    dense_rank: int | None = None  # 1-based rank in the dense list, None if absent
    lexical_rank: int | None = None  # 1-based rank in the BM25 list, None if absent

    def cite(self, marker: int, span: Span, score: float, speaker: str | None = None) -> Citation:
        """A citation of the sentence at `span` (article offsets inside this passage)."""
        start, end = span
        return Citation(
            marker=marker,
            article=self.article,
            quote=self.text[start - self.start : end - self.start],
            start=start,
            end=end,
            score=round(score, 4),
            speaker=speaker,
        )


@dataclass(frozen=True)
class CopyRef:
    """Where else a cited sentence appears: `text[start:end]` of another article of the
    cited one's near-duplicate group holds the same sentence (whitespace and quote
    style aside, see qa/copies.py)."""

    article_id: str
    title: str
    source: str
    url: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Citation(_OfArticle):
    """One cited span: `article.text[start:end] == quote`."""

    marker: int  # the n of "[n]" in the answer text
    article: ArticleRef
    quote: str
    start: int
    end: int
    score: float
    speaker: str | None = None  # who said it, when the quote is attributed
    also_in: tuple[CopyRef, ...] = ()  # the same sentence in the article's copies

    def to_dict(self) -> dict[str, Any]:
        """The citation's JSON shape: the article's fields flattened beside the span."""
        a = self.article
        return {
            "marker": self.marker,
            "article_id": a.id,
            "title": a.title,
            "url": a.url,
            "date": a.date,
            "source": a.source,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "score": self.score,
            "speaker": self.speaker,
            "also_in": [c.to_dict() for c in self.also_in],
        }


@dataclass(frozen=True)
class Answer:
    """An answer whose sentences carry `[n]` markers resolving to `citations`."""

    question: str
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    related: tuple[Citation, ...] = ()  # closest passages, shown when abstaining
    standalone_question: str = ""  # the question after follow-up resolution
    notices: tuple[str, ...] = ()  # things the user should know (fallbacks, cleaned input)
    mode: str = "extractive"
    unsupported: tuple[int, ...] = ()  # 0-based indexes of answer sentences not backed
    # the answerability model's probability that the evidence answers the question
    # (None where no evidence was scored); `signals` are what it was computed from
    confidence: float | None = None
    signals: Mapping[str, float] = field(default_factory=dict)
    timings_ms: Mapping[str, float] = field(default_factory=dict)

    def cited_sentences(self) -> list[tuple[str, Citation]]:
        """The text cut after each citation's `[n]`: every piece with the citation that
        ends it, the space before it kept, so the pieces join back into the text (up to
        its last marker)."""
        out = []
        rest = self.text
        for c in self.citations:
            head, marker, rest = rest.partition(f"[{c.marker}]")
            out.append((head + marker, c))
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `newsdesk ask --json`, `POST /api/ask` and the evaluation:
        `question`, `answer` (the text), `abstained`, `citations`, ..., `timings_ms`."""
        data = asdict(self)
        data = {"question": data.pop("question"), "answer": data.pop("text"), **data}
        data["citations"] = [c.to_dict() for c in self.citations]
        data["related"] = [c.to_dict() for c in self.related]
        data["timings_ms"] = {k: round(v, 2) for k, v in self.timings_ms.items()}
        return data


@dataclass(frozen=True)
class AskRequest:
    """A question as the service works on it: cleaned, with what limits its answer."""

    question: str  # cleaned, as `qa.questions.cleaning.clean_question` left it
    turns: tuple[Turn, ...] = ()  # earlier exchanges, oldest first
    as_of: date | None = None  # no article published after this day
    filters: Filters = Filters()
    notices: tuple[str, ...] = ()  # what cleaning the question told the user
    started: float = 0.0  # time.perf_counter() when it was asked, for timings_ms


@dataclass(frozen=True)
class TextDelta:
    """A piece of answer text, yielded while an answer streams."""

    text: str


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of a conversation."""

    question: str
    answer: str
