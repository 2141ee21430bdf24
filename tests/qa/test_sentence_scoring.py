"""With sentence vectors made at ingest, an answer embeds its question and nothing else,
and every sentence of the retrieved passages is scored."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pytest

from index import Article, Embedder
from qa import NewsDesk
from qa.extractive.evidence import Evidence, can_answer
from qa.records import Passage

pytestmark = pytest.mark.model


class CountingEmbedder:
    """Wraps the real embedder and records every text it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.texts: list[str] = []

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    @property
    def max_tokens(self) -> int:
        return self.inner.max_tokens

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        return self.inner.token_counts(texts)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.embed(texts)


def _scoring_inputs(
    desk: NewsDesk, question: str
) -> tuple[np.ndarray, list[Passage], dict[str, Article]]:
    """What the scorer is given for `question`, in `EvidenceScorer.score`'s order: its
    vector as the service embeds it, its passages, and the passages' articles."""
    passages = desk.retrieve(question)
    articles = {p.article_id: desk.article(p.article_id) for p in passages}
    return desk._embed_question(question), passages, articles


def test_an_answer_embeds_only_its_question(seed_desk: NewsDesk) -> None:
    index = seed_desk._index
    # questions go through the query embedder (ONNX or torch), anything else through
    # the index's
    counting, counting_questions = (
        CountingEmbedder(index.embedder),
        CountingEmbedder(seed_desk._query_embedder),
    )
    original, original_questions = index.embedder, seed_desk._query_embedder
    index.embedder, seed_desk._query_embedder = counting, counting_questions
    try:
        question = "Why does Campbell think the lines of communication are necessary?"
        answer = seed_desk.ask(question)
    finally:
        index.embedder, seed_desk._query_embedder = original, original_questions
    assert not answer.abstained
    assert counting_questions.texts == [question]
    assert counting.texts == []
    assert (
        len(seed_desk._extractive_answerer.scorer.vectors._cache) == 0
    )  # nothing embedded at question time


def test_every_sentence_competes_with_the_ranker_and_eight_without(seed_desk: NewsDesk) -> None:
    from qa.extractive.ranker import SENTENCE_FEATURES

    question = "What did Blinken and Qin discuss on the call?"
    vector, passages, articles = _scoring_inputs(seed_desk, question)
    scorer = seed_desk._extractive_answerer.scorer
    # every sentence that can be an answer: not the page's "Leave a Reply" and the like
    distinct = {
        (p.article_id, (a, b))
        for p in passages
        for a, b in p.sentences
        if can_answer(p.text[a - p.start : b - p.start])
    }
    assert len(distinct) > 8
    assert len(distinct) < len({(p.article_id, s) for p in passages for s in p.sentences})
    assert scorer.ranker is not None  # the default: the fitted sentence ranker
    ranked = scorer.score(question, vector, passages, articles)
    assert len(ranked) == len(distinct)
    assert all(len(e.features) == len(SENTENCE_FEATURES) for e in ranked)
    assert all(0.0 <= e.score <= 1.0 for e in ranked)
    assert [e.score for e in ranked] == sorted((e.score for e in ranked), reverse=True)
    # made from their fields without __init__: every field there, as __init__ makes them
    names = [f.name for f in dataclasses.fields(Evidence)]
    assert all(list(vars(e)) == names for e in ranked)
    assert all(Evidence(**vars(e)) == e for e in ranked)
    ranker, scorer.ranker = scorer.ranker, None
    try:
        hand = scorer.score(question, vector, passages, articles)
        assert len(hand) == 8
        assert all(e.features == () for e in hand)
        scorer.max_scored = None
        assert len(scorer.score(question, vector, passages, articles)) == len(distinct)
    finally:
        scorer.ranker, scorer.max_scored = ranker, 8


