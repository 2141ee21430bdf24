"""Answer types: what kind of thing a question asks for, and whether a sentence holds one.

A "when" question wants a date, "how many" a number, "who" a person and "where" a place.
The checks are rules over words, measured rather than modelled: no maintained entity
tagger ships its model in a package this project can install offline (spaCy's English
models are downloaded from GitHub, not PyPI). The question's asking clause decides the
type, so "In which month ...", "Approximately how many ..." and a question that opens
with a sentence of context ("Gas prices hit a record. How much ...?") are typed too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from index import lexical_terms
from qa.speech.lexicon import GROUP_HEADS, PERSON_HEADS, alternation, forms
from qa.speech.patterns import STOP_WORDS

_WH_WORD = re.compile(r"\b(who|whom|whose|what|which|when|where|why|how)\b", re.I)
# a sentence break inside a question: a stop, then a capital (not "U.S. Secretary")
_BREAK = re.compile(r"(?<=[a-z0-9”\"][.!?])\s+(?=[A-Z“\"])")


@lru_cache(maxsize=1024)
def asking_clause(question: str) -> str:
    """The part of `question` that asks: from the first question word of its last
    sentence (of the whole question when that sentence has none).

    >>> asking_clause("Gas prices hit a record. On average, how much is a gallon?")
    'how much is a gallon?'
    >>> asking_clause("In which month was the trip planned?")
    'which month was the trip planned?'
    >>> asking_clause("How long since a U.S. Secretary of State went to China?")
    'How long since a U.S. Secretary of State went to China?'
    """
    last = _BREAK.split(question.strip())[-1]
    found = _WH_WORD.search(last) or _WH_WORD.search(question)
    if found is None:
        return question.strip()
    return (last if found.string is last else question)[found.start() :].strip()


_WH_DATE = re.compile(
    r"^(when|what (day|date|time|year|month)|which (day|date|year|month))\b", re.I
)
# "What was the final vote count ...?", "What was Tiger Woods' final score?": the noun
# after at most three words that are not "of", "for", ... ("the name of the budget chief"
# asks a name)
_MODIFIERS = r"(?:(?!(?:of|for|in|on|at|to|and|by|with)\s)[\w’'.-]+\s+){0,3}?"
_WH_THE = rf"(what|which) (is|was|are|were|will)?\s*(the )?{_MODIFIERS}"
_WH_NUMBER = re.compile(
    r"^(how (many|much|long|old|far|big|large|fast|high|tall|deep|heavy|wide)\b|"
    rf"{_WH_THE}(number|percentage|share|population|amount|size|age|toll|total|rate|score|"
    r"count|tally|limit|cap|threshold|ceiling)\b)",
    re.I,
)
# "What was the production budget of Black Adam?", "What is the price of ...?": money
_WH_MONEY_NOUN = re.compile(
    rf"^{_WH_THE}(cost|price|budget|salary|fee|fine|bail|wage|revenue|fortune)s?\b", re.I
)
# what is raised is money, unless the verb takes an object: "How much have the rains
# raised Lake Mead?" asks a level
_RAISED = r"(?:raised?|raises)(?!\s+(?:the|a|an|its|their|his|her|(?-i:[A-Z])))"
# "how much" asked of money: a cost, a price, a payment, a fine, earnings, damages,
# revenue, funding, a loan, a deduction
_WH_MONEY = re.compile(
    r"^how much\b(?=.*\b(money|costs?|costing|pays?|paid|spends?|spent|charges?|charged|"
    r"fined?|fines|earns?|earned|worth|dollars|damages?|salary|wages|prize|revenues?|"
    rf"deductions?|funding|funds?|budget|loans?|debts?|profits?|{_RAISED}|bail|"
    r"settlement|donat\w*|grants?|sales)\b)",
    re.I,
)
# an amount of money: a currency sign, or a currency named ("an 8,800-pound container"
# weighs)
_MONEY = re.compile(
    r"[$£€¥]|\b(dollars?|cents?|euros?|(?<!-)pounds?|yuan|yen|rupees?|pesos?|francs?|rubles?|"
    r"roubles?|USD|EUR|GBP)\b",
    re.I,
)
# an age asked for: "How old is he?", "At what age did she ...?"
_WH_AGE = re.compile(r"^(how old|(at )?what age)\b", re.I)
# an age: "17-year-old", "aged 46", "at the age of 54", "died at 91", "At 52,", "Klum,
# 46,", "He was 96.", "in her 80s", "nearly 50,000 years" (of a thing)
_AGE = re.compile(
    r"\b\d[\d,]*[- ](?:years?|months?|weeks?|days?)(?:[- ]old)?\b|\baged?\s+(?:of\s+)?\d{1,3}\b|"
    r"\bdied\s+at\s+\d{1,3}\b(?!\s*(?:[ap]\.?m|:|\d))|"
    r"\b[Aa]t\s+\d{1,3},|,\s*\d{1,3},|\b(?:is|was|turns?|turned|be)\s+\d{1,3}(?=\s*[.,;]|$)|"
    r"\b(?:in\s+(?:his|her|their)\s+)(?:early\s+|mid-?|late\s+)?\d0s\b",
)
# a share asked for: "What percentage of ...?", "What share of ...?"
_WH_SHARE = re.compile(
    r"^(what|which) (is|was|are|were)?\s*(the )?(percentage|percent|share|proportion|fraction)\b",
    re.I,
)
# a share: a percentage, or a fraction in words ("two-thirds", "one in four", "half")
_SHARE = re.compile(
    r"\d\s*(%|percent\b|per cent\b)|\b(half|majority|one in \w+|"
    r"(a|one|two|three|four|nine)[- ](third|quarter|fourth|fifth|sixth|tenth)s?)\b",
    re.I,
)
# a day, a month, a year ...: not the "month" of "a 10-month-old" or "a two-week trip"
_DATE = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|"
    r"(?<!-)(?:week|month|year)(?!-)|january|february|march|april|may|june|july|august|"
    r"september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|"
    r"\d{4}|\d{1,2}:\d\d|since|until|ago|decade|century)\b|"
    # a time of day: "at 6 p.m." ("\bp\.m\.\b" would need a letter after it)
    r"\b\d{1,2}(?::\d\d)?\s*[ap]\.?m\.?(?!\w)|\b(?:noon|midnight)\b",
    re.I,
)
# the cardinals written as words, two to ninety
_CARDINALS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
_NUMBER = re.compile(
    rf"\d|\b({_CARDINALS}|(dozen|hundred|thousand|million|billion|trillion)s?|"
    r"half|several|first|second|third)\b",
    re.I,
)

# "What time does the parade start?": a time of day, not the day ("at 6 p.m.")
_ASKS_CLOCK = re.compile(r"^what\s+time\b(?!\s+(?:period|frame|zone|span)\b)", re.I)
_CLOCK = re.compile(
    r"\b\d{1,2}(?::\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)(?!\w)|\b\d{1,2}:\d\d\b|\bnoon\b|\bmidnight\b|"
    r"\bo['’]clock\b",
    re.I,
)


# what a notice calls each kind a question asks for
_KIND_NAMES = {
    _CLOCK: "time of day",
    _DATE: "date",
    _AGE: "age",
    _MONEY: "amount of money",
    _SHARE: "percentage or share",
    _NUMBER: "number",
}

_WH_WHO = re.compile(r"^(who|whom|whose)\b", re.I)
# "Where ...?", and "Which city/airport/hospital ...?" ("At which airport was Griner
# exchanged?"): not "Which hotel chain", a company
_WH_WHERE = re.compile(
    r"^(where|(what|which) (other )?(city|country|state|place|nation|region|province|continent|"
    r"town|village|county|neighbou?rhood|island|street|airport|hospital|prison|jail|stadium|"
    r"arena|venue|hotel)s?\b(?!\s+(?:chains?|groups?|compan(?:y|ies)|brands?|operators?|"
    r"owners?)\b))",
    re.I,
)
# a capitalised word that does not open the sentence: most often a name
# (the lookahead passes over a position no match starts at without trying each branch)
_INNER_NAME = re.compile(r"(?=[A-Z])(?:(?<=[\w,;:’'\"”)]\s)[A-Z][a-z]+|(?<=\s)[A-Z]{2,}\b)")
_PERSON_WORDS = re.compile(
    rf"\b(he|she|they|(?:{PERSON_HEADS})s?|leaders?|police|lawmakers|authorities)\b", re.I
)
_WORD = re.compile(r"\w+")
# the prepositions and articles of _PLACE's matches: they say where, not which place
_LINKS = frozenset("in at from to near across inside outside the".split())
# a place: a name after "in", "at", ..., or a word for one; a street's address too ("in
# the 2200 block of Locust St.")
_PLACE = re.compile(
    r"\b(in|at|from|to|near|across|inside|outside)\s+(the\s+)?[A-Z]|\b(city|country|state|"
    r"province|region|capital|border|island|town|village|airport|abroad|overseas|"
    r"block|street|avenue|road|boulevard|highway|intersection)\b"
)


# "Where ...?", and no other question of place (`place_missing`)
_WH_PLACE_ONLY = re.compile(r"^where\b", re.I)
# a place a sentence opens on: "In New Jersey, it's been illegal ..."
_OPENING_PLACE = re.compile(r"^\W*(?:In|At|From|Near|Outside|Inside)\s+(?:the\s+)?[A-Z]")


# "Who ...?" or "Whom ...?", but not "Who said ...?" (`person_missing`)
_WH_WHO_ASKS = re.compile(rf"^(?:who|whom)\b(?!\s+(?:{alternation(forms())})\b)", re.I)
# a sentence's first word, past its opening quotation marks
_OPENING_WORD = re.compile(r"^[\W_]*([A-Z][\w’'-]*)")


def expected_kind_present(question: str, sentence: str) -> bool:
    """Whether `sentence` holds what a "when"/"how many" question asks for (else True),
    beyond what the question itself says: the week it names is not its answer.

    >>> expected_kind_present("When will Blinken visit?", "He visits next week.")
    True
    >>> expected_kind_present("How many people died?", "Officials were shocked.")
    False
    >>> expected_kind_present("What did Biden do this week?", "Biden spoke this week.")
    True
    >>> expected_kind_present("When was the March deal signed?", "The March deal stands.")
    False
    >>> expected_kind_present("How much did the decorations cost?", "150 volunteers came.")
    False
    >>> expected_kind_present("How much did Tidal cost?", "Jay Z paid $56 million.")
    True
    >>> expected_kind_present("How much did the wall cost?", "The 8,800-pound boxes stand.")
    False
    >>> expected_kind_present("What percentage voted yes?", "3 million were to vote.")
    False
    >>> expected_kind_present("What share of adults are fit?", "One in four people are.")
    True
    """
    pattern = _kind_wanted(question)
    return True if pattern is None else _holds_new(pattern, sentence, question)


@lru_cache(maxsize=256)
def _kind_wanted(question: str) -> re.Pattern[str] | None:
    """What a sentence must hold to answer a "what time" (a time of day), "when" (a
    date), "what percentage" (a share), "how old" (an age), "how much" of money or "what
    was the budget" (an amount of money), or "how many" or "what was the final score"
    (a number) question; None for any other. Read once a question, not once a
    sentence."""
    asked = asking_clause(question)
    if asks_clock(question):  # a time of day, not a day: "at 10:30 p.m."
        return _CLOCK
    if _WH_DATE.search(asked):
        return _DATE
    if _WH_SHARE.search(asked):
        return _SHARE
    if _WH_AGE.search(asked):
        return _AGE
    if _WH_MONEY.search(asked) or _WH_MONEY_NOUN.search(asked):
        return _MONEY
    if _WH_NUMBER.search(asked):
        return _NUMBER
    return None


def _holds_new(pattern: re.Pattern[str], sentence: str, question: str) -> bool:
    """Whether `pattern` matches in `sentence` something whose words are not all the
    question's own ("Where in Beijing ..." is not answered by "a visit to Beijing").

    >>> _holds_new(_PLACE, "They arrived in Beijing.", "Where in Beijing will they stay?")
    False
    >>> _holds_new(_PLACE, "They stay at the Diaoyutai guesthouse.", "Where will they stay?")
    True
    """
    asked = _question_words(question)
    read = -1  # where the words read so far end
    for match in pattern.finditer(sentence):
        start, end = match.span()
        if end <= read:
            continue  # inside words read already ("2023" of its "0"): none is new
        # a match may start or stop inside a word ("in B" of "in Beijing", the "0" of
        # "20"): read its words whole
        while start > 0 and sentence[start - 1].isalnum():
            start -= 1
        while end < len(sentence) and sentence[end].isalnum():
            end += 1
        for word in _WORD.findall(sentence, start, end):
            word = word.lower()
            if word not in asked and word not in _LINKS:
                return True
        read = end
    return False


@lru_cache(maxsize=256)
def _question_words(question: str) -> frozenset[str]:
    """The question's words, lower-cased: read once a question, not once a sentence."""
    return frozenset(w.lower() for w in _WORD.findall(question))


