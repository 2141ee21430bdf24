"""The LangChain retriever and chain, called the way LangChain users call them."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable

from qa import Answer, NewsDesk
from qa.langchain import NewsDeskRetriever, build_chain, document_to_passage

pytestmark = pytest.mark.model


def test_retriever_is_a_langchain_retriever_with_citation_metadata(seed_desk: NewsDesk) -> None:
    retriever = NewsDeskRetriever(desk=seed_desk, k=3)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("Kritenbrink breakthrough expectations")
    assert 1 <= len(docs) <= 3
    assert all(isinstance(d, Document) for d in docs)
    for d in docs:
        m = d.metadata
        assert {"article_id", "title", "url", "date", "start", "end"} <= m.keys()
        text = seed_desk.article(m["article_id"]).text
        assert text[m["start"] : m["end"]] == d.page_content
        assert document_to_passage(d).text == d.page_content


def test_retriever_batch(seed_desk: NewsDesk) -> None:
    retriever = NewsDeskRetriever(desk=seed_desk, k=2)
    results = retriever.batch(["Taiwan Strait", "spy balloon"])
    assert [len(r) for r in results] == [2, 2]
    assert any("balloon" in d.page_content for d in results[1])


def test_chain_invoke_and_batch_return_cited_answers(seed_desk: NewsDesk) -> None:
    chain = build_chain(seed_desk)
    assert isinstance(chain, Runnable)
    answer = chain.invoke("what did Kritenbrink say about expectations?")
    assert isinstance(answer, Answer)
    assert any("some sort of breakthrough" in c.quote for c in answer.citations)
    answers = chain.batch(
        [
            "what is the population of Beijing?",
            {
                "question": "What else did he say?",
                "history": [["what did Kritenbrink say about expectations?", answer.text]],
            },
        ]
    )
    assert answers[0].abstained
    assert not answers[1].abstained
    assert "Kritenbrink" in answers[1].standalone_question


def test_chain_composes_with_other_runnables(seed_desk: NewsDesk) -> None:
    chain = build_chain(seed_desk) | (lambda a: [c.marker for c in a.citations])
    assert chain.invoke("Who is Qin Gang?")[0] == 1
