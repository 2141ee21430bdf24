"""Naming in an answer's text the speaker a pronoun stands for: "he [Kurt Campbell] said".

Presentation, not attribution: it reads the speaker `attribute_speakers` found and is
kept out of the modules the stored speaker labels depend on (SpeakerLabeller.name).
"""

from __future__ import annotations

import re

from qa.speech.lexicon import alternation, forms

_PRONOUN_SAID = re.compile(rf"(?<![“\"\w])(he|she|they)(?=\s+(?:{alternation(forms())})\b)", re.I)


def name_speaker(sentence: str, speaker: str | None) -> str:
    """Name the speaker a pronoun stands for, the way an editor would, so the answer
    says who spoke; the citation still quotes the article exactly.

    >>> name_speaker("“We are ready,” he said.", "Daniel Kritenbrink")
    '“We are ready,” he [Daniel Kritenbrink] said.'
    >>> name_speaker("Kritenbrink said so.", "Daniel Kritenbrink")
    'Kritenbrink said so.'
    """
    if not speaker or speaker.split()[-1] in sentence:
        return sentence
    closing = max(sentence.rfind("”"), sentence.rfind('"'))
    match = _PRONOUN_SAID.search(sentence, closing + 1 if closing >= 0 else 0)
    if match is None:
        return sentence
    return f"{sentence[: match.end()]} [{speaker}]{sentence[match.end() :]}"
