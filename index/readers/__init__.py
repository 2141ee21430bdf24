"""Read article files (.txt, .md, .html, .jsonl, .jsonl.gz) into `Article`s.

Bad input never stops a run: each file, or each JSONL line, that cannot be read
becomes a `ReadNote` saying what was wrong and what to do, and reading goes on.

`files` walks the paths and picks a reader by suffix: `text` (.txt and its sidecar),
`markdown`, `html`, `jsonl`; `decoding` turns bytes into text and `metadata` normalises
what the records say.
"""

from index.readers.files import read_paths
from index.readers.metadata import host_of, parse_date, split_authors
from index.readers.notes import SUPPORTED_SUFFIXES

__all__ = ["SUPPORTED_SUFFIXES", "host_of", "parse_date", "read_paths", "split_authors"]
