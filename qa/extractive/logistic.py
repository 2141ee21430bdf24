"""A small logistic regression over named features: fitted offline, stored as JSON, read here.

Both learned decisions of the extractive answer use it: which sentence answers
(`qa/extractive/ranker.py`) and whether the best evidence answers at all
(`qa/extractive/answerability.py`). Fitting is deterministic (Newton's method from
zero), so a script in `benchmarks/` refits a stored model exactly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np


@dataclass(frozen=True)
class LogisticModel:
    """Weights over standardised `features`, and the probability a decision needs."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    means: tuple[float, ...]  # features are standardised before weighting
    scales: tuple[float, ...]

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """One probability per row of `rows` (n x len(features)).

        >>> m = LogisticModel(("x",), (2.0,), 0.0, 0.5, (0.0,), (1.0,))
        >>> m.probabilities(np.array([[0.0], [10.0]])).round(3).tolist()
        [0.5, 1.0]
        """
        z = ((rows - np.asarray(self.means)) / np.asarray(self.scales)) @ np.asarray(self.weights)
        return 1.0 / (1.0 + np.exp(-np.clip(z + self.bias, -30.0, 30.0)))

    def probability(self, values: Mapping[str, float]) -> float:
        """The probability for one example given by feature name (missing names are 0)."""
        row = np.array([[values.get(name, 0.0) for name in self.features]])
        return float(self.probabilities(row)[0])

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "weights": list(self.weights),
            "bias": self.bias,
            "threshold": self.threshold,
            "means": list(self.means),
            "scales": list(self.scales),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object], features: Sequence[str]) -> LogisticModel:
        """The stored model, refused if it was fitted on other features than `features`."""
        stored = list(data["features"])  # type: ignore[call-overload]
        if stored != list(features):
            raise ValueError(f"the stored model was fitted on other features: {stored}")
        return cls(
            features=tuple(features),
            weights=tuple(float(w) for w in data["weights"]),  # type: ignore[attr-defined]
            bias=float(data["bias"]),  # type: ignore[arg-type]
            threshold=float(data["threshold"]),  # type: ignore[arg-type]
            means=tuple(float(m) for m in data["means"]),  # type: ignore[attr-defined]
            scales=tuple(float(s) for s in data["scales"]),  # type: ignore[attr-defined]
        )

    @classmethod
    def bundled(cls, filename: str, features: Sequence[str]) -> LogisticModel:
        """A model shipped in the `qa.extractive` package."""
        text = resources.files("qa.extractive").joinpath(filename).read_text(encoding="utf-8")
        return cls.from_dict(json.loads(text), features)


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
