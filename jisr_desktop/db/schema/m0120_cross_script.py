"""Cross-script search keys (docs/domain.md, "Search").

The approximate column now also holds each name's cross-script key (`domain.translit`); the
column of every person is recomputed, and the update trigger of `person_fts` re-indexes it.
The search columns are not synced data, so no row becomes dirty.
"""

from __future__ import annotations

import sqlite_utils

from jisr_desktop.db.migrations import MIGRATIONS
from jisr_desktop.domain.person import search_columns


@MIGRATIONS(name="0120_cross_script")
def cross_script(db: sqlite_utils.Database) -> None:
    rows = db.execute("SELECT rid, given_name_ar, family_name_ar, given_name_lat, family_name_lat,"
                      " file_no FROM person").fetchall()
    updates = []
    for rid, gar, far, glat, flat, file_no in rows:
        values = {"given_name_ar": gar or "", "family_name_ar": far or "",
                  "given_name_lat": glat or "", "family_name_lat": flat or ""}
        updates.append((search_columns(values, file_no or "")["search_approx"], rid))
    db.conn.executemany("UPDATE person SET search_approx = ? WHERE rid = ?", updates)
