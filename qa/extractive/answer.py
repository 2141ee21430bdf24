"""The extractive answer: score the retrieved sentences, decide whether they answer, quote them."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from functools import partial
from typing import NamedTuple

import numpy as np

from index import Article, lexical_terms
from qa.extractive.answer_types import (
    answer_checks,
    counted_terms,
    counts_asked,
    kind_missing,
    name_missing,
    person_missing,
    place_missing,
)
from qa.extractive.answerability import bundled_model, signals
from qa.extractive.compose import Composition, as_quoted, compose
from qa.extractive.deaths import death_asked, tells_death_of
from qa.extractive.evidence import Evidence, EvidenceScorer, asks_why, opens_on_a_reason
from qa.questions.followup import Resolved
from qa.questions.names import (
    mentions_person,
    names_none,
    naming_in_full,
    person_asked,
    question_names,
    unmatched_names,
)
from qa.questions.timeframe import (
    TimeFrame,
    only_older_dates,
    published_since,
    time_frame,
)
from qa.records import Answer, Citation, Passage, Turn
from qa.settings import Settings
from qa.speech.question import CIRCUMSTANCE, PRONOUNS, SaidQuestion, parse_said_question

_NAMED_SPEAKER = re.compile(r" \[[^\]\d][^\]]*\]")
# the hand-weighted score's abstention threshold: the best balanced accuracy on
# seeds/calibration.jsonl (benchmarks/calibrate_abstention.py)
HAND_THRESHOLD = 0.44
# what the best of a speaker's sentences must score to answer "What did X say about Y?"
# where it holds a word of Y beyond its names (`said_on_topic`): X's own words, on Y. Under
# HAND_THRESHOLD it only decides whether to answer; further sentences still need that.
# Set on seeds/calibration.jsonl and two fresh trials (README, "A speaker's words on the
# topic"): the right answers declined at 0.44 scored 0.33-0.38 there
SAID_ON_TOPIC_THRESHOLD = 0.3
# an answer's further sentences need this share of the best one's score: 0.6 of a hand
# score (seed quote coverage 0.77 -> 0.80 against 0.75); 0.3 of a ranker probability,
# which falls faster (RealTimeQA cross-validated containment 0.770 with 0.6, 0.803 with
# 0.3, 0.795 with 0.25 or 0; seed set the same with either)
HAND_KEEP_RATIO = 0.6
RANKED_KEEP_RATIO = 0.3


class ExtractiveAnswerer:
    """Answers by quoting up to a few retrieved sentences verbatim, each cited, or abstains."""

    def __init__(self, scorer: EvidenceScorer, settings: Settings) -> None:
        self.scorer = scorer
        self._settings = settings

    @property
    def threshold(self) -> float:
        """The evidence score under which an answer abstains (for questions the sentence
        ranker scores, when it is on)."""
        return self.threshold_for(None)

    def threshold_for(self, said: SaidQuestion | None, followup: bool = False) -> float:
        """The setting, else the fitted threshold of the ranker that scores this
        question, else the hand score's calibrated one."""
        if self._settings.abstain_threshold is not None:
            return self._settings.abstain_threshold
        ranker = self.scorer.ranker_for(said, followup)
        return ranker.threshold if ranker is not None else HAND_THRESHOLD

    def answer(
        self,
        question: str,
        resolved: Resolved,
        turns: Sequence[Turn],
        passages: Sequence[Passage],
        vector: np.ndarray,
        articles: Mapping[str, Article],
        notices: tuple[str, ...],
        as_of: date | None = None,
    ) -> Answer:
        """The answer to `resolved.question` from `passages` (whose `articles` are given),
        `vector` being the question's embedding; `question` is what the user asked, as of
        the day `as_of` (None: no day to place "this week" in)."""
        tick = time.perf_counter()
        said = parse_said_question(resolved.question)
        exclude: frozenset[tuple[str, int]] = frozenset()
        if resolved.wants_more and turns:
            exclude = _already_said(turns[-1].answer, passages)
        scope = question_scope(resolved.question, articles, as_of)
        evidence: list[Evidence] = []
        if scope.missing:
            names = ", ".join(f"“{name}”" for name in scope.missing)
            where = (
                "retrieved article"
                if scope.since is None
                else f"article published since {scope.since}"
            )
            notices += (f"No {where} mentions {names}.",)
        else:
            score = partial(
                self.scorer.score,
                resolved.question,
                vector,
                passages,
                articles,
                exclude=exclude,
                followup=resolved.is_followup,
            )
            evidence = score(said=said)
            if said is not None and not evidence and asks_why(resolved.question):
                # "Why did experts urge caution?" where no words of theirs are found: the
                # reason may be the reporting's own, so the question is asked as it reads
                said = None
                evidence = score(said=None)
        considered = evidence
        if said is not None and not evidence and not scope.missing and not exclude:
            if said.speaker.lower() in PRONOUNS:  # no one to stand for: no history names one
                notices += (
                    f"“{said.speaker}” stands for no one named in the question or before it: "
                    "ask with the person's name.",
                )
            else:
                notices += (no_words_notice(said.speaker),)
        evidence = [e for e in evidence if scope.admits(e.passage.date)]
        evidence = scope.own_news_first(evidence)
        if resolved.story is not None:
            evidence = _on_story(evidence, resolved.story, articles)
        named = articles_naming(resolved.question, said, articles) if evidence else None
        if named is not None:
            person, ids = named
            evidence = [e for e in evidence if e.article_id in ids]
            if said is None:  # "Who is X?" is answered by a sentence that names X
                evidence = [e for e in evidence if mentions_person(person, e.text)]
            if not ids:
                notices += (f"No retrieved article names “{person}” in full.",)
            elif not evidence and said is not None:
                notices += (no_words_notice(person),)
        for tells, notice in answer_checks(resolved.question):
            # "Who is the president of X?" is answered by sentences that name a
            # president, "What time ...?" by a time of day, not the day, "Who won ...?" by
            # a win had, not a preview or a past champion (README, "Who won", "What time")
            if evidence:
                evidence = [e for e in evidence if tells(e.text, e.passage.date)]
                if not evidence:
                    notices += (notice,)
        note = scope.notice(passages)
        if note is not None and not scope.missing:
            notices += (note,)
        values = signals(resolved.question, evidence, said)
        confidence = bundled_model().probability(values) if evidence else None
        topic = said_about(resolved.question, said)
        off_topic = (
            self._settings.answerability != "off"
            and bool(evidence)
            and topic is not None
            and not _names_topic(set(lexical_terms(topic)), evidence[:3])
        )
        if off_topic:
            assert said is not None and said.topic is not None
            notices += (off_topic_notice(said.speaker, said.topic),)
        followup = resolved.is_followup
        threshold = self.threshold_for(said, followup)
        ranked = self.scorer.ranker_for(said, followup) is not None
        answerable = {
            "learned": confidence is not None and confidence >= bundled_model().threshold,
            # ranked: the best sentence's probability must reach the ranker's threshold,
            # and the best hand score its own (seeds/calibration.jsonl): the ranker picks
            # the answering sentence, both must find evidence to answer at all
            "score": _both_clear(evidence, threshold) if ranked else None,
            "off": True,
        }[self._settings.answerability]
        if off_topic:
            answerable = False
        elif (
            answerable is None
            and self._settings.answerability == "score"
            and self._settings.abstain_threshold is None
        ):
            answerable = said_on_topic(resolved.question, said, evidence)
        composed = partial(
            compose,
            evidence,
            passages,
            threshold=threshold,
            max_sentences=self._settings.max_answer_sentences,
            keep_ratio=RANKED_KEEP_RATIO if ranked else HAND_KEEP_RATIO,
            considered=considered,
            first=opening_wanted(resolved.question),
        )
        composition = composed(answerable=answerable)
        missing = None
        away: list[str] = []
        if not composition.abstained and self._settings.answerability != "off":
            missing = kind_missing(resolved.question, of_first_story(composition.citations))
            if missing is None:
                away = off_story(resolved.question, composition.citations, articles)
            # each check reads the stories' sentences only for its own kind of question
            told = partial(of_stories_naming, resolved.question, composition, articles)
            if missing is None and not away:
                if place_missing(resolved.question, told()):
                    missing = "place"
                elif person_missing(resolved.question, told()) or name_missing(
                    resolved.question, told()
                ):
                    missing = "name"
        if away:
            # "How much revenue did Shopify report?" answered from Rivian's story, which the
            # retrieval found closest: the question's story is not indexed, or said nothing
            names = " or ".join(away)
            notices += (f"The closest sentences are from a story that does not name {names}.",)
            composition = composed(answerable=False)
        elif missing is not None:
            # "How many episodes ...?" answered by the day the series came out: the
            # sentences tell of the topic, not what is asked (README, "The kind asked for");
            # nor is "How old is the suspect?" answered by another story's "49-year-old",
            # nor "Where ...?" by sentences that name no place the question does not, nor
            # "Who ...?" by sentences that name no one it does not, nor "What is the name
            # of the hiker ...?" by sentences that name no one beside the hiker
            notices += (f"No sentence close enough to quote gives the {missing} asked for.",)
            composition = composed(answerable=False)
        dead = death_asked(resolved.question)
        if (
            dead is not None
            and not composition.abstained
            and self._settings.answerability != "off"
            and not any(tells_death_of(dead, c.quote) for c in composition.citations)
        ):
            # "How did X die?" answered by the report of the death alone, or by another's
            # obituary: the sentences tell of the death, not how it came about
            notices += ("No sentence close enough to quote tells how the death came about.",)
            composition = composed(answerable=False)
        return Answer(
            question=question,
            text=composition.text,
            citations=composition.citations,
            abstained=composition.abstained,
            related=composition.related,
            standalone_question=resolved.question,
            notices=notices,
            mode="extractive",
            timings_ms={"evidence_ms": elapsed_ms(tick)},
            confidence=None if confidence is None else round(confidence, 4),
            signals={k: round(v, 4) for k, v in values.items()},
        )


