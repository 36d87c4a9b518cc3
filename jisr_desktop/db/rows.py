"""Rows as dicts keyed by column name: the one helper for every query that wants them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils


def dicts(cursor: Any) -> list[dict[str, Any]]:
    """The remaining rows of an executed cursor."""
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def first(cursor: Any) -> dict[str, Any] | None:
    """The next row of an executed cursor, or None."""
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cursor.description], row, strict=True))


def query(db: sqlite_utils.Database, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """Run `sql` and return every row as a dict."""
    return dicts(db.execute(sql, list(params)))