def test_a_why_question_gets_the_reason_that_finishes_the_quotation(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask("Why does Campbell think the lines of communication are necessary?")
    quotes = [c.quote for c in answer.citations]
    claim = next(i for i, q in enumerate(quotes) if "lines of communication are necessary" in q)
    assert "the stakes are just too high" in quotes[claim + 1]
    assert len(quotes) <= 4
    for c in answer.citations:
        assert seed_desk.article(c.article_id).text[c.start : c.end] == c.quote


def test_a_person_quoted_by_a_readout_is_the_speaker(seed_desk: NewsDesk) -> None:
    answer = seed_desk.ask(
        "What did the Chinese foreign ministry's readout quote Qin as saying about responsibility?"
    )
    assert not answer.abstained
    assert any("the responsibility is clear" in c.quote for c in answer.citations)


def test_an_answer_carries_its_signals_and_the_models_confidence(seed_desk: NewsDesk) -> None:
    from qa.extractive.answerability import SIGNALS, bundled_model

    answer = seed_desk.ask("Who is Qin Gang?")
    assert list(answer.signals) == list(SIGNALS)
    assert answer.confidence is not None
    assert answer.confidence == pytest.approx(bundled_model().probability(answer.signals), abs=1e-3)
    assert answer.to_dict()["confidence"] == answer.confidence


def test_an_articles_own_question_and_its_dateline_are_never_the_answer(
    empty_desk: NewsDesk, tmp_path
) -> None:
    # a quiz asks the reader's question word for word; a report opens on a dateline
    (tmp_path / "c.jsonl").write_text(
        '{"id": "quiz", "title": "This week in the news: a quiz", "text": '
        '"Which company is accused of turning off the air conditioning in its stores? '
        'A. Target B. Walmart C. Best Buy"}\n'
        '{"id": "report", "title": "Bed Bath & Beyond stores turn off the air conditioning", '
        '"text": "New York CNN Business —\\n\\nBed Bath & Beyond is accused of turning off '
        "the air conditioning in its stores to cut costs as its sales plummet. Shoppers "
        'complained about the heat in several stores."}\n'
    )
    empty_desk.ingest([tmp_path / "c.jsonl"])
    question = "Which company is accused of turning off the air conditioning in its stores?"
    answer = empty_desk.ask(question)
    quoted = [c.quote for c in answer.citations] + [r.quote for r in answer.related]
    assert quoted, "the articles hold an answer or at least related passages"
    assert not any(q.rstrip().endswith("?") for q in quoted)
    assert not any(q.rstrip().endswith("—") for q in quoted)
    if not answer.abstained:
        assert "Bed Bath & Beyond" in answer.text


def test_a_question_someone_asked_still_answers_what_they_said(
    empty_desk: NewsDesk, tmp_path
) -> None:
    (tmp_path / "d.jsonl").write_text(
        '{"id": "vote", "title": "Council delays harbour vote", "text": '
        '"The city council delayed its vote on the harbour budget on Monday. '
        'Mayor Ana Silva said she was in no hurry: “Why would we rush a budget this large?”"}\n'
    )
    empty_desk.ingest([tmp_path / "d.jsonl"])
    answer = empty_desk.ask("What did Ana Silva say about the harbour budget?")
    assert any("Why would we rush" in c.quote for c in answer.citations)


def test_a_how_many_question_ranks_a_count_over_a_price(empty_desk: NewsDesk, tmp_path) -> None:
    from qa.extractive.ranker import SENTENCE_FEATURES

    (tmp_path / "gas.txt").write_text(
        "Gas prices keep falling\n\n"
        "The national average for regular gasoline dropped to $4.16 a gallon on Wednesday. "
        "Nineteen states have average gas prices below $4, including Ohio and Iowa. "
        "Prices peaked at $5.02 on June 14, 2022."
    )
    empty_desk.ingest([tmp_path / "gas.txt"])
    question = "How many states have average gas prices below $4?"
    scorer = empty_desk._extractive_answerer.scorer
    ranked = scorer.score(question, *_scoring_inputs(empty_desk, question))
    miss = SENTENCE_FEATURES.index("type_miss")
    by_text = {e.text.split(" ", 1)[0]: e for e in ranked}
    # every sentence holds a number new to the question; only one gives a count
    assert by_text["Nineteen"].features[miss] == 0.0
    assert by_text["The"].features[miss] == 1.0  # a price
    assert by_text["Prices"].features[miss] == 1.0  # a price and a date
    assert ranked[0].text.startswith("Nineteen states")
    answer = empty_desk.ask(question)
    assert "Nineteen states" in answer.text
