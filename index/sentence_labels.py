"""Sentence labels: one label (or none) per sentence of an article, made at ingest by a
labeller the caller supplies, so that a question does not redo a whole-article pass.

The index does not know what a label means: `qa` passes a labeller that names each
sentence's speaker. A labeller's `name` changes whenever its output could, and labels
made under another name are not served, so an index labelled by older code answers as
before (the caller labels live) until the next ingest relabels it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Protocol

from index.records import Article

# (sentence start, label), in article order: of every sentence as a labeller makes
# them, of the first and the labelled as the catalog gives them back (`decode`)
Labels = tuple[tuple[int, str | None], ...]


class SentenceLabeller(Protocol):
    @property
    def name(self) -> str:
        """Who made the labels, version included: stored labels of another name are stale."""
        ...

    def label(self, article: Article) -> Labels:
        """(start offset, label or None) of every sentence of the article, in order."""
        ...


def encode(labels: Sequence[tuple[int, str | None]]) -> str:
    """The catalog's storage form: the first sentence, which says where the article's
    lead starts, and the labelled ones (a quarter of an article's, for speakers), so
    that an answer reads and decodes less.

    >>> encode([(0, None), (12, "Kurt Campbell"), (40, None)])
    '[[0,null],[12,"Kurt Campbell"]]'
    """
    kept = [[s, label] for n, (s, label) in enumerate(labels) if label is not None or n == 0]
    return json.dumps(kept, separators=(",", ":"))


def decode(text: str) -> Labels:
    """The sentences `encode` kept, in article order: the first, and the labelled; a
    sentence not among them has no label. Rows stored before the unlabelled were left
    out hold every sentence.

    >>> decode('[[0,null],[12,"Kurt Campbell"]]')
    ((0, None), (12, 'Kurt Campbell'))
    """
    return tuple(map(tuple, json.loads(text)))  # each a [start, label] pair
