"""Markdown articles to plain text: front matter, title, and a body without markup.

Citations quote `Article.text` verbatim, so nothing of the Markdown syntax may survive:
no `#`, `*`, backticks, image references or link targets. markdown-it-py parses the body
(CommonMark with tables and strikethrough) and its token stream is rendered to text
here; PyYAML's `safe_load` reads the front matter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

FrontMatter = Mapping[str, str | list[str]]  # lower-cased key -> scalar or list value


@dataclass(frozen=True)
class MarkdownArticle:
    """What a Markdown file says, before metadata is normalised."""

    title: str
    text: str  # plain text, paragraphs separated by one blank line
    front_matter: FrontMatter = field(default_factory=dict)


_FRONT_MATTER_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:", re.MULTILINE)
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")  # a `key: value` line as written
# CommonMark has no footnotes: `[^1]` stays text, or becomes a link when `[^1]: url`
# happens to be a valid link reference definition
_FOOTNOTE_REFERENCE = re.compile(r"\[\^[^\]\s]+\]")
_FOOTNOTE_LABEL = re.compile(r"\^[^\]\s]+")
_FOOTNOTE_DEFINITION = re.compile(r"\[\^[^\]\s]+\]:")
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_SCRIPT_OR_STYLE_OPENING = re.compile(r"<(script|style)\b", re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_LINE_BREAK = re.compile(r"<br\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]{2,}")


class _Parser(MarkdownIt):
    """CommonMark with tables and ~~strikethrough~~, accepting every link target."""

    def validateLink(self, url: str) -> bool:
        # targets are never shown, so none need refusing; a refused `javascript:` link
        # would stay in the text as written, brackets and target included
        return True


@cache
def _parser() -> MarkdownIt:
    return _Parser("commonmark").enable(["table", "strikethrough"])


def parse_markdown(source: str) -> MarkdownArticle:
    """Split a Markdown file into title, plain text and front matter.

    >>> a = parse_markdown("---\\ndate: 2022-06-16\\n---\\n# Big *news*\\n\\nIt [rained](http://x).")
    >>> (a.title, a.text, dict(a.front_matter))
    ('Big news', 'It rained.', {'date': '2022-06-16'})
    """
    front_matter, body = split_front_matter(source)
    blocks = _blocks(_parser().parse(body))
    title_value = front_matter.get("title", "")
    title = _inline_to_text(title_value) if isinstance(title_value, str) else ""
    for position, (level, text) in enumerate(blocks):
        # the first level-1 heading is the title; a heading repeating the front
        # matter title would otherwise open the text with the title twice
        if level == 1 and text and (not title or text == title):
            title = text
            del blocks[position]
            break
    paragraphs = [text for _, text in blocks if text]
    return MarkdownArticle(title=title, text="\n\n".join(paragraphs), front_matter=front_matter)


def split_front_matter(source: str) -> tuple[dict[str, str | list[str]], str]:
    """Read a `---` delimited YAML mapping at the top of a file.

    Scalars become text (dates as ISO `YYYY-MM-DD`), lists lists of text; nested
    mappings are left out.

    >>> split_front_matter("---\\ntitle: 'A'\\nauthors:\\n  - X\\n  - Y\\n---\\nBody")
    ({'title': 'A', 'authors': ['X', 'Y']}, 'Body')
    >>> split_front_matter("---\\ndate: 2023-06-14\\nid: 7\\ndraft: no\\n---\\nBody")
    ({'date': '2023-06-14', 'id': '7', 'draft': 'no'}, 'Body')
    >>> split_front_matter("No front matter")
    ({}, 'No front matter')
    """
    lines = source.split("\n")
    if lines[0].strip() != "---":
        return {}, source
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if closing is None:
        return {}, source
    block, body = "\n".join(lines[1:closing]), "\n".join(lines[closing + 1 :])
    try:
        data = yaml.load(block, Loader=_TextLoader)
    except yaml.YAMLError:
        # `title: Breaking: fire` is not YAML, but its key lines still mark the block as
        # front matter, which must not reach the text; without any it is prose between
        # rules. Its plain `key: value` lines are kept as they stand
        keys = [m for line in block.split("\n") if (m := _KEY_LINE.match(line))]
        if not keys:
            return {}, source
        return {m.group(1).lower(): m.group(2).strip() for m in keys if m.group(2).strip()}, body
    if not isinstance(data, dict) or not data:  # a leading horizontal rule, not front matter
        return {}, source
    fields: dict[str, str | list[str]] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            continue
        if isinstance(value, list):
            fields[key.lower()] = [text for item in value if (text := _scalar_text(item))]
        elif (text := _scalar_text(value)) is not None:
            fields[key.lower()] = text
    return fields, body


class _TextLoader(yaml.SafeLoader):
    """PyYAML's safe loader, but numbers and yes/no stay the text they were written as:
    `id: 00123` is the id "00123" (not 83), `draft: no` is "no", `version: 1.10` "1.10".
    Dates still load as dates."""


_TextLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp) for tag, regexp in resolvers if not tag.endswith((":bool", ":int", ":float"))
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _scalar_text(value: object) -> str | None:
    """A YAML scalar as text; None for null, mappings and lists.

    >>> [_scalar_text(v) for v in ("  A ", 7, 1.5, True, date(2023, 6, 14), None, {})]
    ['A', '7', '1.5', 'true', '2023-06-14', None, None]
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):  # datetimes too: the date as written, with its offset
        return value.isoformat()
    if isinstance(value, str | int | float):
        return str(value).strip()
    return None


