"""The evaluation harness: run a question set through the `qa` API and score it.

>>> from qa import NewsDesk, Settings
>>> from evaluation import evaluate, load_questions, write_report
>>> desk = NewsDesk.open(Settings.from_env(index_dir=".newsdesk"))  # doctest: +SKIP
>>> run = evaluate(desk, load_questions("seeds/questions.jsonl"))      # doctest: +SKIP
>>> write_report([run], "reports/seed", title="Seed questions")      # doctest: +SKIP
"""

from evaluation.errors import GateError, QuestionSetError
from evaluation.gate import check_gate, load_gate
from evaluation.questions import (
    EvalQuestion,
    load_questions,
    parse_question_lines,
    question_from_feedback,
    question_from_record,
)
from evaluation.realtimeqa import (
    WITHOUT_GOLD,
    load_realtimeqa,
    load_realtimeqa_answers,
    run_realtimeqa,
    without_gold_questions,
    write_articles,
)
from evaluation.report import render_summary, run_dict, write_report
from evaluation.runner import (
    LOWER_IS_BETTER,
    EvalRun,
    QuestionResult,
    evaluate,
    overall_metrics,
    score_question,
)

__all__ = [
    "LOWER_IS_BETTER",
    "WITHOUT_GOLD",
    "EvalQuestion",
    "EvalRun",
    "GateError",
    "QuestionResult",
    "QuestionSetError",
    "check_gate",
    "evaluate",
    "load_gate",
    "load_questions",
    "load_realtimeqa",
    "load_realtimeqa_answers",
    "overall_metrics",
    "parse_question_lines",
    "question_from_feedback",
    "question_from_record",
    "render_summary",
    "run_dict",
    "run_realtimeqa",
    "score_question",
    "without_gold_questions",
    "write_articles",
    "write_report",
]
