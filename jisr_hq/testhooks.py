"""Hooks for the test suite, never for production (docs/hq.md, "Test hooks").

Every hook is inert unless the setting JISR_HQ_TEST_HOOKS is on, and jisr_hq/settings.py
refuses to load with it on unless DEBUG is on too. The hooks' parameters come from the
server's environment:

JISR_HQ_FAULT_PAUSE_FILE=path   a push writes the file (the server's pid) and sleeps just
                                before commit, so a test can SIGKILL the server mid-apply
JISR_HQ_FAULT_PAUSE_SECONDS     how long it sleeps (default 60)
JISR_HQ_SCHEMA_OVERRIDE="person=2,…"  play an HQ that knows newer entity schemas
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from django.conf import settings

from jisr_protocol import ENTITIES

log = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(getattr(settings, "JISR_HQ_TEST_HOOKS", False))


def pause_before_commit() -> None:
    if not enabled():
        return
    marker = os.environ.get("JISR_HQ_FAULT_PAUSE_FILE")
    if not marker:
        return
    log.warning("test hook: pausing before commit (%s)", marker)
    Path(marker).write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("JISR_HQ_FAULT_PAUSE_SECONDS", "60")))


def schema_overrides() -> dict[str, int]:
    """Entity schema versions HQ should claim to know, by entity name (read once, by
    jisr_hq/merge.py)."""
    out: dict[str, int] = {}
    if not enabled():
        return out
    for item in os.environ.get("JISR_HQ_SCHEMA_OVERRIDE", "").split(","):
        name, _, version = item.partition("=")
        if name.strip() in ENTITIES and version.strip().isdigit():
            out[name.strip()] = int(version)
    return out