def _blocks(tokens: Sequence[Token]) -> list[tuple[int, str]]:
    """Block structure as (heading level or 0, plain text), one entry per paragraph.

    A tight list is one entry with a line per item, and a table one with a line per row.
    """
    blocks: list[tuple[int, str]] = []
    lines: list[str] = []  # the current tight list or table
    cells: list[str] = []  # the current table row
    marker = ""  # `3. ` before the first paragraph of an ordered list item
    lists_open = 0

    def flush() -> None:
        if lines:
            blocks.append((0, "\n".join(lines)))
            lines.clear()

    for position, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            opener = tokens[position - 1]
            text = _inline_text(token.children or [])
            if opener.type == "heading_open":
                flush()
                blocks.append((int(opener.tag[1:]), text))
            elif opener.type in ("th_open", "td_open"):
                cells.append(text)
            elif _FOOTNOTE_DEFINITION.match(token.content):
                continue  # old behaviour: footnotes are left out
            elif opener.hidden:  # a paragraph of a tight list item
                lines.append(marker + text)
                marker = ""
            else:
                flush()
                blocks.append((0, marker + text))
                marker = ""
        elif kind in ("bullet_list_open", "ordered_list_open"):
            if not lists_open:
                flush()
            lists_open += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists_open -= 1
            if not lists_open:
                flush()
        elif kind == "list_item_open":
            marker = f"{token.info}{token.markup} " if token.info else ""
        elif kind == "list_item_close":
            marker = ""
        elif kind == "tr_close":
            lines.append(_SPACES.sub(" ", " | ".join(cells)).strip())
            cells.clear()
        elif kind in ("table_open", "table_close", "hr"):
            flush()
        elif kind in ("fence", "code_block"):
            flush()
            blocks.append((0, token.content.strip("\n")))
        elif kind == "html_block":
            flush()
            blocks.append((0, _html_text(token.content)))
    flush()
    return blocks


def _inline_text(tokens: Sequence[Token]) -> str:
    """Plain text of a paragraph's inline tokens: link and code text kept, images dropped."""
    parts: list[str] = []
    skipping = ""  # the closing tag of the <script> or <style> being left out
    position = 0
    while position < len(tokens):
        token = tokens[position]
        position += 1
        kind = token.type
        if skipping:
            if kind == "html_inline" and token.content.lower().startswith(skipping):
                skipping = ""
        elif kind == "text":
            parts.append(_FOOTNOTE_REFERENCE.sub("", token.content))
        elif kind == "code_inline":
            parts.append(token.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif kind == "html_inline":
            if opening := _SCRIPT_OR_STYLE_OPENING.match(token.content):
                skipping = f"</{opening.group(1).lower()}"
            elif _LINE_BREAK.match(token.content):
                parts.append(" ")
        elif kind == "link_open" and position + 1 < len(tokens):
            label = tokens[position]
            if token.markup == "autolink":
                parts.append(_autolink_text(str(token.attrs.get("href", "")), label.content))
                position += 2  # its text and link_close
            elif label.type == "text" and _FOOTNOTE_LABEL.fullmatch(label.content):
                position += 2  # `[^1]` resolved against a `[^1]: url` definition
    return _SPACES.sub(" ", "".join(parts)).strip()


def _inline_to_text(text: str) -> str:
    """Drop inline Markdown: emphasis, code ticks, images, link targets, raw HTML tags.

    >>> _inline_to_text("See **the** `x_y` [report](https://a.b/c_(d)) ![chart](c.png) \\\\*now*")
    'See the x_y report *now*'
    >>> _inline_to_text("[click](javascript:alert(1)) or <javascript:alert(1)>")
    'click or'
    """
    [line] = _parser().parseInline(text)
    return _inline_text(line.children or [])


def _html_text(fragment: str) -> str:
    """The text of a raw HTML block, on one line, without the Markdown written inside it.

    >>> _html_text("<div class='x'>\\n  Tom &amp; *Jerry*<br/>left <!-- note -->\\n</div>\\n")
    'Tom & Jerry left'
    """
    fragment = _HTML_COMMENT.sub("", _SCRIPT_OR_STYLE.sub("", fragment))
    fragment = _HTML_TAG.sub(lambda m: " " if _LINE_BREAK.match(m.group(0)) else "", fragment)
    # CommonMark leaves `**x**` inside a block of HTML as written, but citations quote
    # the text and must not show Markdown syntax; entities are decoded here as well
    return _inline_to_text(" ".join(fragment.split()))


def _autolink_text(target: str, text: str) -> str:
    scheme = target.split(":", 1)[0].lower()
    if scheme in ("http", "https"):
        return text
    if scheme == "mailto":
        return text.removeprefix("mailto:")
    return ""  # javascript:, data: and the like are neither shown nor kept
