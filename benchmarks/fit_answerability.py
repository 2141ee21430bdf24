"""Fit the answerability model (qa/extractive/answerability.py) and store it beside it, in
qa/extractive/answerability.json.

Two steps, so that the fit can be checked without the hour an index of 2,000 distractors
takes to build:

    python benchmarks/fit_answerability.py collect --realtimeqa-index /tmp/rtqa2000-index
    python benchmarks/fit_answerability.py fit

`collect` asks, with abstention switched off, the questions kept apart from the CI gate
(seeds/calibration.jsonl over seeds/, RealTimeQA dev with its 2,000 distractors, and
RealTimeQA without its gold articles) and writes each question's answerability signals
with its label to benchmarks/results/answerability_signals.jsonl: 1 for an answer that
holds the expected answer, 0 for a question no indexed article answers; an answerable
question answered wrongly is kept for the report but not fitted on (the article does
answer it: declining would be the wrong lesson). seeds/questions.jsonl, the gate, is
never used. `fit` reads that file, scores the model by 5-fold cross-validation (each
question predicted by a model that never saw it), picks the threshold on those held-out
predictions, then fits on everything and writes the model. tests/qa/test_answerability.py
checks that `fit` reproduces the committed model from the committed signals.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fitting import FOLDS, choose_threshold, fold  # noqa: E402  (benchmarks/)

from qa.extractive.answerability import SIGNALS  # noqa: E402
from qa.extractive.logistic import LogisticModel, fit_logistic  # noqa: E402

SIGNALS_FILE = ROOT / "benchmarks" / "results" / "answerability_signals.jsonl"
MODEL_FILE = ROOT / "qa" / "extractive" / "answerability.json"
MAX_DECLINED = 0.05  # of the correctly answered questions, as the goal allows
L2 = 1.0


def collect(realtimeqa_index: Path, out: Path, distractors: int) -> None:
    from evaluation import evaluate, load_questions, run_realtimeqa
    from evaluation.realtimeqa import DEFAULT_CORPUS, DEFAULT_DATA
    from qa import NewsDesk, Settings

    rows: list[dict[str, object]] = []

    def add(set_name: str, results: object) -> None:
        for r in results:  # type: ignore[attr-defined]
            q = r.question
            if r.answer is None:
                continue
            if q.answerable is False:
                label: int | None = 0
            elif q.expected_answers:
                label = 1 if r.contained else None
            else:
                continue  # nothing to tell a right answer by
            rows.append({"set": set_name, "id": q.id, "label": label, "signals": r.answer.signals})

    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings.from_env(index_dir=Path(scratch) / "seed", answerability="off")
        desk = NewsDesk.open(settings, create=True)
        desk.ingest([ROOT / "seeds"])
        add(
            "calibration",
            evaluate(desk, load_questions(ROOT / "seeds" / "calibration.jsonl")).results,
        )
        desk.close()
    settings = Settings.from_env(index_dir=realtimeqa_index, answerability="off")
    runs = run_realtimeqa(
        settings,
        data_dir=ROOT / DEFAULT_DATA,  # ../shared beside the repository
        corpus=ROOT / DEFAULT_CORPUS,
        distractors=distractors,
        retrievals=("hybrid",),
        without_gold=True,
    )
    add("realtimeqa", runs[0].results)
    add("realtimeqa-without-gold", runs[1].results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(rows)} questions' signals to {out}")


def _matrix(rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[float(r["signals"].get(s, 0.0)) for s in SIGNALS] for r in rows])
    y = np.array([float(r["label"]) for r in rows])
    return x, y


def _probabilities(
    w: np.ndarray, b: float, m: np.ndarray, s: np.ndarray, x: np.ndarray
) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(((x - m) / s) @ w + b)))


def fit(signals_file: Path, out: Path) -> LogisticModel:
    rows = [json.loads(line) for line in signals_file.read_text(encoding="utf-8").splitlines()]
    fitted = [r for r in rows if r["label"] is not None]
    x, y = _matrix(fitted)
    folds = np.array([fold(r) for r in fitted])
    held_out = np.zeros(len(y))
    for k in range(FOLDS):
        train = folds != k
        w, b, m, s = fit_logistic(x[train], y[train], l2=L2)
        held_out[~train] = _probabilities(w, b, m, s, x[~train])
    threshold = choose_threshold(held_out, y, MAX_DECLINED)
    w, b, m, s = fit_logistic(x, y, l2=L2)
    model = LogisticModel(
        features=SIGNALS,
        weights=tuple(round(float(v), 6) for v in w),
        bias=round(b, 6),
        threshold=round(threshold, 4),
        means=tuple(round(float(v), 6) for v in m),
        scales=tuple(round(float(v), 6) for v in s),
    )
    out.write_text(json.dumps(model.to_dict(), indent=2) + "\n", encoding="utf-8")
    print(
        f"{len(fitted)} questions fitted: {int(y.sum())} answered right,"
        f" {int((y == 0).sum())} unanswerable"
    )
    print(f"cross-validated, threshold {threshold:.4f}:")
    for name in sorted({r["set"] for r in fitted}):
        keep = np.array([r["set"] == name for r in fitted])
        pos, neg = keep & (y == 1), keep & (y == 0)
        line = f"  {name}: "
        if pos.any():
            line += (
                f"right answers declined {np.mean(held_out[pos] < threshold):.3f} of {pos.sum()}  "
            )
        if neg.any():
            line += f"unanswerable declined {np.mean(held_out[neg] < threshold):.3f} of {neg.sum()}"
        print(line)
    for name, weight in zip(SIGNALS, model.weights, strict=True):
        print(f"  weight {name:<12} {weight:+.3f}")
    print(f"wrote {out}")
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    c = sub.add_parser("collect", help="ask the questions and write their signals")
    c.add_argument("--realtimeqa-index", type=Path, required=True)
    c.add_argument("--distractors", type=int, default=2000)
    c.add_argument("--out", type=Path, default=SIGNALS_FILE)
    f = sub.add_parser("fit", help="fit the model on the signals and write it")
    f.add_argument("--signals", type=Path, default=SIGNALS_FILE)
    f.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args()
    if args.step == "collect":
        collect(args.realtimeqa_index, args.out, args.distractors)
    else:
        fit(args.signals, args.out)


if __name__ == "__main__":
    main()
