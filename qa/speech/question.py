"""Questions about what someone said: "what did X say about Y?", and who counts as X.

>>> parse_said_question("what did Kritenbrink say about expectations?")
SaidQuestion(speaker='Kritenbrink', topic='expectations')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index import folded
from qa.questions.names import initials, is_acronym, name_stem
from qa.questions.timeframe import names_a_day, without_time_frames
from qa.speech.lexicon import (
    DOCUMENTS,
    NOUNS_IN_QUESTIONS,
    OBJECT_TAKING,
    SPEECH_LEMMAS,
    TITLES,
    alternation,
    forms,
)
from qa.speech.patterns import DOCUMENT_RE, HEAD_RE, PREPOSITIONS
from qa.speech.phrases import speaker_from_name


@dataclass(frozen=True)
class SaidQuestion:
    """A question about what someone said: whose words, and on what (None: anything)."""

    speaker: str
    topic: str | None
    # asked for a view ("what does X want", "what is X's position"), which others may
    # report ("Campbell said Washington has an interest in ..."), not for X's own words;
    # how the question asks, not whose words or what on, so equality leaves it out
    view: bool = field(default=False, repr=False, compare=False)
    # asked as a headline's shorthand, "Qin on chips": its "on" says what about
    headline: bool = field(default=False, repr=False, compare=False)


_LEMMAS = SPEECH_LEMMAS - NOUNS_IN_QUESTIONS
# what a question asks someone's view with, beyond speech ("what did she think of ...")
_VIEW_VERBS = (
    "think thought feel felt believe believed expect expected want wanted describe described "
    "characterize characterized call called react reacted".split()
)
_Q_VERBS = (
    r"(?:been\s+)?(?P<verb>"
    + alternation([*forms(_LEMMAS, base=True, ing=True, participle=True), *_VIEW_VERBS])
    + ")"
)
_Q_VIEW_NOUNS = (
    r"view|views|position|stance|take|opinion|assessment|reaction|response|comment|comments|"
    r"remarks|message|statement|argument|point|explanation|answer|verdict|warning|claim|"
    r"criticism|thinking|outlook|prediction|expectation|expectations|words|quote|objective|"
    r"goal|concern|concerns|explanation|advice|plea|promise|pledge"
)
_Q_LEAD = r"^(?:(?:and|so|then|ok|okay)[,\s]+)?"
# an adverb between the speaker and the verb, no part of the speaker's name: "What did
# John Boehner once call Jim Jordan?". A list of its own, not the attribution's
# ADVERB_WORDS: a question is matched ignoring case, and that list's "will", "still" or
# "even" would cut a name short ("What did Robin Will say?")
_Q_ADVERB = (
    r"(?:also|actually|really|exactly|publicly|privately|once|reportedly|allegedly|"
    r"previously|first|later|ever|recently|initially|originally|famously|repeatedly)"
)
_ASKED_ABOUT_RE = re.compile(
    rf"{_Q_LEAD}(?:what|how|why)(?:\s+(?:else|exactly|specifically|precisely|more))?\s+"
    rf"(?P<aux>did|does|do|has|have|had|is|are|was|were|will|would)\s+(?P<speaker>.+?)\s+"
    rf"(?:{_Q_ADVERB}\s+)?{_Q_VERBS}\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_ASKED_VIEW_RE = re.compile(
    rf"{_Q_LEAD}(?:what|how)\s+(?:is|was|are|were)\s+(?P<speaker>.+?)[’']s?\s+"
    rf"(?:{_Q_VIEW_NOUNS})\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_ASKED_PASSIVE_RE = re.compile(
    rf"{_Q_LEAD}what\s+(?:was|is|has\s+been|have\s+been|were)\s+said\s+by\s+(?P<speaker>.+?)"
    rf"(?P<rest>\s+(?:about|on|regarding|concerning)\s+.+)?$",
    re.IGNORECASE,
)
_ASKED_DID_RE = re.compile(
    rf"{_Q_LEAD}(?:did|does|has|have|had)\s+(?P<speaker>.+?)\s+(?:say|said|mention|mentioned|"
    rf"comment|commented|talk|talked|speak|spoken|spoke|address|addressed)\s+"
    rf"(?:anything\s+|something\s+)?(?P<rest>.*)$",
    re.IGNORECASE,
)
_ACCORDING_FIRST_RE = re.compile(
    rf"{_Q_LEAD}according\s+to\s+(?P<speaker>[^,]+?),\s*(?P<rest>.+)$", re.IGNORECASE
)
_ACCORDING_LAST_RE = re.compile(r"^(?P<rest>.+?),?\s+according\s+to\s+(?P<speaker>.+)$", re.I)
_AUDIENCE_RE = re.compile(
    r"^\s*(?:to\s+)?(?:the\s+)?(?:reporters|journalists|press|media|cnn|reuters|congress|"
    r"lawmakers|audience|public|crowd|viewers|supporters|them|us|you|him|her|people|"
    r"in\s+(?:a|the|his|her|their)\s+(?:briefing|call|statement|interview|press conference|"
    r"speech|letter|post|tweet)|(?:during|at)\s+(?:a|the)\s+(?:briefing|call|press conference))"
    r"\b\s*",
    re.IGNORECASE,
)
_TOPIC_LEAD_RE = re.compile(
    r"^\s*(?:about|on|regarding|concerning|of|over|to|with regard to|in regard to|as to|re|"
    r"that|for|when asked about)\b\s*",
    re.IGNORECASE,
)
_WH_LEAD_RE = re.compile(
    r"^\s*(?:what|who|how|why|when|where|which)\s+(?:is|was|are|were|will|would|did|does|do|"
    r"has|have|can|should)?\s*",
    re.IGNORECASE,
)
# "the readout quoted Qin as saying", "the ministry cited Wang as telling": a document or
# organisation reports a person's words, and the person is the speaker
_REPORTED_RE = re.compile(
    r"\b(?:quot(?:e|es|ed|ing)|cit(?:e|es|ed|ing)|report(?:s|ed)?|paraphras(?:e|es|ed))\s+"
    r"(?P<person>.+?)(?:\s+as)?$",
    re.IGNORECASE,
)
# "what is Qin quoted as saying": the passive form, the person first
_REPORTED_PASSIVE_RE = re.compile(
    r"^(?P<person>.+?)\s+(?:quoted|cited|reported|paraphrased)(?:\s+as)?$", re.IGNORECASE
)
# "according to the ministry, Qin said ...": the words are the named person's
_PERSON_SAID_RE = re.compile(
    r"^(?:what\s+|how\s+)?(?:did\s+|does\s+)?(?P<person>(?:[A-Z][\w.’'\-]*\s+){0,3}[A-Z][\w.’'\-]*)\s+"
    rf"(?:{alternation(forms(_LEMMAS, base=True))})\b"
    r"(?P<rest>.*)$"
)
_TRAILING_SOURCE_RE = re.compile(
    r",?\s+(?:according\s+to|in|as\s+reported\s+(?:by|in))\s+(?:the\s+|a\s+)?[^,]*?"
    r"\b(?:readout|statement|report|transcript|release|briefing|interview|account|summary|"
    r"ministry|department|agency|office|spokesman|spokeswoman|spokesperson)\b.*$",
    re.IGNORECASE,
)
# "according to a new estimate ...", "the latest report by ...": a document comes first,
# in lower case ("according to the Post" names a newspaper)
_DOCUMENT_LEAD_RE = re.compile(
    r"(?i:(?:a|an|the|its|their|his|her|this|that|new|latest|recent|official|joint|"
    r"written|annual|weekly|monthly)\s+)*(?:"
    + DOCUMENTS
    + r"|estimate|statements|reports|studies|surveys|polls)\b"
)
# ... and its issuer, a name: "from the Treasury", "by Moody's", "of the CDC"
_ISSUER_RE = re.compile(r"\b(?:from|by|of)\s+(?P<issuer>(?:the\s+)?[A-Z].*)$")
# "Kritenbrink on expectations", "Yellen's remarks about inflation": a reader's shorthand,
# as headlines write it, for what the person said of it; the name in capitalised words
_HEADLINE_RE = re.compile(
    r"^(?:[Tt]he\s+)?(?P<speaker>(?:[A-Z][\w.’'\-]*\s+){0,3}[A-Z][\w.’'\-]*?)"
    rf"(?:[’']s?\s+(?i:{_Q_VIEW_NOUNS}))?\s+(?:on|about)\s+(?P<rest>\S.*)$"
)
# capitalised words that open a question or a sentence, not a name
_NOT_HEADLINE_WORDS = frozenset(
    "What Who Whom Whose How Why When Where Which Is Are Was Were Did Does Do Has Have Had "
    "Will Would Can Could Should May Might Must Tell Show Give Find Explain Describe Any More "
    "News Updates Anything Something Everything Nothing The A An This That These Those I We "
    "You He She They It Please".split()
)
_SENTENCE_BREAK = re.compile(r"[?!;]\s")  # not ". ": "Dr. Fauci on masks"
# a question after the news it opens with: "Apple on Monday released iOS 16. Which ...?"
_QUESTION_SENTENCE = re.compile(r"[.?!]\s+(?:what|which|who|whom|whose|when|where|why|how)\b", re.I)
_NOT_SPEAKERS = frozenset({"you", "i", "we", "me", "us", "this", "that", "there", "the article"})
_SPEECH_VERBS = frozenset(forms(_LEMMAS, base=True, ing=True, participle=True))
# a speaker a question names by a pronoun, for the caller to resolve from the conversation
PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them"})


def parse_said_question(question: str) -> SaidQuestion | None:
    """Whose words a question asks for, and about what; None for other questions.

    Pronoun speakers come back as written, for the caller to resolve from history.

    >>> parse_said_question("what did Kritenbrink say about expectations?")
    SaidQuestion(speaker='Kritenbrink', topic='expectations')
    >>> parse_said_question("What did Daniel Kritenbrink tell reporters?")
    SaidQuestion(speaker='Daniel Kritenbrink', topic=None)
    >>> parse_said_question("what is the population of Beijing?") is None
    True
    >>> parse_said_question("Kurt Campbell on lines of communication")
    SaidQuestion(speaker='Kurt Campbell', topic='lines of communication')
    >>> parse_said_question("What did Bill Ogden, a lawyer for the Sandy Hook parents, say?")
    SaidQuestion(speaker='Bill Ogden', topic=None)
    """
    text = " ".join(question.split()).rstrip(" ?.!")
    said = _parse_said(text)
    if said is None and (asking := _asking_sentence(text)) != text:
        # news before the question ("I'm writing about the trip. What did X say ...?"):
        # the question sentence says whose words are asked for, where it names them
        # ("Biden made a declaration. What did he say?" stays a question of fact)
        said = _parse_said(asking)
        if said is not None and said.speaker.lower() in PRONOUNS:
            return None
    return said


def _asking_sentence(text: str) -> str:
    """The last sentence of `text`, where it opens with a question word; else `text`.

    >>> _asking_sentence("I cover the trip. What did Kritenbrink say")
    'What did Kritenbrink say'
    >>> _asking_sentence("Dr. Fauci on masks")
    'Dr. Fauci on masks'
    """
    found = _QUESTION_SENTENCE.search(text)
    while found is not None and (later := _QUESTION_SENTENCE.search(text, found.end())):
        found = later
    return text if found is None else text[found.start() + 1 :].strip()


def _parse_said(text: str) -> SaidQuestion | None:
    """`parse_said_question` of one sentence, stripped of its final mark."""
    for regex in (_ASKED_VIEW_RE, _ASKED_PASSIVE_RE, _ASKED_ABOUT_RE, _ASKED_DID_RE):
        match = regex.match(text)
        if match and regex is _ASKED_ABOUT_RE and not _plausible_verb(match):
            continue
        if match and regex is _ASKED_ABOUT_RE and _takes_object(match):
            continue
        if match:
            speaker = _clean_asked_speaker(_reported_person(match.group("speaker")))
            if speaker and (regex is not _ASKED_ABOUT_RE or _plausible_speaker(speaker, match)):
                rest = match.group("rest") or ""
                if "verb" in match.groupdict() and match.group("verb").lower().startswith("tel"):
                    # "tell Blinken about Taiwan": whoever was told is not the topic
                    told = re.search(r"\b(?:about|on|regarding|concerning)\s+(.+)$", rest)
                    rest = told.group(1) if told else ""
                verb = match.groupdict().get("verb") or ""
                view = regex is _ASKED_VIEW_RE or verb.lower() in _VIEW_VERBS
                return SaidQuestion(speaker, _clean_topic(rest), view)
    for regex in (_ACCORDING_FIRST_RE, _ACCORDING_LAST_RE):
        match = regex.match(text)
        if match:
            speaker = _clean_asked_speaker(match.group("speaker"))
            rest = match.group("rest")
            person = _PERSON_SAID_RE.match(rest)
            if person and _clean_asked_speaker(person.group("person")):
                # "according to the readout, what did Qin say about ...": Qin's words
                speaker, rest = _clean_asked_speaker(person.group("person")), person.group("rest")
            if speaker:
                rest = _WH_LEAD_RE.sub("", rest, count=1)
                return SaidQuestion(speaker, _clean_topic(rest))
    headline = _headline(text)
    if headline is not None:
        speaker = _clean_asked_speaker(headline.group("speaker"))
        if speaker:
            return SaidQuestion(speaker, _clean_topic(headline.group("rest")), headline=True)
    return None


def _headline(text: str) -> re.Match[str] | None:
    """The headline reading of `text`: no question after it, no other clause, and no
    day after "on" ("President Biden on Wednesday announced ... . How much ...?" is a
    question of fact with its news first); "Becerra on who controls the timeline" is one.

    >>> _headline("Apple on Monday released iOS 16. Which feature did it add?") is None
    True
    """
    found = _HEADLINE_RE.match(text)
    if found is None or _NOT_HEADLINE_WORDS.intersection(found.group("speaker").split()):
        return None
    if _SENTENCE_BREAK.search(text) or _QUESTION_SENTENCE.search(text):
        return None
    first = found.group("rest").split()[0].strip(",")
    return None if names_a_day(first) else found


def _reported_person(phrase: str) -> str:
    """The person whose words a reporting phrase carries, else the phrase itself.

    >>> _reported_person("the Chinese foreign ministry's readout quote Qin as")
    'Qin'
    >>> _reported_person("Daniel Kritenbrink")
    'Daniel Kritenbrink'
    >>> _reported_person("Kritenbrink quoted as")
    'Kritenbrink'
    """
    match = _REPORTED_PASSIVE_RE.match(phrase) or _REPORTED_RE.search(phrase)
    if match is None:
        return phrase
    person = match.group("person").strip()
    return person if any(w[:1].isupper() for w in person.split()) else phrase


def _plausible_verb(match: re.Match[str]) -> bool:
    """ "What is X saying" asks for words; "what is the price expected to be" does not."""
    return match.group("aux").lower() not in ("is", "are", "was", "were") or match.group(
        "verb"
    ).lower().endswith("ing")


_OBJECT_TAKING_FORMS = frozenset(forms(OBJECT_TAKING, base=True, ing=True, participle=True))
# what follows such a verb when it reports speech: a subject, a clause, or nothing
_SPEECH_AFTER = re.compile(r"(?:about|on|regarding|concerning|of|that)\b", re.I)


def _takes_object(match: re.Match[str]) -> bool:
    """Whether the question's verb takes an object rather than reports words: "Why did
    Kia recall 126,747 vehicles?" and "What did the chain add to its menu?" ask about a
    recall and a menu, "What did Ortiz recall about the eviction?" for her words.

    >>> _takes_object(_ASKED_ABOUT_RE.match("Why did Kia recall 126,747 vehicles"))
    True
    >>> _takes_object(_ASKED_ABOUT_RE.match("What did Ortiz recall about the eviction"))
    False
    """
    if match.group("verb").lower() not in _OBJECT_TAKING_FORMS:
        return False
    rest = without_time_frames(match.group("rest") or "")  # "add this week": nothing
    return bool(rest) and not _SPEECH_AFTER.match(rest)


def _plausible_speaker(speaker: str, match: re.Match[str]) -> bool:
    """Verbs of thinking or reacting ("how did markets react") take only a speaker that
    looks like one: a name, a pronoun or a noun such as "officials"."""
    if match.group("verb").lower() in _SPEECH_VERBS:
        return True
    return (
        speaker.lower() in PRONOUNS
        or any(w[:1].isupper() for w in speaker.split())
        or HEAD_RE.search(speaker.lower()) is not None
    )


# what a clause holds and a name does not: an auxiliary, a comparison, "to" before a verb
_NOT_A_SUBJECT = re.compile(
    r"\b(?:had|has|have|did|does|was|were|will|would|could|should|might|must|than)\b|"
    r"\bto\s+(?!(?:the|a|an|his|her|its|their)\b)[a-z]|"
    r"\bto$"  # "Trump appeal the order for Pence to (testify)": the verb an infinitive
)


# words no speaker's name holds, unless written as an acronym ("the WHO")
_NOT_NAMING = re.compile(r"\b(?:what|who|how|why|when|where|which|not|n't)\b", re.I)


def _clean_asked_speaker(phrase: str) -> str | None:
    phrase = re.sub(r"[’']s?$", "", phrase.strip(" ,"))
    named = _NAME_THEN_APPOSITIVE.match(phrase)
    if named is not None:
        # "Bill Ogden, a lawyer for the parents": the name is who the articles quote
        phrase = named.group("name")
    if _DOCUMENT_LEAD_RE.match(phrase):
        # "a statement this week from the Treasury": the Treasury's words; "a new
        # estimate out this week" or "a statement from its administration" names no one
        # the articles could quote, so the question asks for the fact, not for words
        issuer = _ISSUER_RE.search(phrase)
        if issuer is None:
            return None
        phrase = issuer.group("issuer")
    if re.match(r"the\s+[A-Z]", phrase):
        phrase = phrase[4:].lstrip()
    words = phrase.split()
    acronym = len(phrase) > 1 and phrase.isupper()  # "the US", "the WHO": not "us", "who"
    if not words or len(words) > 8 or (phrase.lower() in _NOT_SPEAKERS and not acronym):
        return None
    if DOCUMENT_RE.fullmatch(words[-1].lower()):
        return None  # "what did the report say": no one to attribute sentences to
    if any(not (len(w) > 1 and w.isupper()) for w in _NOT_NAMING.findall(phrase)):
        return None
    if _NOT_A_SUBJECT.search(phrase):
        return None  # "$3 gas arrive earlier than AAA had", "the administration extend ... to help"
    return _without_description(phrase)


# a name, then a description set off by a comma: "Bill Ogden, a lawyer for the parents"
_NAME_THEN_APPOSITIVE = re.compile(
    r"(?P<name>(?:[A-Z][\w.’'\-]*\s+){0,3}[A-Z][\w.’'\-]*),\s+(?:a|an|the|who|its|his|her|their)\b.*"
)


def _without_description(speaker: str) -> str:
    """The name a speaker described in the question goes by, as articles name them
    alone after the first mention: "Iran coach Carlos Queiroz" is Carlos Queiroz, "Ohio
    Attorney General Dave Yost" Dave Yost; anyone else as asked.

    >>> _without_description("Sesame Street cast member Alan Muraoka")
    'Alan Muraoka'
    >>> _without_description("Secretary of State Antony Blinken")
    'Antony Blinken'
    >>> _without_description("Brian Dittmeier of the National WIC Association")
    'Brian Dittmeier'
    >>> _without_description("Prime Minister of Canada"), _without_description("U.S. officials")
    ('Prime Minister of Canada', 'U.S. officials')
    """
    words = speaker.split()
    if " of " in speaker:
        head = speaker.split(" of ")[0]
        named = speaker_from_name(head)
        if named is not None and named.kind == "person" and named.name == head and _a_name(head):
            return head  # a name, then whom they speak for
    described = [i for i, word in enumerate(words) if word[:1].islower()]
    if described and described[-1] < len(words) - 1 and not PREPOSITIONS.intersection(words):
        words = words[described[-1] + 1 :]  # the name after "cast member"
    named = speaker_from_name(" ".join(words))
    if named is None or named.kind != "person" or not _a_name(named.name, words=1):
        return speaker  # "Prime Minister of Canada" names no one: "of Canada" is not a name
    return named.name


def _a_name(phrase: str, words: int = 2) -> bool:
    """Whether `phrase` reads as a person's name: `words` words or more, each capitalised
    ("Brian Dittmeier", not "Fiji's minister")."""
    split = phrase.split()
    return len(split) >= words and all(w[:1].isupper() for w in split)


def _clean_topic(rest: str) -> str | None:
    """What a said-question asks about, from the words after its verb: time frames,
    audiences and trailing sources are not a topic.

    >>> _clean_topic(" this week?") is None, _clean_topic(" on Monday about taxes?")
    (True, 'taxes')

    Nor is when it was said, or where: "after the loss" and "on Fox about the case
    before the arrest" ask for words said then and there, on the loss and the case.

    >>> _clean_topic(" after the loss?") is None, _clean_topic(" about Bob McGrath after his death")
    (True, 'Bob McGrath')
    >>> _clean_topic(" on Fox about the case before the arrest was made")
    'the case'
    >>> _clean_topic(" to do?") is None
    True
    """
    rest = _TRAILING_SOURCE_RE.sub("", rest, count=1)
    rest = without_time_frames(rest)
    rest = _AUDIENCE_RE.sub("", rest, count=1)
    venue = _VENUE_RE.match(rest)
    if venue:
        rest = rest[venue.end() :]
    rest = _TOPIC_LEAD_RE.sub("", rest, count=1)
    rest = _CIRCUMSTANCE_RE.sub("", rest, count=1)
    rest = rest.strip(" ,?.!")
    if _DO.fullmatch(rest):
        return None  # "What did McCarthy vow to do?": what, not about what
    return rest or None


# the verb a "to" after a speech verb stands for, no topic: "promise to do"
_DO = re.compile(r"(?:to\s+)?do(?:\s+(?:next|now|about\s+it|so))?", re.IGNORECASE)
# when words were said, not what about: "after the loss", "when the ban was lifted"
CIRCUMSTANCE = r"(?:after|before|when|while|during|following|upon|once)\b"
_CIRCUMSTANCE_RE = re.compile(rf"(?:^|\s+){CIRCUMSTANCE}.*$", re.IGNORECASE)
# where they were said, before what about: "on Fox about ...", "in the interview about ..."
_VENUE_RE = re.compile(r"^\s*(?:on|in|at)\s+[^,]+?\s+about\s+", re.IGNORECASE)


def same_speaker(asked: str, speaker: str) -> bool:
    """Whether the speaker a question names is the speaker found in the text.

    Case and titles do not matter; a single word matches the first or last word of a
    name (surnames, and family names written first: "Qin" is "Qin Gang"); longer
    names must share their last word and have no word the other lacks. A country's
    adjective is its name ("the Chinese foreign ministry" is "China's foreign ministry"),
    and "X of Y" is "Y X" ("the Ministry of Defense", "the Defense Ministry").

    >>> same_speaker("Kritenbrink", "Daniel Kritenbrink")
    True
    >>> same_speaker("Blinken", "Daniel Kritenbrink")
    False
    >>> same_speaker("the IRS", "The Internal Revenue Service")
    True
    >>> same_speaker("the Chinese foreign ministry", "China’s foreign ministry")
    True
    >>> same_speaker("the Russian defense ministry", "the Russian Ministry of Defense")
    True

    A speaker named by titles alone is matched by those words ("police" is "Police",
    "transit police"); a body's official speaks for it ("a White House official" for
    "the White House"), unless a former one.

    >>> same_speaker("police", "transit police"), same_speaker("police", "Sen. Smith")
    (True, False)
    >>> same_speaker("the White House", "a White House official")
    True
    >>> same_speaker("the White House", "a former White House official")
    False
    """
    a, b = speaker_words(asked), speaker_words(speaker)
    if not a or not b:  # titles alone: their own words name them
        a, b = speaker_words(asked, titles=True), speaker_words(speaker, titles=True)
        if not a or not b:
            return False
    if a[0] in PRONOUNS or b[0] in PRONOUNS:
        return a == b
    if _initials_of(asked, b) or _initials_of(speaker, a) or _words_agree(a, b):
        return True
    bodies = _body_of(a, asked), _body_of(b, speaker)
    return bodies != (a, b) and _words_agree(*bodies)


def _words_agree(a: list[str], b: list[str]) -> bool:
    """Whether two speakers' `speaker_words` name one speaker (see `same_speaker`)."""
    if a == b:
        return True
    # "the Ministry of Defense" is also written "the Defense Ministry", "Fiji's minister of
    # defense" "Fiji's defense minister": with "of", the words agree in any order
    turned = "of" in a or "of" in b
    if turned:
        a, b = [w for w in a if w != "of"], [w for w in b if w != "of"]
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if not short:
        return False
    if len(short) == 1:
        return short[0] in (long[0], long[-1])
    same_head = turned or _same_word(short[-1], long[-1])
    return same_head and all(any(_same_word(w, v) for v in long) for w in short)


