"""The `newsdesk` command: ingest, list, delete, ask, serve, eval and realtimeqa.

`commands` parses and runs them, `ingesting` shows an ingest's progress and summary, and
`evaluate` adds the evaluation commands.
"""

from ui.cli.commands import console, main

__all__ = ["console", "main"]
