from __future__ import annotations

from pathlib import Path

import pytest

from jisr_desktop import paths
from jisr_desktop.settings import SETTINGS, SettingError, Settings


def test_defaults_types_and_persistence(home: Path) -> None:
    settings = Settings(home)
    assert settings["language"] == "ar"
    settings.set("idle_lock_minutes", "5")
    assert Settings(home)["idle_lock_minutes"] == 5
    with pytest.raises(SettingError) as info:
        settings.set("language", "de")
    assert "language" in info.value.message("en")
    with pytest.raises(SettingError):
        settings.set("idle_lock_minutes", -1)
    with pytest.raises(SettingError):
        settings.set("no_such_setting", 1)


def test_environment_overrides(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JISR_SYNC_INTERVAL_MINUTES", "3")
    assert Settings(home)["sync_interval_minutes"] == 3


def test_a_damaged_settings_file_falls_back_to_defaults(home: Path) -> None:
    paths.settings_path(home).write_text("{not json")
    assert Settings(home)["language"] == "ar"


def test_every_setting_is_described_and_its_default_valid() -> None:
    for setting in SETTINGS:
        assert setting.description.endswith(".")
        assert setting.coerce(setting.default) == setting.default


def test_data_root_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JISR_HOME", str(tmp_path / "env"))
    assert paths.data_root() == (tmp_path / "env").resolve()
    assert paths.data_root(tmp_path / "flag") == (tmp_path / "flag").resolve()
    monkeypatch.delenv("JISR_HOME")
    assert paths.data_root().name == "jisr"