_HOW_MANY = re.compile(r"\bhow many\b", re.I)
# a count: digits ("1,000", "4.8"), or a cardinal in words; not "thousands of", "several"
# or "first", which give none, nor the number of a name ("Covid-19", "G-7")
_COUNT = re.compile(
    r"(?<![\w.,-])\d[\d,.]*\d(?![\w:%])|(?<![\w.,-])\d(?![\w:%]|[.,]\d)|"
    rf"\b(?:{_CARDINALS}|dozen)\b",
    re.I,
)
# what makes a number an amount of money, a share, a year, a day or a time: no count
_NOT_COUNTED_BEFORE = re.compile(
    r"(?:[$£€¥]|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s)$", re.I
)
_NOT_COUNTED_AFTER = re.compile(
    r"^(?:\s*(?:hundred|thousand|million|billion|trillion))?\s*(?:%|percent|per cent|cents?\b|"
    r"dollars?\b|euros?\b|pounds?\b|yuan\b|yen\b|rubles?\b|a\.m\.|p\.m\.|st\b|nd\b|rd\b|th\b|"
    r"-year-old\b)",
    re.I,
)
# an age opening a sentence: "At 52, Jeffries would ..."
_AGE_OPENING = re.compile(r"^\W*at\s+$", re.I)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")


