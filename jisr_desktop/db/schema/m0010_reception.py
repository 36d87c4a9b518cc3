"""Reception: the catalogue of public programs people are oriented to, and the visits log.

Visits are append-only events (written through `changes.append_event`): a correction is a
new visit, never an update, so that two desktops never conflict over one.
"""

from __future__ import annotations

import sqlite_utils

from jisr_desktop.db.migrations import MIGRATIONS

# code, Arabic, French, English names; the order is the order of the reception list.
PROGRAMS: tuple[tuple[str, str, str, str], ...] = (
    ("rsu", "السجل الاجتماعي الموحد", "Registre social unifié (RSU)", "Unified Social Register (RSU)"),
    ("amo_tadamon", "أمو تضامن", "AMO Tadamon", "AMO Tadamon"),
    ("forsa", "برنامج فرصة", "Forsa", "Forsa"),
    ("intelaka", "برنامج انطلاقة", "Intelaka", "Intelaka"),
    ("awrach", "برنامج أوراش", "Awrach", "Awrach"),
    ("direct_support", "الدعم الاجتماعي المباشر", "Aide sociale directe", "Direct social support"),
    ("other", "أخرى", "Autre", "Other"),
)


@MIGRATIONS(name="0010_reception")
def reception(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE program (
            code TEXT PRIMARY KEY,
            name_ar TEXT NOT NULL,
            name_fr TEXT NOT NULL,
            name_en TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            active INTEGER NOT NULL DEFAULT 1)""")
    db.table("program").insert_all(
        {"code": code, "name_ar": ar, "name_fr": fr, "name_en": en, "position": i}
        for i, (code, ar, fr, en) in enumerate(PROGRAMS))
    db.execute("""
        CREATE TABLE visit (
            id TEXT PRIMARY KEY,
            center_id TEXT,
            person_id TEXT NOT NULL,
            visited_at TEXT NOT NULL,
            day TEXT NOT NULL,
            program_code TEXT NOT NULL,
            channel TEXT NOT NULL,
            outcome TEXT NOT NULL,
            referral_to TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            user_id TEXT,
            created_at TEXT NOT NULL DEFAULT '')""")
    db.execute("CREATE INDEX visit_day ON visit(day)")
    db.execute("CREATE INDEX visit_person ON visit(person_id)")
