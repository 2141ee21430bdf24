"""Calibrate the abstention threshold on seeds/calibration.jsonl.

The calibration questions are kept apart from seeds/questions.jsonl, which the
tests and the CI gate use, so the threshold is never fitted to what checks it.

    python benchmarks/calibrate_abstention.py [--questions seeds/calibration.jsonl]

For every question it records the best evidence score (by answering with the
threshold at 0), then prints, for each candidate threshold, how many answerable
questions would be answered and how many unanswerable ones would abstain.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from qa import NewsDesk, Settings

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=ROOT / "seeds" / "calibration.jsonl")
    parser.add_argument("--corpus", type=Path, default=ROOT / "seeds")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.questions.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        desk = NewsDesk.open(
            Settings.from_env(
                index_dir=Path(tmp) / "index", abstain_threshold=0.0, sentence_ranker="hand"
            ),
            create=True,
        )
        desk.ingest([args.corpus])
        scored = []
        for row in rows:
            answer = desk.ask(
                row["question"], history=row.get("history") or (), as_of=row.get("as_of")
            )
            best = max((c.score for c in answer.citations), default=0.0)
            scored.append((best, bool(row.get("answerable", True)), row["id"]))
            kind = "answerable  " if row.get("answerable", True) else "unanswerable"
            print(f"{best:6.3f}  {kind}  {row['question']}")
    answerable = sum(1 for _, a, _ in scored if a)
    unanswerable = len(scored) - answerable
    print(f"\n{'threshold':>9} {'answered':>9} {'abstained':>10} {'balanced acc':>12}")
    best_t, best_acc = 0.0, -1.0
    for step in range(20, 81):
        t = step / 100
        answered = sum(1 for s, a, _ in scored if a and s >= t)
        abstained = sum(1 for s, a, _ in scored if not a and s < t)
        acc = (answered / max(answerable, 1) + abstained / max(unanswerable, 1)) / 2
        if acc > best_acc:
            best_t, best_acc = t, acc
        print(
            f"{t:9.2f} {answered:>4}/{answerable:<4} {abstained:>5}/{unanswerable:<4} {acc:12.3f}"
        )
    print(f"\nbest threshold {best_t:.2f} (balanced accuracy {best_acc:.3f}); lowest of ties")


if __name__ == "__main__":
    main()
