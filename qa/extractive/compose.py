"""Compose an extractive answer from scored evidence: cite every sentence, or abstain."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from index import lexical_terms
from qa.extractive.evidence import CREDIT, Evidence
from qa.records import Citation, Passage
from qa.speech.naming import name_speaker

ABSTAIN_TEXT = "The indexed articles do not answer this question."
# the share of their terms two sentences hold in common when one restates the other:
# 0.8 let an answer repeat a story's lead as two outlets wrote it ("Sri Lanka has plunged
# into chaos and its president has fled ..." twice); 0.5 says it once (RealTimeQA: the
# same figures, 3 answers less repetitive; seed gate identical)
RESTATED_SHARE = 0.5


@dataclass(frozen=True)
class Composition:
    """What an extractive answer says, before timings and notices are attached."""

    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    related: tuple[Citation, ...]
    sentences: tuple[str, ...]  # the answer's sentences, each with its marker


def compose(
    evidence: Sequence[Evidence],
    passages: Sequence[Passage],
    *,
    threshold: float,
    max_sentences: int,
    keep_ratio: float,
    answerable: bool | None = None,
    considered: Sequence[Evidence] | None = None,
    first: Callable[[Evidence], bool] | None = None,
) -> Composition:
    """Pick up to `max_sentences` evidence sentences scoring at least `threshold`
    and `keep_ratio` of the best, the best first (`_reading_order`), each followed by its
    `[n]`; a sentence's antecedent and companion come with it, and the sentence after a
    companion that leaves a quotation open, one over `max_sentences` at most. With
    `answerable` given, it decides whether to answer instead of `threshold`. An
    abstention lists as related the best of `considered` (default: `evidence`), the
    sentences scored before any was ruled out. `first`: what the opening sentence should
    be ("Why ...?" opens on a reason), where a chosen sentence is that and the best is
    not; where none is, the best candidate above the floor that is takes the last place."""
    if answerable is not None and evidence:
        # decided elsewhere (qa/extractive/answerability.py); the threshold still floors
        # extra sentences
        declined = not answerable
    else:
        declined = not evidence or evidence[0].score < threshold
    if declined:
        related = _related(evidence if considered is None else considered, passages)
        return Composition(ABSTAIN_TEXT, (), True, related, (ABSTAIN_TEXT,))
    best = evidence[0].score
    floor = max(min(threshold, best), best * keep_ratio)
    chosen: list[Evidence] = []
    groups: list[list[Evidence]] = []  # each chosen sentence with its neighbour pairs
    going_on: list[tuple[Evidence, list[Evidence]]] = []
    for e in evidence:
        if e.score < floor or len(chosen) >= max_sentences:
            break
        if not any(_near_duplicate(e, c) for c in chosen):
            chosen.append(e)
            groups.append([e])
            # a neighbour pair (a pronoun's referent, an open quotation's rest, a
            # claim's reason) stays together, even as a fourth sentence
            for pair in (e.antecedent, e.companion):
                if (
                    pair is not None
                    and len(chosen) <= max_sentences
                    and not any(_near_duplicate(pair, c) for c in chosen)
                ):
                    chosen.append(pair)
                    groups[-1].append(pair)
            pair = e.companion
            if pair is not None and pair.companion is not None and any(c is pair for c in chosen):
                going_on.append((pair.companion, groups[-1]))
    # where the quotation's rest leaves it open still, its next sentence comes too, once
    # the best sentences have their places: as a fourth sentence at most
    for rest, group in going_on:
        if len(chosen) <= max_sentences and not any(_near_duplicate(rest, c) for c in chosen):
            chosen.append(rest)
            group.append(rest)
    if first is not None and not any(first(c) for c in chosen):
        # none of the best says it ("Why ...?" and no reason quoted): the best candidate
        # above the floor that does takes the last group's place
        told = next(
            (
                e
                for e in evidence
                if e.score >= floor
                and first(e)
                and not any(e is c or _near_duplicate(e, c) for c in chosen)
            ),
            None,
        )
        if told is not None and len(chosen) >= max_sentences:
            # the last group gives way; or, where the best sentence's group fills the
            # answer alone, the last neighbour it brought
            if len(groups) > 1:
                dropped = groups.pop()
            else:
                dropped = [groups[0].pop()] if len(groups[0]) > 1 else []
            chosen = [c for c in chosen if not any(c is d for d in dropped)]
        if told is not None and len(chosen) < max_sentences:
            chosen.append(told)
            groups.append([told])
    chosen = _reading_order(groups)
    if first is not None and not first(chosen[0]):
        opening = next((e for e in chosen[1:] if first(e)), None)
        if opening is not None:
            # a pronoun's referent still comes before it: "Bird, the first pick ..." opens
            # on "She played her entire career ..., winning four championships"
            before = opening.antecedent
            held = [c for c in chosen if before is not None and _among(c, [before])]
            moved = [*held[:1], opening]
            chosen = moved + [c for c in chosen if not _among(c, moved)]
    citations = tuple(_citation(n, e) for n, e in enumerate(chosen, 1))
    sentences = tuple(
        f"{name_speaker(as_quoted(e.text), e.speaker)} [{n}]" for n, e in enumerate(chosen, 1)
    )
    return Composition(" ".join(sentences), citations, False, (), sentences)


def _among(e: Evidence, sentences: Sequence[Evidence]) -> bool:
    """Whether the sentence `e` quotes is one of `sentences`, scored once or twice."""
    return any(c.article_id == e.article_id and c.start == e.start for c in sentences)


def _reading_order(groups: Sequence[Sequence[Evidence]]) -> list[Evidence]:
    """The sentences of `groups` (each chosen sentence with its neighbour pairs, best
    first) as an answer says them: the best first, so that the sentence that answers
    opens the answer and a lead that only mentions the topic follows it. Each group is in
    article order, and a group that goes on from an earlier one (the next sentence of the
    article) follows it at once."""
    merged: list[list[Evidence]] = []
    for group in groups:
        joins = next((m for m in merged if any(_goes_on(a, b) for a in m for b in group)), None)
        if joins is None:
            merged.append(list(group))
        else:
            joins.extend(group)
    return [e for m in merged for e in sorted(m, key=lambda e: e.start)]


def _goes_on(a: Evidence, b: Evidence) -> bool:
    """Whether `b` is the sentence after `a` in their article (at most a few characters
    of white space or a paragraph break between them)."""
    return a.article_id == b.article_id and 0 <= b.start - a.end <= 3


# "(CNN)", "Washington (CNN Business) —" before a story's first sentence: where and by
# whom it was filed, not what it says; the sentence after it starts with a capital
_DATELINE = re.compile(
    r"^(?:[A-Z][\w.’' -]{0,40}(?:, [A-Z][\w.’' -]{0,30})?\s)?\([A-Z]\w*(?: [A-Z]\w*){0,2}\)"
    r"\s*(?:[-—–]+\s*)?(?=[A-Z“\"‘])"
)


def without_dateline(sentence: str) -> str:
    """`sentence` without the dateline a story's first sentence carries, as an answer
    quotes it; its citation still quotes the article exactly.

    >>> without_dateline("Washington (CNN Business) Apple will be required to support USB-C.")
    'Apple will be required to support USB-C.'
    >>> without_dateline("Alphabet (GOOGL) split its shares.")  # a ticker, not a dateline
    'Alphabet (GOOGL) split its shares.'
    """
    return _DATELINE.sub("", sentence, count=1)


# a photo credit the page glued before a caption
_LEADING_CREDIT = re.compile(rf"^{CREDIT}\s+(?=[A-Z“\"‘])")


def as_quoted(sentence: str) -> str:
    """`sentence` as an answer quotes it: without the dateline a story's first sentence
    carries, nor the photo credit the page glued before a caption (one after a caption
    cannot be told from the place names it ends on); its citation still quotes the article
    exactly.

    >>> as_quoted("Jim Watson/AFP/Getty Images Before the launch, crowds waited.")
    'Before the launch, crowds waited.'
    >>> as_quoted("Esteban Felix/AP Newton-John and Travolta attend a premiere.")
    'Newton-John and Travolta attend a premiere.'
    >>> as_quoted("Sales rose 5%, AP/Reuters data show.")  # no credit: the sentence goes on
    'Sales rose 5%, AP/Reuters data show.'
    """
    return _LEADING_CREDIT.sub("", without_dateline(sentence), count=1)


def _citation(marker: int, e: Evidence) -> Citation:
    return e.passage.cite(marker, (e.start, e.end), e.score, e.speaker)


def _related(evidence: Sequence[Evidence], passages: Sequence[Passage]) -> tuple[Citation, ...]:
    """The closest sentences, one per passage, for an abstention to show."""
    out: list[Citation] = []
    seen: set[str] = set()
    for e in evidence:
        if e.passage.chunk_id not in seen:
            seen.add(e.passage.chunk_id)
            out.append(_citation(len(out) + 1, e))
        if len(out) == 3:
            return tuple(out)
    for p in passages:
        if p.chunk_id in seen or not p.sentences:
            continue
        seen.add(p.chunk_id)
        out.append(p.cite(len(out) + 1, p.sentences[0], 0.0))
        if len(out) == 3:
            break
    return tuple(out)


def _near_duplicate(a: Evidence, b: Evidence) -> bool:
    """Whether two sentences say the same thing, so an answer says it once."""
    if a.article_id == b.article_id and a.start < b.end and b.start < a.end:
        return True
    return _restated(a.text, b.text, a.terms, b.terms)


_FIGURE = re.compile(r"\d+(?:[.,:]\d+)*")


def restates(a: str, b: str) -> bool:
    """Whether sentence `b` says what `a` says: wire copies of one sentence, or one
    article's lead retold by another, sharing half their terms and every figure.

    >>> restates("Sri Lanka has plunged into chaos and its President has fled to Singapore.",
    ...          "Sri Lanka has plunged into chaos and its president has fled to Singapore, "
    ...          "before emailing his resignation.")
    True
    >>> restates("Prices rose 5% in May.", "Prices rose 7% in May.")
    False
    """
    return _restated(a, b, set(lexical_terms(a)), set(lexical_terms(b)))


def _restated(a: str, b: str, ta: AbstractSet[str], tb: AbstractSet[str]) -> bool:
    """`restates`, given the `lexical_terms` of each sentence."""
    if not (ta and tb) or len(ta & tb) / len(ta | tb) < RESTATED_SHARE:
        return False
    return set(_FIGURE.findall(a)) == set(_FIGURE.findall(b))
