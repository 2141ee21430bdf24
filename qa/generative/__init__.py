"""The generative answer: chat models, prompting, and grounding each sentence in a cited span."""
