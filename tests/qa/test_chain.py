"""The LangChain retriever and chain, called the way LangChain users call them."""

from __future__ import annotations

from pathlib import Path

import pytest
from article_desk import desk_over  # tests/ is on sys.path
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


def _story(article_id: str, title: str, text: str) -> dict[str, str]:
    return {"id": article_id, "title": title, "date": "2022-07-05", "text": text}


def test_a_question_that_names_nothing_is_searched_with_the_conversation_s_story(
    tmp_path: Path,
) -> None:
    parade = _story(
        "parade",
        "Gunman fires on Highland Park parade",
        "A gunman opened fire on the Fourth of July parade in Highland Park, Illinois, on "
        "Monday. Seven people died and more than thirty were wounded, the coroner said.",
    )
    crash = _story(
        "crash",
        "Bus crash on the interstate",
        "A tour bus overturned on the interstate near Albany on Sunday. Twelve people "
        "died in the crash, state police said.",
    )
    with desk_over(tmp_path, parade, crash) as desk:
        # one passage a search: the question alone finds one story for both conversations
        chain = build_chain(desk, k=1)
        answers = {}
        for story, first in (
            ("parade", "What happened at the Highland Park parade?"),
            ("crash", "What happened to the tour bus near Albany?"),
        ):
            turn = chain.invoke(first)
            answers[story] = chain.invoke(
                {"question": "How many people died?", "history": [[first, turn.text]]}
            )
    for story, answer in answers.items():
        assert not answer.abstained, answer.notices
        assert {c.article_id for c in answer.citations} == {story}
        assert answer.standalone_question.startswith("How many people died? (What happened")
    assert "Seven people died" in answers["parade"].text
    assert "Twelve people died" in answers["crash"].text


def test_standalone_question_is_the_reading_an_answer_shows(seed_desk: NewsDesk) -> None:
    history = [("Who is Daniel Kritenbrink?", "The State Department's top diplomat. [1]")]
    asked = "Which country is he travelling to?"
    answer = seed_desk.ask(asked, history=history)
    read = seed_desk.standalone_question(asked, history)
    assert (
        read == answer.standalone_question == "Which country is Daniel Kritenbrink travelling to?"
    )
    assert seed_desk.searches(asked, history)[0] == asked  # scored as asked, searched named
