"""What readers share: the supported formats, and how sizes, limits and OS errors are worded."""

from __future__ import annotations

import errno

SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".txt",
    ".md",
    ".markdown",
    ".html",
    ".htm",
    ".jsonl",
    ".jsonl.gz",
    ".rss",  # RSS 2.0 and Atom feeds, read by index.readers.feed
    ".atom",
    ".xml",
)
FEED_SUFFIXES = (".rss", ".atom", ".xml")


SUPPORTED_LIST = ", ".join(SUPPORTED_SUFFIXES)


def os_reason(error: Exception) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file or directory; check the path"
    if isinstance(error, PermissionError):
        return "permission denied; check who may read it"
    if isinstance(error, OSError) and error.errno == errno.ELOOP:
        return "a symbolic link that loops back on itself; fix or remove the link"
    reason = error.strerror if isinstance(error, OSError) and error.strerror else "read error"
    return f"cannot be read ({reason.lower()})"


def _missing_package(error: ImportError) -> str:
    """What to install when reading needs a package the environment lacks.

    >>> _missing_package(ImportError("lxml.html.clean module is now a separate project "
    ...     "lxml_html_clean. Install lxml[html_clean] or lxml_html_clean directly."))
    "cannot read HTML: the Python package 'lxml_html_clean' is missing; pip install lxml_html_clean"
    """
    text = str(error)
    # lxml names its split-off cleaner only in the message
    name = "lxml_html_clean" if "lxml_html_clean" in text else (error.name or "").split(".")[0]
    if not name:
        return f"cannot read HTML: a Python package is missing ({text}); reinstall newsdesk"
    return f"cannot read HTML: the Python package '{name}' is missing; pip install {name}"


def human_size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1_000_000 else f"{size:,} bytes"


def limit_text(limit: int) -> str:
    return f"{limit / 1e6:g} MB" if limit >= 1_000_000 else f"{limit:,}-byte"
