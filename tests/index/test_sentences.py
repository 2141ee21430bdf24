"""Sentence and paragraph spans on literal news text and on the seed article."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from index.records import Span
from index.sentences import paragraph_spans, split_sentences

SEED = Path(__file__).parents[2] / "seeds" / "000_08dd639a47279972.txt"


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def assert_well_formed(text: str, spans: list[Span]) -> None:
    """Ordered, non-overlapping, stripped, non-empty, inside one paragraph, covering."""
    paragraphs = paragraph_spans(text)
    covered = [False] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text), (start, end)
        assert not text[start].isspace() and not text[end - 1].isspace(), text[start:end]
        assert any(p <= start and end <= q for p, q in paragraphs), text[start:end]
        for i in range(start, end):
            covered[i] = True
        previous_end = end
    missed = [i for i, c in enumerate(text) if not c.isspace() and not covered[i]]
    assert missed == [], [text[i] for i in missed]


SINGLE_SENTENCES = [
    # abbreviations in the middle of a sentence
    "The U.S. Secretary of State flew to Beijing.",
    "Officials in the U.K. Treasury declined to comment.",
    "Gov. Gavin Newsom signed the bill.",
    "Sen. Chuck Schumer and Rep. Liz Cheney spoke.",
    "Dr. Anthony Fauci told Mr. Smith, Mrs. Jones and Ms. Lee to wait.",
    "He lives on St. Paul Street in St. Louis.",
    "The hearing is on Jan. 6 and again on Feb. 2, then Sept. 16 and Dec. 1.",
    "It reached No. 1 on the chart.",
    "Roe v. Wade and Lakers vs. Celtics are both famous.",
    "They sold hats, shirts, etc. and also mugs.",
    "Apple Inc. Chief Executive Tim Cook met Microsoft Corp. President Brad Smith.",
    "Martin Luther King Jr. Day is a holiday.",
    "Former Calif. Gov. Jerry Brown spoke.",
    "The Washington, D.C. Police Department responded.",
    "Washington University in St. Louis, led the research.",
    # initials
    "J. K. Rowling wrote the books.",
    "Donald J. Trump spoke first.",
    "George W. Bush and John F. Kennedy were presidents.",
    "J.D. Vance won the race.",
    "The C. S. Lewis estate sued.",
    "The author J. A. Smith spoke.",
    # shouted text keeps its titles
    "MR. SMITH GOES TO WASHINGTON.",
    # amounts, numbers and times
    "The deal is worth $1.5 billion.",
    "Pi is about 3.14 and rates rose 2.5% this year.",
    "Polls close at 5 p.m. Eastern time.",
    "The market opens at 9:30 a.m. ET on Monday.",
    "The U.S. 10-year yield rose.",
    # quotes that do not end the sentence
    "“We will win,” he said.",
    '"We will win," he said.',
    "“Why?” she asked.",
    "“Are you okay?” he asked again.",
    "“Stop!” they shouted.",
    "“What’s the matter?” Russell asked.",
    "“I was on that flight!” Todd McCrumb tweeted.",
    "Hyundai and Kia also ran a U.S. “product improvement campaign” last year.",
    # ellipses inside a quote
    "“I thought... Well, I don’t know,” she said.",
    "“It was… Honestly, it was fine,” he said.",
    '"He is a professional ... We have worked together," Gates said.',
    # a dash or comma after the stop continues the sentence (datelines, credits, scraps)
    "“They may lose.” — Iga Swiatek, two-time French Open champion",
    "SAN JOSE, Calif. – When word leaked, fans lined up.",
    "He reacted to the death of Robert Durst. , reacting quickly.",
    # camel-cased brands after an abbreviation do not start a sentence
    "Samsung vs. iPhone sales are close.",
    # lists and Q&A turns
    "1. Preheat the oven to 350 degrees.",
    "Q. Is the vaccine safe for children?",
    "A. Yes, according to the CDC.",
    # web addresses are not glued sentences
    "Visit www.Coronavirus.gov for more.",
    "See VisitMusicCity.Com for details.",
    "Data came from the state’s coronavirus.Iowa.gov website.",
]


@pytest.mark.parametrize("text", SINGLE_SENTENCES)
def test_one_sentence(text: str) -> None:
    assert sentences(text) == [text]


SPLITS = [  # (text, how many times it is cut)
    # a dotted abbreviation before a common sentence starter ends the sentence
    ("It was his first trip to the U.S. The next day he left.", 1),
    ("Prices rose in the U.K. But wages did not.", 1),
    ("The meeting ended at 5 p.m. The vote follows.", 1),
    ("Cases rose in Washington, D.C. Even so, schools stayed open.", 1),
    ("The company is Apple Inc. It makes phones.", 1),
    ("He played with Gary Clark Jr. He was nervous.", 1),
    ("They bought hats, shirts, etc. The bill was large.", 1),
    ("Most cases are in the U.S. “We are worried,” she said.", 1),
    ("Popular with Gen Z. A survey found it.", 1),
    ("He said no. No. We will not do that.", 2),
    # quotes closed by a stop
    ("“We are done.” The crowd cheered.", 1),
    ('"We are done." The crowd cheered.', 1),
    ("“Is it over?” Nobody knew.", 1),
    ("“Masks on!” A sign said so.", 1),
    ("“We waited so long…” The line moved.", 1),
    ("Lead by example. (Reuters) Next story.", 1),
    # ordinary ends, numbers and brands
    ("He scored 3. Then he left.", 1),
    ("Sales fell in 2019. 2020 was worse.", 1),
    ("Apple makes phones. iPhone sales rose.", 1),
    ("He paused... Then he left.", 1),
    ("Why? Because it works! Really.", 2),
    # scraping glued two sentences together
    ("They removed the missiles.The standoff ended.", 1),
]


@pytest.mark.parametrize(("text", "cuts"), SPLITS)
def test_splits_where_a_sentence_ends(text: str, cuts: int) -> None:
    spans = split_sentences(text)
    assert len(spans) == cuts + 1, sentences(text)
    assert_well_formed(text, spans)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It was his first trip to the U.S. The next day he left.",
            ["It was his first trip to the U.S.", "The next day he left."],
        ),
        (
            "“I believe it. They know it,” he said. Then he left.",
            ["“I believe it.", "They know it,” he said.", "Then he left."],
        ),
        (
            "“Is it over?” Nobody knew.",
            ["“Is it over?”", "Nobody knew."],
        ),
        (
            "They removed the missiles.The standoff ended.",
            ["They removed the missiles.", "The standoff ended."],
        ),
    ],
)
def test_exact_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "US Down Plays Chance Of Breakthrough From Blinken China Visit After Tense Call",
        "U.S. And China Agree To Talks In Geneva",
        "Send this to a friend",
        "Required fields are marked *",
    ],
)
def test_a_headline_without_a_final_stop_is_one_sentence(text: str) -> None:
    assert sentences(text) == [text]


def test_a_truncated_paragraph_still_splits_before_its_last_words() -> None:
    text = "Ties have soured. They might clash over Taiwan, which China claims as its own,"
    assert sentences(text) == [
        "Ties have soured.",
        "They might clash over Taiwan, which China claims as its own,",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Headline\nFirst line. Second line", ["Headline", "First line.", "Second line"]),
        ("Title\n\n  Body text.  \n\n\nMore.\n", ["Title", "Body text.", "More."]),
        ("Windows\r\nline ends\r\n", ["Windows", "line ends"]),
        ("One\u2028two", ["One", "two"]),
        # a sentence never runs across a line break, even without a stop
        ("Ends with Mr.\nSmith arrived.", ["Ends with Mr.", "Smith arrived."]),
    ],
)
def test_newlines_are_paragraph_breaks(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("  \n\n \t ", []),
        ("Headline\n\n  First para. \nSecond\n", [(0, 8), (12, 23), (25, 31)]),
        ("a\n\xa0b\xa0\n", [(0, 1), (3, 4)]),
    ],
)
def test_paragraph_spans(text: str, expected: list[Span]) -> None:
    assert paragraph_spans(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def test_seed_article_keeps_the_secretary_of_state_sentence_whole() -> None:
    text = SEED.read_text(encoding="utf-8")
    expected = (
        "The United States on Wednesday played down expectations of any breakthrough"
        " from the first trip by a U.S. Secretary of State to China in five years, after"
        " a tense call with China’s foreign minister ahead of Antony Blinken’s visit to"
        " Beijing next week."
    )
    assert expected in sentences(text)


def test_seed_article_keeps_a_quote_with_its_attribution() -> None:
    text = SEED.read_text(encoding="utf-8")
    expected = (
        "“We’re not going to Beijing with the intent of having some sort of breakthrough"
        " or transformation in the way that we deal with one another,” Daniel Kritenbrink,"
        " the State Department’s top diplomat for East Asia, told reporters in a briefing"
        " call."
    )
    assert expected in sentences(text)


def test_seed_article_splits_a_two_sentence_quote() -> None:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("“I believe Secretary Blinken")
    paragraph = text[start : text.index("\n", start)]
    assert sentences(paragraph) == [
        "“I believe Secretary Blinken will advocate strongly that these lines of"
        " communication are necessary.",
        "They are how mature, strong militaries interact and the stakes are just too high"
        " to avoid these critical lines of communication,” he said.",
    ]
    # and the same spans inside the whole article
    whole = [(s - start, e - start) for s, e in split_sentences(text) if s >= start]
    assert whole[:2] == split_sentences(paragraph)


SYNTHETIC = [
    "",
    "No stop at all",
    "  leading and trailing space.  ",
    "Tab\tseparated. Words\there.\n\n\nAnd\u00a0no-break\u00a0spaces. Too.",
    "“Nested ‘quotes.’ ” And more... “Open quote never closed. Next.",
    "... . .. ! ? ?! …… “” () Mr. U.S. p.m. J.",
    "Line one.\r\nLine two!\rLine three?\u2029Line four…",
    "A.B.C.D. E.F. G. H. I. The end. 1. 2. 3.",
    "www.Example.com/page?Id=3 visit.Now done.Really",
    "\x1c\x1dodd\x1eseparators\x1f. Done.",
]


@pytest.mark.parametrize("text", SYNTHETIC)
def test_spans_are_well_formed_on_awkward_text(text: str) -> None:
    assert_well_formed(text, split_sentences(text))


def test_spans_are_well_formed_on_the_seed_article() -> None:
    text = SEED.read_text(encoding="utf-8")
    spans = split_sentences(text)
    assert_well_formed(text, spans)
    assert len(spans) == 28


def test_spans_are_well_formed_on_random_text() -> None:
    # the pieces the rules look at, shuffled into texts no one would write
    pieces = [
        "U.S.", "Mr.", "p.m.", "J.", "the", "The", "It", "said", "iPhone", "“", "”", '"',
        "'", "’", ".", "...", "…", "?", "!", ",", "(", ")", "No.", "1.", "3.14", "www.",
        "x.com", "\n", "\n\n", " ", "\t", "\xa0", "Inc.", "etc.", ".The", "?”", ".”",
    ]  # fmt: skip
    rng = random.Random(20240611)
    for _ in range(500):
        text = "".join(
            rng.choice(pieces) + rng.choice(["", " ", " "]) for _ in range(rng.randint(0, 40))
        )
        assert_well_formed(text, split_sentences(text))
