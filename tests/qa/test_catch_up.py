"""An index from an older version catches up: what answers read and it lacks (speaker
labels by older attribution code) is stored once, and answers stay the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from article_desk import desk_over  # tests/ is on sys.path


@pytest.mark.model
def test_catch_up_stores_stale_speakers_and_answers_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = {
        "id": "talks",
        "title": "Talks resume",
        "date": "2023-06-14",
        "text": "The talks resumed on Monday. “We are not expecting a breakthrough,” "
        "Daniel Kritenbrink told reporters. He said more talks would follow.",
    }
    with desk_over(tmp_path, story) as desk:
        asked = "What did Kritenbrink say about a breakthrough?"
        before = desk.ask(asked)
        assert desk.catch_up() == (0, 0)  # an index this version made: nothing to store
        # labels an older attribution code stored are not served, nor are they current
        catalog = desk._index.catalog
        catalog._db.execute("UPDATE sentence_labels SET labeller = 'speakers-older'")
        assert desk.ask(asked).citations == before.citations  # labelled as it answers
        assert desk.catch_up() == (0, 1)
        assert desk.catch_up() == (0, 0)
        assert desk.ask(asked).citations == before.citations
        # an index this process may not write is left as it is
        monkeypatch.setattr(catalog, "read_only", True)
        catalog._db.execute("UPDATE sentence_labels SET labeller = 'speakers-older'")
        assert desk.catch_up() == (0, 0)
