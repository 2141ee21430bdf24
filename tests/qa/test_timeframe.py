"""A question set "this week", asked as of a day, is answered only by reporting of its time."""

from __future__ import annotations

import doctest
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from closed_model import unreachable_model  # tests/ is on sys.path

import qa.questions.timeframe
from index import ArticleRef
from qa import NewsDesk, Settings
from qa.extractive.answer import question_scope
from qa.questions.timeframe import only_older_dates, published_since, time_frame
from qa.records import Answer, Passage

AS_OF = "2022-06-23"
OLD_IRS = {  # January's news about the IRS: other news than June's
    "id": "irs-january",
    "title": "IRS will begin processing 2021 tax returns on Jan. 24",
    "date": "2022-01-10",
    "source": "usatoday.com",
    "text": "The Internal Revenue Service announced Monday that it will begin accepting and "
    "processing 2021 tax returns on Jan. 24. Taxpayers who file electronically should get "
    "refunds within 21 days, the agency said.",
}
NEW_IRS = {
    "id": "irs-june",
    "title": "IRS finishes its backlog of paper returns",
    "date": "2022-06-21",
    "source": "cnn.com",
    "text": "The Internal Revenue Service announced Tuesday that it has finished processing "
    "the backlog of 2021 paper tax returns. The agency had been criticised for delays "
    "during the pandemic.",
}
GAS_TAX = {  # the week's news, without the IRS
    "id": "gas-tax",
    "title": "Biden calls for a federal gas tax holiday",
    "date": "2022-06-22",
    "source": "cnn.com",
    "text": "President Joe Biden called on Congress to suspend the federal gas tax through "
    "the end of September. Drivers would save about 18 cents a gallon.",
}
UNDATED_IRS = {
    "id": "irs-undated",
    "title": "An IRS notice",
    "source": "irs.gov",
    "text": "The Internal Revenue Service is processing amended 2021 tax returns by hand, "
    "the agency said.",
}
QUESTION = "Which tax returns is the IRS processing this week?"


@pytest.mark.parametrize(
    ("question", "phrase", "days"),
    [
        ("The IRS announced it will do what this week?", "this week", 14),
        ("What did Apple release on Monday?", "on monday", 14),
        ("Who won the Emmy Awards presented last Sunday?", "last sunday", 14),
        ("Which team won yesterday?", "yesterday", 14),
        # a weekday on its own, and the days just past
        ("Dozens were missing early Thursday after floods in which state?", "early thursday", 14),
        ("How many homes were without power Thursday?", "thursday", 14),
        ("Which team won Sunday night?", "sunday night", 14),
        ("What happened in Kyiv Monday?", "monday", 14),  # a name before it, not a name
        ("What happened over the weekend?", "over the weekend", 14),
        ("Who resigned three days ago?", "three days ago", 14),
        ("What was announced in the past few days?", "in the past few days", 14),
        ("Which stocks rallied in the last few weeks?", "in the last few weeks", 45),
        ("Who was fired two weeks ago?", "two weeks ago", 45),
        ("What did the Fed say last week?", "last week", 21),
        ("Which star tested positive earlier this month?", "earlier this month", 45),
        ("What did OPEC decide last month?", "last month", 75),
        ("Which country recently banned TikTok?", "recently", 45),
        ("In a recent drug bust, what was seized?", "recent", 45),
        # what holds when it is asked
        ("A processed cheese product is seeing a boost right now. Which is it?", "right now", 45),
        ("Which country currently holds the EU presidency?", "currently", 45),
        ("Who is leading the polls at the moment?", "at the moment", 45),
        ("What are shoppers buying these days?", "these days", 45),
        ("Which new treat did McDonald's add to its menu for the fall?", "for the fall", 120),
        ("Where will the team train this summer?", "this summer", 120),
        ("Which singer will launch a Las Vegas residency later this year?", "later this year", 365),
        # what is ahead is previewed in the days before
        ("Who speaks at the summit tomorrow?", "tomorrow", 14),
        ("Where will Blinken travel next week?", "next week", 14),
        ("What will Apple unveil early next month?", "next month", 45),
        ("Which pop star will perform at next year’s Super Bowl?", "next year", 365),
    ],
)
def test_a_question_placed_relative_to_its_day_has_a_frame(
    question: str, phrase: str, days: int
) -> None:
    assert time_frame(question) == qa.questions.timeframe.TimeFrame(phrase, days)


