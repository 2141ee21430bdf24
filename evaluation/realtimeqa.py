"""RealTimeQA: index its gold articles among distractors, ask each question on its date.

The data (`../shared/eval/realtimeqa/`, see its README) stays where it is: the
gold articles and the distractors are written to a temporary JSONL and ingested
from there, never copied into the project.
"""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from evaluation.errors import QuestionSetError
from evaluation.metrics import normalise
from evaluation.questions import EvalQuestion
from evaluation.runner import EvalRun, QuestionResult, evaluate
from qa import IngestReport, NewsDesk, Settings

DEFAULT_DATA = Path("../shared/eval/realtimeqa")
DEFAULT_CORPUS = Path("../shared/corpora/news_corpus.jsonl.gz")
QUESTIONS_FILE = "questions_dev.jsonl"
ARTICLES_FILE = "articles_gold_dev.jsonl"
RETRIEVALS: tuple[str, ...] = ("hybrid", "dense")  # the product, then the baseline
WITHOUT_GOLD = "hybrid, without gold"  # the label of the unanswerable run


def load_realtimeqa(data_dir: str | Path, limit: int | None = None) -> list[EvalQuestion]:
    """RealTimeQA questions as `EvalQuestion`s, asked as of their `question_date`.

    Only `answer_verbatim` questions carry an expected answer: the others' answer
    is a multiple-choice option that no article states word for word, so
    containment cannot score them; they still count for retrieval.

    Args:
        data_dir: the folder holding questions_dev.jsonl.
        limit: keep only the first `limit` questions.
    """
    path = Path(data_dir) / QUESTIONS_FILE
    questions: list[EvalQuestion] = []
    for number, record in enumerate(_json_lines(path), 1):
        try:
            questions.append(
                EvalQuestion(
                    id=str(record["id"]),
                    question=str(record["question"]),
                    as_of=record.get("question_date"),
                    answerable=True,
                    expected_answers=(record["answer"],) if record.get("answer_verbatim") else (),
                    gold_article_ids=tuple(record.get("gold_article_ids", ())),
                    note=f"{record.get('source', '')}; answer: {record.get('answer', '')}",
                )
            )
        except (KeyError, TypeError) as error:
            message = f"{path}:{number}: not a RealTimeQA question (missing {error})"
            raise QuestionSetError(message) from None
        if limit is not None and len(questions) >= limit:
            break
    return questions


def load_realtimeqa_answers(data_dir: str | Path) -> dict[str, str]:
    """question id -> the text of its correct choice, verbatim in an article or not."""
    return {
        str(record["id"]): str(record.get("answer", ""))
        for record in _json_lines(Path(data_dir) / QUESTIONS_FILE)
    }


def write_articles(
    gold_file: str | Path,
    corpus: str | Path,
    gold_ids: Iterable[str],
    distractors: int,
    out: str | Path,
) -> tuple[int, int]:
    """Write the gold articles, then the first `distractors` corpus articles that are not
    gold, to the JSONL file `out`; returns (gold written, distractors written).

    The corpus is streamed, so only the lines kept are ever held in memory. Every
    RealTimeQA gold article is excluded from the distractors, not just `gold_ids`.
    """
    wanted = set(gold_ids)
    all_gold = {str(record["id"]) for record in _json_lines(Path(gold_file))}
    gold_written = distractors_written = 0
    with Path(out).open("w", encoding="utf-8") as sink:
        for record in _json_lines(Path(gold_file)):
            if record["id"] in wanted:
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                gold_written += 1
        if distractors > 0:
            with gzip.open(corpus, "rt", encoding="utf-8") as lines:
                for line in lines:
                    if distractors_written >= distractors:
                        break
                    record = json.loads(line)
                    if record.get("id") not in all_gold:
                        sink.write(line if line.endswith("\n") else line + "\n")
                        distractors_written += 1
    return gold_written, distractors_written


def without_gold_questions(
    questions: Sequence[EvalQuestion],
    answers: Mapping[str, str],
    article_texts: Iterable[str],
) -> list[EvalQuestion]:
    """The questions no indexed article can answer: their gold answer (`answers`,
    question id -> the correct choice's text) appears, normalised, in none of
    `article_texts`. Each comes back marked unanswerable, with no gold articles.

    >>> q = [EvalQuestion("a", "Which show?"), EvalQuestion("b", "Which city?")]
    >>> [x.id for x in without_gold_questions(q, {"a": "Squid Game", "b": "Oslo"},
    ...                                          ["“Squid Game” returns."])]
    ['b']
    """
    haystack = "\n".join(f" {normalise(text)} " for text in article_texts)
    out = []
    for question in questions:
        answer = normalise(answers.get(question.id, ""))
        if answer and f" {answer} " not in haystack:
            out.append(
                replace(
                    question,
                    answerable=False,
                    expected_answers=(),
                    expected_quotes=(),
                    gold_article_ids=(),
                )
            )
    return out


