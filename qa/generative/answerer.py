"""Generative answers: a chat model writes, `grounding` checks, citations point at spans.

The model call runs in a worker thread that feeds a queue, so the caller can stop
waiting at the deadline even while the model is stuck inside one token (a remote
server that hangs, llama.cpp evaluating a long prompt). A late worker is told to
stop and closes its stream at the next token.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from index.lexical import lexical_terms
from index.records import Span
from qa.generative.grounding import GroundingReport, check_answer, declines
from qa.generative.models import LLMError
from qa.generative.prompting import Message, answer_messages, condense_messages, read_condensed
from qa.records import Answer, Citation, Passage, TextDelta, Turn
from qa.settings import SettingsError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)

_MAX_MISSING_SHOWN = 5  # words listed in an "unsupported" notice
_MAX_ERROR_CHARS = 200  # of a model error, quoted in the fallback notice
_MARKER = re.compile(r"\[\d+\]")
_END = object()  # the worker's last item: the stream finished


class _Failed:
    """The worker's last item when the model call raised."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


class GenerativeAnswerer:
    """Answers from passages through a LangChain chat model, checked and cited.

    Safe to share between threads when the chat model is (the local model made by
    `qa.generative.models.make_chat_model` runs one generation at a time).
    """

    def __init__(
        self, chat_model: BaseChatModel, *, timeout_s: float, max_passages: int = 5
    ) -> None:
        """
        Args:
            chat_model: any LangChain chat model; see `qa.generative.models.make_chat_model`.
            timeout_s: the most seconds one model call may take, streaming included.
            max_passages: how many of the passages (best first) the model sees.
        """
        if timeout_s <= 0:
            raise SettingsError(f"llm_timeout_s must be positive, got {timeout_s}")
        if max_passages < 1:
            raise SettingsError(f"max_passages must be at least 1, got {max_passages}")
        self.chat_model = chat_model
        self.timeout_s = timeout_s
        self.max_passages = max_passages

    def condense(self, question: str, history: Sequence[Turn]) -> str:
        """`question` rewritten to stand alone given `history`; as asked when there is
        no history or the model fails."""
        if not history:
            return question
        try:
            reply = "".join(self._tokens(condense_messages(question, history), stop=["\n"]))
        except LLMError as exc:
            log.warning("follow-up not condensed, retrieving with it as asked: %s", exc)
            return question
        return read_condensed(reply, question)

    def stream(
        self,
        question: str,
        passages: Sequence[Passage],
        history: Sequence[Turn],
        fallback: Callable[[], Answer],
    ) -> Iterator[TextDelta | Answer]:
        """Yield the model's text as `TextDelta`s, then the checked `Answer`.

        Args:
            question: the standalone question (see `condense`).
            passages: retrieved passages, best first; the first `max_passages` are used.
            history: earlier turns; their questions help the model read a follow-up.
            fallback: makes the extractive answer, used when the model fails, times
                out, or cites nothing.
        """
        shown = list(passages[: self.max_passages])
        if not shown:
            yield _with_notice(
                fallback(), "No passage matched, so the language model was not asked."
            )
            return
        started = time.perf_counter()
        first_token_ms: float | None = None
        parts: list[str] = []
        tokens = self._tokens(answer_messages(question, shown, history))
        try:
            for text in tokens:
                if first_token_ms is None:
                    first_token_ms = (time.perf_counter() - started) * 1000
                parts.append(text)
                yield TextDelta(text)
            if not "".join(parts).strip():
                raise LLMError("the language model returned an empty answer")
        except LLMError as exc:
            reason = str(exc)
            notice = f"{reason[:1].upper()}{reason[1:]}; this is the extractive answer instead."
            yield _with_notice(fallback(), notice)
            return
        finally:
            tokens.close()  # a consumer that stops reading stops the model too
        generated = time.perf_counter()
        answer = ground_answer(question, "".join(parts), shown, fallback)
        timings = {
            "first_token": first_token_ms or 0.0,
            "generate": (generated - started) * 1000,
            "check": (time.perf_counter() - generated) * 1000,
        }
        yield replace(answer, timings_ms={**answer.timings_ms, **timings})

    def _tokens(
        self, messages: list[Message], stop: list[str] | None = None
    ) -> Generator[str, None, None]:
        """The model's text pieces, raising `LLMError` on failure or at the deadline."""
        deadline = time.monotonic() + self.timeout_s
        pieces: queue.Queue[object] = queue.Queue()
        cancel = threading.Event()
        # a new thread each time, never a pool's: llama.cpp configures the CPU's AMX
        # tiles once per thread, and torch's bfloat16 kernels (an ingest in the same
        # process) release them on the threads they run on, after which llama.cpp on
        # such a thread dies with SIGILL (benchmarks/llm_answerability_judge.py)
        worker = threading.Thread(
            target=self._generate, args=(messages, stop, pieces, cancel), daemon=True
        )
        worker.start()
        try:
            while True:
                # checked before reading, too: a model that keeps producing would
                # otherwise never meet a deadline that only an empty queue enforces
                remaining = deadline - time.monotonic()
                try:
                    if remaining <= 0:
                        raise queue.Empty
                    item = pieces.get(timeout=remaining)
                except queue.Empty:
                    raise LLMError(
                        f"the language model did not finish within {self.timeout_s:g} s "
                        "(NEWSDESK_LLM_TIMEOUT_S)"
                    ) from None
                if item is _END:
                    return
                if isinstance(item, _Failed):
                    error = item.error
                    detail = " ".join(str(error).split())
                    if len(detail) > _MAX_ERROR_CHARS:  # a server may send a whole web page
                        detail = detail[:_MAX_ERROR_CHARS] + " …"
                    raise LLMError(
                        f"the language model failed ({type(error).__name__}: {detail})"
                    ) from error
                yield str(item)
        finally:
            # also reached when the consumer stops reading: the worker must not run on
            cancel.set()

    def _generate(
        self,
        messages: list[Message],
        stop: list[str] | None,
        pieces: queue.Queue[object],
        cancel: threading.Event,
    ) -> None:
        try:
            stream = self.chat_model.stream(messages, stop=stop)
            try:
                for chunk in stream:
                    if cancel.is_set():
                        return
                    if text := str(chunk.text):
                        pieces.put(text)
            finally:
                if isinstance(stream, Generator):  # stops llama.cpp's token loop now
                    stream.close()
        # the edge to a model backend: whatever it raises (connection refused,
        # context overflow, a bad reply) becomes a fallback with a notice
        except Exception as exc:
            pieces.put(_Failed(exc))
            return
        pieces.put(_END)