@pytest.mark.parametrize(
    "question",
    [
        "Who won the 2022 NHL Stanley Cup Finals?",
        "What did Apple release on Monday, June 6?",  # a date, not relative to the day
        "What happened on Tuesday Jan. 4?",
        "What happened Tuesday Jan. 4?",
        "What sold out on Black Friday?",  # a weekday in a name
        "Who won on Super Bowl Sunday?",
        "Who plays on Monday Night Football?",
        "Which shows air Sunday mornings?",  # every Sunday, not one
        "Which shows air on Sundays?",
        "Which weekday is the busiest?",
        "Who was the guest on the Today show?",  # a name, not a time
        "When was Tomorrow Never Dies released?",
        "What did analysts blame for the fall of the yen?",  # a drop, not a season
        "What did analysts blame for the fall in oil prices?",
        "Which team won the title last season?",
        "What did Kritenbrink say about expectations?",
        "Who hosts the podcast Right Now?",  # a name, not a time
        "What do the currents of the Gulf Stream carry?",  # not "currently"
        "Who was president at the time of the crash?",  # its own time, not the day asked
    ],
)
def test_a_question_not_placed_relative_to_its_day_has_none(question: str) -> None:
    assert time_frame(question) is None


@pytest.mark.parametrize(
    ("question", "described"),
    [
        ("What did Apple release on Monday?", "Monday"),
        ("Which treat did McDonald's add for the fall?", "the fall"),
        ("Which country recently banned TikTok?", "recent news"),
        ("Which cheese is selling well right now?", "current news"),
        ("Who currently leads the Senate?", "current news"),
        ("What did the Fed say last week?", "last week"),
        ("What happened over the weekend?", "the weekend"),
        ("Which team won Sunday night?", "Sunday night"),
    ],
)
def test_a_notice_names_the_frame_as_a_time(question: str, described: str) -> None:
    frame = time_frame(question)
    assert frame is not None and frame.described == described


def frame_notice(question: str, as_of: date | None, passages: list[Passage]) -> str | None:
    return question_scope(question, {}, as_of).notice(passages)


def frame_start(question: str, as_of: date | None) -> str | None:
    return question_scope(question, {}, as_of).since


def _passage(article_id: str, published: str | None) -> Passage:
    return Passage(f"{article_id}:0", ArticleRef(article_id, date=published), 0, 0, "", (), 1.0)


def test_the_notice_says_which_articles_the_frame_left_out() -> None:
    day = date(2022, 6, 23)
    old, new = _passage("a", "2022-01-10"), _passage("b", "2022-06-21")
    undated = _passage("c", None)
    assert frame_notice(QUESTION, day, [old, _passage("a", "2022-01-10")]) == (
        "The question asks about this week: no retrieved article was published between "
        "2022-06-09 and 2022-06-23."
    )
    assert frame_notice(QUESTION, day, [new, old]) == (
        "The question asks about this week: 1 retrieved article published before 2022-06-09 "
        "was left out."
    )
    assert frame_notice(QUESTION, day, [old, _passage("d", "2021-12-01"), new]) == (
        "The question asks about this week: 2 retrieved articles published before "
        "2022-06-09 were left out."
    )
    assert frame_notice(QUESTION, day, [new, undated]) is None  # nothing left out
    assert frame_notice(QUESTION, None, [old]) == (  # no day to count from: nothing left out
        "The question asks about this week, but no day was given to count from, so articles "
        "of any date may answer: give the day it is asked (as of) to keep to this week."
    )
    assert frame_notice("Which tax returns is the IRS processing?", day, [old]) is None


def test_the_frame_starts_its_days_before_the_day_asked() -> None:
    assert frame_start(QUESTION, date(2022, 6, 23)) == "2022-06-09"
    assert frame_start("What did the Fed say last week?", date(2022, 6, 23)) == "2022-06-02"
    assert frame_start("What is McDonald's adding this fall?", date(2022, 9, 8)) == "2022-05-11"
    assert frame_start(QUESTION, None) is None  # no day: nothing to count from
    assert frame_start("Which tax returns is the IRS processing?", date(2022, 6, 23)) is None


def test_an_article_before_the_frame_is_out_and_an_undated_one_in() -> None:
    assert not published_since("2022-06-08", "2022-06-09")
    assert published_since("2022-06-09", "2022-06-09")
    assert published_since(None, "2022-06-09") and published_since("", "2022-06-09")
    assert published_since("1999-01-01", None)


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(qa.questions.timeframe)
    assert result.attempted > 0 and result.failed == 0


@pytest.fixture(scope="module")
def irs_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsDesk]:
    directory = tmp_path_factory.mktemp("timeframe")
    news = directory / "news.jsonl"
    records = (OLD_IRS, NEW_IRS, GAS_TAX, UNDATED_IRS)
    news.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    desk = NewsDesk.open(Settings.from_env(index_dir=directory / "index"), create=True)
    desk.ingest([news])
    yield desk
    desk.close()


def _cited(answer: Answer) -> set[str]:
    return {c.article_id for c in answer.citations}


