"""The patterns of reported speech, built from the lexicon: names, noun phrases, cues."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

from qa.speech.lexicon import (
    DOCUMENTS,
    GROUP_HEADS,
    INVERTING,
    OBJECT_TAKING,
    PARTICIPLE_OPENERS,
    PERSON_HEADS,
    PHRASES,
    SPEECH_LEMMAS,
    alternation,
    forms,
)


class _LazyPattern:
    """A regex compiled on first use: compiling this module's patterns at import cost
    120-180 ms, paid by every `newsdesk` command, `newsdesk list` too.

    >>> word = _LazyPattern(r"\\w+")
    >>> word.compiled is None, word.search("  said ").group(), word.compiled is not None
    (True, 'said', True)
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self.compiled: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        # two threads may both compile; either result is the same pattern
        if self.compiled is None:
            self.compiled = re.compile(self.pattern, self.flags)
        return self.compiled

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self._get().search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self._get().match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self._get().fullmatch(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self._get().finditer(text, pos, endpos)

    def sub(self, repl: str, text: str, count: int = 0) -> str:
        return self._get().sub(repl, text, count)


SP = r"[^\S\n]+"  # whitespace that never crosses a paragraph


_UP = "A-ZÀ-ÖØ-Þ"


_ABBREV = r"(?:Jr|Sr|Sen|Rep|Gov|Dr|Mr|Mrs|Ms|Gen|Lt|Col|St|Prof|Rev|Sgt|Capt|Adm|Inc|Corp|Co|Lt)\."


# One capitalised word of a name: initials ("U.S.", "J."), abbreviations, or a
# word that may hold a hyphen or an inner apostrophe (O'Brien) but no "'s".
_TOKEN = (
    rf"(?:{_ABBREV}|(?:[{_UP}]\.)+|[{_UP}][\w\-]*(?:[’'](?!(?:s|re|m|ll|ve|d|t)\b)[\w\-]+)*)(?!\w)"
)


_PARTICLE = r"(?:de|da|di|du|van|von|der|den|del|della|la|le|bin|al|el|dos|das|ter|ten)"


RUN = rf"{_TOKEN}(?:{SP}(?:{_PARTICLE}{SP})*{_TOKEN}){{0,6}}"


_PLAIN = SPEECH_LEMMAS - OBJECT_TAKING


_VERBS = (
    alternation([*forms(_PLAIN), "say", *PHRASES, "believes", "estimated"])
    + "|"
    # speech only before a quote, a clause or the end, not before an object
    + rf"(?:{alternation(forms(OBJECT_TAKING))})"
    rf"(?=[^\S\n]*(?:[.,;:“\"—–]|$)|{SP}(?:that|how|when|in|on|at|during|later|after|while|"
    rf"being|the{SP}day|he|she|they)\b|{SP}[A-Z])"
)


_INVERTED_VERBS = alternation(forms(INVERTING))


_ADVERBS = (
    "also|later|previously|then|has|had|have|once|recently|earlier|further|publicly|"
    "repeatedly|separately|again|simply|only|even|still|often|privately|reportedly|initially|"
    "first|last|will|would|has long|had long|subsequently|quickly|immediately|flatly|"
    "emphatically|bluntly|[a-z]+ly"
)


_FAMILIAR = (
    rf"(?:{SP}(?:familiar{SP}with|briefed{SP}on|close{SP}to|with{SP}knowledge{SP}of)"
    rf"(?:{SP}[\w’'\-]+){{1,4}}|{SP}(?:for|of|at){SP}(?:the{SP})?{RUN})?"
)


# words that never modify a speaker noun ("If you are a woman, ... say" is no speaker)
_NOT_MODIFIER = (
    r"(?i:and|or|but|if|when|while|as|so|because|is|are|was|were|be|been|has|have|had|to|of|in|"
    r"on|at|for|with|by|from|that|which|who|you|we|i|they|he|she|it|not|do|does|did|will|"
    r"would|can|could|should|may|might|say|says|said|told|this|these|those|after|before|since|"
    r"until|just|also|then|than|where|there|here|about|into|over|under|between|among|during|"
    r"without|within|what|how|why)\b"
)


_ORG_NP = (
    rf"(?:(?:the|a|an|The|A|An|two|three|several|some|many|other|Two|Three|Several|Some|Many|"
    rf"Other|One|one){SP})?(?:(?!{_NOT_MODIFIER})(?:{_TOKEN}|[a-z][\w\-]*)(?:[’']s)?{SP}){{0,4}}"
    rf"(?:{PERSON_HEADS}|{GROUP_HEADS})\b{_FAMILIAR}"
)


_POSSESSED_DOC = rf"[’']s{SP}(?:{DOCUMENTS})\b"


VERB_RE = _LazyPattern(rf"(?<![\w’'\-])(?:{_VERBS})\b")


ADVERB_WORDS = frozenset(w for w in _ADVERBS.split("|") if " " not in w and "[" not in w)


NAME_END_RE = _LazyPattern(rf"(?<![\w’'.\-])(?:(?:the|The){SP})?{RUN}$")


HEAD_SUFFIX_RE = _LazyPattern(
    rf"(?<![\w’'\-])(?P<head>[a-z]+)(?:{SP}(?:familiar{SP}with|briefed{SP}on|close{SP}to|"
    rf"with{SP}knowledge{SP}of)(?:{SP}[\w’'\-]+){{1,4}}|{SP}(?:for|of|at){SP}(?:the{SP})?"
    rf"{RUN})$"
)


MODIFIER_RE = _LazyPattern(rf"(?:{_TOKEN}|[a-z][\w\-]*)(?:[’']s)?")


DETERMINERS = frozenset(
    "the a an two three several some many other one The A An Two Three Several Some Many "
    "Other One".split()
)


LAST_WORD_RE = _LazyPattern(r"(?<![^\s(\[“”\"—–])[^\s(\[“”\"—–]+$")


WORD_RE = _LazyPattern(r"[^\s(\[“”\"—–]+")


OWNED_DOCUMENT_RE = _LazyPattern(rf"[’']s{SP}(?:{DOCUMENTS})$")


NOT_APPOSITIVE = frozenset("and but or if so because when while then say though".split())


HEAD_WORDS = frozenset(f"{PERSON_HEADS}|{GROUP_HEADS}".split("|"))


NOT_MODIFIER_WORDS = frozenset(_NOT_MODIFIER.removeprefix("(?i:").split(")")[0].split("|"))


INVERTED_RE = _LazyPattern(
    rf"(?:[,”\"][^\S\n]*(?:{_INVERTED_VERBS})|[”\"][^\S\n]*[–—-]{{1,2}}){SP}(?:(?P<iname>(?:(?:the|a|an){SP})?"
    rf"(?:(?:[a-z][\w\-]*|{_TOKEN})(?:[’']s)?{SP}){{0,4}}?{RUN})|(?P<iorg>{_ORG_NP}))"
    # the speaker ends there: "said Smith gave police" is reported speech by someone else
    rf"(?=[^\S\n]*[,.;:!?()—–”\"]|$|{SP}(?:in|on|at|during|after|before|of|from|last|this|while|when|"
    rf"who|told|to|via|about|for|with)\b)"
)


PARTICIPLE_RE = _LazyPattern(
    rf",{SP}(?:{alternation(PARTICIPLE_OPENERS)})\b|"
    rf",?{SP}(?:and|but){SP}(?:also{SP})?(?:{alternation(forms(third=False))})\b"
)


LEAD_SUBJECT_RE = _LazyPattern(
    rf"^[^\w“\"]*(?:(?P<pron>He|She|They|It)|(?P<org>{_ORG_NP})){SP}[a-z]"
)


NAME_THEN_VERB_RE = _LazyPattern(
    rf"(?<![\w’'.\-])(?P<name>{RUN})(?:,[^,“”\"\n]{{1,80}},)?{SP}(?!of\b|and\b|or\b)[a-z]"
)


ACCORDING_RE = _LazyPattern(
    rf"\b[Aa]ccording{SP}to{SP}(?P<acc>[^,;:“”\"\n()]+?)"
    rf"(?=[,;:“”\"\n()]|(?<![A-Z])\.(?:\s|$)|$|"
    rf"{SP}(?:which|who|that|in|on|at|during|last|this|earlier|when)\b)"
)


NAME_RE = _LazyPattern(RUN)


CUE_RE = _LazyPattern(
    rf"\b(?:{_VERBS}|{_INVERTED_VERBS}|[Aa]ccording|{alternation(PARTICIPLE_OPENERS)})\b|"
    r"[”\"][^\S\n]*[–—-]"
)


DOCUMENT_RE = _LazyPattern(rf"\b(?:{DOCUMENTS})\b")


HEAD_RE = _LazyPattern(rf"\b(?:{PERSON_HEADS}|{GROUP_HEADS})\b")


DESCRIBED_NAME_RE = _LazyPattern(
    rf"^(?:(?:the|a|an){SP})?(?:(?:[a-z][\w\-]*|{_TOKEN}){SP}){{0,3}}[a-z][\w\-]*{SP}"
    rf"(?P<name>{RUN})$"
)


SPEAKER_PREFIX_RE = _LazyPattern(
    rf"(?P<org>{_ORG_NP})|(?P<name>(?:the{SP})?{RUN}(?:{SP}(?:of|for){SP}(?:the{SP})?{RUN})*)"
)


# "the Centers for Disease Control and Prevention": an organisation's name with its joins
ORG_CHAIN_RE = _LazyPattern(
    rf"(?P<lead>{RUN}){SP}(?:(?:for|of|and|&){SP}(?:the{SP})?{RUN}{SP})*"
    rf"(?:for|of|and|&)(?:{SP}the)?$"
)


ORG_LEADS = frozenset(
    "Centers Center Department Ministry University Bank Institute Office Council Association "
    "Bureau Board Commission Committee Agency League Society Court Federation Union "
    "Organization School College Academy Museum Foundation Coalition Alliance Party House "
    "Church Fund Service Administration Authority Centre Centres Institutes Division Corps "
    "Secretariat Chamber Bureau Conference Court Courts Department Departments".split()
)


ENDING_NAME_RE = _LazyPattern(rf"(?:(?:the|The){SP})?{RUN}$")


PREPOSITIONS = frozenset("of for with to by from at about against on in into over than".split())


LEADING_WORDS_RE = _LazyPattern(r"^(?:(?:and|but|as|while|that|because|so|or|yet)\s+)+", re.I)


CONJUNCTION_END_RE = _LazyPattern(r"(?:^|\s)(?:and|but|that|so|or|yet)$", re.IGNORECASE)


# a subject after these heads a subordinate clause ("When a reporter asked him, he
# replied: ..."), so it ranks with a sentence's opening subject, below the main clause's
SUBORDINATOR_END_RE = _LazyPattern(
    r"(?:^|\s)(?:as|while|because|when|after|before|since|if|although|though|until|where|once)$",
    re.IGNORECASE,
)


STOP_WORDS = frozenset(
    "The A An In On At As But And Or So If When While After Before Since Until During Despite "
    "Although Though Because Meanwhile However Yet Still Then Now Today Tonight Yesterday "
    "Tomorrow Last Next This That These Those Also Even Only Just Both Some Many Most All Other "
    "Another Such Its His Her Their Our My Your We I He She They It You For From With Without "
    "By Of To Under Over Like Unlike What Who Why How Where Here There Asked Speaking According "
    "Earlier Later Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February "
    "March April August September October November December Mr. Mrs. Ms. Dr. Former Late".split()
)


# a weekday that a capitalised run may end on ("landed in Taiwan Tuesday"): never part of
# the name before it (months are: "Jack August, Jr.", "Theresa May")
WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())


