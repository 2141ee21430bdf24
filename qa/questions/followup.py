"""Resolve a follow-up question against the previous turn before retrieval."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.lexical import STOPWORDS
from qa.questions.timeframe import names_a_day
from qa.records import Turn
from qa.speech.lexicon import TITLES
from qa.speech.question import parse_said_question

_PRONOUN = re.compile(r"\b(he|she|him|her|his|hers|they|them|their)\b", re.I)
_PLURAL = re.compile(r"\b(they|them|their)\b", re.I)
_VAGUE = re.compile(
    r"^\s*(and\b|what else|anything else|why\b|how so|what about|tell me more|more\b|"
    r"who else|what did (he|she|they) mean)|\b(that|this|it|those|these)\s*\??\s*$",
    re.I,
)
# a question about the story's event or thing: "Which senators want regulators to block it?"
_ON_IT = re.compile(r"\bit\s*\??\s*$", re.I)
# "that trip", "these talks": a noun pointed back at the last turn. Not "that the ...",
# "this week" (a date), nor a capitalised name ("say that China ...")
_DEMONSTRATIVE = re.compile(
    r"\b(that|this|those|these)\s+(?!(?:the|a|an|he|she|it|they|we|i|you|there|is|was|are|"
    r"were|will|would|has|have|had|week|year|month|morning|afternoon|evening|night|weekend|"
    r"time|day)\b)[a-z]+",
    re.I,
)
# a name's word: "Kelly", "McCormick", "O'Rourke", "Stewart-Cousins"; not "I" or "U"
_WORD = r"[A-Z](?:[a-z]+|[a-z]*(?:[’']?[A-Z][a-z]+)+)(?:-[A-Z][a-z]+)*"
_NAME = re.compile(
    r"\b((?:(?:Dr|Mr|Mrs|Ms|Gov|Sen|Rep|Gen|Prof|Rev|Lt|Col|Sgt|Capt|St)\.\s+)*"
    rf"{_WORD}(?:\s+{_WORD})*)\b"
)
# a name, a role, a name: "Dodgers reliever Joe Kelly" is Joe Kelly
_ROLE_BEFORE = re.compile(r"\s+((?:[a-z]+\s+){1,2})(?=[A-Z])")
# a role a name possesses: "Sri Lanka's prime minister", "Twitter's lawyers"
_POSSESSED = re.compile(r"([’']s?)\s+([a-z]+(?:[\s-][a-z]+){0,3})")
_ROLES = {t.lower().rstrip(".") for t in TITLES} | set(
    "lawyer attorney spokesperson wife husband son daughter mother father brother sister "
    "boss coach aide adviser lawmaker official head leader founder owner successor "
    "predecessor reliever slugger shortstop outfielder catcher receiver forward guard "
    "goalkeeper rookie veteran scientist researcher doctor nurse teacher student "
    "candidate spokesman spokeswoman".split()
)
_SUBJECT_VERB = re.compile(
    r"(?:[’']s)?,?\s+(?:is|was|are|were|has|had|have|will|would|can|could|should|did|does|"
    r"said|says|told|tells|added|wrote|asked|urged|warned|noted|called|met|left|went|made|"
    r"became|becomes|announced|visited|visits|plans|planned)\b"
)
_ELSE = re.compile(r"\b(else|more)\b", re.I)  # "which other country": same facts, new focus
_ARTICLES = {"The", "A"}
# where a sentence opens, before a capitalised run: the text's start, or a stop and space
_OPENS = re.compile(r"(?:^|[.?!:;][\"”’')\]]*\s+)[\"“‘'(\[]*$")
_STARTERS = {"What", "Who", "When", "Where", "Why", "How", "Which", "Did", "Does", "Is", "The", "A"}
# nor do a request's or a chat's first words name anyone: "Anything else?", "Tell me more"
_STARTERS |= {"Anything", "Any", "Tell", "Give", "Show", "Go", "Continue", "More", "And", "So"}
# nor a question's opening verb or preposition: "Has Pence's former chief of staff ..."
_STARTERS |= {"Has", "Have", "Had", "Was", "Were", "Are", "Do", "Will", "Would", "Can", "Could"}
_STARTERS |= {"Should", "In", "On", "At", "For", "From", "After", "Before", "During", "Since"}
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
    # the story is the question itself with the person its pronoun stands for named
    # ("Which team did David Tepper own?" for "Which team did he own?"), searched for
    # and shown as the reading, while the question as asked is scored
    named: bool = False

    def reading(self, searched: str | None = None) -> str:
        """How the question was read, as an answer shows it: the question with its
        person named, else what was searched for (`searched`, as retrieval respelt it)."""
        if self.named and self.story is not None:
            return self.story
        return self.searched() if searched is None else searched

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
    if bare := _BARE_ASK.match(question):
        return Resolved(_asked_again(bare.group(1), history), True, False)
    if not (_PRONOUN.search(question) or points_back):
        story = _story_asked(question, history)
        if story is None:
            return Resolved(question, False, False)
        # it names nothing: the story is the conversation's, and the question is
        # scored as asked, over what a search for both finds
        return Resolved(question, False, False, story=story)
    if _ON_IT.search(question) and not _PRONOUN.search(question):
        vague = _VAGUE.match(question) is not None or _demonstrative(question)
        story = None if vague else _story_in(history)
        if story is not None:  # "it" is the story's event or thing: read as above
            return Resolved(question, False, False, story=story)
    previous = history[-1]
    person = _person_in(history, plural=_PLURAL.search(question) is not None)
    rewritten = question
    if person:
        rewritten = _PRONOUN.sub(
            lambda m: _replace(m.group(0), person, question[m.end() :]), question
        )
    wants_more = bool(_ELSE.search(question))
    if (
        rewritten != question
        and not (wants_more or points_back)
        and parse_said_question(rewritten) is None
    ):
        # "Which other team did he own part of?": searched with the person named, scored
        # as asked, and kept to the articles that name them; scored with the name, the
        # sentences that name the person win over the one that answers
        return Resolved(question, False, False, story=rewritten, named=True)
    if (not wants_more and rewritten == question) or (points_back and not wants_more):
        # "why does he think that?" needs the subject of the last question to be found;
        # where that question left its story to the conversation, the story's question
        told = _story_asked(previous.question, history[:-1]) or previous.question.strip()
        rewritten = f"{rewritten} ({told})"
    return Resolved(rewritten, True, wants_more)


# a question word alone: "When?", "How much?", "And where?"
_BARE_ASK = re.compile(
    r"^\s*(?:and\s+|so\s+)?(who|what|when|where|why|how(?:\s+(?:much|many|long|old|far|often))?)"
    r"\s*\?*\s*$",
    re.I,
)
# a question word and its verb: "Why did", "How many people have"
_WH_VERB = re.compile(
    r"^\W*(?:who|whom|what|when|where|why|which(?:\s+[a-z]+)?|how(?:\s+[a-z]+)?)\s+"
    r"((?:did|does|do|is|are|was|were|will|would|has|have|had|can|could|should)\s.*)$",
    re.I,
)


def _asked_again(word: str, history: Sequence[Turn]) -> str:
    """A question word asked alone ("When?"), read as the last question asked with it:
    "Why did Sri Lanka's prime minister resign?" then "When?" asks "When did Sri Lanka's
    prime minister resign?". Where that question has no verb after its question word
    ("Who won the Stanley Cup?"), the word comes with the question after it.

    >>> _asked_again("when", [Turn("Why did Sri Lanka's prime minister resign?", "...")])
    "When did Sri Lanka's prime minister resign?"
    >>> _asked_again("where", [Turn("Who won the Stanley Cup?", "...")])
    'Where? (Who won the Stanley Cup?)'
    """
    asked = resolve_followup(history[-1].question, history[:-1]).reading().strip()
    verb = _WH_VERB.match(asked)
    if verb is None:
        return f"{word.capitalize()}? ({asked})"
    return f"{word.capitalize()} {verb.group(1)}"


# a question, not a chat's message ("Thanks!", "Great")
_ASKS = re.compile(
    r"^\W*(?:(?:in|on|at|for|from|to|by|with|since|until|after|before|during)\s+)?"
    r"(?:who|whom|whose|what|when|where|which|why|how|is|are|was|were|did|does|do|will|"
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

    A question that began the conversation, or asked with no story before it, is a
    story even when it names nothing:

    >>> _story_asked("Which cities were affected?", [Turn("How hot did it get?", "...")])
    'How hot did it get?'
    """
    if not _ASKS.match(question) or _NAMING.search(question.strip()):
        return None
    return _story_in(history)


