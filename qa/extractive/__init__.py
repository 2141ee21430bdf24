"""The extractive answer: evidence sentences scored, the decision to answer, the cited text."""
