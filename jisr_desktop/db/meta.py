"""The `meta` table: this database's identity (device, epoch, center) and small counters."""

from __future__ import annotations

import sqlite_utils


def get(db: sqlite_utils.Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def put(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])


def next_counter(db: sqlite_utils.Database, key: str) -> int:
    """Increment and return a persistent counter (call inside a transaction)."""
    value = int(get(db, key, "0") or 0) + 1
    put(db, key, str(value))
    return value
