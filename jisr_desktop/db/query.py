"""Reading rows as dicts (column name -> value), for the read queries of db, services and reports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils


def rows(db: sqlite_utils.Database, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    cur = db.execute(sql, list(params))
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