@pytest.mark.model
def test_this_weeks_question_is_answered_by_this_weeks_article(irs_desk: NewsDesk) -> None:
    answer = irs_desk.ask(QUESTION, as_of=AS_OF, article_ids=["irs-january", "irs-june"])
    assert not answer.abstained
    assert _cited(answer) == {"irs-june"}
    assert "backlog" in answer.text
    assert answer.notices[-1] == (  # the reader learns what was set aside, and why
        "The question asks about this week: 1 retrieved article published before 2022-06-09 "
        "was left out."
    )


@pytest.mark.model
def test_only_older_reporting_makes_the_answer_abstain_and_say_why(irs_desk: NewsDesk) -> None:
    answer = irs_desk.ask(QUESTION, as_of=AS_OF, article_ids=["irs-january"])
    assert answer.abstained and not answer.citations
    assert answer.notices[-1] == (
        "The question asks about this week: no retrieved article was published between "
        "2022-06-09 and 2022-06-23."
    )
    # the older article is still shown, with its best sentence, for the reader to judge
    assert answer.related and answer.related[0].article_id == "irs-january"
    assert "Jan. 24" in answer.related[0].quote


@pytest.mark.model
def test_what_holds_right_now_is_not_answered_from_months_old_news(irs_desk: NewsDesk) -> None:
    question = "Which tax returns is the IRS processing right now?"
    stale = irs_desk.ask(question, as_of=AS_OF, article_ids=["irs-january"])
    assert stale.abstained and not stale.citations
    assert stale.notices[-1] == (
        "The question asks about current news: no retrieved article was published between "
        "2022-05-09 and 2022-06-23."
    )
    # asked as of a day in January's frame, January's article answers it
    fresh = irs_desk.ask(question, as_of="2022-01-20", article_ids=["irs-january"])
    assert not fresh.abstained and _cited(fresh) == {"irs-january"}


@pytest.mark.model
def test_a_name_only_older_articles_give_makes_the_answer_abstain(irs_desk: NewsDesk) -> None:
    # the week's article is about the gas tax: the IRS is only in January's
    answer = irs_desk.ask(QUESTION, as_of=AS_OF, article_ids=["irs-january", "gas-tax"])
    assert answer.abstained
    assert "No article published since 2022-06-09 mentions “IRS”." in answer.notices


@pytest.mark.model
def test_without_a_day_or_a_frame_older_reporting_answers(irs_desk: NewsDesk) -> None:
    undated = irs_desk.ask(QUESTION, article_ids=["irs-january"])  # no as_of
    assert not undated.abstained and _cited(undated) == {"irs-january"}
    assert "but no day was given to count from" in undated.notices[-1]
    unframed = irs_desk.ask(
        "Which tax returns will the IRS begin processing?",
        as_of=AS_OF,
        article_ids=["irs-january"],
    )
    assert not unframed.abstained and "Jan. 24" in unframed.text


@pytest.mark.model
def test_an_undated_article_is_never_ruled_out(irs_desk: NewsDesk) -> None:
    answer = irs_desk.ask(QUESTION, as_of=AS_OF, article_ids=["irs-undated"])
    assert not answer.abstained and _cited(answer) == {"irs-undated"}


@pytest.mark.model
def test_the_chain_places_this_week_at_its_as_of(irs_desk: NewsDesk) -> None:
    from qa.langchain import build_chain

    dated = build_chain(irs_desk, as_of=AS_OF).invoke(QUESTION)
    assert not dated.abstained and "irs-january" not in _cited(dated)
    undated = build_chain(irs_desk).invoke(QUESTION)
    assert not undated.abstained  # without a day, January's IRS news may answer


@pytest.mark.model
def test_in_generative_mode_the_model_is_not_asked_about_older_reporting(
    irs_desk: NewsDesk,
) -> None:
    with unreachable_model(irs_desk) as desk:
        answer = desk.ask(QUESTION, as_of=AS_OF, article_ids=["irs-january"])
    assert answer.abstained
    assert answer.notices[-2:] == (
        "The question asks about this week: no retrieved article was published between "
        "2022-06-09 and 2022-06-23.",
        "The language model was not asked.",
    )


@pytest.mark.model
def test_in_generative_mode_the_answer_says_what_the_frame_left_out(irs_desk: NewsDesk) -> None:
    # the model is asked (and cannot be reached: the extractive answer stands in), from
    # the week's article only; the notice is given once
    with unreachable_model(irs_desk) as desk:
        answer = desk.ask(QUESTION, as_of=AS_OF, article_ids=["irs-january", "irs-june"])
    assert _cited(answer) == {"irs-june"}
    left_out = (
        "The question asks about this week: 1 retrieved article published before 2022-06-09 "
        "was left out."
    )
    assert answer.notices.count(left_out) == 1
    assert "The language model was not asked." not in answer.notices


