"""Speech across sentences: open quotations, pronouns and surnames resolved to names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.speech.lexicon import ROYAL_TITLES
from qa.speech.patterns import (
    ADVERB_WORDS,
    CLOSING,
    NAME_RE,
    NAME_THEN_VERB_RE,
    OPENING,
    PRONOUNS,
)
from qa.speech.phrases import Speaker, named_after, speaker_from_name


@dataclass(frozen=True)
class QuoteScan:
    quoted: tuple[tuple[int, int], ...]  # sentence offsets inside quotation marks
    starts_open: bool
    ends_open: bool


class Referents:
    """Who a pronoun can stand for: the people and groups named so far, in order."""

    RECENT = 3  # a speaker this many sentences back still beats a newer mere mention

    def __init__(self) -> None:
        self.sentence = 0
        self.spoke: list[tuple[int, Speaker]] = []
        self.mentioned: list[tuple[int, Speaker]] = []
        # the last sentence to open on a person, and the pronoun it calls them, if any
        self.opener: tuple[int, Speaker, str | None] | None = None
        self.pronoun_of: dict[str, str] = {}  # name -> "he"/"she" it was last called

    def speak(self, speaker: Speaker) -> None:
        self.spoke.append((self.sentence, speaker))

    def mention(self, speaker: Speaker, opens: str | None = None) -> None:
        """`opens`: the sentence, where it opens on this person as its subject ("However,
        head coach Carlos Queiroz still has faith in his players.")."""
        self.mentioned.append((self.sentence, speaker))
        if opens is not None and speaker.kind == "person":
            said = {_GENDERED[w] for w in _GENDERED_RE.findall(opens.lower())}
            self.opener = (self.sentence, speaker, said.pop() if len(said) == 1 else None)

    def resolve(self, pronoun: str) -> str | None:
        wanted = (PRONOUNS[pronoun], "unknown")

        def fits(speaker: Speaker) -> bool:
            called = self.pronoun_of.get(speaker.name)
            return speaker.kind in wanted and (called is None or called == pronoun)

        spoke = next(((i, s) for i, s in reversed(self.spoke) if fits(s)), None)
        mentioned = next(((i, s) for i, s in reversed(self.mentioned) if fits(s)), None)
        best = spoke
        if mentioned and (
            not spoke or (mentioned[0] > spoke[0] and self.sentence - spoke[0] > self.RECENT)
        ):
            best = mentioned
        opener = self.opener
        if (
            opener
            and opener[0] == self.sentence - 1
            and fits(opener[1])
            and opener[2] in (None, pronoun)
            and (not spoke or spoke[0] < opener[0])
        ):
            best = opener[:2]  # the person the sentence just before opened on
        if best is None:
            return None
        if pronoun in ("he", "she"):
            self.pronoun_of[best[1].name] = pronoun
        return best[1].name


_GENDERED = {"he": "he", "his": "he", "him": "he", "she": "she", "her": "she", "hers": "she"}
_GENDERED_RE = re.compile(r"\b(?:he|his|him|she|her|hers)\b")


def resolve(speaker: Speaker, names: _FullNames, at: int, memory: Referents) -> str | None:
    """The name to report; named speakers are remembered for later pronouns."""
    if speaker.kind == "pron":
        return memory.resolve(speaker.name)
    name, kind = speaker.name, speaker.kind
    if " " not in name and kind != "group":
        full = _full_name(names, name, at)
        if full:
            name, kind = full, "person"
    memory.speak(Speaker(name, kind))
    return name


def subject_mention(sentence: str, names: _FullNames, at: int) -> Speaker | None:
    """The person a sentence opens with as its subject, for later pronouns: the first
    name near the start that is a person's ("Southwest flier Terry Hackelman can")."""
    found = subject_match(sentence, names, at)
    return found[1] if found else None


def lower_case_words(text: str) -> frozenset[str]:
    """The words an article writes in lower case, read once an article: a name among
    them is a common noun opening a sentence ("Children younger than 12 ...")."""
    return frozenset(_LOWER_WORD.findall(text))


_LOWER_WORD = re.compile(r"\b[a-z]\w*")


def opens_on(
    sentence: str, found: tuple[re.Match[str], Speaker] | None, lowered: frozenset[str]
) -> bool:
    """Whether a narrating sentence opens on the person `subject_match` found in it, as
    the one its next sentence's "he" or "she" most likely is: the name leads the
    sentence (after a connective and a descriptor in lower case at most), a verb or an
    adverb follows it, no one else is named, and the sentence ends on a full stop. Not a
    name the article also writes in lower case (`lowered`), nor one after "of" or "by".

    >>> text = "However, head coach Carlos Queiroz still has faith in his players."
    >>> opens_on(text, subject_match(text, {}, 0), lower_case_words(text))
    True
    >>> text = "A report by Child Care Aware of America found prices rose."
    >>> opens_on(text, subject_match(text, {}, 0), lower_case_words(text))
    False
    >>> text = "Affleck also knew green was lucky for Jennifer Lopez."
    >>> opens_on(text, subject_match(text, {"Affleck": (0, "Ben Affleck")}, 9), frozenset())
    False
    >>> text = "Children younger than 12 have low levels."
    >>> found = subject_match(text, {"Children": (0, "Nationwide Children")}, 9)
    >>> opens_on(text, found, frozenset({"children"}))
    False
    """
    if found is None or not sentence.rstrip().endswith("."):
        return False
    match = found[0]
    if not _OPENER_BEFORE.fullmatch(sentence[: match.start()]):
        return False
    name = match.group("name")
    if " " not in name and name.lower() in lowered:
        return False
    after = sentence[match.end("name") :].split(maxsplit=1)
    if not after or not _verb_like(after[0].strip(",")):
        return False
    others = {m.group(0) for m in NAME_RE.finditer(sentence, match.end("name"))}
    return not any((s := speaker_from_name(o)) and s.kind == "person" for o in others)


# what may come before a sentence's opening subject: "However, head coach "
_OPENER_BEFORE = re.compile(
    r"(?:(?:However|But|And|Meanwhile|Still|Yet|Now|Then|Instead|Later|So),?\s+)?"
    r"(?:(?!(?:of|by|from|for|with|to|and)\s)[a-z][\w-]*\.?\s+){0,4}"
)
_AUXILIARIES = frozenset(
    "has had is was are were will would can could may might must should did does "
    "went made took got came gave told said left ran won lost held kept saw spent sent "
    "wore wrote thought knew began became brought bought found felt".split()
)


def _verb_like(word: str) -> bool:
    """Whether a word after a name reads as its verb: "planned", "wears", "still"."""
    return (
        word in _AUXILIARIES
        or word in ADVERB_WORDS
        or word.endswith("ed")
        or (word.endswith("s") and not word.endswith(("ss", "us", "is")))
    )


def subject_match(
    sentence: str, names: _FullNames, at: int
) -> tuple[re.Match[str], Speaker] | None:
    """The name a sentence opens with as its subject, and the person it names."""
    for match in NAME_THEN_VERB_RE.finditer(sentence, 0, 60):
        speaker = named_after(sentence[: match.start()].rstrip(), match.group("name"))
        if speaker is None or speaker.kind == "group":
            continue
        if " " in speaker.name:
            return match, Speaker(speaker.name, "person")
        full = _full_name(names, speaker.name, at)
        if full:
            return match, Speaker(full, "person")
    return None


_FullNames = dict[str, tuple[int, str]]  # surname or family name -> (offset, full name)


def full_names(text: str) -> _FullNames:
    """The first multi-word person name given for each first and last word of one
    ("Daniel Kritenbrink" for "Kritenbrink"; "Qin Gang" for "Qin"), with its offset."""
    found: _FullNames = {}
    for match in NAME_RE.finditer(text):
        if " " not in match.group(0):
            continue
        speaker = speaker_from_name(match.group(0))
        if speaker and speaker.kind == "person" and " " in speaker.name:
            parts = speaker.name.split()
            if parts[0] not in ROYAL_TITLES:
                found.setdefault(parts[0], (match.start(), speaker.name))
            found.setdefault(parts[-1], (match.start(), speaker.name))
    return found


def _full_name(names: _FullNames, word: str, before: int) -> str | None:
    """The first full name given before `before` that starts or ends with `word`."""
    first = names.get(word)
    return first[1] if first and first[0] < before else None


def scan_quotes(sentence: str, is_open: bool, new_paragraph: bool) -> QuoteScan:
    """Where the sentence is inside quotation marks, given whether it starts inside."""
    spans = []
    start = 0 if is_open else -1
    starts_open = is_open
    for i, char in enumerate(sentence):
        if char == '"':
            left = sentence[i - 1] if i else " "
            if is_open and i == len(sentence) - len(sentence.lstrip()) and new_paragraph:
                continue  # the mark that reopens a quotation running on from the last paragraph
            opening = not is_open if left.isspace() or left in "([—–" else False
            char = OPENING if opening else CLOSING
        if char == OPENING and not is_open:
            is_open, start = True, i + 1
        elif char == CLOSING and is_open:
            is_open = False
            spans.append((max(start, 0), i))
    if is_open:
        spans.append((max(start, 0), len(sentence)))
    return QuoteScan(tuple(spans), starts_open, is_open)


def inside(scan: QuoteScan, position: int) -> bool:
    return any(a <= position < b for a, b in scan.quoted)


def is_bare_quote(sentence: str, scan: QuoteScan) -> bool:
    """Whether the sentence is nothing but quotation: no attribution, no narration."""
    if not scan.quoted or not (scan.starts_open or sentence.lstrip().startswith((OPENING, '"'))):
        return False
    outside, cursor = [], 0
    for a, b in scan.quoted:
        outside.append(sentence[cursor:a])
        cursor = b
    outside.append(sentence[cursor:])
    return not any(ch.isalnum() for part in outside for ch in part)


def spread_in_quotations(
    found: list[str | None], joined_previous: list[bool], bare: list[bool]
) -> None:
    """Give every sentence of a multi-sentence quotation the speaker found in any of
    them; a quotation with narration but no speaker found is left alone entirely."""
    i = 0
    while i < len(found):
        j = i + 1
        while j < len(found) and joined_previous[j]:
            j += 1
        speaker = next((s for s in found[i:j] if s), None)
        if speaker:
            for k in range(i, j):
                found[k] = found[k] or speaker
        elif not all(bare[i:j]):
            bare[i:j] = [False] * (j - i)  # "“...,” Standing Bear said": not a bare quote
        i = j


def spread_in_paragraphs(found: list[str | None], paragraph: list[int], bare: list[bool]) -> None:
    """A bare quotation takes the speaker of its paragraph: the one before it, else the
    quotation right after it; opening a paragraph, the previous paragraph's last one."""
    last_in_paragraph: str | None = None
    for i, speaker in enumerate(found):
        if i and paragraph[i] != paragraph[i - 1]:
            last_in_paragraph = None
        if speaker or not bare[i]:
            last_in_paragraph = speaker or last_in_paragraph
            continue
        k = i + 1
        while k < len(found) and paragraph[k] == paragraph[i] and bare[k] and not found[k]:
            k += 1
        if last_in_paragraph:
            found[i] = last_in_paragraph
        elif k < len(found) and paragraph[k] == paragraph[i] and bare[k] and found[k]:
            found[i] = found[k]
        elif i and paragraph[i - 1] == paragraph[i] - 1:
            found[i] = found[i - 1]
        last_in_paragraph = found[i]
