"""Several questions in one message: each answered on its own, the answers joined.

"When is Blinken visiting? And who is Qin Gang?" asks two things. Answered as one
question, its sentences compete for one answer and the second question's answer can
lose to the first's; answered one at a time, each gets its own evidence, its own
abstention and its own citations. A later question is asked with the earlier ones as
its history, so "And what will he discuss?" is resolved against the question before it
as a follow-up is (qa/questions/followup.py). Sentences before the first question
("Blinken flies to Beijing next week. Who will he meet?") are its context, not a
question of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from qa.extractive.compose import ABSTAIN_TEXT, restates
from qa.questions.requests import direct_question
from qa.records import Answer, Citation

MAX_PARTS = 3  # more questions than this in one message are answered as one
# a question ends at "?" followed by the next sentence; a "?" inside a quotation
# ("What did he mean by “Why now?”") is followed by the closing mark, not a space, and
# one before a parenthesis ("What did he say? (When ...?)") is followed by an aside
_AFTER_QUESTION = re.compile(r"(?<=\?)\s+(?=[\w“\"‘'])")
_LEADING_LINK = re.compile(r"^(?:and|also|plus|but|so|then|or)\b[,\s]*", re.IGNORECASE)
_MARKER = re.compile(r"\[(\d+)\]")
# where a request that ends in a period may end: after "is", "was" ("Tell me who Qin Gang
# is.") or a word of three lower-case letters or more, not "Dr." or "U.S."
_PERIOD = re.compile(
    r"(?:(?<=\bis[.!])|(?<=\bwas[.!])|(?<=\bare[.!])|(?<=\bwere[.!])|(?<=[a-z]{3}[.!]))"
    r"\s+(?=[A-Z“\"‘'])"
)


def split_questions(question: str) -> list[str]:
    """The questions `question` asks, each to be answered alone; one item when it asks
    one thing (or more than MAX_PARTS). Statements before a question stay with it, and
    a linking word that opens a later question goes ("And who ...?" is "Who ...?");
    each part is the question it holds (qa/questions/requests.py: "Thanks!" goes).

    >>> split_questions("When is Blinken visiting? And who is Qin Gang?")
    ['When is Blinken visiting?', 'Who is Qin Gang?']
    >>> split_questions("Gas prices hit a record. How much is a gallon?")
    ['Gas prices hit a record. How much is a gallon?']
    >>> split_questions("When is Blinken visiting? And who is Qin Gang? Thanks!")
    ['When is Blinken visiting?', 'Who is Qin Gang?']
    >>> split_questions("Tell me who Qin Gang is. And what did he say?")
    ['Who is Qin Gang?', 'What did he say?']
    """
    pieces = [
        part
        for piece in _AFTER_QUESTION.split(question.strip())
        if piece.strip()
        for part in _requests_apart(piece.strip())
    ]
    if len(pieces) < 2:
        return [question]  # one question: the caller reads it (and only once)
    if not _asks(pieces[-1]):
        # what follows the last question ("Thanks!", "I'm writing about it.") goes with it
        pieces[-2:] = [f"{pieces[-2]} {pieces[-1]}"]
    questions = [p for p in pieces if _asks(p)]
    if len(questions) < 2 or len(questions) > MAX_PARTS or not _asks(pieces[-1]):
        return [question]
    parts: list[str] = []
    for i, piece in enumerate(pieces):
        if i:
            piece = _LEADING_LINK.sub("", piece)
            piece = piece[:1].upper() + piece[1:]
        parts.append(direct_question(piece))
    return parts


def _requests_apart(piece: str) -> list[str]:
    """`piece` cut after each request that ends in a period before more of it: "Tell me
    who Qin Gang is. And what did he say?" asks two things.

    >>> _requests_apart("Tell me who Qin Gang is. And what did he say?")
    ['Tell me who Qin Gang is.', 'And what did he say?']
    >>> _requests_apart("Gas prices hit a record. How much is a gallon?")
    ['Gas prices hit a record. How much is a gallon?']
    """
    sentences = _PERIOD.split(piece)
    parts: list[str] = []
    held: list[str] = []
    for i, sentence in enumerate(sentences):
        held.append(sentence)
        if i < len(sentences) - 1 and "?" not in sentence and _asks(sentence):
            parts.append(" ".join(held))
            held = []
    return [*parts, " ".join(held)] if held else parts


def _asks(piece: str) -> bool:
    """Whether `piece` asks something: a question mark, or a request for a question."""
    return "?" in piece or direct_question(piece).endswith("?")


def joined_answer(question: str, parts: Sequence[str], answers: Sequence[Answer]) -> Answer:
    """One answer to `question` from the answers to its `parts`, in order: each part's
    sentences with their citations numbered anew. A sentence an earlier part already
    gave, or restated (qa/extractive/compose.py), is not said again (a part left with
    none points to them), and a part the articles do not answer is said so by name. It
    abstains only when every part does."""
    numbers: dict[tuple[str, int, int], int] = {}
    citations: list[Citation] = []
    said: list[str] = []
    for part, answer in zip(parts, answers, strict=True):
        if answer.abstained:
            said.append(f"The indexed articles do not answer “{part}”.")
            continue
        given: list[int] = []
        for sentence, c in answer.cited_sentences():
            key = (c.article.id, c.start, c.end)
            earlier = numbers.get(key) or next(
                (d.marker for d in citations if restates(d.quote, c.quote)), None
            )
            if earlier is not None:  # said by an earlier part, or restated
                given.append(earlier)
                continue
            numbers[key] = len(numbers) + 1
            citations.append(replace(c, marker=numbers[key]))
            said.append(_renumbered(sentence.strip(), {c.marker: numbers[key]}))
        if given and len(given) == len(answer.citations):
            said.append(f"“{part}”: see " + ", ".join(f"[{n}]" for n in given) + ".")
    abstained = all(a.abstained for a in answers)
    notices = [f"Answered as {len(parts)} questions: " + "; ".join(f"“{p}”" for p in parts) + "."]
    for answer in answers:
        notices += [n for n in answer.notices if n not in notices]
    related: list[Citation] = []
    if abstained:
        seen: set[tuple[str, int, int]] = set()
        for answer in answers:
            for c in answer.related:
                if (c.article.id, c.start, c.end) not in seen:
                    seen.add((c.article.id, c.start, c.end))
                    related.append(replace(c, marker=len(related) + 1))
    timings: dict[str, float] = {}
    for answer in answers:
        for name, ms in answer.timings_ms.items():
            timings[name] = timings.get(name, 0.0) + ms
    confidences = [a.confidence for a in answers if a.confidence is not None]
    return Answer(
        question=question,
        text=ABSTAIN_TEXT if abstained else " ".join(said),
        citations=tuple(citations),
        abstained=abstained,
        related=tuple(related),
        standalone_question=" ".join(
            a.standalone_question or p for p, a in zip(parts, answers, strict=True)
        ),
        notices=tuple(notices),
        mode=answers[0].mode,
        confidence=min(confidences) if confidences else None,
        timings_ms=timings,
    )


def _renumbered(text: str, numbers: dict[int, int]) -> str:
    """`text` with each marker "[n]" made "[numbers[n]]"; a bracket of words ("he [Kurt
    Campbell] said") is left alone.

    >>> _renumbered("He [Kurt Campbell] said so. [1] It rose. [2]", {1: 3, 2: 1})
    'He [Kurt Campbell] said so. [3] It rose. [1]'
    """
    return _MARKER.sub(lambda m: f"[{numbers.get(int(m.group(1)), int(m.group(1)))}]", text)
