"""Speaker phrases to speakers: a name, a titled name, a noun phrase, a source."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.speech.lexicon import PERSON_HEADS, ROYAL_TITLES, TITLES
from qa.speech.patterns import (
    DESCRIBED_NAME_RE,
    DOCUMENT_RE,
    ENDING_NAME_RE,
    HEAD_RE,
    LEADING_WORDS_RE,
    ORG_WORDS,
    PLACE_STARTS,
    PREPOSITIONS,
    RUN,
    SP,
    SPEAKER_PREFIX_RE,
    STOP_WORDS,
    THINGS,
    WEEKDAYS,
)


@dataclass(frozen=True)
class Speaker:
    name: str
    kind: str  # "person", "group", "unknown" (a bare single name), or "pron"


def speaker_from_name(phrase: str) -> Speaker | None:
    """A capitalised run, less the words around the name ("Coordinator Kurt Campbell")."""
    tokens = phrase.split()
    if tokens and tokens[0].lower() == "the" and len(tokens) > 1 and tokens[1][:1].isupper():
        tokens = tokens[1:]
    elif tokens and tokens[0][:1].islower():
        return speaker_from_np(phrase)
    while tokens and tokens[0] in STOP_WORDS:
        tokens = tokens[1:]
    while tokens and tokens[-1] in WEEKDAYS:  # "landed in Taiwan Tuesday": Taiwan
        tokens = tokens[:-1]
    if not tokens:
        return None
    if tokens[-1] in ORG_WORDS or re.fullmatch(r"[A-Z]{2,}|(?:[A-Z]\.){2,}", tokens[-1]):
        return Speaker(" ".join(tokens), "group")
    titled = [i for i, token in enumerate(tokens) if token in TITLES]
    if titled:
        if titled[-1] == len(tokens) - 1:
            return None  # "the Secretary said": a title with no name
        tokens = tokens[titled[-1] + 1 :]
    elif tokens[0] in PLACE_STARTS or THINGS.intersection(tokens):
        return Speaker(" ".join(tokens), "group")  # "New York said", "Hurricane Ian"
    if len(tokens) == 2 and tokens[0] in ROYAL_TITLES:
        return Speaker(" ".join(tokens), "person")
    kind = "person" if len(tokens) > 1 or titled else "unknown"
    return Speaker(" ".join(tokens[-4:]), kind)


def speaker_from_np(phrase: str) -> Speaker | None:
    """A common-noun speaker ("China's foreign ministry", "a spokesperson")."""
    phrase = LEADING_WORDS_RE.sub("", phrase.strip())
    words = phrase.split()
    if not words:
        return None
    if words[0] in ("The", "A", "An", "One", "Two", "Three", "Several", "Some", "Many", "Other"):
        words[0] = words[0].lower()
    if words[0] == "the" and len(words) > 1 and words[1][:1].isupper():
        words = words[1:]
    head = re.sub(r"[’']s$", "", words[-1])
    kind = "person" if re.fullmatch(PERSON_HEADS, head) else "group"
    return Speaker(" ".join(words), kind)


def speaker_from_source(phrase: str) -> Speaker | None:
    """The speaker behind "according to ...": a document counts for its owner only.

    "the Food Institute's analysis of X" -> Food Institute; "a report by Reuters" ->
    Reuters; "Labor Department data" -> Labor Department; "the census" -> None.
    """
    phrase = phrase.strip()
    document = DOCUMENT_RE.search(phrase)
    if document:
        head, tail = phrase[: document.start()].rstrip(), phrase[document.end() :]
        possessive = re.match(r"(?P<owner>.+?)[’']s\b", head)
        by = re.match(rf"{SP}(?:from|by){SP}(?P<owner>.+)$", tail)
        named = ENDING_NAME_RE.search(head)
        if possessive:
            phrase = possessive.group("owner")
        elif by:
            phrase = by.group("owner")
        elif named:
            phrase = named.group(0)
        else:
            return None
    described = DESCRIBED_NAME_RE.match(phrase)
    if (
        described
        and not PREPOSITIONS.intersection(phrase.split())
        and HEAD_RE.fullmatch(phrase[: described.start("name")].split()[-1])
    ):
        return speaker_from_name(described.group("name"))  # "monitoring platform CrowdTangle"
    prefix = SPEAKER_PREFIX_RE.match(phrase)  # "the court posted Friday" -> the court
    if prefix is None:
        return None
    if prefix.group("org"):
        return speaker_from_np(prefix.group("org"))
    return _speaker_from_joined_name(prefix.group("name"))


def _speaker_from_joined_name(phrase: str) -> Speaker | None:
    """A name that may hold "of"/"for": an organisation ("the United Nations High
    Commissioner for Refugees"), unless a titled person ends it ("Secretary of State
    Antony Blinken")."""
    parts = re.split(rf"{SP}(?:of|for){SP}(?:the{SP})?", phrase)
    if len(parts) == 1:
        return speaker_from_name(phrase)
    person = speaker_from_name(parts[-1])
    if person and person.kind == "person" and TITLES.intersection(parts[-1].split()):
        return person
    return Speaker(re.sub(r"^(?:The|the)\s+", "", phrase), "group")


def named_after(before: str, name: str) -> Speaker | None:
    """The speaker of "NAME said" inside a sentence, unless NAME sits in a phrase
    ("the wife of inmate Richard Glossip wrote"); "Bragman of La Brea Media says"
    is Bragman's."""
    owner = re.search(rf"(?P<owner>{RUN}){SP}of$", before)
    if owner and owner.group("owner").split()[-1] not in TITLES:
        speaker = speaker_from_name(owner.group("owner"))
        if speaker and speaker.kind == "group":  # "the University of Tennessee announced"
            return Speaker(f"{speaker.name} of {name}", "group")
        return speaker
    words = before.split()[-6:]
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        if word == "of" and i and words[i - 1] in TITLES:
            break  # "Secretary of State Brad Raffensperger said"
        if word in PREPOSITIONS:
            return None
        if not word.isalpha() or not word.islower():
            break
    return speaker_from_name(name)
