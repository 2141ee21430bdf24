"""Citation checks on a generated answer: markers, sentences, and lexical support.

Pure functions over strings. An answer sentence cites passages with `[n]`
markers (1-based, in prompt order). A sentence is *supported* when the passages it
cites contain its words:

- every number and every capitalised name in it (the facts a model most often
  invents), and
- at least `MIN_WORD_COVERAGE` of its other content words,

all compared as `index.lexical.lexical_terms` stems, so "talks" matches "talk". A
sentence that cites nothing is unsupported unless it has no content words at all.
This is a lexical check: it catches invented names, numbers and topics, not a
sentence that rearranges the passage's own words into a different claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.lexical import lexical_terms
from index.records import Span
from index.sentences import split_sentences

MIN_WORD_COVERAGE = 0.5  # share of ordinary content words the cited passages must hold

# one marker group: "[1]", "[1, 2]", "[1;2]", "[Passage 3]"
_MARKER = re.compile(r"\[\s*(?:passages?\s*)?(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]", re.I)
_MARKER_RUN = re.compile(r"(?:\s*\[\d+\])+")
# a stop (with closing quotes) followed by markers: "said. [1]" or "said.”[1]"
_STOP_THEN_MARKERS = re.compile(r"([.!?…]+[\"'”’)\]]*)((?:[ \t]*\[\d+\])+)")
_DECLINE = re.compile(
    r"\b(?:passages?|articles?|texts?|context|sources?)\b[^.!?]{0,40}?"
    r"\b(?:do|does|did)\s*(?:not|n['’]t)\s+"
    r"(?:answer|say|mention|contain|provide|include|state|address|specify)",
    re.I,
)


@dataclass(frozen=True)
class SentenceCheck:
    """One answer sentence and what the check found; offsets into the cleaned answer."""

    start: int
    end: int
    markers: tuple[int, ...]  # passage numbers it cites, in order, each once
    missing: tuple[str, ...]  # its words (as written) that the cited passages lack
    supported: bool


@dataclass(frozen=True)
class GroundingReport:
    """The checked answer: `text` is the model's answer with markers cleaned."""

    text: str
    sentences: tuple[SentenceCheck, ...]
    dropped: tuple[int, ...]  # marker numbers that named no passage, in order, each once

    @property
    def unsupported(self) -> tuple[int, ...]:
        """0-based indexes of the sentences not backed by what they cite."""
        return tuple(i for i, s in enumerate(self.sentences) if not s.supported)

    @property
    def cited(self) -> tuple[int, ...]:
        """Every passage number some sentence cites, in order of first citation."""
        return tuple(dict.fromkeys(m for s in self.sentences for m in s.markers))


def clean_markers(text: str, passages: int) -> tuple[str, tuple[int, ...]]:
    """Rewrite marker groups as `[a][b]`, drop numbers outside 1..passages, and
    move markers that follow a sentence's stop to before it.

    Returns the cleaned text and the dropped numbers.

    >>> clean_markers("Talks resumed. [1, 7] Then [2;3] stalled.", 2)
    ('Talks resumed [1]. Then [2] stalled.', (7, 3))
    """
    dropped: list[int] = []

    def rewrite(m: re.Match[str]) -> str:
        numbers = [int(n) for n in re.findall(r"\d+", m.group(1))]
        kept = [n for n in dict.fromkeys(numbers) if 1 <= n <= passages]
        dropped.extend(n for n in numbers if not 1 <= n <= passages and n not in dropped)
        return "".join(f"[{n}]" for n in kept)

    text = _MARKER.sub(rewrite, text)
    text = re.sub(r"(\[\d+\])(?:[ \t]*\1)+", r"\1", text)  # "[1][1]" says no more than "[1]"
    text = re.sub(r"[ \t]+(?=[.,;:!?])", "", text)  # space left where a marker was dropped
    text = re.sub(r"[ \t]{2,}", " ", text).strip()
    text = _STOP_THEN_MARKERS.sub(lambda m: " " + m.group(2).strip() + m.group(1), text)
    return text, tuple(dropped)


