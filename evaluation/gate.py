"""The CI gate: overall metrics held to thresholds kept in a JSON file.

A gate file maps metric names to thresholds, e.g. `{"answer_containment": 0.9,
"latency_p95_ms": 400}`. A threshold is a floor, except for the metrics in
`LOWER_IS_BETTER` (latencies), where it is a ceiling. Keys starting with `_` are
comments.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from evaluation.errors import GateError
from evaluation.runner import LOWER_IS_BETTER

_TOLERANCE = 1e-9  # 27/30 must meet a 0.9 threshold despite float rounding


def load_gate(path: str | Path, known_metrics: frozenset[str] | None = None) -> dict[str, float]:
    """Read the thresholds of a gate file.

    Args:
        path: a JSON object of metric name -> number.
        known_metrics: the metrics a run computes; a threshold on any other name
            is an error rather than a gate that can never fail.

    Raises:
        GateError: the file is missing, not a JSON object of numbers, or names an
            unknown metric.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GateError(f"no gate file at {path}; check the path") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise GateError(f"cannot read gate file {path}: {error}") from None
    if not isinstance(data, dict):
        raise GateError(f"gate file {path} must hold a JSON object of metric -> threshold")
    thresholds: dict[str, float] = {}
    for name, value in data.items():
        if name.startswith("_"):
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise GateError(f"gate file {path}: threshold of {name!r} must be a number")
        if known_metrics is not None and name not in known_metrics:
            known = ", ".join(sorted(known_metrics))
            raise GateError(f"gate file {path}: unknown metric {name!r}; known: {known}")
        thresholds[name] = float(value)
    return thresholds


def check_gate(metrics: Mapping[str, float | None], thresholds: Mapping[str, float]) -> list[str]:
    """One line per metric that misses its threshold; empty when the gate passes.

    A metric the run could not measure fails: a gate must not pass on nothing.

    >>> check_gate({"answer_containment": 0.85, "latency_p95_ms": 120.0},
    ...            {"answer_containment": 0.9, "latency_p95_ms": 400})
    ['answer_containment = 0.850, below the threshold 0.900']
    >>> check_gate({"abstention_recall": None}, {"abstention_recall": 0.9})
    ['abstention_recall was not measured (no question to compute it on); threshold 0.900']
    """
    failures: list[str] = []
    for name, threshold in thresholds.items():
        value = metrics.get(name)
        if value is None:
            failures.append(
                f"{name} was not measured (no question to compute it on); threshold {threshold:.3f}"
            )
        elif name in LOWER_IS_BETTER and value > threshold + _TOLERANCE:
            failures.append(f"{name} = {value:.3f}, above the ceiling {threshold:.3f}")
        elif name not in LOWER_IS_BETTER and value < threshold - _TOLERANCE:
            failures.append(f"{name} = {value:.3f}, below the threshold {threshold:.3f}")
    return failures