# how well the conversation's story must answer, against the best of any story, to keep
# the answer to it: "How many people died?" after a question on a parade is answered
# from the parade's reporting, "What is the price of gas?" from another story
STORY_SHARE = 0.5


def _on_story(
    evidence: list[Evidence], story: str, articles: Mapping[str, Article]
) -> list[Evidence]:
    """The evidence from the articles that name what `story` (the conversation's question
    that named its story) names, found as a question's names are (`unmatched_names`),
    where one of them answers about as well as any (STORY_SHARE); else all of it: the
    question changed the subject."""
    if not evidence:
        return evidence
    told = {a.id for a in articles.values() if not unmatched_names(story, [f"{a.title}\n{a.text}"])}
    kept = [e for e in evidence if e.article_id in told]
    return kept if kept and kept[0].score >= STORY_SHARE * evidence[0].score else evidence


def no_words_notice(speaker: str) -> str:
    """What an answer says when no retrieved article reports `speaker`'s words; the
    service searches for them once more on seeing it (qa/service.py)."""
    return f"The retrieved articles report no words of {speaker}."


def off_topic_notice(speaker: str, topic: str) -> str:
    """What an answer says when the words of `speaker` it found are not on `topic`; the
    service reads the stories naming the speaker whole on seeing it (qa/service.py)."""
    return f"The words of {speaker} in the retrieved articles do not mention “{topic}”."


