"""Who said what: attribute an article's sentences to the speakers they report.

Regex heuristics tuned on wire-style news prose, cheap enough for the query path
(a few retrieved articles per question). No parser and no model: a sentence is
attributed when it carries a speech verb next to a speaker ("X said", "said X",
"according to X"), when it continues a quotation whose attribution lies in
another sentence, or when its speaker is a pronoun carried from the last named
speaker of the matching kind.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from index.records import Span


class _LazyPattern:
    """A regex compiled on first use: compiling this module's patterns at import cost
    120-180 ms, paid by every `newsdesk` command, `newsdesk list` too.

    >>> word = _LazyPattern(r"\\w+")
    >>> word.compiled is None, word.search("  said ").group(), word.compiled is not None
    (True, 'said', True)
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self.compiled: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        # two threads may both compile; either result is the same pattern
        if self.compiled is None:
            self.compiled = re.compile(self.pattern, self.flags)
        return self.compiled

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self._get().search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self._get().match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self._get().fullmatch(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self._get().finditer(text, pos, endpos)

    def sub(self, repl: str, text: str, count: int = 0) -> str:
        return self._get().sub(repl, text, count)


_SP = r"[^\S\n]+"  # whitespace that never crosses a paragraph
_UP = "A-ZÀ-ÖØ-Þ"
_ABBREV = r"(?:Jr|Sr|Sen|Rep|Gov|Dr|Mr|Mrs|Ms|Gen|Lt|Col|St|Prof|Rev|Sgt|Capt|Adm|Inc|Corp|Co|Lt)\."
# One capitalised word of a name: initials ("U.S.", "J."), abbreviations, or a
# word that may hold a hyphen or an inner apostrophe (O'Brien) but no "'s".
_TOKEN = (
    rf"(?:{_ABBREV}|(?:[{_UP}]\.)+|[{_UP}][\w\-]*(?:[’'](?!(?:s|re|m|ll|ve|d|t)\b)[\w\-]+)*)(?!\w)"
)
_PARTICLE = r"(?:de|da|di|du|van|von|der|den|del|della|la|le|bin|al|el|dos|das|ter|ten)"
_RUN = rf"{_TOKEN}(?:{_SP}(?:{_PARTICLE}{_SP})*{_TOKEN}){{0,6}}"

_VERBS = (
    "said|says|say|told|tells|argued|argues|warned|warns|noted|notes|explained|explains|"
    "stressed|stresses|urged|urges|cautioned|cautions|wrote|writes|asked|asks|stated|states|"
    "insisted|insists|claimed|replied|responded|acknowledged|acknowledges|admitted|admits|"
    "suggested|suggests|announced|confirmed|tweeted|emphasized|emphasised|emphasizes|declared|"
    "predicted|countered|conceded|reiterated|contended|complained|testified|disclosed|revealed|"
    "pointed out|believes|put it|estimated|"
    # these are speech only before a quote, a clause or the end ("Smith added that",
    # "Stoops recalled."), not before an object ("Kia recalled 126,747 vehicles")
    r"(?:added|adds|continued|continues|observed|maintained|recalled|recalls|claims)"
    rf"(?=[^\S\n]*(?:[.,;:“\"—–]|$)|{_SP}(?:that|how|when|in|on|at|during|later|after|while|"
    rf"being|the{_SP}day|he|she|they)\b|{_SP}[A-Z])"
)
_INVERTED_VERBS = (
    "said|says|added|adds|wrote|writes|asked|explained|noted|continued|warned|argued|insisted|"
    "recalled|replied|stated|tweeted|cautioned|stressed|states|explains|notes|recalls|continues|"
    "insists|warns|argues|asks"
)
_ADVERBS = (
    "also|later|previously|then|has|had|have|once|recently|earlier|further|publicly|"
    "repeatedly|separately|again|simply|only|even|still|often|privately|reportedly|initially|"
    "first|last|will|would|has long|had long|subsequently|quickly|immediately|flatly|"
    "emphatically|bluntly|[a-z]+ly"
)
# Heads of a speaker noun phrase that is not a name ("China's foreign ministry").
_PERSON_HEADS = (
    "spokesperson|spokesman|spokeswoman|official|lawyer|attorney|officer|representative|aide|"
    "adviser|advisor|analyst|expert|prosecutor|person|doctor|witness|resident|source|executive|"
    "economist|researcher|scientist|diplomat|lawmaker|senator|minister|director|president|"
    "judge|coroner|examiner|sheriff|mayor|governor|chief|manager|owner|founder|ceo|coach|"
    "player|star|actor|actress|singer|author|writer|reporter|teacher|student|mother|father|"
    "wife|husband|son|daughter|sister|brother|friend|neighbor|neighbour|victim|suspect|"
    "candidate|nominee|chairman|chairwoman|chair|professor|surgeon|nurse|pilot|driver|"
    "employee|worker|agent|trooper|detective|deputy|commander|general|secretary|ambassador|"
    "envoy|negotiator|strategist|consultant|pollster|historian|activist|organizer|volunteer|"
    "individual|man|woman|boy|girl|fiancée|fiance|partner|relative|colleague|insider"
)
_GROUP_HEADS = (
    "officials|ministry|department|police|authorities|media|government|agency|company|firm|"
    "court|prosecutors|lawyers|attorneys|sources|analysts|experts|researchers|scientists|"
    "economists|investigators|organizers|organisers|officers|representatives|leaders|"
    "administration|military|army|regulators|regulator|group|union|campaign|team|club|"
    "commission|committee|council|board|office|embassy|people|residents|witnesses|critics|"
    "activists|supporters|opponents|lawmakers|legislators|senators|diplomats|executives|"
    "employees|workers|doctors|aides|advisers|advisors|insiders|observers|spokespeople|"
    "military|navy|coalition|parents|students|teachers|fans|users|staff|spokespersons|store|"
    "retailer|chain|brand|maker|manufacturer|airline|network|studio|startup|bank|hospital|"
    "school|district|university|city|county|state|organization|organisation|nonprofit|"
    "charity|foundation|league|outlet|newspaper|magazine|platform|service|operator|utility|"
    "provider|insurer|developer|publisher|label|band|family|couple|lab|center|centre|"
    "association|institute|party|parliament|senate|congress|assembly|legislature|jury|panel|"
    "inspectors|judges|doctors|nurses|scientists|families|investors|traders|companies|"
    "countries|governments|ministers|agencies|officials|forces|troops|rebels|militants|"
    "protesters|demonstrators|voters|pollsters|firms|banks|groups|unions|cops|deputies|"
    "firefighters|rescuers|paramedics|medics|educators|guards|sponsors|owners|managers|palace"
)
_DOCUMENTS = (
    "statement|readout|letter|tweet|post|report|memo|remarks|comments|testimony|filing|"
    "census|data|figures|estimates|records|documents|survey|poll|study|analysis|website|"
    "complaint|lawsuit|indictment|release|press release|transcript|interview|account|"
    "calculations|tally|count|research|statistics|numbers|projections|forecast|rankings|index|"
    "review|audit|investigation|database|tracker|map|model|paper|article|book|court records|"
    "order|ruling|opinion|decision|notice|guidance|announcement|message|email|note|bulletin|"
    "documents|docket|affidavit|biography|page|footage|video|release"
)
_FAMILIAR = (
    rf"(?:{_SP}(?:familiar{_SP}with|briefed{_SP}on|close{_SP}to|with{_SP}knowledge{_SP}of)"
    rf"(?:{_SP}[\w’'\-]+){{1,4}}|{_SP}(?:for|of|at){_SP}(?:the{_SP})?{_RUN})?"
)
# words that never modify a speaker noun ("If you are a woman, ... say" is no speaker)
_NOT_MODIFIER = (
    r"(?i:and|or|but|if|when|while|as|so|because|is|are|was|were|be|been|has|have|had|to|of|in|"
    r"on|at|for|with|by|from|that|which|who|you|we|i|they|he|she|it|not|do|does|did|will|"
    r"would|can|could|should|may|might|say|says|said|told|this|these|those|after|before|since|"
    r"until|just|also|then|than|where|there|here|about|into|over|under|between|among|during|"
    r"without|within|what|how|why)\b"
)
_ORG_NP = (
    rf"(?:(?:the|a|an|The|A|An|two|three|several|some|many|other|Two|Three|Several|Some|Many|"
    rf"Other|One|one){_SP})?(?:(?!{_NOT_MODIFIER})(?:{_TOKEN}|[a-z][\w\-]*)(?:[’']s)?{_SP}){{0,4}}"
    rf"(?:{_PERSON_HEADS}|{_GROUP_HEADS})\b{_FAMILIAR}"
)
_POSSESSED_DOC = rf"[’']s{_SP}(?:{_DOCUMENTS})\b"

_VERB_RE = _LazyPattern(rf"(?<![\w’'\-])(?:{_VERBS})\b")
_ADVERB_WORDS = frozenset(w for w in _ADVERBS.split("|") if " " not in w and "[" not in w)
_NAME_END_RE = _LazyPattern(rf"(?<![\w’'.\-])(?:(?:the|The){_SP})?{_RUN}$")
_HEAD_SUFFIX_RE = _LazyPattern(
    rf"(?<![\w’'\-])(?P<head>[a-z]+)(?:{_SP}(?:familiar{_SP}with|briefed{_SP}on|close{_SP}to|"
    rf"with{_SP}knowledge{_SP}of)(?:{_SP}[\w’'\-]+){{1,4}}|{_SP}(?:for|of|at){_SP}(?:the{_SP})?"
    rf"{_RUN})$"
)
_MODIFIER_RE = _LazyPattern(rf"(?:{_TOKEN}|[a-z][\w\-]*)(?:[’']s)?")
_DETERMINERS = frozenset(
    "the a an two three several some many other one The A An Two Three Several Some Many "
    "Other One".split()
)
_LAST_WORD_RE = _LazyPattern(r"(?<![^\s(\[“”\"—–])[^\s(\[“”\"—–]+$")
_WORD_RE = _LazyPattern(r"[^\s(\[“”\"—–]+")
_OWNED_DOCUMENT_RE = _LazyPattern(rf"[’']s{_SP}(?:{_DOCUMENTS})$")
_NOT_APPOSITIVE = frozenset("and but or if so because when while then say though".split())
_HEAD_WORDS = frozenset(f"{_PERSON_HEADS}|{_GROUP_HEADS}".split("|"))
_NOT_MODIFIER_WORDS = frozenset(_NOT_MODIFIER.removeprefix("(?i:").split(")")[0].split("|"))
_INVERTED_RE = _LazyPattern(
    rf"(?:[,”\"][^\S\n]*(?:{_INVERTED_VERBS})|[”\"][^\S\n]*[–—-]{{1,2}}){_SP}(?:(?P<iname>(?:(?:the|a|an){_SP})?"
    rf"(?:(?:[a-z][\w\-]*|{_TOKEN})(?:[’']s)?{_SP}){{0,4}}?{_RUN})|(?P<iorg>{_ORG_NP}))"
    # the speaker ends there: "said Smith gave police" is reported speech by someone else
    rf"(?=[^\S\n]*[,.;:!?()—–”\"]|$|{_SP}(?:in|on|at|during|after|before|of|from|last|this|while|when|"
    rf"who|told|to|via|about|for|with)\b)"
)
_PARTICIPLE_RE = _LazyPattern(
    rf",{_SP}(?:saying|adding|noting|arguing|warning|telling|insisting|explaining|stressing|"
    rf"calling|writing|claiming|urging|cautioning)\b|"
    rf",?{_SP}(?:and|but){_SP}(?:also{_SP})?(?:said|told|added|warned|noted|argued|wrote|"
    rf"declared|stressed|insisted|announced|explained|urged)\b"
)
_LEAD_SUBJECT_RE = _LazyPattern(
    rf"^[^\w“\"]*(?:(?P<pron>He|She|They|It)|(?P<org>{_ORG_NP})){_SP}[a-z]"
)
_NAME_THEN_VERB_RE = _LazyPattern(
    rf"(?<![\w’'.\-])(?P<name>{_RUN})(?:,[^,“”\"\n]{{1,80}},)?{_SP}(?!of\b|and\b|or\b)[a-z]"
)
_ACCORDING_RE = _LazyPattern(
    rf"\b[Aa]ccording{_SP}to{_SP}(?P<acc>[^,;:“”\"\n()]+?)"
    rf"(?=[,;:“”\"\n()]|(?<![A-Z])\.(?:\s|$)|$|"
    rf"{_SP}(?:which|who|that|in|on|at|during|last|this|earlier|when)\b)"
)
_NAME_RE = _LazyPattern(_RUN)
_CUE_RE = _LazyPattern(
    rf"\b(?:{_VERBS}|{_INVERTED_VERBS}|[Aa]ccording|saying|adding|noting|arguing|warning|"
    rf"telling|insisting|explaining|stressing|calling|writing|claiming|urging|cautioning)\b|"
    r"[”\"][^\S\n]*[–—-]"
)
DOCUMENT_RE = _LazyPattern(rf"\b(?:{_DOCUMENTS})\b")
HEAD_RE = _LazyPattern(rf"\b(?:{_PERSON_HEADS}|{_GROUP_HEADS})\b")
_DESCRIBED_NAME_RE = _LazyPattern(
    rf"^(?:(?:the|a|an){_SP})?(?:(?:[a-z][\w\-]*|{_TOKEN}){_SP}){{0,3}}[a-z][\w\-]*{_SP}"
    rf"(?P<name>{_RUN})$"
)
_SPEAKER_PREFIX_RE = _LazyPattern(
    rf"(?P<org>{_ORG_NP})|(?P<name>(?:the{_SP})?{_RUN}(?:{_SP}(?:of|for){_SP}(?:the{_SP})?{_RUN})*)"
)
# "the Centers for Disease Control and Prevention": an organisation's name with its joins
_ORG_CHAIN_RE = _LazyPattern(
    rf"(?P<lead>{_RUN}){_SP}(?:(?:for|of|and|&){_SP}(?:the{_SP})?{_RUN}{_SP})*"
    rf"(?:for|of|and|&)(?:{_SP}the)?$"
)
_ORG_LEADS = frozenset(
    "Centers Center Department Ministry University Bank Institute Office Council Association "
    "Bureau Board Commission Committee Agency League Society Court Federation Union "
    "Organization School College Academy Museum Foundation Coalition Alliance Party House "
    "Church Fund Service Administration Authority Centre Centres Institutes Division Corps "
    "Secretariat Chamber Bureau Conference Court Courts Department Departments".split()
)
_ENDING_NAME_RE = _LazyPattern(rf"(?:(?:the|The){_SP})?{_RUN}$")
_PREPOSITIONS = frozenset("of for with to by from at about against on in into over than".split())
_LEADING_WORDS_RE = _LazyPattern(r"^(?:(?:and|but|as|while|that|because|so|or|yet)\s+)+", re.I)
_CONJUNCTION_END_RE = _LazyPattern(r"(?:^|\s)(?:and|but|that|so|or|yet)$", re.IGNORECASE)
# a subject after these heads a subordinate clause ("When a reporter asked him, he
# replied: ..."), so it ranks with a sentence's opening subject, below the main clause's
_SUBORDINATOR_END_RE = _LazyPattern(
    r"(?:^|\s)(?:as|while|because|when|after|before|since|if|although|though|until|where|once)$",
    re.IGNORECASE,
)

_STOP_WORDS = frozenset(
    "The A An In On At As But And Or So If When While After Before Since Until During Despite "
    "Although Though Because Meanwhile However Yet Still Then Now Today Tonight Yesterday "
    "Tomorrow Last Next This That These Those Also Even Only Just Both Some Many Most All Other "
    "Another Such Its His Her Their Our My Your We I He She They It You For From With Without "
    "By Of To Under Over Like Unlike What Who Why How Where Here There Asked Speaking According "
    "Earlier Later Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February "
    "March April August September October November December Mr. Mrs. Ms. Dr. Former Late".split()
)
TITLES = frozenset(
    "President Vice Secretary Minister Prime Chancellor Senator Sen. Rep. Representative Gov. "
    "Governor Mayor Director Coordinator Chief Officer CEO CFO COO CTO Chairman Chairwoman Chair "
    "Mr. Mrs. Ms. Miss Dr. Prof. Professor General Gen. Lt. Col. Colonel Adm. Admiral Sgt. Capt. "
    "Captain Judge Justice Attorney Commissioner Ambassador Spokesperson Spokesman Spokeswoman "
    "Speaker Leader State Foreign Defense Defence Interior Treasury Sheriff Detective Founder Rev. "
    "Bishop Cardinal Archbishop Dean Inspector Councilman Councilwoman Superintendent Deputy "
    "Assistant Associate Senior Manager Analyst Economist Strategist Editor Correspondent Host "
    "Anchor Coach Democrat Democratic Republican GOP Former Majority Minority Whip Envoy Trustee "
    "Executive Counsel Advisor Adviser Marshal Commander Premier Lawmaker Agent Actor Actress "
    "Singer Rapper Comedian Star Designer Author Writer Artist Producer Filmmaker Chef "
    "Quarterback Pitcher Player Striker Trooper Pastor Rabbi Imam Journalist Reporter Musician "
    "Model Businessman Businesswoman Billionaire Entrepreneur Investor Activist Officer Police "
    "Intelligence Staff Secretary-General Director-General Archduke Duke Duchess "
    "Lord Lady Sir Dame Baroness Baron Countess Father Sister Brother Uncle Aunt "
    "Grandma Grandpa Officer Patrolman Deputies Councilmember Alderman Supervisor Trustee "
    "Commissioner Lieutenant Sergeant Corporal Colonel Brig. Maj. Cpl. Pvt. Administrator "
    "Treasurer Auditor Clerk Controller Comptroller Assessor Principal Provost Regent Solicitor "
    "Prosecutor Magistrate Alderwoman Selectman Selectwoman Legislator Delegate Assemblyman "
    "Assemblywoman Congressman Congresswoman Councillor Chairperson President-elect "
    "Vice-President Nominee Candidate Ranger Warden Chaplain Headteacher Headmaster Critic GM "
    "Columnist Commentator Pundit Broadcaster".split()
)
_ROYAL_TITLES = frozenset(
    "King Queen Prince Princess Pope Sheikh Emperor Empress Duke Duchess".split()
)
_ORG_WORDS = frozenset(
    "Department Ministry House Office Agency Administration Council Commission Committee Court "
    "Police Service Services Bureau Pentagon Kremlin Government Party Company Corporation Corp. "
    "Inc. Co. Group Association Institute University Foundation Organization Organisation Union "
    "Embassy Army Navy Force Guard Board Authority Network News Times Post Journal Reuters Fed "
    "Center Centre Bank Fund Senate Congress Parliament Command Democrats Republicans Vatican "
    "Ltd LLC Airlines Motors Club League Federation Team Cabinet Assembly Coalition Alliance "
    "Media Press Studios Entertainment Labs Technologies Systems Court Tribunal Ministry "
    "Industries Holdings Partners Capital Prosecutors Officials Forces Agency Caucus Conference "
    "Delegation Campaign Department Administration Foundation Hospital School Schools Church "
    "Council Trust Society Museum Zoo Lab Laboratory Laboratories Review Magazine Network "
    "Airport District County City State Republic Kingdom Committee Agencies Archive Archives "
    "Library Project Program Programme Initiative Watch Division Corps Chamber".split()
)
_PLACE_STARTS = frozenset(
    "New North South East West Los Las San Santa Hong Saudi United Sri El Costa Puerto Sierra "
    "Buenos Rio Sao São Kuala Abu Cape Fort St. Port Palm Salt Baton Des Upper Lower".split()
)
_THINGS = frozenset("Hurricane Cyclone Storm Typhoon Tropical Post-Tropical".split())
_CLAUSE_PRONOUN_RE = _LazyPattern(
    rf"\b(?:that|when|after|because|since|while|before|once){_SP}(?:he|she){_SP}"
    rf"(?:(?:{_ADVERBS}){_SP}){{0,2}}(?:{_VERBS})\b"
)
_PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "group"}
_OPENING = "“"
_CLOSING = "”"


