"""Evidence: score the sentences inside retrieved passages against the question.

Each candidate sentence gets a dense similarity (question vs sentence), an
idf-weighted lexical overlap (with pseudo-relevance feedback for "what did X say
about Y" topics), a retrieval prior, and cues: who said it, and whether it holds
the kind of thing the question asks for (a date for "when", a number for "how many").
"""

from __future__ import annotations

import itertools
import math
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import Any, NamedTuple

import numpy as np

from index import Article, Embedder, lexical_terms, sentence_names, split_sentences
from index.sentence_labels import Labels
from index.sentence_vectors import SentenceVectors
from qa.extractive.answer_types import (
    answer_type_present,
    asking_clause,
    asks_count,
    counts,
    expected_kind_present,
    gives_figure_asked,
)
from qa.extractive.logistic import LogisticModel
from qa.extractive.ranker import SENTENCE_FEATURES, has_quote, length_feature, new_names
from qa.records import Passage
from qa.speech.affiliation import speaks_for
from qa.speech.attribution import attribute_speakers
from qa.speech.lexicon import INVERTING, alternation, forms
from qa.speech.naming import name_speaker
from qa.speech.question import SaidQuestion, same_speaker


@dataclass(frozen=True)
class EvidenceWeights:
    """Weights of the evidence score; fitted by benchmarks/calibrate_abstention.py."""

    dense: float = 0.55
    lexical: float = 0.35
    prior: float = 0.10
    type_mismatch: float = 0.75  # factor when a "when"/"how many" sentence has no date/number
    feedback: float = 1.0  # weight of similarity to sentences that name the topic


@dataclass(frozen=True)
class Evidence:
    """One scored sentence: `article.text[start:end] == text`."""

    article_id: str
    start: int
    end: int
    text: str
    score: float  # the ranker's probability that it answers, or the hand score
    dense: float
    lexical: float
    speaker: str | None
    passage: Passage  # the best-ranked passage that holds it
    hand: float  # the hand-weighted score (dense, lexical, rank prior, answer type)
    terms: AbstractSet[str]  # its `lexical_terms`, as scoring read them
    # the next sentence of the article, quoted with this one when the pair answers
    # better: the rest of an open quotation, or the reason that follows a claim
    companion: Evidence | None = None
    # the sentence before, quoted with this one when this one opens on a pronoun whose
    # referent it gives ("She played her entire career with the Storm")
    antecedent: Evidence | None = None
    # the sentence ranker's view of it, in SENTENCE_FEATURES order (empty without one)
    features: tuple[float, ...] = ()

    @classmethod
    def of_fields(cls, **fields: Any) -> Evidence:
        """The Evidence of these fields, every one given by name, made without the frozen
        `__init__`'s assignment field by field: a third of its time, and the scorer makes
        one for each of some 45 sentences a question. Nothing is checked or defaulted."""
        made = object.__new__(cls)
        made.__dict__.update(fields)
        return made


class SentenceIndex:
    """Per-article sentence speakers, cached by article version: those the index stored
    at ingest (`stored`, NewsIndex.sentence_labels under SpeakerLabeller's name) where
    it has them, the rest attributed here."""

    def __init__(self, stored: StoredLabels | None = None, size: int = 256) -> None:
        self._cache: OrderedDict[tuple[str, str], dict[int, str | None]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        self._stored = stored

    def prime(self, articles: Iterable[Article]) -> None:
        """Fetch the stored speakers of these articles in one read."""
        if self._stored is None:
            return
        wanted: dict[str, str] = {}
        with self._lock:
            for a in articles:
                key = (a.id, a.version)
                if key in self._cache:
                    # read by this question: kept over those it reads for the first time,
                    # or a full cache would drop it and the article be labelled live
                    self._cache.move_to_end(key)
                else:
                    wanted[a.id] = a.version
        if not wanted:
            return
        found = self._stored(wanted)
        with self._lock:
            for article_id, (version, labels) in found.items():
                if wanted[article_id] == version:
                    self._put((article_id, version), dict(labels))

    def speakers(self, article: Article) -> dict[int, str | None]:
        """sentence start offset -> speaker, in article order from its first sentence;
        a sentence not in it has none (stored labels list only those that have one)."""
        key = (article.id, article.version)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        spans = split_sentences(article.text)
        speakers = dict(
            zip((s for s, _ in spans), attribute_speakers(article.text, spans), strict=True)
        )
        with self._lock:
            self._put(key, speakers)
        return speakers

    def _put(self, key: tuple[str, str], speakers: dict[int, str | None]) -> None:
        self._cache[key] = speakers
        self._cache.move_to_end(key)
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)


class VectorCache:
    """Sentence vectors keyed by (article id, start, end), so repeat questions are cheap."""

    def __init__(self, embed: Callable[[Sequence[str]], np.ndarray], size: int = 20_000) -> None:
        self._embed = embed
        self._cache: OrderedDict[tuple[str, int, int], np.ndarray] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def vectors(self, keys: Sequence[tuple[str, int, int]], texts: Sequence[str]) -> np.ndarray:
        """The vectors of `texts` (whose keys are `keys`), in order: the cached ones, and
        the rest embedded now. Each is kept from the moment it is found, so a batch
        larger than the cache, or another question's, cannot take it away."""
        rows: dict[int, np.ndarray] = {}
        with self._lock:
            for i, key in enumerate(keys):
                hit = self._cache.get(key)
                if hit is not None:
                    self._cache.move_to_end(key)  # kept over the ones embedded now
                    rows[i] = hit
        missing = [i for i in range(len(keys)) if i not in rows]
        if missing:
            fresh = self._embed([texts[i] for i in missing])
            with self._lock:
                for i, vector in zip(missing, fresh, strict=True):
                    self._cache[keys[i]] = rows[i] = vector
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
        return np.stack([rows[i] for i in range(len(keys))]) if keys else np.zeros((0, 1))


class _Candidate(NamedTuple):  # a tuple: made for every sentence of every passage
    article_id: str
    start: int
    end: int
    text: str
    passage: Passage
    passage_rank: int  # 0-based rank of the passage it came from


SentenceVectorSource = Callable[[Iterable[str]], Mapping[str, SentenceVectors]]
# article ids -> (version, (sentence start, speaker) pairs) stored at ingest
StoredLabels = Callable[[Iterable[str]], Mapping[str, tuple[str, Labels]]]


