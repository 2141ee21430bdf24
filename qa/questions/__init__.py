"""The question as asked: cleaning it, resolving a follow-up, and the names it holds."""
