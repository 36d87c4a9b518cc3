"""Where things live: the data root and the resources shipped with the program.

Everything the program writes hangs off one data root (database, key file, backups, logs,
generated reports), so that tests and a second center on one PC can point elsewhere.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "jisr"
ENV_HOME = "JISR_HOME"


def data_root(override: str | os.PathLike[str] | None = None) -> Path:
    """The data root: `override` (``--home``), else ``$JISR_HOME``, else the platform's folder."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path(root: Path) -> Path:
    return root / "jisr.db"


def key_file_path(root: Path) -> Path:
    return root / "jisr.key"


def logs_dir(root: Path) -> Path:
    return root / "logs"


def backups_dir(root: Path) -> Path:
    return root / "backups"


def settings_path(root: Path) -> Path:
    return root / "settings.json"


def resources_dir() -> Path:
    """The shipped resources, in a source tree, an installed package or a PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "jisr_desktop" / "resources"
    return Path(__file__).resolve().parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def locale_dir() -> Path:
    return resource("locale")