@dataclass(frozen=True)
class _Speaker:
    name: str
    kind: str  # "person", "group", "unknown" (a bare single name), or "pron"


@dataclass(frozen=True)
class _QuoteScan:
    quoted: tuple[tuple[int, int], ...]  # sentence offsets inside quotation marks
    starts_open: bool
    ends_open: bool


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
    names = _full_names(text)
    found: list[str | None] = []
    paragraph: list[int] = []
    bare: list[bool] = []
    joined_previous: list[bool] = []  # starts inside a quotation the previous sentence opened
    memory = _Referents()
    is_open = False
    previous_end = 0
    for start, end in sentences:
        new_paragraph = bool(paragraph) and "\n" in text[previous_end:start]
        paragraph.append(paragraph[-1] + new_paragraph if paragraph else 0)
        # '' and `` stand for quotation marks in some feeds; same length keeps offsets
        sentence = text[start:end].replace("''", '" ').replace("``", ' "')
        if new_paragraph and is_open and not sentence.lstrip().startswith((_OPENING, '"')):
            is_open = False  # a quotation only runs on when the next paragraph reopens it
        scan = _scan_quotes(sentence, is_open, new_paragraph)
        joined_previous.append(scan.starts_open)
        is_open = scan.ends_open
        bare.append(_is_bare_quote(sentence, scan))
        speaker = _find_speaker(sentence, scan)
        if speaker and speaker.kind == "pron" and _CLAUSE_PRONOUN_RE.search(sentence):
            # "Johnson has made no secret that he believes ...": the sentence's own subject
            speaker = _subject_mention(sentence, names, start) or speaker
        found.append(_resolve(speaker, names, start, memory) if speaker else None)
        if speaker is None and (mention := _subject_mention(sentence, names, start)):
            memory.mention(mention)  # "Prince Harry denounced ... “...,” he wrote"
        memory.sentence += 1
        previous_end = end
    _spread_in_quotations(found, joined_previous, bare)
    _spread_in_paragraphs(found, paragraph, bare)
    return found


