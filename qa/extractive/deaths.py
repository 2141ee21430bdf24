"""How someone died: the question that asks it, the sentences that tell it, and the
answer read from the person's obituary.

"How did X die?" is not answered by the news of the death ("X has died, his family
said"), nor by another's obituary: a sentence must tell how the death came about (an
illness, an accident, "peacefully in her sleep", or that no cause was given) and be
about X. Where the passages a search brings up hold none, X's own obituary, a retrieved
story whose headline gives X's death, is read for one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from index.records import Article
from index.sentences import split_sentences
from qa.extractive.answer_types import asking_clause
from qa.extractive.evidence import can_answer, refers_back
from qa.extractive.summary import cite_span, cited_answer
from qa.records import Answer

# a question asking how someone died: "How did Virgil Abloh die?", "What did Lari White die
# of?", "What was Ann Reinking's cause of death?", "What was the cause of his death?"
_ASKS_DEATH = (
    re.compile(r"^(?:how|why)\s+did\s+(?P<who>.+?)\s+(?:die|pass\s+away)\b", re.I),
    re.compile(r"^what\s+did\s+(?P<who>.+?)\s+die\s+(?:of|from)\b", re.I),
    re.compile(r"^what\s+(?:was|is)\s+(?P<who>.+?)['’]s?\s+cause\s+of\s+death\b", re.I),
    re.compile(r"\bcause\s+of\s+(?P<who>.+?)['’]s?\s+death\b", re.I),
    re.compile(r"\bcause\s+of\s+death\s+(?:of|for)\s+(?P<who>[^?]+)", re.I),
    re.compile(r"^what\s+killed\s+(?P<who>[^?]+)", re.I),
    re.compile(r"\bcause\s+of\s+death(?P<who>)\W*$", re.I),
)
# what tells how a death came about ("no cause of death was given" answers too)
_CAUSE = re.compile(
    # an illness, an accident, violence, a manner: told of a death where the sentence
    # speaks of one (_DEATH_TALK), not "Elizabeth addressed the nation on the coronavirus"
    r"\b(?P<cause>cancer|tumou?rs?|disease|illness|heart\s+attack|cardiac|stroke|aneurysm|"
    r"overdosed?|suicide|pneumonia|covid(?:-19)?|coronavirus|infection|sepsis|complications|"
    r"crash(?:ed)?|accident|collision|(?:was|were|being|been|fatally)\s+shot|"
    r"shot\s+(?:dead|and\s+killed)|shooting|gunshot|gunfire|stabbed|stabbing|"
    r"drowned|drowning|natural\s+causes|injuries|wounds|homicide|murdered|leukemia|"
    r"dementia|alzheimer['’]?s|organ\s+failure|peacefully|in\s+(?:his|her|their)\s+sleep)\b|"
    # that the cause is not known, or how the body was found
    r"\b(?:found\s+(?:dead|unresponsive)|cause\s+(?:or\s+manner\s+)?of\s+(?:[\w'’]+\s+){0,2}"
    r"death)\b|"
    # a death "of", "from", "after" something
    r"\b(?:died|dies|dead|killed|passed\s+away)\b[^.;,]{0,60}?\b(?:(?<!\bage\s)of|from|after|"
    r"following|due\s+to|because\s+of|when|in\s+an?)\b",
    re.I,
)
_DEATH_TALK = re.compile(
    r"\b(?:died|dies|dead|deaths?|killed|passed\s+away|passing|fatal(?:ly)?|diagnos\w+|"
    r"battl\w+|suffer\w*|fought|fighting|hospital\w*|hospice|treatment|succumb\w*|cause)\b",
    re.I,
)


@lru_cache(maxsize=256)
def death_asked(question: str) -> str | None:
    """Whose death the question asks the cause of ("" where it names no one), or None
    for any other question.

    >>> death_asked("How did Virgil Abloh die?"), death_asked("What was the cause of death?")
    ('Virgil Abloh', '')
    >>> death_asked("What was Ann Reinking's cause of death?")
    'Ann Reinking'
    >>> death_asked("When did Ann Reinking die?") is None
    True
    """
    asked = asking_clause(question)
    for pattern in _ASKS_DEATH:
        found = pattern.search(asked)
        if found is not None:
            who = found.group("who").strip(" ?.!")
            return "" if who.lower() in {"the", "his", "her", "their", "its"} else who
    return None


def tells_cause_of_death(sentence: str) -> bool:
    """Whether `sentence` tells how a death came about, or that its cause is not known:
    "... has died" alone does not.

    >>> tells_cause_of_death("Abloh died Sunday after fighting cardiac angiosarcoma.")
    True
    >>> tells_cause_of_death("No cause of death was disclosed.")
    True
    >>> tells_cause_of_death("Reinking died Saturday while visiting family in Seattle.")
    False
    >>> tells_cause_of_death("She died on Thursday at the age of 96.")
    False
    >>> tells_cause_of_death("He has died, according to statements from his family.")
    False
    >>> tells_cause_of_death("Elizabeth addressed the nation on the coronavirus in 2020.")
    False
    """
    return any(
        found.group("cause") is None or _DEATH_TALK.search(sentence) is not None
        for found in _CAUSE.finditer(sentence)
    )


# a description of the story's subject: "The actor died peacefully ..."
_DESCRIPTION = re.compile(r"[\"“‘']?The\b")
# a capitalised word past a sentence's first: it names someone, or something
_NAMES = re.compile(r"(?<=\s)[A-Z]")
_TITLES = frozenset("queen king prince princess pope former president the".split())
# a headline that gives a death: "Aretha Franklin dies at 76", "... dead at 84"
_DEATH_HEADLINE = re.compile(
    r"\b(?:dies|died|dead|death|obituary|passes\s+away|passed\s+away)\b", re.I
)
# a relative named before a death: "his wife, Colleen, until she died from ...",
# "Elizabeth's mother blamed ... her husband's early death": another's death
_RELATIVE = re.compile(
    r"\b(?:wife|husband|father|mother|son|daughter|brother|sister|sibling|parents?|"
    r"grand(?:father|mother|son|daughter|parents?)|uncle|aunt|nephew|niece|cousin)\b",
    re.I,
)
CAUSE_SENTENCES = 2  # at most, quoted from an obituary: the second only if it follows on


def _name_words(person: str) -> list[str]:
    return [w for w in person.split() if len(w) > 2 and w.lower() not in _TITLES]


def _names(word: str, text: str) -> bool:
    """Whether `text` holds `word` whole: "White" is not in "Off-White"."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def tells_death_of(person: str, sentence: str) -> bool:
    """Whether `sentence` tells how a death came about (`tells_cause_of_death`) and may
    be about `person`: it names them (by any word of the name: "Jiang died ..."), opens
    on a pronoun or a description ("The actor died peacefully ..."), or names no one
    ("No cause of death was given."); any such sentence where `person` is no name ("the
    four children"). A relative of the same name is not told apart.

    >>> tells_death_of("Lari White", "She had been diagnosed with cancer in 2017.")
    True
    >>> tells_death_of("Lari White", "Virgil Abloh of Off-White has died of cancer.")
    False
    """
    if not tells_cause_of_death(sentence):
        return False
    if not person[:1].isupper() or refers_back(sentence) or _DESCRIPTION.match(sentence):
        return True
    if _NAMES.search(sentence) is None:
        return True
    return any(_names(w, sentence) for w in _name_words(person))


