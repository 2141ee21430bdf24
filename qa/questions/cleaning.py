"""Check and clean a user's question before it reaches retrieval."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from index.errors import NewsdeskError

MAX_QUESTION_CHARS = 1000


class QuestionError(NewsdeskError):
    """The question cannot be answered as asked; the message says how to fix it."""


@dataclass(frozen=True)
class CleanQuestion:
    text: str
    notices: tuple[str, ...]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def clean_question(question: object) -> CleanQuestion:
    """Validate a question: non-empty, not too long, in English; control characters go.

    >>> clean_question("  what did\\x00 he say? ").text
    'what did he say?'
    """
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    notices: list[str] = []
    text = unicodedata.normalize("NFC", question)
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
        notices.append("control characters were removed from the question")
    text = " ".join(text.split())
    if not text:
        raise QuestionError("the question is empty: type a question about the indexed articles")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(text):,} characters long; ask in at most "
            f"{MAX_QUESTION_CHARS:,} (one or two sentences work best)"
        )
    letters = [c for c in text if c.isalpha()]
    if not letters:
        raise QuestionError("the question has no words: ask in English about the articles")
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    if latin / len(letters) < 0.5:
        raise QuestionError(
            "newsdesk answers questions in English (the articles and its models are "
            "English): please ask in English"
        )
    words = set(re.findall(r"[^\W\d_]+", text.lower()))
    if len(words) >= 3 and not words & _ENGLISH and len(words & _FOREIGN) >= 2:
        raise QuestionError(
            "this looks like a question in another language; newsdesk answers questions "
            "in English (the articles and its models are English)"
        )
    return CleanQuestion(text, tuple(notices))


_ENGLISH = frozenset(
    """
    the a an of to in on is are was were did does do what who when where why how which
    and or about say said tell it he she they this that for with from by
    """.split()
)
_FOREIGN = frozenset(
    """
    el la los las de del que qué sobre dijo por para con una es est le les des du sur
    qui quoi dit der die das und ist was hat über ein eine il di che della sono cosa
    """.split()
)