def _find_speaker(sentence: str, scan: _QuoteScan) -> _Speaker | None:
    """The best attribution in one sentence, ranked by where it stands."""
    candidates: list[tuple[int, int, _Speaker]] = []  # (rank, position, speaker)
    if not _CUE_RE.search(sentence):
        return None  # most sentences: no speech verb at all, so no regex work
    for verb in _VERB_RE.finditer(sentence):
        candidate = _subject_candidate(sentence, verb.start(), scan)
        if candidate is not None:
            candidates.append(candidate)
    for match in _INVERTED_RE.finditer(sentence):
        if not _inside(scan, match.start()):
            candidate = _inverted_candidate(sentence[: match.start()].rstrip(), match)
            if candidate is not None:
                candidates.append(candidate)
    for match in _ACCORDING_RE.finditer(sentence):
        if not _inside(scan, match.start()):
            speaker = _speaker_from_source(match.group("acc"))
            if speaker is not None:
                candidates.append((4, match.start(), speaker))
    if not candidates:
        participle = _PARTICIPLE_RE.search(sentence)
        if participle and not _inside(scan, participle.start()):
            speaker = _lead_subject(sentence[: participle.start()], scan)
            if speaker is not None:
                candidates.append((5, 0, speaker))
    return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None


def _subject_candidate(
    sentence: str, verb_at: int, scan: _QuoteScan
) -> tuple[int, int, _Speaker] | None:
    """The speaker of the verb at `verb_at`, read backwards: adverbs, an appositive,
    then a pronoun, a noun phrase or a name ("Daniel Kritenbrink, the ..., told")."""
    heads = [sentence[:verb_at].rstrip()]
    for _ in range(2):  # "also said", "has repeatedly said"; "family said" is no adverb
        head = heads[-1]
        cut = head.rfind(" ")
        word = head[cut + 1 :]
        if word in _ADVERB_WORDS:
            heads[-1] = head[:cut].rstrip() if cut >= 0 else ""
        elif word.endswith("ly") and word.isalpha() and word.islower():
            heads.append(head[:cut].rstrip() if cut >= 0 else "")
    for head in heads:
        if not head:
            continue
        if head.endswith(","):
            inverted = _INVERTED_RE.match(sentence, len(head) - 1)
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


