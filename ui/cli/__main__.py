"""`python -m ui.cli` is the `newsdesk` command."""

import sys

from ui.cli import main

sys.exit(main())
