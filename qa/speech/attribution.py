"""Who said what: attribute an article's sentences to the speakers they report.

Regex heuristics tuned on wire-style news prose. No parser and no model: a sentence is
attributed when it carries a speech verb next to a speaker ("X said", "said X",
"according to X"), when it continues a quotation whose attribution lies in
another sentence, or when its speaker is a pronoun carried from the last named
speaker of the matching kind.

A whole-article pass costs milliseconds, which adds up over the articles an answer
reads (15 of an answer's 35 ms at 10k chunks), so ingest stores every sentence's
speaker through `SpeakerLabeller`, and the query path labels live only what the
index lacks.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import index.sentences
from index.records import Article, Span
from index.sentences import split_sentences
from qa.speech.discourse import (
    QuoteScan,
    Referents,
    full_names,
    inside,
    is_bare_quote,
    lower_case_words,
    opens_on,
    resolve,
    scan_quotes,
    spread_in_paragraphs,
    spread_in_quotations,
    subject_match,
    subject_mention,
)
from qa.speech.lexicon import TITLES
from qa.speech.patterns import (
    ACCORDING_RE,
    ADVERB_WORDS,
    CLAUSE_PRONOUN_RE,
    CLOSING,
    CONJUNCTION_END_RE,
    CUE_RE,
    DESCRIBED_NAME_RE,
    DETERMINERS,
    HEAD_SUFFIX_RE,
    HEAD_WORDS,
    INVERTED_RE,
    LAST_WORD_RE,
    LEAD_SUBJECT_RE,
    MODIFIER_RE,
    NAME_END_RE,
    NAME_RE,
    NAME_THEN_VERB_RE,
    NOT_APPOSITIVE,
    NOT_MODIFIER_WORDS,
    OPENING,
    ORG_CHAIN_RE,
    ORG_LEADS,
    OWNED_DOCUMENT_RE,
    PARTICIPLE_RE,
    PREPOSITIONS,
    PRONOUNS,
    STOP_WORDS,
    SUBORDINATOR_END_RE,
    VERB_RE,
    WORD_RE,
)
from qa.speech.phrases import (
    Speaker,
    named_after,
    speaker_from_name,
    speaker_from_np,
    speaker_from_source,
)


def attribute_speakers(text: str, sentences: Sequence[Span]) -> list[str | None]:
    """The speaker each sentence reports the words or views of, or None.

    `sentences` are (start, end) offsets into `text`, in order; paragraphs are
    separated by newlines. A surname is reported as the full name the article
    gave earlier; "he"/"she" carry the last named person who spoke, "it"/"they"
    the last organisation or group; a quotation spanning several sentences, or
    continuing after its attribution, gets the speaker throughout.

    >>> text = 'Kurt Campbell said talks matter.\\n“We will go. It helps,” he said.'
    >>> attribute_speakers(text, [(0, 32), (33, 45), (46, 66)])
    ['Kurt Campbell', 'Kurt Campbell', 'Kurt Campbell']
    """
    names = full_names(text)
    lowered = lower_case_words(text)
    found: list[str | None] = []
    paragraph: list[int] = []
    bare: list[bool] = []
    joined_previous: list[bool] = []  # starts inside a quotation the previous sentence opened
    memory = Referents()
    is_open = False
    previous_end = 0
    for start, end in sentences:
        new_paragraph = bool(paragraph) and "\n" in text[previous_end:start]
        paragraph.append(paragraph[-1] + new_paragraph if paragraph else 0)
        # '' and `` stand for quotation marks in some feeds; same length keeps offsets
        sentence = text[start:end].replace("''", '" ').replace("``", ' "')
        if new_paragraph and is_open and not sentence.lstrip().startswith((OPENING, '"')):
            is_open = False  # a quotation only runs on when the next paragraph reopens it
        scan = scan_quotes(sentence, is_open, new_paragraph)
        joined_previous.append(scan.starts_open)
        is_open = scan.ends_open
        bare.append(is_bare_quote(sentence, scan))
        speaker = _find_speaker(sentence, scan)
        if speaker and speaker.kind == "pron":
            own = subject_mention(sentence, names, start)
            if own is not None:
                # "Although Mackanin was tempted ..., he said": not the last sentence's
                memory.opener = None
                if CLAUSE_PRONOUN_RE.search(sentence):
                    # "Johnson has made no secret that he believes ...": its own subject
                    speaker = own
        found.append(resolve(speaker, names, start, memory) if speaker else None)
        if speaker is None and (subject := subject_match(sentence, names, start)):
            # "Prince Harry denounced ... “...,” he wrote"
            opens = not scan.quoted and opens_on(sentence, subject, lowered)
            memory.mention(subject[1], sentence if opens else None)
        memory.sentence += 1
        previous_end = end
    spread_in_quotations(found, joined_previous, bare)
    spread_in_paragraphs(found, paragraph, bare)
    turns = transcript_turns(text, sentences)
    if turns is not None:
        found = [f if f is not None else t for t, f in zip(turns, found, strict=True)]
    return found


# a transcript's turn: the speaker's name alone in its paragraph, closed by a colon
# ("Trevor Hughes:"), two to four capitalised words with a lower-case letter among them
# (not a heading in capitals, "TIP-INS:", nor a one-word one, "Prevention:")
_TURN_RE = re.compile(r"(?=.*[a-z])[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){1,3}:")


def transcript_turns(text: str, sentences: Sequence[Span]) -> list[str | None] | None:
    r"""Where `text` is a transcript (two or more turns, each opened by its speaker's
    name alone in a paragraph, "Taylor Wilson:"), the speaker of each sentence's turn:
    the speaker of its words, where they report no one else's (a host's "Zelenskyy said,
    “...”" stays Zelenskyy's). None for an article that is no transcript, and for the
    sentences before its first turn and the names.

    >>> text = "Intro.\nTaylor Wilson:\nHi, Susan.\nSusan Page:\nHey. He said no."
    >>> transcript_turns(text, [(0, 6), (7, 21), (22, 32), (33, 44), (45, 49), (50, 61)])
    [None, None, 'Taylor Wilson', None, 'Susan Page', 'Susan Page']
    >>> transcript_turns("Kane said:\nGo.", [(0, 10), (11, 14)]) is None
    True
    """
    turns: list[str | None] = []
    speaker = None
    found = 0
    for start, end in sentences:
        sentence = text[start:end]
        if (
            _TURN_RE.fullmatch(sentence)
            and text[end : end + 1] in ("\n", "")
            and (start == 0 or text[start - 1] == "\n")
        ):
            speaker = sentence[:-1]
            found += 1
            turns.append(None)
        else:
            turns.append(speaker)
    return turns if found >= 2 else None


# "Boehner once called Jordan a “legislative terrorist.”": words put on something in
# quotation marks are the caller's, where the caller is a person (not "was called", "a
# group called", nor "Some residents called it ...", whose words no one person said)
_CALLED_RE = re.compile(
    r"(?<![\w’'\-])(?<!\bwas )(?<!\bwere )(?<!\bbe )(?<!\bbeen )(?<!\bis )(?<!\bare )"
    r"(?:called|calls)\s+[^“\"”.;,]{1,60}?[“\"]"
)


def _find_speaker(sentence: str, scan: QuoteScan) -> Speaker | None:
    """The best attribution in one sentence, ranked by where it stands."""
    candidates: list[tuple[int, int, Speaker]] = []  # (rank, position, speaker)
    called = _CALLED_RE.search(sentence) if "call" in sentence else None
    if called is not None and not inside(scan, called.start()):
        candidate = _subject_candidate(sentence, called.start(), scan)
        if candidate is not None and candidate[2].kind in ("person", "unknown", "pron"):
            candidates.append(candidate)
    if not candidates and not CUE_RE.search(sentence):
        return None  # most sentences: no speech verb at all, so no regex work
    for verb in VERB_RE.finditer(sentence):
        candidate = _subject_candidate(sentence, verb.start(), scan)
        if candidate is not None:
            candidates.append(candidate)
    for match in INVERTED_RE.finditer(sentence):
        if not inside(scan, match.start()):
            candidate = _inverted_candidate(sentence[: match.start()].rstrip(), match)
            if candidate is not None:
                candidates.append(candidate)
    for match in ACCORDING_RE.finditer(sentence):
        if not inside(scan, match.start()):
            speaker = speaker_from_source(match.group("acc"))
            if speaker is not None:
                candidates.append((4, match.start(), speaker))
    if not candidates:
        participle = PARTICIPLE_RE.search(sentence)
        if participle and not inside(scan, participle.start()):
            speaker = _lead_subject(sentence[: participle.start()], scan)
            if speaker is not None:
                candidates.append((5, 0, speaker))
    return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None


def _subject_candidate(
    sentence: str, verb_at: int, scan: QuoteScan
) -> tuple[int, int, Speaker] | None:
    """The speaker of the verb at `verb_at`, read backwards: adverbs, an appositive,
    then a pronoun, a noun phrase or a name ("Daniel Kritenbrink, the ..., told")."""
    heads = [sentence[:verb_at].rstrip()]
    for _ in range(2):  # "also said", "has repeatedly said"; "family said" is no adverb
        head = heads[-1]
        cut = head.rfind(" ")
        word = head[cut + 1 :]
        if word in ADVERB_WORDS:
            heads[-1] = head[:cut].rstrip() if cut >= 0 else ""
        elif word.endswith("ly") and word.isalpha() and word.islower():
            heads.append(head[:cut].rstrip() if cut >= 0 else "")
    for head in heads:
        if head.endswith(", who"):  # "... hosted Dave Yost, who said"
            return _relative_candidate(head[: -len(", who")], scan)
        if not head:
            continue
        if head.endswith(","):
            inverted = INVERTED_RE.match(sentence, len(head) - 1)
            if inverted and _inverted_candidate(head, inverted):
                return None  # "..., says Cook": the speaker follows the verb
            # "Kritenbrink, the State Department's top diplomat, told": of the readings
            # with one or two appositive pieces, the one whose speaker starts first
            found = [
                _subject_at_end(head[:at].rstrip(), head[at:].strip(" ,"), scan)
                for at in (_appositive_start(head, n) for n in (1, 2, 3))
                if at
            ]
            best = min((f for f in found if f), key=lambda f: f[1], default=None)
        else:
            best = _subject_at_end(head, "", scan)
        if best is not None:
            return best
    return None


def _relative_candidate(head: str, scan: QuoteScan) -> tuple[int, int, Speaker] | None:
    """The speaker of "NAME, who said": the name that ends `head` (what stands before
    ", who"), past a description after a comma ("Cassidy Hutchinson, a former White
    House aide, who said"); ranked as a name anywhere in the sentence."""
    comma = head.rfind(",")
    piece = head[comma + 1 :].split()
    if (
        comma > 0
        and piece
        and piece[0][:1].islower()
        and not (piece[0] in PREPOSITIONS or piece[0].endswith("ing"))  # "according to"
        and (piece[0] in DETERMINERS or HEAD_WORDS.intersection(piece))
    ):
        head = head[:comma]  # "an obstetrician in Indianapolis", "vice president of X"
    name = NAME_END_RE.search(head, max(0, len(head) - 150))
    if name is None or inside(scan, name.start()):
        return None
    speaker = speaker_from_name(name.group(0))
    return (3, name.start(), speaker) if speaker else None


def _appositive_start(head: str, segments: int) -> int | None:
    """Where an appositive of `segments` comma pieces ending `head` starts, if any."""
    at = len(head) - 1
    for _ in range(segments):
        comma = head.rfind(",", 0, at)
        piece = head[comma + 1 : at]
        if comma < 0 or not 0 < len(piece) <= 80 or any(q in piece for q in '“”"\n'):
            return None
        first = piece.split()[0].lower() if piece.split() else ""
        if first in NOT_APPOSITIVE:
            return None
        at = comma
    return at


def _subject_at_end(subject: str, appos: str, scan: QuoteScan) -> tuple[int, int, Speaker] | None:
    """The speaker noun phrase that ends `subject`, ranked by what stands before it."""
    last = LAST_WORD_RE.search(subject, max(0, len(subject) - 8))
    if last and last.group(0).lower() in PRONOUNS:
        start = last.start()
        rank = _rank(subject[:start].rstrip(), named=False)
        if rank is None or inside(scan, start):
            return None
        return (rank, start, Speaker(last.group(0).lower(), "pron"))
    owner = OWNED_DOCUMENT_RE.search(subject, max(0, len(subject) - 60))
    if owner:  # "China's statement said" is China speaking
        return _subject_at_end(subject[: owner.start()], appos, scan)
    for start in _noun_phrase_starts(subject):
        rank = _rank(subject[:start].rstrip(), named=False)
        if rank is not None and not inside(scan, start):
            speaker = speaker_from_np(subject[start:])
            named = NAME_RE.match(appos) if appos else None
            if named and (person := speaker_from_name(named.group(0))) and " " in person.name:
                speaker = person  # "the committee's chairman, Rep. Bennie Thompson, told"
            return (rank, start, speaker) if speaker else None
    name = NAME_END_RE.search(subject, max(0, len(subject) - 150))
    if name is None or inside(scan, name.start()):
        return None
    before = subject[: name.start()].rstrip()
    rank = _rank(before, named=True)
    if rank is None:
        return None
    if appos and NAME_RE.fullmatch(appos) and " " in appos:
        speaker = speaker_from_name(appos)
    elif (
        (chain := ORG_CHAIN_RE.search(before))
        and ORG_LEADS.intersection(chain.group("lead").split())
        and not STOP_WORDS.issuperset(name.group(0).split())
    ):
        titled = speaker_from_name(name.group(0))
        if titled and TITLES.intersection(name.group(0).split()):
            speaker = titled  # "University of West Florida President Judy Bense confirmed"
        else:
            phrase = re.sub(r"^(?:The|the)\s+", "", f"{chain.group(0)} {name.group(0)}")
            speaker = Speaker(phrase, "group")  # "the Centers for Disease Control and Prevention"
    elif rank == 3:
        speaker = named_after(before, name.group(0))
    else:
        speaker = speaker_from_name(name.group(0))
    return (rank, name.start(), speaker) if speaker else None


def _noun_phrase_starts(subject: str) -> list[int]:
    """Where a common-noun speaker ending `subject` may start, longest first
    ("China's foreign ministry", "a spokesperson for the State Department",
    "people familiar with the matter")."""
    suffix = HEAD_SUFFIX_RE.search(subject, max(0, len(subject) - 120))
    end = len(subject)
    if suffix and suffix.group("head") in HEAD_WORDS:
        end = suffix.end("head")
    offset = max(0, end - 120)
    words = [(m.start(), m.group(0)) for m in WORD_RE.finditer(subject, offset, end)]
    if not words or words[-1][1] not in HEAD_WORDS:
        return []
    starts = [words[-1][0]]
    for at, word in reversed(words[-5:-1]):
        if word.lower() in NOT_MODIFIER_WORDS or not MODIFIER_RE.fullmatch(word):
            break
        starts.append(at)
    before = subject[: starts[-1]].rstrip()
    previous = before[before.rfind(" ") + 1 :]
    if previous in DETERMINERS and subject[starts[-1] :].split()[0] not in DETERMINERS:
        starts.append(len(before) - len(previous))
    return starts[::-1]


def _rank(before: str, named: bool) -> int | None:
    """How strongly what precedes a speaker marks it as the subject: 0 right after a
    closing quote, 1 after a comma or conjunction, 2 at the start, 3 anywhere (names)."""
    if before.rstrip(",").rstrip().endswith((CLOSING, '"')):
        return 0
    if before.endswith((",", ";", ":", "—", "–", "(")) or CONJUNCTION_END_RE.search(before):
        return 1
    if not before or before in (OPENING, '"') or SUBORDINATOR_END_RE.search(before):
        return 2
    return 3 if named else None


def _inverted_candidate(before: str, match: re.Match[str]) -> tuple[int, int, Speaker] | None:
    """ "...,” said Daniel Kritenbrink" and "..., said the ministry"."""
    rank = 0 if before.endswith((CLOSING, '"')) or match.group(0)[0] in CLOSING + '"' else 1
    phrase = match.group("iname") or match.group("iorg")
    if phrase.split()[0] in PREPOSITIONS:
        return None  # "..., said at the Shangri-La Dialogue": a place, not a speaker
    described = DESCRIBED_NAME_RE.match(phrase)
    if described and not PREPOSITIONS.intersection(phrase.split()):
        phrase = described.group("name")  # "said fiancée Jackie Thompson"
    speaker = speaker_from_name(phrase) if match.group("iname") else speaker_from_np(phrase)
    return (rank, match.start(), speaker) if speaker else None


def _lead_subject(clause: str, scan: QuoteScan) -> Speaker | None:
    """The subject of "SUBJECT did this, saying ...": a leading pronoun or noun phrase,
    else the first name followed by a lowercase word and not inside a phrase."""
    lead = LEAD_SUBJECT_RE.match(clause)
    if lead and lead.group("pron"):
        return Speaker(lead.group("pron").lower(), "pron")
    if lead and lead.group("org"):
        return speaker_from_np(lead.group("org"))
    for match in NAME_THEN_VERB_RE.finditer(clause):
        if not inside(scan, match.start()):
            speaker = named_after(clause[: match.start()].rstrip(), match.group("name"))
            if speaker is not None:
                return speaker
    return None


_SPEECH_IMPORT = re.compile(r"^from qa\.speech\.(\w+) import", re.MULTILINE)


def label_sources() -> list[Path]:
    """The files a stored speaker label depends on: this module, the modules of this
    package it imports, theirs in turn, and the sentence splitter. The question parser
    and the answer's pronoun naming are not among them, so changing those does not
    make every index label its articles again.

    >>> sorted(p.name for p in label_sources())
    ['attribution.py', 'discourse.py', 'lexicon.py', 'patterns.py', 'phrases.py', 'sentences.py']
    """
    here = Path(__file__).parent
    found: list[Path] = []
    todo = [Path(__file__)]
    while todo:
        source = todo.pop()
        if source in found:
            continue
        found.append(source)
        todo += [here / f"{name}.py" for name in _SPEECH_IMPORT.findall(source.read_text())]
    return [*sorted(found), Path(index.sentences.__file__)]


class SpeakerLabeller:
    """The index's sentence labeller for speakers (index/sentence_labels.py): every
    sentence of an article with the speaker `attribute_speakers` gives it.

    Its name carries a hash of the code the labels depend on (`label_sources`), so
    labels stored by other code are never served: answers are the same whether a
    speaker was stored or found at question time."""

    @cached_property
    def name(self) -> str:
        digest = hashlib.sha256()
        for source in label_sources():
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
        return f"speakers-{digest.hexdigest()[:16]}"

    def label(self, article: Article) -> tuple[tuple[int, str | None], ...]:
        spans = split_sentences(article.text)
        speakers = attribute_speakers(article.text, spans)
        return tuple((start, speaker) for (start, _), speaker in zip(spans, speakers, strict=True))
