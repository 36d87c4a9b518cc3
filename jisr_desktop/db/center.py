"""The center this database belongs to (read side; `services.center` creates it)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from jisr_desktop.db import meta


@dataclass(frozen=True)
class Center:
    id: str
    code: str
    name_fr: str
    name_ar: str
    province_code: str | None


def current_center(db: sqlite_utils.Database) -> Center | None:
    center_id = meta.get(db, "center_id")
    if not center_id:
        return None
    row = db.execute("SELECT id, code, name_fr, name_ar, province_code FROM center WHERE id = ?",
                     [center_id]).fetchone()
    return Center(*row) if row else None
