"""The speakers an answer reads come from what ingest stored, also once the cache is full."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from index import Article
from index.sentence_labels import Labels
from qa.extractive.evidence import SentenceIndex

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
