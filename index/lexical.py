"""The lexical (BM25) side of retrieval: bm25s over the same chunks that Chroma holds.

The BM25 index is derived data. It is written next to a stamp naming the catalog
generation it was built from, and rebuilt from the chunks whenever the two differ,
so an interrupted ingest can never leave it out of step with Chroma. The stamp also
names the version of `lexical_terms` it was built with, so that a change of terms
rebuilds it instead of leaving old terms that queries no longer produce.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import cast

import numpy as np

log = logging.getLogger(__name__)

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:['’][^\W_]+)*")
_ACRONYM = re.compile(r"\b(?:[A-Za-z]\.){2,}")  # "U.S." is one word, "us"
# a letter between two points: every text _ACRONYM matches holds one, and the search
# for it runs from each "." only. Most sentences have none, and _ACRONYM's own search
# through them cost a third of lexical_terms
_DOTTED = re.compile(r"\.[A-Za-z]\.")
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves s t don said says say told
    """.split()
)


def _bm25s() -> ModuleType:
    """bm25s, imported on first use. It sets its own logger to DEBUG on import, so
    every CLI run printed "Building index from tokens"; that is undone here."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


# the version of lexical_terms a saved BM25 index was built with: 3 reads irregular
# verbs as their base ("won" is "win"); 2 folds accents ("Sánchez" is "sanchez"); 1, a
# stamp without a version, kept them
TERMS_VERSION = 3

# Irregular forms the stemmer cannot join to their base: "Which team won?" asks what
# "to win" says, and "What did he eat?" what "he ate" does. Forms that are as often
# another word are left out: "left", "lay", "fed" (the Fed), "rose", "shot" (a booster
# shot), "bit", "bound", "ground", "drew", "hung", "sang" (names).
_IRREGULAR: dict[str, str] = {
    form: base
    for entry in """
    arise:arose,arisen become:became begin:began,begun bend:bent bleed:bled break:broke,broken
    bring:brought build:built buy:bought catch:caught choose:chose,chosen child:children
    come:came deal:dealt dig:dug drink:drank,drunk drive:drove,driven eat:ate,eaten
    fall:fell,fallen feel:felt fight:fought find:found flee:fled fly:flew,flown
    forget:forgot,forgotten freeze:froze,frozen give:gave,given go:went,gone grow:grew,grown
    hear:heard hide:hid,hidden hold:held keep:kept know:knew,known lead:led lend:lent
    light:lit lose:lost make:made man:men mean:meant meet:met oversee:oversaw,overseen
    overcome:overcame pay:paid rebuild:rebuilt ride:rode,ridden ring:rang run:ran see:saw,seen
    seek:sought sell:sold send:sent shake:shook,shaken sink:sank,sunk sleep:slept
    speak:spoke,spoken speed:sped spend:spent spin:spun stand:stood steal:stole,stolen
    stick:stuck strike:struck swear:swore,sworn sweep:swept take:took,taken teach:taught
    think:thought throw:threw,thrown understand:understood uphold:upheld wear:wore,worn
    weep:wept win:won withdraw:withdrew,withdrawn woman:women write:wrote,written
    """.split()
    for base, forms in [entry.split(":")]
    for form in forms.split(",")
}


# the combining marks NFKD splits accents into (diacritics and their extensions)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def folded(text: str) -> str:
    """`text` lower-cased, its letters without accents, so that a question typed without
    them finds the name written with them.

    >>> folded("Erdoğan met Sánchez in Zürich")
    'erdogan met sanchez in zurich'
    """
    text = text.lower()
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def lexical_terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words without accents, the vocabulary BM25 and
    overlap scoring share.

    >>> lexical_terms("The talks were breaking down, officials said.")
    ['talk', 'break', 'offici']
    >>> lexical_terms("Which team won?") == lexical_terms("Which team wins?")
    True
    >>> lexical_terms("Sánchez called an election.") == lexical_terms("Sanchez called an election.")
    True
    """
    if _DOTTED.search(text):
        text = _ACRONYM.sub(lambda m: m.group().replace(".", ""), text)
    words = _WORD.findall(folded(text))
    known = _TERM_OF
    try:  # every word seen before, as in most texts: one pass
        return [t for w in words if (t := known[w])]
    except KeyError:
        pass
    learned = _terms_of(w for w in words if w not in known)
    if len(known) < _TERM_OF_LIMIT:
        known.update(learned)  # entries are never removed, so a lookup cannot miss
    return [t for w in words if (t := learned[w] if w in learned else known[w])]


# the version of sentence_names stored beside each sentence's terms (sentence_vectors.py)
NAMES_VERSION = 1
# a capitalised word inside a sentence, a word in capitals, a figure. It opens on the
# class of their first character, which the regex engine scans for before trying a
# match (0.76 of the time of a lookahead in front, half that of no prefix at all); each
# branch then looks back at what precedes that character
_NAMES = re.compile(
    r"[A-Z\d](?:(?<=\S\s[A-Z])[\w’'.-]*[A-Za-z]|(?<=\b[A-Z])[A-Z]+\b|(?<=\b\d)[\d,.:]*\b)"
)


