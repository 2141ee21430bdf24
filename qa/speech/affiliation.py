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

from qa.speech.question import speaker_words

# the words before a name that can describe it: its own clause, at most 8 words
_BEFORE = re.compile(r"(?:^|[.;:“”\"(—–]|,\s)\s*((?:[^\s.;:“”\"(—–,]+\s+){1,8})$")
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
    for match in re.finditer(re.escape(speaker), text):
        before = _BEFORE.search(text[max(0, match.start() - 120) : match.start()])
        if before and before.group(1).strip():
            out.append(before.group(1).strip())
        after = _AFTER.match(text, match.end())
        if after:
            out.append(after.group(1).strip())
    return out


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
    """
    wanted = set(speaker_words(asked))
    if not wanted or len(speaker.split()) < 2:
        return False
    return any(
        wanted <= set(speaker_words(d)) and not _PAST.search(d) for d in descriptions(text, speaker)
    )


# words that make a description one of a post no longer held
_PAST = re.compile(r"\b(former|onetime|one-time|retired|ex-|then-)", re.I)
