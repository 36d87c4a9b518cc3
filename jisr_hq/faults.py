"""Test hook: make a push pause inside its transaction so a test can SIGKILL the server
mid-apply. Inert unless JISR_HQ_FAULT_PAUSE_FILE is set in the server's environment."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

log = logging.getLogger(__name__)


def pause_before_commit() -> None:
    marker = os.environ.get("JISR_HQ_FAULT_PAUSE_FILE")
    if not marker:
        return
    log.warning("fault hook: pausing before commit (%s)", marker)
    Path(marker).write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("JISR_HQ_FAULT_PAUSE_SECONDS", "60")))
