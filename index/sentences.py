"""Split news text into paragraphs and sentences, as character spans.

Pure and regex-based: no tokenizer model, so it runs at corpus speed and gives the
same answer everywhere. A candidate boundary is a run of `.`, `!`, `?` or `…`,
optionally followed by closing quotes or brackets, then whitespace. Whether it ends
the sentence depends on what is before and after it:

- Never before a lowercase word (`etc. and`, `,” he said`, `?” she asked`), nor
  before `, ; : % ) ] } - – —`. A camel-cased brand (`iPhone`, `eBay`, `mRNA`) after
  an ordinary word still starts a sentence.
- `?` and `!` end the sentence, closing quotes included (`?” Then` splits), unless
  the quote is followed by its attribution (`?” Smith asked.`, `!” Levin tweeted`).
- A stop followed by a closing quote or bracket (`.”`, `.)`) ends the sentence.
- An ellipsis (`...`, `…`) ends the sentence unless it sits inside an open quote
  and the quote has not closed yet (`“I thought... Well, no,” she said.`).
- After a title that precedes a name (`Mr.`, `Dr.`, `Gov.`, `Sen.`, `Rep.`,
  `Gen.`, ...) the stop never ends the sentence.
- After any other abbreviation -- a listed one (`Inc.`, `Corp.`, `Jr.`, `St.`,
  `No.`, `vs.`, `etc.`, months such as `Jan.` and `Sept.`, AP state names such as
  `Calif.`), a dotted one (`U.S.`, `D.C.`, `p.m.`, `Ph.D.`) or a single letter
  (`J.`, initials) -- the stop ends the sentence only when the next word is a
  common sentence starter (`The`, `He`, `It`, `But`, `In`, `A`, ...; see
  `_STARTERS`) that is not itself an initial, or an opening quote and a capital. So
  `in the U.S. The next day` splits and `a U.S. Secretary of State`,
  `5 p.m. Eastern`, `No. 1`, `Jan. 6` and `J. K. Rowling` do not.
- After an ordinary word the stop ends the sentence.
- A leading number or single letter marks a list item or a Q&A turn and never
  ends a sentence (`1. Preheat the oven`, `Q. Is it safe?`).
- In a line with no final stop whose words are mostly capitalised (a headline)
  an abbreviation never ends a sentence (`U.S. And China Agree To Talks`).
- Scraping sometimes drops the space: a stop between a lowercase word and a
  capitalised one (`missiles.The`) is a boundary, outside web addresses.

Known misses: an abbreviation that really ends a sentence before a proper noun
(`at 5 p.m. Officials said` stays one sentence); an attribution more than three
capitalised words long (`!” Proud Boys leader Enrique Tarrio said` splits); a
glued boundary after an abbreviation or a capital (`U.S.The`, `CNN.The`).
"""

from __future__ import annotations

import re

from index.records import Span

# any of these is a paragraph break; scraped articles use single and double newlines
_LINE_BREAKS = "\n\r\v\f\x85\u2028\u2029"
_PARAGRAPH = re.compile(rf"\S(?:[^{_LINE_BREAKS}]*\S)?")

# group 1: the stop run; group 2: closing quotes or brackets; then the gap, or no
# gap at all where scraping glued two sentences together ("missiles.The")
_BOUNDARY = re.compile(r"([.!?…]+)([\"'”’»)\]]*)(?:\s+|(?<=[a-z]{3}[.!?])(?=[A-Z][a-z]))")
_OPENERS = "\"“‘'([{<«—–-/"
_OPENING_QUOTES = '"“‘'
_NEVER_BEFORE = ",;:%)]}-–—"
_DOTTED = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")
_LETTERS = re.compile(r"[A-Za-z]+")
_CAMEL = re.compile(r"[a-z]{1,2}[A-Z]")
_WEB_TAIL = re.compile(r"[\w-]*(?:\.[A-Za-z]|/)")  # "Example.com", "page/"
_TOP_LEVEL_DOMAINS = frozenset(("com", "org", "net", "gov", "edu"))
_WORDS = re.compile(r"[^\W\d_][\w’'-]*")
_HEADLINE_MAX_CHARS = 300
# `?” Smith asked.`: a quoted question or exclamation followed by who said it
_ATTRIBUTION = re.compile(
    r"(?:[A-Z][\w.’'-]*\s+){1,3}(?:said|says|asked|asks|wrote|writes|tweeted|added|adds|"
    r"told|posted|replied|recalled|explained|continued|exclaimed|shouted|yelled|joked|noted)\b"
)