ORG_WORDS = frozenset(
    "Department Ministry House Office Agency Administration Council Commission Committee Court "
    "Police Service Services Bureau Pentagon Kremlin Government Party Company Corporation Corp. "
    "Inc. Co. Group Association Institute University Foundation Organization Organisation Union "
    "Embassy Army Navy Force Guard Board Authority Network News Times Post Journal Reuters Fed "
    "Center Centre Bank Fund Senate Congress Parliament Command Democrats Republicans Vatican "
    "Ltd LLC Airlines Motors Club League Federation Team Cabinet Assembly Coalition Alliance "
    "Media Press Studios Entertainment Labs Technologies Systems Court Tribunal Ministry "
    "Industries Holdings Partners Capital Prosecutors Officials Forces Agency Caucus Conference "
    "Delegation Campaign Department Administration Foundation Hospital School Schools Church "
    "Council Trust Society Museum Zoo Lab Laboratory Laboratories Review Magazine Network "
    "Airport District County City State Republic Kingdom Committee Agencies Archive Archives "
    "Library Project Program Programme Initiative Watch Division Corps Chamber".split()
)


PLACE_STARTS = frozenset(
    "New North South East West Los Las San Santa Hong Saudi United Sri El Costa Puerto Sierra "
    "Buenos Rio Sao São Kuala Abu Cape Fort St. Port Palm Salt Baton Des Upper Lower".split()
)


THINGS = frozenset("Hurricane Cyclone Storm Typhoon Tropical Post-Tropical".split())


CLAUSE_PRONOUN_RE = _LazyPattern(
    rf"\b(?:that|when|after|because|since|while|before|once){SP}(?:he|she){SP}"
    rf"(?:(?:{_ADVERBS}){SP}){{0,2}}(?:{_VERBS})\b"
)


PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "group"}


OPENING = "“"


CLOSING = "”"