def _story_in(history: Sequence[Turn]) -> str | None:
    """The last of the recent questions of `history` that asked a story of its own: one
    that names something, or one asked with no story before it in the conversation."""
    stories: list[bool] = []  # whether turn i asked a story of its own
    for turn in history:
        asked = turn.question.strip()
        stories.append(
            bool(_NAMING.search(asked)) or (_ASKS.match(asked) is not None and not any(stories))
        )
    for i in reversed(range(max(0, len(history) - _STORY_TURNS), len(history))):
        if stories[i]:
            return history[i].question.strip()
    return None


def _demonstrative(question: str) -> bool:
    """Whether the question points back with "that trip" or "these talks".

    >>> _demonstrative("Which other country is on that trip?")
    True
    >>> _demonstrative("What happened this week?"), _demonstrative("Did he say that China won?")
    (False, False)
    """
    return any(m.group(0).split()[1].islower() for m in _DEMONSTRATIVE.finditer(question))


def _replace(pronoun: str, person: str, after: str = "") -> str:
    """What stands for `pronoun`: `person`, or their possessive where the pronoun is
    one ("his", "their"; "her" where a noun follows it: "her old duties", not "gave her
    the idea"; `after` is what the question says after it)."""
    lower = pronoun.lower()
    possessive = lower == "her" and _HER_NOUN.match(after) is not None
    if lower in ("his", "their", "hers") or possessive:
        return f"{person}'s"
    return person


