"""A message read as the question it holds: out of a request's frame, without the
articles it names or the user's chat around it.

Chat users wrap questions: "Can you tell me what Kritenbrink said about expectations?",
"I'd like to know who Kurt Campbell is", "Please tell me when Blinken is due to visit
China." Read as they stand, the frame hides what is asked: the said-question parser
finds no "what did X say", and the answer type no leading "when". `direct_question`
takes the frame away and puts the question back in a question's word order: "what X
said about Y" is "what did X say about Y", "who X is" is "who is X", and "when X is
due" is "when is X due". The articles named as the question's source go too ("Based on
the articles, who is ...?", "..., according to the article?"): "Based" was read as a
speaker, and "in the article" as part of the topic a speaker's words had to mention.
So does the user's chat beside the question ("Thanks!", "Quick one for my editor.",
"Keep it short."), which was scored as the question's words; news before a question
stays as its context, as RealTimeQA asks ("Gas prices hit a record. How much ...?").
"""

from __future__ import annotations

import re

from qa.speech.lexicon import SPEECH_LEMMAS, alternation, forms

# the articles themselves, as a question may name them ("the article", "these stories",
# "the Reuters article"): what the service answers from anyway
_THE_ARTICLES = (
    r"(?:the|these|this|those|your|my|our)\s+(?:\S+\s+){0,3}?"
    r"(?:(?:news\s+)?(?:articles?|stor(?:y|ies))|texts?|passages?|news)\b"
)
# what a request opens with before the question it holds; each may follow another
# ("Hi, could you please tell me ...", "Q: ...", "@newsdesk ...")
_FRAME = re.compile(
    r"""^(?:
        (?:hi|hello|hey)(?:\s+there|\s+newsdesk)?[,!.]*\s+
      | (?:q|question|query)\s*[:\-–—]\s*
      | (?:@[\w.\-]+|newsdesk)[,:!]?\s+

      | (?:please|pls|kindly)[,:]?\s+
      | (?:can|could|would|will)\s+(?:you|u)(?:\s+please)?\s+
        (?:(?:tell|show|remind)\s+me(?:\s+again)?|let\s+me\s+know|explain(?:\s+to\s+me)?
          |find\s+out|check|look\s+up|say)[,:]?\s+
      | (?:tell|show|remind)\s+me(?:\s+again)?[,:]?\s+
      | (?:let\s+me\s+know|explain(?:\s+to\s+me)?|find\s+out)[,:]?\s+
      | i(?:'d|’d|\s+would)\s+(?:like|love)\s+to\s+(?:know|understand)[,:]?\s+
      | i\s+(?:want|need)\s+to\s+(?:know|understand)[,:]?\s+
      | i(?:'m|’m|\s+am)\s+(?:wondering|curious)(?:\s+about)?[,:]?\s+
      | i\s+wonder(?:ed)?[,:]?\s+
      | (?:do|does)\s+(?:you|anyone|anybody)\s+know[,:]?\s+
      | (?:any\s+idea|quick\s+question)[,:]?\s+
      | (?:according\s+to|based\s+on|judging\s+(?:by|from)|from|in|per)\s+"""
    + _THE_ARTICLES
    + r"""[,:]?\s+
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# what the question inside a request opens with: its question word, after a preposition
# ("on what day") or a phrase set off by a comma ("apart from Taiwan, what else")
_QUESTION_WORD = re.compile(
    r"^(?:[^,?.]{1,60},\s+)?(?:(?:on|in|at|by|from|for|to|with|during|since|until|of|"
    r"about|under|after|before|over|through|against|between|among)\s+)?"
    r"(?:what|who|whom|whose|when|where|why|how|which|whether|if|did|does|is|are|was|were|"
    r"will|would|has|have|had|can|could|should)\b",
    re.IGNORECASE,
)
# "..., according to the articles?": the articles named at the end
_ARTICLES_END = re.compile(
    r"[,\s]+(?:according\s+to|based\s+on|from|in|per)\s+"
    + _THE_ARTICLES
    + r"\s*(?P<mark>[.?!]*)\s*$",
    re.IGNORECASE,
)
# a word said before the question, not part of it ("OK so what ...?", "Well, who ...?");
# only before a question, a request or "and" ("So far, how many ...?" keeps its "so")
_FILLER = re.compile(
    r"^(?:ok(?:ay)?|so|well|alright|right|um+|uh+)\b[,]?\s+(?=(?:(?:on|in|at|by|from|for|to|"
    r"with|during|since|until|of|about)\s+)?(?:what|who|whom|whose|when|where|why|how|which|"
    r"can|could|would|will|tell|please|do|does|did|is|are|was|were|i|and|also|then|so|ok|"
    r"okay)\b)",
    re.IGNORECASE,
)
_LINK = re.compile(r"^(?:and|also|then)\b[,\s]*", re.IGNORECASE)
_YES_NO = re.compile(r"^(?:whether|if)\s+", re.IGNORECASE)
_POLITE_END = re.compile(
    r"(?:[,\s]+(?:please|pls|thanks|thank\s+you))+\s*(?P<mark>[.?!]*)\s*$", re.IGNORECASE
)
_AUXILIARY = (
    r"(?:did|does|do|is|was|are|were|will|would|has|have|had|can|could|should|may|might|must)"
)
# a subject in a request's order: no auxiliary in it, which would put it after the verb
# ("how many weeks was he expected to miss" is a question's order already)
_NO_AUXILIARY = r"(?:(?!\b" + _AUXILIARY + r"\b)[^?])+?"
# a speech verb's forms, and those of the views asked for as speech is ("what she
# thinks of ..."): form -> lemma
_LEMMAS = {
    form: lemma
    for lemma in SPEECH_LEMMAS
    for form in forms(frozenset({lemma}), base=True, participle=True)
} | {
    form: lemma
    for lemma, formed in {
        "think": ("thinks", "thought"),
        "feel": ("feels", "felt"),
        "believe": ("believes", "believed"),
        "expect": ("expects", "expected"),
        "want": ("wants", "wanted"),
        "describe": ("describes", "described"),
        "characterize": ("characterizes", "characterized"),
        "call": ("calls", "called"),
        "react": ("reacts", "reacted"),
    }.items()
    for form in (lemma, *formed)
}
_SPOKE = re.compile(
    r"^(?P<wh>what|how(?!\s+(?:many|much)\b)|why)(?P<adverb>\s+else)?\s+(?P<subject>"
    + _NO_AUXILIARY
    + r")\s+(?:(?P<aux>has|have|had|will|would)\s+)?(?P<verb>"
    + alternation(list(_LEMMAS))
    + r")\b(?P<rest>.*)$",
    re.IGNORECASE,
)
# "Kritenbrink said what about Taiwan?": the question word where the answer goes
_ECHOED = re.compile(
    r"^(?P<subject>(?!(?:what|who|whom|whose|when|where|why|how|which)\b)[^?,]+?)\s+"
    r"(?P<verb>"
    + alternation([w for w, lemma in _LEMMAS.items() if w != lemma])
    + r")\s+what\b(?P<rest>[^?]*)\?$",
    re.IGNORECASE,
)
_COPULA_LAST = re.compile(
    r"^(?P<wh>who|what)\s+(?P<subject>" + _NO_AUXILIARY + r")\s+"
    r"(?P<verb>is|was|are|were)$",
    re.IGNORECASE,
)
# "when Blinken is due": the auxiliary after a short subject goes before it; not after
# "how many" or "which", whose noun is often the subject ("how many people were killed")
_AUXILIARY_AFTER = re.compile(
    r"^(?P<wh>when|where|why|how(?:\s+(?:long|often|soon|far))?(?!\s+(?:many|much)\b))\s+"
    r"(?P<subject>(?!" + _AUXILIARY + r"\b)[^\s,]+(?:\s+[^\s,]+){0,5}?)\s+"
    r"(?P<aux>is|was|are|were|will|would|can|could|should|has|have|had)\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)
# where a sentence of a message ends: after a question mark, or a period or "!" after a
# word of three lower-case letters or more (not "Dr.", "U.S.", "Sen."), before a capital
_SENTENCE_END = re.compile(r"(?<=\?)\s+|(?<=[a-z]{3}[.!])\s+(?=[A-Z“\"‘'])")
# the user, or the one they talk to: "I" opening the sentence or "I'm", "my", "you"
# ("World War I ended" and "Artemis I" are names; "US" is a place)
_USER = re.compile(
    r"^I\s|\bI['’](?:m|ve|d|ll)\b|(?:^|(?<=\s))(?:[Mm]y|[Mm]e|[Oo]ur|[Yy]ou(?:r|['’]re)?)\b"
)
# what to do with the answer: "Keep it short.", "Please cite your sources."
_TO_DO = re.compile(
    r"^(?:please\s+)?(?:keep|be|answer|cite|make|give|use|explain|summari[sz]e|list|include|"
    r"quote|add|respond|reply|write)\b",
    re.IGNORECASE,
)
_THANKS = re.compile(
    r"(?:(?:many\s+)?thanks(?:\s+(?:a\s+lot|so\s+much|in\s+advance))?|thank\s+you(?:\s+so\s+much)?"
    r"|thx|ty|cheers)[\s.!]*",
    re.IGNORECASE,
)
# a topic before its question: "Kritenbrink - what did he say?", "Blinken's trip: when?"
_TOPIC_FIRST = re.compile(
    r"^(?P<topic>[^:?!.–—]{2,60}?)(?:\s*:\s+|\s+[-–—]\s+|\s*[–—]\s*)(?P<asked>[^:]+\?)$"
)
_NAME = re.compile(r"(?:[A-Z][\w.’'\-]*\s+){0,3}[A-Z][\w.’'\-]*")
_PERSONAL = re.compile(r"\b(?:he|she|him|her)\b")
_TERMINAL = re.compile(r"[\s.?!]*$")


def direct_question(text: str) -> str:
    """The question a message holds, or `text` as it is when nothing in it needs reading.

    The question is its last sentence (of those up to its last question mark); sentences
    before it stay as its context, and statements after it go before it, but for the
    user's chat (`is_chat`: thanks, "I'm writing a story", "Keep it short."), which goes
    wherever it stands.

    >>> direct_question("Can you tell me what Kritenbrink said about expectations?")
    'What did Kritenbrink say about expectations?'
    >>> direct_question("I'd like to know who Kurt Campbell is")
    'Who is Kurt Campbell?'
    >>> direct_question("Please tell me when Blinken is due to visit China.")
    'When is Blinken due to visit China?'
    >>> direct_question("Based on the articles, who is Kurt Campbell?")
    'Who is Kurt Campbell?'
    >>> direct_question("Which country built the model, according to the articles?")
    'Which country built the model?'
    >>> direct_question("What did Kritenbrink say? The talks ended on Monday.")
    'The talks ended on Monday. What did Kritenbrink say?'
    >>> direct_question("I'm writing about the trip. What did Kritenbrink say? Thanks!")
    'What did Kritenbrink say?'
    >>> direct_question("Tell me about the trip.")
    'Tell me about the trip.'
    >>> direct_question("What did Kritenbrink say about expectations?")
    'What did Kritenbrink say about expectations?'
    """
    typed = text.strip()
    head, _, after = typed.rpartition("?")
    if not head or not after.strip():
        head, after = typed, ""
    else:
        head += "?"
    sentences = _SENTENCE_END.split(head)
    sentences[-1:] = _SENTENCE_END.split(_topic_first(sentences[-1]))
    context = (
        [*_SENTENCE_END.split(after.strip()), *sentences[:-1]] if after.strip() else sentences[:-1]
    )
    context = [c for c in context if not is_chat(c)]
    rebuilt = " ".join([*context, _asked(sentences[-1])])
    return text if rebuilt == typed else rebuilt


def message_sentences(message: str) -> list[str]:
    """A message's sentences, split where `direct_question` splits them.

    >>> message_sentences("Thanks! What did Kritenbrink say? The U.S. team left.")
    ['Thanks!', 'What did Kritenbrink say?', 'The U.S. team left.']
    """
    return [s for s in _SENTENCE_END.split(message.strip()) if s.strip()]


def _topic_first(sentence: str) -> str:
    """A question whose topic comes first, set off by a colon or a dash, read with the
    topic in it: a name for its pronoun ("Kritenbrink - what did he say?" is "What did
    Kritenbrink say?"), anything else as the question's context ("Blinken's trip: when
    does it start?" is "Blinken's trip. When does it start?").

    >>> _topic_first("Kurt Campbell: what did he say about Ukraine?")
    'What did Kurt Campbell say about Ukraine?'
    >>> _topic_first("Blinken's trip - when does it start?")
    "Blinken's trip. When does it start?"
    >>> _topic_first("How much did 'Top Gun: Maverick' cost?")
    "How much did 'Top Gun: Maverick' cost?"
    """
    found = _TOPIC_FIRST.match(sentence)
    if found is None or _FRAME.match(sentence) or not _QUESTION_WORD.match(found.group("asked")):
        return sentence
    topic, asked = found.group("topic").strip(), found.group("asked")
    asked = asked[:1].upper() + asked[1:]
    if _NAME.fullmatch(topic):
        named, replaced = _PERSONAL.subn(topic, asked, count=1)
        if replaced:
            return named
    return f"{topic}. {asked}"


def is_chat(sentence: str) -> bool:
    """Whether a sentence beside the question is the user's chat, not news that the
    question builds on: thanks, a word about the user ("I'm writing a story", "for my
    editor"), or what to do with the answer ("Keep it short.").

    >>> is_chat("Quick one for my editor."), is_chat("Gas prices in the US hit a record.")
    (True, False)
    """
    return bool(_THANKS.fullmatch(sentence) or _USER.search(sentence) or _TO_DO.match(sentence))


def _asked(sentence: str) -> str:
    """The question one sentence asks, taken out of a request's frame and order (see
    `direct_question`); `sentence` as it is when it has none. A follow-up's opening "and"
    stays: it says the question leans on the last one.

    >>> _asked("And can you tell me what he said about Taiwan?")
    'And what did he say about Taiwan?'
    >>> _asked("Okay, and what did he say?")
    'And what did he say?'
    >>> _asked("Kritenbrink said what about Taiwan?")
    'What did Kritenbrink say about Taiwan?'
    """
    filler = _FILLER.match(sentence)
    if filler is not None:
        asked = _asked(sentence[filler.end() :])
        return asked[:1].upper() + asked[1:]
    link = _LINK.match(sentence)
    if link is not None and (asked := _asked(sentence[link.end() :])) != sentence[link.end() :]:
        return f"{link.group(0)}{asked[:1].lower()}{asked[1:]}"
    rest = sentence
    while (frame := _FRAME.match(rest)) is not None:
        rest = rest[frame.end() :]
    if (echo := _ECHOED.match(rest)) is not None:
        return _echoed(echo)
    if not _QUESTION_WORD.match(rest):
        rest = sentence  # a frame without a question: "Tell me about the trip"
    if len((shorter := _ARTICLES_END.sub(lambda m: m.group("mark"), rest)).split()) >= 3:
        rest = shorter
    if rest == sentence:
        return sentence
    if not _QUESTION_WORD.match(rest):
        return rest  # only the articles named at its end went
    rest = _POLITE_END.sub(lambda m: m.group("mark"), rest)
    rest = _TERMINAL.sub("", _YES_NO.sub("", rest, count=1))
    rest = _spoken(rest) or _named(rest) or _inverted(rest) or rest
    return rest[:1].upper() + rest[1:] + "?"


def _echoed(found: re.Match[str]) -> str:
    """ "X said what about Y?" as "What did X say about Y?"."""
    verb = found.group("verb").lower()
    lemma = _LEMMAS[verb]
    aux = "does" if verb == f"{lemma}s" or (verb != lemma and verb.endswith("es")) else "did"
    subject = found.group("subject")
    if subject.lower() in ("he", "she", "they", "it", "we", "you"):
        subject = subject.lower()  # "He said what?": "What did he say?"
    return f"What {aux} {subject} {lemma}{found.group('rest')}?"


def _spoken(clause: str) -> str | None:
    """ "what X said about Y" as "what did X say about Y"; None for any other clause."""
    found = _SPOKE.match(clause)
    if found is None:
        return None
    verb, aux = found.group("verb"), found.group("aux")
    lemma = _LEMMAS[verb.lower()]
    if aux is None:
        if verb.lower() == lemma:  # "what they say": no tense to move
            return None
        aux = "does" if verb.lower() == f"{lemma}s" or verb.lower().endswith("es") else "did"
        verb = lemma
    return (
        f"{found.group('wh')}{found.group('adverb') or ''} {aux} {found.group('subject')} "
        f"{verb}{found.group('rest')}"
    )


def _named(clause: str) -> str | None:
    """ "who X is" as "who is X"; None for any other clause."""
    found = _COPULA_LAST.match(clause)
    if found is None:
        return None
    return f"{found.group('wh')} {found.group('verb')} {found.group('subject')}"


def _inverted(clause: str) -> str | None:
    """ "where the summit will be held" as "where will the summit be held"; None for
    any other clause."""
    found = _AUXILIARY_AFTER.match(clause)
    if found is None:
        return None
    return (
        f"{found.group('wh')} {found.group('aux')} {found.group('subject')} {found.group('rest')}"
    )
