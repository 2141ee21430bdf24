"""Words of a question that the index has never seen, read as the articles spell them.

"What did Kritenbrinck say about expectations?" found the right article (its embedding
is near enough), but no sentence of Kritenbrinck's words, and abstained: the articles
write "Kritenbrink". A name no indexed article holds, one edit or two away from a name
in the retrieved passages, is read as that name, and the answer says so. Only words
the index does not know are respelled, so "Johnson" is never read as "Johnston" where
the index holds both; the notice shows the reader what was read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from index import folded, lexical_terms
from qa.questions.names import question_names

# a name's word must be this long to be respelled: shorter words are one edit away from
# too many others ("Kim" and "Kin", "Mark" and "Marc")
MIN_LETTERS = 5
LONG_ENOUGH_FOR_TWO_EDITS = 8
# the words of a question read at most: a question names a few people and places, and
# each word read costs a search of the passages' names and of the index's terms
MAX_WORDS_READ = 4
# a word that is not a name ("maintneance") is read only when this long, and only one
# edit away: short words are a letter from many others, and two edits from a long word
# is often another word ("bringing" and "briefing")
MIN_WORD_LETTERS = 7
_LONG_WORD = re.compile(rf"[^\W\d_]{{{MIN_LETTERS},}}")
# a capitalised word that does not open its sentence: a name as the articles write it
_NAME = re.compile(r"(?<=[^\s.?!:;\"“(]\s)[A-Z][^\W\d_]+")
_WORD = re.compile(r"[^\W\d_]{3,}")  # any word a hinted term may be spelt as


def respellings(
    question: str,
    known: Callable[[str], bool],
    sentences: Iterable[str],
    hints: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Question word -> the name of `sentences` it is read as. The words read are those
    of `unknown_words`. Each is read as the one name of `sentences` (a capitalised word
    that does not open its sentence) with the same first letter one edit away (two for
    a word of eight letters or more; a swap of two letters is one edit). No respelling
    where two names are as near: words that are not names are never respelled, as a
    small index lacks most words and a word two edits away is often another word. With
    `hints` (word -> an index term, `Vocabulary.hints`), a word is read as the first
    word of `sentences` that has the hinted term, wherever it stands.

    >>> sentences = ["Daniel Kritenbrink told reporters.", "On Monday he will visit Beijing."]
    >>> known = {"daniel", "kritenbrink", "told", "report", "visit", "beij"}.__contains__
    >>> respellings("What did Kritenbrinck say about Biejing?", known, sentences)
    {'Kritenbrinck': 'Kritenbrink', 'Biejing': 'Beijing'}
    >>> respellings("what did kritenbrinck say?", known, sentences)
    {'kritenbrinck': 'Kritenbrink'}
    >>> respellings("What did Kritenbrink say?", known, sentences)
    {}
    >>> respellings("What did Blinkem say?", known, ["He met Blinken and Blinkey."])
    {}
    >>> respellings("Who is Biejing's mayor?", known, sentences, {"Biejing": "bei"})
    {}

    A word the question writes in lower case, though it has capitals, is no name: one of
    seven letters or more is read as the word of `sentences` one edit away.

    >>> respellings("Did Daniel tell the repotrers?", known, ["Reporters were told."])
    {'repotrers': 'reporters'}
    """
    unknown = unknown_words(question, known)
    if not unknown:
        return {}
    common = common_words(question, unknown)
    if hints is not None:
        return _hinted(unknown, hints, sentences, common)
    sentences = list(sentences)
    names = _names(sentences)
    words = _words(sentences) if common else {}
    out = {}
    for word in unknown:
        if word in common:
            found = _nearest(word, words, 1)
            found = found and found.lower()  # not "According", as a sentence opens with it
        else:
            found = _nearest(word, names)
        if found is not None:
            out[word] = found
    return out


def common_words(question: str, words: Iterable[str]) -> frozenset[str]:
    """The `words` of a question typed with capitals that it writes in lower case: not
    names, so read as any word of the articles, one edit away.

    >>> sorted(common_words("Did Blinken see the maintneance?", ["Blinken", "maintneance"]))
    ['maintneance']
    >>> common_words("why did blinken go?", ["blinken"])
    frozenset()
    """
    if question == question.lower():
        return frozenset()  # every word may be a name
    return frozenset(w for w in words if w.islower())