# whom a named subject did something to: "Who did Iga Swiatek beat?"
_ASKS_WHOM = re.compile(r"^\W*(?:[Ww]hom?)\s+(?:did|does|do|will|would|has|have|had)\s+([A-Z].*)")
# "her" before a noun is a possessive
_HER_NOUN = re.compile(
    r"\s+(?!(?:the|a|an|to|that|this|about|in|on|at|for|with|from|up|out|off|down|back|"
    r"again|away|now|then|yesterday|today|and|or|if|as|by|into|over)\b)[a-z]"
)
# a question whose answer is the one it asks for ("Who won the World Cup?", "Which
# secretary of state is going to China?"), not "Who is Kurt Campbell?": the names it
# holds are not whom a "he" or "they" after it stands for
_ASKS_WHO_DID = re.compile(
    r"^\W*(?:[Ww]ho|[Ww]hich(?:\s+[\w.]+){1,4}?)\s+"
    r"(?!(?:is|was|are|were)\s+(?!(?:the|a|an)\s))[a-z]"
)


def _person_in(history: Sequence[Turn], *, plural: bool = False) -> str | None:
    """The person the conversation is about: that of the last turn, or where it only
    pointed at them ("Which party is he running for?"), of the turn it pointed back to;
    `plural` for "they": a name may then open with "The" ("The Colorado Avalanche").

    >>> oz = Turn("Who is Dr. Oz?", "A TV host.")
    >>> _person_in([oz, Turn("Which party is he running for?", "The Oz Show ended.")])
    'Dr. Oz'
    """
    for back in range(1, min(_STORY_TURNS, len(history)) + 1):
        asked = history[-back].question
        if not _PRONOUN.search(asked) or _names(asked):
            return _person_of(history[-back], plural=plural)
    return _person_of(history[-1], plural=plural)


def _person_of(turn: Turn, *, plural: bool = False) -> str | None:
    """The person the previous turn was about: the speaker asked about; after a question
    whose answer is the person asked for ("Who won ...?"), a name its answer gives and
    the question lacks, one a verb follows first ("Blinken is scheduled ..."), or no one
    (the question is then taken along: "Who did they beat? (Who won the 2022 World
    Cup?)"); else the first name-like phrase of the question (with the role it
    possesses: "Sri Lanka's prime minister"), else of the answer."""
    said = parse_said_question(turn.question)
    speaker = said.speaker if said is not None and not _PRONOUN.fullmatch(said.speaker) else None
    if speaker is not None and not speaker.islower():
        return speaker
    asks_who = speaker is None and _ASKS_WHO_DID.match(turn.question) is not None
    if speaker is None and not asks_who:
        for name, _, end in _names(turn.question, plural):
            role = _ROLE_BEFORE.match(turn.question, end)
            if role and all(_is_role(w) for w in role.group(1).split()):
                continue  # the name the role is of ("Dodgers"), not the person's
            return name + _role_of(turn.question, end)
    found = [n for n in _names(turn.answer, plural) if _may_name(turn.answer, n)]
    names = [name for name, _, _ in found]
    if speaker is not None:  # "what did qin gang tell blinken?": "Qin Gang", as written
        return _named_in(names, speaker) or speaker
    if asks_who and not plural and (subject := _ASKS_WHOM.match(turn.question)):
        # "Who did Iga Swiatek beat?": "she" is Iga Swiatek, "they" whom she beat
        return next((n for n, _, _ in _names(subject.group(1))), None)
    if asks_who:
        given = [n for n in found if _named_in([n[0]], turn.question) is None]
        acting = [n for n in given if _SUBJECT_VERB.match(turn.answer, n[2])]
        return next((name for name, _, _ in acting or given), None)
    return _named_in(names, turn.question) or next(iter(names), None)