def counts(sentence: str, question: str) -> bool:
    """Whether `sentence` gives a count new to `question`: what a "how many" question
    asks for. A price, a percentage, a year, a day of a month or a time is a number but
    counts nothing: "How many states are under $4?" is not answered by "$4.52 a gallon".

    >>> counts("Nineteen states are under $4.", "How many states are under $4?")
    True
    >>> counts("The average is $4.52 a gallon, up 3% since 2021.", "How many states?")
    False
    >>> counts("It will call up 300,000 reservists on June 21.", "How many Russians?")
    True
    >>> counts("Thousands of Russians fled.", "How many Russians fled?")
    False
    >>> counts("At 52, Jeffries is the youngest; a 30-year-old aide joined.", "How many votes?")
    False
    >>> counts("It weighed the impact of Covid-19 on borrowers.", "How many times?")
    False
    """
    return next(_count_spans(sentence, question), None) is not None


def _count_spans(sentence: str, question: str) -> Iterator[tuple[int, int]]:
    """Where each count of `sentence` new to `question` starts and ends (`counts`)."""
    asked = _question_words(question)
    for match in _COUNT.finditer(sentence):
        number = match.group()
        if number.lower() in asked or _YEAR.match(number):
            continue
        if _NOT_COUNTED_BEFORE.search(sentence, 0, match.start()):
            continue
        if _NOT_COUNTED_AFTER.match(sentence[match.end() : match.end() + 16]):
            continue
        if _AGE_OPENING.match(sentence, 0, match.start()):
            continue
        yield match.span()


# what a "how many" question counts: up to three words after it, before its verb or a
# preposition ("How many foreign nationals were killed ...?", "How many puppies did ...?")
_COUNTED = re.compile(
    r"\bhow many\s+((?:(?!(?:is|are|was|were|did|do|does|has|have|had|will|would|can|could|"
    r"in|of|at|on|from|by|for|to|during|since|after|before|the|a|an)\b)[\w’'-]+\s*){1,3})",
    re.I,
)
_WORDS_AFTER_COUNT = re.compile(r"^(?:\W+[\w’'-]+){1,3}")


# counted by so many words ("12 dead", "killed 12", "12 victims") that none tells
_ANYONE = frozenset(("people", "persons", "others"))
# a verb in the past after "how many": "How many died?" counts people ("red", "seed" and
# "hundred" are no verbs)
_PAST = re.compile(r"\w{2,}(?<!e)(?<!hundr)ed")


@lru_cache(maxsize=256)
def counted_terms(question: str) -> frozenset[str]:
    """The terms of what a "how many" question counts (empty for any other, and for
    people: "How many people died?" and "How many died?" are answered by "killed 12").

    >>> sorted(counted_terms("How many puppies did she have?")), counted_terms("How many died?")
    (['puppi'], frozenset())
    """
    found = _COUNTED.search(asking_clause(question))
    counted = found.group(1) if found else ""
    first = counted.split()[0].lower() if counted else ""
    if not first or first in _ANYONE or _PAST.fullmatch(first):
        return frozenset()
    return frozenset(lexical_terms(counted))


