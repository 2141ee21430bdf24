"""A message that asks for a summary ("What is this article about?", "Summarize the news
about X") is answered by the leads of the stories on its topic, cited exactly: the pure
reading and lead picking on literal strings, then desks over real articles."""

from __future__ import annotations

import json

import pytest
from closed_model import unreachable_model

from index import Article
from qa import ABSTAIN_TEXT, NewsDesk, Turn
from qa.extractive.summary import about_topic, first_sentences, lead_spans, summary_citations
from qa.questions.summaries import SummaryRequest, continued_summary, summary_request


@pytest.mark.parametrize(
    ("message", "topic", "one_story"),
    [
        ("What is this article about?", None, True),
        ("What are the articles about?", None, False),
        ("Summarize the article. Keep it short.", None, True),
        ("Thanks! Can you summarize the article?", None, True),
        ("Give me a summary", None, False),
        ("tl;dr?", None, False),
        ("Can you sum it up?", None, False),
        ("What are the main points?", None, False),
        ("Outline the main points of the article", None, True),
        ("What does the article say?", None, True),
        ("Can you give me a quick summary of the Blinken trip?", "the Blinken trip", False),
        ("Hi, could you please sum up the news on China in three sentences?", "China", False),
        ("What are the key takeaways from the Blinken story?", "Blinken", True),
        ("What is the gist of Blinken's trip?", "Blinken's trip", False),
        ("Brief me on the rail strike.", "the rail strike", False),
        ("I need a summary of the news about inflation.", "inflation", False),
        ("Give me the highlights", None, False),
        ("Key takeaways?", None, False),
        ("The main points, please.", None, False),
        ("List the key points of the Blinken story", "Blinken", True),
        ("Takeaways from the Blinken trip?", "the Blinken trip", False),
        # the time it sets is no topic: the service keeps to it
        ("Summarize this week's news", None, False),
        ("What are today's headlines?", None, False),
        ("Summarize the news on the strike this week", "the strike", False),
    ],
)
def test_summary_requests_are_read_with_their_topic(
    message: str, topic: str | None, one_story: bool
) -> None:
    asked = summary_request(message)
    assert asked is not None
    assert (asked.topic, asked.one_story) == (topic, one_story)


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("What's the latest on the strike?", "the strike"),
        ("Is there any news about Artemis?", "Artemis"),
        ("What's the latest?", None),
        ("Anything new?", None),
        ("What happened in the news?", None),
    ],
)
def test_the_latest_asks_for_the_newest_stories(message: str, topic: str | None) -> None:
    assert summary_request(message) == SummaryRequest(topic, latest=True)


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("What happened to Danelo Cavalcante?", "Danelo Cavalcante"),
        ("What happened with the balloon?", "the balloon"),
        ("What has happened in the rail strike?", "the rail strike"),
        ("What happened at the Highland Park parade this week?", "the Highland Park parade"),
    ],
)
def test_what_happened_to_something_asks_for_its_story(message: str, topic: str) -> None:
    asked = summary_request(message)
    assert asked is not None
    assert (asked.topic, asked.one_story, asked.event) == (topic, True, True)


@pytest.mark.parametrize(
    ("message", "topic", "on_topic"),
    [
        ("Who is quoted in the article?", None, False),
        ("Which officials are quoted?", None, False),
        ("Who does the article quote?", None, False),
        ("Who are the sources in the article about Sri Lanka?", "Sri Lanka", False),
        ("Who said what about Taiwan?", "Taiwan", True),
        ("Which experts are quoted on inflation?", "inflation", True),
    ],
)
def test_who_is_quoted_is_read_with_what_the_quotes_must_be_on(
    message: str, topic: str | None, on_topic: bool
) -> None:
    asked = summary_request(message)
    assert asked is not None and asked.quoted
    assert (asked.topic, asked.quoted_on_topic) == (topic, on_topic)


@pytest.mark.parametrize(
    "message",
    [
        "Who spoke at the rally?",  # who did something: a question
        "Who was cited by the court?",
        "Who was cited for speeding?",
        "What did Kritenbrink say about expectations?",
        "What are the main points of disagreement between the US and China?",
        "What were the highlights of the game?",
        "Give me the highlights of the game",  # as the question above
        "Give me the main points of disagreement",
        "What does the article say about Taiwan?",  # a question on Taiwan, from the articles
        "Tell me about the trip.",
        "What happened after the vote?",  # the outcome: a question ("what happened after")
        "What happened to him?",  # the conversation says who: a follow-up question
        "What happened next?",  # goes on with a summary, if one was given
        "Who is Qin Gang? Summarize it please.",  # a question beside it: answered as one
        "Which summary judgment did the court issue?",
        "What is the news value of the leak?",
    ],
)
def test_questions_are_not_read_as_summary_requests(message: str) -> None:
    assert summary_request(message) is None


