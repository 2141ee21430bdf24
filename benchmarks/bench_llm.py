"""Speed of generative answers with the local SmolLM2 GGUF on this machine's CPUs.

Prints, per llama.cpp thread count: model load time, prompt size, time to first
token, prompt evaluation and generation rates (tokens/s); then the latency the
citation checks add after the stream ends, for the model's own answer and for a
cited three-sentence answer.

    python benchmarks/bench_llm.py [--runs 3] [--threads 1,2] [--max-tokens 64]

Every run starts from an empty llama.cpp cache, as a question with new passages
does; a follow-up on the same passages would reuse the cached prompt.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path
from typing import Any

from index.readers import read_paths
from index.records import Article, ArticleRef
from index.sentences import split_sentences
from qa.generative.answerer import GenerativeAnswerer, ground_answer
from qa.generative.models import make_chat_model
from qa.generative.prompting import answer_messages
from qa.records import Answer, Passage
from qa.settings import Settings

SEED = Path(__file__).parents[1] / "seeds" / "000_08dd639a47279972.txt"
QUESTIONS = (
    "What did Kritenbrink say about going to Beijing?",
    "What did Qin Gang urge the United States to do?",
    "What will Blinken push for?",
    "Why are relations between the two countries strained?",
)
CITED_ANSWER = (
    "U.S. officials said Blinken would push to establish open communication channels [3]. "
    "Qin Gang urged the United States to stop meddling in its affairs [2]. "
    "Kritenbrink said they were not going to Beijing for a breakthrough in Moscow [4]."
)


def seed_passages() -> list[Passage]:
    """The seed article's first five paragraphs as passages, as retrieval would give."""
    (article,) = [a for a in read_paths([SEED]) if isinstance(a, Article)]
    sentences = split_sentences(article.text)
    passages: list[Passage] = []
    for m in list(re.finditer(r"[^\n]+", article.text))[:5]:
        start, end = m.span()
        passages.append(
            Passage(
                f"{article.id}:{len(passages)}", ArticleRef.of(article), start, end, m.group(),
                tuple((s, e) for s, e in sentences if start <= s < end), 1.0,
            )
        )  # fmt: skip
    return passages


def empty_extractive() -> Answer:
    """Stands in for the extractive answer, which this benchmark does not time."""
    return Answer("q", "", (), abstained=True)


def time_generation(model: Any, passages: list[Passage], question: str) -> dict[str, Any]:
    """One cold generation: prompt tokens, first-token and total seconds, tokens."""
    model.client.reset()  # forget the cached prompt: a new question brings new passages
    messages = answer_messages(question, passages)
    started = time.perf_counter()
    first = None
    text = []
    for chunk in model.stream(messages):
        if first is None and str(chunk.text):
            first = time.perf_counter() - started
        text.append(str(chunk.text))
    total = time.perf_counter() - started
    generated = len(model.client.tokenize("".join(text).encode(), add_bos=False))
    return {
        # the context now holds the templated prompt and the answer
        "prompt_tokens": model.client.n_tokens - generated,
        "ttft": first or total,
        "total": total,
        "tokens": generated,
        "text": "".join(text),
    }


def time_checks(raw: str, passages: list[Passage], repeats: int = 200) -> float:
    """Median milliseconds `ground_answer` takes on `raw`."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        ground_answer("q", raw, passages, empty_extractive)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", default="1,2", help="llama.cpp thread counts to compare")
    parser.add_argument("--max-tokens", type=int, default=64)
    args = parser.parse_args()
    passages = seed_passages()
    print(f"SmolLM2-135M-Instruct Q4_1, {len(passages)} passages, max {args.max_tokens} tokens")
    print("threads  load_s  prompt_tok  ttft_s  prompt_tok/s  gen_tok  gen_tok/s")
    last_text = ""
    for threads in [int(t) for t in args.threads.split(",")]:
        started = time.perf_counter()
        model: Any = make_chat_model(
            Settings(llm="local"), max_tokens=args.max_tokens, n_threads=threads
        )
        load = time.perf_counter() - started
        for run in range(args.runs):
            r = time_generation(model, passages, QUESTIONS[run % len(QUESTIONS)])
            decode = (r["tokens"] - 1) / max(r["total"] - r["ttft"], 1e-9)
            print(
                f"{threads:>7}  {load:>6.2f}  {r['prompt_tokens']:>10}  {r['ttft']:>6.2f}"
                f"  {r['prompt_tokens'] / r['ttft']:>12.0f}  {r['tokens']:>7}  {decode:>9.1f}"
            )
            last_text = str(r["text"])
        # the whole answerer: worker thread, queue, and checks, as the service runs it
        answerer = GenerativeAnswerer(model, timeout_s=600)
        model.client.reset()
        final = list(answerer.stream(QUESTIONS[0], passages, (), empty_extractive))[-1]
        assert isinstance(final, Answer)
        assert final.mode == "generative", final.notices
        timings = {k: round(v) for k, v in final.timings_ms.items()}
        print(f"{threads:>7}  answerer timings_ms {timings}")
    own = time_checks(last_text, passages)
    print(f"checks, model's answer ({len(last_text)} chars): {own:.2f} ms")
    print(f"checks, cited 3-sentence answer: {time_checks(CITED_ANSWER, passages):.2f} ms")


if __name__ == "__main__":
    main()
