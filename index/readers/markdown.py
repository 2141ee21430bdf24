"""Markdown articles to plain text: front matter, title, and a body without markup.

Citations quote `Article.text` verbatim, so nothing of the Markdown syntax may survive:
no `#`, `*`, backticks, image references or link targets.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

FrontMatter = Mapping[str, str | list[str]]  # lower-cased key -> scalar or list value


@dataclass(frozen=True)
class MarkdownArticle:
    """What a Markdown file says, before metadata is normalised."""

    title: str
    text: str  # plain text, paragraphs separated by one blank line
    front_matter: FrontMatter = field(default_factory=dict)


_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|(\d{1,9}[.)]))\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")
_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_FRONT_MATTER_ITEM = re.compile(r"^\s*-\s+(.*)$")

_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!~|<>])")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_DESTINATION = (
    r"\(\s*(?:<[^<>]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_IMAGE = re.compile(r"!\[[^\]]*\](?:" + _DESTINATION + r"|\[[^\]]*\])")
_FOOTNOTE_REFERENCE = re.compile(r"\[\^[^\]\s]+\]")
_LINK = re.compile(r"\[([^\]]*)\](?:" + _DESTINATION + r"|\[[^\]]*\])")
_EMPHASIS = (
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"),
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"),
    re.compile(r"\*(?=\S)(.+?)(?<=\S)\*"),
    # underscores inside words (snake_case, URLs) are not emphasis
    re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"),
)
# NUL never occurs in a file that got this far (binary files are refused), so it
# can mark the places where code and escaped characters are set aside
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")


def parse_markdown(source: str) -> MarkdownArticle:
    """Split a Markdown file into title, plain text and front matter.

    >>> a = parse_markdown("---\\ndate: 2022-06-16\\n---\\n# Big *news*\\n\\nIt [rained](http://x).")
    >>> (a.title, a.text, dict(a.front_matter))
    ('Big news', 'It rained.', {'date': '2022-06-16'})
    """
    front_matter, body = split_front_matter(source)
    body = _HTML_COMMENT.sub("", _SCRIPT_OR_STYLE.sub("", body))
    blocks = _blocks(body)
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
    """Read a `---` delimited block of `key: value` lines at the top of a file.

    >>> split_front_matter("---\\ntitle: 'A'\\nauthors:\\n  - X\\n  - Y\\n---\\nBody")
    ({'title': 'A', 'authors': ['X', 'Y']}, 'Body')
    >>> split_front_matter("No front matter")
    ({}, 'No front matter')
    """
    lines = source.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, source
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if closing is None:
        return {}, source
    fields: dict[str, str | list[str]] = {}
    key = ""
    for line in lines[1:closing]:
        item = _FRONT_MATTER_ITEM.match(line)
        current = fields.get(key)
        if item and isinstance(current, list):
            current.append(_unquote(item.group(1)))
            continue
        pair = _FRONT_MATTER_KEY.match(line)
        if not pair:
            continue
        key, value = pair.group(1).lower(), pair.group(2).strip()
        if not value:
            fields[key] = []
        elif value.startswith("[") and value.endswith("]"):
            fields[key] = [_unquote(part) for part in value[1:-1].split(",") if part.strip()]
        else:
            fields[key] = _unquote(value)
    if not fields:  # a leading horizontal rule, not front matter
        return {}, source
    return fields, "\n".join(lines[closing + 1 :])


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1].strip()
    return value


def _blocks(body: str) -> list[tuple[int, str]]:
    """Block structure as (heading level or 0, plain text), one entry per paragraph."""
    blocks: list[tuple[int, str]] = []
    paragraph: list[str] = []
    items: list[str] = []  # the current list, one entry per item

    def flush() -> None:
        if paragraph:
            blocks.append((0, _inline_to_text(" ".join(line.strip() for line in paragraph))))
            paragraph.clear()
        if items:
            blocks.append((0, "\n".join(_inline_to_text(item) for item in items)))
            items.clear()

    lines = body.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        fence = _FENCE.match(line)
        if fence:
            flush()
            code: list[str] = []
            while index < len(lines) and not lines[index].strip().startswith(fence.group(1)):
                code.append(lines[index])
                index += 1
            index += 1  # the closing fence
            blocks.append((0, "\n".join(code).strip("\n")))
            continue
        while _QUOTE.match(line):
            line = _QUOTE.sub("", line, count=1)
        if not line.strip():
            flush()
        elif heading := _ATX_HEADING.match(line):
            flush()
            blocks.append((len(heading.group(1)), _inline_to_text(heading.group(2) or "")))
        elif paragraph and _SETEXT_UNDERLINE.match(line):
            text = _inline_to_text(" ".join(part.strip() for part in paragraph))
            paragraph.clear()
            flush()
            blocks.append((1 if "=" in line else 2, text))
        elif _RULE.match(line) or _REFERENCE_DEFINITION.match(line):
            flush()
        elif _TABLE_SEPARATOR.match(line):
            continue
        elif line.lstrip().startswith("|"):  # a table row stays one line, like a list item
            if paragraph:
                flush()
            items.append(_table_row(line))
        elif item := _LIST_ITEM.match(line):
            if paragraph:
                flush()
            number = item.group(2)
            items.append(f"{number} {item.group(3)}" if number else item.group(3))
        elif items and line[:1].isspace():  # an indented continuation of the last item
            items[-1] += " " + line.strip()
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return blocks


def _table_row(line: str) -> str:
    cells = line.strip().strip("|").split("|")
    return " | ".join(cell.strip() for cell in cells)


def _inline_to_text(text: str) -> str:
    """Drop inline Markdown: emphasis, code ticks, images, link targets, raw HTML tags.

    >>> _inline_to_text("See **the** `x_y` [report](https://a.b/c_(d)) ![chart](c.png) \\\\*now*")
    'See the x_y report *now*'
    >>> _inline_to_text("[click](javascript:alert(1)) or <javascript:alert(1)>")
    'click or'
    """
    kept: list[str] = []

    def set_aside(value: str) -> str:
        kept.append(value)
        return f"\x00{len(kept) - 1}\x00"

    text = _CODE_SPAN.sub(lambda m: set_aside(m.group(2).strip()), text)
    text = _ESCAPE.sub(lambda m: set_aside(m.group(1)), text)
    text = _AUTOLINK.sub(lambda m: set_aside(_autolink_text(m.group(1))), text)
    text = _HTML_TAG.sub(lambda m: " " if m.group(0)[1:3].lower() == "br" else "", text)
    text = _IMAGE.sub("", text)
    text = _FOOTNOTE_REFERENCE.sub("", text)
    text = _LINK.sub(lambda m: m.group(1), text)
    for _ in range(2):  # a second pass unwraps nested emphasis such as ***x***
        for pattern in _EMPHASIS:
            text = pattern.sub(lambda m: m.group(1), text)
    while _PLACEHOLDER.search(text):  # escapes can sit inside set-aside link text
        text = _PLACEHOLDER.sub(lambda m: kept[int(m.group(1))], text)
    text = html.unescape(text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def _autolink_text(target: str) -> str:
    scheme = target.split(":", 1)[0].lower()
    if scheme in ("http", "https"):
        return target
    if scheme == "mailto":
        return target[len("mailto:") :]
    return ""  # javascript:, data: and the like are neither shown nor kept