def articles_naming(
    question: str, said: SaidQuestion | None, articles: Mapping[str, Article]
) -> tuple[str, set[str]] | None:
    """For a question about a person named in two words or more ("Who is Rosamund
    Lewis?", "What did Jerry Lee Lewis say?"), that name and the ids of the `articles`
    that write it in full: they answer, not a story on another Lewis. None where nothing
    is ruled out: any other question, or a speaker no article names in full (words said
    by "Biden" still count where no article writes "Joe Biden")."""
    person = person_asked(question, None if said is None else said.speaker)
    if person is None:
        return None
    ids = naming_in_full(person, {k: f"{a.title}\n{a.text}" for k, a in articles.items()})
    return (person, ids) if ids or said is None else None


def said_about(question: str, said: SaidQuestion | None) -> str | None:
    """The subject of a question that asks what someone said *about* it, "What did Qin
    Gang say about semiconductors?" (None for any other question). Such a question is
    answered by words on that subject: quoting what Qin said of other things because a
    sentence beside them mentions chips answers a question nobody asked.

    >>> said_about("What did Qin say about chips?", SaidQuestion("Qin", "chips"))
    'chips'
    >>> said_about("Qin on chips", SaidQuestion("Qin", "chips", headline=True))
    'chips'
    >>> said_about("What did Qin say Blinken would do?", SaidQuestion("Qin", "Blinken would do"))
    """
    if said is None or not said.topic:
        return None
    before = r"(?:about|on)" if said.headline else "about"  # "Qin on chips"
    ends_on_topic = re.search(
        rf"\b{before}\s+{re.escape(said.topic)}(?:\s+{CIRCUMSTANCE}.*)?\W*$", question
    )
    return said.topic if ends_on_topic else None


