"""Answer types: what kind of thing a question asks for, and whether a sentence holds one.

A "when" question wants a date, "how many" a number, "who" a person and "where" a place.
The checks are rules over words, measured rather than modelled: no maintained entity
tagger ships its model in a package this project can install offline (spaCy's English
models are downloaded from GitHub, not PyPI). The question's asking clause decides the
type, so "In which month ...", "Approximately how many ..." and a question that opens
with a sentence of context ("Gas prices hit a record. How much ...?") are typed too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.speech.lexicon import PERSON_HEADS

_WH_WORD = re.compile(r"\b(who|whom|whose|what|which|when|where|why|how)\b", re.I)
# a sentence break inside a question: a stop, then a capital (not "U.S. Secretary")
_BREAK = re.compile(r"(?<=[a-z0-9”\"][.!?])\s+(?=[A-Z“\"])")


@lru_cache(maxsize=1024)
def asking_clause(question: str) -> str:
    """The part of `question` that asks: from the first question word of its last
    sentence (of the whole question when that sentence has none).

    >>> asking_clause("Gas prices hit a record. On average, how much is a gallon?")
    'how much is a gallon?'
    >>> asking_clause("In which month was the trip planned?")
    'which month was the trip planned?'
    >>> asking_clause("How long since a U.S. Secretary of State went to China?")
    'How long since a U.S. Secretary of State went to China?'
    """
    last = _BREAK.split(question.strip())[-1]
    found = _WH_WORD.search(last) or _WH_WORD.search(question)
    if found is None:
        return question.strip()
    return (last if found.string is last else question)[found.start() :].strip()


_WH_DATE = re.compile(
    r"^(when|what (day|date|time|year|month)|which (day|date|year|month))\b", re.I
)
_WH_NUMBER = re.compile(
    r"^(how (many|much|long|old|far|big|large)|(what|which) (is|was|are|were)?\s*(the )?"
    r"(number|percentage|share|population|cost|price|amount|size|age|toll|total|budget|rate)\b)",
    re.I,
)
_DATE = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|"
    r"week|month|year|january|february|march|april|may|june|july|august|september|october|"
    r"november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|\d{4}|\d{1,2}:\d\d|"
    r"a\.m\.|p\.m\.|since|until|ago|decade|century)\b",
    re.I,
)
_NUMBER = re.compile(
    r"\d|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|(dozen|hundred|thousand|million|billion|trillion)s?|"
    r"half|several|first|second|third)\b",
    re.I,
)


_WH_WHO = re.compile(r"^(who|whom|whose)\b", re.I)
_WH_WHERE = re.compile(
    r"^(where|(what|which) (other )?(city|country|state|place|nation|region|province|continent))"
    r"\b",
    re.I,
)
# a capitalised word that does not open the sentence: most often a name
_INNER_NAME = re.compile(r"(?<=[\w,;:’'\"”)]\s)[A-Z][a-z]+|(?<=\s)[A-Z]{2,}\b")
_PERSON_WORDS = re.compile(
    rf"\b(he|she|they|(?:{PERSON_HEADS})s?|leaders?|police|lawmakers|authorities)\b", re.I
)
_PLACE = re.compile(
    r"\b(in|at|from|to|near|across|inside|outside)\s+(the\s+)?[A-Z]|\b(city|country|state|"
    r"province|region|capital|border|island|town|village|airport|abroad|overseas)\b"
)


def expected_kind_present(question: str, sentence: str) -> bool:
    """Whether `sentence` holds what a "when"/"how many" question asks for (else True).

    >>> expected_kind_present("When will Blinken visit?", "He visits next week.")
    True
    >>> expected_kind_present("How many people died?", "Officials were shocked.")
    False
    """
    asked = asking_clause(question)
    if _WH_DATE.search(asked):
        return bool(_DATE.search(sentence))
    if _WH_NUMBER.search(asked):
        return bool(_NUMBER.search(sentence))
    return True


def answer_type_present(question: str, sentence: str) -> bool:
    """`expected_kind_present`, and for "who" a person, for "where" a place. A signal
    for answerability and a feature of the sentence ranker (its weight fitted), not a
    factor of the hand score: as one, like the date and number checks, the who/where
    rules declined an answerable calibration question and caught no unanswerable one.

    >>> answer_type_present("Who leads the talks?", "The talks resume soon.")
    False
    >>> answer_type_present("Where did they meet?", "They met in Beijing.")
    True
    """
    asked = asking_clause(question)
    if _WH_WHO.search(asked):
        return bool(_INNER_NAME.search(sentence) or _PERSON_WORDS.search(sentence))
    if _WH_WHERE.search(asked):
        return bool(_PLACE.search(sentence))
    return expected_kind_present(question, sentence)