def _names(text: str, plural: bool = False) -> list[tuple[str, int, int]]:
    """(name, start, end) of each capitalised run of `text`, without the question or
    chat words that open it ("Did Biden" -> "Biden"); an abbreviated title belongs to
    the name ("Dr. Oz"). A run opening with "The" or "A" names no one person ("The
    United States"), but may name those a "they" stands for: with `plural`, it counts
    without its article ("The Colorado Avalanche" -> "Colorado Avalanche").

    >>> text = "Who is Dr. Oz? The Colorado Avalanche won. Did Biden go?"
    >>> [n for n, _, _ in _names(text)], [n for n, _, _ in _names(text, plural=True)]
    (['Dr. Oz', 'Biden'], ['Dr. Oz', 'Colorado Avalanche', 'Biden'])

    Inside a sentence such a word opens no question: it is the name's ("Will Smith").

    >>> [n for n, _, _ in _names("What did Will Smith say? Will he go?")]
    ['Will Smith']
    """
    out = []
    for m in _NAME.finditer(text):
        start = m.start()
        opens = _OPENS.search(text, max(0, start - 8), start) is not None  # ^: text's start
        for word in m.group(1).split():
            if word not in _STARTERS or (not opens and word not in _ARTICLES):
                break
            if word in _ARTICLES and not plural:
                start = m.end()
                break
            start = text.index(word, start) + len(word)
            start += len(text[start:]) - len(text[start:].lstrip())
        if start < m.end():
            out.append((text[start : m.end()], start, m.end()))
    return out


def _role_of(text: str, end: int) -> str:
    """The role a name possesses where `text` gives one right after it ("'s prime
    minister" in "Why did Sri Lanka's prime minister resign?"), else "".

    >>> q = "Why did Sri Lanka's prime minister resign?"
    >>> _role_of(q, q.index("'")), _role_of("What is Biden's plan?", 14)
    ("'s prime minister", '')
    """
    m = _POSSESSED.match(text, end)
    if m is None:
        return ""
    words = m.group(2).split()
    for n in range(len(words), 0, -1):
        if _is_role(words[n - 1]):
            if words[n : n + 1] == ["of"] and n + 1 < len(words):
                n += 2  # "chief of staff", "secretary of state"
            return f"{m.group(1)} {' '.join(words[:n])}"
    return ""


def _is_role(word: str) -> bool:
    return any(w in _ROLES for w in (word, word.removesuffix("s"), word.removesuffix("es")))


def _may_name(text: str, found: tuple[str, int, int]) -> bool:
    """Whether a capitalised run of `text` may name a person: two words or more, or one
    inside a sentence that a verb follows; not a day or a month.

    >>> text = "Next week. Having met Qin Gang, the Chinese envoy, Blinken said so."
    >>> [n[0] for n in _names(text) if _may_name(text, n)]
    ['Qin Gang', 'Blinken']
    """
    name, start, end = found
    if " " in name:
        return True
    if names_a_day(name):
        return False
    before = text[:start].rstrip()
    if not before or before[-1] in '.!?:“"(':
        return False  # one word opening a sentence: "Next week.", "Having postponed ..."
    # one word inside a sentence names a person where a verb follows it ("Blinken is
    # set", "Qin said"), not where a noun does ("Chinese spy balloon")
    return _SUBJECT_VERB.match(text, end) is not None


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
