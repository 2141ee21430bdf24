"""The words of reported speech, in one place: speech verbs, speaker heads, documents, titles.

Every pattern that looks for who said something (the sentence speaker, the parsed
question, the evidence scorer, the composer's pronoun naming) is built from these lists.
"""

from __future__ import annotations

# lemma -> (third person, past, present participle); the past participle is the past
# but where listed in _PARTICIPLES
_VERBS: dict[str, tuple[str, str, str]] = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "add": ("adds", "added", "adding"),
    "argue": ("argues", "argued", "arguing"),
    "warn": ("warns", "warned", "warning"),
    "note": ("notes", "noted", "noting"),
    "explain": ("explains", "explained", "explaining"),
    "stress": ("stresses", "stressed", "stressing"),
    "urge": ("urges", "urged", "urging"),
    "caution": ("cautions", "cautioned", "cautioning"),
    "write": ("writes", "wrote", "writing"),
    "ask": ("asks", "asked", "asking"),
    "state": ("states", "stated", "stating"),
    "insist": ("insists", "insisted", "insisting"),
    "claim": ("claims", "claimed", "claiming"),
    "reply": ("replies", "replied", "replying"),
    "respond": ("responds", "responded", "responding"),
    "acknowledge": ("acknowledges", "acknowledged", "acknowledging"),
    "admit": ("admits", "admitted", "admitting"),
    "suggest": ("suggests", "suggested", "suggesting"),
    "announce": ("announces", "announced", "announcing"),
    "confirm": ("confirms", "confirmed", "confirming"),
    "tweet": ("tweets", "tweeted", "tweeting"),
    "emphasize": ("emphasizes", "emphasized", "emphasizing"),
    "emphasise": ("emphasises", "emphasised", "emphasising"),
    "declare": ("declares", "declared", "declaring"),
    "predict": ("predicts", "predicted", "predicting"),
    "counter": ("counters", "countered", "countering"),
    "concede": ("concedes", "conceded", "conceding"),
    "reiterate": ("reiterates", "reiterated", "reiterating"),
    "contend": ("contends", "contended", "contending"),
    "complain": ("complains", "complained", "complaining"),
    "testify": ("testifies", "testified", "testifying"),
    "disclose": ("discloses", "disclosed", "disclosing"),
    "reveal": ("reveals", "revealed", "revealing"),
    "continue": ("continues", "continued", "continuing"),
    "observe": ("observes", "observed", "observing"),
    "maintain": ("maintains", "maintained", "maintaining"),
    "recall": ("recalls", "recalled", "recalling"),
    "mention": ("mentions", "mentioned", "mentioning"),
    "promise": ("promises", "promised", "promising"),
    "comment": ("comments", "commented", "commenting"),
    "answer": ("answers", "answered", "answering"),
}
_PARTICIPLES = {"write": "written"}
SPEECH_LEMMAS = frozenset(_VERBS)


def forms(
    lemmas: frozenset[str] | None = None,
    *,
    third: bool = True,
    past: bool = True,
    base: bool = False,
    ing: bool = False,
    participle: bool = False,
) -> list[str]:
    """Word forms of the speech verbs (or of `lemmas` among them): by default the third
    person and the past, which is how news reports speech.

    >>> forms(frozenset({"tell", "write"}), base=True, ing=True, participle=True)
    ['tell', 'tells', 'told', 'telling', 'write', 'writes', 'wrote', 'writing', 'written']
    >>> forms(frozenset({"say"}), third=False)
    ['said']
    """
    out: list[str] = []
    for lemma, (third_person, past_tense, present) in _VERBS.items():
        if lemmas is not None and lemma not in lemmas:
            continue
        wanted = [(base, lemma), (third, third_person), (past, past_tense), (ing, present)]
        out += [word for on, word in wanted if on]
        if participle and lemma in _PARTICIPLES:
            out.append(_PARTICIPLES[lemma])
    return out


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of `words`, longest first, so that no word shadows a longer one.

    >>> alternation(["say", "said", "saying"])
    'saying|said|say'
    """
    return "|".join(sorted(dict.fromkeys(words), key=lambda w: (-len(w), w)))


# these take an object as readily as a quote ("Kia recalled 126,747 vehicles"): they are
# speech only before a quote, a clause or the end ("Smith added that", "Stoops recalled.")
OBJECT_TAKING = frozenset({"add", "continue", "observe", "maintain", "recall", "claim"})
# these follow a quote with the speaker after them ("...,” said Smith")
INVERTING = frozenset(
    "say add write ask explain note continue warn argue insist recall reply state tweet "
    "caution stress".split()
)
# these open a participle clause of speech after a comma (", saying ...", ", calling it ...")
PARTICIPLE_OPENERS = [
    *forms(INVERTING | {"tell", "claim", "urge"}, third=False, past=False, ing=True),
    "calling",
]
# these read as nouns in a question ("the State Department", "the United States"), where
# case tells nothing: questions are matched ignoring case
NOUNS_IN_QUESTIONS = frozenset({"state"})
# speech said in more than one word, matched as they stand
PHRASES = ("pointed out", "put it")


# Heads of a speaker noun phrase that is not a name ("China's foreign ministry").
PERSON_HEADS = (
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
GROUP_HEADS = (
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

DOCUMENTS = (
    "statement|readout|letter|tweet|post|report|memo|remarks|comments|testimony|filing|"
    "census|data|figures|estimates|records|documents|survey|poll|study|analysis|website|"
    "complaint|lawsuit|indictment|release|press release|transcript|interview|account|"
    "calculations|tally|count|research|statistics|numbers|projections|forecast|rankings|index|"
    "review|audit|investigation|database|tracker|map|model|paper|article|book|court records|"
    "order|ruling|opinion|decision|notice|guidance|announcement|message|email|note|bulletin|"
    "documents|docket|affidavit|biography|page|footage|video|release"
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

ROYAL_TITLES = frozenset(
    "King Queen Prince Princess Pope Sheikh Emperor Empress Duke Duchess".split()
)