def _appositive_start(head: str, segments: int) -> int | None:
    """Where an appositive of `segments` comma pieces ending `head` starts, if any."""
    at = len(head) - 1
    for _ in range(segments):
        comma = head.rfind(",", 0, at)
        piece = head[comma + 1 : at]
        if comma < 0 or not 0 < len(piece) <= 80 or any(q in piece for q in '“”"\n'):
            return None
        first = piece.split()[0].lower() if piece.split() else ""
        if first in _NOT_APPOSITIVE:
            return None
        at = comma
    return at


def _subject_at_end(subject: str, appos: str, scan: _QuoteScan) -> tuple[int, int, _Speaker] | None:
    """The speaker noun phrase that ends `subject`, ranked by what stands before it."""
    last = _LAST_WORD_RE.search(subject, max(0, len(subject) - 8))
    if last and last.group(0).lower() in _PRONOUNS:
        start = last.start()
        rank = _rank(subject[:start].rstrip(), named=False)
        if rank is None or _inside(scan, start):
            return None
        return (rank, start, _Speaker(last.group(0).lower(), "pron"))
    owner = _OWNED_DOCUMENT_RE.search(subject, max(0, len(subject) - 60))
    if owner:  # "China's statement said" is China speaking
        return _subject_at_end(subject[: owner.start()], appos, scan)
    for start in _noun_phrase_starts(subject):
        rank = _rank(subject[:start].rstrip(), named=False)
        if rank is not None and not _inside(scan, start):
            speaker = _speaker_from_np(subject[start:])
            named = _NAME_RE.match(appos) if appos else None
            if named and (person := _speaker_from_name(named.group(0))) and " " in person.name:
                speaker = person  # "the committee's chairman, Rep. Bennie Thompson, told"
            return (rank, start, speaker) if speaker else None
    name = _NAME_END_RE.search(subject, max(0, len(subject) - 150))
    if name is None or _inside(scan, name.start()):
        return None
    before = subject[: name.start()].rstrip()
    rank = _rank(before, named=True)
    if rank is None:
        return None
    if appos and _NAME_RE.fullmatch(appos) and " " in appos:
        speaker = _speaker_from_name(appos)
    elif (
        (chain := _ORG_CHAIN_RE.search(before))
        and _ORG_LEADS.intersection(chain.group("lead").split())
        and not _STOP_WORDS.issuperset(name.group(0).split())
    ):
        titled = _speaker_from_name(name.group(0))
        if titled and TITLES.intersection(name.group(0).split()):
            speaker = titled  # "University of West Florida President Judy Bense confirmed"
        else:
            phrase = re.sub(r"^(?:The|the)\s+", "", f"{chain.group(0)} {name.group(0)}")
            speaker = _Speaker(phrase, "group")  # "the Centers for Disease Control and Prevention"
    elif rank == 3:
        speaker = _named_after(before, name.group(0))
    else:
        speaker = _speaker_from_name(name.group(0))
    return (rank, name.start(), speaker) if speaker else None