def sentence_names(sentence: str) -> list[str]:
    """The names and figures of a sentence, lower-cased, each once, in order: its
    capitalised words (not the one that opens it), its words in capitals, its figures.
    What the sentence ranker counts as naming something (qa/extractive/ranker.py).

    >>> sentence_names("The Colorado Avalanche won the Cup in 2022, NHL officials said.")
    ['colorado', 'avalanche', 'cup', '2022', 'nhl']
    """
    return list(dict.fromkeys(map(str.lower, _NAMES.findall(sentence))))


# each word as the text spells it (lower-cased, folded) -> its term, "" for a stopword;
# a bounded memo of the words seen so far, so that a word is stemmed once, not per text
_TERM_OF: dict[str, str] = {}
_TERM_OF_LIMIT = 200_000


def _terms_of(words: Iterable[str]) -> dict[str, str]:
    """The term of each word: possessive dropped, stopwords "", irregular forms read as
    their base, then stemmed."""
    unique = list(dict.fromkeys(words))
    bases = []
    for word in unique:
        word = word.replace("’", "'")
        word = word[:-2] if word.endswith("'s") else word
        bases.append("" if word in STOPWORDS else _IRREGULAR.get(word, word))
    stems = iter(_stemmer().stemWords([b for b in bases if b]))
    return {w: next(stems) if b else "" for w, b in zip(unique, bases, strict=True)}


class LexicalIndex:
    """BM25 scores over chunk ids; `scores` gives one score per chunk, in `chunk_ids` order."""

    def __init__(self, chunk_ids: list[str], retriever: object | None, stamp: int) -> None:
        self.chunk_ids = chunk_ids
        self.position = {cid: i for i, cid in enumerate(chunk_ids)}
        self._retriever = retriever
        self.stamp = stamp

    @classmethod
    def build(cls, docs: Iterable[tuple[str, str]], stamp: int) -> LexicalIndex:
        """Index (chunk_id, text) pairs."""
        bm25s = _bm25s()
        ids: list[str] = []
        tokens: list[list[str]] = []
        for chunk_id, text in docs:
            ids.append(chunk_id)
            tokens.append(lexical_terms(text) or ["\x00empty"])
        if not ids:
            return cls([], None, stamp)
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        return cls(ids, retriever, stamp)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for `query` (zeros when no term is known)."""
        if self._retriever is None:
            return np.zeros(0, dtype=np.float32)
        vocab = self._retriever.vocab_dict  # type: ignore[attr-defined]
        terms = [t for t in lexical_terms(query) if t in vocab]
        if not terms:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return np.asarray(self._retriever.get_scores(terms), dtype=np.float32)  # type: ignore[attr-defined]

    def knows(self, term: str) -> bool:
        """Whether some indexed chunk holds `term` (a `lexical_terms` term)."""
        return term in self._vocabulary()

    def terms(self) -> list[str]:
        """Every term some indexed chunk holds."""
        return list(self._vocabulary())

    def _vocabulary(self) -> Mapping[str, int]:
        if self._retriever is None:
            return {}
        return cast(Mapping[str, int], self._retriever.vocab_dict)  # type: ignore[attr-defined]

    def save(self, directory: Path) -> None:
        """Write atomically: a crash mid-save leaves the previous copy (or none)."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        for stale in directory.parent.glob(".lexical-*"):  # left by a save that was killed
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=".lexical-", dir=directory.parent))
        try:
            if self._retriever is not None:
                self._retriever.save(str(tmp / "bm25"))  # type: ignore[attr-defined]
            (tmp / "chunk_ids.json").write_text(json.dumps(self.chunk_ids))
            stamp = {"stamp": self.stamp, "terms": TERMS_VERSION}
            (tmp / "stamp.json").write_text(json.dumps(stamp))
            old = directory.with_name(directory.name + ".old")
            if directory.exists():
                shutil.rmtree(old, ignore_errors=True)
                os.replace(directory, old)
            os.replace(tmp, directory)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex | None:
        """The saved index, or None when there is none, it is unreadable, or it was
        built with other terms than `lexical_terms` gives now."""
        try:
            saved = json.loads((directory / "stamp.json").read_text())
            stamp = int(saved["stamp"])
            if saved.get("terms", 1) != TERMS_VERSION:
                log.info("lexical index at %s has older terms; it will be rebuilt", directory)
                return None
            chunk_ids = json.loads((directory / "chunk_ids.json").read_text())
            retriever = None
            if chunk_ids:
                # memory-mapped: a cold start reads only the pages a query touches, and
                # a save replaces the files by rename, so a mapped copy stays valid
                retriever = _bm25s().BM25.load(str(directory / "bm25"), mmap=True)
        except (OSError, ValueError, KeyError) as exc:
            log.info("lexical index at %s not usable (%s); it will be rebuilt", directory, exc)
            return None
        return cls(chunk_ids, retriever, stamp)


def top_indices(scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[int]:
    """Positions of the k highest positive scores, best first, where `mask` allows.

    >>> top_indices(np.array([0.5, 0.0, 2.0, 1.0]), 2)
    [2, 3]
    """
    if mask is not None:
        scores = np.where(mask, scores, 0.0)
    positive = int(np.count_nonzero(scores > 0))
    k = min(k, positive)
    if k <= 0:
        return []
    part = np.argpartition(-scores, k - 1)[:k]
    return [int(i) for i in part[np.argsort(-scores[part], kind="stable")]]
