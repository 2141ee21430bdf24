"""The project's exceptions. Every message says what was wrong and what to do.

Every class newsdesk raises on purpose, wherever it is defined (module in brackets;
tests/test_errors.py checks this tree against the classes):

NewsdeskError
├── UnusableIndexError     the index directory cannot be used     [index.errors]
│   ├── NotAnIndexError
│   ├── IndexNotWritableError
│   ├── EmptyIndexError
│   ├── ModelMismatchError
│   └── VectorStoreUnavailableError  the Chroma server is down or unreachable
├── EmbeddingModelError    the embedding model cannot be loaded   [index.embedding]
├── OnnxExportError        no usable ONNX export of the model     [index.onnx_embedding]
├── ClusterError           the cluster for ingest cannot be used  [index.cluster]
├── SettingsError          a setting has an unusable value        [qa.settings]
├── QuestionError          a question cannot be asked             [qa.questions.cleaning]
├── LLMError               the language model cannot be used      [qa.generative.models]
├── QuestionSetError       a question file is not a test set      [evaluation.errors]
├── GateError              a gate file cannot be used             [evaluation.errors]
└── RequestError           an HTTP request body is malformed      [ui.web.http_api]

An input that cannot be read is not an exception: readers yield a `ReadNote` and the
run goes on.
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base of every error newsdesk raises on purpose; the message is for the user."""


class UnusableIndexError(NewsdeskError):
    """The index directory cannot be opened or written."""


class NotAnIndexError(UnusableIndexError):
    """The directory exists and holds something that is not a newsdesk index."""


class IndexNotWritableError(UnusableIndexError):
    """The index directory (or its parent) cannot be written."""


class EmptyIndexError(UnusableIndexError):
    """The index holds no articles, or does not exist yet."""


class ModelMismatchError(UnusableIndexError):
    """The index was built with another embedding model than the one configured."""


class VectorStoreUnavailableError(UnusableIndexError):
    """The Chroma server holding the index's vectors cannot be reached."""
