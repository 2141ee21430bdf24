"""The web chat's HTML, on literal records: escaped, linked, highlighted, and for
generative answers, unsupported sentences, notices and evidence marked."""

from __future__ import annotations

import doctest
import re
from html.parser import HTMLParser
from types import ModuleType
from typing import Any

import pytest

import ui.web.http_api
import ui.web.render
import ui.web.uploads
from qa import Answer, ArticleRef, ArticleSummary, Citation, CopyRef
from ui.web.render import (
    CITES_NOTHING,
    NOT_SUPPORTED,
    ChatTurn,
    answer_html,
    excerpt_window,
    highlighted_excerpt,
    render_chat,
    render_corpus,
    render_sources,
    safe_href,
)

XSS_SCRIPT = "<script>window.__pwned = 1</script>"
XSS_IMG = '<img src=x onerror="window.__pwned = 1">'
XSS_LINK = "[read more](javascript:window.__pwned=1)"
TEXT = (
    f"Quellington {XSS_SCRIPT} fair\n\n"
    f"The fair opened {XSS_IMG} on Tuesday with 300 dancers.\n\n"
    f"Organisers said {XSS_LINK} it drew record crowds.\n"
)
CITED = "The fair opened"
START = TEXT.index(CITED)
END = TEXT.index("dancers.") + len("dancers.")


def citation(marker: int = 1, **changes: object) -> Citation:
    article: dict[str, Any] = {
        "id": "a1",
        "title": f"Fair {XSS_SCRIPT}",
        "url": "javascript:window.__pwned=1",
        "date": "2023-06-14",
        "source": XSS_IMG,
    }
    article.update({k: changes.pop(k) for k in list(changes) if k in article})
    fields: dict[str, Any] = {
        "marker": marker,
        "article": ArticleRef(**article),
        "quote": TEXT[START:END],
        "start": START,
        "end": END,
        "score": 0.9,
        "speaker": None,
    }
    fields.update(changes)
    return Citation(**fields)


def answer(**changes: object) -> Answer:
    fields: dict[str, Any] = {
        "question": f"who came? {XSS_IMG}",
        "text": f"{TEXT[START:END]} [1] {XSS_LINK}",
        "citations": (citation(),),
        "abstained": False,
    }
    fields.update(changes)
    return Answer(**fields)


