"""Answerability: whether the best evidence answers the question, or only mentions its topic.

One score fitted on data instead of hand weights: a logistic regression over signals of
the scored evidence (`signals`), fitted by `benchmarks/fit_answerability.py` on questions
kept apart from the CI gate and stored beside this module in `answerability.json`. An
answer is given when the probability reaches the stored threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from functools import cache

from index import lexical_terms
from qa.extractive.answer_types import answer_type_present
from qa.extractive.evidence import Evidence
from qa.extractive.logistic import LogisticModel
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
    out["key_terms"] = key_term_coverage(question, [e.terms for e in evidence[:3]], said)
    out["answer_type"] = float(answer_type_present(question, best.text))
    rank = best.passage.score  # fused retrieval score of the passage
    out["retrieval"] = min(1.0, rank * 30.0)
    near = {e.article_id for e in evidence if e.score >= best.score - 0.05}
    out["agreement"] = (min(len(near), 4) - 1) / 3.0
    return out


def key_term_coverage(
    question: str, sentence_terms: Sequence[AbstractSet[str]], said: SaidQuestion | None
) -> float:
    """Share of the question's words, names and question words left out, that the
    answer's sentences hold, given as their `lexical_terms`: "What did Blinken eat at
    the state dinner?" answered with a sentence about Blinken's trip covers none of
    "eat", "state", "dinner".

    >>> key_term_coverage("What did Blinken eat at the dinner?", [{"blinken", "fli", "home"}], None)
    0.0
    >>> key_term_coverage("What did Blinken eat at the state dinner?", [{"eat", "home"}], None)
    0.3333333333333333
    """
    names = {t for n in question_names(question) for t in lexical_terms(n)}
    if said is not None:
        names |= set(lexical_terms(said.speaker))
    terms = [t for t in dict.fromkeys(lexical_terms(question)) if t not in names | _WH]
    if not terms:
        return 1.0
    held = set().union(*sentence_terms)
    return sum(t in held for t in terms) / len(terms)


@cache
def bundled_model() -> LogisticModel:
    """The model shipped in `qa/extractive/answerability.json`."""
    return LogisticModel.bundled("answerability.json", SIGNALS)
