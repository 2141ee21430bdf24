"""newsdesk's index: articles to sentence-aware chunks to Chroma and BM25."""

from index.chunking import ChunkingPolicy, chunk_article, embedding_text
from index.embedding import (
    BUNDLED_MODEL,
    Embedder,
    EmbeddingModelError,
    FakeEmbedder,
    SentenceTransformerEmbedder,
    make_embedder,
)
from index.errors import (
    EmptyIndexError,
    IndexNotWritableError,
    ModelMismatchError,
    NewsdeskError,
    NotAnIndexError,
    UnusableIndexError,
    VectorStoreUnavailableError,
)
from index.ingest import ingest
from index.lexical import folded, lexical_terms, sentence_names
from index.news_index import NewsIndex
from index.readers import SUPPORTED_SUFFIXES, read_paths
from index.records import (
    Article,
    ArticleRef,
    ArticleSummary,
    Chunk,
    IngestReport,
    ReadNote,
    Span,
    chunk_id,
    parse_chunk_id,
    text_hash,
)
from index.sentences import paragraph_spans, split_sentences
from index.store import Filters, StoredChunk

__all__ = [
    "BUNDLED_MODEL",
    "SUPPORTED_SUFFIXES",
    "Article",
    "ArticleRef",
    "ArticleSummary",
    "Chunk",
    "ChunkingPolicy",
    "Embedder",
    "EmbeddingModelError",
    "EmptyIndexError",
    "FakeEmbedder",
    "Filters",
    "IndexNotWritableError",
    "IngestReport",
    "ModelMismatchError",
    "NewsIndex",
    "NewsdeskError",
    "NotAnIndexError",
    "ReadNote",
    "SentenceTransformerEmbedder",
    "Span",
    "StoredChunk",
    "UnusableIndexError",
    "VectorStoreUnavailableError",
    "chunk_article",
    "chunk_id",
    "embedding_text",
    "folded",
    "ingest",
    "lexical_terms",
    "make_embedder",
    "paragraph_spans",
    "parse_chunk_id",
    "read_paths",
    "sentence_names",
    "split_sentences",
    "text_hash",
]