class EvidenceScorer:
    """Scores the sentences of retrieved passages; the heart of the extractive answer."""

    def __init__(
        self,
        embedder: Embedder,
        weights: EvidenceWeights = EvidenceWeights(),
        *,
        stored: SentenceVectorSource | None = None,
        stored_speakers: StoredLabels | None = None,
        max_scored: int | None = 8,
        ranker: LogisticModel | None = None,
    ) -> None:
        self.weights = weights
        # with a ranker, every sentence of the passages competes on its probability of
        # answering (qa/extractive/ranker.py) and max_scored is not used
        self.ranker = ranker
        # sentence vectors made at ingest (NewsIndex.sentence_vectors): with them the
        # question is the only text an answer embeds
        self.stored = stored
        # how many sentences compete, after a cheap lexical and rank cut (None: all).
        # With every vector stored, scoring them all costs nothing, but it answered
        # worse: RealTimeQA (2,000 distractors) containment 0.721 with 8, 0.697 with
        # 12, 16, 24 or all (seed and calibration sets unchanged): the dense score then
        # prefers sentences on the topic that share few of the question's words
        self.max_scored = max_scored
        self.sentences = SentenceIndex(stored_speakers)
        self.vectors = VectorCache(embedder.embed)

    def speakers(self, article: Article) -> dict[int, str | None]:
        """Whom each sentence of `article` quotes, by its start (see `SentenceIndex`)."""
        self.sentences.prime([article])
        return self.sentences.speakers(article)

    def ranker_for(self, said: SaidQuestion | None, followup: bool = False) -> LogisticModel | None:
        """The ranker that scores this question's sentences, None for the hand score.
        The ranker scores standalone questions, what it was fitted on. "What did X say
        about Y" keeps the hand score: its candidates are X's sentences only, found on
        topic through the sentences that name Y, and the ranker saw too few such
        questions to learn them (seed gate: who-said-what answers got worse). So does a
        follow-up, whose question carries the previous one ("Which other country is on
        that trip? (When is Blinken going to China?)"), unlike any it was fitted on."""
        return None if said is not None or followup else self.ranker

    def _stored(self, article_ids: Iterable[str]) -> Mapping[str, SentenceVectors]:
        """The index's sentence vectors (and terms) of these articles' served versions."""
        return self.stored(article_ids) if self.stored is not None else {}

    def _vectors(
        self,
        keys: Sequence[tuple[str, int, int]],
        texts: Sequence[str],
        stored: Mapping[str, SentenceVectors],
    ) -> np.ndarray:
        """Vectors of these sentences: stored ones where the index has them, the rest
        embedded now (an index from before sentence vectors, a chunk cut differently)."""
        if not keys:
            return np.zeros((0, 1), dtype=np.float32)
        wanted: dict[str, tuple[list[int], list[int]]] = {}  # article -> (positions, rows)
        missing: list[int] = []
        for i, (article_id, start, end) in enumerate(keys):
            found = stored.get(article_id)
            row = found.rows.get((start, end)) if found is not None else None
            if row is None:
                missing.append(i)
                continue
            positions, held = wanted.setdefault(article_id, ([], []))
            positions.append(i)
            held.append(row)
        # one decode an article, each block put in place whole
        blocks = [(p, stored[a].vectors_of(held)) for a, (p, held) in wanted.items()]
        if missing:
            fresh = self.vectors.vectors([keys[i] for i in missing], [texts[i] for i in missing])
            blocks.append((missing, fresh))
        out = np.empty(
            (len(keys), blocks[0][1].shape[1]), dtype=np.result_type(*(b for _, b in blocks))
        )
        for positions, block in blocks:
            out[positions] = block
        return out

    def score(
        self,
        question: str,
        question_vector: np.ndarray,
        passages: Sequence[Passage],
        articles: Mapping[str, Article],
        said: SaidQuestion | None = None,
        exclude: frozenset[tuple[str, int]] = frozenset(),
        followup: bool = False,
    ) -> list[Evidence]:
        """Candidate sentences, best first. With `said`, only sentences attributed to
        that speaker are candidates; `exclude` holds (article id, start) already given;
        `followup`: the question was resolved against an earlier turn."""
        candidates = _candidates(passages, exclude)
        read = {c.article_id for c in candidates}
        self.sentences.prime(articles[a] for a in read if a in articles)
        # sentence start -> speaker, for each article read (one cache lookup an article)
        by_article = {a: self.sentences.speakers(articles[a]) for a in read if a in articles}
        speakers: dict[tuple[str, int], str | None] = {
            (c.article_id, c.start): by_article[c.article_id].get(c.start)
            if c.article_id in by_article
            else None
            for c in candidates
        }
        if said is not None:
            speaks_for_asked = _spokespeople(said, speakers, articles)
            candidates = [
                c
                for c in candidates
                if _by_speaker(said, c.text, speakers[(c.article_id, c.start)])
                or (c.article_id, speakers[(c.article_id, c.start)]) in speaks_for_asked
            ]
        if not candidates:
            return []
        topic = said.topic if said is not None else None
        terms = _query_terms(topic or question, said)
        stored = self._stored({c.article_id for c in candidates})
        sentence_terms, names = zip(*[_terms(c, stored) for c in candidates], strict=True)
        if said is not None and not topic:
            lexical = [1.0] * len(candidates)  # "what did X say?": all of X's words are on topic
        else:
            lexical = _overlaps(terms, sentence_terms, *_idf(sentence_terms, terms))
        priors = [1.0 / (1.0 + c.passage_rank) for c in candidates]
        order = list(range(len(candidates)))
        ranker = self.ranker_for(said, followup)
        if ranker is None and self.max_scored is not None:
            cheap = [
                self.weights.lexical * lx + self.weights.prior * p
                for lx, p in zip(lexical, priors, strict=True)
            ]
            order = sorted(order, key=lambda i: -cheap[i])[: self.max_scored]
        eligible = {i for i in order if can_answer(candidates[i].text, said is not None)}
        # the sentences before and after each one are scored too, as the antecedent or
        # companion it may need
        by_place = sorted(range(len(candidates)), key=lambda i: (candidates[i].article_id,
                                                               candidates[i].start))  # fmt: skip
        for a, b in itertools.pairwise(by_place):
            same = candidates[a].article_id == candidates[b].article_id
            if a in eligible and b not in eligible and same:
                order.append(b)
            elif b in eligible and a not in eligible and same and a not in order:
                order.append(a)
        keys = [(candidates[i].article_id, candidates[i].start, candidates[i].end) for i in order]
        vectors = self._vectors(keys, [candidates[i].text for i in order], stored)
        dense = vectors @ question_vector
        topical = list(lexical)
        if topic:
            # pseudo-relevance feedback: sentences that name the topic ("played down
            # expectations of any breakthrough") say what it means here, and find the
            # quote that never uses the word ("not going ... some sort of breakthrough")
            anchors = _anchors(terms, passages, exclude={k[:2] for k in keys})
            if anchors:
                anchor_keys = [a[0] for a in anchors]
                anchor_vectors = self._vectors(
                    anchor_keys, [a[1] for a in anchors], self._stored(k[0] for k in anchor_keys)
                )
                feedback = (vectors @ anchor_vectors.T).max(axis=1)
                for j, i in enumerate(order):
                    topical[i] = max(lexical[i], self.weights.feedback * float(feedback[j]))
        _read_with_referents(
            question, candidates, order, speakers, vectors, question_vector, dense, topical,
            sentence_terms, terms, topic is None and said is not None,
        )  # fmt: skip
        kinds = [expected_kind_present(question, candidates[i].text) for i in order]
        ranked_kinds = kinds
        if asks_count(question):
            # "how many states ...?": where some sentence gives a count, one that holds
            # only other numbers (a price, a year, a date) does not give what is asked.
            # The ranker's type feature only: in the hand score too, it also lowered the
            # hand scores that let an answer through (README, "Answer types: rules")
            counted = [counts(candidates[i].text, question) for i in order]
            if any(counted):
                ranked_kinds = [k and c for k, c in zip(kinds, counted, strict=True)]
        similarity = dense.tolist()  # Python floats, read once each, not numpy scalars
        hand = []
        for j, i in enumerate(order):
            score = (
                self.weights.dense * similarity[j]
                + self.weights.lexical * topical[i]
                + self.weights.prior * priors[i]
            )
            if not kinds[j]:
                score *= self.weights.type_mismatch
            hand.append(score)
        rows: list[list[float]] | None = None
        scores = hand
        if ranker is not None:
            chosen = [candidates[i] for i in order]
            features = _features(
                question,
                chosen,
                dense,
                [topical[i] for i in order],
                hand,
                ranked_kinds,
                [names[i] for i in order],
                articles,
                by_article,
            )
            scores = ranker.probabilities(features).tolist()
            rows = features.tolist()
        out: list[Evidence] = []
        for j, i in enumerate(order):
            c = candidates[i]
            out.append(
                Evidence.of_fields(
                    article_id=c.article_id,
                    start=c.start,
                    end=c.end,
                    text=c.text,
                    score=float(scores[j]),
                    dense=similarity[j],
                    lexical=topical[i],
                    speaker=speakers[(c.article_id, c.start)],
                    passage=c.passage,
                    hand=hand[j],
                    terms=sentence_terms[i],
                    companion=None,
                    antecedent=None,
                    features=() if rows is None else tuple(rows[j]),
                )
            )
        out = _with_companions(question, out, articles, {k: j for j, k in enumerate(keys)},
                               vectors, question_vector, said is not None)  # fmt: skip
        out = [e for j, e in enumerate(out) if order[j] in eligible]
        out.sort(key=lambda e: -e.score)
        return out


