"""Declarative settings: every setting has a name, a type, a default and a description.

Values live in ``settings.json`` in the data root (readable before the database is unlocked,
e.g. the language of the login screen); an environment variable ``JISR_<NAME>`` overrides a
value for one run. Unknown names and values of the wrong type are refused with a clear error.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jisr_desktop import paths
from jisr_desktop.domain.retention import DEFAULT_MONTHS
from jisr_desktop.errors import JisrError
from jisr_desktop.i18n import LANGUAGES, N_

log = logging.getLogger("jisr.settings")


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    description: str
    choices: tuple[Any, ...] | None = None
    minimum: int | None = None

    @property
    def env(self) -> str:
        return "JISR_" + self.name.upper()

    def coerce(self, value: Any) -> Any:
        """`value` converted to this setting's type, or a `SettingError`."""
        try:
            if self.type is bool and isinstance(value, str):
                if value.lower() not in {"1", "0", "true", "false", "yes", "no"}:
                    raise ValueError(value)
                out: Any = value.lower() in {"1", "true", "yes"}
            elif self.type is int and isinstance(value, bool):
                raise ValueError(value)
            else:
                out = self.type(value)
        except (TypeError, ValueError):
            raise SettingError(name=self.name, value=value) from None
        if self.choices is not None and out not in self.choices:
            raise SettingError(name=self.name, value=value)
        if self.minimum is not None and out < self.minimum:
            raise SettingError(name=self.name, value=value)
        return out


class SettingError(JisrError):
    msgid = N_("The setting {name} cannot take the value {value}.")


SETTINGS: tuple[Setting, ...] = (
    Setting("language", str, "ar", "Language of the program: ar, fr or en.", choices=LANGUAGES),
    Setting("idle_lock_minutes", int, 10, "Lock the screen after this many idle minutes (0: never).", minimum=0),
    Setting("sync_interval_minutes", int, 15, "Sync with HQ every this many minutes when it answers (0: only by hand).", minimum=0),
    Setting("hq_url", str, "", "Address of the HQ server, set at enrollment."),
    Setting("backup_keep_daily", int, 14, "Daily backups kept.", minimum=1),
    Setting("backup_keep_monthly", int, 12, "Monthly backups kept.", minimum=0),
    Setting("log_level", str, "INFO", "Log level of the log file.", choices=("DEBUG", "INFO", "WARNING", "ERROR")),
    Setting("csv_separator", str, "", "Separator of CSV exports: ; , or tab (empty: ; in French and Arabic, , in English).",
            choices=("", ";", ",", "tab")),
    Setting("cndp_declaration", str, "", "Number of the center's declaration to the CNDP (law 09-08), printed on"
            " consent receipts (empty: the receipt says it is not entered)."),
    *(Setting(f"retention_{category}_months", int, months,
              f"Months the {category} records are kept after the relationship ends (a center may"
              " shorten the default of docs/privacy.md, not lengthen it).", minimum=1)
      for category, months in DEFAULT_MONTHS.items()),
)
BY_NAME = {s.name: s for s in SETTINGS}


class Settings:
    """The settings of one data root."""

    def __init__(self, root: Path) -> None:
        self.path = paths.settings_path(root)
        self._values: dict[str, Any] = {}
        if self.path.exists():
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                log.warning("settings file %s unreadable; using defaults", self.path)
                raw = {}
            for name, value in raw.items() if isinstance(raw, dict) else ():
                if name in BY_NAME:
                    try:
                        self._values[name] = BY_NAME[name].coerce(value)
                    except SettingError:
                        log.warning("ignoring bad value for setting %s: %r", name, value)

    def __getitem__(self, name: str) -> Any:
        setting = BY_NAME[name]
        env = os.environ.get(setting.env)
        if env is not None:
            return setting.coerce(env)
        return self._values.get(name, setting.default)

    def set(self, name: str, value: Any) -> None:
        """Validate and store a value (written at once, atomically)."""
        if name not in BY_NAME:
            raise SettingError(name=name, value=value)
        self._values[name] = BY_NAME[name].coerce(value)
        tmp = self.path.with_suffix(".tmp")
        tmp.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(self._values, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)

    def __iter__(self) -> Iterator[tuple[Setting, Any]]:
        for setting in SETTINGS:
            yield setting, self[setting.name]
