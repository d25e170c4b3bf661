"""Settings: every field documented, environment and TOML read, typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from pactwatch.settings import Settings

DOC = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_every_setting_is_documented_with_its_environment_variable() -> None:
    table = DOC.read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"| `{name}` | `PACTWATCH_{name.upper()}` |" in table, name
        assert field.description, f"{name} has no help line"
        assert field.description in table, f"docs/settings.md has a stale help line for {name}"


def test_environment_overrides_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACTWATCH_MAX_REDIRECTS", "2")
    monkeypatch.setenv("PACTWATCH_DATABASE_URL", "postgresql://u@127.0.0.1/x")
    settings = Settings()
    assert settings.max_redirects == 2
    assert settings.resolved_database_url() == "postgresql://u@127.0.0.1/x"


def test_toml_file_is_read_and_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "pactwatch.toml"
    config.write_text('batch_size = 7\ndate_order = "MDY"\n', encoding="utf-8")
    monkeypatch.setenv("PACTWATCH_CONFIG", str(config))
    monkeypatch.setenv("PACTWATCH_DATE_ORDER", "DMY")
    settings = Settings()
    assert settings.batch_size == 7
    assert settings.date_order == "DMY"


def test_default_store_is_a_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path / 'pactwatch.sqlite'}"


def test_bad_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACTWATCH_BATCH_SIZE", "many")
    with pytest.raises(ValueError, match="batch_size"):
        Settings()