SUMMARY = Turn("What is this article about?", "The vote passed. [1] It goes on. [2]")


@pytest.mark.parametrize("message", ["Tell me more", "What else?", "Go on.", "OK, and then?"])
def test_more_after_a_summary_goes_on_with_it(message: str) -> None:
    asked = continued_summary(message, [SUMMARY])
    assert asked is not None and (asked.skip, asked.one_story) == (1, True)


@pytest.mark.parametrize(
    ("message", "turns"),
    [
        ("What else did Kritenbrink say?", [SUMMARY]),  # a question of its own
        ("Tell me more", [Turn("What did Lee say?", "Lee spoke. [1]")]),  # no summary
        ("Tell me more", [Turn("Summarize the trip.", ABSTAIN_TEXT)]),  # none was given
        ("Tell me more", []),
    ],
)
def test_more_goes_on_only_with_a_summary_given(message: str, turns: list[Turn]) -> None:
    assert continued_summary(message, turns) is None


PAGE = (
    "CNN —\n"
    "Sign up for our newsletter to get the news in your inbox.\n"
    "Hide Caption 1 of 12 Photos: Workers at the harbour on Monday.\n"
    "When will the strike end?\n"
    "The harbour strike ended on Friday after workers accepted a new contract.\n"
    "The contract raises harbour pay by 6% over three years, the union said.\n"
    "Ferries ran again on Saturday, and the harbour reopened to cargo."
)


def test_the_lead_skips_what_the_page_puts_before_the_story() -> None:
    article = Article("a", PAGE, title="Harbour strike ends")
    spans = lead_spans(article, 2)
    assert [PAGE[s:e] for s, e in spans] == [
        "The harbour strike ended on Friday after workers accepted a new contract.",
        "The contract raises harbour pay by 6% over three years, the union said.",
    ]


def test_a_roundup_is_summarised_by_its_sentence_on_the_topic() -> None:
    text = (
        "Leaders met in Rome on Monday to discuss the budget and its deadline.\n"
        "The budget talks resume in Rome next week, leaders said on Monday.\n"
        "Elsewhere, the ferry strike ended after workers accepted a new contract.\n"
        "The ferry strike had lasted nine days before the new contract."
    )
    roundup = Article("r", text, title="Five things: budget, ferries")
    (span,) = lead_spans(roundup, 1, topic="the ferry strike")
    assert text[span[0] : span[1]].startswith("Elsewhere, the ferry strike ended")
    ((start, end),) = lead_spans(roundup, 1)  # no topic: its own lead
    assert text[start:end].startswith("Leaders met in Rome")


def test_a_story_is_about_a_topic_only_when_it_holds_its_terms() -> None:
    story = Article("s", PAGE, title="Harbour strike ends")
    assert about_topic("the harbour strike", story)
    assert not about_topic("the airport strike", story)


def test_a_summary_keeps_to_the_answer_length_asked_for() -> None:
    story = Article("a", PAGE, title="Harbour strike ends")
    cited = summary_citations([story], one_story=True, limit=1)
    assert [c.quote[:25] for c in cited] == ["The harbour strike ended "]
    assert len(summary_citations([story], one_story=True)) == 3


def test_stories_retelling_one_lead_are_summarised_once() -> None:
    lead = (
        "The harbour strike ended on Friday after workers accepted a new contract, the union said."
    )
    wire = Article("a", lead + "\nMore follows on the harbour and its workers.", source="AP")
    copy = Article("b", lead + "\nThe harbour reopened, and its workers went back.", source="X")
    other = Article("c", "Ferries ran again on Saturday after the harbour strike ended early.")
    cited = first_sentences([wire, copy, other])
    assert [c.article_id for c in cited] == ["a", "c"]
    assert [c.marker for c in cited] == [1, 2]