class Tags(HTMLParser):
    """Every start tag and attribute the HTML would create in a browser."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_inert(markup: str) -> None:
    """No script, img or event handler, and no link anywhere but http(s) or the page itself."""
    for tag, attrs in Tags(markup).tags:
        assert tag not in ("script", "img", "iframe"), (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("#", "http://", "https://")), href


@pytest.mark.parametrize("module", [ui.web.render, ui.web.uploads, ui.web.http_api])
def test_worked_examples_in_docstrings_hold(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


def test_chat_shows_payloads_as_text_and_links_markers() -> None:
    markup = render_chat([ChatTurn("q1", answer())])
    assert_inert(markup)
    assert "&lt;img src=x onerror=&quot;window.__pwned = 1&quot;&gt;" in markup
    assert "[read more](javascript:window.__pwned=1)" in markup
    assert '<a class="nd-cite" href="#nd-src-0-1">[1]</a>' in markup


def test_sources_panel_escapes_and_highlights_the_cited_sentence() -> None:
    markup = render_sources([ChatTurn("q1", answer())], {"a1": TEXT})
    assert_inert(markup)
    marked = re.findall(r"<mark>(.*?)</mark>", markup)
    assert marked == [
        "The fair opened &lt;img src=x onerror=&quot;window.__pwned = 1&quot;&gt; "
        "on Tuesday with 300 dancers."
    ]
    assert 'id="nd-src-0-1"' in markup
    assert "Fair &lt;script&gt;window.__pwned = 1&lt;/script&gt;" in markup
    assert "javascript:window.__pwned=1" in markup  # the url is shown, as text
    assert "Organisers said [read more]" in markup  # the line after, for context


def test_sources_panel_links_only_web_urls() -> None:
    good = answer(citations=(citation(url="https://example.com/a?b=1&c=2"),))
    markup = render_sources([ChatTurn("q", good)], {"a1": TEXT})
    assert '<a href="https://example.com/a?b=1&amp;c=2" target="_blank"' in markup


def test_also_in_lists_copies_escaped_linking_only_web_urls() -> None:
    copies = (
        CopyRef("c1", f"Copy {XSS_SCRIPT}", XSS_IMG, "javascript:window.__pwned=1", 5, 40),
        CopyRef("c2", "Fair", "Daily Bugle", "https://bugle.example/fair?a=1&b=2", 7, 42),
        CopyRef("c3", "Fair, again", "Daily Bugle", "https://bugle.example/again", 7, 42),
    )
    markup = render_sources([ChatTurn("q", answer(citations=(citation(also_in=copies),)))], {})
    assert_inert(markup)
    assert "<summary>also in 2 outlets</summary>" in markup  # two copies in one outlet
    assert "Copy &lt;script&gt;" in markup and "(c1 5:40)" in markup  # no link to javascript:
    links = [a for tag, a in Tags(markup).tags if tag == "a" and a.get("class") == "nd-copy"]
    assert [a["href"] for a in links] == [
        "https://bugle.example/fair?a=1&b=2",
        "https://bugle.example/again",
    ]
    assert all(a["target"] == "_blank" and a["rel"] == "noopener noreferrer" for a in links)
    bare = render_sources([ChatTurn("q", answer())], {})
    assert "nd-also" not in bare


def test_sources_panel_without_the_article_shows_the_quote() -> None:
    markup = render_sources([ChatTurn("q", answer())], {})
    assert re.findall(r"<mark>(.*?)</mark>", markup) == [ui.web.render.esc(TEXT[START:END])]


def test_sources_panel_lists_answers_newest_first_with_their_own_anchors() -> None:
    turns = [ChatTurn("first", answer()), ChatTurn("second", answer())]
    markup = render_sources(turns, {"a1": TEXT})
    assert markup.index('id="nd-src-1-1"') < markup.index('id="nd-src-0-1"')


def test_abstention_is_marked_and_shows_related_passages() -> None:
    abstained = answer(text="The articles do not say.", citations=(), abstained=True)
    abstained = Answer(**{**abstained.__dict__, "related": (citation(marker=0),)})
    chat = render_chat([ChatTurn("q", abstained)])
    assert "nd-abstained" in chat and "No answer in the articles" in chat
    panel = render_sources([ChatTurn("q", abstained)], {"a1": TEXT})
    assert "nd-related" in panel and 'id="nd-rel-0-0"' in panel
    assert "<mark>" in panel


@pytest.mark.parametrize(
    ("turn", "expected"),
    [
        (ChatTurn("q"), "Searching the articles"),
        (ChatTurn("q", partial="So <far>"), "So &lt;far&gt;"),
        (ChatTurn("q", error="as_of must be a <date>"), "as_of must be a &lt;date&gt;"),
    ],
)
def test_chat_shows_progress_and_errors_escaped(turn: ChatTurn, expected: str) -> None:
    assert expected in render_chat([turn])


def test_a_follow_up_shows_how_it_was_read_escaped() -> None:
    read = answer(question="what did he say?", standalone_question="what did <Qin> say?")
    assert "Read as “what did &lt;Qin&gt; say?”" in render_chat([ChatTurn("q", read)])
    asked = answer(question="what did Qin say?", standalone_question="what did Qin say?")
    assert "nd-read-as" not in render_chat([ChatTurn("q", asked)])


def test_a_vote_marks_its_button() -> None:
    markup = render_chat([ChatTurn("q", answer(), vote="down")])
    chosen = [
        a for tag, a in Tags(markup).tags if tag == "button" and "nd-chosen" in (a["class"] or "")
    ]
    assert [a["data-vote"] for a in chosen] == ["down"]


def test_unknown_markers_stay_text() -> None:
    assert answer_html("See [2] and [1].", [1], 3) == (
        'See [2] and <a class="nd-cite" href="#nd-src-3-1">[1]</a>.'
    )


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil", ""]
)
def test_only_web_urls_are_followed(url: str) -> None:
    assert safe_href(url) is None


def test_excerpt_keeps_the_cited_line_whole_even_when_long() -> None:
    text = "Short.\n" + "Long sentence here. " * 60 + "\nAfter."
    start = text.index("Long")
    assert excerpt_window(text, start, start + 10, max_chars=100) == (7, len(text) - 7)
    assert highlighted_excerpt(text, start, start + 4).count("<mark>") == 1


def test_corpus_table_escapes_titles_and_sources() -> None:
    rows = [ArticleSummary("id1", XSS_SCRIPT, "2023-06-14", XSS_IMG, "", 3)]
    markup = render_corpus(rows)
    assert_inert(markup)
    assert "&lt;script&gt;" in markup and '<td class="nd-num">3</td>' in markup


# -- generative answers


def generative(**changes: Any) -> Answer:
    """A checked generative answer: sentence 0 backed, 1 cites a passage that lacks
    its words, 2 cites nothing."""
    fields: dict[str, Any] = {
        "text": f"The fair opened on Tuesday [1]. It drew {XSS_IMG} 9,000 people [1]. Nobody left.",
        "unsupported": (1, 2),
        "mode": "generative",
        "notices": (
            "Sentence 2 is not supported: the passages it cites do not contain “9,000”.",
            "Sentence 3 is not supported: it cites no passage.",
        ),
    }
    fields.update(changes)
    return answer(**fields)


def unchecked(**changes: Any) -> Answer:
    """What the model's answer becomes when it cites nothing: evidence attached."""
    fields: dict[str, Any] = {
        "text": "The fair was big. Many people came.",
        "citations": (),
        "related": (citation(marker=1),),
        "unsupported": (0, 1),
        "mode": "generative",
        "notices": (
            "The model cited no passage, so its answer is unchecked; the closest "
            "evidence from the articles is attached instead.",
        ),
    }
    fields.update(changes)
    return answer(**fields)


