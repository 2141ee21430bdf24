"""Near-duplicate threshold: where "the same story, lightly edited" ends and "the same
topic, another story" begins, measured on the corpus's own pairs.

    .venv/bin/python benchmarks/near_duplicate_threshold.py \
        | tee benchmarks/results/near-duplicates.txt

1. Signatures of every corpus article for each shingle size in SHINGLE_SIZES (ms/article).
2. Candidate pairs: every pair whose estimated Jaccard reaches CANDIDATE_THRESHOLD
   under any shingle size (an LSH index at that threshold, verified).
3. The exact Jaccard of each candidate pair's shingle sets, per shingle size, as a
   histogram.
4. SAMPLE_PER_BAND pairs from each 0.1 band of the exact Jaccard at SAMPLE_SHINGLE,
   printed so that a person can judge them: the page of each side and the first
   sentence each has that the other lacks. LABELS holds the judgements of the full run.
5. From the labels, per shingle size: the lowest threshold with no labelled false merge
   and the share of labelled copies it keeps; then index.near_duplicates' own decision
   (SHINGLE, THRESHOLD, estimated similarity) on every labelled pair.
6. Grouping the whole corpus with `assign_group` at THRESHOLD: time, group sizes,
   bridges, LSH recall, and the largest groups' pages.

`--limit N` reads the first N articles for a quick run (most labelled pairs then fall
outside it). The corpus is read in place and nothing is written.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from index.near_duplicates import (
    NUM_PERM,
    SHINGLE,
    THRESHOLD,
    NearDuplicateIndex,
    assign_group,
    shingles,
    signature,
    similarity,
    words,
)
from index.records import text_hash
from index.sentences import split_sentences

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "news_corpus.jsonl.gz"
SHINGLE_SIZES = (3, 4, 5)
CANDIDATE_THRESHOLD = 0.3
SAMPLE_SHINGLE = 3  # the bands are cut on this size's Jaccard, whatever SHINGLE is
SAMPLE_PER_BAND = 10
GRID = [round(0.2 + 0.05 * i, 2) for i in range(16)]  # thresholds tried: 0.20 .. 0.95

# (id, id) sorted -> (label, why), from reading the full run's samples.
# "copy": the same story, lightly edited (another outlet's copy, an update, a re-post);
# "other": not the same story (same topic or shared boilerplate only).
# Read from the page, the titles and the first differing sentences the run prints;
# [n] is the sample's number in a run at 128 permutations; the rest were sampled by the
# run at 256 (benchmarks/results/near-duplicates.txt), whose candidate pairs differ a little.
LABELS: dict[tuple[str, str], tuple[str, str]] = {
    ("2b2059ac0b014ce9", "a4286f4e59fa4e7a"): (
        "other",
        "two 3G shutdown stories three weeks apart",
    ),  # [1]
    ("2b155dbf31aaa3f2", "379f1c0335889ae8"): ("other", "two Mega Millions draws"),  # [2]
    ("458da7fbff25048c", "d4bcc2d8b63fb63f"): ("other", "Marshall's death, then its cause"),  # [3]
    ("47b3fcdb155f874a", "8dc70f763ee3c2e9"): ("other", "two days of winter storm coverage"),  # [4]
    ("379f1c0335889ae8", "ab2e0a59a0232935"): ("other", "two Mega Millions draws"),  # [5]
    ("684a03a1fa8f56cf", "9482d41615f31e91"): (
        "copy",
        "same URL slug, the story expanded from 6.5k to 14k characters",
    ),  # [6]
    ("9c10f1d66ba84e0d", "e176cdd79d294814"): ("other", "two Mega Millions draws"),  # [7]
    ("1c6018ecb198f1fc", "c90b8132efbdc818"): ("other", "the Doomsday Clock of two years"),  # [8]
    ("241242c18ccecf86", "8dc70f763ee3c2e9"): ("other", "two days of winter storm coverage"),  # [9]
    ("73e14694a7398c45", "ed68e40137ed72df"): (
        "other",
        "two days of Iran protest coverage",
    ),  # [10]
    ("a9561c326788d7fb", "ad32a425caa173ad"): (
        "other",
        "two days of winter storm coverage",
    ),  # [11]
    ("690232be3551a512", "df529b4cd0654206"): ("other", "two '5 things' newsletters"),  # [12]
    ("59b8ca3cd8145a66", "5b8924318c23765c"): ("other", "two '5 things' newsletters"),  # [13]
    ("4d1d483a44ed609d", "da39bf5d29ebed52"): ("other", "two Hurricane Ian stories"),  # [14]
    ("6fb7fdf06a1f4477", "d6231689ed71d2d1"): ("other", "Emmy nominations, then winners"),  # [15]
    ("3a6fe072f3cf862c", "94a5205e7d3fb764"): ("other", "two '5 things' newsletters"),  # [16]
    ("29658fdde5d6e635", "c84aa12ae787008a"): (
        "other",
        "two Arizona heat lists five years apart, rewritten",
    ),  # [17]
    ("08f0c6cbe7de1b21", "916d47cf2f62c730"): ("other", "two '5 things' newsletters"),  # [18]
    ("da39bf5d29ebed52", "e10c309f3ab8bcdb"): ("other", "two Hurricane Ian stories"),  # [19]
    ("2fe4fc5b2b357ad6", "f2b7ad777bc4d784"): (
        "other",
        "two Chris Rock stories, written apart",
    ),  # [20]
    ("59b8ca3cd8145a66", "60f4b29cb57917e5"): ("other", "two '5 things' newsletters"),  # [21]
    ("68b4b358aca24530", "ff9c673245919a67"): ("other", "two '5 things' newsletters"),  # [22]
    ("6fea6e0e4c9e3b94", "938dd2824d4f5e0e"): (
        "other",
        "two Thanksgiving explainers seven years apart",
    ),  # [23]
    ("4c258a9925262890", "5b8924318c23765c"): ("other", "two '5 things' newsletters"),  # [24]
    ("2f3df91103194d23", "6b1df19ffcee757e"): ("other", "two '5 things' newsletters"),  # [25]
    ("4533d55fedd4e6c6", "b84dddff1cac3276"): ("other", "two '5 things' newsletters"),  # [26]
    ("672e73fa6b26cbe8", "eb5b1e7bf8600dc9"): ("other", "strikes begin, then job cuts"),  # [27]
    ("0f0c31cf889208ac", "607164bbd3b7da83"): ("other", "Venice, then the Met Gala"),  # [28]
    ("0c02e6d2d72d1ebe", "55b2d2963611be3e"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [29]
    ("32162068b70797b1", "75531c2056dcb143"): ("other", "BTS visit announced, then held"),  # [30]
    ("0c02e6d2d72d1ebe", "91523007a8a3ce7e"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [31]
    ("3a072231913dbe6e", "9a6144147227486f"): ("other", "solstice explainers of two years"),  # [32]
    ("0c02e6d2d72d1ebe", "13b1f87776a2c550"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [33]
    ("19ec147f560508d1", "9a6144147227486f"): ("other", "solstice explainers of two years"),  # [34]
    ("752965cf805f3ea5", "c11209e5770cba3b"): (
        "other",
        "two Diwali stories sharing an introduction",
    ),  # [35]
    ("9a6144147227486f", "d798078bded11a4c"): ("other", "solstice explainers of two years"),  # [36]
    ("1a31eef102a787c7", "654a40a606cff2d3"): (
        "copy",
        "the same Q&A page updated three weeks later",
    ),  # [37]
    ("0257ab926b1723b1", "758ff34a635cc1c8"): (
        "copy",
        "the State of the Union transcript as USA Today and CNN carry it",
    ),  # [38]
    ("0f8e6b68ea890412", "3bf903c67f63a578"): (
        "other",
        "Haley's announcement and a 'what to know' reusing its paragraphs",
    ),  # [39]
    ("47ef192b7c94ac57", "e5b49f85e19b9f68"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [40]
    ("77c206f91f6dbd78", "bfd16f4d10b3b889"): ("other", "DART's approach, then its impact"),  # [41]
    ("eb809094d3ddeb17", "eed26c6af0879849"): (
        "other",
        "two days' press conference notices on one template",
    ),  # [42]
    ("47ef192b7c94ac57", "d7fd861764efab61"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [43]
    ("d69b99c130a8bf46", "e5b49f85e19b9f68"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [44]
    ("19ec147f560508d1", "d798078bded11a4c"): ("other", "solstice explainers of two years"),  # [45]
    ("47ef192b7c94ac57", "d69b99c130a8bf46"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [46]
    ("25ee70f73a9eed91", "d63aa24b33e1088e"): (
        "other",
        "two shopping round-ups a fortnight apart",
    ),  # [47]
    ("58e31517a95816e9", "91523007a8a3ce7e"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [48]
    ("bfc93bab834d8d3b", "d7fd861764efab61"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [49]
    ("47ef192b7c94ac57", "58e31517a95816e9"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [50]
    ("ca4803d0e677e9f9", "fdf9f118928b4a51"): (
        "other",
        "'this date in baseball' of two years",
    ),  # [51]
    ("bfc93bab834d8d3b", "e6469cf178b229c5"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [52]
    ("0e0369ba0c035931", "e17cfc194000d749"): (
        "copy",
        "one Grand Canyon story in two USA Today editions",
    ),  # [53]
    ("61f1ae1b863b4aca", "e8d5d126e4172601"): (
        "copy",
        "the Artemis rehearsal story updated once it began",
    ),  # [54]
    ("58e31517a95816e9", "e6469cf178b229c5"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [55]
    ("2c79ce761c9ba105", "40ee757596d47e08"): (
        "copy",
        "the Brady retirement story updated two days on",
    ),  # [56]
    ("2b9049c11637082e", "6776f746010368a8"): (
        "other",
        "two NFL week previews on one template",
    ),  # [57]
    ("13b1f87776a2c550", "d69b99c130a8bf46"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [58]
    ("13b1f87776a2c550", "bfc93bab834d8d3b"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [59]
    ("628643aca9215920", "a57583edf553015b"): (
        "other",
        "two days of a Hurricane Ian live blog",
    ),  # [60]
    ("05b3c838b484625b", "dfb16eae28c819a7"): ("other", "Wahl's death, then the tributes"),  # [61]
    ("13b1f87776a2c550", "58e31517a95816e9"): (
        "other",
        "two World Cup stories sharing CNN's page furniture",
    ),  # [62]
    ("4aaf78ed659ae380", "bff245a4367139cb"): ("copy", "one page under two URLs"),  # [63]
    ("ada9e288193b56a5", "bcaf1355e2964e74"): (
        "copy",
        "one story in two USA Today editions",
    ),  # [64]
    ("58a48cddbcd3a41a", "8c8be51c35c944d4"): (
        "copy",
        "one story in two versions of a page",
    ),  # [65]
    ("b044b1fa5193b415", "c5345c17a94e486a"): ("copy", "one page under two URLs"),  # [66]
    ("31c6ebf7643a9acb", "76af171f7c9d0a8f"): (
        "other",
        "two Ukraine stories sharing a 226-photo gallery",
    ),  # [67]
    ("0f5bd2808c32d003", "266fb4eb3af2e67c"): (
        "copy",
        "one AP recall story in two USA Today versions",
    ),  # [68]
    ("061d398d55d13729", "1c9c71dd73493269"): (
        "copy",
        "the SpaceX launch story updated on docking",
    ),  # [69]
    ("02db6ce446580192", "8b5a1ec1f277a394"): ("copy", "one page under two URLs"),  # [70]
    ("8375d8793e8d4904", "a671c757ab7b6a43"): (
        "copy",
        "the Truss profile re-run when she took office",
    ),  # [71]
    ("27663ab38f3da455", "e55fcc90083af424"): ("copy", "one story re-posted a day later"),  # [72]
    ("56ffe1fabd5c19ed", "5eb84c7aa544aa9e"): ("copy", "one page under two URLs"),  # [73]
    ("1a392499c1275e99", "b26e3d0a43cc8b9d"): ("copy", "one story under two URLs"),  # [74]
    ("367a5315bf05fecc", "d4f7f3ffa8110257"): (
        "copy",
        "the same long feature re-posted five years on",
    ),  # [75]
    ("3616d0eaabff443f", "de451e6069a26b18"): ("copy", "one page under two URLs"),  # [76]
    ("1a854e13858e0397", "930464ebc0568317"): ("copy", "one page under two URLs"),  # [77]
    ("3616d0eaabff443f", "36cdf32c57606548"): (
        "other",
        "Sunak's profile, then India's view of him",
    ),  # 256-permutation run
    ("241242c18ccecf86", "ad32a425caa173ad"): (
        "other",
        "two days of winter storm coverage",
    ),  # 256-permutation run
    ("29f41afd2ebd62bd", "4d1d483a44ed609d"): (
        "other",
        "two Hurricane Ian stories",
    ),  # 256-permutation run
    ("0016b6bf232a7c35", "508ec6775be3333c"): (
        "copy",
        "one newsletter under two URLs, captured at different times",
    ),  # 256-permutation run
    ("2f3df91103194d23", "f6ce9c2d92aa2082"): (
        "other",
        "two '5 things' newsletters",
    ),  # 256-permutation run
    ("a50732477a26db66", "bfc056593c620772"): (
        "other",
        "two Phoenix concert listings",
    ),  # 256-permutation run
    ("3f3f402093420873", "a583c58082184860"): (
        "other",
        "solstice explainers of two years",
    ),  # 256-permutation run
    ("60f4b29cb57917e5", "f6ce9c2d92aa2082"): (
        "other",
        "two '5 things' newsletters",
    ),  # 256-permutation run
    ("47b3fcdb155f874a", "a9561c326788d7fb"): (
        "other",
        "two days of winter storm coverage",
    ),  # 256-permutation run
    ("062c2fb6b2a285b5", "d8481c6c71270601"): (
        "other",
        "two best-cities rankings",
    ),  # 256-permutation run
    ("8308929447fabd73", "f48398a53887e7c9"): (
        "copy",
        "the SEC story updated once the proposal came, same URL slug",
    ),  # 256-permutation run
    ("241242c18ccecf86", "47b3fcdb155f874a"): (
        "other",
        "two days of winter storm coverage",
    ),  # 256-permutation run
    ("8dc70f763ee3c2e9", "a9561c326788d7fb"): (
        "other",
        "two days of winter storm coverage",
    ),  # 256-permutation run
    ("3b96560b73cc6216", "756ef33cf0ffc6b9"): (
        "other",
        "Christmas openings of two years",
    ),  # 256-permutation run
    ("073e729d99ec82a5", "091a65d1bb472e4b"): (
        "other",
        "Giuliani asks for a delay, then gets it",
    ),  # 256-permutation run
    ("0d98d9824558d420", "125b2f0f34859ee7"): (
        "other",
        "two tax-season explainers",
    ),  # 256-permutation run
}


@dataclass(frozen=True)
class Doc:
    """One corpus article, as much of it as this benchmark reads."""

    id: str
    url: str
    title: str
    date: str | None
    text: str

    @property
    def page(self) -> str:
        parsed = urlparse(self.url)
        return f"{parsed.netloc.removeprefix('www.')}{parsed.path}"[:110]


@dataclass(frozen=True)
class Pair:
    """A candidate pair: exact Jaccard per shingle size, estimated at SHINGLE."""

    a: int  # index into the corpus list, a < b
    b: int
    exact: dict[int, float]
    estimated: float
    identical: bool  # the same text, whitespace aside


def read_corpus(path: Path, limit: int | None) -> list[Doc]:
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            docs.append(
                Doc(
                    record["id"],
                    record["url"],
                    record.get("title") or "",
                    record.get("date"),
                    record["text"],
                )
            )
            if limit is not None and len(docs) >= limit:
                break
    return docs


def jaccard(a: set[str], b: set[str]) -> float:
    """Exact Jaccard similarity of two sets.

    >>> jaccard({"a", "b"}, {"b", "c"})
    0.3333333333333333
    """
    return len(a & b) / len(a | b) if a or b else 0.0


def band_of(value: float) -> int:
    """0 for [0, 0.1), ..., 9 for [0.9, 1.0]."""
    return min(int(value * 10), 9)


def band_name(band: int) -> str:
    return f"{band / 10:.1f}-{(band + 1) / 10:.1f}"


def first_difference(text: str, other: str) -> str:
    """The first sentence of `text` whose words are not a sentence of `other`."""
    theirs = {tuple(words(other[s:e])) for s, e in split_sentences(other)}
    for s, e in split_sentences(text):
        mine = tuple(words(text[s:e]))
        if mine and mine not in theirs:
            return " ".join(text[s:e].split())[:170]
    return "(none: every sentence is in the other)"


def signatures(docs: Sequence[Doc]) -> dict[int, list[bytes]]:
    out = {}
    for k in SHINGLE_SIZES:
        start = time.perf_counter()
        cpu = time.process_time()
        out[k] = [signature(d.text, shingle_size=k) for d in docs]
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        mark = "  <- SHINGLE" if k == SHINGLE else ""
        print(
            f"  k={k}: {1000 * wall / len(docs):.2f} ms/article wall, "
            f"{1000 * cpu / len(docs):.2f} ms CPU ({wall:.0f} s for {len(docs)}){mark}"
        )
    return out


def candidate_pairs(docs: Sequence[Doc], sigs: dict[int, list[bytes]]) -> list[Pair]:
    found: set[tuple[int, int]] = set()
    position = {d.id: i for i, d in enumerate(docs)}
    for k in SHINGLE_SIZES:
        index = NearDuplicateIndex(threshold=CANDIDATE_THRESHOLD)
        for i, d in enumerate(docs):
            found.update((position[j], i) for j in index.candidates(sigs[k][i]))
            index.add(d.id, sigs[k][i])
    cache: dict[tuple[int, int], set[str]] = {}

    def sets(i: int, k: int) -> set[str]:
        if (i, k) not in cache:
            cache[(i, k)] = shingles(docs[i].text, k)
        return cache[(i, k)]

    return [
        Pair(
            a,
            b,
            {k: jaccard(sets(a, k), sets(b, k)) for k in SHINGLE_SIZES},
            similarity(sigs[SHINGLE][a], sigs[SHINGLE][b]),
            text_hash(docs[a].text) == text_hash(docs[b].text),
        )
        for a, b in sorted(found)
    ]


def key_of(docs: Sequence[Doc], pair: Pair) -> tuple[str, str]:
    first, second = sorted((docs[pair.a].id, docs[pair.b].id))
    return first, second


def print_histogram(pairs: Sequence[Pair]) -> None:
    print(f"{'exact Jaccard':<14}" + "".join(f"{f'k={k}':>8}" for k in SHINGLE_SIZES))
    for band in range(10):
        counts = [sum(band_of(p.exact[k]) == band for p in pairs) for k in SHINGLE_SIZES]
        print(f"{band_name(band):<14}" + "".join(f"{c:>8}" for c in counts))
    print(f"{'all':<14}" + "".join(f"{len(pairs):>8}" for _ in SHINGLE_SIZES))


def print_identical(docs: Sequence[Doc], pairs: Sequence[Pair]) -> None:
    """Pairs of identical texts need no reading of the text, only of the titles."""
    clusters: dict[str, set[int]] = {}
    for p in pairs:
        if p.identical:
            clusters.setdefault(text_hash(docs[p.a].text), set()).update((p.a, p.b))
    same_title = sum(p.identical and docs[p.a].title == docs[p.b].title for p in pairs)
    identical = sum(p.identical for p in pairs)
    sizes = Counter(len(c) for c in clusters.values())
    print(
        f"identical texts: {identical} pairs ({same_title} with the same title) in "
        f"{len(clusters)} sets of articles; set sizes (size: sets) "
        + ", ".join(f"{size}: {count}" for size, count in sorted(sizes.items()))
    )
    for members in sorted(clusters.values(), key=len, reverse=True):
        if len(members) < 3:
            break
        first = docs[min(members)]
        titles = len({docs[i].title for i in members})
        print(f"  {len(members)} articles, {titles} different titles, {len(first.text)} ch:")
        print(f"      text: {' '.join(first.text.split())[:150]}...")
        for i in sorted(members)[:4]:
            print(f"      {docs[i].date}  {docs[i].title[:70]}  ({docs[i].page[:60]})")


def sample(pairs: Sequence[Pair], per_band: int) -> list[Pair]:
    rng = random.Random(0)
    chosen: list[Pair] = []
    for band in range(10):
        members = [p for p in pairs if not p.identical and band_of(p.exact[SAMPLE_SHINGLE]) == band]
        chosen += sorted(rng.sample(members, min(per_band, len(members))), key=lambda p: p.exact[3])
    return chosen


def print_samples(docs: Sequence[Doc], chosen: Sequence[Pair]) -> None:
    band = -1
    for n, p in enumerate(chosen, 1):
        if band_of(p.exact[SAMPLE_SHINGLE]) != band:
            band = band_of(p.exact[SAMPLE_SHINGLE])
            print(f"\n--- band {band_name(band)} (exact Jaccard at k={SAMPLE_SHINGLE}) ---")
        a, b = docs[p.a], docs[p.b]
        label, why = LABELS.get(key_of(docs, p), ("?", "not labelled"))
        exact = " ".join(f"k{k}={p.exact[k]:.2f}" for k in SHINGLE_SIZES)
        print(f"[{n}] {label.upper()}: {why}")
        print(f"    {exact}  est(k{SHINGLE})={p.estimated:.2f}  ids {a.id} {b.id}")
        for doc, other in ((a, b), (b, a)):
            print(f"    {doc.date} {len(doc.text):>6} ch  {doc.page}")
            print(f"        title: {doc.title[:150]}")
            print(f"        only here: {first_difference(doc.text, other.text)}")


def evaluate_labels(docs: Sequence[Doc], pairs: Sequence[Pair]) -> None:
    labelled = [(p, LABELS[key_of(docs, p)][0]) for p in pairs if key_of(docs, p) in LABELS]
    copies = [p for p, label in labelled if label == "copy"]
    others = [p for p, label in labelled if label == "other"]
    print(f"labelled pairs in this run: {len(labelled)} ({len(copies)} copy, {len(others)} other)")
    if not copies or not others:
        print("  (too few labelled pairs in this run to choose a threshold)")
        return
    print(
        f"{'k':>2} {'max other':>10} {'min copy':>9} {'threshold':>10} {'copies kept':>12}"
        "   (threshold: the lowest on the grid above every labelled 'other')"
    )
    for k in SHINGLE_SIZES:
        top_other = max(p.exact[k] for p in others)
        low_copy = min(p.exact[k] for p in copies)
        safe = [t for t in GRID if t > top_other]
        if safe:
            kept = sum(p.exact[k] >= safe[0] for p in copies)
            chosen = f"{safe[0]:>10.2f} {kept:>5}/{len(copies):<6}"
        else:
            chosen = f"{'none':>10}"
        print(f"{k:>2} {top_other:>10.3f} {low_copy:>9.3f} {chosen}")
    print(f"\nestimated Jaccard at k={SHINGLE} (what the module compares) against the labels:")
    print(f"{'threshold':>10} {'copies kept':>12} {'false merges':>13}")
    for t in GRID:
        kept = sum(p.estimated >= t for p in copies)
        merged = sum(p.estimated >= t for p in others)
        print(f"{t:>10.2f} {kept:>5}/{len(copies):<6} {merged:>6}/{len(others):<6}")
    print(
        f"\nthe module's decision (SHINGLE={SHINGLE}, estimated Jaccard >= THRESHOLD={THRESHOLD}):"
    )
    kept = sum(p.estimated >= THRESHOLD for p in copies)
    merged = [p for p in others if p.estimated >= THRESHOLD]
    print(f"  copies found: {kept}/{len(copies)}   false merges: {len(merged)}/{len(others)}")
    for p in sorted(copies, key=lambda p: p.estimated):
        if p.estimated < THRESHOLD:
            why = LABELS[key_of(docs, p)][1]
            print(f"  missed copy: est {p.estimated:.2f}, exact {p.exact[SHINGLE]:.2f}: {why}")
    for p in merged:
        why = LABELS[key_of(docs, p)][1]
        print(f"  FALSE MERGE: est {p.estimated:.2f}, exact {p.exact[SHINGLE]:.2f}: {why}")


def estimate_error(pairs: Sequence[Pair]) -> None:
    errors = sorted(abs(p.estimated - p.exact[SHINGLE]) for p in pairs)
    if errors:
        p95 = errors[int(0.95 * (len(errors) - 1))]
        mean = sum(errors) / len(errors)
        print(
            f"|estimated - exact| Jaccard at k={SHINGLE}, {NUM_PERM} permutations, over "
            f"{len(errors)} candidate pairs: mean {mean:.3f}, p95 {p95:.3f}, max {errors[-1]:.3f}"
        )


def group_corpus(docs: Sequence[Doc], sigs: Sequence[bytes], pairs: Sequence[Pair]) -> None:
    start = time.perf_counter()
    cpu = time.process_time()
    index = NearDuplicateIndex()
    groups: dict[str, str] = {}
    bridges = 0
    found_pairs = 0
    for d, sig in zip(docs, sigs, strict=True):
        neighbours = index.candidates(sig)
        found_pairs += len(neighbours)
        bridges += len({groups[n] for n in neighbours}) > 1
        groups[d.id] = assign_group(d.id, sig, index, groups)
        index.add(d.id, sig)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"grouped {len(docs)} articles in {wall:.1f} s wall, {cpu:.1f} s CPU "
        f"({1000 * wall / len(docs):.2f} ms/article: LSH query, verify, assign, insert)"
    )
    expected = sum(p.estimated >= THRESHOLD for p in pairs)
    print(
        f"LSH recall at THRESHOLD: {found_pairs} of the {expected} pairs with estimated "
        f"Jaccard >= {THRESHOLD} found by the candidate index at {CANDIDATE_THRESHOLD}"
    )
    members: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        members.setdefault(groups[d.id], []).append(i)
    sizes = Counter(len(m) for m in members.values())
    shown = ", ".join(f"{size}: {count}" for size, count in sorted(sizes.items()))
    print(f"groups: {len(members)}; of size (size: groups) {shown}")
    grouped = sum(len(m) for m in members.values() if len(m) > 1)
    print(
        f"articles in a group of 2 or more: {grouped} ({100 * grouped / len(docs):.1f}%); "
        f"articles whose near-duplicates held two or more labels (bridges): {bridges}"
    )
    for label, found in sorted(members.items(), key=lambda item: -len(item[1]))[:5]:
        print(f"  group {label} ({len(found)} copies):")
        for i in found[:8]:
            print(f"      {docs[i].date} {len(docs[i].text):>6} ch  {docs[i].page}")
        if len(found) > 8:
            print(f"      ... and {len(found) - 8} more")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="read the first N articles")
    parser.add_argument("--per-band", type=int, default=SAMPLE_PER_BAND)
    args = parser.parse_args(argv)

    docs = read_corpus(args.corpus, args.limit)
    print(f"near-duplicate threshold over {len(docs)} articles of {args.corpus.name}")
    print(f"module: SHINGLE={SHINGLE} NUM_PERM={NUM_PERM} THRESHOLD={THRESHOLD}")
    print(f"load average at start: {os.getloadavg()[0]:.2f} (2 shared cores)\n")

    print("signatures:")
    sigs = signatures(docs)
    start = time.perf_counter()
    pairs = candidate_pairs(docs, sigs)
    print(
        f"\ncandidate pairs (estimated Jaccard >= {CANDIDATE_THRESHOLD} at any k): {len(pairs)} "
        f"({time.perf_counter() - start:.0f} s, exact Jaccard included)\n"
    )
    print_histogram(pairs)
    print()
    estimate_error(pairs)

    print()
    print_identical(docs, pairs)

    print(f"\n== sample: up to {args.per_band} pairs per band, identical texts left out ==")
    print_samples(docs, sample(pairs, args.per_band))

    print("\n== labels ==")
    evaluate_labels(docs, pairs)

    print(f"\n== grouping at THRESHOLD={THRESHOLD} ==")
    group_corpus(docs, sigs[SHINGLE], pairs)
    print(f"\nload average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
