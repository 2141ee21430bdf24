"""LangChain at the edge: a `BaseRetriever` over hybrid retrieval and an LCEL chain.

    chain = build_chain(desk)
    answer = chain.invoke("what did Kritenbrink say about expectations?")
    follow_up = {"question": "what else did he say?", "history": [[answer.question, answer.text]]}
    answers = chain.batch(["Who is Qin Gang?", follow_up])

Documents carry the citation metadata (article id, title, url, date, source,
offsets); the chain's output is the project's own `Answer`.
"""

from __future__ import annotations

import json
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda, RunnableParallel

from index.records import ArticleRef
from qa.records import Answer, Passage

if TYPE_CHECKING:
    from qa.service import NewsDesk


def passage_to_document(passage: Passage) -> Document:
    """A LangChain Document whose metadata can rebuild the passage and its citations."""
    return Document(
        page_content=passage.text,
        id=passage.chunk_id,
        metadata={
            "chunk_id": passage.chunk_id,
            "article_id": passage.article_id,
            "title": passage.title,
            "url": passage.url,
            "date": passage.date,
            "source": passage.source,
            "start": passage.start,
            "end": passage.end,
            "sentences": json.dumps([list(s) for s in passage.sentences]),
            "score": passage.score,
            "dense_rank": passage.dense_rank,
            "lexical_rank": passage.lexical_rank,
        },
    )


def document_to_passage(document: Document) -> Passage:
    """The inverse of `passage_to_document`."""
    m = document.metadata
    return Passage(
        chunk_id=m["chunk_id"],
        article=ArticleRef(m["article_id"], m["title"], m["date"], m["source"], m["url"]),
        start=int(m["start"]),
        end=int(m["end"]),
        text=document.page_content,
        sentences=tuple((int(s), int(e)) for s, e in json.loads(m["sentences"])),
        score=float(m["score"]),
        dense_rank=m.get("dense_rank"),
        lexical_rank=m.get("lexical_rank"),
    )


class NewsDeskRetriever(BaseRetriever):
    """Hybrid (dense + BM25) retrieval over a NewsDesk index, as a LangChain retriever."""

    desk: Any  # a qa.NewsDesk; Any keeps pydantic from validating it
    k: int = 8
    as_of: str | None = None
    sources: tuple[str, ...] = ()

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        passages = self.desk.retrieve(query, k=self.k, as_of=self.as_of, sources=self.sources)
        return [passage_to_document(p) for p in passages]


def build_chain(desk: NewsDesk, *, k: int = 8, as_of: str | None = None) -> Runnable[Any, Answer]:
    """`retriever | answerer` as one Runnable: input a question string or
    `{"question": ..., "history": [[q, a], ...]}`, output an `Answer`."""
    retriever = NewsDeskRetriever(desk=desk, k=k, as_of=as_of)

    def answer(inputs: dict[str, Any]) -> Answer:
        passages = [document_to_passage(d) for d in inputs["documents"]]
        request = inputs["request"]
        return desk.answer_from_passages(
            request["question"], passages, history=request.get("history") or (), as_of=as_of
        )

    def as_request(value: str | dict[str, Any]) -> dict[str, Any]:
        if isinstance(value, str):
            value = {"question": value}
        if not isinstance(value, dict) or "question" not in value:
            raise TypeError(
                'the chain takes a question string or {"question": ..., "history": ...}'
            )
        history = value.get("history") or ()
        # follow-ups are made standalone before retrieval, and one that leaves its story
        # to the conversation is searched for with it too, as NewsDesk.ask does
        return {**value, "searches": desk.searches(value["question"], history)}

    def merged(found: list[list[Document]]) -> list[Document]:
        """The documents of every search, the first search's first, each once."""
        out: dict[str | None, Document] = {}
        for docs in found:
            for d in docs:
                out.setdefault(d.id, d)
        return list(out.values())

    return (
        RunnableLambda(as_request)
        | RunnableParallel(
            request=lambda r: r,
            documents=itemgetter("searches") | retriever.map() | RunnableLambda(merged),
        )
        | RunnableLambda(answer)
    ).with_config(run_name="newsdesk")