def spans(markup: str, css_class: str) -> list[str]:
    """The inner HTML of each `<span class="css_class">` (they hold no nested spans)."""
    return re.findall(rf'<span class="{css_class}"[^>]*>(.*?)</span>', markup)


def test_unsupported_sentences_are_underlined_and_labelled_with_why() -> None:
    markup = render_chat([ChatTurn("q", generative())])
    assert_inert(markup)
    marked = spans(markup, "nd-unsupported")
    assert marked == [
        "It drew &lt;img src=x onerror=&quot;window.__pwned = 1&quot;&gt; 9,000 people "
        '<a class="nd-cite" href="#nd-src-0-1">[1]</a>.',
        "Nobody left.",
    ]
    assert spans(markup, "nd-flag") == [NOT_SUPPORTED, CITES_NOTHING]
    assert "The fair opened on Tuesday" not in "".join(marked)
    assert "2 sentences not supported by the cited passages" in markup
    assert 'data-mode="generative"' in markup and "Written by a language model" in markup


@pytest.mark.parametrize("out_of_range", [(7,), (-1,)])
def test_unsupported_indexes_past_the_sentences_mark_nothing(
    out_of_range: tuple[int, ...],
) -> None:
    markup = render_chat([ChatTurn("q", generative(unsupported=out_of_range))])
    assert spans(markup, "nd-unsupported") == []


def test_extractive_answers_mark_no_sentence() -> None:
    markup = render_chat([ChatTurn("q", answer())])
    assert "nd-unsupported" not in markup and "nd-flag" not in markup
    assert "Written by a language model" not in markup


def test_notices_are_shown_escaped_in_a_box() -> None:
    notices = (f"Removed citation [7]: {XSS_IMG}", "The language model did not finish within 60 s")
    markup = render_chat([ChatTurn("q", generative(notices=notices))])
    assert_inert(markup)
    box = re.findall(r'<div class="nd-notices" role="note"><ul>(.*?)</ul></div>', markup)
    assert box == [
        "<li>Removed citation [7]: &lt;img src=x onerror=&quot;window.__pwned = 1&quot;&gt;</li>"
        "<li>The language model did not finish within 60 s</li>"
    ]
    assert "nd-notices" not in render_chat([ChatTurn("q", generative(notices=()))])


def test_an_unchecked_answer_is_flagged_once_with_its_evidence_in_the_panel() -> None:
    turn = ChatTurn("q", unchecked())
    chat = render_chat([turn])
    assert "nd-unchecked" in chat and "nd-abstained" not in chat
    assert "Unchecked: it cites no passage" in chat
    assert len(spans(chat, "nd-unsupported")) == 2
    assert spans(chat, "nd-flag") == []  # the badge says it once
    assert "is unchecked; the closest evidence" in chat  # the notice

    panel = render_sources([turn], {"a1": TEXT})
    assert_inert(panel)
    assert "nd-related" not in panel and "No citations." not in panel
    evidence = panel[panel.index('<div class="nd-evidence">') :]
    assert "Evidence: the closest passages" in evidence
    assert 'id="nd-ev-0-0"' in evidence and "[e1]" in evidence
    assert re.findall(r"<mark>(.*?)</mark>", evidence) == [
        "The fair opened &lt;img src=x onerror=&quot;window.__pwned = 1&quot;&gt; "
        "on Tuesday with 300 dancers."
    ]


def test_a_generative_abstention_keeps_its_related_passages() -> None:
    declined = unchecked(
        text="The passages do not answer this question.", abstained=True, unsupported=()
    )
    panel = render_sources([ChatTurn("q", declined)], {"a1": TEXT})
    assert "nd-related" in panel and "nd-evidence" not in panel


def test_generative_streaming_shows_the_tokens_and_that_checks_come_after() -> None:
    waiting = render_chat([ChatTurn("q", mode="generative")])
    assert "asking the language model" in waiting
    streaming = render_chat([ChatTurn("q", partial=f"The fair {XSS_IMG} [1", mode="generative")])
    assert_inert(streaming)
    assert spans(streaming, "nd-partial") == [
        "The fair &lt;img src=x onerror=&quot;window.__pwned = 1&quot;&gt; [1"
    ]
    assert "citations are checked when it finishes" in streaming
    assert "checked when it finishes" not in render_chat([ChatTurn("q", partial="The")])


def test_a_fallback_shows_as_extractive_with_its_notice() -> None:
    fallback = answer(
        notices=("The language model failed (ConnectError); this is the extractive answer.",)
    )
    markup = render_chat([ChatTurn("q", fallback, mode="generative")])
    assert 'data-mode="extractive"' in markup and "Written by a language model" not in markup
    assert "this is the extractive answer" in markup
    assert '<a class="nd-cite" href="#nd-src-0-1">[1]</a>' in markup