def test_what_the_article_is_about_is_its_lead_cited_exactly(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask("What is this article about?")
    assert not answer.abstained
    assert len(answer.citations) == 3
    first = answer.citations[0]
    assert first.start == 0
    assert first.quote.startswith("The United States on Wednesday played down expectations")
    for c in answer.citations:
        assert seed_desk.article(c.article_id).text[c.start : c.end] == c.quote
        assert f"[{c.marker}]" in answer.text


@pytest.mark.model
def test_in_generative_mode_a_summary_quotes_the_leads_without_the_model(
    seed_desk: NewsDesk,
) -> None:
    with unreachable_model(seed_desk) as desk:
        answer = desk.ask("Summarize the news about Blinken's visit.")
    assert not answer.abstained and len(answer.citations) == 3
    assert answer.citations[0].start == 0
    assert answer.notices[-1] == "The language model was not asked."


def test_who_the_article_quotes_is_each_speaker_in_their_own_words(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask("Who is quoted in the article?")
    assert [c.speaker for c in answer.citations] == [
        "Daniel Kritenbrink",
        "Kurt Campbell",
        "Qin Gang",
    ]  # the three given most sentences, in the order quoted
    for c in answer.citations:
        assert c.speaker is not None
        assert any(part in c.quote for part in c.speaker.split())  # names them
        assert seed_desk.article(c.article_id).text[c.start : c.end] == c.quote
    (others,) = [n for n in answer.notices if n.startswith("Also quoted: ")]
    assert "U.S. officials" in others and "Kritenbrink" not in others


def test_who_said_what_about_a_topic_quotes_only_words_on_it(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask("Who said what about Taiwan?")
    assert [c.speaker for c in answer.citations] == ["Daniel Kritenbrink"]
    assert "Taiwan Strait" in answer.citations[0].quote


def test_tell_me_more_quotes_the_story_on_from_where_the_summary_stopped(
    seed_desk: NewsDesk,
) -> None:
    history: list[tuple[str, str]] = []
    shown: list[tuple[int, int]] = []
    for message in ["What is this article about?", "Tell me more", "What else?"]:
        answer = seed_desk.ask(message, history=history)
        assert len(answer.citations) == 3, (message, answer.text)
        spans = [(c.start, c.end) for c in answer.citations]
        assert not shown or spans[0][0] > shown[-1][1]  # on from the last sentence shown
        shown += spans
        history.append((message, answer.text))
    assert shown == sorted(shown)


def test_anything_else_after_who_is_quoted_names_the_other_speakers(seed_desk: NewsDesk) -> None:
    first = seed_desk.ask("Who is quoted in the article?")
    more = seed_desk.ask("Anything else?", history=[("Who is quoted in the article?", first.text)])
    assert {c.speaker for c in more.citations}.isdisjoint({c.speaker for c in first.citations})
    assert "U.S. officials" in {c.speaker for c in more.citations}


def test_a_topic_no_article_is_about_is_declined_with_the_nearest_stories(
    seed_desk: NewsDesk,
) -> None:
    answer = seed_desk.ask("Give me a summary of the World Cup final")
    assert answer.abstained
    assert answer.text == ABSTAIN_TEXT
    assert "No retrieved article is about “the World Cup final”." in answer.notices
    assert answer.related and answer.related[0].start == 0


def test_what_happened_to_someone_is_the_lead_of_the_story_on_them(
    empty_desk: NewsDesk, tmp_path
) -> None:
    stories = [
        (
            "rescue",
            "Missing hiker found alive",
            "Rescuers found missing hiker Maya Torres alive in a canyon on Sunday after a "
            "four-day search that drew hundreds of volunteers.\n"
            "She was flown to a hospital in St. George with a broken ankle.\n"
            "Park rangers had narrowed the search after a camera spotted her car.\n"
            "“We never stopped believing,” said her brother, Luis Torres, who thanked the "
            "volunteers.\n"
            "Torres told rangers she had rationed two energy bars and a bottle of water.",
        ),
        (
            "warnings",
            "Park adds warnings on canyon trails",
            "The park will post new warnings at six canyon trailheads this summer.\n"
            "Officials said the search for Maya Torres showed how quickly hikers lose "
            "their way once the trail markers end.",
        ),
    ]
    lines = [
        json.dumps({"id": i, "title": t, "text": x, "date": "2023-06-12"}) for i, t, x in stories
    ]
    (tmp_path / "hiker.jsonl").write_text("\n".join(lines) + "\n")
    empty_desk.ingest([tmp_path / "hiker.jsonl"])

    answer = empty_desk.ask("What happened to Maya Torres?")
    assert not answer.abstained, answer.notices
    article = empty_desk.article("rescue")
    # the story's lead, its first sentences in their order, each cited exactly
    assert [c.article_id for c in answer.citations] == ["rescue"] * 3
    assert answer.citations[0].quote.startswith("Rescuers found missing hiker Maya Torres")
    assert [c.start for c in answer.citations] == sorted(c.start for c in answer.citations)
    assert all(article.text[c.start : c.end] == c.quote for c in answer.citations)


def test_what_happened_to_a_detail_of_a_story_is_answered_as_a_question(
    seed_desk: NewsDesk,
) -> None:
    # the seed story leads on Blinken's trip, and mentions the balloon further down: its
    # lead would not say what happened to the balloon, so the question's evidence is
    # scored, as a summary's never is
    answer = seed_desk.ask("What happened with the balloon?", as_of="2023-06-14")
    assert answer.signals, answer
    summary = seed_desk.ask("Summarize the news about the balloon", as_of="2023-06-14")
    assert summary.citations and not summary.signals


def test_this_weeks_news_is_summarised_from_that_week(empty_desk: NewsDesk, tmp_path) -> None:
    stories = [
        ("old", "2023-03-01", "The harbour budget was approved by the council in March."),
        ("new", "2023-06-12", "The harbour strike ended on Monday after a new contract."),
    ]
    lines = [json.dumps({"id": i, "date": d, "text": t}) for i, d, t in stories]
    (tmp_path / "dated.jsonl").write_text("\n".join(lines) + "\n")
    empty_desk.ingest([tmp_path / "dated.jsonl"])

    week = empty_desk.ask("Summarize this week's news", as_of="2023-06-14")
    assert [c.article_id for c in week.citations] == ["new"]
    on_topic = empty_desk.ask("Summarize the news on the harbour this week", as_of="2023-06-14")
    assert [c.article_id for c in on_topic.citations] == ["new"]
    assert any("published before" in n for n in on_topic.notices)  # the older one, left out
    before = empty_desk.ask("Summarize this week's news", as_of="2023-01-10")
    assert before.abstained
    assert "No indexed article was published between 2022-12-27 and 2023-01-10." in (before.notices)
    undated = empty_desk.ask("Summarize this week's news")  # no day to count the week from
    assert any("no day was given" in n for n in undated.notices)


def test_it_after_an_answer_is_the_story_that_answer_quoted(empty_desk: NewsDesk, tmp_path) -> None:
    stories = [
        ("harbour", "Harbour strike ends", PAGE),
        (
            "vote",
            "Council passes the school budget",
            "The city council passed the school budget on Tuesday by seven votes to two.\n"
            "The budget adds 40 teachers and repairs three roofs, the mayor said.",
        ),
    ]
    lines = [
        json.dumps({"id": i, "title": t, "text": x, "date": "2023-06-0" + str(n)})
        for n, (i, t, x) in enumerate(stories, 1)
    ]
    (tmp_path / "two.jsonl").write_text("\n".join(lines) + "\n")
    empty_desk.ingest([tmp_path / "two.jsonl"])

    plain = empty_desk.ask("What are the articles about?")  # two articles, none named
    assert [c.article_id for c in plain.citations] == ["vote", "harbour"]  # newest first
    assert any("newest of the 2 articles" in n for n in plain.notices)
    (tmp_path / "later.jsonl").write_text(
        json.dumps(
            {
                "id": "added",
                "title": "Library reopens",
                "date": "2023-05-01",
                "text": (
                    "The city library reopened on Sunday after a year of roof repairs.\n"
                    "Readers queued for an hour at its doors, the librarian said."
                ),
            }
        )
        + "\n"
    )
    empty_desk.ingest([tmp_path / "later.jsonl"])
    this = empty_desk.ask("What is this article about?")  # the one just added, if oldest
    assert {c.article_id for c in this.citations} == {"added"}
    assert any("“Library reopens” is the article added last" in n for n in this.notices)

    first = empty_desk.ask("When did the harbour strike end?")
    assert first.citations and first.citations[0].article_id == "harbour"
    followup = empty_desk.ask(
        "What is it about?", history=[("When did the harbour strike end?", first.text)]
    )
    assert {c.article_id for c in followup.citations} == {"harbour"}
    assert followup.citations[0].quote.startswith("The harbour strike ended on Friday")

    topic = empty_desk.ask("Summarize the news about the school budget.")
    assert [c.article_id for c in topic.citations] == ["vote", "vote"]
    assert not topic.notices
