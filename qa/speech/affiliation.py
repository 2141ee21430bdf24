"""Whom a speaker speaks for, as the article describes them: "Daniel Kritenbrink, the State
Department's top diplomat for East Asia" speaks for the State Department, and "White House
Indo-Pacific Coordinator Kurt Campbell" for the White House.

So "How does the State Department describe ...?" is answered by its diplomat's words too,
not only by sentences that end "..., the State Department said". Kept out of the modules
the stored speaker labels depend on (SpeakerLabeller.name): it reads the labels, it does
not make them.
"""

from __future__ import annotations

import re

from qa.speech.question import PAST_POST, speaker_words

# what ends the clause before a name (a comma with a space: "1,000" is one word); the
# words after it, up to 8, can describe it
_CLAUSE_ENDS = (".", ";", ":", "“", "”", '"', "(", "—", "–", ", ")
# what no description runs over: a verb, a preposition or conjunction that ends a clause
_BREAKS = frozenset(
    "to by with from in on into onto over against than as that which who whom whose and "
    "or but is was are were be been being has have had will would can could should may "
    "might must said says say told tells asked asks agrees agreed sued sell sold buy bought "
    "itself himself herself themselves if when while after before because".split()
)
# lowercase words ending like a verb that describe a person ("retired", "embattled")
_KEPT = frozenset("retired embattled celebrated renowned respected unnamed elected".split())
# the apposition after it: ", the State Department's top diplomat for East Asia,"
_AFTER = re.compile(r",\s+([^,.;:“”\"()]{3,90})[,.;]")


def descriptions(text: str, speaker: str) -> list[str]:
    """How `text` describes `speaker` wherever it gives their full name: the words
    before it in its clause, and an apposition after it.

    >>> descriptions("Daniel Kritenbrink, the State Department's top diplomat, said so.",
    ...              "Daniel Kritenbrink")
    ["the State Department's top diplomat"]
    >>> descriptions("It said. White House Coordinator Kurt Campbell said so.", "Kurt Campbell")
    ['White House Coordinator']
    """
    out = []
    start = text.find(speaker)
    while start >= 0:
        window = text[max(0, start - 120) : start]
        ends = [i + len(end) for end in _CLAUSE_ENDS if (i := window.rfind(end)) >= 0]
        clause = _noun_phrase(window[max(ends, default=0) :].split())
        if 0 < len(clause) <= 8:
            out.append(" ".join(clause))
        after = _AFTER.match(text, start + len(speaker))
        if after:
            out.append(after.group(1).strip())
        start = text.find(speaker, start + len(speaker))
    return out


def _noun_phrase(words: list[str]) -> list[str]:
    """The words that run into a name, after the last verb, preposition or conjunction
    before it: "Tesla CEO" of "Tesla CEO", "billionaire" of "the effort by billionaire";
    nothing of "Twitter agrees to sell itself to" (Elon Musk does not speak for Twitter).

    >>> _noun_phrase("Twitter agrees to sell itself to".split()), _noun_phrase(["CDC", "director"])
    ([], ['CDC', 'director'])
    """
    for i in range(len(words) - 1, -1, -1):
        word = words[i].lower()
        if word in _BREAKS or (words[i].islower() and word.endswith("ed") and word not in _KEPT):
            return words[i + 1 :]
    return words


def speaks_for(asked: str, speaker: str, text: str) -> bool:
    """Whether `text` describes `speaker` as of the organisation or office a question
    asks about (`asked`): every word of it is in one of their descriptions, and that
    description is not of a past post ("former CDC director Tom Frieden" speaks for
    himself).

    >>> text = "Daniel Kritenbrink, the State Department's top diplomat, said so."
    >>> speaks_for("the State Department", "Daniel Kritenbrink", text)
    True
    >>> speaks_for("the White House", "Daniel Kritenbrink", text)
    False
    >>> speaks_for("the CDC", "Tom Frieden", "Former CDC director Tom Frieden said so.")
    False

    An office asked by its title alone is held by whoever the article gives that title,
    and a group by each of its members:

    >>> speaks_for("the mayor", "Eric Adams", "New York City Mayor Eric Adams said so.")
    True
    >>> speaks_for("experts", "Peter Chin-Hong", "Peter Chin-Hong, an expert at UCSF, said so.")
    True
    """
    if len(speaker.split()) < 2:
        return False
    wanted, titles = set(speaker_words(asked)), False
    if not wanted:  # "the mayor", "the prime minister": the title is all there is to match
        wanted, titles = set(speaker_words(asked, titles=True)), True
    one = _one_of(asked)
    return bool(wanted) and any(
        (
            wanted <= set(speaker_words(d, titles=titles))
            or (one is not None and one in speaker_words(d, titles=True))
        )
        and not PAST_POST.search(d)
        for d in descriptions(text, speaker)
    )


def _one_of(asked: str) -> str | None:
    """The one member a group asked about is described as: "expert" of "experts" ("an
    infectious disease expert at UCSF"), "economist" of "economists"; None for a name.

    >>> _one_of("experts"), _one_of("the economists"), _one_of("Democrats"), _one_of("police")
    ('expert', 'economist', None, None)
    """
    words = asked.split()
    word = words[-1] if words and (len(words) == 1 or words[0].lower() == "the") else ""
    if not word.islower() or not word.endswith("s") or word.endswith("ss") or len(word) < 5:
        return None
    return word[:-1]
