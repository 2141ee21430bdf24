"""The evaluation harness's exceptions; each message says what to fix.

NewsdeskError
├── QuestionSetError   a question file cannot be used as a test set
└── GateError          a gate file cannot be read, or names an unknown metric
"""

from __future__ import annotations

from qa import NewsdeskError


class QuestionSetError(NewsdeskError):
    """A question file is missing, malformed or holds bad lines."""


class GateError(NewsdeskError):
    """A gate file is missing, malformed or names a metric the harness does not compute."""
