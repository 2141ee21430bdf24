"""The extractive answer: score the retrieved sentences, decide whether they answer, quote them."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence

import numpy as np

from index import Article
from qa.extractive.answerability import bundled_model, signals
from qa.extractive.compose import compose
from qa.extractive.evidence import Evidence, EvidenceScorer
from qa.questions.followup import Resolved
from qa.questions.names import unmatched_names
from qa.records import Answer, Passage, Turn
from qa.settings import Settings
from qa.speech.question import parse_said_question

_NAMED_SPEAKER = re.compile(r" \[[^\]\d][^\]]*\]")
# the hand-weighted score's abstention threshold: the best balanced accuracy on
# seeds/calibration.jsonl (benchmarks/calibrate_abstention.py)
HAND_THRESHOLD = 0.44


class ExtractiveAnswerer:
    """Answers by quoting up to a few retrieved sentences verbatim, each cited, or abstains."""

    def __init__(self, scorer: EvidenceScorer, settings: Settings) -> None:
        self.scorer = scorer
        self._settings = settings

    @property
    def threshold(self) -> float:
        """The evidence score under which an answer abstains: the setting, else the
        sentence ranker's fitted threshold, else the hand score's calibrated one."""
        if self._settings.abstain_threshold is not None:
            return self._settings.abstain_threshold
        if self.scorer.ranker is not None:
            return self.scorer.ranker.threshold
        return HAND_THRESHOLD

    def answer(
        self,
        question: str,
        resolved: Resolved,
        turns: Sequence[Turn],
        passages: Sequence[Passage],
        vector: np.ndarray,
        articles: Mapping[str, Article],
        notices: tuple[str, ...],
    ) -> Answer:
        """The answer to `resolved.question` from `passages` (whose `articles` are given),
        `vector` being the question's embedding; `question` is what the user asked."""
        tick = time.perf_counter()
        said = parse_said_question(resolved.question)
        exclude: frozenset[tuple[str, int]] = frozenset()
        if resolved.wants_more and turns:
            exclude = _already_said(turns[-1].answer, passages)
        # a name no retrieved article mentions is what is asked about: however near the
        # best sentence would score, it does not answer (the answer abstains, with related)
        evidence: list[Evidence] = []
        if missing := missing_names(resolved.question, articles):
            names = ", ".join(f"“{name}”" for name in missing)
            notices += (f"No retrieved article mentions {names}.",)
        else:
            evidence = self.scorer.score(
                resolved.question, vector, passages, articles, said=said, exclude=exclude
            )
        values = signals(resolved.question, evidence, said)
        confidence = bundled_model().probability(values) if evidence else None
        answerable = {
            "learned": confidence is not None and confidence >= bundled_model().threshold,
            "score": None,
            "off": True,
        }[self._settings.answerability]
        composition = compose(
            evidence,
            passages,
            threshold=self.threshold,
            max_sentences=self._settings.max_answer_sentences,
            answerable=answerable,
        )
        return Answer(
            question=question,
            text=composition.text,
            citations=composition.citations,
            abstained=composition.abstained,
            related=composition.related,
            standalone_question=resolved.question,
            notices=notices,
            mode="extractive",
            timings_ms={"evidence_ms": elapsed_ms(tick)},
            confidence=None if confidence is None else round(confidence, 4),
            signals={k: round(v, 4) for k, v in values.items()},
        )


def missing_names(question: str, articles: Mapping[str, Article]) -> list[str]:
    """Names in the question that none of these articles (title or text) mentions."""
    if not articles:
        return []
    return unmatched_names(question, (f"{a.title}\n{a.text}" for a in articles.values()))


def _already_said(previous_answer: str, passages: Sequence[Passage]) -> frozenset[tuple[str, int]]:
    """Sentences of `passages` that the previous answer quoted, speaker names that
    the answer added ("he [Kurt Campbell] said") taken back out first."""
    previous_answer = _NAMED_SPEAKER.sub("", previous_answer)
    out = set()
    for p in passages:
        for start, end in p.sentences:
            if p.text[start - p.start : end - p.start] in previous_answer:
                out.add((p.article_id, start))
    return frozenset(out)


def elapsed_ms(since: float) -> float:
    """Milliseconds since `since`, a `time.perf_counter()` reading."""
    return (time.perf_counter() - since) * 1000.0