def _noun_phrase_starts(subject: str) -> list[int]:
    """Where a common-noun speaker ending `subject` may start, longest first
    ("China's foreign ministry", "a spokesperson for the State Department",
    "people familiar with the matter")."""
    suffix = _HEAD_SUFFIX_RE.search(subject, max(0, len(subject) - 120))
    end = len(subject)
    if suffix and suffix.group("head") in _HEAD_WORDS:
        end = suffix.end("head")
    offset = max(0, end - 120)
    words = [(m.start(), m.group(0)) for m in _WORD_RE.finditer(subject, offset, end)]
    if not words or words[-1][1] not in _HEAD_WORDS:
        return []
    starts = [words[-1][0]]
    for at, word in reversed(words[-5:-1]):
        if word.lower() in _NOT_MODIFIER_WORDS or not _MODIFIER_RE.fullmatch(word):
            break
        starts.append(at)
    before = subject[: starts[-1]].rstrip()
    previous = before[before.rfind(" ") + 1 :]
    if previous in _DETERMINERS and subject[starts[-1] :].split()[0] not in _DETERMINERS:
        starts.append(len(before) - len(previous))
    return starts[::-1]


def _rank(before: str, named: bool) -> int | None:
    """How strongly what precedes a speaker marks it as the subject: 0 right after a
    closing quote, 1 after a comma or conjunction, 2 at the start, 3 anywhere (names)."""
    if before.rstrip(",").rstrip().endswith((_CLOSING, '"')):
        return 0
    if before.endswith((",", ";", ":", "—", "–", "(")) or _CONJUNCTION_END_RE.search(before):
        return 1
    if not before or before in (_OPENING, '"') or _SUBORDINATOR_END_RE.search(before):
        return 2
    return 3 if named else None


