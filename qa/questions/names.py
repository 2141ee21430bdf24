"""Names a question asks about that no retrieved article mentions.

"What did Blinken and Xi Jinping agree on?" over articles that never name Xi cannot be
answered from them, however close the best sentence about Blinken scores; the same
goes for "When does Blinken arrive in London?" over articles that only say Britain.
A bi-encoder scores such near misses high, so answers check the names as well: some
word of each capitalised run inside the question (its first word is capitalised anyway,
so it does not count) must appear in the retrieved articles, allowing for inflection
("European" finds "Europe", "Chinese" finds "China") and for accents, which a question
typed in a hurry leaves out ("Sanchez" finds "Sánchez").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache

from index import folded
from qa.questions.timeframe import names_a_day

_TOKEN = re.compile(r"[^\W_][\w.’'-]*")  # a word, whatever its first letter
_SENTENCE_OPENERS = '.?!:;(["“'  # a word after one of these is capitalised anyway
# capitalised words that are not names, wherever they stand
_NOT_NAMES = frozenset(
    "I A An The This That These Those What Which Who Whom Whose When Where Why How Did "
    "Does Do Is Are Was Were Has Have Had Will Would Can Could Should May Might Must "
    "According Mr Mrs Ms Dr".split()
)


def question_names(question: str) -> list[str]:
    """The names in a question: runs of capitalised words, sentence-initial words left out.
    Read once a question (an answer asks twice: for names no article mentions, and for
    the key terms beyond them).

    >>> question_names("What did Blinken and Xi Jinping agree on?")
    ['Blinken', 'Xi Jinping']
    >>> question_names("Approximately how many people left the U.S. for Europe?")
    ['U.S.', 'Europe']
    >>> question_names("What did Apple's 'Pro' iPhones get?")
    ["Apple's", 'Pro']
    """
    return list(_question_names(question))


@lru_cache(maxsize=256)
def _question_names(question: str) -> tuple[str, ...]:
    names: list[str] = []
    run: list[str] = []
    last_end = 0
    for match in _TOKEN.finditer(question):
        word = match.group(0).rstrip(".") if match.group(0).count(".") == 1 else match.group(0)
        # a closing single quotation mark ("Apple's 'Pro' iPhones") or a plural's
        # possessive ("the Joneses' home") is not part of the name
        word = word.rstrip("'’")
        gap = question[last_end : match.start()]
        before = question[: match.start()].rstrip()
        initial = not before or before[-1] in _SENTENCE_OPENERS
        is_name = word[:1].isupper() and word not in _NOT_NAMES and not initial
        if run and (not is_name or gap.strip()):
            names.append(" ".join(run))
            run = []
        if is_name:
            run.append(word)
        last_end = match.end()
    if run:
        names.append(" ".join(run))
    return tuple(names)


def naming_in_full(name: str, texts: Mapping[str, str]) -> set[str]:
    """Of the texts (article id -> title and text), those that write every word of
    `name` as the question writes it: "Who is Rosamund Lewis?" is not answered from a
    story on Jerry Lee Lewis, which holds "Lewis" but never "Rosamund".

    >>> texts = {"who": "Rosamund Lewis of the WHO said", "singer": "Jerry Lee Lewis sang"}
    >>> naming_in_full("Rosamund Lewis", texts), naming_in_full("Kevin Love", texts)
    ({'who'}, set())
    """
    words = _written(name)
    return {k for k, text in texts.items() if all(_holds_word(w, text) for w in words)}


def mentions_person(name: str, sentence: str) -> bool:
    """Whether `sentence` names the person `name`, by the last word of the name as
    news refers back to people ("Lewis added ...").

    >>> mentions_person("Rosamund Lewis", "Lewis added that the risk is low.")
    True
    >>> mentions_person("Kevin Love", "She starred opposite Kevin Kline in De-Lovely.")
    False
    """
    words = _written(name)
    return bool(words) and _holds_word(words[-1], sentence)


_WHO_IS = re.compile(r"^who\s+(?:is|was)\s+(?P<name>.+?)\W*$", re.I)


def person_asked(question: str, speaker: str | None) -> str | None:
    """The person a question is about, named in two words or more: the speaker of a
    "what did X say" question (`speaker`), or the subject of "Who is X?"; None for any
    other question, and for a name of one word, which articles write alone anyway.

    >>> person_asked("Who is Rosamund Lewis?", None), person_asked("Who is Lewis?", None)
    ('Rosamund Lewis', None)
    >>> person_asked("What did Jerry Lee Lewis say?", "Jerry Lee Lewis")
    'Jerry Lee Lewis'
    >>> person_asked("Who is the U.S. ambassador to China?", None) is None
    True
    >>> asked = "What did the Russian defense ministry say?"
    >>> person_asked(asked, "Russian defense ministry") is None  # a body, not a person
    True
    """
    if speaker is not None:
        name = speaker
    else:
        found = _WHO_IS.match(question.strip())
        name = found.group("name") if found else ""
        if name not in question_names(question):
            return None
    words = _written(name)
    capitalised = all(w[:1].isupper() or w.lower() in _PARTICLES for w in words)
    return name if len(words) > 1 and name[:1].isupper() and capitalised else None


# the lower-case words of people's names ("Ursula von der Leyen"): any other lower-case
# word makes a speaker a body, not a person ("the Russian defense ministry", "U.S.
# officials"), whose words no article need write in full
_PARTICLES = frozenset("von van der den de la le da di del dos du al el bin ibn ben".split())


def _written(name: str) -> list[str]:
    """A name's words as the question writes them (case and accents kept), possessives
    left out and hyphens split: what an article naming it in full holds."""
    out: list[str] = []
    for token in name.split():
        token = re.sub(r"['’]s?$", "", token)
        out.extend(part for part in token.split("-") if part)
    return out


def _holds_word(word: str, text: str) -> bool:
    """Whether `text` holds `word` whole: "Love" is not in "Lovely", "Lewis" is in
    "Lewis'" (`_starts_a_word`, with the character after checked too).

    >>> _holds_word("Love", "De-Lovely"), _holds_word("Lewis", "Lewis' album")
    (False, True)
    """
    return _starts_a_word(word, text, whole=True)


# the initials that news writes out, or writes with points, as often as not: a
# question's "US" is an article's "U.S.", "United States" or "American"
_INITIALS: dict[str, tuple[str, ...]] = {
    "us": ("u.s.", "united states", "america"),
    "usa": ("u.s.a.", "united states", "america"),
    "uk": ("u.k.", "united kingdom", "britain", "british"),
    "eu": ("e.u.", "european union"),
    "un": ("u.n.", "united nations"),
}


def unmatched_names(question: str, texts: Iterable[str]) -> list[str]:
    """The question's names of which no word appears in any of `texts`; an acronym is
    also found written out ("IRS": "the Internal Revenue Service"). Months and weekdays
    are left to the time frame (qa/questions/timeframe.py): they are not what is asked.

    >>> unmatched_names("When does Blinken arrive in London?", ["Blinken will visit Britain."])
    ['London']
    >>> unmatched_names("What do European leaders want?", ["Europe wants gas."])
    []
    >>> unmatched_names("Which film tops the US box office?", ["Thor led North America."])
    []
    >>> unmatched_names("What did the IRS announce?", ["The Internal Revenue Service said."])
    []
    >>> unmatched_names("What did Sanchez say?", ["Pedro Sánchez spoke."])
    []
    >>> unmatched_names("Why did Brady retire in February 2022?", ["Brady retired on Tuesday."])
    []
    """
    names = [n for n in question_names(question) if not names_a_day(n)]
    if not names:
        return []
    texts = list(texts)
    # each article lower-cased when a name is first looked for in it, and folded only if
    # a name is not found so: most names are in the first article or two, and lowering
    # all the retrieved articles at once cost each question 0.35 ms
    lowered: list[str] = []
    haystacks: list[str] = []
    missing = []
    for name in names:
        words = _words(name)
        if any(_found_as_written(w, t) for t in texts for w in words):
            continue
        if _found_in(words, texts, lowered, str.lower):
            continue
        if _found_in(words, lowered, haystacks, folded):
            continue
        if not (is_acronym(name) and _written_out(name, texts)):
            missing.append(name)
    return missing


def names_none(question: str, text: str) -> list[str]:
    """The question's names (days aside, as in `unmatched_names`) where `text` names none
    of them; [] where it names one, or the question names nothing. A name found as written
    answers at once: one article read whole is lowered only where none is.

    >>> names_none("How much did Shopify earn?", "Rivian lost $1.7 billion.")
    ['Shopify']
    >>> names_none("How much did Shopify and Rivian earn?", "Rivian lost $1.7 billion.")
    []
    >>> names_none("How much did it earn?", "Rivian lost $1.7 billion.")
    []
    """
    names = [n for n in question_names(question) if not names_a_day(n)]
    if any(_found_as_written(w, text) for name in names for w in _words(name)):
        return []
    return names if len(unmatched_names(question, [text])) == len(names) else []


# words left out of an organisation's initials: the Centers *for* Disease Control *and*
# Prevention are the CDC
LINKING_WORDS = frozenset("of for and the on in to".split())
# a run of capitalised words, linking words inside it: a name written out
_LINKING = "|".join(sorted(LINKING_WORDS))
_CAPITALISED_RUN = re.compile(rf"[A-Z][\w’'&.-]*(?:\s+(?:(?:{_LINKING})\s+)*[A-Z][\w’'&.-]*)+")


def is_acronym(name: str) -> bool:
    """Whether `name` is one word of three or more capitals, points aside: two letters
    say too little to be matched by initials.

    >>> is_acronym("IRS"), is_acronym("C.D.C."), is_acronym("UK"), is_acronym("Ice")
    (True, True, False, False)
    """
    letters = name.replace(".", "")
    return len(letters) >= 3 and letters.isalpha() and letters.isupper()


def initials(words: Iterable[str]) -> str:
    """The lower-case first letters of `words`, linking words left out.

    >>> initials(["Centers", "for", "Disease", "Control", "and", "Prevention"])
    'cdcp'
    """
    return "".join(w[0] for w in words if w and w.lower() not in LINKING_WORDS).lower()


def _written_out(acronym: str, texts: Iterable[str]) -> bool:
    """Whether the initials of a run of capitalised words in `texts` hold `acronym`:
    "the U.S. Centers for Disease Control and Prevention" holds "CDC"."""
    wanted = acronym.replace(".", "").lower()
    return any(
        wanted in initials(run.group(0).split())
        for text in texts
        for run in _CAPITALISED_RUN.finditer(text)
    )


def _words(name: str) -> list[str]:
    """Lower-case words of a name, without accents or possessives, split at hyphens."""
    out: list[str] = []
    for token in folded(name).split():
        token = re.sub(r"['’]s$", "", token)
        out.extend(part for part in token.split("-") if part)
    return out


def _found_in(
    words: Sequence[str], texts: Sequence[str], seen: list[str], convert: Callable[[str], str]
) -> bool:
    """Whether a word of a name is in one of `texts` once converted; `seen` holds the
    texts converted so far, in order, and grows only as far as the search goes."""
    for i, text in enumerate(texts):
        if i == len(seen):
            seen.append(convert(text))
        if any(_found(w, seen[i]) for w in words):
            return True
    return False


def _found(word: str, haystack: str) -> bool:
    """Whether `haystack` holds a word that starts with the stem of `word` or of one of
    its written-out forms: str.find, then the character before, as the regular
    expression (?<!\\w)stem would; its lookbehind made it try every position of the
    articles: 0.65 ms a question over RealTimeQA's retrieved articles (cProfile).

    >>> _found("europe", "the european union"), _found("rope", "the european union")
    (True, False)
    """
    forms = (word, *_INITIALS.get(word.replace(".", ""), ()))
    return any(_starts_a_word(name_stem(form), haystack) for form in forms)


def _found_as_written(word: str, text: str) -> bool:
    """Whether `text`, as written, holds a word that starts with the stem of `word`
    capitalised, as a name is written: a find in the article itself, which the search
    in its lower-cased copy would make too, without lower-casing it first.

    >>> _found_as_written("qin", "Qin Gang said"), _found_as_written("qin", "the qin said")
    (True, False)
    """
    stem = name_stem(word).capitalize()
    if stem.lower() != name_stem(word):  # "ß" capitalises as "Ss": leave it to the search
        return False
    return _starts_a_word(stem, text)


def _starts_a_word(stem: str, text: str, whole: bool = False) -> bool:
    """Whether `stem` occurs in `text` at the start of a word (and, `whole`, at its end
    too): str.find, then the characters either side, as the regular expression
    (?<!\\w)stem (or (?<!\\w)stem(?!\\w)) would."""
    at = text.find(stem)
    while at != -1:
        end = at + len(stem)
        if (at == 0 or not _word_character(text[at - 1])) and (
            not whole or end == len(text) or not _word_character(text[end])
        ):
            return True
        at = text.find(stem, at + 1)
    return False


def _word_character(char: str) -> bool:
    """What the regular expression \\w matches: a letter, digit or numeral, or "_"."""
    return char.isalnum() or char == "_"


def name_stem(word: str) -> str:
    """What a name's inflections share: "euro" of "europe" and "european", "chin" of
    "china" and "chinese".

    >>> name_stem("europe"), name_stem("china"), name_stem("iran")
    ('euro', 'chin', 'iran')
    """
    return word if len(word) <= 4 else word[: max(4, len(word) - 3)]
