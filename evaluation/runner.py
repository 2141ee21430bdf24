"""Run a question set through the public `qa` API and score every answer."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from evaluation.metrics import (
    abstention_precision_recall,
    answer_sentences,
    contains_answer,
    covered_quotes,
    hit_at_k,
    is_exact_quote,
    mean,
    percentile,
    reciprocal_rank,
    supported_sentences,
)
from evaluation.questions import EvalQuestion
from qa import Answer, NewsDesk, NewsdeskError, Turn

HIT_KS: tuple[int, ...] = (1, 5)
RETRIEVE_K = 10  # passages fetched for hit@k and MRR; MRR is MRR@10
# metrics where a smaller value is better; a gate holds them under a ceiling
LOWER_IS_BETTER = frozenset(("latency_p50_ms", "latency_p95_ms", "latency_mean_ms"))


@dataclass(frozen=True)
class QuestionResult:
    """What came back for one question, and how it scored."""

    question: EvalQuestion
    answer: Answer | None  # None when the service refused the question (see `error`)
    latency_ms: float  # wall time of `NewsDesk.ask`
    retrieved_article_ids: tuple[str, ...] = ()  # article of each retrieved passage, best first
    inexact: tuple[str, ...] = ()  # "[n]" or "related n" for each quote off its offsets
    quotes_checked: int = 0  # citations and related passages whose offsets were checked
    supported: int = 0  # answer sentences with a marker that resolves to a citation
    sentences: int = 0  # answer sentences, 0 for an abstention
    quote_coverage: tuple[bool, ...] = ()  # per expected quote: cited or not
    contained: bool | None = None  # an expected answer is in the answer; None: not scored
    # an expected answer is in the answer's first sentence, the one a reader reads first
    first_contained: bool | None = None
    # an expected answer is inside a cited quote: the reader opens the citation and sees
    # it (the answer's own words may hold it only in a speaker name the answer added)
    answer_cited: bool | None = None
    gold_cited: bool | None = None  # a citation is from a gold article; None: not scored
    failures: tuple[str, ...] = ()  # why the question failed, for the report
    error: str = ""

    @property
    def abstained(self) -> bool:
        """An abstention, or a question the service refused: either way, no answer."""
        return self.answer is None or self.answer.abstained

    @property
    def scores(self) -> dict[str, float | None]:
        """This question's metrics; None where a metric does not apply to it."""
        q = self.question
        retrieval = bool(q.gold_article_ids) and q.answerable is not False
        ids = self.retrieved_article_ids
        scores: dict[str, float | None] = {
            f"hit@{k}": float(hit_at_k(ids, q.gold_article_ids, k)) if retrieval else None
            for k in HIT_KS
        }
        scores["mrr"] = reciprocal_rank(ids, q.gold_article_ids) if retrieval else None
        scores["answer_containment"] = None if self.contained is None else float(self.contained)
        first = self.first_contained
        scores["answer_first_sentence"] = None if first is None else float(first)
        scores["answer_cited"] = None if self.answer_cited is None else float(self.answer_cited)
        scores["gold_cited"] = None if self.gold_cited is None else float(self.gold_cited)
        checked = self.quotes_checked
        scores["citation_exactness"] = (checked - len(self.inexact)) / checked if checked else None
        coverage = self.quote_coverage
        scores["expected_quote_coverage"] = sum(coverage) / len(coverage) if coverage else None
        scores["citation_support"] = self.supported / self.sentences if self.sentences else None
        scores["abstained"] = float(self.abstained)
        scores["latency_ms"] = self.latency_ms
        return scores


