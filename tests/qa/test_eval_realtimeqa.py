"""The RealTimeQA adapter: questions, the gold-plus-distractors file, and a tiny real run."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from qa.evaluation import QuestionSetError, load_realtimeqa, write_articles
from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "eval" / "realtimeqa"
CORPUS = ROOT.parent / "shared" / "corpora" / "news_corpus.jsonl.gz"
needs_data = pytest.mark.skipif(
    not (DATA / "questions_dev.jsonl").exists() or not CORPUS.exists(),
    reason="the RealTimeQA data lives in ../shared, outside the repository",
)


def _article(article_id: str, text: str = "Some news text.") -> dict[str, object]:
    return {"id": article_id, "url": f"https://example.com/{article_id}", "text": text}


def test_write_articles_takes_wanted_gold_then_the_first_non_gold(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "".join(json.dumps(_article(i)) + "\n" for i in ("g1", "g2", "g3")), encoding="utf-8"
    )
    corpus = tmp_path / "corpus.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as sink:
        for article_id in ("g2", "d1", "g3", "d2", "d3", "d4"):
            sink.write(json.dumps(_article(article_id)) + "\n")
    out = tmp_path / "out.jsonl"
    assert write_articles(gold, corpus, ["g1"], 2, out) == (1, 2)
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    # every gold article is kept out of the distractors, even one not asked about
    assert ids == ["g1", "d1", "d2"]
    assert write_articles(gold, corpus, ["g1", "g3"], 0, out) == (2, 0)
    assert write_articles(gold, corpus, [], 99, out) == (0, 4)


def test_a_missing_data_folder_says_where_to_point(tmp_path: Path) -> None:
    with pytest.raises(QuestionSetError, match=r"no RealTimeQA file at .*point --data"):
        load_realtimeqa(tmp_path)


@needs_data
def test_realtimeqa_questions_are_asked_on_their_date() -> None:
    questions = load_realtimeqa(DATA)
    assert len(questions) == 144
    assert sum(1 for q in questions if q.expected_answers) == 122  # the answer_verbatim ones
    first = questions[0]
    assert (first.id, first.as_of, first.expected_answers) == (
        "20220617_0",
        "2022-06-16",
        ("“Squid Game”",),
    )
    assert first.gold_article_ids == ("cf8dcb23df1f5f17",)
    assert all(q.answerable and q.gold_article_ids for q in questions)
    assert [q.id for q in load_realtimeqa(DATA, limit=3)] == [q.id for q in questions[:3]]


@needs_data
@pytest.mark.model
def test_newsdesk_realtimeqa_compares_hybrid_and_dense(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report"
    argv = ["realtimeqa", "--limit", "3", "--distractors", "5", "--index", str(tmp_path / "ix")]
    argv += ["--data", str(DATA), "--corpus-file", str(CORPUS), "--report", str(report)]
    assert main([*argv, "--quiet"]) == 0
    out = capsys.readouterr().out
    questions = load_realtimeqa(DATA, limit=3)
    gold = {g for q in questions for g in q.gold_article_ids}
    assert f"added {len(gold) + 5}, updated 0, unchanged 0, failed 0" in out
    assert "| metric | hybrid | dense | over |" in out
    data = json.loads((report / "report.json").read_text(encoding="utf-8"))
    assert data["command"].startswith("newsdesk realtimeqa --distractors 5 --limit 3 --index ")
    ids = [q.id for q in questions]
    for run, retrieval in zip(data["runs"], ("hybrid", "dense"), strict=True):
        assert run["label"] == run["settings"]["retrieval"] == retrieval
        assert [q["id"] for q in run["questions"]] == ids
        assert run["counts"]["hit@5"] == 3
        assert run["metrics"]["hit@5"] is not None
        assert run["metrics"]["citation_exactness"] in (None, 1.0)
    assert (report / "metrics.png").stat().st_size > 5000
