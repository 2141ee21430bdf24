"""Pure evaluation metrics: values in, numbers out, each with a worked example.

The harness splits answer text into sentences itself instead of reusing the
index's splitter: a metric that shared the code it measures would hide that
code's mistakes.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_MARKER = re.compile(r"\[(\d+)\]")
_APOSTROPHES = re.compile(r"(?<=\w)['’‘`´](?=\w)")
_NOT_WORD = re.compile(r"[\W_]+")
# a stop (with closing quotes) then space and what can start a sentence; a run of
# markers right after a stop belongs to the sentence before it
_STOP = re.compile(r"[.!?…]+[\"'”’)\]]*((?:\s*\[\d+\])*)\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# a marker run not preceded by a stop also ends a sentence ("... at odds [2] They")
_MARKED_END = re.compile(r"(?:\s*\[\d+\])+[.!?]?\s+(?=[\"'“‘(]?[A-Z0-9])")
# words after which a stop rarely ends a sentence: titles, initials, dotted forms
_NO_SPLIT_AFTER = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gov|Sen|Rep|Gen|Lt|Col|Capt|Sgt|Rev|St|Jr|Sr|Inc|Corp|Co|"
    r"Ltd|No|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|(?:\b[A-Za-z]\.)*\b[A-Za-z])$"
)


def normalise(text: str) -> str:
    """Lower case, quote styles and punctuation dropped, whitespace collapsed.

    Apostrophes inside a word vanish, so "China’s" and "China's" both give "chinas".

    >>> normalise("  “Squid Game”,  the SHOW’s back -- U.S. style!")
    'squid game the shows back u s style'
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = _APOSTROPHES.sub("", text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def strip_markers(text: str) -> str:
    """Text without its `[n]` citation markers.

    >>> strip_markers("They met [1]. Talks went on. [2][3]")
    'They met. Talks went on.'
    """
    return " ".join(re.sub(r"\s*\[\d+\]", "", text).split())


def contains_answer(answer_text: str, expected_answers: Iterable[str]) -> bool:
    """Whether any expected answer appears in the answer, both normalised.

    The match starts at a word; its last word may run on into a longer one
    (`Australia` in `Australia’s`, `Saudi Arabia` in `Saudi Arabian`, `snake` in
    `snakes`), but a number may not (`June 1` is not in `June 16`).

    >>> contains_answer("NASA launched from Australia’s north [1].", ["Australia"])
    True
    >>> contains_answer("Blinken visits June 16 [1].", ["June 1"])
    False
    >>> contains_answer("A ban on assault weapons.", ["on assault weapons", "nope"])
    True
    >>> contains_answer("The Iranian side said.", ["Iran"]), contains_answer("Siran", ["Iran"])
    (True, False)
    """
    haystack = f" {normalise(strip_markers(answer_text))} "
    for expected in expected_answers:
        needle = normalise(expected)
        if not needle:
            continue
        end = " " if needle[-1].isdigit() else ""
        if f" {needle}{end}" in haystack:
            return True
    return False


def hit_at_k(retrieved_article_ids: Sequence[str], gold_article_ids: Iterable[str], k: int) -> bool:
    """Whether one of the first `k` retrieved passages comes from a gold article.

    >>> hit_at_k(["x", "x", "g"], ["g"], 2), hit_at_k(["x", "x", "g"], ["g"], 3)
    (False, True)
    """
    gold = set(gold_article_ids)
    return any(article_id in gold for article_id in retrieved_article_ids[:k])


def reciprocal_rank(retrieved_article_ids: Sequence[str], gold_article_ids: Iterable[str]) -> float:
    """1 / the rank of the first passage from a gold article; 0 if none was retrieved.

    >>> reciprocal_rank(["x", "g", "g"], ["g"]), reciprocal_rank(["x"], ["g"])
    (0.5, 0.0)
    """
    gold = set(gold_article_ids)
    for rank, article_id in enumerate(retrieved_article_ids, 1):
        if article_id in gold:
            return 1.0 / rank
    return 0.0


def is_exact_quote(quote: str, article_text: str, start: int, end: int) -> bool:
    """Whether a citation's quote is exactly the article text at its offsets.

    >>> is_exact_quote("met", "They met.", 5, 8), is_exact_quote("met.", "They met.", 5, 8)
    (True, False)
    """
    return 0 <= start < end <= len(article_text) and article_text[start:end] == quote


def covered_quotes(expected_quotes: Iterable[str], cited_quotes: Sequence[str]) -> list[bool]:
    """For each expected quote, whether some cited quote contains it (both normalised).

    >>> covered_quotes(["top diplomat", "Ukraine"], ["Kritenbrink, the top diplomat, said"])
    [True, False]
    """
    cited = [f" {normalise(q)} " for q in cited_quotes]
    return [any(f" {normalise(e)} " in c for c in cited) for e in expected_quotes]


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of an answer and the citation markers it carries."""

    text: str
    markers: tuple[int, ...]


def answer_sentences(text: str) -> list[AnswerSentence]:
    """Split answer text into sentences, each with its `[n]` markers.

    A marker run after a stop belongs to the sentence before it. Titles, initials
    and dotted abbreviations (`Mr.`, `U.S.`) do not end a sentence, so a rare real
    boundary after one joins two sentences: support is then judged on the pair.

    >>> [(s.text, s.markers) for s in answer_sentences(
    ...     "A U.S. envoy went. [1] Mr. Li stayed [2][3]. Talks end soon.")]
    [('A U.S. envoy went. [1]', (1,)), ('Mr. Li stayed [2][3].', (2, 3)), ('Talks end soon.', ())]
    >>> [s.markers for s in answer_sentences("It ended. [1] 'Wow':Dern on the film [2]")]
    [(1,), (2,)]
    """
    ends: set[int] = set()
    for match in _STOP.finditer(text):
        word_end = match.start()
        if not match.group(1) and _NO_SPLIT_AFTER.search(text[max(0, word_end - 12) : word_end]):
            continue
        ends.add(match.end())
    ends.update(match.end() for match in _MARKED_END.finditer(text))
    sentences: list[AnswerSentence] = []
    start = 0
    for end in [*sorted(ends), len(text)]:
        piece = text[start:end].strip()
        start = end
        if piece and strip_markers(piece):
            markers = tuple(int(m) for m in _MARKER.findall(piece))
            sentences.append(AnswerSentence(piece, markers))
        elif piece and sentences:
            # a stray marker run on its own belongs to the sentence before it
            last = sentences[-1]
            extra = tuple(int(m) for m in _MARKER.findall(piece))
            sentences[-1] = AnswerSentence(f"{last.text} {piece}", last.markers + extra)
    return sentences


def supported_sentences(text: str, citation_markers: Iterable[int]) -> tuple[int, int]:
    """(sentences with a marker that resolves to a citation, all sentences).

    >>> supported_sentences("Qin called. [1] Blinken flies [4]. It is tense.", [1, 2])
    (1, 3)
    """
    known = set(citation_markers)
    sentences = answer_sentences(text)
    backed = sum(1 for s in sentences if any(m in known for m in s.markers))
    return backed, len(sentences)


def abstention_precision_recall(
    outcomes: Iterable[tuple[bool, bool]],
) -> tuple[float | None, float | None]:
    """Precision and recall of abstaining, treating "unanswerable" as the positive class.

    `outcomes` holds (answerable, abstained) for each question whose answerability
    is known. Precision is None when nothing abstained, recall when nothing was
    unanswerable: a ratio with nothing to count is not a score.

    >>> abstention_precision_recall([(False, True), (False, False), (True, True), (True, False)])
    (0.5, 0.5)
    >>> abstention_precision_recall([(True, False)])
    (None, None)
    """
    pairs = list(outcomes)
    right = sum(1 for answerable, abstained in pairs if abstained and not answerable)
    abstained_count = sum(1 for _, abstained in pairs if abstained)
    unanswerable_count = sum(1 for answerable, _ in pairs if not answerable)
    precision = right / abstained_count if abstained_count else None
    recall = right / unanswerable_count if unanswerable_count else None
    return precision, recall


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation, as numpy's default; None if empty.

    >>> percentile([10.0, 20.0, 30.0, 40.0], 50), percentile([10.0, 20.0, 30.0, 40.0], 95)
    (25.0, 38.5)
    """
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean, None for no values.

    >>> mean([1.0, 0.0, 0.5]), mean([])
    (0.5, None)
    """
    return sum(values) / len(values) if values else None