# how a country's adjective ends: Chinese, Russian, British, Israeli
_ADJECTIVE_ENDINGS = ("ese", "ian", "an", "ish", "i")


def _same_word(a: str, b: str) -> bool:
    """Whether two words of names are one: the same, or a place and its adjective (the
    adjective ends as one does and both start with the place's first four letters, or
    more of a longer place's: "china" and "chinese", "britain" and "british").

    >>> _same_word("china", "chinese"), _same_word("russian", "russia")
    (True, True)
    >>> _same_word("germany", "german"), _same_word("britain", "british")
    (True, True)
    >>> _same_word("state", "statement"), _same_word("department", "departure")
    (False, False)
    """
    return a == b or _adjective_of(a, b) or _adjective_of(b, a)


def _adjective_of(adjective: str, place: str) -> bool:
    return (
        len(place) >= 4
        and adjective.endswith(_ADJECTIVE_ENDINGS)
        and adjective.startswith(name_stem(place))
    )


def _initials_of(name: str, words: list[str]) -> bool:
    """Whether `name` is an acronym (qa/questions/names.py) that the initials of `words`
    hold, linking words left out: the CDC is the (U.S.) Centers for Disease Control and
    Prevention, the IRS the Internal Revenue Service.

    >>> _initials_of("CDC", ["us", "centers", "for", "disease", "control", "and", "prevention"])
    True
    >>> _initials_of("Ice", ["international", "coffee", "exchange"])
    False
    """
    letters = [w for w in name.split() if w.lower() not in ("the", "a", "an")]
    if len(letters) != 1 or not is_acronym(letters[0]) or len(words) < 2:
        return False
    return letters[0].replace(".", "").lower() in initials(words)


