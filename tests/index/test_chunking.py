"""Chunking: offsets that hold, whole sentences in order, nothing past what the model reads."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence

import pytest

from index import Article, FakeEmbedder, SentenceTransformerEmbedder, split_sentences
from index.chunking import MAX_TITLE_CHARS, ChunkingPolicy, chunk_article, embedding_text
from index.records import Chunk, Span

MODEL_LIMIT = 256  # all-MiniLM-L6-v2 reads this many word pieces, [CLS] and [SEP] included
Counter = Callable[[Sequence[str]], list[int]]

_rng = random.Random(7)
_WORDS = "the council said on Tuesday that budget spending for schools rose by a wide margin"
SYNTHETIC: dict[str, tuple[str, str]] = {  # name -> (title, text)
    "3000-word sentence": (
        "Budget vote",
        " ".join(_rng.choice(_WORDS.split()) for _ in range(3000)) + ".",
    ),
    "600-char url": (
        "Read the filing",
        "The filing is at https://example.com/" + "abcdefghij/" * 54 + " today. It is long.",
    ),
    "tiny paragraphs": ("Bullet points", "\n\n".join(f"Point {i} holds." for i in range(300))),
    "long title": (" ".join(["Extraordinary"] * 120), "The mayor spoke. " * 200),
    # dense then sparse: a count spread evenly over the characters cuts it too long
    "uneven word": ("Uneven", "a." * 200 + "a" * 300 + " end. Then one more sentence."),
    "unspaced cjk": ("新闻", "这是一个关于预算的测试句子，" * 300 + "。"),
    "hangul title": ("한국어 뉴스 제목 " * 20, "The council met. " * 100),
}


def articles(seed: Article) -> dict[str, Article]:
    made = {
        name: Article(id=name.replace(" ", "-"), text=text, title=title)
        for name, (title, text) in SYNTHETIC.items()
    }
    return {"seed": seed, **made}


def check_chunks(article: Article, chunks: list[Chunk], count: Counter) -> None:
    """Offsets hold, sentences lie in order inside their chunk, every sentence is
    in some chunk, and title plus chunk fit in what the model reads."""
    text = article.text
    assert chunks, "no chunks"
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    assert len({c.id for c in chunks}) == len(chunks)
    for c in chunks:
        assert c.article_id == article.id
        assert text[c.start : c.end] == c.text
        assert c.sentences[0][0] == c.start and c.sentences[-1][1] == c.end
        for (s, e), (s2, _) in itertools.pairwise(c.sentences):
            assert s < e <= s2, c.sentences
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    sizes = count([embedding_text(article.title, c.text) for c in chunks])
    assert max(sizes) + 2 <= MODEL_LIMIT, sizes
    assert_sentences_covered(text, split_sentences(text), chunks)


def assert_sentences_covered(text: str, sentences: list[Span], chunks: list[Chunk]) -> None:
    """A sentence is one of a chunk's spans, or (cut for being too long) its
    characters are all inside spans of the chunks."""
    pieces = {span for c in chunks for span in c.sentences}
    covered = bytearray(len(text))
    for s, e in pieces:
        covered[s:e] = b"\x01" * (e - s)
    for s, e in sentences:
        if (s, e) in pieces:
            continue
        missing = [i for i in range(s, e) if not covered[i] and not text[i].isspace()]
        assert not missing, f"sentence at {s}:{e} loses {text[missing[0] : missing[0] + 20]!r}"


@pytest.mark.parametrize("name", ["seed", *SYNTHETIC])
def test_chunks_hold_with_the_fake_counter(name: str, seed_article: Article) -> None:
    article = articles(seed_article)[name]
    count = FakeEmbedder().token_counts
    chunks = chunk_article(article, split_sentences(article.text), count)
    check_chunks(article, chunks, count)


@pytest.mark.model
@pytest.mark.parametrize("name", ["seed", *SYNTHETIC])
def test_chunks_fit_the_real_tokenizer(
    name: str, seed_article: Article, embedder: SentenceTransformerEmbedder
) -> None:
    article = articles(seed_article)[name]
    chunks = chunk_article(article, split_sentences(article.text), embedder.token_counts)
    check_chunks(article, chunks, embedder.token_counts)


@pytest.mark.model
def test_the_seed_is_chunked_into_whole_sentences(
    seed_article: Article, embedder: SentenceTransformerEmbedder
) -> None:
    sentences = split_sentences(seed_article.text)
    chunks = chunk_article(seed_article, sentences, embedder.token_counts)
    # no seed sentence is over the budget, so every chunk is a run of whole sentences
    assert all(span in sentences for c in chunks for span in c.sentences)
    assert 3 <= len(chunks) <= 12, len(chunks)
    assert all(seed_article.title not in c.text for c in chunks)  # title stays out of offsets


def test_consecutive_chunks_share_the_overlap_sentence(seed_article: Article) -> None:
    count = FakeEmbedder().token_counts
    sentences = split_sentences(seed_article.text)
    chunks = chunk_article(seed_article, sentences, count, ChunkingPolicy(overlap_sentences=1))
    assert len(chunks) > 2
    for left, right in itertools.pairwise(chunks):
        assert right.sentences[0] == left.sentences[-1]
        assert set(left.sentences) & set(right.sentences) == {left.sentences[-1]}


def test_without_overlap_chunks_partition_the_sentences(seed_article: Article) -> None:
    sentences = split_sentences(seed_article.text)
    chunks = chunk_article(
        seed_article, sentences, FakeEmbedder().token_counts, ChunkingPolicy(overlap_sentences=0)
    )
    assert [span for c in chunks for span in c.sentences] == sentences


def test_chunks_prefer_to_end_at_a_paragraph() -> None:
    paragraph = " ".join(f"Sentence {i} of this paragraph has some words in it." for i in range(8))
    text = "\n\n".join([paragraph] * 5)
    article = Article(id="paras", text=text)
    count = FakeEmbedder().token_counts
    assert count([paragraph])[0] > ChunkingPolicy().target_tokens // 2  # a paragraph is a chunk
    chunks = chunk_article(article, split_sentences(text), count)
    paragraph_ends = {i + len(paragraph) for i in range(0, len(text), len(paragraph) + 2)}
    assert all(c.end in paragraph_ends for c in chunks), [c.end for c in chunks]


def test_a_smaller_limit_gives_more_and_smaller_chunks(seed_article: Article) -> None:
    count = FakeEmbedder().token_counts
    sentences = split_sentences(seed_article.text)
    wide = chunk_article(seed_article, sentences, count)
    narrow = chunk_article(
        seed_article, sentences, count, ChunkingPolicy(max_tokens=64, target_tokens=40)
    )
    assert len(narrow) > len(wide)
    sizes = count([embedding_text(seed_article.title, c.text) for c in narrow])
    assert max(sizes) + 2 <= 64


def test_chunking_is_deterministic_and_ids_name_the_version(seed_article: Article) -> None:
    count = FakeEmbedder().token_counts
    sentences = split_sentences(seed_article.text)
    first = chunk_article(seed_article, sentences, count)
    assert first == chunk_article(seed_article, sentences, count)
    assert all(c.id == f"{seed_article.id}:{seed_article.version}:{c.ordinal}" for c in first)


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Blinken to visit", "He said so.", "Blinken to visit\nHe said so."),
        ("", "He said so.", "He said so."),
    ],
)
def test_embedding_text_puts_the_title_first(title: str, text: str, expected: str) -> None:
    assert embedding_text(title, text) == expected


def test_embedding_text_cuts_a_long_title_at_a_space() -> None:
    title = " ".join(f"word{i}" for i in range(60))
    embedded_title, body = embedding_text(title, "Body.").split("\n")
    assert body == "Body."
    assert len(embedded_title) <= MAX_TITLE_CHARS
    assert title.startswith(embedded_title + " ")
