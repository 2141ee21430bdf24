"""Who said what: the speaker of each sentence, and the parsed "what did X say" question."""