def counts_asked(sentence: str, question: str) -> bool | None:
    """Whether `sentence` counts what a "how many" question counts: a count followed,
    within three words, by one of its words ("26 foreign nationals" for "How many
    foreign nationals were killed?", not "six students"). None where the question
    counts nothing it names.

    >>> counts_asked("Pebbles had 32 puppies in her lifetime.", "How many puppies did she have?")
    True
    >>> counts_asked("She was 22.", "How many puppies did Pebbles have?")
    False
    >>> counts_asked("Six students were among the dead.", "How many foreign nationals died?")
    False
    >>> counts_asked("It was 22.", "How much did it cost?") is None
    True
    """
    counted = counted_terms(question)
    if not counted:
        return None
    for _, end in _count_spans(sentence, question):
        after = _WORDS_AFTER_COUNT.match(sentence[end : end + 60])
        if after is not None and counted.intersection(lexical_terms(after.group())):
            return True
    return False


# words for people beyond the speaker rules' heads, and jobs: each is counted in too many
# words to tell ("How many children ...?" by "17 million kids", "How many Russians ...?"
# by "300,000 reservists", "How many jobs ...?" by "added 313,000 in February")
_MORE_PEOPLE = (
    "children|kids|babies|infants|adults|teens|teenagers|customers|clients|veterans|members|"
    "fans|patients|voters|troops|soldiers|migrants|immigrants|passengers|refugees|"
    "firefighters|citizens|nationals|americans|families|households|users|subscribers|"
    "viewers|guests|attendees|participants|applicants|recipients|inmates|prisoners|"
    "hostages|survivors|casualties|workers|employees|staff|jobs"
)
_PEOPLE_WORDS = frozenset(
    t for w in f"{PERSON_HEADS}|{GROUP_HEADS}|{_MORE_PEOPLE}".split("|") for t in lexical_terms(w)
)


def counts_things(question: str) -> bool:
    """Whether a "how many" question counts things, not people: "How many puppies ...?",
    not "How many children ...?" nor "How many Russians ...?", which a count of "kids" or
    "reservists" answers.

    >>> counts_things("How many puppies did she have?"), counts_things("How many kids?")
    (True, False)
    >>> counts_things("How many Russians were called up?"), counts_things("How many died?")
    (False, False)
    """
    found = _COUNTED.search(asking_clause(question))
    if found is None or not counted_terms(question):
        return False
    words = found.group(1).split()
    if any(w[:1].isupper() for w in words):
        return False
    return _PEOPLE_WORDS.isdisjoint(lexical_terms(found.group(1)))


# what may follow a count that stands alone for what was counted: the sentence's or a
# clause's end, or a preposition ("won by 30,000.", "added 313,000 in February")
_ALONE_AFTER = re.compile(
    r"\s*(?:[.,;:!?)”\"]|$)|\s+(?:in|on|at|by|from|for|since|during|over|and)\b"
)
# what before a count makes it a state, an age most often ("She was 22.")
_STATE_BEFORE = re.compile(r"\b(?:is|was|are|were|be|been|being|aged?|at)\s+$", re.I)


def counts_alone(sentence: str, question: str) -> bool:
    """Whether `sentence` holds a count that stands alone for what the question counts,
    naming nothing after it: "He won by 30,000." for "How many votes did he win by?".
    Not an age or a state ("She was 22.").

    >>> counts_alone("He won by 30,000.", "How many votes did he win by?")
    True
    >>> counts_alone("She was 22.", "How many puppies did she have?")
    False
    >>> counts_alone("He needs 218 votes to win.", "How many rounds did it take?")
    False
    """
    for start, end in _count_spans(sentence, question):
        if _ALONE_AFTER.match(sentence, end) and not _STATE_BEFORE.search(sentence, 0, start):
            return True
    return False


def asks_count(question: str) -> bool:
    """Whether the question asks "how many" (not "how much", which money answers).

    >>> asks_count("Approximately how many cases are there?"), asks_count("How much is it?")
    (True, False)
    """
    return _HOW_MANY.search(asking_clause(question)) is not None


def kind_missing(question: str, sentences: Iterable[str]) -> str | None:
    """What a "when", "how many" or "how much" question asks for, where none of
    `sentences` gives it (None where one does, or the question asks for no such kind):
    the articles mention the topic but do not answer. "How many episodes are in the
    first season?" is not answered by a sentence on the day the series came out. A
    question that counts things, not people (`counts_things`), wants a count of them
    (`counts_asked`): "How many bedrooms ...?" is not answered by "two children".

    >>> kind_missing("How many episodes are there?", ["It came out on February 4, 2022."])
    'count'
    >>> kind_missing("How many episodes are there?", ["It has eight episodes."]) is None
    True
    >>> kind_missing("How many bedrooms does it have?", ["Their two children grew up there."])
    'count'
    >>> kind_missing("How much did he spend on the office?", ["He spent 3 weeks on it."])
    'amount of money'
    >>> kind_missing("How much insured damage did the storm cause?", ["It hit 300 homes."])
    'amount of money'
    >>> kind_missing("When was the balloon shot down?", ["The balloon flew over."])
    'date'
    >>> kind_missing("Why did he resign?", ["He resigned."]) is None
    True
    >>> kind_missing("What time does it start?", ["It starts on Monday, May 2."])
    'time of day'
    """
    pattern = _kind_wanted(question)
    if pattern is None:
        return None
    count = asks_count(question)
    things = count and counts_things(question)
    for text in sentences:
        if things:
            if counts_asked(text, question) or counts_alone(text, question):
                return None
        elif counts(text, question) if count else expected_kind_present(question, text):
            return None
    return "count" if count else _KIND_NAMES[pattern]