def run_realtimeqa(
    settings: Settings,
    *,
    data_dir: str | Path = DEFAULT_DATA,
    corpus: str | Path = DEFAULT_CORPUS,
    distractors: int = 2000,
    limit: int | None = None,
    retrievals: Sequence[str] = RETRIEVALS,
    ingest_progress: Callable[[int, int], None] | None = None,
    on_ingested: Callable[[IngestReport], None] | None = None,
    progress: Callable[[str, QuestionResult], None] | None = None,
    without_gold: bool = False,
) -> list[EvalRun]:
    """Index gold articles plus distractors in `settings.index_dir`, then evaluate each
    retrieval setting on the same index; one `EvalRun` per retrieval, in order.

    Args:
        settings: where the index goes (created if missing; articles already
            there are kept, so reuse it only for the same distractor count).
        data_dir: the RealTimeQA folder.
        corpus: the gzip JSONL corpus the distractors come from.
        distractors: how many non-gold corpus articles to add.
        limit: ask only the first `limit` questions (and index only their gold).
        retrievals: the `Settings.retrieval` values to compare.
        ingest_progress: passed to `NewsDesk.ingest`.
        on_ingested: called with the ingest report before questions are asked.
        progress: called with (retrieval, result) after each question.
        without_gold: also run `WITHOUT_GOLD`: a copy of the index with every gold
            article deleted, asked the questions whose answer no remaining article
            holds (`without_gold_questions`); the service should decline them all.
    """
    data_dir = Path(data_dir)
    questions = load_realtimeqa(data_dir, limit)
    gold_ids = {g for q in questions for g in q.gold_article_ids}
    with tempfile.TemporaryDirectory(prefix="newsdesk-realtimeqa-") as scratch:
        articles = Path(scratch) / "realtimeqa_articles.jsonl"
        write_articles(data_dir / ARTICLES_FILE, corpus, gold_ids, distractors, articles)
        # ingest is throughput work: let torch use two threads (the lead's ingest does too)
        ingest_settings = settings.with_(query_threads=max(2, settings.query_threads))
        desk = NewsDesk.open(ingest_settings, create=True)
        try:
            report = desk.ingest([articles], ingest_progress)
        finally:
            desk.close()
    if on_ingested:
        on_ingested(report)
    runs: list[EvalRun] = []
    for retrieval in retrievals:
        desk = NewsDesk.open(settings.with_(retrieval=retrieval))
        try:

            def tell(result: QuestionResult, retrieval: str = retrieval) -> None:
                if progress:
                    progress(retrieval, result)

            runs.append(evaluate(desk, questions, label=retrieval, progress=tell))
        finally:
            desk.close()
    if without_gold:
        answers = load_realtimeqa_answers(data_dir)
        all_gold = [str(r["id"]) for r in _json_lines(data_dir / ARTICLES_FILE)]
        runs.append(_without_gold_run(settings, questions, answers, all_gold, progress))
    return runs


def _without_gold_run(
    settings: Settings,
    questions: Sequence[EvalQuestion],
    answers: Mapping[str, str],
    gold_ids: Sequence[str],
    progress: Callable[[str, QuestionResult], None] | None,
) -> EvalRun:
    """The unanswerable run: the same distractors, no gold article, on a copy of the
    index (deleting 149 articles costs seconds, ingesting 2,000 again an hour)."""
    with tempfile.TemporaryDirectory(prefix="newsdesk-realtimeqa-nogold-") as scratch:
        copy = Path(scratch) / "index"
        shutil.copytree(settings.index_dir, copy)
        desk = NewsDesk.open(settings.with_(index_dir=copy, retrieval="hybrid"))
        try:
            desk.delete(gold_ids)
            texts = []
            for summary in desk.articles():
                article = desk.article(summary.id)
                texts.append(f"{article.title}\n{article.text}")
            unanswerable = without_gold_questions(questions, answers, texts)

            def tell(result: QuestionResult) -> None:
                if progress:
                    progress(WITHOUT_GOLD, result)

            return evaluate(desk, unanswerable, label=WITHOUT_GOLD, progress=tell)
        finally:
            desk.close()


def _json_lines(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    yield json.loads(line)
    except FileNotFoundError:
        raise QuestionSetError(
            f"no RealTimeQA file at {path}; point --data at ../shared/eval/realtimeqa"
        ) from None