def _hinted(
    words: Sequence[str],
    hints: Mapping[str, str],
    sentences: Iterable[str],
    common: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Word -> the first spelling in `sentences` of its hinted term, wherever it stands
    ("LOUISVILLE, Ky. —" opens a story), written as a name ("Louisville"); a capitalised
    word only as a capitalised spelling, and only a spelling as near the word as its term
    is (a term stands for many words: "expected" is not a reading of "expecations").

    >>> hints = {"Lousiville": "louisvill", "Airlinse": "airlin"}
    >>> _hinted(["Lousiville", "Airlinse"], hints, ["LOUISVILLE, Ky. — The airlines voted."])
    {'Lousiville': 'Louisville'}
    >>> _hinted(["expecations"], {"expecations": "expect"}, ["It expected expectations."])
    {'expecations': 'expectations'}
    """
    wanted = {hints[w]: w for w in words if w in hints}
    out: dict[str, str] = {}
    for sentence in sentences:
        for spelling in _WORD.findall(sentence):
            word = wanted.get(_term(spelling))
            if word is None or word in out or (word[0].isupper() and spelling[0].islower()):
                continue
            limit = 1 if word in common else _edits_allowed(word)
            if edit_distance(folded(word), folded(spelling), limit) > limit:
                continue
            if word in common:
                out[word] = spelling.lower()
            else:
                out[word] = spelling.capitalize() if spelling.isupper() else spelling
    return out


def unknown_words(question: str, known: Callable[[str], bool]) -> list[str]:
    """The words of the question's names (all its words, in a question typed without
    capitals) of five letters or more, and its other words of seven or more, whose term
    `known` (the index's vocabulary) does not hold; the first MAX_WORDS_READ of them.

    >>> unknown_words("Did Kritenbrinck meet Blinken in Beijing?", {"blinken"}.__contains__)
    ['Kritenbrinck', 'Beijing']
    """
    if question == question.lower():
        asked = _LONG_WORD.findall(question)
    else:
        named = [w for name in question_names(question) for w in _LONG_WORD.findall(name)]
        asked = named + [
            w for w in _LONG_WORD.findall(question) if w.islower() and len(w) >= MIN_WORD_LETTERS
        ]
    unknown = [w for w in dict.fromkeys(asked) if (term := _term(w)) and not known(term)]
    return unknown[:MAX_WORDS_READ]


class Vocabulary:
    """An index's terms by first letter and length: where a word the index lacks is
    looked for when the retrieved passages do not hold its name ("Lousiville" retrieves
    other cities' stories, whose passages name no Louisville; the index's nearest term
    is "louisvill", and a search for it finds the name)."""

    def __init__(self, terms: Iterable[str]) -> None:
        self._terms: dict[tuple[str, int], list[str]] = {}
        for term in terms:
            if term:
                self._terms.setdefault((term[0], len(term)), []).append(term)

    def hints(self, words: Iterable[str], common: frozenset[str] = frozenset()) -> dict[str, str]:
        """Word -> the one index term with its term's first letter, one edit from its
        term (two for a word of eight letters or more, but for a `common_words` one);
        words with none, or two as near, are left out.

        >>> Vocabulary(["louisvill", "louisiana", "lousi"]).hints(["Lousiville", "Lusiana"])
        {'Lousiville': 'louisvill'}
        """
        out = {}
        for word in words:
            term = _term(word)
            limit = 1 if word in common else _edits_allowed(word)
            near: dict[str, int] = {}
            for length in range(len(term) - limit, len(term) + limit + 1):
                for other in self._terms.get((term[0], length), ()):
                    if (distance := edit_distance(term, other, limit)) <= limit:
                        near[other] = distance
            best = [t for t, d in near.items() if d == min(near.values())] if near else []
            if len(best) == 1:
                out[word] = best[0]
        return out


def respelled(question: str, readings: Mapping[str, str]) -> str:
    """`question` with each word of `readings` replaced by its reading.

    >>> respelled("Did Blinkin meet Blinkin's host?", {"Blinkin": "Blinken"})
    "Did Blinken meet Blinken's host?"
    """
    for word, reading in readings.items():
        question = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", reading, question)
    return question


def respelling_notice(readings: Mapping[str, str]) -> str:
    """What the answer tells the reader it read.

    >>> respelling_notice({"Blinkin": "Blinken", "Biejing": "Beijing"})
    'Read “Blinkin” as “Blinken” and “Biejing” as “Beijing”, as the articles spell them.'
    """
    pairs = [f"“{word}” as “{reading}”" for word, reading in readings.items()]
    listed = pairs[0] if len(pairs) == 1 else ", ".join(pairs[:-1]) + f" and {pairs[-1]}"
    return f"Read {listed}, as the articles spell {'it' if len(pairs) == 1 else 'them'}."


def _names(sentences: Iterable[str]) -> dict[str, str]:
    """Folded name -> its first spelling in `sentences`.

    >>> _names(["Leave it, Blinken said. Then Qin Gang spoke."])
    {'blinken': 'Blinken', 'qin': 'Qin', 'gang': 'Gang'}
    """
    out: dict[str, str] = {}
    for sentence in sentences:
        for word in _NAME.findall(sentence):
            out.setdefault(folded(word), word)
    return out


def _words(sentences: Iterable[str]) -> dict[str, str]:
    """Folded word -> its first spelling in `sentences`, for words of one letter fewer
    than MIN_WORD_LETTERS or more (a word may be typed with a letter too many).

    >>> _words(["The reporters left. Reporters stayed."])
    {'reporters': 'reporters', 'stayed': 'stayed'}
    """
    out: dict[str, str] = {}
    for sentence in sentences:
        for word in _LONG_WORD.findall(sentence):
            if len(word) >= MIN_WORD_LETTERS - 1:
                out.setdefault(folded(word), word)
    return out


def _nearest(word: str, names: Mapping[str, str], limit: int | None = None) -> str | None:
    """The one name within the edits allowed of `word` (see `respellings`), or within
    `limit` edits where it is given."""
    key = folded(word)
    limit = _edits_allowed(word) if limit is None else limit
    best: list[str] = []
    best_distance = limit + 1
    for other, spelling in names.items():
        if other[0] != key[0] or abs(len(other) - len(key)) > limit or other == key:
            continue
        distance = edit_distance(key, other, limit)
        if distance < best_distance:
            best, best_distance = [spelling], distance
        elif distance == best_distance <= limit:
            best.append(spelling)
    return best[0] if len(best) == 1 else None


def _edits_allowed(word: str) -> int:
    return 2 if len(word) >= LONG_ENOUGH_FOR_TWO_EDITS else 1


def _term(word: str) -> str:
    """The word's lexical term ("" for a stopword)."""
    terms = lexical_terms(word)
    return terms[0] if terms else ""


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from `a` to `b`, or `limit`
    + 1 once it is sure to exceed `limit`.

    >>> edit_distance("kritenbrinck", "kritenbrink", 2), edit_distance("biejing", "beijing", 1)
    (1, 1)
    >>> edit_distance("johnson", "jackson", 1)
    2
    """
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)