def place_missing(question: str, sentences: Iterable[str]) -> bool:
    """Whether a "Where ...?" question is asked and none of `sentences` names a place
    beyond the question's own: the articles tell of the event, not where it was. "Where
    in Afghanistan was he?" is not answered by "a strike in Afghanistan killed him". Only
    "where": "Which country ...?" is answered by a bare name ("Sri Lanka is bankrupt"),
    which no rule over words tells from any other. The answer reads it in the sentences of
    every story it quotes that names what the question names (`of_stories_naming`).

    >>> place_missing("Where in Afghanistan was he?", ["A strike in Afghanistan killed him."])
    True
    >>> place_missing("Where will they stay?", ["In Beijing, they stay at the Diaoyutai."])
    False
    >>> place_missing("Who was killed?", ["A strike killed him."])
    False
    """
    if not _WH_PLACE_ONLY.search(asking_clause(question)):
        return False
    places = (_PLACE, _OPENING_PLACE)
    return not any(_holds_new(p, text, question) for text in sentences for p in places)


def person_missing(question: str, sentences: Iterable[str]) -> bool:
    """Whether a "Who ...?" question is asked and none of `sentences` names anyone or
    anything it does not: a capitalised word that is neither the question's nor one that
    names no one (`STOP_WORDS`, the speaker rules' list: "The", "However", a day, a
    month). "Who did Twitter name as its new CEO to replace Elon
    Musk?" is not answered by "Musk said he would abide by the poll's results." Not "Who
    said ...?": the answer may name its speaker only in the brackets the answer adds.

    >>> person_missing("Who did Twitter name to replace Musk?", ["Musk said he would go."])
    True
    >>> person_missing("Who took over from Iger?", ["Chapek took over from Iger in 2020."])
    False
    >>> person_missing("Who said it?", ["“It is over,” he said on Tuesday."])
    False
    """
    if not _WH_WHO_ASKS.search(asking_clause(question)):
        return False
    asked = _question_words(question)
    for text in sentences:
        words = [m.group() for m in _INNER_NAME.finditer(text)]
        opening = _OPENING_WORD.match(text)  # "Chapek took over ...", "The magazine ..."
        if opening is not None and lexical_terms(opening.group(1)):
            words.append(opening.group(1))
        if any(w not in STOP_WORDS and w.lower() not in asked for w in words):
            return False
    return True


# the thing a name is asked for: the words up to a clause, a preposition or the end
_THING = (
    r"(?P<thing>[^,?]*?)(?=\s+(?:who|whom|whose|that|which|where|when|in|at|on|from|for|by|"
    r"near|over|since|after|before|during|to|with|under|as)\b|[,?]|$)"
)
# "What is the name of the gunman ...?", "What was the codename of ...?", "What is the
# title of her book?": the words after "of", up to a clause or a preposition
_WH_NAME_OF = re.compile(
    r"^(?:what(?:['’]s\s+|\s+)|which\s+)(?:(?:is|was|are|were)\s+)?(?:the\s+)?(?:(?:full|first|last|"
    r"official|scientific|new)\s+)?(?:names?|nicknames?|codenames?|code\s+names?|titles?)\s+of\s+"
    rf"{_THING}",
    re.I,
)
# "Who did Boluarte appoint as prime minister ...?", "Who did Gov. Reeves appoint to the
# flag commission?": the post, after the verb of appointing
_WH_APPOINTED = re.compile(
    r"^(?:who|whom)\s+(?:did|does|do|will|would|has|have|had)\s+.+?\b(?:appoint|name|"
    r"nominate|pick|choose|select|tap|hire)\s+(?:as|to)\s+"
    rf"{_THING}",
    re.I,
)
# what a thing's name is given by: "the gunman, identified as Andre Bing", "a camp called
# ...", "dubbed the ...", "appointed Raymond Dearie"
_NAMED = re.compile(
    r"\b(?:named|called|dubbed|titled|entitled|known\s+as|appointed|nominated|picked|"
    r"chose|chosen|selected|tapped|hired|"
    r"identified\s+(?:(?:him|her|them|the\s+[a-z]+)\s+)?as|"
    r"name\s+(?:is|was))\s+(?:the\s+)?[“\"‘']?(?P<name>[A-Z][\w’'.-]*)"
)
# the words before a place (`_PLACE`'s, and "of", "on"; not "the", which opens a name
# too): a name after them says where, not what the thing is called
_PLACE_LINKS = (_LINKS - {"the"}) | {"of", "on"}
# words that describe the thing asked for rather than say what it is
_DESCRIBING = frozenset(("first", "new", "young", "old", "former", "last", "next", "latest"))
# a title in quotation marks, of a few words: "The "Americas Partnership for Economic
# Prosperity" is a framework ..."
_QUOTED_NAME = re.compile(r"[“\"][A-Z][^”\"]{0,60}[”\"]")