# a sentence of at most this many words says little alone: "He was 91.", "She was 22."
SHORT_WORDS = 6


def _read_with_referents(
    question: str,
    candidates: Sequence[_Candidate],
    order: Sequence[int],
    speakers: Mapping[tuple[str, int], str | None],
    vectors: np.ndarray,
    question_vector: np.ndarray,
    dense: np.ndarray,
    topical: list[float],
    sentence_terms: Sequence[set[str]],
    terms: Mapping[str, float],
    all_on_topic: bool,
) -> None:
    """A short sentence that opens on a pronoun and gives the figure or place the
    question asks for ("He was 91." for "How old was he when he died?") is read with the
    sentence before it, which names whom it stands for ("The hospital said Brooks died
    after a long illness."): its similarity and term overlap are the pair's where higher.
    In place: `dense` by position in `order`, `topical` by candidate. A longer sentence
    says enough alone, and read with its neighbour let near misses through; one that
    gives nothing asked for ("He was 68." for "Whom did he succeed?", its "he" the only
    person) would only ride on its neighbour."""
    short = [
        j
        for j, i in enumerate(order)
        if candidates[i].text.count(" ") < SHORT_WORDS
        and refers_back(candidates[i].text, speakers.get((candidates[i].article_id,
                                                          candidates[i].start)))
        and gives_figure_asked(question, candidates[i].text)
    ]  # fmt: skip
    if not short:  # most questions: no sentence to read with another
        return
    at = {(candidates[i].article_id, candidates[i].end): j for j, i in enumerate(order)}
    pairs: list[tuple[int, int]] = []  # (position of the pronoun's sentence, of the one before)
    for j in short:
        c = candidates[order[j]]
        before = next(
            (at[(c.article_id, end)] for end in range(c.start, c.start - 4, -1)
             if (c.article_id, end) in at),
            None,
        )  # fmt: skip
        if before is not None and candidates[order[before]].text.count(" ") >= SHORT_WORDS:
            pairs.append((j, before))
    for j, before in pairs:
        dense[j] = max(float(dense[j]), _pair_similarity(vectors[j], vectors[before],
                                                         question_vector))  # fmt: skip
    if all_on_topic or not pairs:
        return
    joined = [sentence_terms[order[j]] | sentence_terms[order[b]] for j, b in pairs]
    overlap = _overlaps(terms, joined, *_idf(sentence_terms, terms))
    for (j, _), share in zip(pairs, overlap, strict=True):
        topical[order[j]] = max(topical[order[j]], share)


def _terms(
    candidate: _Candidate, stored: Mapping[str, SentenceVectors]
) -> tuple[set[str], set[str]]:
    """The candidate sentence's lexical terms and its names (`sentence_names`): as
    ingest stored them beside its vector, or made now (an index from before stored
    terms, a chunk cut differently)."""
    found = stored.get(candidate.article_id)
    row = found.rows.get((candidate.start, candidate.end)) if found is not None else None
    kept = found.terms_of(row) if found is not None and row is not None else None
    if kept is None:
        return set(lexical_terms(candidate.text)), set(sentence_names(candidate.text))
    return set(kept[0]), set(kept[1])


