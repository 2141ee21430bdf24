"""Pure HTML for the web chat: transcript, sources panel, corpus table. Everything is escaped.

Article text, titles, urls and questions come from outside; every one of them goes
through `html.escape` before it meets markup, so `<script>`, `onerror=` and
Markdown links show as the text they are. The only markup is what this module writes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from qa import Answer, ArticleSummary, Citation, answer_sentences

_MARKER = re.compile(r"\[(\d+)\]")
_EXCERPT_CHARS = 500  # the most article text the panel shows around one citation
# an inline icon, not an emoji: servers and test browsers often lack an emoji font
_THUMB = (
    '<svg viewBox="0 0 24 24" width="15" height="15" fill="none" stroke="currentColor" '
    'stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">'
    '<path d="M7 10v12"/><path d="M15 5.88 14 10h5.83a2 2 0 0 1 1.92 2.56l-2.33 8A2 2 0 0 1 '
    "17.5 22H4a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2h2.76a2 2 0 0 0 1.79-1.11L12 2a3.13 3.13 0 0 1 "
    '3 3.88Z"/></svg>'
)
_PANEL_TITLE = '<h3 class="nd-panel-title">Sources</h3>'
# Clicking [n] marks its passage `nd-active` and scrolls to it. Not a URL fragment: the
# panel is re-rendered after every answer, and a fragment left in the URL (`:target`)
# would go on styling whichever block now holds that place. A re-render drops the class,
# so only the passage the user clicked is ever marked.
CITE_CLICK_JS = """
element.addEventListener('click', (event) => {
  const cite = event.target.closest('a.nd-cite');
  if (!cite) return;
  event.preventDefault();
  const target = document.getElementById((cite.getAttribute('href') || '').slice(1));
  if (!target) return;
  document.querySelectorAll('.nd-src.nd-active').forEach((el) => el.classList.remove('nd-active'));
  target.classList.add('nd-active');
  target.scrollIntoView({block: 'start'});
});
"""
NOT_SUPPORTED = "not supported by the cited passage"
CITES_NOTHING = "cites no passage"


@dataclass(frozen=True)
class ChatTurn:
    """One exchange as the chat shows it: a question and its answer, or where it got to."""

    question: str
    answer: Answer | None = None  # None while streaming or after an error
    partial: str = ""  # answer text streamed so far
    error: str = ""  # shown instead of an answer
    vote: str | None = None  # "up" or "down" once the user has voted
    mode: str = "extractive"  # the mode asked for; the answer's own may differ (a fallback)


def esc(text: str) -> str:
    """Text made safe to place in HTML content or a quoted attribute.

    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(text, quote=True)