def name_missing(question: str, sentences: Iterable[str]) -> bool:
    """Whether a "What is the name of X?" question is asked and none of `sentences`
    gives X's name: a name new to the question beside a word for X ("Menzel's A Broader
    Way camp", "the gunman, Andre Bing,"), after "named", "called" or "identified as", or
    a title in quotation marks. "What was the name of the hiker who died ...?" is not
    answered by "One hiker has died ... at Badlands National Park in South Dakota": a
    new place, not the hiker's name. The looser check of "Who ...?" (`person_missing`)
    passes that.

    >>> name_missing("What was the name of the hiker who died?", ["One hiker died in Utah."])
    True
    >>> name_missing("What was the name of the hiker who died?", ["Hiker Ann Lee, 22, died."])
    False
    >>> name_missing("What is the name of Menzel's camp?", ["Menzel's A Broader Way camp opens."])
    False
    >>> name_missing("What is the name of the gunman?", ["Police identified him as Andre Bing."])
    False
    >>> name_missing("What is the name of the plan?", ['The "Better Deal" is a plan to cut tax.'])
    False
    >>> name_missing("Who was the hiker?", ["One hiker died in Utah."])
    False

    So is "Who did X appoint as Y?", by a name beside Y or after "appointed":

    >>> name_missing("Who did Cannon appoint as special master?", ["Cannon will rule soon."])
    True
    >>> name_missing("Who did Cannon appoint as special master?", ["She appointed Ray Dearie."])
    False
    """
    asked = _name_asked(asking_clause(question))
    if asked is None:
        return False
    question_words = _question_words(question)
    for text in sentences:
        if _new_capital((m.group("name") for m in _NAMED.finditer(text)), question_words):
            return False
        tokens = text.split()
        told = [i for i, token in enumerate(tokens) if not asked.isdisjoint(lexical_terms(token))]
        if told and _new_capital(_QUOTED_NAME.findall(text), question_words):
            return False  # 'The "Better Deal" is a plan ...'
        placed = _placed(tokens)
        for i in told:
            near = [
                tokens[j]
                for j in [*range(max(0, i - 3), i), *range(i + 1, min(len(tokens), i + 4))]
                # not the sentence's first word ("One hiker died"), nor a place ("died in
                # South Dakota"): a name of two words has its second beside the thing
                if j > 0 and j not in placed
            ]
            if _new_capital(near, question_words):
                return False
    return True


def _placed(tokens: list[str]) -> set[int]:
    """Which of `tokens` name a place: the capitalised words after "in", "at", "near",
    ... ("in South Dakota": both).

    >>> sorted(_placed("A hiker in South Dakota died".split()))
    [3, 4]
    """
    placed: set[int] = set()
    for j in range(1, len(tokens)):
        before = tokens[j - 1]
        if tokens[j][:1].isupper() and (
            before.lower() in _PLACE_LINKS or (j - 1 in placed and before[-1:].isalnum())
        ):
            placed.add(j)
    return placed


def _new_capital(texts: Iterable[str], question_words: frozenset[str]) -> bool:
    """Whether `texts` hold a capitalised word the question lacks that names something
    (not a `STOP_WORDS` word: "The", a day, a month)."""
    for text in texts:
        for word in _WORD.findall(text):
            if word[0].isupper() and word not in STOP_WORDS and word.lower() not in question_words:
                return True
    return False


@lru_cache(maxsize=256)
def _name_asked(asking: str) -> frozenset[str] | None:
    """The terms of the thing whose name is asked for ("hiker" of "the name of the hiker
    who died"; "wife" of "the name of Taylor Hawkins' wife"); None for any other
    question. Not a word that only describes it ("first", "new"), an age or a
    participle ("killed by")."""
    found = _WH_NAME_OF.search(asking) or _WH_APPOINTED.search(asking)
    if found is None:
        return None
    thing = re.split(r"(?:['’]s|s['’])\s", found.group("thing"))[-1]
    words = [
        w
        for w in thing.split()
        if (w.islower() or (w.isupper() and len(w) <= 4))  # "its new CEO"
        and w.isalpha()
        and w not in _DESCRIBING
        and not w.endswith("ed")
    ]
    return frozenset(lexical_terms(" ".join(words))) or None


def gives_figure_asked(question: str, text: str) -> bool | None:
    """Whether `text` gives the figure or place `question` asks for, beyond the
    question's own words: a date for "when", an amount for "how much" of money, a count
    for "how many", a number for "how old", a place for "where". None when the question
    asks for none of these ("who", "what", "why").

    >>> gives_figure_asked("How old was he when he died?", "He was 91.")
    True
    >>> gives_figure_asked("Where did he die?", "He was 91.")
    False
    >>> gives_figure_asked("Whom did he succeed?", "He was 68.") is None
    True
    """
    if _WH_WHERE.search(asking_clause(question)):
        return _holds_new(_PLACE, text, question)
    if _kind_wanted(question) is None:
        return None
    return kind_missing(question, (text,)) is None


def answer_type_present(question: str, sentence: str, kind_present: bool | None = None) -> bool:
    """`expected_kind_present`, and for "who" a person, for "where" a place. A signal
    for answerability and a feature of the sentence ranker (its weight fitted), not a
    factor of the hand score: as one, like the date and number checks, the who/where
    rules declined an answerable calibration question and caught no unanswerable one.

    >>> answer_type_present("Who leads the talks?", "The talks resume soon.")
    False
    >>> answer_type_present("Where did they meet?", "They met in Beijing.")
    True
    """
    patterns = _type_wanted(question)
    if patterns:
        return any(_holds_new(pattern, sentence, question) for pattern in patterns)
    if kind_present is None:  # `expected_kind_present`'s answer, when the caller has it
        kind_present = expected_kind_present(question, sentence)
    return kind_present


@lru_cache(maxsize=256)
def _type_wanted(question: str) -> tuple[re.Pattern[str], ...]:
    """What a sentence must hold, one of them, to answer a "who" (a person) or "where"
    (a place) question; empty for any other. Read once a question."""
    asked = asking_clause(question)
    if _WH_WHO.search(asked):
        return (_INNER_NAME, _PERSON_WORDS)
    if _WH_WHERE.search(asked):
        return (_PLACE,)
    return ()


