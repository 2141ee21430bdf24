"""The sentence ranker: its features on literal strings, the stored model, and its refit."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index import sentence_names
from qa.extractive.logistic import LogisticModel
from qa.extractive.ranker import SENTENCE_FEATURES, bundled_ranker, has_quote, new_names

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("question", "sentence", "share"),
    [
        # the answer names what the question does not (a sentence's first word is not
        # counted: it is capitalised whether or not it is a name)
        ("Which country won the World Cup?", "In the end Argentina won the World Cup.", 1 / 3),
        # mentioned is not answered: every name is the question's own
        ("Which country won the World Cup?", "The World Cup final was played.", 0.0),
        # a figure is new information too
        ("How many people died in the floods?", "At least 1,100 people died.", 1 / 3),
        # at most three count
        ("Who came?", "Ann, Bob, Cy, Di and Ed came.", 1.0),
        # a capitalised first word is not a name
        ("Who came?", "Nobody came.", 0.0),
    ],
)
def test_new_names(question: str, sentence: str, share: float) -> None:
    assert new_names(question, set(sentence_names(sentence))) == pytest.approx(share)


def test_has_quote() -> None:
    assert has_quote("“They are how mature militaries interact,” he said.") == 1.0
    assert has_quote('He said "no".') == 1.0
    assert has_quote("He declined to comment.") == 0.0


def test_the_shipped_ranker_prefers_what_answers_to_what_mentions() -> None:
    """Two sentences as the scorer would see them, alike but for what marks an answer."""
    ranker = bundled_ranker()
    assert ranker.features == SENTENCE_FEATURES
    base = dict.fromkeys(SENTENCE_FEATURES, 0.0)
    base.update(hand=0.5, dense=0.5, lexical=0.5, article_prior=1.0, article_retrieval=1.0)
    base.update(length=3.0)
    answers = {**base, "new_names": 1 / 3}
    mentions = {**base, "type_miss": 1.0}
    assert ranker.probability(answers) > ranker.probability(mentions)
    assert LogisticModel.from_dict(ranker.to_dict(), SENTENCE_FEATURES) == ranker
    with pytest.raises(ValueError, match="other features"):
        LogisticModel.from_dict(ranker.to_dict(), SENTENCE_FEATURES[:-1])


def test_the_fit_script_reproduces_the_shipped_ranker(tmp_path: Path) -> None:
    """benchmarks/fit_sentence_ranker.py, run on the committed rows, writes the ranker
    that qa/extractive/sentence_ranker.json ships, number for number."""
    rows_file = ROOT / "benchmarks" / "results" / "sentence_ranker_rows.jsonl.gz"
    out = tmp_path / "sentence_ranker.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "fit_sentence_ranker.py"), "fit",
         "--rows", str(rows_file), "--out", str(out)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert "cross-validated" in done.stdout
    refit = json.loads(out.read_text(encoding="utf-8"))
    shipped = json.loads(
        (ROOT / "qa" / "extractive" / "sentence_ranker.json").read_text(encoding="utf-8")
    )
    assert refit["features"] == shipped["features"] == list(SENTENCE_FEATURES)
    for key in ("weights", "means", "scales"):
        assert np.allclose(refit[key], shipped[key], atol=1e-4), key
    assert (refit["bias"], refit["threshold"]) == pytest.approx(
        (shipped["bias"], shipped["threshold"]), abs=1e-4
    )
    with gzip.open(rows_file, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    # fitted on questions kept apart from the CI gate, never on seeds/questions.jsonl
    assert {r["set"] for r in rows} == {"calibration", "realtimeqa", "realtimeqa-without-gold"}
    assert all(len(r["features"]) == len(SENTENCE_FEATURES) for r in rows)
    assert 0 < sum(r["label"] for r in rows) < len(rows)
