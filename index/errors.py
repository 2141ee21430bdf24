"""The project's exceptions. Every message says what was wrong and what to do.

NewsdeskError
├── IndexError_            the index directory cannot be used
│   ├── NotAnIndexError
│   ├── IndexNotWritableError
│   ├── EmptyIndexError
│   └── ModelMismatchError
├── ReadError              one input cannot be read (the run goes on)
└── (qa adds QuestionError, LLMError)
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base of every error newsdesk raises on purpose; the message is for the user."""


class IndexError_(NewsdeskError):
    """The index directory cannot be opened or written."""


class NotAnIndexError(IndexError_):
    """The directory exists and holds something that is not a newsdesk index."""


class IndexNotWritableError(IndexError_):
    """The index directory (or its parent) cannot be written."""


class EmptyIndexError(IndexError_):
    """The index holds no articles, or does not exist yet."""


class ModelMismatchError(IndexError_):
    """The index was built with another embedding model than the one configured."""


class ReadError(NewsdeskError):
    """One input file, or one line of it, cannot be read."""
