"""Near-duplicate articles: one wire story printed by many outlets, lightly edited,
gets one group id.

An article's text becomes a MinHash signature over its word shingles (`SHINGLE` words,
after lowercasing and stripping punctuation), `NUM_PERM` uint32 values kept as bytes in
the catalog. `NearDuplicateIndex` finds an article's near-duplicates with datasketch's
MinHashLSH and keeps only those whose estimated Jaccard similarity is at least
`THRESHOLD` (LSH alone lets some dissimilar pairs through). `assign_group` turns those
near-duplicates into a stored group label; `preferred_copy` ranks a group's copies.

SHINGLE, NUM_PERM and THRESHOLD were chosen on pairs of the 11,343-article corpus read
and labelled by hand: `benchmarks/near_duplicate_threshold.py`, report in
`benchmarks/results/near-duplicates.txt`. Of 85 labelled candidate pairs (21 copies, 64
other stories), the most similar other stories (CNN pages sharing their furniture) reach
an exact Jaccard of 0.83 at 5-word shingles, and 0.85 is the lowest threshold above every
one: it finds 9 of the 21 copies (the same page under two URLs, an AP story in two
editions, a re-post), none of the others. 3-word shingles separate worse (0.90 needed),
4-word ones no better than 5. 256 permutations, not 128: at 128 the estimate's spread
(0.03 at Jaccard 0.9) put an edited copy of exact Jaccard 0.89 at 0.80.

Group labels are stored, never recomputed, so that deleting one copy leaves the other
copies' labels as they were. The rule (`assign_group`):

- an article that already has a label keeps it while one of its near-duplicates shares it,
  or while no other article holds it (a lone article edited stays where it was);
- otherwise it takes the smallest label among its near-duplicates;
- an article with no near-duplicate founds a group: `new_group_id(article_id, signature)`.

A chain joins one group (A~B and B~C but not A~C: C joins B's group, which is A's). An
article that bridges two existing groups joins the smaller label and the groups are
not merged: no other article's label changes when one is added, updated or deleted, at
the price that which group a bridge joins depends on the order articles arrived.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

SHINGLE = 5  # words per shingle
NUM_PERM = 256  # MinHash values per signature: a signature is NUM_PERM * 4 bytes
THRESHOLD = 0.85  # estimated Jaccard of shingle sets at and above which two texts are copies
# LSH bands chosen for recall (false positive, false negative weights): with the default
# (0.5, 0.5) a pair of estimated Jaccard 0.89 was a candidate 78% of the time; with
# these, a pair at THRESHOLD is one 98.5% of the time, at THRESHOLD + 0.04 99.9%, and
# the extra candidates are verified against THRESHOLD
_LSH_WEIGHTS = (0.01, 0.99)
SEED = 1  # fixes the permutations, so signatures compare across processes and versions
_SCHEME = "affine32"  # datasketch 2's default; named so a later default cannot change it
_DTYPE = np.dtype("<u4")

_APOSTROPHES = re.compile(r"['’‘`]")  # "don’t" and "don't" are one word: "dont"
_WORD = re.compile(r"\w+")

ArticleCopy = tuple[str, str | None, int]  # (article id, ISO date or None, text length)


def words(text: str) -> list[str]:
    """The words of `text`, lowercased, punctuation stripped.

    >>> words("The U.S. isn’t “done,” he said—twice.")
    ['the', 'u', 's', 'isnt', 'done', 'he', 'said', 'twice']
    """
    return _WORD.findall(_APOSTROPHES.sub("", text.lower()))


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The set of `size`-word runs of `text`'s words; a shorter text is one shingle.

    >>> sorted(shingles("A cat sat. A cat sat!", size=3))
    ['a cat sat', 'cat sat a', 'sat a cat']
    >>> shingles("Too short", size=3), shingles("...", size=3)
    ({'too short'}, set())
    """
    found = words(text)
    if len(found) < size:
        return {" ".join(found)} if found else set()
    return {" ".join(found[i : i + size]) for i in range(len(found) - size + 1)}


@cache
def _permutations() -> np.ndarray:
    # made once per process: drawing them costs more than hashing a short article
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=_SCHEME).permutations


