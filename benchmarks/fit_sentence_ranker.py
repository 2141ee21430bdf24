"""Fit the sentence ranker (qa/extractive/ranker.py) and store it beside it, in
qa/extractive/sentence_ranker.json.

Two steps, so that the fit can be checked without the hour an index of 2,000
distractors takes to build:

    python benchmarks/fit_sentence_ranker.py collect --realtimeqa-index /tmp/rtqa2000-index
    python benchmarks/fit_sentence_ranker.py fit
    python benchmarks/fit_sentence_ranker.py crossval --realtimeqa-index /tmp/rtqa2000-index

`collect` retrieves, for every question kept apart from the CI gate, the passages the
service would answer from, and writes every candidate sentence's SENTENCE_FEATURES
with a label to benchmarks/results/sentence_ranker_rows.jsonl.gz: 1 when the sentence
holds one of the question's expected answers, else 0. The questions are
seeds/calibration.jsonl over seeds/, RealTimeQA dev over an index of its gold
articles and 2,000 distractors (its `answer_verbatim` questions: the others' answers
are in no sentence), and RealTimeQA without its gold articles (every sentence 0: the
threshold needs questions no sentence answers). "What did X say about Y" questions and
follow-ups are left out: the hand score keeps answering them (EvidenceScorer.ranker_for).
seeds/questions.jsonl, the gate, is never used.

`fit` scores the ranker by 5-fold cross-validation grouped by question (every
sentence of a question is ranked by a model that never saw that question), beside the
hand-weighted score it replaces, then fits on everything and writes the model. Its
threshold is the probability under which the best sentence is declined: chosen on the
held-out probabilities as the best balanced accuracy (answerable questions answered,
unanswerable declined) that declines at most MAX_DECLINED of the questions whose gold
sentence was ranked first. tests/qa/test_sentence_ranker.py checks that `fit`
reproduces the committed model from the committed rows. `crossval` answers RealTimeQA
through the service with, for each question, the ranker of the folds that left it out.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fitting import FOLDS, choose_threshold, fold  # noqa: E402  (benchmarks/)

from qa.extractive.logistic import LogisticModel, fit_logistic  # noqa: E402
from qa.extractive.ranker import SENTENCE_FEATURES  # noqa: E402

ROWS_FILE = ROOT / "benchmarks" / "results" / "sentence_ranker_rows.jsonl.gz"
MODEL_FILE = ROOT / "qa" / "extractive" / "sentence_ranker.json"
MAX_DECLINED = 0.02
L2 = 1.0  # cross-validated answers: containment 0.803 with 1, 0.795 with 3, 0.787 with 10


def collect(realtimeqa_index: Path, out: Path, distractors: int) -> None:
    from evaluation import load_questions
    from evaluation.realtimeqa import (
        ARTICLES_FILE,
        DEFAULT_CORPUS,
        DEFAULT_DATA,
        load_realtimeqa,
        load_realtimeqa_answers,
        without_gold_questions,
        write_articles,
    )
    from qa import NewsDesk, Settings

    rows: list[dict[str, Any]] = []
    data = ROOT / DEFAULT_DATA
    with tempfile.TemporaryDirectory() as scratch:
        desk = NewsDesk.open(Settings.from_env(index_dir=Path(scratch) / "seed"), create=True)
        desk.ingest([ROOT / "seeds"])
        calibration = load_questions(ROOT / "seeds" / "calibration.jsonl")
        rows += _rows(desk, "calibration", calibration)
        desk.close()

        realtimeqa = load_realtimeqa(data)
        gold = {g for q in realtimeqa for g in q.gold_article_ids}
        articles = Path(scratch) / "articles.jsonl"
        write_articles(data / ARTICLES_FILE, ROOT / DEFAULT_CORPUS, gold, distractors, articles)
        desk = NewsDesk.open(Settings.from_env(index_dir=realtimeqa_index), create=True)
        desk.ingest([articles])  # a no-op on an index built by `newsdesk realtimeqa`
        rows += _rows(desk, "realtimeqa", [q for q in realtimeqa if q.expected_answers])
        desk.close()

        copy = Path(scratch) / "without-gold"
        shutil.copytree(realtimeqa_index, copy)
        desk = NewsDesk.open(Settings.from_env(index_dir=copy))
        desk.delete([str(r["id"]) for r in _json_lines(data / ARTICLES_FILE)])
        texts = [f"{a.title}\n{a.text}" for a in (desk.article(s.id) for s in desk.articles())]
        unanswerable = without_gold_questions(realtimeqa, load_realtimeqa_answers(data), texts)
        rows += _rows(desk, "realtimeqa-without-gold", unanswerable)
        desk.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8") as sink:
        for row in rows:
            sink.write(json.dumps(row, sort_keys=True) + "\n")
    questions = len({(r["set"], r["id"]) for r in rows})
    print(f"wrote {len(rows)} sentences of {questions} questions to {out}")


def _rows(desk: Any, set_name: str, questions: Iterable[Any]) -> list[dict[str, Any]]:
    """Every candidate sentence of each question, with its features and label.

    The scorer is the service's own, given a ranker with zero weights: it scores every
    sentence and attaches the features, which is all collecting needs.
    """
    from evaluation.metrics import contains_answer
    from qa.questions.followup import resolve_followup
    from qa.records import Turn
    from qa.speech.question import parse_said_question

    scorer = desk._extractive_answerer.scorer
    saved = scorer.ranker
    n = len(SENTENCE_FEATURES)
    scorer.ranker = LogisticModel(SENTENCE_FEATURES, (0.0,) * n, 0.0, 0.5, (0.0,) * n, (1.0,) * n)
    out: list[dict[str, Any]] = []
    try:
        for q in questions:
            resolved = resolve_followup(q.question, [Turn(*turn) for turn in q.history])
            question = resolved.question
            said = parse_said_question(question)
            if scorer.ranker_for(said, resolved.is_followup) is None:
                continue  # "what did X say about Y" and follow-ups keep the hand score
            passages = desk.retrieve(question, as_of=q.as_of)
            vector = desk._embed_question(question)
            articles = {p.article_id: desk.article(p.article_id) for p in passages}
            for e in scorer.score(question, vector, passages, articles, said=said):
                label = 0
                if q.answerable is not False:
                    quotes = q.expected_quotes
                    held = contains_answer(e.text, q.expected_answers) or any(
                        quote in e.text or e.text in quote for quote in quotes
                    )
                    label = int(held)
                out.append(
                    {
                        "set": set_name,
                        "id": q.id,
                        "answerable": q.answerable is not False,
                        "label": label,
                        "features": [round(v, 5) for v in e.features],
                    }
                )
    finally:
        scorer.ranker = saved
    return out


def _groups(rows: list[dict[str, Any]]) -> dict[tuple[str, str], list[int]]:
    groups: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault((r["set"], r["id"]), []).append(i)
    return groups


def ranking_report(
    rows: list[dict[str, Any]], scores: np.ndarray, label: str, top: int = 3
) -> dict[str, float]:
    """Of the answerable questions with a gold sentence among the candidates: the share
    whose best-scored sentence is gold (top-1) and with a gold one in the first `top`."""
    hits1 = hitsk = total = 0
    for members in _groups(rows).values():
        labels = [rows[i]["label"] for i in members]
        if not rows[members[0]]["answerable"] or not any(labels):
            continue
        total += 1
        ranked = sorted(members, key=lambda i: -scores[i])
        hits1 += rows[ranked[0]]["label"]
        hitsk += any(rows[i]["label"] for i in ranked[:top])
    report = {"questions": total, "top1": hits1 / max(1, total), f"top{top}": hitsk / max(1, total)}
    print(
        f"  {label:<22} top-1 {report['top1']:.3f}  top-{top} {report[f'top{top}']:.3f}"
        f"  ({total} questions with a gold sentence among the candidates)"
    )
    return report


def fit(rows_file: Path, out: Path) -> LogisticModel:
    rows = list(_json_lines(rows_file))
    x = np.array([r["features"] for r in rows], dtype=float)
    y = np.array([r["label"] for r in rows], dtype=float)
    folds = np.array([fold(r) for r in rows])
    held_out = np.zeros(len(y))
    for k in range(FOLDS):
        train = folds != k
        w, b, m, s = fit_logistic(x[train], y[train], l2=L2)
        held_out[~train] = 1.0 / (1.0 + np.exp(-(((x[~train] - m) / s) @ w + b)))
    print(f"{len(rows)} sentences, {int(y.sum())} gold; ranked by question, cross-validated:")
    hand = x[:, SENTENCE_FEATURES.index("hand")]
    for name in sorted({r["set"] for r in rows}):
        keep = [i for i, r in enumerate(rows) if r["set"] == name]
        subset = [rows[i] for i in keep]
        if not any(r["answerable"] for r in subset):
            continue
        print(f" {name}:")
        ranking_report(subset, hand[keep], "hand-weighted score")
        ranking_report(subset, held_out[keep], "sentence ranker")
    best, answered = [], []
    for members in _groups(rows).values():
        top = max(members, key=lambda i: held_out[i])
        if not rows[top]["answerable"]:
            best.append(held_out[top])
            answered.append(0)
        elif rows[top]["label"]:
            best.append(held_out[top])
            answered.append(1)
    threshold = choose_threshold(np.array(best), np.array(answered), MAX_DECLINED)
    best_a, answered_a = np.array(best), np.array(answered)
    print(
        f" threshold {threshold:.4f}: declines"
        f" {np.mean(best_a[answered_a == 1] < threshold):.3f} of {int(answered_a.sum())}"
        f" questions whose best sentence answers, and"
        f" {np.mean(best_a[answered_a == 0] < threshold):.3f} of {int((answered_a == 0).sum())}"
        " unanswerable ones"
    )
    w, b, m, s = fit_logistic(x, y, l2=L2)
    model = LogisticModel(
        features=SENTENCE_FEATURES,
        weights=tuple(round(float(v), 6) for v in w),
        bias=round(b, 6),
        threshold=round(threshold, 4),
        means=tuple(round(float(v), 6) for v in m),
        scales=tuple(round(float(v), 6) for v in s),
    )
    out.write_text(json.dumps(model.to_dict(), indent=2) + "\n", encoding="utf-8")
    for name, weight in zip(SENTENCE_FEATURES, model.weights, strict=True):
        print(f"  weight {name:<16} {weight:+.3f}")
    print(f"wrote {out}")
    return model


def crossval(rows_file: Path, realtimeqa_index: Path) -> None:
    """RealTimeQA answered end to end by the service, each question by a ranker fitted
    on the other folds' rows only: the containment to report, since the shipped ranker
    has seen every RealTimeQA dev question. Beside it, the same run with the hand score."""
    from evaluation import evaluate, load_realtimeqa
    from evaluation.realtimeqa import DEFAULT_DATA
    from qa import NewsDesk, Settings

    rows = list(_json_lines(rows_file))
    x = np.array([r["features"] for r in rows], dtype=float)
    y = np.array([r["label"] for r in rows], dtype=float)
    folds = np.array([fold(r) for r in rows])
    questions = load_realtimeqa(ROOT / DEFAULT_DATA)
    desk = NewsDesk.open(Settings.from_env(index_dir=realtimeqa_index, sentence_ranker="learned"))
    answerer = desk._extractive_answerer
    shipped = answerer.scorer.ranker
    results = []
    try:
        for k in range(FOLDS):
            train = folds != k
            w, b, m, s = fit_logistic(x[train], y[train], l2=L2)
            answerer.scorer.ranker = LogisticModel(
                SENTENCE_FEATURES, tuple(w), b, shipped.threshold, tuple(m), tuple(s)
            )
            held = [q for q in questions if fold({"set": "realtimeqa", "id": q.id}) == k]
            results += evaluate(desk, held, label=f"fold {k}").results
        answerer.scorer.ranker = None
        hand = evaluate(desk, questions, label="hand").results
    finally:
        answerer.scorer.ranker = shipped
        desk.close()
    from evaluation import overall_metrics

    for label, run in (("sentence ranker, cross-validated", results), ("hand score", hand)):
        metrics, _ = overall_metrics(run)
        shown = ("answer_containment", "answer_cited", "gold_cited", "hit@5", "abstention_rate")
        print(f"{label}: " + ", ".join(f"{n} {metrics[n]:.3f}" for n in shown))


def _json_lines(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    c = sub.add_parser("collect", help="score every candidate sentence and write the rows")
    c.add_argument("--realtimeqa-index", type=Path, required=True)
    c.add_argument("--distractors", type=int, default=2000)
    c.add_argument("--out", type=Path, default=ROWS_FILE)
    f = sub.add_parser("fit", help="fit the ranker on the rows and write it")
    f.add_argument("--rows", type=Path, default=ROWS_FILE)
    f.add_argument("--out", type=Path, default=MODEL_FILE)
    v = sub.add_parser("crossval", help="RealTimeQA answered by rankers that never saw it")
    v.add_argument("--rows", type=Path, default=ROWS_FILE)
    v.add_argument("--realtimeqa-index", type=Path, required=True)
    args = parser.parse_args()
    if args.step == "collect":
        collect(args.realtimeqa_index, args.out, args.distractors)
    elif args.step == "crossval":
        crossval(args.rows, args.realtimeqa_index)
    else:
        fit(args.rows, args.out)


if __name__ == "__main__":
    main()
