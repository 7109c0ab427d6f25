"""Settings: built by a function from ECOCIV_* (never at import), defaults derived once."""

from __future__ import annotations

import stat

import pytest

from ecociv.errors import ConfigError
from ecociv.settings import load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in (
        "DATABASE_URL",
        "SECRET_KEY",
        "MAX_UPLOAD_MB",
        "SECURE_COOKIES",
        "LANG",
        "DATA_DIR",
    ):
        monkeypatch.delenv(f"ECOCIV_{name}", raising=False)
    monkeypatch.setenv("ECOCIV_DATA_DIR", str(tmp_path / "data"))


def test_defaults_are_derived_from_the_data_dir(tmp_path) -> None:
    settings = load_settings()
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'ecociv.db'}"
    assert (settings.max_upload_mb, settings.max_upload_bytes) == (20, 20 * 1024 * 1024)
    assert settings.lang == "zh" and settings.secure_cookies is False


def test_the_generated_secret_key_is_persisted_privately(tmp_path) -> None:
    first = load_settings().secret_key
    assert len(first) >= 40 and load_settings().secret_key == first
    key_file = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_environment_and_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOCIV_DATABASE_URL", "postgresql+psycopg://app@127.0.0.1:5432/ecociv")
    monkeypatch.setenv("ECOCIV_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("ECOCIV_SECURE_COOKIES", "true")
    monkeypatch.setenv("ECOCIV_LANG", "en")
    settings = load_settings(max_upload_mb=5)
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert settings.secret_key == "from-the-environment"
    assert settings.secure_cookies and settings.lang == "en" and settings.max_upload_mb == 5


def test_a_bad_value_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOCIV_MAX_UPLOAD_MB", "lots")
    with pytest.raises(ConfigError, match="ECOCIV_"):
        load_settings()


def test_a_bad_database_url_is_a_config_error() -> None:
    from ecociv.store.db import create_engine_for

    with pytest.raises(ConfigError, match="unrecognised database URL"):
        create_engine_for("not a url")