@dataclass(frozen=True)
class EvalRun:
    """A question set's results and overall metrics."""

    label: str
    results: tuple[QuestionResult, ...]
    metrics: Mapping[str, float | None]  # None: nothing to measure it on
    counts: Mapping[str, int]  # what each metric is computed over (questions, quotes, ...)
    settings: Mapping[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def failed(self) -> list[QuestionResult]:
        """The questions with at least one failure, in question order."""
        return [r for r in self.results if r.failures]


def evaluate(
    desk: NewsDesk,
    questions: Sequence[EvalQuestion],
    *,
    label: str = "",
    progress: Callable[[QuestionResult], None] | None = None,
) -> EvalRun:
    """Ask every question, check every citation against its article, and score.

    Args:
        desk: an open service; only its public API is used.
        questions: the question set, e.g. from `load_questions`.
        label: a name for this run in reports ("hybrid", "seed set").
        progress: called with each question's result as soon as it is scored.
    """
    started = time.perf_counter()
    texts: dict[str, str | None] = {}  # article id -> text, None when not in the index

    def article_text(article_id: str) -> str | None:
        if article_id not in texts:
            try:
                texts[article_id] = desk.article(article_id).text
            except NewsdeskError:
                texts[article_id] = None
        return texts[article_id]

    # latency is measured warm: the first question must not pay for loading the model
    desk.warm_up()
    results: list[QuestionResult] = []
    for question in questions:
        history = [Turn(q, a) for q, a in question.history]
        tick = time.perf_counter()
        try:
            answer: Answer | None = desk.ask(question.question, history, question.as_of)
            error = ""
        except NewsdeskError as refused:
            answer, error = None, str(refused)
        latency_ms = (time.perf_counter() - tick) * 1000
        retrieved: tuple[str, ...] = ()
        if question.gold_article_ids and question.answerable is not False:
            # a follow-up is retrieved as the service resolved it, not as typed
            query = (answer.standalone_question if answer else "") or question.question
            passages = desk.retrieve(query, k=RETRIEVE_K, as_of=question.as_of)
            retrieved = tuple(p.article_id for p in passages)
        cited = (answer.citations + answer.related) if answer else ()
        for c in cited:
            article_text(c.article_id)
        result = score_question(question, answer, retrieved, texts, latency_ms, error=error)
        results.append(result)
        if progress:
            progress(result)
    metrics, counts = overall_metrics(results)
    s = desk.settings
    settings = {
        "retrieval": s.retrieval,
        "top_k": s.top_k,
        "mode": s.mode,
        "abstain_threshold": desk.abstain_threshold,
        "sentence_ranker": s.sentence_ranker,
        "index_dir": str(s.index_dir),
    }
    return EvalRun(label, tuple(results), metrics, counts, settings, time.perf_counter() - started)


def score_question(
    question: EvalQuestion,
    answer: Answer | None,
    retrieved_article_ids: Sequence[str],
    article_texts: Mapping[str, str | None],
    latency_ms: float,
    *,
    error: str = "",
) -> QuestionResult:
    """Score one answer against its question; `article_texts` holds every cited article.

    An article missing from `article_texts` (or None there) makes its citations inexact.
    """
    failures: list[str] = []
    if error:
        failures.append(f"the service refused the question: {error}")
    inexact: list[str] = []
    cited = [(f"[{c.marker}]", c) for c in answer.citations] if answer else []
    cited += [(f"related {i}", c) for i, c in enumerate(answer.related, 1)] if answer else []
    for name, c in cited:
        text = article_texts.get(c.article_id)
        if text is None or not is_exact_quote(c.quote, text, c.start, c.end):
            inexact.append(name)
    if inexact:
        failures.append(f"quote differs from the article text at its offsets: {', '.join(inexact)}")
    abstained = answer is None or answer.abstained
    contained: bool | None = None
    first_contained: bool | None = None
    answer_cited: bool | None = None
    gold_cited: bool | None = None
    coverage: tuple[bool, ...] = ()
    if question.answerable is True:
        if abstained and answer is not None:
            failures.append("abstained on an answerable question")
        gold = set(question.gold_article_ids)
        citations = answer.citations if answer else ()
        if gold:
            gold_cited = any(c.article_id in gold for c in citations)
        if question.expected_answers:
            contained = answer is not None and contains_answer(
                answer.text, question.expected_answers
            )
            opening = answer_sentences(answer.text)[:1] if answer and not abstained else []
            first_contained = any(
                contains_answer(s.text, question.expected_answers) for s in opening
            )
            answer_cited = any(
                contains_answer(c.quote, question.expected_answers) for c in citations
            )
            if not contained and not abstained:
                failures.append("the answer contains none of the expected answers")
        cited_quotes = [c.quote for c in answer.citations] if answer else []
        coverage = tuple(covered_quotes(question.expected_quotes, cited_quotes))
        missing = [q for q, hit in zip(question.expected_quotes, coverage, strict=True) if not hit]
        if missing and not abstained:
            failures.append("expected quote(s) not cited: " + "; ".join(repr(q) for q in missing))
    elif question.answerable is False and not abstained:
        failures.append("answered a question the articles cannot answer")
    supported = sentences = 0
    if answer is not None and not answer.abstained:
        supported, sentences = supported_sentences(
            answer.text, [c.marker for c in answer.citations]
        )
        if supported < sentences:
            failures.append(f"{sentences - supported} of {sentences} answer sentences uncited")
    top = max(HIT_KS)
    if (
        question.gold_article_ids
        and question.answerable is not False
        and not hit_at_k(retrieved_article_ids, question.gold_article_ids, top)
    ):
        failures.append(f"no gold article in the top {top} passages")
    return QuestionResult(
        question=question,
        answer=answer,
        latency_ms=latency_ms,
        retrieved_article_ids=tuple(retrieved_article_ids),
        inexact=tuple(inexact),
        quotes_checked=len(cited),
        supported=supported,
        sentences=sentences,
        quote_coverage=coverage,
        contained=contained,
        first_contained=first_contained,
        answer_cited=answer_cited,
        gold_cited=gold_cited,
        failures=tuple(failures),
        error=error,
    )


def overall_metrics(
    results: Sequence[QuestionResult],
) -> tuple[dict[str, float | None], dict[str, int]]:
    """The run's metrics and what each is computed over.

    Retrieval and containment average over the questions they apply to; citation
    exactness, support and quote coverage pool their quotes, sentences and
    expected quotes over the whole run, so a long answer weighs more.
    """
    metrics: dict[str, float | None] = {}
    counts: dict[str, int] = {"questions": len(results)}
    per_question = [r.scores for r in results]
    averaged = (
        *(f"hit@{k}" for k in HIT_KS),
        "mrr",
        "answer_containment",
        "answer_first_sentence",
        "answer_cited",
    )
    for name in (*averaged, "gold_cited"):
        values = [s[name] for s in per_question if s[name] is not None]
        metrics[name] = mean([v for v in values if v is not None])
        counts[name] = len(values)
    checked = sum(r.quotes_checked for r in results)
    metrics["citation_exactness"] = (
        (checked - sum(len(r.inexact) for r in results)) / checked if checked else None
    )
    counts["citation_exactness"] = checked
    expected = [hit for r in results for hit in r.quote_coverage]
    metrics["expected_quote_coverage"] = sum(expected) / len(expected) if expected else None
    counts["expected_quote_coverage"] = len(expected)
    sentences = sum(r.sentences for r in results)
    metrics["citation_support"] = (
        sum(r.supported for r in results) / sentences if sentences else None
    )
    counts["citation_support"] = sentences
    known = [
        (r.question.answerable, r.abstained) for r in results if r.question.answerable is not None
    ]
    precision, recall = abstention_precision_recall(
        (bool(answerable), abstained) for answerable, abstained in known
    )
    metrics["abstention_precision"] = precision
    metrics["abstention_recall"] = recall
    counts["abstention_precision"] = sum(1 for _, abstained in known if abstained)
    counts["abstention_recall"] = sum(1 for answerable, _ in known if answerable is False)
    metrics["abstention_rate"] = mean([float(r.abstained) for r in results])
    counts["abstention_rate"] = len(results)
    latencies = [r.latency_ms for r in results]
    metrics["latency_p50_ms"] = percentile(latencies, 50)
    metrics["latency_p95_ms"] = percentile(latencies, 95)
    metrics["latency_mean_ms"] = mean(latencies)
    for name in ("latency_p50_ms", "latency_p95_ms", "latency_mean_ms"):
        counts[name] = len(latencies)
    return metrics, counts