def answer_sentences(text: str) -> list[Span]:
    """Sentence spans of an answer whose markers have been cleaned; the UI uses these
    to show which sentences `Answer.unsupported` names.

    A marker run at the start of a sentence belongs to the sentence before it.

    >>> t = "Talks resumed [1]. Qin called Blinken [2]."
    >>> [t[s:e] for s, e in answer_sentences(t)]
    ['Talks resumed [1].', 'Qin called Blinken [2].']
    """
    spans: list[Span] = []
    for start, end in split_sentences(text):
        lead = _MARKER_RUN.match(text, start)
        if spans and lead and lead.end() > start:
            spans[-1] = (spans[-1][0], lead.end())
            start = lead.end()
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            spans.append((start, end))
    return spans


def sentence_markers(sentence: str) -> tuple[int, ...]:
    """The passage numbers a cleaned sentence cites, in order, each once.

    >>> sentence_markers("Qin [2] called Blinken [1][2].")
    (2, 1)
    """
    return tuple(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", sentence)))


def missing_words(sentence: str, evidence: str) -> tuple[list[str], list[str]]:
    """The key words (numbers, names) and the other content words of `sentence`
    that `evidence` lacks, as written in the sentence.

    Returns (missing key words, missing other words); `check_sentence` weighs them.

    >>> missing_words("In 2023 Blinken flew to Moscow for talks [1].",
    ...               "Blinken's talks in Beijing, 2023.")
    (['Moscow'], ['flew'])
    """
    key, other = _words(sentence)
    known = set(lexical_terms(evidence))
    return (
        [w for w, terms in key if not set(terms) <= known],
        [w for w, terms in other if not set(terms) <= known],
    )


def check_sentence(sentence: str, evidence: str) -> tuple[bool, tuple[str, ...]]:
    """Whether `evidence` (the cited passages) backs `sentence`, and the words it lacks.

    >>> check_sentence("Blinken will visit Beijing next week [1].",
    ...                "Antony Blinken's visit to Beijing next week")
    (True, ())
    >>> check_sentence("Blinken will visit Moscow [1].", "Blinken's visit to Beijing")
    (False, ('Moscow',))
    >>> check_sentence("It happened on Monday, about twenty rounds [1].", "It happened.")
    (False, ('Monday', 'twenty', 'rounds'))
    """
    _, other = _words(sentence)
    missing_key, missing_other = missing_words(sentence, evidence)
    covered = len(other) - len(missing_other)
    supported = not missing_key and (not other or covered >= MIN_WORD_COVERAGE * len(other))
    return supported, tuple(missing_key + missing_other)


def declines(text: str) -> bool:
    """Whether an answer says that the passages do not answer the question.

    >>> declines("The passages do not answer this question."), declines("Talks resumed [1].")
    (True, False)
    >>> declines("The articles don't mention a date.")
    True
    """
    return _DECLINE.search(text) is not None


def check_answer(answer: str, evidence: Sequence[str]) -> GroundingReport:
    """Check an answer against the texts of the passages it may cite ([1] is evidence[0]).

    >>> r = check_answer("Talks resumed [1]. Qin won [9]. They met in Oslo [2].",
    ...                  ["Talks resumed on Monday.", "They met in Beijing."])
    >>> r.text, r.dropped, r.unsupported
    ('Talks resumed [1]. Qin won. They met in Oslo [2].', (9,), (1, 2))
    """
    text, dropped = clean_markers(answer, len(evidence))
    checks = []
    for start, end in answer_sentences(text):
        sentence = text[start:end]
        markers = sentence_markers(sentence)
        cited = "\n".join(evidence[n - 1] for n in markers)
        supported, missing = check_sentence(sentence, cited)
        checks.append(SentenceCheck(start, end, markers, missing, supported))
    return GroundingReport(text, tuple(checks), dropped)


def _words(sentence: str) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """Split a sentence's content words into key words (numbers, names) and others.

    A capitalised word is a name unless it opens the sentence, where every word is
    capitalised.

    >>> _words("The vote in Ohio had 42 ballots [1].")
    ([('Ohio', ['ohio']), ('42', ['42'])], [('vote', ['vote']), ('ballots', ['ballot'])])
    """
    sentence = _MARKER_RUN.sub(" ", sentence)
    key: list[tuple[str, list[str]]] = []
    other: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    for position, token in enumerate(sentence.split()):
        # the raw token goes to lexical_terms, which reads "U.S." as one word
        terms = lexical_terms(token)
        word = token.strip("\"'“”‘’()[]{},.;:!?…*")
        if not terms or word.lower() in seen:
            continue
        seen.add(word.lower())
        is_name = position > 0 and word[:1].isupper()
        is_number = any(c.isdigit() for c in word)
        (key if is_name or is_number else other).append((word, terms))
    return key, other
