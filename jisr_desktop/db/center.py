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
    nursery_capacity: int = 30


MAX_NURSERY_CAPACITY = 500


def current_center(db: sqlite_utils.Database) -> Center | None:
    center_id = meta.get(db, "center_id")
    if not center_id:
        return None
    row = db.execute("SELECT id, code, name_fr, name_ar, province_code, nursery_capacity"
                     " FROM center WHERE id = ?", [center_id]).fetchone()
    return Center(*row) if row else None


def nursery_capacity(db: sqlite_utils.Database) -> int:
    """Places in this center's social nursery (the default before a center exists)."""
    center = current_center(db)
    return center.nursery_capacity if center else Center.nursery_capacity
