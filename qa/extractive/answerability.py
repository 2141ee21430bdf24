"""Answerability: whether the best evidence answers the question, or only mentions its topic.

One score fitted on data instead of hand weights: a logistic regression over signals of
the scored evidence (`signals`), fitted by `benchmarks/fit_answerability.py` on questions
kept apart from the CI gate and stored beside this module in `answerability.json`. An
answer is given when the probability reaches the stored threshold.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from index import lexical_terms
from qa.extractive.evidence import Evidence, answer_type_present
from qa.questions.names import question_names
from qa.speech.question import SaidQuestion

# the signals, in the model's order; each is in [0, 1] or near it
SIGNALS: tuple[str, ...] = (
    "score",  # the best sentence's evidence score
    "dense",  # its similarity to the question
    "lexical",  # its share of the question's idf-weighted terms (or of X's topic)
    "gap",  # how far it stands above the next best sentence
    "key_terms",  # share of the question's words beyond names found in the answer
    "answer_type",  # 1 when it holds what is asked for: a date, number, person or place
    "said",  # 1 for "what did X say" questions
    "retrieval",  # the fused retrieval score of its passage, times 30
    "agreement",  # other articles with a sentence nearly as good, at most 3, over 3
)
_WH = frozenset(lexical_terms("what who whom whose which why how when where"))


def signals(
    question: str, evidence: Sequence[Evidence], said: SaidQuestion | None
) -> dict[str, float]:
    """The answerability signals of scored evidence, best first (empty: all zero).

    >>> signals("Why?", [], None)["score"]
    0.0
    """
    out = dict.fromkeys(SIGNALS, 0.0)
    out["said"] = float(said is not None)
    if not evidence:
        return out
    best = evidence[0]
    out["score"] = best.score
    out["dense"] = best.dense
    out["lexical"] = best.lexical
    out["gap"] = best.score - evidence[1].score if len(evidence) > 1 else best.score
    out["key_terms"] = key_term_coverage(question, [e.text for e in evidence[:3]], said)
    out["answer_type"] = float(answer_type_present(question, best.text))
    rank = best.passage.score  # fused retrieval score of the passage
    out["retrieval"] = min(1.0, rank * 30.0)
    near = {e.article_id for e in evidence if e.score >= best.score - 0.05}
    out["agreement"] = (min(len(near), 4) - 1) / 3.0
    return out


def key_term_coverage(question: str, sentences: Sequence[str], said: SaidQuestion | None) -> float:
    """Share of the question's words, names and question words left out, that the
    answer's sentences hold: "What did Blinken eat at the state dinner?" answered
    with a sentence about Blinken's trip covers none of "eat", "state", "dinner".

    >>> key_term_coverage("What did Blinken eat at the dinner?", ["Blinken flew home."], None)
    0.0
    >>> key_term_coverage("What did Blinken eat at the dinner?", ["He ate fish at dinner."], None)
    0.5
    """
    names = {t for n in question_names(question) for t in lexical_terms(n)}
    if said is not None:
        names |= set(lexical_terms(said.speaker))
    terms = [t for t in dict.fromkeys(lexical_terms(question)) if t not in names | _WH]
    if not terms:
        return 1.0
    held = {t for s in sentences for t in lexical_terms(s)}
    return sum(t in held for t in terms) / len(terms)


@dataclass(frozen=True)
class AnswerabilityModel:
    """A logistic regression over `SIGNALS`, and the probability an answer needs."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    means: tuple[float, ...]  # signals are standardised before weighting
    scales: tuple[float, ...]

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.bias
        for name, w, m, s in zip(SIGNALS, self.weights, self.means, self.scales, strict=True):
            z += w * (values.get(name, 0.0) - m) / s
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict[str, object]:
        return {
            "signals": list(SIGNALS),
            "weights": list(self.weights),
            "bias": self.bias,
            "threshold": self.threshold,
            "means": list(self.means),
            "scales": list(self.scales),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> AnswerabilityModel:
        if list(data["signals"]) != list(SIGNALS):  # type: ignore[call-overload]
            raise ValueError("the stored answerability model was fitted on other signals")
        return cls(
            weights=tuple(float(w) for w in data["weights"]),  # type: ignore[attr-defined]
            bias=float(data["bias"]),  # type: ignore[arg-type]
            threshold=float(data["threshold"]),  # type: ignore[arg-type]
            means=tuple(float(m) for m in data["means"]),  # type: ignore[attr-defined]
            scales=tuple(float(s) for s in data["scales"]),  # type: ignore[attr-defined]
        )


@cache
def bundled_model() -> AnswerabilityModel:
    """The model shipped in `qa/extractive/answerability.json`."""
    stored = resources.files("qa.extractive").joinpath("answerability.json")
    text = stored.read_text(encoding="utf-8")
    return AnswerabilityModel.from_dict(json.loads(text))


def fit_logistic(
    x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, iterations: int = 50
) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """(weights, bias, means, scales) of an L2-regularised logistic regression on
    standardised columns, by Newton's method: deterministic, so a refit reproduces it.

    >>> w, b, _, _ = fit_logistic(np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 0, 1, 1]))
    >>> bool(w[0] > 0)
    True
    """
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    z = (x - means) / scales
    design = np.hstack([z, np.ones((len(z), 1))])
    theta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-design @ theta))
        gradient = design.T @ (p - y) + penalty * theta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if float(np.abs(step).max()) < 1e-10:
            break
    return theta[:-1], float(theta[-1]), means, scales
