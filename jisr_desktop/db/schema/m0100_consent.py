"""Consent per purpose, and the legal holds a purge respects (docs/privacy.md, "Purpose" and
"Retention").

`consent` is a record like `referral`: one consent of one person to one purpose (for the
purpose "service", to one named service), given on a day, with an optional expiry and
withdrawal, and for a minor the guardian who gave it. It is synced in the center partition
(HQ keeps it like any record). A new consent for the same purpose is a new row; the newest one
given decides (`domain/consent.py`). Purposes and services are checked by the service, not by
CHECK constraints, so that a value from a newer desktop never stops an older one applying a pull.

`legal_hold` is local to this desktop and not synced: a coordinator's note that a person's
records must be kept whatever their age (a court, the police, a protection case asked for
them). The purge (`services/purge.py`) skips every record of a person under a hold.
"""

from __future__ import annotations

import sqlite_utils

from jisr_desktop.db.migrations import MIGRATIONS
from jisr_desktop.db.schema.m0060_case_notes import _record_table


@MIGRATIONS(name="0100_consent")
def consent(db: sqlite_utils.Database) -> None:
    _record_table(db, "consent", """
            center_id TEXT,
            person_id TEXT NOT NULL,
            purpose TEXT NOT NULL,
            service TEXT,
            given_on TEXT NOT NULL,
            expires_on TEXT,
            withdrawn_on TEXT,
            guardian_id TEXT,
            recorded_by TEXT NOT NULL DEFAULT '',
            withdrawn_by TEXT NOT NULL DEFAULT ''""")
    db.execute("CREATE INDEX consent_person ON consent(person_id, purpose)")
    db.execute("""
        CREATE TABLE legal_hold (
            person_id TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            set_by TEXT NOT NULL,
            set_at TEXT NOT NULL)""")