@pytest.mark.model
def test_what_the_irs_announced_is_found_under_its_written_out_name(irs_desk: NewsDesk) -> None:
    # a who-said-what question: the articles attribute it to the Internal Revenue Service
    answer = irs_desk.ask("What did the IRS announce this week?", as_of=AS_OF)
    assert not answer.abstained
    assert _cited(answer) == {"irs-june"}
    assert answer.citations[0].speaker == "Internal Revenue Service"


def test_every_frame_needs_a_frame_word() -> None:
    """The shortcut that skips a question without any of `_FRAME_WORDS` must skip only
    questions that no pattern matches: checked on each pattern, and on every question
    the repository holds that sets a frame."""
    timeframe = qa.questions.timeframe
    words = timeframe._FRAME_WORDS
    assert all(any(w in p.pattern.lower() for w in words) for p, _ in timeframe._FRAMES)
    root = Path(__file__).resolve().parents[2]
    files = [root / "seeds/questions.jsonl", root / "seeds/calibration.jsonl"]
    files += sorted((root / "benchmarks/questions").glob("*.jsonl"))
    questions = [
        json.loads(line)["question"] for f in files for line in f.read_text().splitlines() if line
    ]
    framed = [q for q in questions if any(p.search(q) for p, _ in timeframe._FRAMES)]
    assert framed  # the check would pass on nothing otherwise
    assert all(any(w in q.lower() for w in words) for q in framed)


@pytest.mark.parametrize(
    ("sentence", "older"),
    [
        ("Then-President Donald Trump tweeted on October, 2, 2020, that he was ill.", True),
        ("The couple got engaged in November 2002.", True),
        ("A 2019 study found the same.", True),
        # its own day is near: a date of the past is background
        ("Biden, who took office in January 2021, tested positive Thursday.", False),
        ("The pound fell on Monday below its 1985 low.", False),
        # a point of reference, not when the event was
        ("Food costs rose the most since May 1979.", False),
        ("It is the hottest summer than any before 2010.", False),
        # a span of past years is older news; one that reaches the frame is not
        ("Sales were flat from 2019 to 2021.", True),
        ("Emissions fell in 2019-2021.", True),
        ("The plan runs from 2019 to 2023.", False),
        # a date inside the frame's month, or none
        ("The law was signed in June 2022.", False),
        ("The law was signed last spring.", False),
    ],
)
def test_a_sentence_dated_only_before_the_frame_tells_older_news(
    sentence: str, older: bool
) -> None:
    assert only_older_dates(sentence, date(2022, 6, 9)) is older


def test_what_holds_now_is_no_event_to_date() -> None:
    frame = time_frame("Which cheese is selling well right now?")
    assert frame is not None and frame.current
    week = time_frame("Who tested positive this week?")
    assert week is not None and not week.current
    # "right now" is told by older news too: its frame never puts a sentence last
    scope = question_scope("Which cheese is selling well right now?", {}, date(2022, 8, 18))
    assert not scope.tells_older("Velveeta was first sold in 1918.")
    scope = question_scope("Which cheese won a prize this week?", {}, date(2022, 8, 18))
    assert scope.tells_older("Velveeta was first sold in 1918.")


COVID_WEEK = {
    "id": "covid-week",
    "title": "Biden tests positive for Covid-19",
    "date": "2022-07-21",
    "source": "cnn.com",
    "text": "Then-President Donald Trump announced on October 2, 2020, that he and the first "
    "lady had tested positive for Covid-19. President Joe Biden tested positive for Covid-19 "
    "on Thursday and has mild symptoms, the White House said. He is isolating in the "
    "residence and continues to work.",
}


@pytest.fixture(scope="module")
def covid_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsDesk]:
    directory = tmp_path_factory.mktemp("older-dates")
    news = directory / "news.jsonl"
    news.write_text(json.dumps(COVID_WEEK) + "\n", encoding="utf-8")
    desk = NewsDesk.open(Settings.from_env(index_dir=directory / "index"), create=True)
    desk.ingest([news])
    yield desk
    desk.close()


@pytest.mark.model
def test_this_weeks_answer_opens_on_this_weeks_news_not_its_background(
    covid_desk: NewsDesk,
) -> None:
    """The week's story recalls Trump's positive test of 2020, which scores at least as
    high: the answer opens on Biden's, of the week asked about."""
    question = "Who tested positive for Covid-19 this week?"
    answer = covid_desk.ask(question, as_of="2022-07-23")
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("President Joe Biden tested positive")
    # without a day to count from there is no frame, and nothing is put last
    undated = covid_desk.ask(question)
    assert undated.citations[0].quote.startswith("Then-President Donald Trump")