def _inverted_candidate(before: str, match: re.Match[str]) -> tuple[int, int, _Speaker] | None:
    """ "...,” said Daniel Kritenbrink" and "..., said the ministry"."""
    rank = 0 if before.endswith((_CLOSING, '"')) or match.group(0)[0] in _CLOSING + '"' else 1
    phrase = match.group("iname") or match.group("iorg")
    if phrase.split()[0] in _PREPOSITIONS:
        return None  # "..., said at the Shangri-La Dialogue": a place, not a speaker
    described = _DESCRIBED_NAME_RE.match(phrase)
    if described and not _PREPOSITIONS.intersection(phrase.split()):
        phrase = described.group("name")  # "said fiancée Jackie Thompson"
    speaker = _speaker_from_name(phrase) if match.group("iname") else _speaker_from_np(phrase)
    return (rank, match.start(), speaker) if speaker else None


def _named_after(before: str, name: str) -> _Speaker | None:
    """The speaker of "NAME said" inside a sentence, unless NAME sits in a phrase
    ("the wife of inmate Richard Glossip wrote"); "Bragman of La Brea Media says"
    is Bragman's."""
    owner = re.search(rf"(?P<owner>{_RUN}){_SP}of$", before)
    if owner and owner.group("owner").split()[-1] not in TITLES:
        speaker = _speaker_from_name(owner.group("owner"))
        if speaker and speaker.kind == "group":  # "the University of Tennessee announced"
            return _Speaker(f"{speaker.name} of {name}", "group")
        return speaker
    words = before.split()[-6:]
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        if word == "of" and i and words[i - 1] in TITLES:
            break  # "Secretary of State Brad Raffensperger said"
        if word in _PREPOSITIONS:
            return None
        if not word.isalpha() or not word.islower():
            break
    return _speaker_from_name(name)


def _lead_subject(clause: str, scan: _QuoteScan) -> _Speaker | None:
    """The subject of "SUBJECT did this, saying ...": a leading pronoun or noun phrase,
    else the first name followed by a lowercase word and not inside a phrase."""
    lead = _LEAD_SUBJECT_RE.match(clause)
    if lead and lead.group("pron"):
        return _Speaker(lead.group("pron").lower(), "pron")
    if lead and lead.group("org"):
        return _speaker_from_np(lead.group("org"))
    for match in _NAME_THEN_VERB_RE.finditer(clause):
        if not _inside(scan, match.start()):
            speaker = _named_after(clause[: match.start()].rstrip(), match.group("name"))
            if speaker is not None:
                return speaker
    return None