def ground_answer(
    question: str, raw: str, passages: Sequence[Passage], fallback: Callable[[], Answer]
) -> Answer:
    """Check the model's `raw` answer against `passages` ([1] is passages[0]) and cite spans.

    Markers are renumbered in order of first use, one per cited sentence span, so
    `[n]` in the returned text resolves to `citations[n - 1]`.
    """
    report = check_answer(raw, [_evidence(p) for p in passages])
    notices = []
    if report.dropped:
        listed = ", ".join(f"[{n}]" for n in report.dropped)
        notices.append(
            f"Removed citation {listed}: the model cited passages it was not given "
            f"(it had {len(passages)})."
        )
    if not report.cited:
        evidence = fallback()
        attached = evidence.citations or evidence.related
        if declines(report.text):
            return Answer(
                question=question,
                text=report.text,
                citations=(),
                abstained=True,
                related=attached,
                standalone_question=question,
                notices=tuple(notices),
                mode="generative",
            )
        notices.append(
            "The model cited no passage, so its answer is unchecked; the closest "
            "evidence from the articles is attached instead."
        )
        return Answer(
            question=question,
            text=report.text,
            citations=(),
            abstained=False,
            related=attached,
            standalone_question=question,
            notices=tuple(notices),
            mode="generative",
            unsupported=tuple(range(len(report.sentences))),
        )
    text, citations = _cite(report, passages)
    for i in report.unsupported:
        missing = report.sentences[i].missing
        why = "it cites no passage"
        if report.sentences[i].markers:
            shown = ", ".join(f"“{w}”" for w in missing[:_MAX_MISSING_SHOWN])
            more = " …" if len(missing) > _MAX_MISSING_SHOWN else ""
            why = f"the passages it cites do not contain {shown}{more}"
        notices.append(f"Sentence {i + 1} is not supported: {why}.")
    return Answer(
        question=question,
        text=text,
        citations=citations,
        abstained=False,
        standalone_question=question,
        notices=tuple(notices),
        mode="generative",
        unsupported=report.unsupported,
    )