def _both_clear(evidence: Sequence[Evidence], threshold: float) -> bool | None:
    """Whether the ranker's best sentence reaches `threshold` and the best hand score
    reaches HAND_THRESHOLD (None without evidence: compose abstains on its own)."""
    if not evidence:
        return None
    return evidence[0].score >= threshold and max(e.hand for e in evidence) >= HAND_THRESHOLD


class Scope(NamedTuple):
    """What a question asked as of a day may be answered from, of the retrieved articles:
    those published inside the time frame it sets (qa/questions/timeframe.py), which
    must give the names it asks about."""

    frame: TimeFrame | None  # the time the question places its event in; None: none
    as_of: date | None  # the day it is asked; None: no day to count the frame from
    missing: list[str]  # names it asks about that no retrieved article inside it mentions

    @property
    def since(self) -> str | None:
        """The first day (ISO) of the frame; None: nothing is ruled out."""
        if self.frame is None or self.as_of is None:
            return None
        return self.frame.earliest(self.as_of).isoformat()

    def admits(self, published: str | None) -> bool:
        """Whether an article published on `published` (ISO) may answer."""
        return published_since(published, self.since)

    def tells_older(self, sentence: str) -> bool:
        """Whether `sentence` dates its event before a frame that places the question's
        event (`only_older_dates`); never for what holds now ("right now"), which older
        news may tell of."""
        start = self._event_start()
        return start is not None and only_older_dates(sentence, start)

    def own_news_first(self, evidence: list[Evidence]) -> list[Evidence]:
        """`evidence` with the sentences that tell older news (`tells_older`) moved last,
        each part in its order: a story of this week that recalls 2020 answers "this
        week" with its own news first, whatever the recollection scores."""
        start = self._event_start()
        if start is None:
            return evidence
        own: list[Evidence] = []
        older: list[Evidence] = []
        for e in evidence:
            (older if only_older_dates(e.text, start) else own).append(e)
        return own + older

    def _event_start(self) -> date | None:
        """The first day of a frame that places an event; None without one, or for a
        frame of what holds now."""
        if self.frame is None or self.as_of is None or self.frame.current:
            return None
        return self.frame.earliest(self.as_of)

    def notice(self, passages: Sequence[Passage]) -> str | None:
        """What an answer says of the retrieved articles the frame left out: that none
        was published inside it, or how many were older; asked without a day, that
        nothing was (None: none was left out, or the question sets no frame)."""
        if self.frame is None:
            return None
        asks = f"The question asks about {self.frame.described}"
        if self.as_of is None:
            return (
                f"{asks}, but no day was given to count from, so articles of any date may "
                f"answer: give the day it is asked (as of) to keep to {self.frame.described}."
            )
        older = {p.article_id for p in passages if not self.admits(p.date)}
        if not older:
            return None
        if older == {p.article_id for p in passages}:
            return (
                f"{asks}: no retrieved article was published between {self.since} and {self.as_of}."
            )
        n = len(older)
        return (
            f"{asks}: {n} retrieved article{'s' if n > 1 else ''} published before "
            f"{self.since} {'were' if n > 1 else 'was'} left out."
        )


def question_scope(question: str, articles: Mapping[str, Article], as_of: date | None) -> Scope:
    """The scope of `question` asked as of `as_of`, over the retrieved `articles`. A
    question set "this week" is answered by reporting of that week: articles published
    before its frame neither answer it nor vouch for its names. A name no article in
    scope mentions is what is asked about: however near the best sentence would score,
    it does not answer."""
    scope = Scope(time_frame(question), as_of, [])
    current = {k: a for k, a in articles.items() if scope.admits(a.date)}
    return scope._replace(missing=missing_names(question, current))


def missing_names(question: str, articles: Mapping[str, Article]) -> list[str]:
    """Names in the question that none of these articles (title or text) mentions."""
    if not articles:
        return []
    return unmatched_names(question, (f"{a.title}\n{a.text}" for a in articles.values()))


def _already_said(previous_answer: str, passages: Sequence[Passage]) -> frozenset[tuple[str, int]]:
    """Sentences of `passages` that the previous answer quoted, as it quotes them
    (`as_quoted`), speaker names that the answer added ("he [Kurt Campbell] said")
    taken back out first."""
    previous_answer = _NAMED_SPEAKER.sub("", previous_answer)
    out = set()
    for p in passages:
        for start, end in p.sentences:
            if as_quoted(p.text[start - p.start : end - p.start]) in previous_answer:
                out.add((p.article_id, start))
    return frozenset(out)


