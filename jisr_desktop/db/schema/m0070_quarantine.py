"""Pulled rows that do not fit the synced schema (docs/sync.md, "Pull").

Pull-apply checks every record and event row against `jisr_protocol.schema` before writing it.
A row that does not fit (a value another desktop or a bug let through) is kept here, whole
and untouched, instead of being written or stopping the page: the rest of the page and every
later page still apply, and nothing is lost. A later pull that brings a fitting version of the
same row applies it as usual.
"""

from __future__ import annotations

import sqlite_utils

from jisr_desktop.db.migrations import MIGRATIONS


@MIGRATIONS(name="0070_quarantine")
def quarantine(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE sync_quarantine (
            id INTEGER PRIMARY KEY,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            fields TEXT NOT NULL,
            clocks TEXT NOT NULL,
            problems TEXT NOT NULL,
            received_at TEXT NOT NULL)""")
    db.execute("CREATE INDEX sync_quarantine_row ON sync_quarantine(entity, entity_id)")