def best_sentence(claim: str, passage: Passage) -> tuple[Span, float]:
    """The sentence of `passage` that best matches `claim` (article offsets), and the
    share of the claim's content words it holds.

    Most shared words wins; a tie goes to the shorter sentence, then the earlier.

    >>> text = "Talks stalled. Blinken will visit Beijing next week."
    >>> from index import ArticleRef
    >>> p = Passage("c", ArticleRef("a"), 100, 152, text, ((100, 114), (115, 152)), 1.0)
    >>> best_sentence("Blinken goes to Beijing [1].", p)
    ((115, 152), 0.67)
    """
    wanted = set(lexical_terms(_MARKER.sub(" ", claim)))
    best: tuple[int, int, int] | None = None  # (-shared, length, index)
    spans = passage.sentences or ((passage.start, passage.end),)
    for index, (start, end) in enumerate(spans):
        terms = set(lexical_terms(passage.text[start - passage.start : end - passage.start]))
        key = (-len(wanted & terms), len(terms), index)
        best = key if best is None or key < best else best
    assert best is not None  # spans is never empty
    shared = -best[0]
    return spans[best[2]], round(shared / len(wanted), 2) if wanted else 0.0


def _cite(report: GroundingReport, passages: Sequence[Passage]) -> tuple[str, tuple[Citation, ...]]:
    """The answer text with markers renumbered to citations of exact sentence spans."""
    citations: list[Citation] = []
    numbers: dict[tuple[str, Span], int] = {}
    pieces: list[str] = []
    previous_end = 0
    for check in report.sentences:
        sentence = report.text[check.start : check.end]
        renumber: dict[int, int] = {}
        for n in check.markers:
            passage = passages[n - 1]
            span, score = best_sentence(sentence, passage)
            key = (passage.article_id, span)
            if key not in numbers:
                numbers[key] = len(citations) + 1
                citations.append(passage.cite(numbers[key], span, score))
            renumber[n] = numbers[key]
        pieces += [report.text[previous_end : check.start], _renumber(sentence, renumber)]
        previous_end = check.end
    pieces.append(report.text[previous_end:])
    return "".join(pieces), tuple(citations)


def _renumber(sentence: str, numbers: dict[int, int]) -> str:
    """`sentence` with each `[n]` replaced by `[numbers[n]]`, repeats merged.

    >>> _renumber("Talks [2][3] stalled [1].", {1: 4, 2: 1, 3: 1})
    'Talks [1] stalled [4].'
    """
    sentence = re.sub(r"\[(\d+)\]", lambda m: f"[{numbers[int(m.group(1))]}]", sentence)
    return re.sub(r"(\[\d+\])\1+", r"\1", sentence)  # two passages, one span


def _evidence(passage: Passage) -> str:
    """What a sentence citing `passage` may draw on: what the model was shown of it."""
    return f"{passage.title}\n{passage.date or ''}\n{passage.text}"


def _with_notice(answer: Answer, notice: str) -> Answer:
    return replace(answer, notices=(*answer.notices, notice))