def _speaker_from_name(phrase: str) -> _Speaker | None:
    """A capitalised run, less the words around the name ("Coordinator Kurt Campbell")."""
    tokens = phrase.split()
    if tokens and tokens[0].lower() == "the" and len(tokens) > 1 and tokens[1][:1].isupper():
        tokens = tokens[1:]
    elif tokens and tokens[0][:1].islower():
        return _speaker_from_np(phrase)
    while tokens and tokens[0] in _STOP_WORDS:
        tokens = tokens[1:]
    if not tokens:
        return None
    if tokens[-1] in _ORG_WORDS or re.fullmatch(r"[A-Z]{2,}|(?:[A-Z]\.){2,}", tokens[-1]):
        return _Speaker(" ".join(tokens), "group")
    titled = [i for i, token in enumerate(tokens) if token in TITLES]
    if titled:
        if titled[-1] == len(tokens) - 1:
            return None  # "the Secretary said": a title with no name
        tokens = tokens[titled[-1] + 1 :]
    elif tokens[0] in _PLACE_STARTS or _THINGS.intersection(tokens):
        return _Speaker(" ".join(tokens), "group")  # "New York said", "Hurricane Ian"
    if len(tokens) == 2 and tokens[0] in _ROYAL_TITLES:
        return _Speaker(" ".join(tokens), "person")
    kind = "person" if len(tokens) > 1 or titled else "unknown"
    return _Speaker(" ".join(tokens[-4:]), kind)


def _speaker_from_np(phrase: str) -> _Speaker | None:
    """A common-noun speaker ("China's foreign ministry", "a spokesperson")."""
    phrase = _LEADING_WORDS_RE.sub("", phrase.strip())
    words = phrase.split()
    if not words:
        return None
    if words[0] in ("The", "A", "An", "One", "Two", "Three", "Several", "Some", "Many", "Other"):
        words[0] = words[0].lower()
    if words[0] == "the" and len(words) > 1 and words[1][:1].isupper():
        words = words[1:]
    head = re.sub(r"[’']s$", "", words[-1])
    kind = "person" if re.fullmatch(_PERSON_HEADS, head) else "group"
    return _Speaker(" ".join(words), kind)


def _speaker_from_source(phrase: str) -> _Speaker | None:
    """The speaker behind "according to ...": a document counts for its owner only.

    "the Food Institute's analysis of X" -> Food Institute; "a report by Reuters" ->
    Reuters; "Labor Department data" -> Labor Department; "the census" -> None.
    """
    phrase = phrase.strip()
    document = DOCUMENT_RE.search(phrase)
    if document:
        head, tail = phrase[: document.start()].rstrip(), phrase[document.end() :]
        possessive = re.match(r"(?P<owner>.+?)[’']s\b", head)
        by = re.match(rf"{_SP}(?:from|by){_SP}(?P<owner>.+)$", tail)
        named = _ENDING_NAME_RE.search(head)
        if possessive:
            phrase = possessive.group("owner")
        elif by:
            phrase = by.group("owner")
        elif named:
            phrase = named.group(0)
        else:
            return None
    described = _DESCRIBED_NAME_RE.match(phrase)
    if (
        described
        and not _PREPOSITIONS.intersection(phrase.split())
        and HEAD_RE.fullmatch(phrase[: described.start("name")].split()[-1])
    ):
        return _speaker_from_name(described.group("name"))  # "monitoring platform CrowdTangle"
    prefix = _SPEAKER_PREFIX_RE.match(phrase)  # "the court posted Friday" -> the court
    if prefix is None:
        return None
    if prefix.group("org"):
        return _speaker_from_np(prefix.group("org"))
    return _speaker_from_joined_name(prefix.group("name"))


def _speaker_from_joined_name(phrase: str) -> _Speaker | None:
    """A name that may hold "of"/"for": an organisation ("the United Nations High
    Commissioner for Refugees"), unless a titled person ends it ("Secretary of State
    Antony Blinken")."""
    parts = re.split(rf"{_SP}(?:of|for){_SP}(?:the{_SP})?", phrase)
    if len(parts) == 1:
        return _speaker_from_name(phrase)
    person = _speaker_from_name(parts[-1])
    if person and person.kind == "person" and TITLES.intersection(parts[-1].split()):
        return person
    return _Speaker(re.sub(r"^(?:The|the)\s+", "", phrase), "group")


class _Referents:
    """Who a pronoun can stand for: the people and groups named so far, in order."""

    RECENT = 3  # a speaker this many sentences back still beats a newer mere mention

    def __init__(self) -> None:
        self.sentence = 0
        self.spoke: list[tuple[int, _Speaker]] = []
        self.mentioned: list[tuple[int, _Speaker]] = []
        self.pronoun_of: dict[str, str] = {}  # name -> "he"/"she" it was last called

    def speak(self, speaker: _Speaker) -> None:
        self.spoke.append((self.sentence, speaker))

    def mention(self, speaker: _Speaker) -> None:
        self.mentioned.append((self.sentence, speaker))

    def resolve(self, pronoun: str) -> str | None:
        wanted = (_PRONOUNS[pronoun], "unknown")

        def fits(speaker: _Speaker) -> bool:
            called = self.pronoun_of.get(speaker.name)
            return speaker.kind in wanted and (called is None or called == pronoun)

        spoke = next(((i, s) for i, s in reversed(self.spoke) if fits(s)), None)
        mentioned = next(((i, s) for i, s in reversed(self.mentioned) if fits(s)), None)
        best = spoke
        if mentioned and (
            not spoke or (mentioned[0] > spoke[0] and self.sentence - spoke[0] > self.RECENT)
        ):
            best = mentioned
        if best is None:
            return None
        if pronoun in ("he", "she"):
            self.pronoun_of[best[1].name] = pronoun
        return best[1].name


