"""The RealTimeQA adapter: questions, the gold-plus-distractors file, and a tiny real run."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from evaluation import (
    EvalQuestion,
    QuestionSetError,
    load_realtimeqa,
    without_gold_questions,
    write_articles,
)
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


def test_without_gold_keeps_only_questions_whose_answer_no_article_holds() -> None:
    questions = [
        EvalQuestion("show", "Which show returns?", gold_article_ids=("g1",)),
        EvalQuestion("city", "Which city hosts?", gold_article_ids=("g2",)),
        EvalQuestion("part", "Which state?", gold_article_ids=("g3",)),
        EvalQuestion("none", "No answer known?"),
    ]
    answers = {"show": "“Squid Game”", "city": "Oslo", "part": "Maine", "none": ""}
    texts = ['Netflix said "Squid Game" returns.', "Talks moved to the Mainely Center."]
    kept = without_gold_questions(questions, answers, texts)
    # the quoted title is found whatever its quotes; "Maine" inside "Mainely" is no match
    assert [q.id for q in kept] == ["city", "part"]
    assert all(q.answerable is False and not q.gold_article_ids for q in kept)
    assert all(not q.expected_answers for q in kept)


def _gold_and_corpus(tmp_path: Path, seed_text: str) -> Path:
    """A tiny RealTimeQA folder: two questions, their gold articles, and a corpus of
    distractors built from the seed article (none of which names either answer)."""
    data = tmp_path / "rtqa"
    data.mkdir()
    gold = [
        _article("g1", "Netflix renewed Squid Game for a second season on Sunday."),
        _article("g2", "The summit will be held in Reykjavik next month, officials said."),
    ]
    (data / "articles_gold_dev.jsonl").write_text(
        "".join(json.dumps({**a, "date": "2023-06-10"}) + "\n" for a in gold), encoding="utf-8"
    )
    questions = [
        {"id": "q1", "question": "Which show was renewed?", "question_date": "2023-06-12",
         "answer": "Squid Game", "answer_verbatim": True, "gold_article_ids": ["g1"]},
        {"id": "q2", "question": "Where will the summit be held?", "question_date": "2023-06-12",
         "answer": "Reykjavik", "answer_verbatim": True, "gold_article_ids": ["g2"]},
    ]  # fmt: skip
    (data / "questions_dev.jsonl").write_text(
        "".join(json.dumps(q) + "\n" for q in questions), encoding="utf-8"
    )
    paragraphs = [p for p in seed_text.split("\n\n") if len(p) > 80]
    with gzip.open(tmp_path / "corpus.jsonl.gz", "wt", encoding="utf-8") as sink:
        for i, paragraph in enumerate(paragraphs[:4]):
            record = {**_article(f"d{i}", paragraph), "date": "2023-06-11"}
            sink.write(json.dumps(record) + "\n")
    return data


@pytest.mark.model
def test_without_gold_run_reports_the_abstention_rate_and_plots_the_trade_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = (ROOT / "seeds" / "000_08dd639a47279972.txt").read_text(encoding="utf-8")
    data = _gold_and_corpus(tmp_path, seed)
    report = tmp_path / "report"
    argv = ["realtimeqa", "--distractors", "4", "--index", str(tmp_path / "ix"), "--quiet"]
    argv += ["--data", str(data), "--corpus-file", str(tmp_path / "corpus.jsonl.gz")]
    assert main([*argv, "--report", str(report), "--without-gold"]) == 0
    assert "hybrid, without gold" in capsys.readouterr().out
    runs = json.loads((report / "report.json").read_text(encoding="utf-8"))["runs"]
    assert [r["label"] for r in runs] == ["hybrid", "dense", "hybrid, without gold"]
    unanswerable = runs[2]
    assert [q["id"] for q in unanswerable["questions"]] == ["q1", "q2"]
    assert unanswerable["metrics"]["abstention_rate"] is not None
    assert unanswerable["counts"]["abstention_rate"] == 2
    assert (report / "abstention.png").stat().st_size > 5000
    # the copy without gold was a copy: the index asked for still holds the gold
    from qa import NewsDesk, Settings

    desk = NewsDesk.open(Settings.from_env(index_dir=tmp_path / "ix"))
    assert {"g1", "g2"} <= {a.id for a in desk.articles()}
    desk.close()


def test_abstention_curves_count_what_each_threshold_declines() -> None:
    from evaluation.report import abstention_curves
    from evaluation.runner import EvalRun, QuestionResult
    from qa import Answer, ArticleRef, Citation

    def result(qid: str, score: float, answerable: bool) -> QuestionResult:
        cite = Citation(1, ArticleRef("a"), "q", 0, 1, score)
        answer = Answer(qid, "q [1]", (cite,), False)
        return QuestionResult(EvalQuestion(qid, qid, answerable=answerable), answer, 1.0)

    known = EvalRun("hybrid", (result("a", 0.3, True), result("b", 0.6, True)), {}, {})
    unknown = EvalRun("nogold", (result("c", 0.35, False), result("d", 0.5, False)), {}, {})
    assert abstention_curves(known, unknown, [0.2, 0.4, 0.55, 0.7]) == [
        (0.2, 0.0, 0.0),
        (0.4, 0.5, 0.5),
        (0.55, 0.5, 1.0),
        (0.7, 1.0, 1.0),
    ]
