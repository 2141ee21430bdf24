"""What the two fitting scripts share: question folds and the abstention threshold.

benchmarks/fit_answerability.py and benchmarks/fit_sentence_ranker.py cross-validate by
question and pick a threshold on the held-out probabilities, the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import numpy as np

FOLDS = 5


def fold(row: Mapping[str, Any]) -> int:
    """The fold of a row's question (its `set` and `id`), the same in every run.

    >>> fold({"set": "realtimeqa", "id": "20220617_0"}) in range(FOLDS)
    True
    """
    digest = hashlib.sha256(f"{row['set']}:{row['id']}".encode()).digest()
    return digest[0] % FOLDS


def choose_threshold(p: np.ndarray, y: np.ndarray, max_declined: float) -> float:
    """The threshold on `p` with the best balanced accuracy (positives, y == 1,
    answered; negatives declined) among those that decline at most `max_declined` of
    the positives.

    >>> choose_threshold(np.array([0.9, 0.8, 0.3, 0.2]), np.array([1, 1, 0, 0]), 0.0)
    0.8
    """
    best = (-1.0, 0.5)
    for t in sorted(set(np.round(p, 4).tolist())):
        declined = float(np.mean(p[y == 1] < t)) if (y == 1).any() else 0.0
        caught = float(np.mean(p[y == 0] < t)) if (y == 0).any() else 0.0
        if declined <= max_declined and (1 - declined + caught) / 2 > best[0]:
            best = ((1 - declined + caught) / 2, t)
    return float(best[1])