def _features(
    question: str,
    chosen: Sequence[_Candidate],
    dense: np.ndarray,
    lexical: Sequence[float],
    hand: Sequence[float],
    kinds: Sequence[bool],
    names: Sequence[AbstractSet[str]],
    articles: Mapping[str, Article],
    starts: Mapping[str, Mapping[int, str | None]],
) -> np.ndarray:
    """The SENTENCE_FEATURES of each candidate, one row each (see qa/extractive/ranker.py);
    `names` are their `sentence_names`."""
    n = len(chosen)
    columns: dict[str, np.ndarray] = {
        "hand": np.asarray(hand, dtype=float),
        "dense": np.asarray(dense, dtype=float),
        "lexical": np.asarray(lexical, dtype=float),
    }
    columns["dense_gap"] = columns["dense"].max() - columns["dense"]
    columns["lexical_gap"] = columns["lexical"].max() - columns["lexical"]
    best: dict[str, float] = {}  # article id -> its best passage's fused score
    for c in chosen:
        best[c.article_id] = max(best.get(c.article_id, 0.0), c.passage.score)
    ranked = sorted(best, key=lambda a: -best[a])
    top = best[ranked[0]] if ranked and best[ranked[0]] > 0 else 1.0
    place = {a: r for r, a in enumerate(ranked)}
    columns["article_prior"] = np.array([1.0 / (1.0 + place[c.article_id]) for c in chosen])
    columns["article_retrieval"] = np.array([best[c.article_id] / top for c in chosen])
    columns["type_miss"] = np.array(
        [
            0.0 if answer_type_present(question, c.text, k) else 1.0
            for c, k in zip(chosen, kinds, strict=True)
        ]
    )
    columns["new_names"] = np.array([new_names(question, found) for found in names])
    columns["length"] = np.array([length_feature(c.text) for c in chosen])
    columns["quote"] = np.array([has_quote(c.text) for c in chosen])
    first = {a: next(iter(starts.get(a, {})), None) for a in best}  # each one's lead
    lead, position = [], []
    for c in chosen:
        article = articles.get(c.article_id)
        lead.append(1.0 if c.start == first[c.article_id] else 0.0)
        position.append(c.start / max(1, len(article.text)) if article else 0.0)
    columns["lead"], columns["position"] = np.array(lead), np.array(position)
    # the sentences just before and after, where they are candidates too
    similarity = dense.tolist()
    context_dense, context_lexical = [0.0] * n, [0.0] * n
    by_place = sorted(range(n), key=lambda j: (chosen[j].article_id, chosen[j].start))
    for a, b in itertools.pairwise(by_place):
        ca, cb = chosen[a], chosen[b]
        article = articles.get(ca.article_id)
        if ca.article_id != cb.article_id or not article:
            continue
        if article.text[ca.end : cb.start].strip():
            continue
        for x, y in ((a, b), (b, a)):
            context_dense[x] = max(context_dense[x], similarity[y])
            context_lexical[x] = max(context_lexical[x], float(lexical[y]))
    columns["context_dense"] = np.array(context_dense)
    columns["context_lexical"] = np.array(context_lexical)
    return np.column_stack([columns[name] for name in SENTENCE_FEATURES])


# "Why ...?", and a reason or cause asked otherwise: "On what grounds did the judge
# vacate it?", "What prompted the recall?"
_WH_WHY = re.compile(
    r"^\s*(why|how come|what (is|was|are|were) the reasons?|what (grounds|basis)|"
    r"what reasons?|what (caused|causes|led to|leads to|prompted|prompts|sparked|triggered|"
    r"drove))\b",
    re.I,
)
_WH_HOW = re.compile(r"^\s*how\b(?!\s+(many|much|long|old|far|big|large|often))", re.I)
_REASON = re.compile(
    r"\b(because|since|so that|in order to|due to|owing to|as a result|the reason|reasons?|"
    r"that is why|that's why|aims? to|in a bid to|to (?:avoid|prevent|reduce|ensure|help))\b",
    re.I,
)
# "what happened after ...", "what happens next": the outcome is in the sentence after
_WH_AFTER = re.compile(
    r"^\s*what\s+(?:(?:has\s+)?happened|happens|will happen|followed|came)\b"
    r"(?=.*\b(?:after|next|then|following|since|as a result)\b)",
    re.I,
)
_OUTCOME = re.compile(
    r"\b(then|afterwards?|as a result|in response|subsequently|later|led to|leading to|"
    r"prompt(?:ed|ing)|spark(?:ed|ing)|trigger(?:ed|ing)|forc(?:ed|ing)|result(?:ed|ing) in)\b",
    re.I,
)
_OPEN_QUOTES = "“"
_CLOSE_QUOTES = "”"
_CURLY_QUOTE = re.compile(f"[{_OPEN_QUOTES}{_CLOSE_QUOTES}]")


def quote_left_open(sentence: str) -> bool:
    """Whether a quotation opened in `sentence` goes on past its end.

    >>> quote_left_open("“I believe these lines are necessary.")
    True
    >>> quote_left_open("“They are necessary,” he said.")
    False
    """
    if '"' not in sentence and _OPEN_QUOTES not in sentence:
        return False  # no quotation opens in it (most sentences)
    depth = 0
    for ch in _CURLY_QUOTE.findall(sentence):  # only the quotation marks count
        if ch in _OPEN_QUOTES:
            depth += 1
        elif ch in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
    if depth:
        return True
    straight = sentence.count('"')
    return straight % 2 == 1 and sentence.lstrip().startswith('"')


def pairs_with_next(
    question: str, sentence: str, following: str, gain: Callable[[], float]
) -> bool:
    """Whether `following` should be quoted after `sentence`: it finishes the quotation
    `sentence` opened, or a "why"/"how" question's reason or a "what happened after"
    question's outcome is in it (its reason or outcome words, or a pair that reads
    closer to the question than the sentence alone: `gain()` > 0). `gain` is called
    only when that decides: it costs a vector sum, a norm and a product.

    >>> pairs_with_next("Who spoke?", "“We are ready.", "We will go,” he said.", lambda: -0.1)
    True
    >>> pairs_with_next("Why is it needed?", "It is needed.", "Prices rose, so.", lambda: 0.05)
    True
    >>> pairs_with_next("What was agreed?", "They met.", "The stakes are high.", lambda: 0.2)
    False

    A heading goes on with nothing: a quotation the article leaves open does not run
    into "What happens next".

    >>> pairs_with_next("Why?", "She went on: “I am resigning.", "What happens next", float)
    False
    """
    if is_heading(following):
        return False
    if quote_left_open(sentence):
        return True
    follows = _what_follows(question)
    return follows is not None and (bool(follows.search(following)) or gain() > 0.02)