# titles come before a name, so a stop after one never ends a sentence
_TITLE_WORDS = """
Mr Mrs Ms Messrs Mme Dr Drs Prof Gov Govs Sen Sens Rep Reps Gen Lt Col Maj Capt Cmdr
Adm Sgt Cpl Pvt Rev Hon Pres Supt Det Insp Fr Msgr Atty Amb Sec Sgts
"""
_TITLES = frozenset(_TITLE_WORDS.split())

# abbreviations that may also end a sentence: they split only before a starter word
_ABBREVIATION_WORDS = """
Inc Corp Co Cos Ltd Bros Jr Sr St Ave Blvd Rd Mt Ft Dept Univ Assn No Nos Vol Vols
Fig Ch Art Ed Eds Op Ph est approx cf al ca pp vs etc Jan Feb Mar Apr Jun Jul Aug
Sep Sept Oct Nov Dec Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md
Mass Mich Minn Miss Mo Mont Neb Nev Okla Ore Pa Tenn Vt Va Wash Wis Wyo
"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())

# words that start sentences in news but rarely follow an abbreviation mid-sentence;
# proper nouns are deliberately absent, so `U.S. Secretary` does not split
_STARTER_WORDS = """
A An The This That These Those There Here It Its He She His Her They Their We Our I
You My Your But And Or Nor So Yet For In On At By To From With Without After Before
During Since Until As Of Over Under Through Across Among Amid Despite About Against
Between Into Like Unlike When While Where What Which Who Whose Why How If Although
Though Because Unless Once Whether However Meanwhile Still Also Then Now Today
Yesterday Tomorrow Earlier Later Last Next Instead Moreover Furthermore Nevertheless
Indeed Otherwise Thus Therefore Finally Overall Already Even Just Only Perhaps Some
Many Most Much More Few Several All Any Both Each Every Either Neither No None Not
Nothing Other Others Another Such One Two Three Is Are Was Were Do Does Did Has Have
Had Yes Mr Mrs Ms According Asked
"""
_STARTERS = frozenset(_STARTER_WORDS.split())

_PLAIN, _TITLE, _ABBREVIATION = 0, 1, 2


def paragraph_spans(text: str) -> list[Span]:
    """Spans of the non-blank lines of `text`, stripped; every newline is a break.

    >>> paragraph_spans("Headline\\n\\n  First para. \\nSecond\\n")
    [(0, 8), (12, 23), (25, 31)]
    """
    return [m.span() for m in _PARAGRAPH.finditer(text)]


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of `text` in order, stripped, never crossing a line break.

    Every non-whitespace character lies in exactly one span. The rules are in the
    module docstring.

    >>> t = "In the U.S. The vote is at 5 p.m. Eastern.\\n“Go,” he said. Dr. Li left."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['In the U.S.', 'The vote is at 5 p.m. Eastern.', '“Go,” he said.', 'Dr. Li left.']
    """
    spans: list[Span] = []
    for para_start, para_end in paragraph_spans(text):
        start = para_start
        for m in _BOUNDARY.finditer(text, para_start, para_end):
            if _ends_sentence(text, para_start, para_end, m):
                spans.append((start, m.end(2)))
                start = m.end()
        spans.append((start, para_end))
    return spans


def _ends_sentence(text: str, para_start: int, para_end: int, m: re.Match[str]) -> bool:
    """Whether the candidate boundary `m` inside one paragraph ends a sentence."""
    next_char = text[m.end()]
    if next_char in _NEVER_BEFORE:
        return False
    if m.end() == m.end(2):
        return _glued_boundary(text, para_start, m)
    stop, closed = m.group(1), bool(m.group(2))
    if next_char.islower() and stop != ".":
        return False
    if closed and stop != "." and _ATTRIBUTION.match(text, m.end()):
        return False
    if "…" in stop or ".." in stop:
        return closed or not _inside_open_quote(text, para_start, m.start())
    if stop != ".":
        return True
    if closed:
        return not next_char.islower()
    word_start, word = _word_before(text, para_start, m.start())
    kind = _kind(word)
    if next_char.islower():
        return kind == _PLAIN and _CAMEL.match(text, m.end()) is not None
    if word_start == para_start and (word.isdigit() or len(word) == 1):
        # a leading "1.", "C." or "Q." marks a list item or a question, not a sentence
        return False
    if kind == _PLAIN:
        return True
    if kind == _TITLE:
        return False
    # in a title-cased headline every word looks like a sentence starter
    return _starts_sentence(text, m.end()) and not _is_headline(text, para_start, para_end)