def signature(text: str, *, shingle_size: int = SHINGLE) -> bytes:
    """The MinHash signature of `text` as `NUM_PERM` little-endian uint32 values, or
    b"" for a text without words (it is nobody's near-duplicate). Signatures made with
    another `shingle_size` are not comparable with the catalog's: that argument is for
    measuring.

    >>> len(signature("Officials said the talks would resume on Monday.")) == 4 * NUM_PERM
    True
    >>> signature("The talks resume.") == signature("the TALKS, resume")
    True
    >>> signature(" -- ")
    b''
    """
    found = shingles(text, shingle_size)
    if not found:
        return b""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations(), scheme=_SCHEME)
    minhash.update_batch(s.encode("utf-8") for s in found)
    return minhash.hashvalues.astype(_DTYPE).tobytes()


def _values(sig: bytes) -> np.ndarray:
    if len(sig) != 4 * NUM_PERM:  # checked first: frombuffer fails on odd lengths its own way
        raise ValueError(
            f"a near-duplicate signature is {4 * NUM_PERM} bytes, not {len(sig)}: "
            "make it with near_duplicates.signature()"
        )
    return np.frombuffer(sig, dtype=_DTYPE)


def similarity(a: bytes, b: bytes) -> float:
    """The Jaccard similarity of two texts' shingle sets, estimated from their
    signatures; 0.0 when either has no words.

    >>> wire = ("Rescuers pulled two more survivors from the rubble of an apartment block on "
    ...         "Tuesday, a week after the earthquake, officials said, as the death toll passed "
    ...         "35,000 and freezing nights put the homeless at risk.")
    >>> similarity(signature(wire), signature(wire + " Follow us for more."))
    0.890625
    >>> similarity(signature(wire), b"")
    0.0
    """
    if not a or not b:
        return 0.0
    return float(np.count_nonzero(_values(a) == _values(b))) / NUM_PERM


def _minhash(sig: bytes) -> MinHash:
    return MinHash(seed=SEED, hashvalues=_values(sig), permutations=_permutations(), scheme=_SCHEME)


class NearDuplicateIndex:
    """The signatures of a set of articles, searchable for an article's near-duplicates.

    In memory; the catalog keeps the signatures and builds one from them.
    """

    def __init__(
        self, signatures: Iterable[tuple[str, bytes]] = (), *, threshold: float = THRESHOLD
    ) -> None:
        """Index `(article id, signature)` pairs; `threshold` is the estimated Jaccard
        similarity a near-duplicate reaches (the default is the measured one)."""
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {threshold}")
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, weights=_LSH_WEIGHTS)
        self._signatures: dict[str, bytes] = {}
        for article_id, sig in signatures:
            self.add(article_id, sig)

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._signatures

    def add(self, article_id: str, sig: bytes) -> None:
        """Index an article's signature, replacing the one it had."""
        self.remove(article_id)
        if sig:
            self._lsh.insert(article_id, _minhash(sig), check_duplication=False)
        self._signatures[article_id] = sig

    def signature_of(self, article_id: str) -> bytes | None:
        """The indexed signature of an article, None when it is not indexed."""
        return self._signatures.get(article_id)

    def remove(self, article_id: str) -> None:
        """Forget an article; nothing happens when it is not indexed."""
        if self._signatures.pop(article_id, b""):
            self._lsh.remove(article_id)

    def candidates(self, sig: bytes) -> list[str]:
        """The indexed articles whose estimated similarity to `sig` reaches the
        threshold, most similar first (then by id); an indexed article finds itself."""
        if not sig:
            return []
        found = [
            (similarity(sig, self._signatures[key]), key) for key in self._lsh.query(_minhash(sig))
        ]
        kept = [(-score, key) for score, key in found if score >= self.threshold]
        return [key for _, key in sorted(kept)]


def new_group_id(article_id: str, sig: bytes) -> str:
    """The label of a group an article founds: a hash of its id and signature, so
    that a founder whose text changes (and leaves its old copies) never founds a group
    under the label they still hold.

    >>> new_group_id("a1", b"") == new_group_id("a1", b"")
    True
    >>> new_group_id("a1", b"") != new_group_id("a1", signature("new text"))
    True
    """
    digest = hashlib.sha256(article_id.encode("utf-8") + b"\x1f" + sig)
    return "g" + digest.hexdigest()[:15]


