"""The nursery's places are the center's (docs/domain.md, "Nursery").

Capacity drives waitlist promotion, and promotions sync to every desktop of the center, so all
of them must count against the same number: it is stored with the center (HQ sets it for an
enrolled center and it comes down with the center's reference row), not in one PC's settings.
"""

from __future__ import annotations

import sqlite_utils

from jisr_desktop.db.migrations import MIGRATIONS

DEFAULT_NURSERY_CAPACITY = 30


@MIGRATIONS(name="0080_center_capacity")
def center_capacity(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE center ADD COLUMN nursery_capacity INTEGER NOT NULL"
               f" DEFAULT {DEFAULT_NURSERY_CAPACITY}")