def _glued_boundary(text: str, para_start: int, m: re.Match[str]) -> bool:
    """Whether a stop with no space after it ends a sentence: yes, unless in a web address.

    >>> t = "the missiles.The www.Example.com/page?Id VisitMusicCity.Com"
    >>> [_glued_boundary(t, 0, m) for m in _BOUNDARY.finditer(t)]
    [True, False, False, False]
    """
    word = _word_before(text, para_start, m.start())[1]
    if _kind(word) != _PLAIN or "." in word or "/" in word or word.lower().endswith("www"):
        return False
    if _WEB_TAIL.match(text, m.end()):
        return False
    next_word = _LETTERS.match(text, m.end())
    return next_word is None or next_word.group().lower() not in _TOP_LEVEL_DOMAINS


def _word_before(text: str, para_start: int, stop: int) -> tuple[int, str]:
    """The token that ends at `stop`, without opening quotes or brackets, and where it starts.

    >>> _word_before("in the (U.S. now", 0, 11)
    (8, 'U.S')
    """
    start = max(text.rfind(" ", para_start, stop) + 1, para_start)
    word = text[start:stop]
    if not word.isprintable():
        # tabs and no-break spaces are rare; only then pay for a full split
        tail = word.split()[-1] if word.split() else ""
        start = stop - len(tail)
        word = tail
    stripped = word.lstrip(_OPENERS)
    return start + len(word) - len(stripped), stripped


def _kind(word: str) -> int:
    """Whether a stop after `word` may end a sentence: plain word, title or abbreviation.

    >>> [_kind(w) for w in ("said", "Dr", "Inc", "U.S", "J", "2023")]
    [0, 1, 2, 2, 2, 0]
    """
    if word in _TITLES:
        return _TITLE
    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return _ABBREVIATION
    if _DOTTED.fullmatch(word):
        return _ABBREVIATION
    if len(word) > 1 and word.isupper():
        # shouted text: "MR." and "INC." are still abbreviations
        capitalised = word.capitalize()
        if capitalised in _TITLES:
            return _TITLE
        if capitalised in _ABBREVIATIONS:
            return _ABBREVIATION
    return _PLAIN


def _starts_sentence(text: str, pos: int) -> bool:
    """Whether the word at `pos` is a common sentence starter (and not an initial).

    >>> [_starts_sentence(t, 0) for t in ("The day", "Secretary", "A. Smith", "“We", "“pro")]
    [True, False, False, True, False]
    """
    if text[pos] in _OPENING_QUOTES:
        # a quoted capital starts a sentence; `a U.S. "product recall"` runs on
        return text[pos + 1 : pos + 2].isupper()
    m = _LETTERS.match(text, pos)
    if m is None or m.group() not in _STARTERS:
        return False
    return text[m.end() : m.end() + 1] != "."


def _inside_open_quote(text: str, para_start: int, pos: int) -> bool:
    """Whether `pos` lies inside a quotation opened earlier in its paragraph.

    >>> _inside_open_quote("“I thought... Well", 0, 10), _inside_open_quote("He said... Then", 0, 7)
    (True, False)
    """
    curly_open = text.count("“", para_start, pos) > text.count("”", para_start, pos)
    return curly_open or text.count('"', para_start, pos) % 2 == 1


def _is_headline(text: str, start: int, end: int) -> bool:
    """Whether a paragraph is a headline: no final stop and mostly capitalised words.

    >>> _is_headline("U.S. And China Agree To Talks", 0, 29)
    True
    >>> _is_headline("He left the U.S. The rest stayed", 0, 32)
    False
    """
    if end - start > _HEADLINE_MAX_CHARS:
        return False
    last = text[start:end].rstrip("\"'”’»)]")[-1:]
    if last in (".", "!", "?", "…"):
        return False
    words = [w for w in _WORDS.findall(text, start, end) if len(w) > 3]
    capitalised = sum(1 for w in words if w[0].isupper())
    return len(words) >= 2 and capitalised >= 0.8 * len(words)