# offices whose holder a "who is the ...?" question asks for, each with the other words an
# article names it by ("Gov. Ron DeSantis", "Twitter's chief executive"); a question's
# office word stands for its whole group
_OFFICE_GROUPS = (
    ("president",),
    ("vice-president", "vice president"),
    ("minister", "premier"),
    ("chancellor",),
    ("secretary-general", "secretary general"),
    ("secretary",),
    ("ambassador", "envoy"),
    ("governor", "gov."),
    ("mayor",),
    ("senator", "sen."),
    ("director",),
    ("chair", "chairman", "chairwoman", "chairperson"),
    ("ceo", "chief executive"),
    ("coach",),
    ("speaker",),
    ("spokesperson", "spokesman", "spokeswoman"),
    ("commander",),
    ("leader",),
    ("king",),
    ("queen",),
    ("pope",),
    ("mvp", "most valuable player"),
)
_OFFICES: dict[str, tuple[str, ...]] = {
    word: group for group in _OFFICE_GROUPS for word in group if " " not in word
}
_WHO_HOLDS = re.compile(
    r"^who\s+(?:is|was|will\s+be|would\s+be|has\s+been|became|becomes)\s+(?P<office>.+)$", re.I
)


@lru_cache(maxsize=256)
def asked_office(question: str) -> re.Pattern[str] | None:
    """For a question asking who holds an office ("Who is the president of China?",
    "Who is China's foreign minister?"), what a sentence must say to name that office;
    None for any other question. A sentence that never names the office does not say
    who holds it: the lead of a story on Blinken's trip to Beijing does not tell who
    China's president is.

    >>> office = asked_office("Who is the U.S. ambassador to China?")
    >>> bool(office.search("U.S. Ambassador Nicholas Burns")), bool(office.search("Blinken"))
    (True, False)
    >>> asked_office("Who is Kurt Campbell?") is None
    True
    >>> asked_office("Who is next in line to the throne?") is None
    True
    """
    found = _WHO_HOLDS.match(asking_clause(question).rstrip(" ?.!"))
    if found is None:
        return None
    for word in re.findall(r"[\w-]+", found.group("office").lower()):
        if word in _OFFICES:
            names = "|".join(re.escape(n) for n in _OFFICES[word])
            return re.compile(rf"\b(?:{names})(?!\w)", re.I)
    return None


# a question asking who won, or was elected: "Who won the 2018 Daytona 500?", "Which team
# won the Stanley Cup?", "Who was elected mayor?" (not "What did he say after he won?":
# no verb may come between the question word and the win)
_ASKS_WINNER = re.compile(
    r"^(?:who|(?:which|what)(?:\s+(?!(?:did|does|do|is|was|are|were|will|would|can|could|"
    r"should|has|have|had)\b)[\w'’.-]+){1,6})\s+(?:(?:has|have|had)\s+)?(?:won|wins)\b(?![’']t)|"
    r"^(?:who|(?:which|what)\s+[\w'’.-]+(?:\s+[\w'’.-]+)?)\s+(?:(?:was|were|got)\s+)?"
    r"(?:re-?)?elected\b",
    re.I,
)
# a word that tells of a win: a verb of winning, the noun, a champion or an election
_WIN = re.compile(
    r"\b(?:won|wins?|winning|beat|beats|defeated|defeats|edged|routed|swept|clinched|"
    r"clinches|prevailed|triumphed|outlasted|victory|victorious|champions?|"
    r"(?:named|declared|pronounced|crowned|confirmed)\s+(?:as\s+)?(?:the\s+)?winner|"
    r"earned|captured|took\s+home|picked\s+up|(?:was|were|been)\s+(?:named|awarded|crowned|voted)|"
    r"(?:re-?)?elected|did\s+elect|president-elect)\b(?![’']t)",
    re.I,
)
# what makes the win one not (yet) had, in the two words before it: "will win", "hopes to
# win", "never won", "no one won", "a chance of victory"; or not the event's: "defending
# champion"
_NOT_WON = re.compile(
    r"(?:\b(?:will|would|could|might|may|can|must|should|not|never|if|whether|unless|"
    r"nobody|none|no(?!\s+doubt\b)|"
    r"hopes?|hoping|expected|chances?|bid|favou?red|predicted|projected|poised|likely|"
    r"needs?)\W+(?:\w+\W+){0,2}|(?:\bto|n[’']t)\W+(?:\w+\W+)?|"
    r"\b(?:defending|reigning|former|past|ex|\w+-time)\W+(?:\w+\W+){0,3})$",
    re.I,
)
# "the first American to win ...", "the eighth player since 1992 to win ...": a win had
_FIRST_TO_WIN = re.compile(
    r"\b(?:first|second|third|\w+th|last|only|latest|\w{3,}est)\s+(?:[\w-]+\s+){0,4}"
    r"to\s+(?:win|be\s+elected)\b|"
    # a race called: "Warnock will win Georgia's Senate runoff, CNN projects"
    r"\bwill\s+(?:win|defeat|beat)\b(?=[^.]*\bprojects\b)",
    re.I,
)


@lru_cache(maxsize=256)
def asks_winner(question: str) -> bool:
    """Whether the question asks who won, or was elected.

    >>> asks_winner("Who won the 2019 Nobel Peace Prize?")
    True
    >>> asks_winner("Which Trump-endorsed congressman won the primary?")
    True
    >>> asks_winner("Who was elected mayor of Chicago?")
    True
    >>> asks_winner("What did Lula say after he won?"), asks_winner("Why won't Poland play?")
    (False, False)
    >>> asks_winner("When did Lula win the election?")
    False
    """
    return _ASKS_WINNER.search(asking_clause(question)) is not None


def tells_win(sentence: str) -> bool:
    """Whether `sentence` tells of a win had: a preview ("The committee will announce the
    winner Friday"), a hope or a past champion does not say who won.

    >>> tells_win("The Seattle Mariners beat the San Diego Padres 6-1 on Wednesday.")
    True
    >>> tells_win("Matthews, the second American to win the Hart, set career highs.")
    True
    >>> tells_win("Gustavo Petro will become president after winning the race on Sunday.")
    True
    >>> tells_win("Greta Thunberg is among the favorites to win the prize.")
    False
    >>> tells_win("Defending Daytona 500 champion Kurt Busch tried to pass Hamlin.")
    False
    >>> tells_win("He has never won a major.")
    False
    >>> tells_win("No one won the jackpot, so it will climb."), tells_win("No doubt she won.")
    (False, True)
    >>> tells_win("The committee will announce the winner on Friday.")
    False
    >>> tells_win("Philadelphia is poised to elect a mayor; Colorado Springs did elect one.")
    True
    """
    if _FIRST_TO_WIN.search(sentence):
        return True
    return any(not _NOT_WON.search(sentence, 0, m.start()) for m in _WIN.finditer(sentence))