def _resolve(speaker: _Speaker, names: _FullNames, at: int, memory: _Referents) -> str | None:
    """The name to report; named speakers are remembered for later pronouns."""
    if speaker.kind == "pron":
        return memory.resolve(speaker.name)
    name, kind = speaker.name, speaker.kind
    if " " not in name and kind != "group":
        full = _full_name(names, name, at)
        if full:
            name, kind = full, "person"
    memory.speak(_Speaker(name, kind))
    return name


def _subject_mention(sentence: str, names: _FullNames, at: int) -> _Speaker | None:
    """The person a sentence opens with as its subject, for later pronouns: the first
    name near the start that is a person's ("Southwest flier Terry Hackelman can")."""
    for match in _NAME_THEN_VERB_RE.finditer(sentence, 0, 60):
        speaker = _named_after(sentence[: match.start()].rstrip(), match.group("name"))
        if speaker is None or speaker.kind == "group":
            continue
        if " " in speaker.name:
            return _Speaker(speaker.name, "person")
        full = _full_name(names, speaker.name, at)
        if full:
            return _Speaker(full, "person")
    return None


_FullNames = dict[str, tuple[int, str]]  # surname or family name -> (offset, full name)


def _full_names(text: str) -> _FullNames:
    """The first multi-word person name given for each first and last word of one
    ("Daniel Kritenbrink" for "Kritenbrink"; "Qin Gang" for "Qin"), with its offset."""
    found: _FullNames = {}
    for match in _NAME_RE.finditer(text):
        if " " not in match.group(0):
            continue
        speaker = _speaker_from_name(match.group(0))
        if speaker and speaker.kind == "person" and " " in speaker.name:
            parts = speaker.name.split()
            if parts[0] not in _ROYAL_TITLES:
                found.setdefault(parts[0], (match.start(), speaker.name))
            found.setdefault(parts[-1], (match.start(), speaker.name))
    return found


def _full_name(names: _FullNames, word: str, before: int) -> str | None:
    """The first full name given before `before` that starts or ends with `word`."""
    first = names.get(word)
    return first[1] if first and first[0] < before else None


def _scan_quotes(sentence: str, is_open: bool, new_paragraph: bool) -> _QuoteScan:
    """Where the sentence is inside quotation marks, given whether it starts inside."""
    spans = []
    start = 0 if is_open else -1
    starts_open = is_open
    for i, char in enumerate(sentence):
        if char == '"':
            left = sentence[i - 1] if i else " "
            if is_open and i == len(sentence) - len(sentence.lstrip()) and new_paragraph:
                continue  # the mark that reopens a quotation running on from the last paragraph
            opening = not is_open if left.isspace() or left in "([—–" else False
            char = _OPENING if opening else _CLOSING
        if char == _OPENING and not is_open:
            is_open, start = True, i + 1
        elif char == _CLOSING and is_open:
            is_open = False
            spans.append((max(start, 0), i))
    if is_open:
        spans.append((max(start, 0), len(sentence)))
    return _QuoteScan(tuple(spans), starts_open, is_open)


def _inside(scan: _QuoteScan, position: int) -> bool:
    return any(a <= position < b for a, b in scan.quoted)


def _is_bare_quote(sentence: str, scan: _QuoteScan) -> bool:
    """Whether the sentence is nothing but quotation: no attribution, no narration."""
    if not scan.quoted or not (scan.starts_open or sentence.lstrip().startswith((_OPENING, '"'))):
        return False
    outside, cursor = [], 0
    for a, b in scan.quoted:
        outside.append(sentence[cursor:a])
        cursor = b
    outside.append(sentence[cursor:])
    return not any(ch.isalnum() for part in outside for ch in part)


def _spread_in_quotations(
    found: list[str | None], joined_previous: list[bool], bare: list[bool]
) -> None:
    """Give every sentence of a multi-sentence quotation the speaker found in any of
    them; a quotation with narration but no speaker found is left alone entirely."""
    i = 0
    while i < len(found):
        j = i + 1
        while j < len(found) and joined_previous[j]:
            j += 1
        speaker = next((s for s in found[i:j] if s), None)
        if speaker:
            for k in range(i, j):
                found[k] = found[k] or speaker
        elif not all(bare[i:j]):
            bare[i:j] = [False] * (j - i)  # "“...,” Standing Bear said": not a bare quote
        i = j


def _spread_in_paragraphs(found: list[str | None], paragraph: list[int], bare: list[bool]) -> None:
    """A bare quotation takes the speaker of its paragraph: the one before it, else the
    quotation right after it; opening a paragraph, the previous paragraph's last one."""
    last_in_paragraph: str | None = None
    for i, speaker in enumerate(found):
        if i and paragraph[i] != paragraph[i - 1]:
            last_in_paragraph = None
        if speaker or not bare[i]:
            last_in_paragraph = speaker or last_in_paragraph
            continue
        k = i + 1
        while k < len(found) and paragraph[k] == paragraph[i] and bare[k] and not found[k]:
            k += 1
        if last_in_paragraph:
            found[i] = last_in_paragraph
        elif k < len(found) and paragraph[k] == paragraph[i] and bare[k] and found[k]:
            found[i] = found[k]
        elif i and paragraph[i - 1] == paragraph[i] - 1:
            found[i] = found[i - 1]
        last_in_paragraph = found[i]