def speaker_words(name: str, titles: bool = False) -> list[str]:
    """Lowercase words of a speaker's name, without accents, determiners, titles (kept
    with `titles`) or "'s".

    >>> speaker_words("the U.S. State Department's")
    ['us', 'state', 'department']
    >>> speaker_words("Pedro Sánchez")
    ['pedro', 'sanchez']
    >>> speaker_words("the police"), speaker_words("the police", titles=True)
    ([], ['police'])
    """
    name = re.sub(r"[’']s\b", "", name).replace(".", "")
    words = [w.strip(',;:()"“”') for w in name.split()]
    dropped = _DETERMINERS if titles else _NOT_NAME_WORDS
    return [folded(w) for w in words if w and w.lower() not in dropped]


# a post no longer held: "former CDC director Tom Frieden", "a former White House
# official" speak for no one but themselves (kept out of the modules stored speaker
# labels depend on, attribution.label_sources)
PAST_POST = re.compile(r"\b(former|onetime|one-time|retired|ex-|then-)", re.I)
# who speaks for a body: "a White House official", "Pentagon aides"
_MEMBERS = frozenset("official officials aide aides staffer staffers".split())


def _body_of(words: list[str], name: str) -> list[str]:
    """The body an official of it is named by ("a White House official": white house),
    else `words` as they are; a former official speaks for no one."""
    if len(words) > 1 and words[-1] in _MEMBERS and not PAST_POST.search(name):
        return words[:-1]
    return words


# determiners and titles: not part of the name a speaker is matched by ("State",
# "Foreign", "Defense" are titles' words, but also a department's and a ministry's: the
# defense ministry is not the foreign ministry)
_BODIES = frozenset("State Foreign Defense Defence Interior Treasury Justice Intelligence".split())
_DETERMINERS = frozenset(["the", "a", "an"])
_NOT_NAME_WORDS = _DETERMINERS | frozenset(
    t.lower().rstrip(".") for t in TITLES if t not in _BODIES
)
