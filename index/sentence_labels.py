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

Labels = tuple[tuple[int, str | None], ...]  # (sentence start, label), in article order


class SentenceLabeller(Protocol):
    @property
    def name(self) -> str:
        """Who made the labels, version included: stored labels of another name are stale."""
        ...

    def label(self, article: Article) -> Labels:
        """(start offset, label or None) of every sentence of the article, in order."""
        ...


def encode(labels: Sequence[tuple[int, str | None]]) -> str:
    """The catalog's storage form.

    >>> encode([(0, "Kurt Campbell"), (33, None)])
    '[[0,"Kurt Campbell"],[33,null]]'
    """
    return json.dumps([[start, label] for start, label in labels], separators=(",", ":"))


def decode(text: str) -> Labels:
    """The inverse of `encode`.

    >>> decode('[[0,"Kurt Campbell"],[33,null]]')
    ((0, 'Kurt Campbell'), (33, None))
    """
    return tuple(map(tuple, json.loads(text)))  # each a [start, label] pair
