"""Logging: one rotating file in the data root, named loggers per area (``jisr.db`` …)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from jisr_desktop import paths

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
_HANDLER_NAME = "jisr-main"


def setup_logging(root: Path, *, level: int | None = None, max_bytes: int = 2_000_000,
                  backups: int = 5) -> Path | None:
    """Send the ``jisr`` loggers to ``<root>/logs/jisr.log``; returns the file, or None
    when the folder cannot be written (the program still runs, logging to stderr). The level
    is the data root's `log_level` setting (or ``JISR_LOG_LEVEL``) unless `level` is given."""
    if level is None:
        from jisr_desktop.settings import Settings

        level = logging.getLevelNamesMapping()[Settings(root)["log_level"]]
    logger = logging.getLogger("jisr")
    logger.setLevel(level)
    for old in [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]:
        logger.removeHandler(old)
        old.close()
    log_file = paths.logs_dir(root) / "jisr.log"
    handler: logging.Handler
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    return log_file if isinstance(handler, logging.handlers.RotatingFileHandler) else None
