"""Settings: every knob is checked when set, and read from NEWSDESK_* variables."""

from __future__ import annotations

import pytest

from qa.settings import Settings, SettingsError


def test_the_precision_setting_is_checked_and_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(SettingsError, match="embedding_precision must be one of"):
        Settings(embedding_precision="half")
    monkeypatch.setenv("NEWSDESK_EMBEDDING_PRECISION", "fp32")
    assert Settings.from_env().embedding_precision == "fp32"
    assert Settings.from_env(embedding_precision="bf16").embedding_precision == "bf16"


def test_the_sentence_vectors_setting_is_checked_and_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().sentence_vectors is None  # the way the index holds them
    with pytest.raises(SettingsError, match="sentence_vectors must be one of alone, pooled"):
        Settings(sentence_vectors="late")
    monkeypatch.setenv("NEWSDESK_SENTENCE_VECTORS", "pooled")
    assert Settings.from_env().sentence_vectors == "pooled"


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False)]
)
def test_debug_is_read_from_newsdesk_debug(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    assert Settings.from_env().debug is False
    monkeypatch.setenv("NEWSDESK_DEBUG", raw)
    assert Settings.from_env().debug is expected


def test_a_debug_value_that_is_neither_yes_nor_no_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSDESK_DEBUG", "loud")
    with pytest.raises(SettingsError, match=r"NEWSDESK_DEBUG='loud' is not a yes or no: use 1"):
        Settings.from_env()