def assign_group(
    article_id: str, sig: bytes, index: NearDuplicateIndex, groups: Mapping[str, str]
) -> str:
    """The group label to store for an article (the rule is in the module docstring).

    `index` holds the other articles' signatures (the article's own, if present, is
    ignored) and `groups` maps article ids to their stored labels. Only this article's
    label is decided: nobody else's changes. Call it when an article is added or its
    text changes; an unchanged article keeps its stored label, and calling it again
    gives that label back.

    >>> index = NearDuplicateIndex()
    >>> wire = ("Rescuers pulled two more survivors from the rubble of an apartment block on "
    ...         "Tuesday, a week after the earthquake, officials said, as the death toll passed "
    ...         "35,000 and freezing nights put the homeless at risk.")
    >>> index.add("ap-1", signature(wire))
    >>> groups = {"ap-1": "g-ap-1"}
    >>> assign_group("copy", signature(wire + " Follow us."), index, groups)
    'g-ap-1'
    """
    labels = {groups[n] for n in index.candidates(sig) if n != article_id and n in groups}
    current = groups.get(article_id)
    if current is not None and (
        current in labels
        # a scan of every label, but only for an edited article that lost its copies
        or (not labels and not any(g == current for k, g in groups.items() if k != article_id))
    ):
        return current
    return min(labels) if labels else new_group_id(article_id, sig)


class GroupAssigner:
    """The stored signatures and group labels of an index, and the rule that labels a
    new or changed article (`assign_group`), kept up to date as articles are labelled.

    >>> wire = ("Rescuers pulled two more survivors from the rubble of an apartment block on "
    ...         "Tuesday, a week after the earthquake, officials said, as the death toll passed "
    ...         "35,000 and freezing nights put the homeless at risk.")
    >>> groups = GroupAssigner([("ap-1", signature(wire), "g-ap-1")])
    >>> groups.assign("copy", signature(wire + " Follow us."))
    'g-ap-1'
    >>> groups.assign("other", signature("The central bank held rates at 5.25 percent."))[:1]
    'g'
    """

    def __init__(self, stored: Iterable[tuple[str, bytes, str]] = ()) -> None:
        """`stored`: (article id, signature, group label) of the articles labelled so far."""
        self.index = NearDuplicateIndex()
        self.groups: dict[str, str] = {}
        for article_id, sig, group in stored:
            self.index.add(article_id, sig)
            self.groups[article_id] = group

    def assign(self, article_id: str, sig: bytes) -> str:
        """The label of an article whose text has signature `sig`, remembered for the
        articles labelled after it. An article whose signature is unchanged keeps its label."""
        current = self.groups.get(article_id)
        if current is None or self.index.signature_of(article_id) != sig:
            current = assign_group(article_id, sig, self.index, self.groups)
            self.index.add(article_id, sig)
            self.groups[article_id] = current
        return current


def preferred_copy(copies: Sequence[ArticleCopy], as_of: str | None = None) -> str:
    """The copy to show of a group's `(article id, date, text length)` copies: the one
    nearest to `as_of` and not after it (the newest when `as_of` is None), then the
    longest, then the smallest id. Undated copies come after dated ones.

    >>> copies = [("a", "2023-06-01", 900), ("b", "2023-06-03", 800), ("c", "2023-06-03", 950)]
    >>> preferred_copy(copies), preferred_copy(copies, as_of="2023-06-02")
    ('c', 'a')

    When every copy is dated after `as_of`, the earliest of them is nearest.

    >>> preferred_copy(copies, as_of="2023-05-01"), preferred_copy([("x", None, 5)])
    ('a', 'x')
    """
    if not copies:
        raise ValueError("preferred_copy of no copies")
    day = as_of[:10] if as_of else None
    eligible = [c for c in copies if day is None or c[1] is None or c[1][:10] <= day]
    if not eligible:
        first = min(c[1][:10] for c in copies if c[1])
        eligible = [c for c in copies if c[1] and c[1][:10] == first]
    # newest first: dates sort as ISO strings, so compare them negated through a key
    dated = sorted({c[1][:10] for c in eligible if c[1]}, reverse=True)
    rank = {d: i for i, d in enumerate(dated)}

    def key(copy: ArticleCopy) -> tuple[int, int, str]:
        article_id, date, length = copy
        return (rank[date[:10]] if date else len(rank), -length, article_id)

    return min(eligible, key=key)[0]