def safe_href(url: str) -> str | None:
    """The url if a browser may follow it from the panel (http or https), else None.

    >>> safe_href("https://example.com/a?b=1"), safe_href("javascript:alert(1)")
    ('https://example.com/a?b=1', None)
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None


def source_anchor(turn: int, marker: int) -> str:
    """The element id of citation `marker` of answer `turn` in the sources panel.

    >>> source_anchor(0, 2)
    'nd-src-0-2'
    """
    return f"nd-src-{turn}-{marker}"


def excerpt_window(
    text: str, start: int, end: int, max_chars: int = _EXCERPT_CHARS
) -> tuple[int, int]:
    """The span of whole lines around `text[start:end]`, grown outwards within `max_chars`.

    The cited line is always whole; then the line before, the line after, and so on,
    while the window stays within `max_chars`.

    >>> t = "Head\\n\\nOne. Two.\\nThree.\\nFour."
    >>> excerpt_window(t, 11, 15, max_chars=20)
    (0, 15)
    >>> excerpt_window(t, 11, 15, max_chars=30)
    (0, 28)
    >>> excerpt_window(t, 11, 15, max_chars=9)
    (6, 15)
    """
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    hit = [i for i, (a, b) in enumerate(lines) if a < end and b > start]
    if not hit:
        return start, end
    first, last = hit[0], hit[-1]
    while True:
        grown = False
        for candidate in (first - 1, last + 1):
            if 0 <= candidate < len(lines):
                lo = min(lines[first][0], lines[candidate][0])
                hi = max(lines[last][1], lines[candidate][1])
                if hi - lo <= max_chars:
                    first, last = min(first, candidate), max(last, candidate)
                    grown = True
        if not grown:
            return lines[first][0], lines[last][1]


def highlighted_excerpt(text: str, start: int, end: int, max_chars: int = _EXCERPT_CHARS) -> str:
    """HTML of the lines around `text[start:end]`, that span in `<mark>`, line breaks kept.

    >>> highlighted_excerpt("A <b>.\\nSaid x.\\nC.", 7, 14)
    'A &lt;b&gt;.<br><mark>Said x.</mark><br>C.'
    """
    lo, hi = excerpt_window(text, start, end, max_chars)
    start, end = max(start, lo), min(end, hi)
    before, cited, after = text[lo:start], text[start:end], text[end:hi]

    def lines(part: str) -> str:
        return "<br>".join(esc(line) for line in re.split(r"\n+", part))

    return f"{lines(before)}<mark>{lines(cited)}</mark>{lines(after)}"


def answer_html(
    text: str,
    markers: Sequence[int],
    turn: int,
    unsupported: Collection[int] = (),
    *,
    labelled: bool = True,
) -> str:
    """Escaped answer text whose `[n]` markers link to the sources panel.

    Only markers that resolve to a citation become links; any other `[n]` stays text.
    Sentences whose 0-based index is in `unsupported` (as `qa` splits the answer) are
    wrapped to be underlined and, if `labelled`, followed by a label saying why.

    >>> answer_html("It fell [1]. <b>[3]</b>", [1], 0)
    'It fell <a class="nd-cite" href="#nd-src-0-1">[1]</a>. &lt;b&gt;[3]&lt;/b&gt;'
    >>> answer_html("It fell [1]. It rose.", [1], 0, unsupported=[1])  # doctest: +ELLIPSIS
    'It fell <a ...>[1]</a>. <span class="nd-unsupported" title="cites no passage">It rose.</span><span class="nd-flag">cites no passage</span>'
    """  # noqa: E501 - a doctest's expected output is one line
    if not unsupported:
        return _linked(text, markers, turn)
    pieces: list[str] = []
    done = 0
    for index, (start, end) in enumerate(answer_sentences(text)):
        pieces.append(_linked(text[done:start], markers, turn))
        sentence = _linked(text[start:end], markers, turn)
        if index in unsupported:
            why = NOT_SUPPORTED if _MARKER.search(text[start:end]) else CITES_NOTHING
            sentence = f'<span class="nd-unsupported" title="{why}">{sentence}</span>'
            if labelled:
                sentence += f'<span class="nd-flag">{why}</span>'
        pieces.append(sentence)
        done = end
    pieces.append(_linked(text[done:], markers, turn))
    return "".join(pieces)


def _linked(text: str, markers: Sequence[int], turn: int) -> str:
    known = set(markers)

    def link(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in known:
            return m.group(0)
        return f'<a class="nd-cite" href="#{source_anchor(turn, n)}">[{n}]</a>'

    return _MARKER.sub(link, esc(text))


def render_chat(turns: Sequence[ChatTurn]) -> str:
    """The transcript: each question, then its answer, abstention, error or streamed text."""
    if not turns:
        return (
            '<div class="nd-chat"><div class="nd-empty">Ask a question about the articles '
            "in the index. Every sentence of the answer links to the passage it comes "
            "from.</div></div>"
        )
    return (
        '<div class="nd-chat">' + "".join(_turn_html(i, t) for i, t in enumerate(turns)) + "</div>"
    )


def _turn_html(i: int, turn: ChatTurn) -> str:
    question = f'<div class="nd-q"><p>{esc(turn.question)}</p></div>'
    if turn.error:
        body = (
            '<div class="nd-a nd-error"><p><strong>Could not answer.</strong> '
            f"{esc(turn.error)}</p></div>"
        )
    elif turn.answer is None:
        body = _streaming_block(turn)
    else:
        body = _answer_block(i, turn.answer, turn.vote)
    return f'<div class="nd-turn" id="nd-turn-{i}">{question}{body}</div>'


def _streaming_block(turn: ChatTurn) -> str:
    generative = turn.mode == "generative"
    if turn.partial:
        shown = f'<span class="nd-partial">{esc(turn.partial)}</span>'
    elif generative:
        shown = '<span class="nd-wait">Searching the articles and asking the language model…</span>'
    else:
        shown = '<span class="nd-wait">Searching the articles…</span>'
    note = (
        '<div class="nd-stream-note">Written by a language model; its citations are '
        "checked when it finishes.</div>"
        if generative
        else ""
    )
    caret = '<span class="nd-caret"></span>'
    return f'<div class="nd-a nd-streaming"><p>{shown}{caret}</p>{note}</div>'


def _answer_block(i: int, answer: Answer, vote: str | None) -> str:
    unchecked = _unchecked(answer)
    classes = "nd-a nd-abstained" if answer.abstained else "nd-a"
    if unchecked:
        classes += " nd-unchecked"
    badges = []
    if answer.mode == "generative":
        badges.append('<span class="nd-mode-tag">Written by a language model</span>')
    if answer.abstained:
        badges.append(
            '<span class="nd-badge">No answer in the articles: '
            "related passages are in the sources panel</span>"
        )
    elif unchecked:
        badges.append(
            '<span class="nd-badge">Unchecked: it cites no passage; the closest '
            "evidence is in the sources panel</span>"
        )
    elif answer.unsupported:
        n = len(answer.unsupported)
        badges.append(
            f'<span class="nd-badge">{n} sentence{"s" if n > 1 else ""} not supported '
            "by the cited passages</span>"
        )
    badge_html = f'<div class="nd-badges">{"".join(badges)}</div>' if badges else ""
    # an unchecked answer says so once, in its badge, not after every sentence
    text = answer_html(
        answer.text,
        [c.marker for c in answer.citations],
        i,
        set(answer.unsupported),
        labelled=not unchecked,
    )
    votes = "".join(
        f'<button class="nd-vote nd-vote-{v}{" nd-chosen" if vote == v else ""}" '
        f'data-vote="{v}" data-turn="{i}" title="{label}" aria-label="{label}">{_THUMB}</button>'
        for v, label in (("up", "Good answer"), ("down", "Bad answer"))
    )
    return (
        f'<div class="{classes}" data-turn="{i}" data-mode="{esc(answer.mode)}">{badge_html}'
        f'{read_as_html(answer)}<p class="nd-text">{text}</p>{notices_html(answer.notices)}'
        f'<div class="nd-votes">{votes}</div></div>'
    )


def read_as_html(answer: Answer) -> str:
    """How the question was read, where that differs from how it was asked: a follow-up
    made standalone ("what else did he say?" as "what else did Kritenbrink say?"), or
    one read in the conversation's story; empty otherwise.

    >>> a = Answer("what did he say?", "", (), False, standalone_question="what did <b> say?")
    >>> read_as_html(a)
    '<div class="nd-read-as">Read as “what did &lt;b&gt; say?”</div>'
    >>> read_as_html(Answer("Why?", "", (), False, standalone_question="why ?"))
    ''
    """
    read = answer.standalone_question.strip()
    if not read or _squash(read) == _squash(answer.question):
        return ""
    return f'<div class="nd-read-as">Read as “{esc(read)}”</div>'


def _squash(text: str) -> str:
    return "".join(text.split()).lower()


def notices_html(notices: Sequence[str]) -> str:
    """A box of what the user should know about an answer (fallbacks, dropped
    markers, an unchecked answer); empty when there is nothing.

    >>> notices_html(["Removed citation [7]: <b>"])
    '<div class="nd-notices" role="note"><ul><li>Removed citation [7]: &lt;b&gt;</li></ul></div>'
    >>> notices_html([])
    ''
    """
    if not notices:
        return ""
    items = "".join(f"<li>{esc(n)}</li>" for n in notices)
    return f'<div class="nd-notices" role="note"><ul>{items}</ul></div>'


def _unchecked(answer: Answer) -> bool:
    """An answer that cites nothing yet is not an abstention: a model that wrote
    without citing, shown with the extractive evidence instead."""
    return not answer.abstained and not answer.citations and bool(answer.related)


def render_sources(turns: Sequence[ChatTurn], texts: Mapping[str, str]) -> str:
    """The sources panel: for each answer, newest first, its cited articles and passages.

    `texts` maps article id to article text; a citation whose article is missing
    (deleted since) shows its quote alone.
    """
    sections = [
        _sources_section(i, t.question, t.answer, texts)
        for i, t in reversed(list(enumerate(turns)))
        if t.answer is not None
    ]
    if not sections:
        return (
            f'<div class="nd-sources">{_PANEL_TITLE}<div class="nd-empty">Sources of each '
            "answer appear here, with the cited sentence highlighted.</div></div>"
        )
    return f'<div class="nd-sources">{_PANEL_TITLE}' + "".join(sections) + "</div>"


def _sources_section(i: int, question: str, answer: Answer, texts: Mapping[str, str]) -> str:
    heading = f'<h4 class="nd-src-q">Answer {i + 1}: {esc(question)}</h4>'
    if answer.abstained:
        if not answer.related:
            empty = '<p class="nd-empty">No related passages.</p>'
            return f'<section class="nd-src-turn">{heading}{empty}</section>'
        note = '<p class="nd-related-note">Not an answer: the closest passages found.</p>'
        cited = [(f"nd-rel-{i}-{k}", "~", c) for k, c in enumerate(answer.related)]
        body = _articles(cited, texts)
        return f'<section class="nd-src-turn nd-related">{heading}{note}{body}</section>'
    cited = [(source_anchor(i, c.marker), str(c.marker), c) for c in answer.citations]
    parts = [heading]
    if cited:
        parts.append(_articles(cited, texts))
    elif not answer.related:
        parts.append('<p class="nd-empty">No citations.</p>')
    if answer.related:
        # not citations: what the extractive reader found, for checking the answer by hand
        note = (
            '<p class="nd-evidence-note">Evidence: the closest passages in the articles. '
            "The answer does not cite them; compare it with them.</p>"
        )
        evidence = [(f"nd-ev-{i}-{k}", f"e{k + 1}", c) for k, c in enumerate(answer.related)]
        parts.append(f'<div class="nd-evidence">{note}{_articles(evidence, texts)}</div>')
    return f'<section class="nd-src-turn">{"".join(parts)}</section>'


def _articles(cited: Sequence[tuple[str, str, Citation]], texts: Mapping[str, str]) -> str:
    by_article: dict[str, list[tuple[str, str, Citation]]] = {}
    for entry in cited:
        by_article.setdefault(entry[2].article_id, []).append(entry)
    return "".join(_article_card(entries, texts) for entries in by_article.values())


def _article_card(entries: Sequence[tuple[str, str, Citation]], texts: Mapping[str, str]) -> str:
    first = entries[0][2]
    meta = [esc(first.date or "date unknown")]
    if first.source:
        meta.append(esc(first.source))
    href = safe_href(first.url)
    if href:
        meta.append(
            f'<a href="{esc(href)}" target="_blank" rel="noopener noreferrer">{esc(first.url)}</a>'
        )
    elif first.url:
        meta.append(f'<span class="nd-url">{esc(first.url)}</span>')
    passages = "".join(_passage(anchor, label, c, texts) for anchor, label, c in entries)
    return (
        f'<article class="nd-src-article"><h5>{esc(first.title or "Untitled article")}</h5>'
        f'<div class="nd-meta">{" · ".join(meta)}</div>{passages}</article>'
    )


def _passage(anchor: str, label: str, c: Citation, texts: Mapping[str, str]) -> str:
    text = texts.get(c.article_id)
    if text is not None and 0 <= c.start < c.end <= len(text):
        body = highlighted_excerpt(text, c.start, c.end)
    else:
        body = f"<mark>{esc(c.quote)}</mark>"
    speaker = f'<div class="nd-speaker">— {esc(c.speaker)}</div>' if c.speaker else ""
    return (
        f'<div class="nd-src" id="{anchor}"><span class="nd-marker">[{esc(label)}]</span>'
        f"<blockquote>{body}</blockquote>{speaker}{also_in_html(c)}</div>"
    )


def also_in_html(c: Citation) -> str:
    """ "also in N outlets" under a cited sentence that copies of its story carry too,
    opening to the list; each entry links to its copy (a copy without a safe url is
    named with its id and span).

    >>> from qa import ArticleRef, CopyRef
    >>> copy = CopyRef("c1", "Quake survivors", "USA Today", "https://u.example/q", 10, 42)
    >>> also_in_html(Citation(1, ArticleRef("a"), "q", 0, 1, 1.0, also_in=(copy,)))[:73]
    '<details class="nd-also"><summary>also in 1 outlet</summary><ul><li><a cl'
    >>> also_in_html(Citation(1, ArticleRef("a"), "q", 0, 1, 1.0))
    ''
    """
    if not c.also_in:
        return ""
    outlets = len({x.source or x.article_id for x in c.also_in})
    items = []
    for x in c.also_in:
        name = esc(x.source or "unknown source") + (f" — {esc(x.title)}" if x.title else "")
        href = safe_href(x.url)
        if href:
            items.append(
                f'<li><a class="nd-copy" href="{esc(href)}" target="_blank" '
                f'rel="noopener noreferrer" data-article="{esc(x.article_id)}">{name}</a></li>'
            )
        else:
            items.append(
                f'<li><span class="nd-copy" data-article="{esc(x.article_id)}">{name} '
                f"({esc(x.article_id)} {x.start}:{x.end})</span></li>"
            )
    label = f"also in {outlets} outlet{'s' if outlets != 1 else ''}"
    return f'<details class="nd-also"><summary>{label}</summary><ul>{"".join(items)}</ul></details>'


def render_corpus(articles: Sequence[ArticleSummary]) -> str:
    """The corpus table: title, date, source and chunk count of every article."""
    if not articles:
        return '<div class="nd-empty">The index holds no articles yet: upload some above.</div>'
    rows = "".join(
        f"<tr><td>{esc(a.title or 'Untitled article')}</td><td>{esc(a.date or '')}</td>"
        f'<td>{esc(a.source)}</td><td class="nd-num">{a.chunks}</td>'
        f'<td class="nd-id">{esc(a.id)}</td></tr>'
        for a in articles
    )
    return (
        f'<div class="nd-corpus-count">{len(articles)} article(s)</div>'
        '<table class="nd-corpus"><thead><tr><th>Title</th><th>Date</th><th>Source</th>'
        f"<th>Chunks</th><th>Id</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def render_status(lines: Sequence[str], kind: str = "info") -> str:
    """A status box (kind "info", "ok" or "error") of escaped lines.

    >>> render_status(["a<b"], "error")
    '<div class="nd-status nd-status-error"><p>a&lt;b</p></div>'
    """
    body = "".join(f"<p>{esc(line)}</p>" for line in lines)
    return f'<div class="nd-status nd-status-{kind}">{body}</div>'
