"""Several questions in one message: each answered on its own, the answers joined.

"When is Blinken visiting? And who is Qin Gang?" asks two things. Answered as one
question, its sentences compete for one answer and the second question's answer can
lose to the first's; answered one at a time, each gets its own evidence, its own
abstention and its own citations. A later question is asked with the earlier ones as
its history, so "And what will he discuss?" is resolved against the question before it
as a follow-up is (qa/questions/followup.py). Sentences before the first question
("Blinken flies to Beijing next week. Who will he meet?") are its context, not a
question of their own.

"What did Kritenbrink and Campbell say about Taiwan?" asks two things too: what each of
them said. Answered as one question, the sentences of one speaker outscore the other's
and the answer quotes one of them; `speakers_apart` asks it once per speaker, and reads a
comparison ("Compare what Kritenbrink and Campbell said", "How did Kritenbrink's view
differ from Campbell's?") the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qa.extractive.compose import ABSTAIN_TEXT, restates
from qa.questions.requests import direct_question
from qa.records import Answer, Citation
from qa.speech.question import PRONOUNS, parse_said_question

MAX_PARTS = 3  # more questions than this in one message are answered as one
# a question ends at "?" followed by the next sentence; a "?" inside a quotation
# ("What did he mean by “Why now?”") is followed by the closing mark, not a space, and
# one before a parenthesis ("What did he say? (When ...?)") is followed by an aside
_AFTER_QUESTION = re.compile(r"(?<=\?)\s+(?=[\w“\"‘'])")
# "What did Kritenbrink say, and what did Campbell say?": a second question joined by
# "and", a question word and its verb; never "Where and when will ..."
_AND_QUESTION = re.compile(
    r"(?<=\w)[,;]?\s+and\s+(?=(?:what|who|whom|when|where|why|how|which)\s+(?:did|does|do|is|"
    r"are|was|were|will|would|has|have|had|can|could|should)\s)",
    re.IGNORECASE,
)
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
    return [p for part in [*parts, " ".join(held)] if part for p in _questions_joined(part)]


def _questions_joined(piece: str) -> list[str]:
    """`piece` cut where "and" joins a second question to a first of three words or more.

    >>> _questions_joined("What did Kritenbrink say, and what did Campbell say?")
    ['What did Kritenbrink say?', 'what did Campbell say?']
    >>> _questions_joined("Where and when will the funeral be held?")
    ['Where and when will the funeral be held?']
    """
    found = _AND_QUESTION.search(piece)
    if found is None or len(piece[: found.start()].split()) < 3:
        return [piece]
    first = piece[: found.start()].rstrip()
    return [first if first.endswith("?") else f"{first}?", *_questions_joined(piece[found.end() :])]


@dataclass(frozen=True)
class SpeakersApart:
    """A question about several speakers' words, asked once per speaker. `joined` is
    how it names them together ("Kritenbrink and Campbell"): where the articles write
    that too ("Pfizer and BioNTech", "Procter and Gamble"), it is one speaker."""

    joined: str
    questions: list[str]


# "compare what A and B said (about X)": what did A and B say (about X)?
_COMPARE_WHAT = re.compile(
    r"^(?:compare|contrast)\s+what\s+(?P<speakers>.+?)\s+(?:have\s+)?(?:said|say|says|think|"
    r"thought|believe|believed)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_STANCES = r"(?:views?|positions?|stances?|takes?|remarks|comments|statements|messages?)"
# "compare the views of A and B on X"
_COMPARE_VIEWS = re.compile(
    rf"^(?:compare|contrast)\s+(?:the\s+)?{_STANCES}\s+of\s+(?P<speakers>.+?)"
    r"(?P<rest>\s+(?:on|about|regarding|over)\s+.+)?$",
    re.IGNORECASE,
)
# "how did A's view differ from B's (on X)?", "how does A's position compare with B's?"
_DIFFER_FROM = re.compile(
    rf"^how\s+(?:did|does|do)\s+(?P<a>.+?)['’]s?\s+{_STANCES}\s+(?:differ|compare)\s+"
    r"(?:from|to|with)\s+(?:that\s+of\s+|those\s+of\s+)?(?P<b>.+?)(?:['’]s?)?"
    r"(?P<rest>\s+(?:on|about|regarding|over)\s+.+)?$",
    re.IGNORECASE,
)
# "how do A and B differ on X?", "where do A and B disagree?", "do A and B agree on X?"
_DIFFER = re.compile(
    r"^(?:(?:how|where|why)\s+)?(?:do|did|does)\s+(?P<speakers>.+?\s+and\s+.+?)\s+"
    r"(?:differ|disagree|agree)(?P<rest>\s+(?:on|about|regarding|over)\s+.+)?$",
    re.IGNORECASE,
)
# what comes before the speakers in a question about their words: "what did (the)",
# "what were (the)" (before "A and B's views"); never "why did", "according to"
_BEFORE_SPEAKERS = re.compile(
    r"^(?P<lead>(?:and\s+)?what\s+(?:else\s+)?)(?P<aux>did|does|do|have|has|had|will|would|"
    r"are|were|is|was)\s+(?P<the>the\s+)?$",
    re.IGNORECASE,
)
# what a question about several speakers holds: names joined, or a comparison
_SEVERAL = re.compile(r"\band\b|,|\b(?:differ|compar|contrast|disagree|agree)", re.IGNORECASE)
_ONE_SPEAKER_AUX = {"do": "does", "have": "has", "are": "is", "were": "was"}
_CONJUNCTS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+", re.IGNORECASE)
_DETERMINED = re.compile(
    r"^(?:a|an|this|that|these|those|some|all|both|other|their|his|her)\s", re.I
)


def speakers_apart(question: str) -> SpeakersApart | None:
    """The question `question` asks of each speaker it names together, or None when it
    does not ask what two or three named speakers said or think.

    >>> speakers_apart("What did Kritenbrink and Campbell say about Taiwan?").questions
    ['What did Kritenbrink say about Taiwan?', 'What did Campbell say about Taiwan?']
    >>> speakers_apart("Compare what Blinken and Qin said").questions
    ['What did Blinken say?', 'What did Qin say?']
    >>> speakers_apart("Why did Pfizer and BioNTech ask regulators to act?") is None
    True
    """
    if not _SEVERAL.search(question):  # most questions: no reading needed
        return None
    text = direct_question(" ".join(question.split())).rstrip(" ?.!")
    for regex in (_COMPARE_WHAT, _COMPARE_VIEWS, _DIFFER):
        if match := regex.match(text):
            text = f"What did {match.group('speakers')} say{match.group('rest') or ''}"
            break
    else:
        if match := _DIFFER_FROM.match(text):
            text = (
                f"What did {match.group('a')} and {match.group('b')} say{match.group('rest') or ''}"
            )
    said = parse_said_question(f"{text}?")
    if said is None or said.headline:
        return None
    at = text.find(said.speaker)
    before = _BEFORE_SPEAKERS.match(text[: max(at, 0)])
    if at < 0 or before is None:
        return None
    names = _CONJUNCTS.split(said.speaker)
    if not 2 <= len(names) <= MAX_PARTS or not all(map(_a_speaker, names)):
        return None
    after = text[at + len(said.speaker) :]
    aux = before.group("aux")
    if not after.startswith(("'", "’")):  # "what were A and B's views": the views stay
        aux = _ONE_SPEAKER_AUX.get(aux.lower(), aux)
    questions = []
    for i, name in enumerate(names):
        the = (before.group("the") or "") if i == 0 else ""
        asked = f"{before.group('lead')}{aux} {the}{name}{after}?"
        questions.append(asked[:1].upper() + asked[1:])
    return SpeakersApart(said.speaker, questions)


def _a_speaker(name: str) -> bool:
    """Whether `name`, one of several a question names together, may be a speaker: a
    word or a few, not a pronoun ("he and Campbell") or a phrase that counts ("both")."""
    words = name.split()
    return (
        0 < len(words) <= 5
        and name.lower() not in PRONOUNS
        and name[0].isalpha()
        and not _DETERMINED.match(name)
    )


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