# a line with no stop of at most this many words is a heading, never quoted (`can_answer`)
HEADING_WORDS = 6


def is_heading(text: str) -> bool:
    """Whether `text` reads as a heading: it ends with no stop ("What happens next",
    "Reforms included in the agreement").

    >>> is_heading("What happens next"), is_heading("We will go,” he said.")
    (True, False)
    """
    return not text.rstrip().endswith(_SENTENCE_ENDS)


def quote_goes_on(speaker: str | None, following: str, following_speaker: str | None) -> bool:
    """Whether `following` carries on the words of `speaker` quoted just before: a new
    quotation of the same speaker that names no speaker of its own ("“It’s sad,” she
    said. “Obviously, so thankful for 20 years here.").

    >>> quote_goes_on("Sue Bird", "“Obviously, so thankful for 20 years here.", "Sue Bird")
    True
    >>> quote_goes_on("Sue Bird", "“We won,” Gray said.", "Chelsea Gray")
    False
    >>> quote_goes_on("Sue Bird", "The Storm lost.", "Sue Bird")
    False
    """
    return (
        speaker is not None
        and following_speaker == speaker
        and following.lstrip().startswith((*_OPEN_QUOTES, '"'))
        and _VERB_RE.search(following) is None
    )


def opens_on_a_reason(text: str, speaker: str | None = None) -> bool:
    """Whether a sentence can open the answer to a "why" question: it gives a reason
    ("because", "due to", "in order to"), and is read without the sentence before it.

    >>> opens_on_a_reason("Sightings rose because seals are back.")
    True
    >>> opens_on_a_reason("That's because seals are back.")
    False
    >>> opens_on_a_reason("Shark sightings rose last year.")
    False
    >>> opens_on_a_reason("It is the lowest level recorded by Gallup since 1973.")
    False
    >>> opens_on_a_reason("He was due to visit China on June 18-19.")
    False
    >>> opens_on_a_reason("The game was called off due to rain.")
    True
    >>> opens_on_a_reason("Avian flu has contributed to higher prices for turkeys.")
    True
    """
    return bool(_CAUSE.search(text)) and not refers_back(text, speaker)


# the words that give a reason, to open an answer on: not "since" (most often of time:
# "since 1973"), a bare "to reduce" ("decided to reduce the size of our team"), "due to"
# of a plan ("he was due to visit China"), nor "caused by" and "attributed to", which
# name a thing more often than they give a reason ("the fires caused by fireworks", "the
# slide can be attributed to Democrats")
_CAUSE = re.compile(
    r"\b(because|due to(?!\s+(?:be|visit|arrive|begin|start|meet|return|take|make|open|"
    r"close|hold|leave|travel|speak|appear|end|attend|deliver|announce|testify|face|"
    r"release|launch|expire|resume|come|go|give|sign|vote|report)\b)|owing to|as a result|"
    r"the reason|reasons?|that is why|that's why|in order to|so that|in a bid to|aims? to|"
    r"thanks to|citing|contribut(?:ed|es|ing) to|(?:fu?ell?ed|prompted) by|blamed (?:on|for)|"
    r"stem(?:s|med|ming)? from|result(?:s|ed|ing)? from)\b",
    re.I,
)


def asks_why(question: str) -> bool:
    """Whether `question` asks for a reason.

    >>> asks_why("Why did experts urge caution?"), asks_why("What did experts say?")
    (True, False)
    >>> asks_why("On what grounds did the judge vacate it?"), asks_why("What prompted it?")
    (True, True)
    """
    return bool(_WH_WHY.search(asking_clause(question)))


@lru_cache(maxsize=256)
def _what_follows(question: str) -> re.Pattern[str] | None:
    """The words of a sentence that gives what `question` asks to follow a claim: the
    reason for "why" and "how", the outcome for "what happened after"; None for others.
    Once a question, not once for each of its candidate sentences."""
    asking = asking_clause(question)
    if _WH_WHY.search(asking) or _WH_HOW.search(asking):
        return _REASON
    if _WH_AFTER.search(asking):
        return _OUTCOME
    return None


_REFERS_BACK = re.compile(
    r"^[\s“\"‘']*(?:(?:and|but|so|yet)\s+)?"
    r"(?:he|she|they|it|its|his|her|their|these|those|"
    r"(?:this|that)(?!\s+(?:week|weekend|month|year|morning|afternoon|evening|summer|fall|"
    r"autumn|winter|spring|season|time)\b))\b(?!\s+who\b)",
    re.I,
)


def refers_back(sentence: str, speaker: str | None = None) -> bool:
    """Whether `sentence` opens on a pronoun whose referent is in an earlier sentence
    ("They are how militaries interact", "And it rose"). Not "This week", nor "Those
    who", nor a "he said" whose speaker (`speaker`) the answer names in brackets.

    >>> refers_back("They are how militaries interact."), refers_back("This week, it rained.")
    (True, False)
    >>> refers_back("He said it would rain.", "Kurt Campbell"), refers_back("He said it would.")
    (False, True)
    """
    opening = _REFERS_BACK.search(sentence)
    if opening is None:
        return False
    # "He said ...": the answer names the speaker in brackets after that very pronoun
    return not name_speaker(sentence, speaker).startswith(f"{sentence[: opening.end()]} [")


def pairs_with_previous(
    sentence: str, speaker: str | None, previous: str, previous_speaker: str | None
) -> bool:
    """Whether `previous` should be quoted before `sentence`: `sentence` opens on a
    pronoun that refers back, and `previous` can give its referent, being a whole
    sentence (not a dateline) that does not itself open on one.

    >>> pairs_with_previous("She played for the Storm.", None, "Sue Bird retired.", None)
    True
    >>> pairs_with_previous("She played for the Storm.", None, "She retired.", None)
    False
    """
    return (
        refers_back(sentence, speaker)
        and can_answer(previous)
        and not refers_back(previous, previous_speaker)
    )


