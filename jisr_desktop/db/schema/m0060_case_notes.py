"""Confidential case notes of counsellors and mediators (docs/sync.md, "Conflicts, by kind of table": case notes).

`counselling_note` (one person, optionally their household) and `mediation_note` (one
household, the parties as a JSON list of person ids) are records like `enrollment`: `rev`,
`dirty`, `deleted`, per-field clocks, merged per field at HQ. They travel in HQ's
"counselling" partition, which only counselling desktops pull, and only while a counsellor
is signed in. Kinds, topics and stages are checked by the service, not by CHECK constraints,
so that a value written by a newer desktop never stops an older one from applying a pull;
text columns default to '' for the same reason (a pulled row may carry only some fields).
"""

from __future__ import annotations

import sqlite_utils

from jisr_desktop.db.migrations import MIGRATIONS
from jisr_desktop.db.schema.common import SYNC_COLUMNS

CASE_NOTE_TABLES = ("counselling_note", "mediation_note")


def _record_table(db: sqlite_utils.Database, name: str, columns: str) -> None:
    """A record table with the dirty triggers as `0030_sync` left the others."""
    db.execute(f"""
        CREATE TABLE {name} (
            rid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            {columns},
            {SYNC_COLUMNS})""")
    db.execute(f"""
        CREATE TRIGGER {name}_external_insert AFTER INSERT ON {name}
        WHEN NEW.rev = 0 BEGIN
            UPDATE {name} SET dirty = 1 WHERE rid = NEW.rid;
        END""")
    db.execute(f"""
        CREATE TRIGGER {name}_external_update AFTER UPDATE ON {name}
        WHEN NEW.rev = OLD.rev OR NEW.dirty < OLD.dirty BEGIN
            UPDATE {name} SET dirty = 1
            WHERE rid = NEW.rid AND NEW.rev = OLD.rev AND OLD.dirty = 0 AND NEW.dirty = 0;
            INSERT OR IGNORE INTO sync_dirty SELECT '{name}', NEW.id
            WHERE NEW.rev != OLD.rev AND NEW.dirty < OLD.dirty;
        END""")


@MIGRATIONS(name="0060_case_notes")
def case_notes(db: sqlite_utils.Database) -> None:
    _record_table(db, "counselling_note", """
            center_id TEXT,
            person_id TEXT NOT NULL DEFAULT '',
            household_id TEXT,
            session_date TEXT NOT NULL DEFAULT '',
            topic TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            follow_up_date TEXT,
            counsellor_id TEXT NOT NULL DEFAULT ''""")
    db.execute("CREATE INDEX counselling_note_person ON counselling_note(person_id, session_date)")
    db.execute("CREATE INDEX counselling_note_household ON counselling_note(household_id)"
               " WHERE household_id IS NOT NULL")
    _record_table(db, "mediation_note", """
            center_id TEXT,
            household_id TEXT NOT NULL DEFAULT '',
            parties TEXT NOT NULL DEFAULT '[]',
            session_date TEXT NOT NULL DEFAULT '',
            stage TEXT NOT NULL DEFAULT '',
            outcome TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            follow_up_date TEXT,
            counsellor_id TEXT NOT NULL DEFAULT ''""")
    db.execute("CREATE INDEX mediation_note_household ON mediation_note(household_id, session_date)")
