"""Split an article into chunks of whole sentences that fit what the embedder reads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.records import Article, Chunk, Span, chunk_id

TokenCounter = Callable[[Sequence[str]], list[int]]  # word pieces per text, no special tokens

# The title is embedded with every chunk, cut to this many characters so the body keeps
# its room: no character reads as more than 3 word pieces (Hangul is spelled out in
# jamo), so a cut title costs at most 240 of the 254 pieces left after [CLS] and [SEP].
MAX_TITLE_CHARS = 80
SPECIAL_TOKENS = 2  # [CLS] and [SEP]


@dataclass(frozen=True)
class ChunkingPolicy:
    """Sizes in word pieces. `max_tokens` is a hard limit (title included); chunks grow
    to about `target_tokens`, preferring to end at a paragraph; `overlap_sentences`
    sentences are repeated at the start of the next chunk."""

    max_tokens: int = 256
    target_tokens: int = 160
    overlap_sentences: int = 1


def embedding_text(title: str, text: str) -> str:
    """What is embedded for a chunk: the title (cut to MAX_TITLE_CHARS), then the chunk text.

    >>> embedding_text("Blinken to visit", "He said so.")
    'Blinken to visit\\nHe said so.'
    """
    title = _short_title(title)
    return f"{title}\n{text}" if title else text


def _short_title(title: str) -> str:
    """The title cut at a space to at most MAX_TITLE_CHARS characters.

    >>> title = _short_title("word " * 30)
    >>> len(title), title[-5:]
    (79, ' word')
    """
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cut = title[:MAX_TITLE_CHARS]
    space = cut.rfind(" ")
    return cut[:space].rstrip() if space > MAX_TITLE_CHARS // 2 else cut


def chunk_article(
    article: Article,
    sentences: Sequence[Span],
    count_tokens: TokenCounter,
    policy: ChunkingPolicy = ChunkingPolicy(),
) -> list[Chunk]:
    """Pack the article's sentences into chunks; `article.text[c.start:c.end] == c.text`.

    Sentences longer than the budget are cut at spaces into pieces that fit, so no
    word of the article is left unembedded.
    """
    text = article.text
    title = _short_title(article.title)
    limit = policy.max_tokens - SPECIAL_TOKENS  # for title and text together
    budget = max(1, limit - (count_tokens([title])[0] if title else 0))
    target = min(policy.target_tokens, budget)
    pieces = _fit_pieces(text, sentences, count_tokens, budget)
    chunks: list[Chunk] = []
    i = 0
    while i < len(pieces):
        j, used = i, 0
        while j < len(pieces) and used + pieces[j][2] <= budget:
            used += pieces[j][2]
            j += 1
            if used >= target:
                break
            if j < len(pieces) and _paragraph_break(text, pieces[j - 1], pieces[j]):
                rest = _paragraph_tokens(text, pieces, j)
                if used >= target // 2 and used + rest > target:
                    break
        j = max(j, i + 1)  # a piece always fits: _fit_pieces made sure
        # counts of pieces need not add up once joined (a word cut in two reads as
        # other pieces whole), so the joined text is counted as it will be embedded
        while j > i + 1:
            joined = embedding_text(title, text[pieces[i][0] : pieces[j - 1][1]])
            if count_tokens([joined])[0] <= limit:
                break
            j -= 1
        start, end = pieces[i][0], pieces[j - 1][1]
        chunks.append(
            Chunk(
                id=chunk_id(article.id, article.version, len(chunks)),
                article_id=article.id,
                ordinal=len(chunks),
                start=start,
                end=end,
                text=text[start:end],
                sentences=tuple((s, e) for s, e, _ in pieces[i:j]),
            )
        )
        if j >= len(pieces):
            break
        i = max(j - policy.overlap_sentences, i + 1)
    return chunks


def _paragraph_break(text: str, left: tuple[int, int, int], right: tuple[int, int, int]) -> bool:
    return "\n" in text[left[1] : right[0]]


def _paragraph_tokens(text: str, pieces: list[tuple[int, int, int]], j: int) -> int:
    """Tokens of the paragraph that starts at piece j."""
    total = pieces[j][2]
    for k in range(j + 1, len(pieces)):
        if _paragraph_break(text, pieces[k - 1], pieces[k]):
            break
        total += pieces[k][2]
    return total


def _fit_pieces(
    text: str, sentences: Sequence[Span], count_tokens: TokenCounter, budget: int
) -> list[tuple[int, int, int]]:
    """(start, end, tokens) for each sentence, cutting those over `budget` at spaces."""
    counts = count_tokens([text[s:e] for s, e in sentences])
    pieces: list[tuple[int, int, int]] = []
    for (start, end), tokens in zip(sentences, counts, strict=True):
        if tokens <= budget:
            pieces.append((start, end, tokens))
        else:
            pieces.extend(_cut(text, start, end, count_tokens, budget))
    return pieces


def _cut(
    text: str, start: int, end: int, count_tokens: TokenCounter, budget: int
) -> list[tuple[int, int, int]]:
    """Cut text[start:end] at spaces into runs of at most `budget` tokens.

    Grows each run word by word in strides, so the cost stays near one count per piece.
    """
    words: list[Span] = []
    pos = start
    while pos < end:
        while pos < end and text[pos].isspace():
            pos += 1
        if pos >= end:
            break
        stop = pos
        while stop < end and not text[stop].isspace():
            stop += 1
        words.append((pos, stop))
        pos = stop
    out: list[tuple[int, int, int]] = []
    i = 0
    while i < len(words):
        # guess how many words fit from the running ratio, then back off until it fits
        n = max(1, min(len(words) - i, budget // 2))
        while True:
            s, e = words[i][0], words[i + n - 1][1]
            tokens = count_tokens([text[s:e]])[0]
            if tokens <= budget or n == 1:
                break
            n = max(1, n * budget // (tokens + 1))
        # one "word" longer than the budget: cut it by characters, shorter until it fits,
        # since its pieces are not spread evenly over its characters
        while tokens > budget and e - s > 1:
            e = s + max(1, (e - s) * budget // (tokens + 1))
            tokens = count_tokens([text[s:e]])[0]
        if e < words[i + n - 1][1]:
            words[i] = (e, words[i][1])
            out.append((s, e, tokens))
            continue
        out.append((s, e, tokens))
        i += n
    return out
