"""newsdesk's front ends: the command line (`ui.cli`), the web chat and its JSON API (`ui.web`)."""
