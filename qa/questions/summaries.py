"""A message that asks for a summary rather than a fact: "What is this article about?",
"Summarize the news about Blinken.", "Give me a quick recap of the trip", "tl;dr".

Searched as a question, such a message has nothing to match: "What is this article
about?" has no words of the story, and the sentences most like "main points" are not
the story's. A news story's summary is its lead: `summary_request` says that a message
asks for one, and about what, and the service quotes the leads of the stories on that
topic (qa/extractive/summary.py). "Who is quoted in the article?" is read the same way, as
a request about the stories rather than a question, and answered with whom they quote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qa.questions.requests import is_chat, message_sentences
from qa.questions.timeframe import TimeFrame, time_frame, without_time_frames
from qa.records import Turn
from qa.speech.lexicon import alternation


@dataclass(frozen=True)
class SummaryRequest:
    """A summary asked for: of the stories on `topic`, or with no topic of the story in
    view ("What is this article about?"); `latest` when the newest is wanted ("What's the
    latest on the strike?"), `one_story` when one article is named ("the article").
    `quoted`: of whom the stories quote ("Who is quoted in the article?") rather than
    what they report, and `quoted_on_topic` when the quotes must be on the topic ("Who
    said what about Taiwan?"), not only the story ("... in the story about Taiwan?")."""

    topic: str | None
    latest: bool = False
    one_story: bool = False
    quoted: bool = False
    quoted_on_topic: bool = False
    skip: int = 0  # rounds of "tell me more" after it: what they showed is passed over
    frame: TimeFrame | None = None  # the time it sets: "this week's news"
    # "what happened to X?": the story of an event, found by the whole question as asked
    event: bool = False


# what the articles are called: "the article", "these stories", "the Reuters piece"
_DOCUMENTS = (
    "(?:"
    + alternation(
        "article articles story stories piece pieces report reports text texts news coverage "
        "headlines document documents item items".split()
    )
    + r")\b"
)
_DETERMINER = r"(?:this|that|the|these|those|today['’]s|the\s+latest|the\s+new|my|our|your)"
_ABOUT = r"(?:about|on|of|regarding|concerning|covering|from|in)"
_SUMMARY_NOUN = (
    r"(?:summary|rundown|recap|overview|digest|gist|synopsis|precis|précis|tl;?\s?dr|"
    r"lowdown|round-?up|briefing|brief)"
)
# what may open the request: a greeting, a filler, "please", "can you", "I'd like"
_OPENING = re.compile(
    r"""^(?:(?:hi|hello|hey)(?:\s+there|\s+newsdesk)?[,!.]*\s+)?
    (?:(?:ok(?:ay)?|so|well|now)[,]?\s+)?
    (?:(?:can|could|would|will)\s+(?:you|u)(?:\s+please)?\s+
      |(?:please|pls|kindly)[,]?\s+
      |i(?:['’]d|\s+would)\s+(?:like|love)\s+(?:you\s+to\s+)?
      |i\s+(?:want|need)\s+(?:you\s+to\s+)?
      |let['’]?s\s+(?:get|have|see)\s+
    )*""",
    re.IGNORECASE | re.VERBOSE,
)
# "summarize ...", "catch me up on ...": what follows is what to summarise
_VERB = re.compile(
    r"""^(?:summari[sz]e|sum\s+(?:(?:it|this|that|them|these)\s+)?up|recap|outline
      |brief\s+me\s+on|catch\s+me\s+up\s+on|fill\s+me\s+in\s+on
      |bring\s+me\s+up\s+to\s+speed\s+on|update\s+me\s+on)\b(?P<rest>.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
_KEY = r"(?:main|key|big|major|important|most\s+important|top|biggest)"
# "give me a quick summary of ...", "a summary please", "tl;dr", "give me the highlights",
# "key takeaways?", "the main points of the Blinken story"
_NOUN = re.compile(
    rf"""^(?:(?:give|get|send|show|write|provide|do|list|tell)\s+(?:me|us)\s+|list\s+|
      (?:i\s+)?need\s+)?
    (?:(?:a|an|the|your|its)\s+)?(?:(?:short|brief|quick|fast|one-(?:line|sentence)|two-line|
      simple|plain)\s+)*
    (?:{_SUMMARY_NOUN}|(?:{_KEY}\s+)*takeaways
      |(?P<points>(?:{_KEY}\s+)*highlights|(?:{_KEY}\s+)+(?:points|facts)))
    \b(?P<rest>.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
# "what is this article about?", "what are the stories about?"
_WHAT_ABOUT = re.compile(
    rf"^what(?:['’]s|\s+is|\s+are)\s+(?:it|{_DETERMINER}\s+(?:\S+\s+){{0,2}}?{_DOCUMENTS})"
    r"\s+(?:all\s+)?about\W*$",
    re.IGNORECASE,
)
# "what does the article say?", "what do these stories cover?", with no topic after it
_WHAT_SAYS = re.compile(
    rf"^what\s+(?:does|do)\s+{_DETERMINER}\s+(?:\S+\s+){{0,2}}?{_DOCUMENTS}"
    r"\s+(?:say|tell\s+(?:me|us)|cover|report)\W*$",
    re.IGNORECASE,
)
# "what are the main points?", "what's the gist of the story?", "key takeaways from the
# Blinken article?": of the articles, or about a topic, never "points of disagreement"
_WHAT_POINTS = re.compile(
    rf"""^what(?:['’]s|\s+is|\s+are|\s+were)\s+(?:the\s+)?
    (?:{_KEY}\s+)*
    (?:(?P<points>points?|facts|highlights?|headlines?)|takeaways?|gist|upshot|
      bottom\s+line|{_SUMMARY_NOUN})\b(?P<rest>.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
# "who is quoted in the article?", "which officials are cited?", "who are the sources?",
# "who said what about Taiwan?": whom the stories quote (never "who spoke at the rally?",
# which asks who did something)
_QUOTED = re.compile(
    rf"""^(?:who(?:m)?(?:['’]s|\s+is|\s+are|\s+was|\s+were|\s+gets|\s+got)\s+(?:being\s+)?
        (?:quoted|cited|interviewed)
      |which\s+(?:people|persons|officials|experts|sources|voices)\s+(?:are|were|get|got)\s+
        (?:quoted|cited|interviewed)
      |who(?:m)?\s+(?:does|do|did)\s+{_DETERMINER}\s+(?:\S+\s+){{0,2}}?{_DOCUMENTS}\s+
        (?:quote|cite|interview)
      |(?:who|what)\s+(?:are|were)\s+(?:the|its|their|the\s+article['’]s|the\s+story['’]s)\s+
        sources
      |who\s+said\s+what)\b(?P<rest>.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
# "what's the latest on the strike?", "what's new with Artemis?", "any news?"
_LATEST = re.compile(
    r"""^(?:what(?:['’]s|\s+is|\s+are)\s+(?:the\s+(?:latest|news)|new)(?:\s+(?:news|headlines?))?
      |(?:is\s+there\s+)?any(?:thing)?\s+(?:new|news|updates?))
    (?:\s+(?:on|about|with|in|from)\s+(?P<topic>.+))?$""",
    re.IGNORECASE | re.VERBOSE,
)
# "what happened to Danelo Cavalcante?", "what happened at the parade?": the news of an
# event, which its story's lead tells (not "what happened after the vote?", which asks
# for an outcome, nor "what happened next?", which goes on with a summary)
_HAPPENED = re.compile(
    r"^what(?:['’]s|\s+has|\s+had)?\s+happen(?:ed|s|ing)\s+(?:to|at|in|with|on)\s+(?P<topic>.+)$",
    re.IGNORECASE,
)
# "what happened to him?": the conversation says who, so it is a follow-up question
_PRONOUN = re.compile(r"^(?:him|her|them|it|us|me|you|this|that|these|those)\W*$", re.IGNORECASE)
# how the request ends, after its topic: "for me", "please", "in three sentences"
_TRAILER = re.compile(
    r"""(?:[,\s]+(?:for\s+(?:me|us)|please|pls|briefly|quickly|thanks?(?:\s+you)?|
      in\s+(?:a\s+few|one|two|three|four|five|\d+)\s+(?:sentences?|lines?|words?|bullets?|points?)
      |in\s+(?:brief|short|a\s+nutshell|plain\s+english)))+\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# a time that owns what is asked for: "this week's news", "today's headlines"
_TIME_OWNED = re.compile(
    r"\b(?:today|tonight|yesterday|this\s+(?:week|weekend|morning|evening|month|year)|"
    r"last\s+(?:week|weekend|night|month)|the\s+week)['’]s\s+",
    re.IGNORECASE,
)
_THE_DOCUMENTS = re.compile(
    rf"^(?:{_DETERMINER}\s+)?(?P<named>(?:\S+\s+){{0,3}}?){_DOCUMENTS}"
    rf"(?:\s+{_ABOUT}\s+(?P<topic>.+))?$",
    re.IGNORECASE,
)
_POINTS_OF = re.compile(
    rf"^(?:the\s+)?(?:{_KEY}\s+)*(?:points?|takeaways?|highlights?|gist|facts)\s+(?:of|from|in)\s+",
    re.IGNORECASE,
)
_NO_TOPIC = re.compile(
    r"^(?:it|this|that|them|these|those|everything|all(?:\s+of\s+(?:it|them))?)?$", re.IGNORECASE
)
_ONE_STORY = re.compile(r"\b(?:article|story|piece|report|text|document|item)\b", re.IGNORECASE)
_TERMINAL = re.compile(r"[\s.?!:;,]+$")
# "tell me more", "what else?", "go on": the next part of what was shown, after a summary
_MORE = re.compile(
    r"""^(?:and\s+|ok(?:ay)?[,]?\s+|so[,]?\s+)?
    (?:(?:tell|give|show)\s+me\s+more|more(?:\s+please)?|what\s+else|anything\s+else
      |go\s+on|continue|keep\s+going|and\s+then|what\s+happened\s+next|more\s+details?)
    (?:\s+(?:about|on|from)\s+(?:it|that|this|them|the\s+stor(?:y|ies)|the\s+articles?))?$""",
    re.IGNORECASE | re.VERBOSE,
)


def summary_request(message: str) -> SummaryRequest | None:
    """The summary `message` asks for, or None when it asks something else (the
    message's other sentences may be only thanks or instructions, not a question).

    >>> asked = summary_request("What is this article about?")
    >>> asked.topic, asked.one_story, asked.quoted
    (None, True, False)
    >>> summary_request("Can you summarize the news about Blinken's trip for me?").topic
    "Blinken's trip"
    >>> summary_request("Give me a quick recap of the Reuters story on chips.").topic
    'chips'
    >>> summary_request("What's the latest on the rail strike?").latest
    True
    >>> summary_request("Who said what about Taiwan?").quoted_on_topic
    True
    >>> summary_request("What are the main points of disagreement?") is None
    True
    >>> summary_request("What did Kritenbrink say about expectations?") is None
    True

    "What happened to X?" asks for the news of an event, which one story's lead tells:

    >>> asked = summary_request("What happened to Danelo Cavalcante?")
    >>> asked.topic, asked.one_story, asked.event
    ('Danelo Cavalcante', True, True)
    >>> summary_request("What happened after the vote?") is None
    True
    >>> summary_request("What happened to him?") is None
    True
    """
    # the time it sets is read by the service (qa/questions/timeframe.py), not as a
    # topic: "this week's news", "the headlines today"
    sentences = message_sentences(without_time_frames(_TIME_OWNED.sub("", message)))
    found = [r for r in map(_requested, sentences) if r is not None]
    if not found:
        return None
    asks_else = any("?" in s and _requested(s) is None and not is_chat(s) for s in sentences)
    return None if asks_else else replace(found[0], frame=time_frame(message))


def continued_summary(message: str, turns: Sequence[Turn]) -> SummaryRequest | None:
    """The summary `message` asks to go on with ("Tell me more", "What else?") when the
    conversation's last request for one was answered, with `skip` the rounds of it
    already shown; None for anything else.

    >>> turns = [Turn("What is this article about?", "The vote passed. [1]")]
    >>> continued_summary("Tell me more.", turns).skip
    1
    >>> continued_summary("What else?", [*turns, Turn("What else?", "It goes on. [1]")]).skip
    2
    >>> continued_summary("What else?", [Turn("What did Lee say?", "He spoke. [1]")]) is None
    True
    """
    if not _asks_more(message):
        return None
    skip = 1
    for turn in reversed(turns):
        if (asked := summary_request(turn.question)) is not None:
            return replace(asked, skip=skip) if "[1]" in turn.answer else None
        if not _asks_more(turn.question):
            return None
        skip += 1
    return None


def _asks_more(message: str) -> bool:
    text = _TERMINAL.sub("", message.strip())
    text = text[_OPENING.match(text).end() :]  # type: ignore[union-attr]  # matches ""
    return bool(_MORE.match(_TERMINAL.sub("", text)))


def _requested(sentence: str) -> SummaryRequest | None:
    """The summary one sentence asks for (see `summary_request`)."""
    asked = _asked(sentence)
    if asked is None or not _ONE_STORY.search(sentence):
        return asked
    return replace(asked, one_story=True)


def _asked(sentence: str) -> SummaryRequest | None:
    text = _TERMINAL.sub("", sentence.strip())
    text = _TERMINAL.sub("", _TRAILER.sub("", text))
    text = text[_OPENING.match(text).end() :]  # type: ignore[union-attr]  # matches ""
    if found := _QUOTED.match(text):
        rest = found.group("rest").strip()
        if rest and not re.match(r"(?:in|on|about|regarding|concerning|from)\b", rest, re.I):
            return None  # "who was cited by the court?", "... for speeding?": a question
        topic = _topic(rest)
        in_story = bool(re.match(rf"(?:in|from)\s+{_DETERMINER}", rest, re.IGNORECASE))
        return SummaryRequest(topic, quoted=True, quoted_on_topic=bool(topic) and not in_story)
    if _WHAT_ABOUT.match(text) or _WHAT_SAYS.match(text):
        return SummaryRequest(None)
    if found := _LATEST.match(text):
        topic = found.group("topic")
        return SummaryRequest(_topic(topic, about_given=True) if topic else None, latest=True)
    if (found := _HAPPENED.match(text)) and not _PRONOUN.match(found.group("topic")):
        topic = _topic(found.group("topic"), about_given=True)
        if topic is None:  # "what happened in the news?": the news, as "what's the latest?"
            return SummaryRequest(None, latest=True)
        return SummaryRequest(topic, one_story=True, event=True)
    for pattern in (_WHAT_POINTS, _VERB, _NOUN):
        if found := pattern.match(text):
            rest = found.group("rest").strip()
            of = re.match(r"^(?:of|from|in)\s+(?P<what>.+)$", rest, re.IGNORECASE)
            if found.groupdict().get("points") and of and not _THE_DOCUMENTS.match(of["what"]):
                return None  # "the main points of disagreement": a question, not a summary
            return SummaryRequest(_topic(rest))
    return None


def _topic(rest: str, *, about_given: bool = False) -> str | None:
    """The topic in what follows a request's verb or noun: "the news about X", "the X
    story", "of X", "X"; None for the articles themselves or "it".

    >>> _topic("the news about Blinken"), _topic("this story"), _topic("of the visit")
    ('Blinken', None, 'the visit')
    """
    rest = _TERMINAL.sub("", rest.strip())
    rest = re.sub(r"\s+(?:from|of|in|on|for|during|over)$", "", rest)  # "... from [last week]"
    rest = _POINTS_OF.sub("", rest)  # "outline the main points of the article"
    if not about_given:
        rest = re.sub(rf"^{_ABOUT}\s+", "", rest, flags=re.IGNORECASE)
    if _NO_TOPIC.match(rest):
        return None
    if found := _THE_DOCUMENTS.match(rest):
        inner = found.group("topic") or found.group("named").strip()
        return _topic(inner) if inner else None
    return rest
