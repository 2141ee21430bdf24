"""Which sentence answers: a fitted sentence ranker over every retrieved sentence.

The hand-weighted evidence score (dense + lexical + rank prior) prefers the sentence
that *mentions* the question's topic; the sentence that *answers* it often shares fewer
of its words, names something the question does not, or sits next to the one that
mentions it. `SENTENCE_FEATURES` describe each candidate sentence in those terms, and a
logistic regression over them, fitted by `benchmarks/fit_sentence_ranker.py` on
sentences labelled by whether they hold a gold answer (cross-validated by question),
gives the probability that a sentence answers. It is stored in `sentence_ranker.json`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Set as AbstractSet
from functools import cache, lru_cache

from qa.extractive.logistic import LogisticModel

# in the model's order
SENTENCE_FEATURES: tuple[str, ...] = (
    "hand",  # the hand-weighted evidence score
    "dense",  # similarity of the sentence to the question
    "dense_gap",  # how far its similarity stands below the best candidate's
    "lexical",  # share of the question's idf-weighted terms it holds (or of X's topic)
    "lexical_gap",  # how far that share stands below the best candidate's
    # retrieval says which article answers, not which of its sentences: both are the
    # article's (its best passage), so sentences of one article compete on their own
    "article_prior",  # 1 / (1 + rank of its article among the retrieved articles)
    "article_retrieval",  # its article's best fused retrieval score over the best overall
    "type_miss",  # 1 when the question asks for a date, number, person or place it lacks
    "new_names",  # names it holds that the question does not, at most 3, over 3
    "context_dense",  # the best similarity of the sentences just before and after it
    "context_lexical",  # the best lexical share of the sentences just before and after it
    "lead",  # 1 for the first sentence of its article
    "position",  # where it starts in its article, 0 (top) to 1
    "length",  # log of its words
    "quote",  # 1 when it holds a quotation
)


def new_names(question: str, names: AbstractSet[str]) -> float:
    """Share, up to 3, of a sentence's names and figures (`sentence_names`) that
    `question` lacks: an answer to "which team ..." names something the question does not.

    >>> new_names("Which team won the Stanley Cup?", {"colorado", "avalanche", "cup"})
    0.6666666666666666
    >>> new_names("Which team won the Stanley Cup?", {"stanley", "cup"})
    0.0
    """
    return min(len(names - _asked_words(question)), 3) / 3.0


@lru_cache(maxsize=256)
def _asked_words(question: str) -> frozenset[str]:
    """The question's words, lower-cased, as `new_names` compares them: once a question,
    not once for each of its hundred candidate sentences."""
    return frozenset(w.lower() for w in re.findall(r"[\w’'.-]+", question))


def length_feature(sentence: str) -> float:
    """log(1 + words), so a one-line headline and a 60-word sentence differ by about 2.

    >>> round(length_feature("Three short words"), 3)
    1.386
    """
    return math.log1p(len(sentence.split()))


def has_quote(sentence: str) -> float:
    """1.0 when `sentence` holds a quotation mark.

    >>> has_quote("“We are ready,” he said."), has_quote("He is ready.")
    (1.0, 0.0)
    """
    return 1.0 if "“" in sentence or "”" in sentence or '"' in sentence else 0.0


@cache
def bundled_ranker() -> LogisticModel:
    """The ranker shipped in `qa/extractive/sentence_ranker.json`."""
    return LogisticModel.bundled("sentence_ranker.json", SENTENCE_FEATURES)
