"""newsdesk's public Python API: ask questions of indexed news articles.

>>> import tempfile
>>> from qa import NewsDesk, Settings
>>> scratch = tempfile.TemporaryDirectory()  # an index of your own: any directory
>>> desk = NewsDesk.open(Settings.from_env(index_dir=scratch.name), create=True)
>>> desk.articles()
[]
>>> desk.ingest(["seeds/"])                                  # doctest: +SKIP
>>> desk.ask("what did Kritenbrink say about expectations?")  # doctest: +SKIP
>>> desk.close()
>>> scratch.cleanup()
"""

from index.embedding import Embedder, EmbeddingModelError, FakeEmbedder
from index.errors import (
    EmptyIndexError,
    IndexNotWritableError,
    ModelMismatchError,
    NewsdeskError,
    NotAnIndexError,
    UnusableIndexError,
    VectorStoreUnavailableError,
)
from index.readers import SUPPORTED_SUFFIXES
from index.records import Article, ArticleRef, ArticleSummary, IngestReport, ReadNote
from qa.extractive.compose import ABSTAIN_TEXT
from qa.generative.grounding import answer_sentences
from qa.questions.cleaning import MAX_QUESTION_CHARS, QuestionError
from qa.records import Answer, Citation, CopyRef, Passage, TextDelta, Turn
from qa.service import NewsDesk
from qa.settings import ANSWER_MODES, Settings, SettingsError

__all__ = [
    "ABSTAIN_TEXT",
    "ANSWER_MODES",
    "MAX_QUESTION_CHARS",
    "SUPPORTED_SUFFIXES",
    "Answer",
    "Article",
    "ArticleRef",
    "ArticleSummary",
    "Citation",
    "CopyRef",
    "Embedder",
    "EmbeddingModelError",
    "EmptyIndexError",
    "FakeEmbedder",
    "IndexNotWritableError",
    "IngestReport",
    "ModelMismatchError",
    "NewsDesk",
    "NewsdeskError",
    "NotAnIndexError",
    "Passage",
    "QuestionError",
    "ReadNote",
    "Settings",
    "SettingsError",
    "TextDelta",
    "Turn",
    "UnusableIndexError",
    "VectorStoreUnavailableError",
    "answer_sentences",
]