def _with_companions(
    question: str,
    scored: list[Evidence],
    articles: Mapping[str, Article],
    rows: Mapping[tuple[str, int, int], int],
    vectors: np.ndarray,
    question_vector: np.ndarray,
    words_asked: bool = False,
) -> list[Evidence]:
    """Each sentence with the next one of its article attached where `pairs_with_next`
    says so, or, when someone's words are asked for (`words_asked`), where it goes on
    with that speaker's words (`quote_goes_on`); and the one before where
    `pairs_with_previous` says so. A neighbour must be a candidate too (it has a passage
    to cite) and could be an answer itself (`can_answer`: not a linked story's headline,
    nor a question but in a quotation left open or when someone's words are asked: an
    explainer's "Why was Don Lemon fired?" is its next section's heading)."""
    ordered = sorted(scored, key=lambda e: (e.article_id, e.start))
    following: dict[tuple[str, int], Evidence] = {}
    preceding: dict[tuple[str, int], Evidence] = {}
    for a, b in itertools.pairwise(ordered):
        article = articles.get(a.article_id)
        if a.article_id == b.article_id and article and not article.text[a.end : b.start].strip():
            following[(a.article_id, a.start)] = b
            preceding[(b.article_id, b.start)] = a
    out = []
    for e in scored:
        prev = preceding.get((e.article_id, e.start))
        if (
            prev is not None
            and pairs_with_previous(e.text, e.speaker, prev.text, prev.speaker)
            and can_answer(prev.text, words_asked=True)  # read only for a pair: it is rare
        ):
            e = replace(e, antecedent=prev)
        nxt = following.get((e.article_id, e.start))
        if nxt is not None:
            gain = partial(_pair_gain, e, nxt, rows, vectors, question_vector)
            if (
                pairs_with_next(question, e.text, nxt.text, gain)
                or (words_asked and quote_goes_on(e.speaker, nxt.text, nxt.speaker))
            ) and can_answer(nxt.text, words_asked=words_asked or quote_left_open(e.text)):
                e = replace(e, companion=nxt)
        out.append(e)
    # a companion that leaves its quotation open brings its own companion along: the
    # words go on ("“Obviously, so thankful for 20 years here. I'm going to miss it ...")
    paired = {(e.article_id, e.start): e for e in out}
    return [
        replace(e, companion=paired[(e.companion.article_id, e.companion.start)])
        if e.companion is not None and quote_left_open(e.companion.text)
        else e
        for e in out
    ]


def _pair_gain(
    first: Evidence,
    then: Evidence,
    rows: Mapping[tuple[str, int, int], int],
    vectors: np.ndarray,
    question_vector: np.ndarray,
) -> float:
    """How much closer to the question the two sentences read together than `first` alone."""
    pair = _pair_similarity(
        vectors[rows[(first.article_id, first.start, first.end)]],
        vectors[rows[(then.article_id, then.start, then.end)]],
        question_vector,
    )
    return pair - first.dense


def _pair_similarity(a: np.ndarray, b: np.ndarray, question_vector: np.ndarray) -> float:
    """The question's similarity to two sentences read together: to their vectors' sum."""
    pair = a + b
    norm = float(np.linalg.norm(pair))
    return float(pair @ question_vector) / norm if norm else 0.0


_VERB = rf"(?:{alternation(forms())}|demanded|called on|accused)\b"
_VERB_RE = re.compile(rf"\b(?:{_VERB}|according to\b)", re.I)
# the verbs whose speaker may follow them ("..., said Qin"); after "told" comes the listener
_INVERTED = alternation(forms(INVERTING))
# words that cannot stand between "said" and the speaker's name ("said the talks with Qin")
_NOT_TITLE = r"(?:with|to|from|about|on|for|by|in|at|that|would|will|could|should)\b"


def _spokespeople(
    said: SaidQuestion,
    speakers: Mapping[tuple[str, int], str | None],
    articles: Mapping[str, Article],
) -> set[tuple[str, str]]:
    """(article id, speaker) for each speaker an article describes as speaking for the
    one asked about: its diplomat's words are the State Department's."""
    out = set()
    for article_id, speaker in {(a, s) for (a, _), s in speakers.items() if s}:
        article = articles.get(article_id)
        if article and speaks_for(said.speaker, speaker, article.text):
            out.add((article_id, speaker))
    return out


def _by_speaker(said: SaidQuestion, sentence: str, speaker: str | None) -> bool:
    """Whether a sentence reports the asked speaker's words: attributed to them, or
    naming them as the one who speaks when the attribution went to someone else ("Qin
    urged ... and said ..., the foreign ministry said"). A view may be reported by
    anyone: any sentence that names them beside a speech verb.

    >>> asked = SaidQuestion("Qin", None)
    >>> _by_speaker(asked, "Qin Gang urged restraint, the ministry said.", "the ministry")
    True
    >>> _by_speaker(asked, "Blinken urged restraint in a call with Qin.", "Blinken")
    False
    >>> _by_speaker(SaidQuestion("Qin", None, view=True), "Kirby said Qin wants calm.", "Kirby")
    True

    Another of the name is not the one asked about: "What did Kate Gallego announce?"
    is not answered by "Rep. Ruben Gallego said ...".

    >>> _by_speaker(SaidQuestion("Kate Gallego", None), "Rep. Ruben Gallego said so.",
    ...             "Ruben Gallego")
    False
    """
    if speaker and same_speaker(said.speaker, speaker):
        return True
    if speaker and _namesakes(said.speaker, speaker):
        return False
    surname = said.speaker.split()[-1] if said.speaker.split() else ""
    if not surname or not surname[0].isupper():
        return False
    if said.view:  # "what does Washington want?": "Campbell said Washington has an interest"
        return surname in sentence and bool(_VERB_RE.search(sentence))
    return bool(_speaking(surname).search(sentence))


def _namesakes(asked: str, speaker: str) -> bool:
    """Whether two full names share their last word but not their first: "Kate Gallego"
    and "Ruben Gallego", "Joe Biden" and "Jill Biden".

    >>> _namesakes("Kate Gallego", "Ruben Gallego"), _namesakes("Kate Gallego", "Gallego")
    (True, False)
    """
    a, b = asked.split(), speaker.split()
    return (
        len(a) > 1
        and len(b) > 1
        and a[-1].lower() == b[-1].lower()
        and a[0].lower() != b[0].lower()
    )