def asks_clock(question: str) -> bool:
    """Whether the question asks the time of day.

    >>> asks_clock("What time does the Norwich light parade start?")
    True
    >>> asks_clock("At what time period did it happen?"), asks_clock("When is the parade?")
    (False, False)
    """
    return _ASKS_CLOCK.search(asking_clause(question)) is not None


def tells_clock(sentence: str) -> bool:
    """Whether `sentence` gives a time of day.

    >>> tells_clock("The parade will set off at 6 p.m. from Main Street.")
    True
    >>> tells_clock("The parade is Saturday, Dec. 3.")
    False
    """
    return _CLOCK.search(sentence) is not None


# "How many people died ...?", "How many civilians were killed ...?": a toll asked; not
# "before Musk killed it", a thing ended
_ASKS_TOLL = re.compile(
    r"^how many\b[^?]*?\b(?:died|die|dead|deaths|killed|perished|fatalities|casualties|lost "
    r"their lives)\b(?!\s+(?:it|them|off|the|a|an|his|her|its|their)\b)",
    re.I,
)
# a sentence that tells of deaths
_DEATHS = re.compile(
    r"\b(?:die|died|dies|dead|deaths?|death toll|toll|killed|killing|kills|perished|fatalities|"
    r"fatal|casualties|lives|bodies|drowned|murdered|slain)\b",
    re.I,
)


def asks_toll(question: str) -> bool:
    """Whether the question asks how many died.

    >>> asks_toll("How many civilians were killed in the drone strike?")
    True
    >>> asks_toll("About how many World War II veterans die each day?")
    True
    >>> asks_toll("How many accounts got the label before Musk killed it?")
    False
    >>> asks_toll("How many ships took part in D-Day?")
    False
    """
    return _ASKS_TOLL.search(asking_clause(question)) is not None


def tells_deaths(sentence: str) -> bool:
    """Whether `sentence` tells of deaths: a toll is not told by who took part.

    >>> tells_deaths("The floods killed 21 people.")
    True
    >>> tells_deaths("More than 150,000 soldiers stormed the beaches.")
    False
    """
    return _DEATHS.search(sentence) is not None


# a sentence's check: its text, and the day its article was published (None: unknown)
Check = Callable[[str, "str | None"], bool]


def answer_checks(question: str) -> list[tuple[Check, str]]:
    """What a sentence must give to answer `question`, each with the notice an answer
    gives where no retrieved sentence does: the office asked about ("Who is the U.S.
    ambassador to China?"), a time of day ("What time does the parade start?"), a win
    had ("Who won the Daytona 500?"), and of the year asked ("Who won the 2023 Masters?"),
    deaths ("How many people died ...?"). None for most questions.

    >>> [notice for _, notice in answer_checks("Who won the World Cup?")]
    ['No retrieved sentence tells who won.']
    >>> [notice for _, notice in answer_checks("Who won the 2022 World Cup?")]
    ['No retrieved sentence tells who won.', 'No retrieved sentence tells who won in 2022.']
    >>> answer_checks("Why did Liz Truss resign?")
    []
    """
    checks: list[tuple[Check, str]] = []
    office = asked_office(question)
    if office is not None:
        notice = "No retrieved sentence names the office asked about."
        checks.append((lambda sentence, _: office.search(sentence) is not None, notice))
    if asks_clock(question):
        notice = "No retrieved sentence gives the time of day asked for."
        checks.append((lambda sentence, _: tells_clock(sentence), notice))
    if asks_toll(question):
        notice = "No retrieved sentence tells of deaths."
        checks.append((lambda sentence, _: tells_deaths(sentence), notice))
    if asks_winner(question):
        checks.append(
            (lambda sentence, _: tells_win(sentence), "No retrieved sentence tells who won.")
        )
        years = _YEARS.findall(asking_clause(question))
        if years:
            notice = f"No retrieved sentence tells who won in {years[0]}."
            checks.append((lambda sentence, published: of_year(years, sentence, published), notice))
    return checks


_YEARS = re.compile(r"\b(?:19|20)\d\d\b")
# a win of a year named with it: "after winning the 2019 Masters", "won in 2019"
_WIN_OF_YEAR = re.compile(
    r"\b(?:win|wins|won|winning|winner|victory|champions?|title)\s+(?:(?:the|in|of|at)\s+)?"
    r"(?P<year>(?:19|20)\d\d)\b",
    re.I,
)


def of_year(years: list[str], sentence: str, published: str | None) -> bool:
    """Whether a sentence can tell of a win of one of `years`: not where its article was
    published before the first of them (a preview at most), nor where it names the win of
    another year and none of them ("Woods ... after winning the 2019 Masters").

    >>> of_year(["2023"], "Verstappen won the Mexican Grand Prix on Sunday.", "2022-10-30")
    False
    >>> of_year(["2023"], "Verstappen won the Mexican Grand Prix on Sunday.", "2023-10-29")
    True
    >>> of_year(["2023"], "Woods made the cut after winning the 2019 Masters.", None)
    False
    >>> of_year(["2023"], "Rahm, who won the 2023 Masters, beat the 2019 winner.", None)
    True
    """
    if published and published[:4] < min(years):
        return False
    named = [m.group("year") for m in _WIN_OF_YEAR.finditer(sentence)]
    return not named or any(year in sentence for year in years)