def elapsed_ms(since: float) -> float:
    """Milliseconds since `since`, a `time.perf_counter()` reading."""
    return (time.perf_counter() - since) * 1000.0


def _names_topic(topic: set[str], evidence: Sequence[Evidence]) -> bool:
    """Whether a sentence of `evidence`, or the sentence before it that sets it up,
    holds a term of the topic asked about: "ESPN has apologized for using old stock
    footage ..." before "“We mistakenly used an old stock image and we apologize,” ...
    Ben Cafardo wrote" puts his words on the footage."""
    if any(not topic.isdisjoint(e.terms) for e in evidence):
        return True
    return any(not topic.isdisjoint(lexical_terms(_sentence_before(e))) for e in evidence)


def said_on_topic(
    question: str, said: SaidQuestion | None, evidence: Sequence[Evidence]
) -> bool | None:
    """Whether to answer a "What did X say about Y?" question whose best sentence of X's
    holds a word of Y other than a name the question gives: where it scores
    SAID_ON_TOPIC_THRESHOLD. None where the question or its best sentence is not such
    (HAND_THRESHOLD decides): "I can't punish an alligator ..." tells of "the alligator
    that ate Mike Karris' dachshund"; "Hamlin's first comments were to a nurse" does not
    tell what "caused Damar Hamlin's cardiac arrest"."""
    if said is None or not said.topic or not evidence:
        return None
    names = {t for name in question_names(question) for t in lexical_terms(name)}
    if (set(lexical_terms(said.topic)) - names).isdisjoint(evidence[0].terms):
        return None
    return evidence[0].score >= SAID_ON_TOPIC_THRESHOLD


def opening_wanted(question: str) -> Callable[[Evidence], bool] | None:
    """What the sentence an answer opens on should be, where one of those quoted is (or
    one close enough to quote): "Why ...?" opens on a reason, "How many puppies ...?" on
    a count of puppies, not the dog's age. None: the best sentence opens it."""
    if asks_why(question):
        return lambda e: opens_on_a_reason(e.text, e.speaker)
    if counted_terms(question):
        return lambda e: counts_asked(e.text, question) is True
    return None


def of_first_story(citations: Sequence[Citation]) -> list[str]:
    """The quotes of `citations` from the article the first one cites: the story an
    answer opens on gives what is asked, or the answer mixes stories."""
    first = citations[0].article.id if citations else None
    return [c.quote for c in citations if c.article.id == first]


def of_stories_naming(
    question: str, composition: Composition, articles: Mapping[str, Article]
) -> Iterator[str]:
    """The quotes of `composition` from the `articles` that name everything `question`
    names (`unmatched_names`), as the answer says them (`as_quoted`: without a dateline's
    "New York (CNN Business)"): another story's place ("a beach house in Malibu") does not
    say where the story asked about happened."""
    for c in composition.citations:
        article = articles[c.article.id]
        if not unmatched_names(question, [f"{article.title}\n{article.text}"]):
            yield as_quoted(c.quote)


# the country most news here is written in, and so often left unnamed: "How many jobs did
# U.S. employers add?" is answered by "Employers added 313,000 in February."
_HOME = frozenset(("U.S.", "US", "USA", "U.S.A.", "America", "United States"))
_POSSESSIVE = re.compile(r"['’]s?$")


def off_story(
    question: str, citations: Sequence[Citation], articles: Mapping[str, Article]
) -> list[str]:
    """The names `question` gives (but a day), where the story the answer opens on names
    none of them, and they are not the United States alone; [] where it names one. "How
    much revenue did Shopify report for the second quarter?" is not answered by Rivian's
    quarter."""
    if not citations:
        return []
    first = articles[citations[0].article.id]
    away = names_none(question, f"{first.title}\n{first.text}")
    return [] if all(_POSSESSIVE.sub("", n) in _HOME for n in away) else away


def _sentence_before(e: Evidence) -> str:
    """The sentence before `e` in its passage ("" for the passage's first)."""
    p = e.passage
    before = [(start, end) for start, end in p.sentences if end <= e.start]
    if not before:
        return ""
    start, end = before[-1]
    return p.text[start - p.start : end - p.start]
