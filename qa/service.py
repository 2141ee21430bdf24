"""`NewsDesk`: the service object the UI, CLI and evaluation use. It owns the models."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from index import (
    Article,
    ArticleSummary,
    Embedder,
    EmptyIndexError,
    Filters,
    IngestReport,
    NewsIndex,
    SentenceTransformerEmbedder,
    folded,
    make_embedder,
)
from index import ingest as ingest_paths
from index.cluster import ClusterEmbedder
from index.onnx_embedding import QueryEmbedder, make_query_embedder
from index.openvino_embedding import ingest_accelerator
from qa.compound import SpeakersApart, joined_answer, speakers_apart, split_questions
from qa.copies import with_copies
from qa.extractive.answer import (
    ExtractiveAnswerer,
    Scope,
    articles_naming,
    elapsed_ms,
    no_words_notice,
    off_topic_notice,
    question_scope,
)
from qa.extractive.answer_types import asks_clock, asks_winner
from qa.extractive.compose import ABSTAIN_TEXT
from qa.extractive.deaths import death_asked, obituary_answer
from qa.extractive.evidence import EvidenceScorer
from qa.extractive.ranker import bundled_ranker
from qa.extractive.summary import STORIES, about_topic, leads_on, summary_answer, titled
from qa.questions.cleaning import QuestionError, clean_question
from qa.questions.followup import Resolved, resolve_followup
from qa.questions.names import mentions_person
from qa.questions.requests import direct_question
from qa.questions.spelling import respelled, respelling_notice
from qa.questions.summaries import SummaryRequest, continued_summary, summary_request
from qa.records import Answer, AskRequest, Passage, TextDelta, Turn
from qa.retrieval import HybridRetriever, RetrievalPolicy
from qa.settings import ANSWER_MODES, Settings, SettingsError
from qa.speech.attribution import SpeakerLabeller
from qa.speech.question import PRONOUNS, SaidQuestion, parse_said_question

History = Sequence[Turn | tuple[str, str] | list[str]]
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# stories read whole for the words of someone asked about, at most: the best retrieved
WHOLE_STORIES = 3
MAX_COMMENT_CHARS = 2_000  # a vote's comment; more is a document, not a remark
MAX_FEEDBACK_BYTES = 10 * 2**20  # feedback.jsonl stops growing here
# what a search gives: the question as searched (respelt), its vector, the passages found,
# and the notice of its respelling, if any
Retrieved = tuple[str, np.ndarray, list[Passage], tuple[str, ...]]
Progress = Callable[[int, int], None]  # (articles read, chunks written) so far
AsOf = date | str | None


class NewsDesk:
    """Question answering over an index of news articles.

    Open it with `NewsDesk.open(Settings.from_env(index_dir=...))`. It is safe to
    share between threads: questions run concurrently, ingests one at a time.
    """

    def __init__(
        self, settings: Settings, index: NewsIndex, *, owns_embedder: bool = False
    ) -> None:
        self._settings = settings
        self._index = index
        # the first ingest may set up OpenVINO for an embedder the desk made itself; one
        # it was given (a test's, a benchmark's) is shared and stays as it is
        self._may_accelerate = owns_embedder and settings.ingest_runtime == "openvino"
        # questions may embed through the export (no torch); ingest and the sentence
        # vectors an old index lacks stay on index.embedder
        self._query_embedder = make_query_embedder(
            index.embedder,
            runtime=settings.query_runtime,
            cache_dir=settings.cache_dir,
            threads=settings.query_threads,
        )
        self._retriever = HybridRetriever(
            index,
            RetrievalPolicy(
                k=settings.top_k,
                per_article_cap=settings.per_article_cap,
                cap_by=settings.cap_by,
                dense_only=settings.retrieval == "dense",
            ),
        )
        ranker = bundled_ranker() if settings.sentence_ranker == "learned" else None
        # every sentence's speaker is found at ingest and stored; an answer reads them
        self._labeller = SpeakerLabeller()
        scorer = EvidenceScorer(
            index.embedder,
            stored=index.sentence_vectors,
            stored_speakers=lambda ids: index.sentence_labels(ids, self._labeller.name),
            ranker=ranker,
        )
        self._extractive_answerer = ExtractiveAnswerer(scorer, settings)
        self._feedback_lock = threading.Lock()
        self._generative: Any = None  # a GenerativeAnswerer, built on first use
        self._generative_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        *,
        create: bool = False,
        embedder: Embedder | None = None,
    ) -> NewsDesk:
        """Open the index in `settings.index_dir` (create it if `create`).

        Args:
            settings: what to open and how to answer; `Settings.from_env()` if None.
            create: create the index directory when it does not exist.
            embedder: embed with this object instead of `settings.embedding_model`
                (tests pass `index.FakeEmbedder()`; its `name` is what the index records).
        """
        settings = settings or Settings.from_env()
        if embedder is not None and settings.cluster:
            raise SettingsError("give an embedder or a cluster to embed on, not both")
        if settings.cluster:
            embedder = ClusterEmbedder(
                settings.cluster,
                settings.embedding_model,
                threads=settings.query_threads,
                precision=settings.embedding_precision,
            )
        owns_embedder = embedder is None
        if embedder is None:
            embedder = make_embedder(
                settings.embedding_model,
                threads=settings.query_threads,
                precision=settings.embedding_precision,
            )
        index = NewsIndex.open(
            settings.index_dir,
            embedder,
            create=create,
            chroma_url=settings.chroma_url,
            sentence_vectors=settings.sentence_vectors,
        )
        return cls(settings, index, owns_embedder=owns_embedder)

    @property
    def abstain_threshold(self) -> float:
        """The evidence score under which an extractive answer abstains."""
        return self._extractive_answerer.threshold

    @property
    def query_runtime(self) -> str:
        """What embeds questions: "openvino" or "onnx" (the export, no torch) or "torch";
        decided on first use."""
        embedder = self._query_embedder
        return embedder.runtime if isinstance(embedder, QueryEmbedder) else "torch"

    @property
    def settings(self) -> Settings:
        """The settings this service was opened with."""
        return self._settings

    def warm_up(self) -> None:
        """Load the model and the lexical index now, not on the first question."""
        self._query_embedder.embed(["warm up"])
        self._index.lexical()

    # -- questions -------------------------------------------------------------

    def ask(
        self,
        question: str,
        history: History = (),
        as_of: AsOf = None,
        *,
        sources: Sequence[str] = (),
        article_ids: Sequence[str] = (),
        mode: str | None = None,
    ) -> Answer:
        """Answer `question` from the indexed articles, citing every sentence.

        Args:
            question: the user's question (English, at most 1,000 characters).
            history: earlier turns, oldest first, used to resolve follow-ups.
            as_of: ignore articles published after this date; prefer those near it. A
                question set "this week" (on Monday, last month, recently) is then
                answered only from articles of that window (qa/questions/timeframe.py).
            sources: only use articles from these sources.
            article_ids: only use these articles.
            mode: "extractive" or "generative"; defaults to the settings.

        Raises:
            QuestionError: the question is empty, too long or not in English.
            EmptyIndexError: nothing is indexed yet (the message gives the ingest command).
        """
        final: Answer | None = None
        for event in self.ask_stream(
            question, history, as_of, sources=sources, article_ids=article_ids, mode=mode
        ):
            if isinstance(event, Answer):
                final = event
        assert final is not None
        return final

    def ask_stream(
        self,
        question: str,
        history: History = (),
        as_of: AsOf = None,
        *,
        sources: Sequence[str] = (),
        article_ids: Sequence[str] = (),
        mode: str | None = None,
    ) -> Iterator[TextDelta | Answer]:
        """Like `ask`, yielding `TextDelta`s as the answer is produced, then the `Answer`."""
        started = time.perf_counter()
        clean = clean_question(question)
        turns = _turns(history)
        day = _as_date(as_of)
        mode = mode or self._settings.mode
        if mode not in ANSWER_MODES:
            raise QuestionError(f"mode must be 'extractive' or 'generative', got {mode!r}")
        if not self._index.served_versions():  # cached per generation: no count per question
            raise EmptyIndexError(
                f"the index at {self._settings.index_dir} has no articles: run "
                f"'newsdesk ingest seeds/ --index {self._settings.index_dir}'"
            )
        request = AskRequest(
            question=clean.text,
            turns=tuple(turns),
            as_of=day,
            filters=Filters(article_ids=tuple(article_ids), sources=tuple(sources)),
            notices=clean.notices,
            started=started,
        )
        if mode == "generative":
            yield from self._generative_stream(request)
            return
        parts = split_questions(request.question)
        if len(parts) == 1 and (apart := speakers_apart(request.question)) is not None:
            parts = self._speakers_apart(request, apart)
        answer = self._extractive(request) if len(parts) == 1 else self._compound(request, parts)
        for sentence in [answer.text] if answer.abstained else _sentences(answer):
            yield TextDelta(sentence)
        yield answer

    def retrieve(
        self,
        question: str,
        *,
        k: int | None = None,
        as_of: AsOf = None,
        sources: Sequence[str] = (),
        article_ids: Sequence[str] = (),
    ) -> list[Passage]:
        """The passages retrieval finds for `question`, best first (no answer)."""
        clean = clean_question(question)
        filters = Filters(article_ids=tuple(article_ids), sources=tuple(sources))
        return self._retrieved(direct_question(clean.text), filters, _as_date(as_of), k=k)[2]

    def _embed_question(self, question: str) -> np.ndarray:
        return self._query_embedder.embed([question])[0]

    def _extractive(self, request: AskRequest) -> Answer:
        asked = self._summary_asked(request)
        question, turns = request.question, request.turns
        timings: dict[str, float] = {}
        resolved = _standalone(question, turns)
        searched = resolved.searched()
        retrieved = None
        if asked is not None and asked.event and searched == question:
            # "What happened to X?" is searched once: for the story that leads on X, else
            # for the question it is then answered as
            retrieved = self._retrieved(question, request.filters, request.as_of, timings=timings)
        if asked is not None:
            summary = self._summary(request, asked, retrieved, timings)
            if summary is not None:
                return summary
        standalone, vector, passages, readings = retrieved or self._retrieved(
            searched, request.filters, request.as_of, timings=timings
        )
        if resolved.story is None:
            resolved = replace(resolved, question=standalone)
        else:
            # the passages of its story, and those of the question as asked (a detail
            # may be further into the story than its words reach), scored for the
            # question as asked
            _, vector, found, _ = self._retrieved(
                resolved.question, request.filters, request.as_of, timings=timings
            )
            passages = _merged(found, passages)
        notices = request.notices + readings
        answer = self._answer_from(
            question, resolved, turns, passages, vector, notices, request.as_of
        )
        said = _unheard(resolved.question, answer) if answer.abstained else None
        if said is not None and no_words_notice(said.speaker) in answer.notices:
            # retrieval for the whole question found the speaker's name, not their words:
            # in a large index those are in articles the question's other words do not
            # bring up ("What did the Federal Reserve say about inflation?" brings up
            # inflation stories); searched for with a speech verb, they are answered from,
            # or the abstention stands
            heard = self._retrieved(
                resolved.searched(f"{said.speaker} said"),
                request.filters,
                request.as_of,
                timings=timings,
            )[2]
            again = self._answer_from(
                question, resolved, turns, _merged(heard, passages), vector, notices, request.as_of
            )
            answer = answer if again.abstained else again

        def read_too(more: Sequence[Passage]) -> Answer:
            """The answer from `passages` and `more`, where it answers; else `answer`."""
            whole = _merged(passages, more)
            if len(whole) == len(passages):
                return answer
            again = self._answer_from(
                question, resolved, turns, whole, vector, notices, request.as_of
            )
            return answer if again.abstained else again

        if said is not None and answer.abstained:
            # the speaker's words on the topic may lie in a part of a retrieved story that
            # the cap on passages per story left out ("What did Biden say about
            # Armageddon?" retrieves 3 of an analysis's 15 chunks, none with his quote):
            # the stories that name the speaker are read whole
            naming = _articles_naming_speaker(said.speaker, passages)[:WHOLE_STORIES]
            answer = read_too(self._retriever.whole_articles(naming))
        dead = death_asked(resolved.question)
        lead_told = asks_winner(resolved.question) or asks_clock(resolved.question)
        if answer.abstained and (dead is not None or lead_told):
            # who won, how someone died, when an event starts: told in a story's lead,
            # which the cap on passages per story may have left out, so the leads of the
            # best stories are read
            best = list(dict.fromkeys(p.article_id for p in passages))[:WHOLE_STORIES]
            answer = read_too(self._retriever.whole_articles(best, per_article=1))
        if answer.abstained and dead:
            # nor there: the person's own obituary, among the stories retrieved, is read
            # whole for how they died (qa/extractive/deaths.py)
            stories = self._articles(dict.fromkeys(p.article_id for p in passages))
            told = obituary_answer(question, dead, list(stories.values()), notices)
            if told is not None:
                answer = replace(told, standalone_question=resolved.question)
        if resolved.story is not None:  # read with its story, as it was searched for
            answer = replace(answer, standalone_question=resolved.reading(standalone))
        answer = self._with_copies(answer, request)
        timings.update(answer.timings_ms)
        timings["total_ms"] = elapsed_ms(request.started)
        return replace(answer, timings_ms=timings)

    @staticmethod
    def _summary_asked(request: AskRequest) -> SummaryRequest | None:
        """The summary `request` asks for, or asks to go on with ("Tell me more")."""
        return summary_request(request.question) or continued_summary(
            request.question, request.turns
        )

    def _summary(
        self,
        request: AskRequest,
        asked: SummaryRequest,
        retrieved: Retrieved | None = None,
        timings: dict[str, float] | None = None,
    ) -> Answer | None:
        """A summary (qa/extractive/summary.py) of the stories on the topic asked about,
        or whom they quote; with no topic named, of the story the conversation is on, else
        of the one article in view, else of the newest ones, saying so. None for an
        event's ("What happened to X?") that no retrieved story leads on: X is a detail
        of other stories, and the question is answered as one. An event's question may
        come `retrieved` already (`_retrieved` of it), with the `timings` that took."""
        timings = {} if timings is None else timings
        notices, one_story, topic = request.notices, asked.one_story, asked.topic or ""
        # the stories are found as they were when the summary was asked, before any "more"
        turns = request.turns[: len(request.turns) - asked.skip]
        # and published inside the time it set ("this week's news"), counted from as_of
        scope = Scope(asked.frame, request.as_of, [])
        if asked.topic is not None:  # as retrieved: respelled where a name was misspelt
            topic, _, passages, readings = retrieved or self._retrieved(
                request.question if asked.event else asked.topic,
                request.filters,
                request.as_of,
                timings=timings,
            )
            found = list(self._articles(dict.fromkeys(p.article_id for p in passages)).values())
            if asked.event:
                # "what happened to the pound?": the stories that lead on it, in the order
                # the whole question found them, or none, and it is answered as a question
                topic = asked.topic
                lead = next((a for a in found if leads_on(topic, a)), None)
                if lead is None:
                    return None
                about = [lead]  # one story is quoted: the first that leads on it
            else:  # the stories whose headline names the topic first, in the order retrieved
                about = [a for a in found if about_topic(topic, a)]
            stories = sorted(
                (a for a in about if scope.admits(a.date)), key=lambda a: not titled(topic, a)
            )
            notices += readings
            if (note := scope.notice(passages)) is not None:
                notices += (note,)
            if not stories:
                if not about:  # else the frame's notice says why none is summarised
                    notices += (f"No retrieved article is about “{topic}”.",)
                return summary_answer(
                    request.question, [], one_story, notices, nearest=found[:STORIES]
                )
        elif turns and turns[-1].answer != ABSTAIN_TEXT:
            # "what is this article about?" after an answer: the story that answer quoted
            last = turns[-1]
            discussed = _MARKER.sub("", f"{last.question} {last.answer}")[:2000]
            _, _, passages, _ = self._retrieved(
                discussed, request.filters, request.as_of, timings=timings
            )
            stories = list(self._articles([p.article_id for p in passages[:1]]).values())
        else:
            filters = request.filters.up_to(request.as_of)
            in_view = [
                s
                for s in self._index.summaries()
                if filters.admits(s.id, s.source, s.date) and scope.admits(s.date)
            ]
            if asked.frame is not None and (note := scope.notice(())) is not None:
                notices += (note,)  # asked without a day: the frame cannot be kept
            elif asked.frame is not None and not in_view:
                notices += (
                    f"No indexed article was published between {scope.since} and {request.as_of}.",
                )
            if one_story and len(in_view) > 1:
                # "this article", none named or discussed: the one just added, as a reader
                # who drops an article in and asks about it means
                stories = list(self._articles([in_view[-1].id]).values())
                title = in_view[-1].title or in_view[-1].id
                notices += (
                    f"“{title}” is the article added last, so it is the one summarised. "
                    "Name a topic for another.",
                )
            else:
                newest = sorted(reversed(in_view), key=lambda s: s.date or "", reverse=True)
                groups = {s.group or s.id: s.id for s in reversed(newest)}  # one of a story
                picked = [s.id for s in newest if s.id in groups.values()][: STORIES * 3]
                stories = list(self._articles(picked).values())
            if len(in_view) > 1 and not one_story:
                notices += (
                    f"No article or topic was named, so these are the newest of the "
                    f"{len(in_view)} articles. Name a topic to summarise its stories.",
                )
        if asked.latest:  # the newest first, of those whose headline names the topic
            stories.sort(key=lambda a: a.date or "", reverse=True)
            stories.sort(key=lambda a: bool(topic) and not titled(topic, a))
        answer = summary_answer(
            request.question,
            stories,
            one_story,
            notices,
            topic=topic,
            limit=self._settings.max_answer_sentences,
            speakers=self._extractive_answerer.scorer.speakers if asked.quoted else None,
            quotes_on_topic=asked.quoted_on_topic,
            skip=asked.skip,
        )
        answer = self._with_copies(answer, request)
        return replace(answer, timings_ms={**timings, "total_ms": elapsed_ms(request.started)})

    def _retrieved(
        self,
        question: str,
        filters: Filters,
        as_of: date | None,
        *,
        k: int | None = None,
        timings: dict[str, float] | None = None,
    ) -> Retrieved:
        """The question as retrieved (standalone), its vector, its passages, and the
        notice of its respelling, if any: a name no indexed article holds, a letter or
        two away from a name in the passages ("Kritenbrinck"), is read as that name, and
        the question retrieved again so spelt (qa/questions/spelling.py)."""
        timings = {} if timings is None else timings

        def search(text: str) -> tuple[np.ndarray, list[Passage]]:
            tick = time.perf_counter()
            vector = self._embed_question(text)
            timings["embed_ms"] = timings.get("embed_ms", 0.0) + elapsed_ms(tick)
            tick = time.perf_counter()
            found = self._retriever.retrieve(
                text, k=k, filters=filters, as_of=as_of, query_vector=vector
            )
            timings["retrieve_ms"] = timings.get("retrieve_ms", 0.0) + elapsed_ms(tick)
            return vector, found

        vector, passages = search(question)
        readings = self._retriever.respellings(question, passages)
        if not readings and (hints := self._retriever.spelling_hints(question)):
            # the passages do not name it: searched for the index's nearest term, the
            # name is read from what that search finds ("Lousiville": "louisvill")
            hinted = search(respelled(question, hints))[1]
            readings = self._retriever.respellings(question, hinted, hints)
        if not readings:
            return question, vector, passages, ()
        question = respelled(question, readings)
        vector, passages = search(question)
        return question, vector, passages, (respelling_notice(readings),)

    def _compound(self, request: AskRequest, parts: Sequence[str]) -> Answer:
        """Each of a message's questions answered on its own (qa/compound.py), a later
        one with the earlier ones as its history, and the answers joined."""
        answers: list[Answer] = []
        turns = list(request.turns)
        for part in parts:
            answer = self._extractive(replace(request, question=part, turns=tuple(turns)))
            answers.append(answer)
            turns.append(Turn(part, answer.text))
        joined = joined_answer(request.question, parts, answers)
        timings = {**joined.timings_ms, "total_ms": elapsed_ms(request.started)}
        return replace(joined, timings_ms=timings)

    def _speakers_apart(self, request: AskRequest, apart: SpeakersApart) -> list[str]:
        """The questions `apart` asks, one per speaker; or the question as asked when the
        articles retrieved for it name the speakers together as one ("Procter and
        Gamble", "Pfizer and BioNTech"): those speak, and act, as one."""
        _, _, passages, _ = self._retrieved(request.question, request.filters, request.as_of)
        joined = _one_speaker(apart.joined)
        if any(joined in _one_speaker(f"{p.article.title} {p.text}") for p in passages):
            return [request.question]
        return apart.questions

    def standalone_question(self, question: str, history: History = ()) -> str:
        """`question` rewritten to stand alone, resolving a follow-up against `history`:
        the reading an answer shows as its `standalone_question`."""
        return _standalone(clean_question(question).text, _turns(history)).reading()

    def searches(self, question: str, history: History = ()) -> tuple[str, ...]:
        """What `ask` searches for to answer `question` after `history`, in the order
        their passages count: the question made standalone, then, where it leaves its
        story or its person to the conversation, the question with them."""
        resolved = _standalone(clean_question(question).text, _turns(history))
        if resolved.story is None:
            return (resolved.question,)
        return resolved.question, resolved.searched()

    def answer_from_passages(
        self,
        question: str,
        passages: Sequence[Passage],
        history: History = (),
        as_of: AsOf = None,
    ) -> Answer:
        """The extractive answer to `question` from these passages, without retrieving,
        asked as of `as_of` (which places "this week").

        This is the second half of the LangChain chain (`retriever | answerer`).
        """
        clean = clean_question(question)
        turns = _turns(history)
        resolved = _standalone(clean.text, turns)
        notices = clean.notices
        readings = self._retriever.respellings(resolved.question, passages)
        if readings:  # as `ask` reads it, from the passages given
            resolved = replace(resolved, question=respelled(resolved.question, readings))
            notices += (respelling_notice(readings),)
        vector = self._embed_question(resolved.question)
        day = _as_date(as_of)
        answer = self._answer_from(clean.text, resolved, turns, passages, vector, notices, day)
        if resolved.story is not None:  # read with its story, as `ask` shows it
            answer = replace(answer, standalone_question=resolved.reading())
        return self._with_copies(answer, AskRequest(clean.text, as_of=day))

    def _answer_from(
        self,
        question: str,
        resolved: Resolved,
        turns: Sequence[Turn],
        passages: Sequence[Passage],
        vector: np.ndarray,
        notices: tuple[str, ...],
        as_of: date | None = None,
    ) -> Answer:
        articles = self._articles({p.article_id for p in passages})
        return self._extractive_answerer.answer(
            question, resolved, turns, passages, vector, articles, notices, as_of
        )

    def _generative_stream(self, request: AskRequest) -> Iterator[TextDelta | Answer]:
        asked = self._summary_asked(request)
        if asked is not None and (answer := self._summary(request, asked)) is not None:
            # a summary quotes the stories' leads, every sentence its own citation: a
            # model's retelling of them could only lose that, and the bundled one's would
            yield TextDelta(answer.text)
            yield replace(answer, notices=(*answer.notices, "The language model was not asked."))
            return
        question, turns, notices = request.question, request.turns, request.notices
        from qa.generative.answerer import GenerativeAnswerer
        from qa.generative.models import make_chat_model

        with self._generative_lock:
            if self._generative is None:
                self._generative = GenerativeAnswerer(
                    make_chat_model(self._settings), timeout_s=self._settings.llm_timeout_s
                )
        answerer: GenerativeAnswerer = self._generative
        if turns and not self._settings.llm.startswith("local"):
            condensed = answerer.condense(question, turns)
            resolved = Resolved(condensed, condensed != question, False)
        else:
            # the bundled 135M model rewrites follow-ups worse than the rule-based
            # resolver does, and a second call costs seconds on two cores
            resolved = _standalone(question, turns)
        standalone, vector, passages, readings = self._retrieved(
            resolved.searched(), request.filters, request.as_of
        )
        # the model reads a question that leaves its story out with the story's question,
        # and one whose pronoun stands for a person with the person named
        standalone = resolved.reading(standalone)
        resolved = replace(resolved, question=standalone, story=None)
        notices += readings

        def fallback() -> Answer:
            return self._extractive(request)

        # the model is shown only what the extractive answer could quote: reporting inside
        # the question's time frame ("this week"), and only when it gives the question's names
        articles = self._articles({p.article_id for p in passages})
        scope = question_scope(standalone, articles, request.as_of)
        current = [p for p in passages if scope.admits(p.date)]
        # and, for "Who is Rosamund Lewis?", only the articles that name her in full
        named = articles_naming(standalone, parse_said_question(standalone), articles)
        if named is not None and current:
            current = [p for p in current if p.article_id in named[1]]
        ruled_out = bool(passages) and not current
        note = scope.notice(passages)
        if note is not None and current and not scope.missing:
            notices += (note,)  # the model answers from the frame's articles only
        if ruled_out or scope.missing:
            # the extractive answer from these passages abstains and says which name, or
            # that nothing is of the question's time; no model call to wait for
            answer = self._answer_from(
                question, resolved, turns, passages, vector, notices, request.as_of
            )
            answer = self._with_copies(answer, request)
            yield TextDelta(answer.text)
            yield replace(
                answer,
                notices=(*answer.notices, "The language model was not asked."),
                timings_ms={**answer.timings_ms, "total_ms": elapsed_ms(request.started)},
            )
            return
        for event in answerer.stream(standalone, current, turns, fallback):
            if isinstance(event, Answer):
                timings = dict(event.timings_ms)
                timings["total_ms"] = elapsed_ms(request.started)
                event = replace(
                    self._with_copies(event, request),
                    question=question,
                    standalone_question=standalone,
                    notices=tuple(dict.fromkeys(notices + tuple(event.notices))),
                    timings_ms=timings,
                )
            yield event

    # -- the corpus ------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        progress: Progress | None = None,
        *,
        replace: bool = True,
    ) -> IngestReport:
        """Read and index articles; unchanged ones are skipped, changed ones replaced.

        Args:
            paths: files and directories; a file is known by its resolved absolute path.
            progress: called with (articles read, chunks written) as the run goes.
            replace: whether an article already indexed from another file may be
                replaced by one with its id; False reports it as failed instead.
        """
        if isinstance(self._index.embedder, ClusterEmbedder):
            self._index.embedder.connect()  # an unreachable cluster fails before any write
        self._accelerate_ingest()
        report = ingest_paths(
            self._index, paths, progress, replace=replace, labeller=self._labeller
        )
        if isinstance(self._query_embedder, QueryEmbedder):
            self._query_embedder.ensure_export()  # torch is loaded now: export for questions
        return report

    def catch_up(self) -> tuple[int, int]:
        """Store what answers read and an index from an older version lacks, as the next
        ingest would: each sentence's lexical terms, and its speaker by this version's
        attribution code; returns how many articles got terms, and how many speakers.

        No model work (the speakers of 5,813 articles: 28 s). Answers are the same before
        and after: what is missing is made at question time, which made the evidence
        step 19-21 ms instead of 2 on the 100k-chunk benchmark index. An index this
        process may not write is left as it is, and a write that fails is logged."""
        return self._index.catch_up(self._labeller)

    def _accelerate_ingest(self) -> None:
        """Plain embeddings through OpenVINO from the first ingest on (`ingest_runtime`),
        the model's export written first if missing; torch where that fails (one log
        line). Tried once per desk, and only on an embedder the desk made itself."""
        embedder = self._index.embedder
        if self._may_accelerate and isinstance(embedder, SentenceTransformerEmbedder):
            self._may_accelerate = False
            embedder.accelerate(
                ingest_accelerator(
                    embedder, self._settings.cache_dir, threads=self._settings.ingest_threads
                )
            )

    def articles(self) -> list[ArticleSummary]:
        """Every indexed article, in the order they were first added."""
        return self._index.summaries()

    def article(self, article_id: str) -> Article:
        """One indexed article with its full text."""
        article = self._index.article(article_id)
        if article is None:
            raise QuestionError(f"no article with id {article_id!r}: see 'newsdesk list'")
        return article

    def delete(self, article_ids: Iterable[str]) -> list[str]:
        """Remove articles; returns the ids that were there."""
        return self._index.delete(article_ids)

    def sources(self) -> list[str]:
        """The distinct sources of the indexed articles."""
        return self._index.sources()

    def last_changed(self) -> datetime | None:
        """When an ingest or delete, by this process or another, last changed the
        articles (a UTC datetime); None when none is recorded."""
        return self._index.changed_at

    def record_feedback(
        self,
        answer: Answer,
        verdict: str,
        comment: str = "",
        history: History = (),
    ) -> None:
        """Append a vote ("up" or "down") on `answer` to `<index_dir>/feedback.jsonl`.

        Each line holds question, history, answer, citations, verdict and comment;
        `newsdesk eval` reads that file as test cases.
        """
        if verdict not in ("up", "down"):
            raise QuestionError(f"verdict must be 'up' or 'down', got {verdict!r}")
        if len(comment) > MAX_COMMENT_CHARS:
            raise QuestionError(
                f"the comment is {len(comment):,} characters; the limit is "
                f"{MAX_COMMENT_CHARS:,}: shorten it and vote again"
            )
        record = {
            "question": answer.question,
            "history": [[t.question, t.answer] for t in _turns(history)],
            "answer": answer.text,
            "abstained": answer.abstained,
            "citations": [c.to_dict() for c in answer.citations],
            "verdict": verdict,
            "comment": comment,
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._feedback_lock:
            try:
                size = self.feedback_path.stat().st_size
            except FileNotFoundError:
                size = 0
            if size + len(line.encode("utf-8")) > MAX_FEEDBACK_BYTES:
                raise QuestionError(
                    f"feedback.jsonl in the index directory has reached its "
                    f"{MAX_FEEDBACK_BYTES // 2**20} MB limit, so this vote was not recorded: "
                    "move the file aside (newsdesk eval reads it) to record more"
                )
            with open(self.feedback_path, "a", encoding="utf-8") as f:
                f.write(line)  # one write of one line: a reader never sees half a vote

    @property
    def feedback_path(self) -> Path:
        """Where `record_feedback` appends votes."""
        return self._settings.index_dir / "feedback.jsonl"

    def close(self) -> None:
        """Release the index handles, and the cluster ingest embedded on."""
        self._index.close()
        if isinstance(self._index.embedder, ClusterEmbedder):
            self._index.embedder.close()

    def _with_copies(self, answer: Answer, request: AskRequest) -> Answer:
        """`answer` with each citation's `also_in`: the cited sentence in the other
        copies of its article's group that the question's filters and `as_of` admit."""
        cited = {c.article_id for c in answer.citations}
        copies = {
            i: list(self._articles(ids).values())
            for i in cited
            if (ids := self._index.copies(i))  # most cited articles have none: nothing read
        }
        return with_copies(answer, copies, request.filters.up_to(request.as_of))

    def _articles(self, ids: Iterable[str]) -> dict[str, Article]:
        wanted = list(ids)
        found = self._index.articles(wanted)
        return {i: found[i] for i in wanted if i in found}  # in the order asked


_MARKER = re.compile(r"\s*\[\d+\]")


def _standalone(question: str, turns: Sequence[Turn]) -> Resolved:
    """`question` as the rules read it: a request's question taken out of its frame
    ("Can you tell me what he said?": "What did he say?", qa/questions/requests.py),
    then a follow-up resolved against `turns`."""
    return resolve_followup(direct_question(question), turns)


def _turns(history: History) -> list[Turn]:
    if isinstance(history, str | bytes | Mapping) or not isinstance(history, Iterable):
        raise QuestionError("history must be a list of [question, answer] pairs")
    turns = []
    for item in history:
        if isinstance(item, Turn):
            turns.append(item)
        elif isinstance(item, list | tuple) and len(item) == 2:
            turns.append(Turn(str(item[0]), str(item[1])))
        else:
            raise QuestionError("history must be a list of [question, answer] pairs")
    return turns


def _merged(first: Sequence[Passage], then: Sequence[Passage]) -> list[Passage]:
    """The passages of two searches, `first`'s in their order, then those of `then` not
    found already."""
    known = {p.chunk_id for p in first}
    return [*first, *(p for p in then if p.chunk_id not in known)]


def _unheard(question: str, answer: Answer) -> SaidQuestion | None:
    """The question about someone's words that `answer` declined for want of any, or of
    any on its topic, where it named someone rather than "he" (for whom the
    conversation is searched)."""
    said = parse_said_question(question)
    if said is None or said.speaker.lower() in PRONOUNS:
        return None
    if no_words_notice(said.speaker) in answer.notices:
        return said
    if said.topic is not None and off_topic_notice(said.speaker, said.topic) in answer.notices:
        return said
    return None


def _articles_naming_speaker(speaker: str, passages: Sequence[Passage]) -> list[str]:
    """The articles of `passages`, best first, whose passages name `speaker`
    (`mentions_person`: by the last word of the name, whole, as "Biden" names "Joe
    Biden" and "Lee" is not in "fleet"), case and accents aside ("police", "Police")."""
    name = folded(speaker)
    out: list[str] = []
    for p in passages:
        if p.article_id not in out and mentions_person(name, folded(p.text)):
            out.append(p.article_id)
    return out


def _one_speaker(text: str) -> str:
    """`text` folded for finding speakers named together: "Procter & Gamble" as "procter
    and gamble", the spaces made one."""
    return " ".join(folded(text).replace("&", " and ").split())


def _as_date(value: AsOf) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if _ISO_DAY.fullmatch(text):
            return date.fromisoformat(text)
        if _ISO_DAY.match(text):  # a full timestamp, "2023-06-14T09:30:00Z"
            return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    # anything after the date ("2023-06-14garbage") is refused, not cut off
    raise QuestionError(f"as_of must be a date like 2023-06-14, got {value!r}")


def _sentences(answer: Answer) -> list[str]:
    """The answer's sentences with their markers, as they are streamed."""
    parts = [piece for piece, _ in answer.cited_sentences()]
    rest = answer.text[len("".join(parts)) :]
    if rest.strip():
        parts.append(rest)
    return parts
