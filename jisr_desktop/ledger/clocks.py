"""Field clocks: the HLC of the last write of every field of every synced record.

One place reads and writes them: local writes (`writes`), captured outside writes (`outbox`)
and pulled rows (`jisr_desktop.sync.apply`) all go through `set_field_clocks`.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

_UPSERT = ("INSERT INTO field_clock(entity, entity_id, field, hlc) VALUES (?,?,?,?)"
           " ON CONFLICT(entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc")


def field_clock(db: sqlite_utils.Database, entity: str, entity_id: str, field: str) -> str | None:
    row = db.execute("SELECT hlc FROM field_clock WHERE entity = ? AND entity_id = ? AND field = ?",
                     [entity, entity_id, field]).fetchone()
    return row[0] if row else None


def set_field_clocks(db: sqlite_utils.Database,
                     rows: Iterable[tuple[str, str, str, str]]) -> None:
    """Store (entity, entity_id, field, hlc) clocks, replacing those held."""
    db.conn.executemany(_UPSERT, rows)
