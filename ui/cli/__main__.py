"""`python -m ui.cli` is the `newsdesk` command."""

import sys

from ui.cli import console

sys.exit(console())
