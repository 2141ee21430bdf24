"""A summary as a news desk gives it: a story's lead, quoted and cited.

A news story puts what matters first, so its summary is its first sentences: those
that tell the story, past what a web page puts before it (a dateline, a newsletter's
sign-up, a gallery's captions, a byline, a heading that asks). Several stories on
a topic are summarised by a sentence of each: its lead where the lead is on the topic,
else its first sentence that is (a roundup's item on it). Every sentence is cited
exactly, as an answer's are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence

from index import lexical_terms
from index.records import Article, ArticleRef, Span
from index.sentences import split_sentences
from qa.extractive.compose import ABSTAIN_TEXT, as_quoted, restates
from qa.records import Answer, Citation
from qa.speech.naming import name_speaker

LEAD_SENTENCES = 3  # of one story
STORIES = 3  # at most, a sentence each, when several stories are summarised
# where a story's lead is looked for: past what a page puts before it, not so far in
# that a sentence there is no longer the lead; a roundup's item on a topic may be further
_LEAD_WINDOW = 15
_TOPIC_WINDOW = 60
_WORD = re.compile(r"\w+")
_LOWER_WORD = re.compile(r"(?<![\w’'])[a-z]+\b")  # a table's row or a caption has few
_ENDS = re.compile(r"[.!][\"”’')]*$")  # a statement: a heading that asks is not the story
# the page speaking to its reader: a sign-up form, a newsletter's pitch, its policies,
# and a gallery's captions ("Hide Caption 1 of 44 Photos: ...")
_PAGE_TEXT = re.compile(
    r"\b(?:your|sign\s+up|subscri(?:be|ption)|newsletters?|inbox|click|we\s+will\s+use|"
    r"privacy\s+policy|terms\s+of\s+(?:use|service)|cookies|you\s+agree|"
    r"hide\s+caption|\d+\s+of\s+\d+\s+photos)\b"
    # or telling the reader what to do: "Explore the universe with news on ...", "Watch:"
    r"|^(?:explore|read|watch|follow|listen|download|join|discover|check\s+out|don['’]t\s+miss)\b",
    re.IGNORECASE,
)


def lead_spans(
    article: Article, count: int = LEAD_SENTENCES, topic: str = "", start: int = 0
) -> list[Span]:
    """The spans of `count` sentences that tell `article`'s story (none where no sentence
    does), from its lead, or from its first sentence on `topic` where one is given and
    the lead is not on it; `start` of them passed over ("tell me more").

    >>> text = ("CNN —\\nSign up for our newsletter today.\\nThe Senate vote passed after a "
    ...         "long night of debate.\\nThe vote now goes to the House, where debate resumes.")
    >>> a = Article("a", text, title="Senate vote passes")
    >>> [text[s:e][:24] for s, e in lead_spans(a, 2)]
    ['The Senate vote passed a', 'The vote now goes to the']
    >>> [text[s:e][:24] for s, e in lead_spans(a, 2, start=1)]
    ['The vote now goes to the']
    """
    spans = split_sentences(article.text)
    told = [s for s in spans[:_TOPIC_WINDOW] if _tells_story(article.text[s[0] : s[1]])]
    window_end = spans[_LEAD_WINDOW - 1][1] if len(spans) >= _LEAD_WINDOW else len(article.text)
    first = 0 if told and told[0][1] <= window_end else None  # a lead where a lead is
    wanted = set(lexical_terms(topic))
    if wanted and not (first == 0 and _holds(article, told[0], wanted, math.ceil(len(wanted) / 2))):
        # a roundup whose lead is another story: its first sentence on the topic
        need = len(wanted) if len(wanted) <= 2 else math.ceil(0.6 * len(wanted))
        on_topic = [i for i, span in enumerate(told) if _holds(article, span, wanted, need)]
        first = on_topic[0] if on_topic else first
    if first is None:
        return []
    return told[first + start : first + start + count]


def leads_on(topic: str, article: Article) -> bool:
    """Whether `article`'s lead is on `topic`, half its terms or more: the story is the
    topic's, not one that mentions it further down.

    >>> text = "Police caught the fugitive Danelo Cavalcante on Wednesday. A dog bit him."
    >>> story = Article("a", text)
    >>> leads_on("Danelo Cavalcante", story), leads_on("the dog", story)
    (True, False)
    """
    lead = lead_spans(article, 1)
    wanted = set(lexical_terms(topic))
    return bool(lead) and _holds(article, lead[0], wanted, math.ceil(len(wanted) / 2))


def _holds(article: Article, span: Span, terms: set[str], need: int) -> bool:
    return len(terms & set(lexical_terms(article.text[span[0] : span[1]]))) >= need


def _tells_story(sentence: str) -> bool:
    """Whether a sentence reads as the story's prose: a statement of five words or more,
    three of them lower-case (not a table's row or a caption), not the page's words to
    its reader."""
    return not (
        len(_WORD.findall(sentence)) < 5
        or len(_LOWER_WORD.findall(sentence)) < 3
        or not _ENDS.search(sentence)
        or _PAGE_TEXT.search(sentence)
    )


def about_topic(topic: str, article: Article) -> bool:
    """Whether `article` is about `topic`: its title and text hold every term of a topic
    of up to three terms, three in four of a longer one. A story that only comes nearest
    to a topic is not its summary.

    >>> story = Article("a", "Blinken visits Beijing next week.", title="Blinken to visit China")
    >>> about_topic("Blinken's trip to China", story), about_topic("the World Cup", story)
    (False, False)
    >>> about_topic("Blinken's visit to China", story)
    True
    """
    terms = set(lexical_terms(topic))
    if not terms:
        return True
    held = set(lexical_terms(f"{article.title}\n{article.text}"))
    return len(terms & held) >= math.ceil(0.75 * len(terms)) if len(terms) > 3 else terms <= held


def titled(topic: str, article: Article) -> bool:
    """Whether `article`'s title names `topic`: half its terms or more."""
    terms = set(lexical_terms(topic))
    return len(terms & set(lexical_terms(article.title))) >= max(1, math.ceil(len(terms) / 2))


def summary_citations(
    articles: Sequence[Article],
    *,
    one_story: bool,
    topic: str = "",
    limit: int = STORIES,
    skip: int = 0,
) -> tuple[Citation, ...]:
    """The citations of a summary of `articles`, best first, `limit` sentences at most:
    the lead of the first alone when `one_story` is asked for or it is the only one,
    else a sentence of each of them (`first_sentences`); after `skip` rounds of "tell me
    more", the sentences that follow those rounds'."""
    if not articles:
        return ()
    if one_story or len(articles) == 1:
        first = articles[0]
        count = min(limit, LEAD_SENTENCES)
        spans = lead_spans(first, count, topic, start=skip * count)
        if not spans and not skip:  # no sentence reads as prose: the story as it opens
            spans = split_sentences(first.text)[:count]
        return tuple(cite_span(n, first, span) for n, span in enumerate(spans, 1))
    return first_sentences(articles, topic, limit, start=skip)


def first_sentences(
    articles: Sequence[Article], topic: str = "", limit: int = STORIES, start: int = 0
) -> tuple[Citation, ...]:
    """The lead of each of up to `limit` (at most STORIES) `articles` (its first sentence
    on `topic`, when given and the lead is not; the one `start` sentences after it),
    none retelling an earlier one."""
    chosen: list[tuple[Article, Span]] = []
    for article in articles:
        spans = lead_spans(article, 1, topic, start)
        lead = article.text[spans[0][0] : spans[0][1]] if spans else ""
        if not lead or any(restates(a.text[s:e], lead) for a, (s, e) in chosen):
            continue
        chosen.append((article, spans[0]))
        if len(chosen) == min(limit, STORIES):
            break
    return tuple(cite_span(n, article, span) for n, (article, span) in enumerate(chosen, 1))


def quoted_citations(
    stories: Sequence[Article],
    speakers: Callable[[Article], Mapping[int, str | None]],
    *,
    topic: str = "",
    limit: int = STORIES,
    skip: int = 0,
) -> tuple[tuple[Citation, ...], list[str]]:
    """Whom `stories` quote: a cited sentence for each of the `limit` speakers given the
    most sentences (on `topic`, when given and any is; after `skip` rounds of "tell me
    more", the next `limit`), in the order the stories quote them, and the names of the
    others not shown yet. `speakers(article)` maps each sentence's start to
    whom it quotes. A speaker's sentence is the first that names them, else the first
    quoted.

    >>> text = "“We are ready,” Ann Lee said. “We won,” she said. Bo Chan said no."
    >>> said = {0: "Ann Lee", 30: "Ann Lee", 50: "Bo Chan"}
    >>> cited, others = quoted_citations([Article("a", text)], lambda a: said, limit=1)
    >>> [c.quote for c in cited], [c.speaker for c in cited], others
    (['“We are ready,” Ann Lee said.'], ['Ann Lee'], ['Bo Chan'])
    """
    wanted = set(lexical_terms(topic))
    said: dict[str, list[tuple[Article, Span]]] = {}
    for article in stories:
        by_start = dict(split_sentences(article.text))
        for start, speaker in speakers(article).items():
            if speaker and start in by_start:
                said.setdefault(_same_speaker(speaker, said), []).append(
                    (article, (start, by_start[start]))
                )
    if wanted:
        on_topic = {
            name: [q for q in quotes if _holds(q[0], q[1], wanted, 1)]
            for name, quotes in said.items()
        }
        if any(on_topic.values()):
            said = {name: quotes for name, quotes in on_topic.items() if quotes}
    ranked = sorted(said, key=lambda name: -len(said[name]))  # stable: first quoted first
    count = min(limit, STORIES)
    shown = [name for name in said if name in ranked[skip * count : (skip + 1) * count]]
    earlier = set(ranked[: skip * count])
    cited = []
    for n, name in enumerate(shown, 1):
        quotes = said[name]
        # a word of the name, either way round ("Kritenbrink said", "Qin told Blinken")
        parts = re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in name.split())})\b")
        article, span = next(
            (q for q in quotes if parts.search(q[0].text[q[1][0] : q[1][1]])), quotes[0]
        )
        cited.append(cite_span(n, article, span, name))
    return tuple(cited), [name for name in said if name not in shown and name not in earlier]