def is_obituary(person: str, article: Article) -> bool:
    """Whether `article`'s headline gives the death of `person`: their name in full,
    not possessive, before the word of the death.

    >>> is_obituary("Jiang Zemin", Article("a", "", title="Jiang Zemin, former leader, dies"))
    True
    >>> is_obituary("Michael Douglas", Article("a", "", title="Kirk Douglas dies at 103"))
    False
    >>> is_obituary("Stevie Nicks", Article("a", "", title="McVie dies: Stevie Nicks mourns"))
    False
    >>> is_obituary("Hillary Clinton", Article("a", "", title="Hillary Clinton's brother dies"))
    False
    """
    words = _name_words(person)
    death = _DEATH_HEADLINE.search(article.title or "")
    if not words or death is None:
        return False
    head = death.string[: death.start()]
    return all(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w'’-])", head) for w in words)


def _on_their_death(person: str, sentence: str) -> bool:
    """`tells_death_of`, and no relative named before the cause: not the death of the
    person's husband or sister that an obituary also tells."""
    if not tells_death_of(person, sentence):
        return False
    cause = _CAUSE.search(sentence)  # where it tells, as tells_death_of found
    relative = _RELATIVE.search(sentence)
    return relative is None or cause is None or relative.start() > cause.start()


def obituary_answer(
    question: str, person: str, stories: Sequence[Article], notices: tuple[str, ...]
) -> Answer | None:
    """The answer to "How did `person` die?" from the first of `stories` that is their
    obituary (`is_obituary`): its first sentences telling how, `CAUSE_SENTENCES` at most,
    each cited; None where no story is their obituary or none of its sentences tells."""
    for article in stories:
        if not is_obituary(person, article):
            continue
        text = article.text
        sentences = split_sentences(text)
        told = [
            i
            for i, (start, end) in enumerate(sentences)
            if can_answer(text[start:end]) and _on_their_death(person, text[start:end])
        ]
        if not told:
            continue
        # the first that tells, and the next where it tells too ("... found dead in a
        # hotel room. The cause of death will be determined by the medical examiner.")
        chosen = told[:1] + [i for i in told[1:CAUSE_SENTENCES] if i == told[0] + 1]
        citations = tuple(
            cite_span(marker, article, sentences[i]) for marker, i in enumerate(chosen, 1)
        )
        return cited_answer(question, citations, notices)
    return None
