"""Logging: one rotating file in the data root, named loggers per area (``jisr.db`` …)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from jisr_desktop import paths

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def setup_logging(root: Path, *, level: int = logging.INFO, max_bytes: int = 2_000_000,
                  backups: int = 5) -> Path | None:
    """Send the ``jisr`` loggers to ``<root>/logs/jisr.log``; returns the file, or None
    when the folder cannot be written (the program still runs, logging to stderr)."""
    logger = logging.getLogger("jisr")
    logger.setLevel(level)
    for handler in list(logger.handlers):
        if getattr(handler, "_jisr", False):
            logger.removeHandler(handler)
            handler.close()
    log_file = paths.logs_dir(root) / "jisr.log"
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
        log_file = None  # type: ignore[assignment]
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._jisr = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    return log_file