def _same_speaker(speaker: str, known: Mapping[str, object]) -> str:
    """`speaker` as first named: "Kritenbrink" is "Daniel Kritenbrink" named before."""
    last, folded = speaker.split()[-1].casefold(), speaker.casefold()
    for name in known:
        named = name.casefold()
        if named.split()[-1] == last and (folded in named or named in folded):
            return name
    return speaker


def summary_answer(
    question: str,
    stories: Sequence[Article],
    one_story: bool,
    notices: tuple[str, ...],
    *,
    topic: str = "",
    limit: int = STORIES,
    nearest: Sequence[Article] = (),
    speakers: Callable[[Article], Mapping[int, str | None]] | None = None,
    quotes_on_topic: bool = False,
    skip: int = 0,
) -> Answer:
    """The answer to `question` that summarises `stories` in `limit` sentences at most
    (see `summary_citations`), or with `speakers` given says whom they quote (see
    `quoted_citations`; their words on `topic` when `quotes_on_topic`), `skip` rounds of
    "tell me more" on; without any, an abstention that shows the leads of the `nearest`
    articles."""
    if speakers is None:
        citations = summary_citations(
            stories, one_story=one_story, topic=topic, limit=limit, skip=skip
        )
    else:
        chosen = stories[:1] if one_story else stories[:STORIES]
        on = topic if quotes_on_topic else ""
        citations, others = quoted_citations(chosen, speakers, topic=on, limit=limit, skip=skip)
        if others:
            notices += (f"Also quoted: {', '.join(others)}.",)
        elif not citations and stories:
            notices += ("The stories quote no one by name.",)
            nearest = stories
    if not citations and skip and stories:
        notices += ("Nothing more to add from these stories.",)
    if not citations:
        related = first_sentences(nearest)
        return Answer(question, ABSTAIN_TEXT, (), True, related, question, notices)
    return cited_answer(question, citations, notices)


def cited_answer(
    question: str, citations: tuple[Citation, ...], notices: tuple[str, ...]
) -> Answer:
    """The answer that quotes `citations`, each followed by its marker, naming the speaker
    a quote's pronoun stands for."""
    text = " ".join(
        f"{name_speaker(as_quoted(c.quote), c.speaker)} [{c.marker}]" for c in citations
    )
    return Answer(question, text, citations, False, (), question, notices)


def cite_span(marker: int, article: Article, span: Span, speaker: str | None = None) -> Citation:
    """A citation of `article`'s sentence at `span`, chosen by its place in the story."""
    start, end = span
    return Citation(
        marker=marker,
        article=ArticleRef.of(article),
        quote=article.text[start:end],
        start=start,
        end=end,
        score=0.0,  # chosen by its place in the story, not scored
        speaker=speaker,
    )