@lru_cache(maxsize=256)
def _speaking(surname: str) -> re.Pattern[str]:
    """Where a sentence has `surname` as the one who speaks: before a speech verb, an
    apposition between ("Qin Gang, China's foreign minister, urged ..."), after one that
    follows a quote or a comma ("...,” said Qin Gang."), or after "according to". A name that
    is the listener ("told Blinken", "Doocy asked Biden, ...") or the subject of something
    else ("said Blinken would push ...", "in a call with Blinken") is not.

    >>> bool(_speaking("Qin").search("Qin urged restraint, the ministry said."))
    True
    >>> bool(_speaking("Blinken").search("In a call with Blinken, Qin said it was clear."))
    False
    >>> bool(_speaking("Blinken").search("Officials said Blinken would push for talks."))
    False
    >>> bool(_speaking("Gang").search("“It is clear,” said foreign minister Qin Gang."))
    True
    >>> bool(_speaking("Blinken").search("“It is clear,” Qin told Blinken."))
    False
    >>> bool(_speaking("Biden").search("Peter Doocy asked Biden, “Would you?”"))
    False
    >>> bool(_speaking("Blinken").search("Blinken has previously warned Russia."))
    True
    >>> bool(_speaking("Blinken").search("Price said Blinken, in the meeting, “stressed” it."))
    True
    """
    name = re.escape(surname)
    rest_of_name = r"(?:\s+[A-Z][\w'’.-]*){0,3}"  # "Qin Gang" for "Qin"
    apposition = r"(?:,[^,]{1,80},)?"
    adverb = r"(?:(?:also|later|then|has|had|have|\w+ly)\s+){0,2}"  # "has previously warned"
    title = rf"(?:(?!{_NOT_TITLE})[\w'’.-]+\s+){{0,5}}?"  # "foreign minister" in "said ... Qin"
    clause_end = r"(?=\s*(?:[,.;:!?]|$))"
    before = rf"\b{name}\b{rest_of_name}{apposition}\s+{adverb}[“\"]?{_VERB}"
    after = rf"[,”\"]\s*(?:{_INVERTED})\s+{title}{name}\b{clause_end}"  # not "asked Biden,"
    return re.compile(rf"{before}|{after}|\baccording to {title}{name}\b")


# a question ends in "?", perhaps inside quotes or brackets; a fragment in a dash. Read
# off the sentence's end with str methods: a regex searched it from every position
_CLOSERS = "\"'”’)]"
# what ends a sentence before its closing marks: a short line without one is a heading,
# whatever mark it ends on ("'Top Gun: Maverick'", "4. 'The Martian' (2015)")
_STOPS = (".", "!", "?", "…")
# what a line ends with to read as a sentence, a heading or a caption's line without
# (`is_heading`): a stop, or a closing quotation mark or bracket
_SENTENCE_ENDS = (*_STOPS, *_CLOSERS)
_DASHES = ("—", "–", "-")


# what a page puts before the headline of a story it links to
_LINKED = re.compile(
    r"\s*(?:more|read(?:\s+more)?|related(?:\s+stor(?:y|ies))?|also\s+read|see\s+also|opinion|"
    r"watch)\s*:",
    re.IGNORECASE,
)
# the rest of a page's furniture, none of it the story's own words: a link's label set on
# its headline with no space between ("Cathedral controversy:Catholic school fires
# teacher", "Recent winner:$699.8 million Powerball winning ticket sold"), a video player
# ("JUST WATCHED ... Replay More Videos ... MUST WATCH ... 01:15"), a photo gallery, a
# photo's credit alone, and a call to act ("Sign up here", "To follow Brett Molina on
# Twitter, click here.").
# Each is looked for only where a str method finds its mark: a regex searched every
# sentence from every position (10 us a sentence, against 1 for these)
_LABEL = re.compile(r"[^:]{1,60}?[a-zA-Z0-9!?'’\")]:(?=[A-Z'‘$])")
# what opens a video player's lines, and a photo gallery's first frame ("Photos: <the
# gallery's title> <a caption>")
_OPENINGS = ("JUST WATCHED", "MUST WATCH", "Photos:")
# and inside a line, "Replay More Videos", "Video Ad Feedback" and "Hide Caption": a
# gallery's next frames run each on from the last ("... on April 18. Hide Caption 2 of 40
# Photos: <title> <caption>")
_CALL = re.compile(r"\b(?i:click|sign up|subscribe|follow along)\s+here\b")
# a photo's credit, glued by the page's text to its caption: a photographer or two, then
# the agencies, the last a known one ("Jim Watson/AFP/Getty Images", "Joel Kowsky/NASA")
_AGENCIES = (
    "Getty Images|AP|AFP|Reuters|Bloomberg|NASA|EPA|EPA-EFE|Shutterstock|Sipa USA|"
    "ZUMA Press|Zuma Press|NurPhoto|Pool|CNN|USA TODAY|USA TODAY Sports|Redux|SOPA Images|"
    "LightRocket|Anadolu Agency|Alamy|Imagn|IMAGN|Xinhua|TASS|Sputnik"
).split("|")
_NAME_WORD = r"[A-Z][\w.’'-]*"
# the longest agency first: "USA TODAY Sports" is not "USA TODAY" before a caption on sports
CREDIT = rf"(?:{_NAME_WORD}(?: {_NAME_WORD})*/)+(?:{alternation(_AGENCIES)})"
# a sentence that is nothing but a photo's credit, split from the caption it ended: it
# ends on an agency's name
_ONLY_CREDIT = re.compile(rf"{CREDIT}\s*")
_AGENCY_ENDS = tuple(_AGENCIES)
_AGENCY_LAST = frozenset(agency[-1] for agency in _AGENCIES)  # looked at first: "s", not "."


def is_furniture(sentence: str) -> bool:
    """Whether `sentence` is a page's furniture rather than its story (see above): a
    linked story's headline, a video player's or a photo gallery's line, a photo's
    credit alone, a call to sign up.

    >>> is_furniture("Hide Caption 2 of 40 Photos: Floods in Durban People wade.")
    True
    >>> is_furniture("Who is eligible for boosters now?")
    False
    """
    return (
        _LINKED.match(sentence) is not None
        or (":" in sentence[:62] and _LABEL.match(sentence) is not None)
        or sentence.lstrip().startswith(_OPENINGS)
        or "Replay More Videos" in sentence
        or "Video Ad Feedback" in sentence
        or "Hide Caption" in sentence
        or (" here" in sentence and _CALL.search(sentence) is not None)
        or (
            sentence[-1:] in _AGENCY_LAST
            and sentence.endswith(_AGENCY_ENDS)
            and _ONLY_CREDIT.fullmatch(sentence.strip()) is not None
        )
    )


