"""How an answer quotes: the best sentence first, a thing said once, and a first sentence
without its dateline."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from article_desk import desk_over  # tests/ is on sys.path

from index import ArticleRef
from qa.extractive.compose import as_quoted, compose, restates, without_dateline
from qa.extractive.evidence import Evidence, opens_on_a_reason
from qa.records import Passage

STORY = (
    "Blinken will visit China next week. Officials played down hopes. "
    "The February trip was postponed after a balloon flew over the U.S. "
    "It was seen over Montana. Qin urged restraint."
)


def _evidence(sentence: str, score: float, story: str = STORY, **pairs: Evidence) -> Evidence:
    start = story.index(sentence)
    passage = Passage("c1", ArticleRef("a1"), 0, len(story), story, (), 1.0)
    fields = dict(article_id="a1", start=start, end=start + len(sentence), text=sentence)
    return Evidence.of_fields(
        **fields, score=score, dense=score, lexical=0.0, speaker=None, passage=passage,
        hand=score, terms=frozenset(), companion=pairs.get("companion"),
        antecedent=pairs.get("antecedent"), features=(),
    )  # fmt: skip


def _said(evidence: list[Evidence]) -> list[str]:
    chosen = compose(evidence, [], threshold=0.1, max_sentences=3, keep_ratio=0.5)
    return [c.quote for c in chosen.citations]


def _said_why(
    evidence: list[Evidence], why: bool, *, max_sentences: int = 3, keep_ratio: float = 0.5
) -> list[str]:
    """The quotes of the answer, asked why (a reason opens it) or not."""
    first: Callable[[Evidence], bool] | None = (
        (lambda e: opens_on_a_reason(e.text)) if why else None
    )
    composed = compose(
        evidence, [], threshold=0.1, max_sentences=max_sentences, keep_ratio=keep_ratio,
        first=first,
    )  # fmt: skip
    return [c.quote for c in composed.citations]


def test_the_best_sentence_opens_the_answer() -> None:
    # the lead mentions the trip; the sentence that says why it was postponed answers,
    # and it comes first though the lead comes first in the article
    why = _evidence("The February trip was postponed after a balloon flew over the U.S.", 0.8)
    lead = _evidence("Blinken will visit China next week.", 0.6)
    assert _said([why, lead]) == [why.text, lead.text]
    # a sentence that goes on from one said before follows it at once
    qin = _evidence("Qin urged restraint.", 0.55)
    montana = _evidence("It was seen over Montana.", 0.5)
    assert _said([why, lead, qin, montana]) == [why.text, lead.text, qin.text]
    assert _said([why, qin, montana]) == [why.text, montana.text, qin.text]
    # a pronoun's antecedent stays before it: "It" needs the balloon first
    seen = _evidence("It was seen over Montana.", 0.9, antecedent=why)
    assert _said([seen, lead]) == [why.text, seen.text, lead.text]


def test_a_why_answer_opens_on_the_sentence_that_gives_the_reason() -> None:
    story = (
        "Shark sightings were up in Maine last year. "
        "Sightings could rise because seals are back. "
        "That is because the seal population is healthy."
    )
    scored = partial(_evidence, story=story)

    because = scored("Sightings could rise because seals are back.", 0.5)
    up = scored("Shark sightings were up in Maine last year.", 0.8, companion=because)
    that = scored("That is because the seal population is healthy.", 0.7)

    opens = _said_why
    # the claim scores best, and its reason is quoted after it
    assert opens([up], why=False) == [up.text, because.text]
    # asked why, the reason opens the answer
    assert opens([up], why=True) == [because.text, up.text]
    # but not one that needs the sentence before it to be read
    assert opens([up, that], why=True)[0] == because.text
    assert opens([scored(up.text, 0.8), that], why=True) == [up.text, that.text]


def test_a_why_answer_quotes_a_reason_past_its_best_three() -> None:
    story = (
        "The yacht was in service until 1997. It sailed the world. "
        "It cost more each year. In 1994 the government retired it, citing the refit cost."
    )
    scored = partial(_evidence, story=story)

    service = scored("The yacht was in service until 1997.", 0.8)
    sailed = scored("It sailed the world.", 0.7)
    cost = scored("It cost more each year.", 0.6)
    citing = scored("In 1994 the government retired it, citing the refit cost.", 0.5)
    evidence = [service, sailed, cost, citing]

    assert _said_why(evidence, why=False) == [service.text, sailed.text, cost.text]
    # asked why, the reason takes the third place and opens the answer
    assert _said_why(evidence, why=True) == [citing.text, service.text, sailed.text]


def test_a_why_answer_s_reason_takes_the_place_of_the_best_sentence_s_neighbour() -> None:
    story = (
        "Turkey prices rose to $1.47 a pound. That is a 28% increase. "
        "Avian flu outbreaks have contributed to higher prices for turkeys."
    )
    scored = partial(_evidence, story=story)

    increase = scored("That is a 28% increase.", 0.5)
    rose = scored("Turkey prices rose to $1.47 a pound.", 0.8, companion=increase)
    flu = scored("Avian flu outbreaks have contributed to higher prices for turkeys.", 0.3)

    def said(why: bool) -> list[str]:
        return _said_why([rose, flu], why, max_sentences=2, keep_ratio=0.3)

    # the best sentence brings its neighbour and fills the answer
    assert said(why=False) == [rose.text, increase.text]
    # asked why, the neighbour gives way to the reason, which opens the answer
    assert said(why=True) == [flu.text, rose.text]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # a wire copy, and a lead retold by another outlet
        ("Blinken will visit China.", "Blinken will visit China.", True),
        (
            "Sri Lanka has plunged into chaos and its President has fled to Singapore as anger "
            "grows in his home country over his refusal to formally resign.",
            "Sri Lanka has plunged into chaos and its president has fled to Singapore, before "
            "emailing his resignation, as questions swirl about the country’s future.",
            True,
        ),
        # other figures are other facts, however alike the words
        ("Prices rose 5% in May.", "Prices rose 7% in May.", False),
        (
            "Chestnut won his 15th contest, eating 63 hot dogs in 10 minutes.",
            "Chestnut ate 63 hot dogs in 10 minutes.",
            False,
        ),
        # half the terms shared is the least
        ("Blinken met Qin in Beijing on Sunday.", "Blinken met Wang in Shanghai on Monday.", False),
        ("He said no.", "He said so.", False),  # nothing but stopwords: nothing to compare
    ],
)
def test_restates(a: str, b: str, same: bool) -> None:
    assert restates(a, b) is same
    assert restates(b, a) is same


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("(CNN) The US will send aid.", "The US will send aid."),
        ("Washington (CNN Business) Apple will adopt USB-C.", "Apple will adopt USB-C."),
        ("Jackson, Wyoming (CNN) Wyoming Rep. Liz Cheney lost.", "Wyoming Rep. Liz Cheney lost."),
        ("NEW YORK (Reuters) - Stocks fell on Monday.", "Stocks fell on Monday."),
        ("(AP) — “We are ready,” she said.", "“We are ready,” she said."),
        # a ticker or an aside is not a dateline: the next word is not a sentence's first
        ("Alphabet (GOOGL) split its shares.", "Alphabet (GOOGL) split its shares."),
        ("Last week, Apple (AAPL) unveiled phones.", "Last week, Apple (AAPL) unveiled phones."),
        ("The company (Apple) said so.", "The company (Apple) said so."),
    ],
)
def test_an_answer_quotes_a_first_sentence_without_its_dateline(sentence: str, said: str) -> None:
    assert without_dateline(sentence) == said


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        (
            "Jim Watson/AFP/Getty Images Before the launch, crowds waited.",
            "Before the launch, crowds waited.",
        ),
        ("Joel Kowsky/NASA A booster fires on July 21.", "A booster fires on July 21."),
        ("NEIL HALL/EPA/EPA-EFE Crowds gather in London.", "Crowds gather in London."),
        ("Kirby Lee/USA TODAY Sports Fans cheer in Seattle.", "Fans cheer in Seattle."),
        ("Bakhtar News Agency/AP Afghans evacuate.", "Afghans evacuate."),
        # the credit and the dateline both go
        ("(CNN) Jim Watson/AFP/Getty Images Crowds waited.", "Crowds waited."),
        # not credits: a poll's name, an agency inside the sentence, no capital after
        ("Reuters/Ipsos polling shows a lead.", "Reuters/Ipsos polling shows a lead."),
        ("Sales rose 5%, AP/Reuters data show.", "Sales rose 5%, AP/Reuters data show."),
        (
            "Jim Watson/AFP/Getty Images and others sued.",
            "Jim Watson/AFP/Getty Images and others sued.",
        ),
    ],
)
def test_an_answer_quotes_a_caption_without_its_photo_credit(sentence: str, said: str) -> None:
    assert as_quoted(sentence) == said


@pytest.mark.model
def test_a_caption_is_quoted_without_its_credit_and_not_again(tmp_path: Path) -> None:
    article = {
        "id": "quake",
        "title": "Deadly earthquake strikes Afghanistan",
        "date": "2022-06-22",
        "text": "A magnitude 5.9 earthquake struck eastern Afghanistan on Wednesday, killing "
        "more than 1,000 people. Sayed Khodaiberdi Sadat/Anadolu Agency/Getty Images A man "
        "sits on the debris of a building after the earthquake in Paktika province. Rescue "
        "teams searched the rubble of mud-brick homes in Paktika for survivors.",
    }
    with desk_over(tmp_path, article) as desk:
        answer = desk.ask("Who sits on the debris of a building in Paktika?")
        caption = next(c for c in answer.citations if "sits on the debris" in c.quote)
        # the citation quotes the article exactly, the answer reads without the credit
        assert caption.quote.startswith("Sayed Khodaiberdi Sadat/Anadolu Agency/Getty Images")
        assert desk.article("quake").text[caption.start : caption.end] == caption.quote
        assert "A man sits on the debris" in answer.text
        assert "Getty Images" not in answer.text
        more = desk.ask("What else happened in Paktika?", history=[(answer.question, answer.text)])
    # the caption was said, as the answer quoted it: not said again
    assert not more.abstained, more.notices
    assert caption.start not in {c.start for c in more.citations}
    assert "Rescue teams searched the rubble" in more.text
