"""Resolve a follow-up question against the previous turn before retrieval."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.lexical import STOPWORDS
from qa.questions.timeframe import names_a_day
from qa.records import Turn
from qa.speech.question import parse_said_question

_PRONOUN = re.compile(r"\b(he|she|him|her|his|hers|they|them|their)\b", re.I)
_VAGUE = re.compile(
    r"^\s*(and\b|what else|anything else|why\b|how so|what about|tell me more|more\b|"
    r"who else|what did (he|she|they) mean)|\b(that|this|it|those|these)\s*\??\s*$",
    re.I,
)
# "that trip", "these talks": a noun pointed back at the last turn. Not "that the ...",
# "this week" (a date), nor a capitalised name ("say that China ...")
_DEMONSTRATIVE = re.compile(
    r"\b(that|this|those|these)\s+(?!(?:the|a|an|he|she|it|they|we|i|you|there|is|was|are|"
    r"were|will|would|has|have|had|week|year|month|morning|afternoon|evening|night|weekend|"
    r"time|day)\b)[a-z]+",
    re.I,
)
_NAME = re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)\b")
_SUBJECT_VERB = re.compile(
    r"(?:[’']s)?,?\s+(?:is|was|are|were|has|had|have|will|would|can|could|should|did|does|"
    r"said|says|told|tells|added|wrote|asked|urged|warned|noted|called|met|left|went|made|"
    r"became|becomes|announced|visited|visits|plans|planned)\b"
)
_ELSE = re.compile(r"\b(else|more)\b", re.I)  # "which other country": same facts, new focus
_STARTERS = {"What", "Who", "When", "Where", "Why", "How", "Which", "Did", "Does", "Is", "The", "A"}
# nor do a request's or a chat's first words name anyone: "Anything else?", "Tell me more"
_STARTERS |= {"Anything", "Any", "Tell", "Give", "Show", "Go", "Continue", "More", "And", "So"}
_STARTERS |= {"Summarize", "Summarise", "Brief", "Catch", "Recap", "Okay", "Ok", "Please"}


@dataclass(frozen=True)
class Resolved:
    """A question made standalone, and what the previous turn already said."""

    question: str  # what scoring sees, and retrieval unless a `story` is given
    is_followup: bool
    wants_more: bool  # "what else ...": do not repeat the previous answer's sentences
    # the conversation's question that named the story this one leaves out ("What
    # happened at the Highland Park parade?" for "How many people died?"), which
    # retrieval searches for with it; None: the question names its own
    story: str | None = None

    def searched(self, text: str | None = None) -> str:
        """What retrieval searches for, for this question or for `text` asked in its
        place: with the story's question after it where it leaves that out."""
        text = self.question if text is None else text
        return text if self.story is None else f"{text} ({self.story})"


def resolve_followup(question: str, history: Sequence[Turn]) -> Resolved:
    """Rewrite `question` using the last turn when it leans on it.

    >>> prev = [Turn("what did Kritenbrink say about expectations?", "...")]
    >>> resolve_followup("what else did he say?", prev).question
    'what else did Kritenbrink say?'
    >>> prev = [Turn("who is kurt campbell?", "White House Coordinator Kurt Campbell said so.")]
    >>> resolve_followup("what did he say?", prev).question
    'what did Kurt Campbell say?'
    >>> prev = [Turn("who is the minister?", "The minister, Qin Gang, spoke.")]
    >>> resolve_followup("what did he say?", prev).question
    'what did Qin Gang say?'
    """
    points_back = _VAGUE.search(question) or _demonstrative(question)
    if not history:
        return Resolved(question, False, False)
    if not (_PRONOUN.search(question) or points_back):
        story = _story_asked(question, history)
        if story is None:
            return Resolved(question, False, False)
        # it names nothing: the story is the conversation's, and the question is
        # scored as asked, over what a search for both finds
        return Resolved(question, False, False, story=story)
    previous = history[-1]
    person = _person_of(previous)
    rewritten = question
    if person:
        rewritten = _PRONOUN.sub(lambda m: _replace(m.group(0), person), question)
    wants_more = bool(_ELSE.search(question))
    if (not wants_more and rewritten == question) or (points_back and not wants_more):
        # "why does he think that?" needs the subject of the last question to be found
        rewritten = f"{rewritten} ({previous.question.strip()})"
    return Resolved(rewritten, True, wants_more)


# a question, not a chat's message ("Thanks!", "Great")
_ASKS = re.compile(
    r"^\W*(?:who|whom|whose|what|when|where|which|why|how|is|are|was|were|did|does|do|will|"
    r"would|can|could|has|have|had)\b",
    re.I,
)
# what names a story: a capitalised word past the first, a figure, a quotation
_NAMING = re.compile(r"(?<=\S)\s+(?!I\b)[A-Z]|\d|[\"“”]")
_STORY_TURNS = 3  # how far back the story a question leaves out is looked for