def can_answer(sentence: str, words_asked: bool = False) -> bool:
    """Whether a sentence can be an answer: not a fragment cut off at a dash (a dateline,
    "New York CNN Business —"), and, unless someone's words are asked for (`words_asked`:
    "what did X say" is answered by X's own questions too), not itself a question, which
    an article asks (a headline, a quiz) and does not answer.

    >>> can_answer("Which company turned off the AC in its stores?")
    False
    >>> can_answer("“Why would we wait?” she asked.", words_asked=True)
    True
    >>> can_answer("“Why would we wait?”", words_asked=True)
    True
    >>> can_answer("New York CNN Business —")
    False
    >>> can_answer("Bed Bath & Beyond denied it.")
    True

    Nor is the headline of a linked story ("More:Kansas City Chiefs vs. Philadelphia
    Eagles odds", "Who wins Super Bowl 57?:Chiefs vs. Eagles picks, predictions"), nor
    the rest of a page's furniture: a video player's title, a call to sign up.

    >>> can_answer("Who wins Super Bowl 57?:Chiefs vs. Eagles picks, predictions")
    False
    >>> can_answer("More:Chiefs vs. Eagles odds: Super Bowl 57 point spread")
    False
    >>> can_answer("Artemis I:Hardware issues force NASA to again scrub Artemis I launch")
    False
    >>> can_answer("YELLOWSTONE CLOSED:Yellowstone National Park evacuates visitors")
    False
    >>> can_answer("It's over:$1.58 billion Mega Millions jackpot winning ticket is sold")
    False
    >>> can_answer("Video Ad Feedback Hear what Graham said 01:05 - Source: CNN")
    False
    >>> can_answer("MUST WATCH See the flooding that shut down Yellowstone 01:15")
    False
    >>> can_answer("Money tips delivered right to your inbox. Sign up here")
    False
    >>> can_answer("Hide Caption 18 of 40 Photos: Deadly floods People grieve at a church.")
    False
    >>> can_answer("Danilo Martins Yoshioka/Anadolu Agency/Getty Images")
    False

    Nor is a short line with no stop: a subheading, a list's item, a byline, even where
    it ends on a quotation mark or a bracket.

    >>> can_answer("NASA Artemis I moon launch schedule"), can_answer("4. Daylight Saving")
    (False, False)
    >>> can_answer("'Top Gun: Maverick'"), can_answer("“We will win.”")
    (False, True)
    >>> can_answer("The Kansas vote is the first to capture voter sentiment since Roe fell")
    True
    """
    end = sentence.rstrip()
    if end.endswith(_DASHES) or "?:" in end or is_furniture(end):
        return False
    bare = end.rstrip(_CLOSERS)  # its words, without the marks that close them
    if len(end.split()) <= HEADING_WORDS and not bare.endswith(_STOPS):
        return False  # a subheading, a list's item, a byline: "4. Daylight Saving"
    return words_asked or not bare.endswith("?")


def _candidates(
    passages: Sequence[Passage], exclude: frozenset[tuple[str, int]]
) -> list[_Candidate]:
    seen: set[tuple[str, int]] = set()
    out: list[_Candidate] = []
    for rank, p in enumerate(passages):
        for start, end in p.sentences:
            key = (p.article_id, start)
            if key in seen or key in exclude:
                continue
            seen.add(key)
            text = p.text[start - p.start : end - p.start]
            out.append(_Candidate(p.article_id, start, end, text, p, rank))
    return out


def _query_terms(query: str, said: SaidQuestion | None) -> dict[str, float]:
    """Stemmed query terms with weight 1, minus the speaker's name."""
    drop = set(lexical_terms(said.speaker)) if said is not None else set()
    drop |= {"what", "who", "whi", "how", "when", "where"}
    return {t: 1.0 for t in lexical_terms(query) if t not in drop}


def _idf(docs: Sequence[set[str]], terms: Iterable[str]) -> tuple[dict[str, float], float]:
    """The idf over `docs` of each of `terms` that one of them holds, and the idf of
    their rarest term, which a term none holds is given: it is a rare one.

    >>> _idf([{"talk", "china"}, {"china"}], ["china", "trade"])
    ({'china': 0.7884573603642703}, 1.0986122886681098)
    """
    n = len(docs)
    df = Counter(itertools.chain.from_iterable(docs))

    def idf(count: int) -> float:
        return math.log(1.0 + (n + 1) / (count + 0.5))

    # the rarest term has the highest idf; only the query's terms are weighed
    return {t: idf(df[t]) for t in terms if t in df}, idf(min(df.values())) if df else 1.0


def _overlaps(
    terms: Mapping[str, float],
    sentences: Sequence[set[str]],
    idf: Mapping[str, float],
    default: float,
) -> list[float]:
    """Each sentence's share of the query's idf-weighted mass, in [0, 1]; a query term
    no sentence holds weighs `default`.

    >>> _overlaps({"talk": 1.0, "china": 1.0}, [{"china"}, set()], {"china": 1.0}, 1.0)
    [0.5, 0.0]
    """
    weighted = [(t, w * idf.get(t, default)) for t, w in terms.items()]
    total = sum(w for _, w in weighted)
    if total == 0:
        return [0.0] * len(sentences)
    return [sum(w for t, w in weighted if t in sentence) / total for sentence in sentences]


def _anchors(
    terms: Mapping[str, float], passages: Sequence[Passage], exclude: set[tuple[str, int]]
) -> list[tuple[tuple[str, int, int], str]]:
    """Passage sentences holding every topic term, as (cache key, text)."""
    out: list[tuple[tuple[str, int, int], str]] = []
    seen: set[tuple[str, int]] = set()
    for p in passages:
        for start, end in p.sentences:
            if (p.article_id, start) in seen or (p.article_id, start) in exclude:
                continue
            seen.add((p.article_id, start))
            text = p.text[start - p.start : end - p.start]
            words = set(lexical_terms(text))
            if terms and all(t in words for t in terms):
                out.append(((p.article_id, start, end), text))
    return out[:4]
