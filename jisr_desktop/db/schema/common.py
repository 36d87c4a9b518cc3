"""Helpers shared by schema modules."""

from __future__ import annotations

import sqlite_utils


def track_external_writes(db: sqlite_utils.Database, table: str) -> None:
    """Mark rows written outside the services as dirty, so that sync still sends them.

    Services bump `rev` on every write they make; a write that leaves `rev` as it was (or
    inserts with rev 0) did not come through them, and the trigger flags the row.
    """
    db.execute(f"""
        CREATE TRIGGER {table}_external_insert AFTER INSERT ON {table}
        WHEN NEW.rev = 0 BEGIN
            UPDATE {table} SET dirty = 1 WHERE rid = NEW.rid;
        END""")
    db.execute(f"""
        CREATE TRIGGER {table}_external_update AFTER UPDATE ON {table}
        WHEN NEW.rev = OLD.rev AND NEW.dirty = OLD.dirty BEGIN
            UPDATE {table} SET dirty = 1 WHERE rid = NEW.rid;
        END""")


SYNC_COLUMNS = """
    rev INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT ''
"""