def _story_asked(question: str, history: Sequence[Turn]) -> str | None:
    """For a question that names nothing ("How many people died?", "Who was the
    suspect?"), the last of the recent questions that named its story ("What happened
    at the Highland Park parade?"); None for a question that names something itself,
    or where no recent question does.

    >>> turns = [Turn("What happened at the Highland Park parade?", "...")]
    >>> _story_asked("How many people died?", turns)
    'What happened at the Highland Park parade?'
    >>> turns += [Turn("How many people died?", "Seven people died.")]
    >>> _story_asked("Who was the suspect?", turns)
    'What happened at the Highland Park parade?'
    >>> _story_asked("What did Biden say?", turns) is None, _story_asked("Thanks!", turns)
    (True, None)
    """
    if not _ASKS.match(question) or _NAMING.search(question.strip()):
        return None
    for turn in reversed(history[-_STORY_TURNS:]):
        asked = turn.question.strip()
        if _NAMING.search(asked):
            return asked
    return None


def _demonstrative(question: str) -> bool:
    """Whether the question points back with "that trip" or "these talks".

    >>> _demonstrative("Which other country is on that trip?")
    True
    >>> _demonstrative("What happened this week?"), _demonstrative("Did he say that China won?")
    (False, False)
    """
    return any(m.group(0).split()[1].islower() for m in _DEMONSTRATIVE.finditer(question))


def _replace(pronoun: str, person: str) -> str:
    lower = pronoun.lower()
    if lower in ("his", "their", "hers"):
        return f"{person}'s"
    return person


# a question whose answer is the one it asks for ("Who won the World Cup?", "Which
# secretary of state is going to China?"), not "Who is Kurt Campbell?": the names it
# holds are not whom a "he" or "they" after it stands for
_ASKS_WHO_DID = re.compile(
    r"^\W*(?:[Ww]ho|[Ww]hich(?:\s+[\w.]+){1,4}?)\s+"
    r"(?!(?:is|was|are|were)\s+(?!(?:the|a|an)\s))[a-z]"
)


def _person_of(turn: Turn) -> str | None:
    """The person the previous turn was about: the speaker asked about; after a question
    whose answer is the person asked for ("Who won ...?"), a name its answer gives and
    the question lacks, one a verb follows first ("Blinken is scheduled ..."), or no one
    (the question is then taken along: "Who did they beat? (Who won the 2022 World
    Cup?)"); else the first name-like phrase of the question, else of the answer."""
    said = parse_said_question(turn.question)
    speaker = said.speaker if said is not None and not _PRONOUN.fullmatch(said.speaker) else None
    if speaker is not None and not speaker.islower():
        return speaker
    asks_who = speaker is None and _ASKS_WHO_DID.match(turn.question) is not None
    if speaker is None and not asks_who:
        for m in _NAME.finditer(turn.question):
            if m.group(1).split()[0] not in _STARTERS:
                return m.group(1)
    found = [m for m in _NAME.finditer(turn.answer) if _may_name(turn.answer, m)]
    names = [m.group(1) for m in found]
    if speaker is not None:  # "what did qin gang tell blinken?": "Qin Gang", as written
        return _named_in(names, speaker) or speaker
    if asks_who:
        given = [
            m
            for m in found
            if m.group(1).split()[0] not in _STARTERS
            and _named_in([m.group(1)], turn.question) is None
        ]
        acting = [m for m in given if _SUBJECT_VERB.match(turn.answer, m.end())]
        return next((m.group(1) for m in acting or given), None)
    return _named_in(names, turn.question) or next(
        (name for name in names if name.split()[0] not in _STARTERS), None
    )


def _may_name(text: str, found: re.Match[str]) -> bool:
    """Whether a capitalised run of `text` may name a person: two words or more, or one
    inside a sentence that a verb follows; not a day or a month.

    >>> text = "Next week. Having met Qin Gang, the Chinese envoy, Blinken said so."
    >>> [m.group(1) for m in _NAME.finditer(text) if _may_name(text, m)]
    ['Qin Gang', 'Blinken']
    """
    name = found.group(1)
    if " " in name:
        return True
    if names_a_day(name):
        return False
    before = text[: found.start()].rstrip()
    if not before or before[-1] in '.!?:“"(':
        return False  # one word opening a sentence: "Next week.", "Having postponed ..."
    # one word inside a sentence names a person where a verb follows it ("Blinken is
    # set", "Qin said"), not where a noun does ("Chinese spy balloon")
    return _SUBJECT_VERB.match(text, found.end()) is not None


def _named_in(names: Sequence[str], asked: str) -> str | None:
    """The first of an answer's `names` whose words `asked`, typed without capitals,
    holds: "Kurt Campbell" of "White House Indo-Pacific Coordinator Kurt Campbell" for
    "who is kurt campbell?"; no stopword, month or weekday ("his february trip") counts.

    >>> _named_in(["February", "Blinken"], "why did blinken put off his february trip?")
    'Blinken'
    """
    words = set(re.findall(r"\w+", asked.lower()))
    for name in names:
        kept = [
            w
            for w in name.split()
            if w.lower() in words and w.lower() not in STOPWORDS and not names_a_day(w)
        ]
        if kept and " ".join(kept) in name:
            return " ".join(kept)
    return None
