"""Where else a cited sentence appears: the same sentence in the other copies of the
cited article's near-duplicate group (index/near_duplicates.py), each an exact span.

A copy's sentence counts as the same when it is equal once whitespace runs are one
space and curly quotes and apostrophes are straight ones: outlets re-typeset a wire
story that way and change nothing else in a sentence they keep. Any other edit (a
word, a comma) makes it another sentence, which a citation must not claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from index import Article, Filters
from qa.records import Answer, Citation, CopyRef

_STRAIGHT = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"'}
)


def comparable(text: str) -> tuple[str, list[int]]:
    """`text` with whitespace runs as one space and quotes straight, and for each of its
    characters the offset in `text` it came from.

    >>> comparable("“Yes,”  he\\nsaid")
    ('"Yes," he said', [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14])
    """
    out: list[str] = []
    offsets: list[int] = []
    space = False
    for i, ch in enumerate(text.translate(_STRAIGHT)):
        if ch.isspace():
            if not space:
                out.append(" ")
                offsets.append(i)
            space = True
            continue
        space = False
        out.append(ch)
        offsets.append(i)
    return "".join(out), offsets


def find_sentence(sentence: str, text: str) -> tuple[int, int] | None:
    """The (start, end) in `text` of the first place holding `sentence` (whitespace and
    quote style aside) between word boundaries, or None.

    >>> text = "ANKARA — “We heard a voice,”  said Yilmaz. More."
    >>> start, end = find_sentence('"We heard a voice," said Yilmaz.', text)
    >>> text[start:end]
    '“We heard a voice,”  said Yilmaz.'
    >>> find_sentence("heard a voice", "unheard a voices"), find_sentence("", "x")
    (None, None)
    """
    wanted = comparable(sentence.strip())[0]
    if not wanted:
        return None
    haystack, offsets = comparable(text)
    at = haystack.find(wanted)
    while at >= 0:
        end = at + len(wanted)
        before_ok = at == 0 or not (haystack[at - 1].isalnum() and wanted[0].isalnum())
        after_ok = end == len(haystack) or not (haystack[end].isalnum() and wanted[-1].isalnum())
        if before_ok and after_ok:
            return offsets[at], offsets[end - 1] + 1
        at = haystack.find(wanted, at + 1)
    return None


def copies_of(citation: Citation, copies: Iterable[Article]) -> tuple[CopyRef, ...]:
    """The places in `copies` holding the citation's sentence, one per copy, in the
    order given."""
    found = []
    for copy in copies:
        span = find_sentence(citation.quote, copy.text)
        if span is not None:
            found.append(CopyRef(copy.id, copy.title, copy.source, copy.url, *span))
    return tuple(found)


def with_copies(
    answer: Answer, copies: Mapping[str, Sequence[Article]], filters: Filters = Filters()
) -> Answer:
    """`answer` with each citation's `also_in` filled from `copies` (article id -> the
    other articles of its group), leaving out copies `filters` would not admit."""
    if not any(copies.get(c.article_id) or c.also_in for c in answer.citations):
        return answer  # no cited article has copies (most): nothing to fill or clear
    cited = []
    for c in answer.citations:
        admitted = [
            a for a in copies.get(c.article_id, ()) if filters.admits(a.id, a.source, a.date)
        ]
        cited.append(replace(c, also_in=copies_of(c, admitted)))
    return replace(answer, citations=tuple(cited))
