"""The plain-text article format (a title line, header lines, the text) and its sidecar."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from index.readers.notes import os_reason
from index.records import ReadNote

_TXT_HEADER = re.compile(r"^(date|source|url|authors?)\s*:\s*(\S.*)$", re.IGNORECASE)


def split_txt(text: str) -> tuple[str, str, dict[str, str]]:
    """Title, body and `key: value` header of a plain-text article.

    The first non-empty line is the title. A next paragraph that repeats the title
    is dropped; one made only of `Date:`, `Source:`, `URL:` or `Author(s):` lines is
    the header.

    >>> split_txt("Rain\\n\\nRain\\n\\nDate: 2022-06-16\\n\\nIt rained.\\n\\nA lot.")
    ('Rain', 'It rained.\\n\\nA lot.', {'date': '2022-06-16'})
    """
    title, _, rest = text.strip().partition("\n")
    title = title.strip()
    rest = rest.strip()
    first, _, after = rest.partition("\n\n")
    if first.strip() == title:
        rest = after.strip()
        first, _, after = rest.partition("\n\n")
    header_lines = [_TXT_HEADER.match(line.strip()) for line in first.split("\n")]
    header: dict[str, str] = {}
    if first and all(header_lines):
        for match in header_lines:
            if match:
                key = match.group(1).lower()
                header["authors" if key == "author" else key] = match.group(2).strip()
        rest = after.strip()
    return title, rest, header


SIDECAR_SUFFIX = ".meta.json"


SIDECAR_FIELDS = ("title", "date", "source", "url", "authors")


_MAX_SIDECAR_BYTES = 64_000


def sidecar_path(path: Path) -> Path:
    """Where the metadata of a .txt article lives: the same name, `.meta.json` for `.txt`.

    >>> sidecar_path(Path("seeds/000_ab.txt")).as_posix()
    'seeds/000_ab.meta.json'
    """
    return path.with_name(path.name[: -len(".txt")] + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> tuple[dict[str, Any], list[ReadNote]]:
    """The metadata in the `.meta.json` file beside a .txt article, if there is one.

    A JSON object with any of title, date, source, url and authors; its values win
    over the text's own header. A sidecar that cannot be used is a warning, and the
    article is read without it: the text is still worth indexing.
    """
    meta = sidecar_path(path)
    origin = str(meta)
    try:
        if meta.stat().st_size > _MAX_SIDECAR_BYTES:
            return {}, [ReadNote(origin, "sidecar over 64 kB; read without it", failed=False)]
        raw = meta.read_text(encoding="utf-8-sig")  # editors on Windows add a BOM
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError) as error:
        reason = os_reason(error) if isinstance(error, OSError) else "not UTF-8"
        return {}, [ReadNote(origin, f"sidecar not read ({reason}); read without it", False)]
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        message = (
            f"sidecar is not JSON ({error.msg}, line {error.lineno}); read the article "
            'without it: write {"date": "YYYY-MM-DD", "source": "...", "url": "https://..."}'
        )
        return {}, [ReadNote(origin, message, failed=False)]
    if not isinstance(data, dict):
        message = f"sidecar must be a JSON object of {', '.join(SIDECAR_FIELDS)}; read without it"
        return {}, [ReadNote(origin, message, failed=False)]
    notes = []
    unknown = sorted(set(data) - set(SIDECAR_FIELDS))
    if unknown:
        message = (
            f"sidecar field(s) {', '.join(unknown)} ignored; it takes {', '.join(SIDECAR_FIELDS)}"
        )
        notes.append(ReadNote(origin, message, failed=False))
    return {key: data[key] for key in SIDECAR_FIELDS if key in data}, notes
