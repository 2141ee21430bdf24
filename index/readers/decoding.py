"""Bytes to text: binary sniffing, declared and guessed charsets, normalised newlines."""

from __future__ import annotations

import codecs
import re

BINARY_SAMPLE = 8192


# every byte that plain text holds; the others are control characters
_TEXT_BYTES = bytes(b for b in range(256) if (b >= 32 and b != 127) or b in b"\t\n\r\x0c")


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def normalise_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than one byte in twenty of the opening a control character.

    >>> looks_binary(b"plain text\\n"), looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    (False, True)
    """
    if b"\x00" in data:
        return True
    sample = data[:BINARY_SAMPLE]
    controls = len(sample.translate(None, _TEXT_BYTES))
    return controls * 20 > len(sample)


def decode(data: bytes, declared: str | None) -> tuple[str, str] | None:
    """The text of a file and the encoding used if it was not UTF-8; None if it is binary."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            return None
    if looks_binary(data):
        return None
    if declared:
        try:
            # a declared charset is what the page is written in, so no warning is due
            return data.decode("utf-8-sig" if declared == "utf-8" else declared), ""
        except UnicodeDecodeError:
            pass
    return decode_text(data)


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8, else the encodings a Western news text most likely used, with its name."""
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252 (Windows-1252)"
    except UnicodeDecodeError:
        # latin-1 maps every byte, so this always succeeds
        return data.decode("latin-1"), "latin-1"


def declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def encoding_warning(encoding: str) -> str:
    return f"not UTF-8: read as {encoding}; if letters look wrong, save the file as UTF-8"
