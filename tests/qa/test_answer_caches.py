"""The caches an answer reads through: the speakers ingest stored, and sentence vectors
embedded at question time, served right also once a cache is full."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from index import Article
from index.sentence_labels import Labels
from qa.extractive.evidence import SentenceIndex, VectorCache

# a label live attribution would never give these sentences: whoever reads it was served
# the stored labels, not a whole-article pass made at question time
STORED = "Stored Speaker"


def _article(n: int) -> Article:
    return Article(id=f"a{n}", text=f"The talks went on. Article {n} ends here.")


class StoredLabels:
    """The index's stored labels for any article, recording which ids were read."""

    def __init__(self) -> None:
        self.read: list[list[str]] = []

    def __call__(self, ids: Iterable[str]) -> Mapping[str, tuple[str, Labels]]:
        wanted = list(ids)
        self.read.append(wanted)
        return {i: (_article(int(i[1:])).version, ((0, STORED), (19, None))) for i in wanted}


def test_an_article_a_question_reads_again_is_not_dropped_for_its_new_ones() -> None:
    stored = StoredLabels()
    sentences = SentenceIndex(stored, size=2)
    first, second, third = _article(1), _article(2), _article(3)
    sentences.prime([first, second])
    sentences.prime([first, third])  # the cache is full: `second` goes, `first` is read again
    assert stored.read == [["a1", "a2"], ["a3"]]
    assert sentences.speakers(first)[0] == STORED
    assert sentences.speakers(third)[0] == STORED
    assert sentences.speakers(second)[0] is None  # dropped, so labelled live


def _length_vectors(texts: Sequence[str]) -> np.ndarray:
    """A vector per text that says which text it is: its length."""
    return np.array([[float(len(t))] for t in texts])


def test_sentence_vectors_embedded_now_are_served_even_past_the_cache_size() -> None:
    cache = VectorCache(_length_vectors, size=2)
    keys = [("a1", 0, 1), ("a1", 1, 3), ("a1", 3, 6)]
    got = cache.vectors(keys[:1], ["a"])
    assert got.tolist() == [[1.0]]
    # one cached, two embedded now: together more than the cache holds
    got = cache.vectors(keys, ["a", "bb", "ccc"])
    assert got.tolist() == [[1.0], [2.0], [3.0]]
