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
