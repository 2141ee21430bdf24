"""The time a question asks about, when it says so relative to the day it is asked.

"The IRS announced it will do what this week?" asked as of 2022-06-23 is not answered by
an article of January that says what the IRS announced then: the bi-encoder scores it
high, but it is other news. A question that places its event relative to its own day
("this week", "on Monday", "last month", "recently", "right now", "this fall", "next
year") gives a window before `as_of` in which the reporting of that event was published;
evidence from articles published before the window does not answer it. Without `as_of`
there is no day to count from, and nothing is ruled out.

The windows are wider than the words, for reporting that comes before or after the
event (a preview on Friday of Monday's launch, a follow-up a few days on), and undated
articles are never ruled out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from index.readers.metadata import month_number

_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b"
)
_SEASON = r"(?:spring|summer|fall|autumn|winter)"
# a weekday and its part of the day, "Sunday night"; not "Tuesday Jan. 4" (a date),
# "Sunday mornings" (every Sunday) or "Monday Night Football" (a name)
_ON_WEEKDAY = (
    rf"{_WEEKDAY}(?: (?:morning|afternoon|evening|night)\b(?!s))?\b(?!s\b)(?!,? {_MONTH})"
    r"(?!\s+(?-i:[A-Z]))(?!\s+(?:morning|afternoon|evening|night)s\b)"
)
# the words before a weekday that make it a name: Black Friday, Super Bowl Sunday
_WEEKDAY_NAMING = frozenset(
    "black cyber good ash super holy easter palm bloody giving maundy fat shrove whit blue "
    "bowl travel".split()
)
# (pattern, days before as_of that the reporting may be published), most specific first
_FRAMES: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), days)
    for pattern, days in (
        # the week the question is asked in: a preview may come a week ahead
        (r"\b(?:(?:this|last|past) weekend|over the weekend)\b", 14),
        (r"\b(?:earlier |later )?this (?:past )?week\b", 14),
        (r"\b(?:today|tonight|yesterday|this (?:morning|afternoon|evening))\b", 14),
        # "on Monday", "last Friday"; not "on Monday, June 6" (a date, not relative)
        (rf"\b(?:on|last|this|past) {_ON_WEEKDAY}", 14),
        # "early Thursday", "without power Thursday night"; not "Black Friday" (a name)
        (rf"\b(?:(?:early|late) )?{_ON_WEEKDAY}", 14),
        (r"\b(?:(?:a few|several|two|three|\d+) )?days ago\b", 14),
        (r"\b(?:in )?the (?:past|last) (?:(?:few|couple of|several|two|three) )?days\b", 14),
        (r"\b(?:last|past) week\b", 21),
        (r"\b(?:earlier |later )?this (?:past )?month\b", 45),
        (r"\b(?:last|past) month\b", 75),
        (r"\brecent(?:ly)?\b", 45),
        # what holds when it is asked: "seeing a boost right now" is not December's news
        (r"\b(?:right now|currently|at (?:the|this) moment|at present|these days)\b", 45),
        (r"\b(?:(?:a few|several|two|three|\d+) )?weeks ago\b", 45),
        (r"\b(?:in )?the (?:past|last) (?:(?:few|couple of|several|two|three) )?weeks\b", 45),
        # a season is some three months, and its plans are reported a month ahead; "the
        # fall of Kabul" or "this fall in prices" is a drop, not a season
        (rf"\b(?:this|for(?: the)?) {_SEASON}\b(?!\s+(?:of|in|to|from|by)\b)", 120),
        (r"\b(?:earlier |later )?this (?:past )?year\b", 365),
        # what is ahead is previewed now: "next week" reported two years ago was another week
        (rf"\b(?:tomorrow|next (?:weekend|week|{_WEEKDAY}))\b", 14),
        (r"\bnext month\b", 45),
        (rf"\bnext {_SEASON}\b", 120),
        (r"\bnext year\b", 365),
    )
)


_CURRENT = frozenset(
    ("right now", "currently", "at the moment", "at this moment", "at present", "these days")
)


@dataclass(frozen=True)
class TimeFrame:
    """The words that place a question's event (`phrase`), and how many days before the
    day it is asked its reporting may be published (`days`)."""

    phrase: str
    days: int

    @property
    def described(self) -> str:
        """The phrase as a notice names the time: "on monday" is "Monday", "for the fall"
        and "over the weekend" "the fall" and "the weekend", "recently" "recent news",
        "right now" or "currently" "current news".

        >>> [TimeFrame(p, 14).described for p in ("on monday", "for the fall", "this week")]
        ['Monday', 'the fall', 'this week']
        >>> TimeFrame("right now", 45).described
        'current news'
        """
        words = re.sub(r"^(?:on|for|over|in)\s+", "", self.phrase)
        if words in ("recent", "recently"):
            return "recent news"
        if self.current:
            return "current news"
        return re.sub(_WEEKDAY, lambda m: m.group(0).capitalize(), words)

    @property
    def current(self) -> bool:
        """Whether it asks what holds on the day asked ("right now", "currently"), not
        when an event was."""
        return self.phrase in _CURRENT

    def earliest(self, as_of: date) -> date:
        """The first day whose articles can answer, asked as of `as_of`.

        >>> TimeFrame("this week", 14).earliest(date(2022, 6, 23))
        datetime.date(2022, 6, 9)
        """
        return as_of - timedelta(days=self.days)


# every pattern of _FRAMES needs one of these words: a question without them sets no frame
# (most set none, and scanning them with each pattern in turn cost every answer 37 us)
_FRAME_WORDS = (
    "day week tonight morning afternoon evening month recent now currently moment present "
    "spring summer fall autumn winter year tomorrow"
).split()


def _may_set_a_frame(text: str) -> bool:
    lower = text.lower()
    return any(word in lower for word in _FRAME_WORDS)


def time_frame(question: str) -> TimeFrame | None:
    """The time frame `question` sets relative to its own day, or None.

    >>> time_frame("The IRS announced it will do what this week?")
    TimeFrame(phrase='this week', days=14)
    >>> time_frame("In a recent major drug bust, what was seized?").phrase
    'recent'
    >>> time_frame("Which treat did McDonald’s add to its menu for the fall?")
    TimeFrame(phrase='for the fall', days=120)
    >>> time_frame("Who hosts the Today show?") is None
    True
    >>> time_frame("Which app did Apple release on Monday, June 6?") is None
    True
    >>> time_frame("Who won the 2022 NHL Stanley Cup Finals?") is None
    True
    """
    if not _may_set_a_frame(question):
        return None
    for pattern, days in _FRAMES:
        for match in pattern.finditer(question):
            if not _in_a_name(question, match.start()):
                return TimeFrame(match.group(0).lower(), days)
    return None


def _in_a_name(text: str, start: int) -> bool:
    """Whether the words at `start` are capitalised inside a sentence, as in a title or a
    name ("the Today show", "Tomorrow Never Dies"), not a time.

    >>> _in_a_name("What did she say on the Today show?", 24)
    True
    >>> _in_a_name("Today, who won?", 0), _in_a_name("Who won. Today?", 9)
    (False, False)
    >>> _in_a_name("What sold out on Black Friday?", 23), _in_a_name("Who lost power Friday?", 15)
    (True, False)
    >>> _in_a_name("What happened in Kyiv Monday?", 21)
    False
    """
    before = text[:start].rstrip()
    if not before or before[-1] in '.?!:;"“(—':
        return False
    if re.match(_WEEKDAY, text[start:], re.IGNORECASE):
        # a weekday is always capitalised: it is in a name after the words that make
        # one ("Black Friday", "Super Bowl Sunday"), not after any capitalised word
        # ("in Kyiv Monday")
        return before.split()[-1].strip("’'").lower() in _WEEKDAY_NAMING
    return text[start].isupper()


_CALENDAR_WORD = re.compile(rf"(?:{_WEEKDAY}|{_MONTH})\.?", re.IGNORECASE)


def names_a_day(name: str) -> bool:
    """Whether `name` is only months and weekdays: a time frame, not what is asked.

    >>> names_a_day("February"), names_a_day("Sept."), names_a_day("Theresa May")
    (True, True, False)
    """
    return all(_CALENDAR_WORD.fullmatch(word) for word in name.split())


def without_time_frames(text: str) -> str:
    """`text` without the words that place it in time relative to its day.

    >>> without_time_frames("about taxes this week")
    'about taxes'
    >>> without_time_frames("about the Today show")
    'about the Today show'
    """
    if _may_set_a_frame(text):
        for pattern, _ in _FRAMES:
            text = pattern.sub(
                lambda m: m.group(0) if _in_a_name(m.string, m.start()) else " ", text
            )
    return re.sub(r"\s{2,}", " ", text).strip()


def published_since(published: str | None, since: str | None) -> bool:
    """Whether an article published on `published` (ISO) is inside a frame starting
    `since`. An undated article is never ruled out, and no frame rules out nothing.

    >>> published_since("2022-01-10", "2022-06-09"), published_since(None, "2022-06-09")
    (False, True)
    """
    return since is None or not published or published >= since


# a year; and the month (and day) just before it, when given: "October 2, 2020", "in
# January 2021", "a 2019 study"
_YEAR_DATE = re.compile(r"\b(?:19|20)\d\d\b")
_YEAR_HINT = re.compile(r"(?:19|20)\d\d")  # what every _YEAR_DATE holds, found faster
_MONTH_BEFORE = re.compile(
    rf"\b(?P<month>{_MONTH})\.?,?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?$", re.IGNORECASE
)
# words before a date that make it a point of reference, not when the sentence's event is
_REFERENCE = frozenset("since before than until till through by from".split())


def only_older_dates(sentence: str, since: date) -> bool:
    """Whether every date `sentence` places its event on (a year, with its month when
    given) ended before `since`, and it names no day near its own ("Monday", "this week",
    "recently"): it tells of older news, however new its article. "Which official tested
    positive this week?" is not answered by "Trump tweeted on October 2, 2020 that he had
    tested positive", quoted by a story of this week.

    >>> only_older_dates("Trump tweeted on October, 2, 2020 that he was ill.", date(2022, 7, 7))
    True
    >>> only_older_dates("Biden, in office since 2021, tested positive Thursday.", date(2022, 7, 7))
    False
    >>> only_older_dates("Prices rose the most since May 1979.", date(2022, 7, 7))
    False
    >>> only_older_dates("It was signed in June 2022.", date(2022, 6, 9))
    False
    """
    if _YEAR_HINT.search(sentence) is None:  # most sentences have no year: 0.8 us, not 2.5
        return False
    ends = []
    for match in _YEAR_DATE.finditer(sentence):
        start = match.start()
        named = _MONTH_BEFORE.search(sentence, max(0, start - 24), start)
        if named is not None:
            start = named.start()
        before = sentence[max(0, start - 12) : start].split()
        if before and before[-1].lower() in _REFERENCE:
            continue
        month = month_number(named["month"]) if named else 12
        ends.append((int(match.group()), month))
    if not ends or max(ends) >= (since.year, since.month):
        return False
    return time_frame(sentence) is None
