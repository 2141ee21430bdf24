"""An answer reads each candidate sentence's lexical terms and names where ingest stored
them."""

from __future__ import annotations

import numpy as np

from index import lexical_terms
from index.records import ArticleRef
from index.sentence_vectors import ALONE, SentenceVectors, sentence_terms
from qa.extractive.evidence import _Candidate, _candidates, _terms
from qa.records import Passage

TEXT = "Talks broke down. They met again in Oslo."
SPANS = [(0, 17), (18, 41)]


def _candidates_of_text() -> list[_Candidate]:
    passage = Passage("a:v:0", ArticleRef("a"), 0, len(TEXT), TEXT, tuple(SPANS), 1.0)
    return _candidates([passage], frozenset())


def test_stored_terms_are_read_not_made() -> None:
    stored = sentence_terms(TEXT, SPANS).replace("meet", "stored-meet")  # marked, to tell
    stored = stored.replace("\toslo", "\tstored-oslo")
    vectors = SentenceVectors.from_vectors("v", SPANS, np.eye(2, dtype=np.float32), ALONE, stored)
    first, second = _candidates_of_text()
    # "again" is a stopword
    assert _terms(second, {"a": vectors}) == ({"stored-meet", "oslo"}, {"stored-oslo"})
    assert _terms(first, {"a": vectors}) == ({"talk", "break"}, set())


def test_without_stored_terms_they_are_made() -> None:
    vectors = SentenceVectors.from_vectors("v", SPANS, np.eye(2, dtype=np.float32))  # none
    _, second = _candidates_of_text()
    made = (set(lexical_terms("They met again in Oslo.")), {"oslo"})
    assert _terms(second, {"a": vectors}) == made
    assert _terms(second, {}) == made  # no vectors at all
