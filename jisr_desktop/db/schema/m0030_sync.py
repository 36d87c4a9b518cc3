"""Sync state (docs/sync.md): enrollment with HQ, pushed high-water marks, pull cursor, and
the conflicts HQ reported, kept for the coordinator's review.

`sync_state` is a single row (id = 1). `device_id` is the id HQ gave at enrollment; it names
this desktop on the wire (ops, headers). The local `meta.device_id` keeps naming it inside
HLC strings (clocks written before enrollment stay valid; HLC device parts only break ties).
`sync_acked(epoch, acked_through)` is HQ's high-water mark per outbox epoch.

Rows written outside the services: the foundation's `<table>_external_update` trigger recursed
without end on a second outside write to a row already dirty ("too many levels of trigger
recursion"), and a service write to a dirty row cleared `dirty` so the outside change was never
sent. Here the trigger only fires on a clean row, and a service write clearing `dirty` leaves
the row in `sync_dirty`, so that its full-row op is still made at the next sync.
"""

from __future__ import annotations

import sqlite_utils

from jisr_desktop.db.migrations import MIGRATIONS

RECORD_TABLES = ("person", "household", "household_member", "enrollment", "pickup_authorisation",
                 "workshop", "workshop_session", "club_activity", "member_card", "campaign",
                 "campaign_count", "campaign_participant")


@MIGRATIONS(name="0030_sync")
def sync(db: sqlite_utils.Database) -> None:
    # Kept small (few pages): the tests' full-disk check runs on a 1.2 MB file system.
    db.execute("""
        CREATE TABLE sync_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            server_url TEXT NOT NULL DEFAULT '',
            device_id TEXT NOT NULL DEFAULT '',
            device_secret TEXT NOT NULL DEFAULT '',
            counselling INTEGER NOT NULL DEFAULT 0,
            enrolled_at TEXT,
            cursor TEXT NOT NULL DEFAULT '',
            last_attempt_at TEXT,
            last_success_at TEXT,
            last_error_code TEXT NOT NULL DEFAULT '',
            last_error TEXT NOT NULL DEFAULT '',
            clock_skew_ms INTEGER NOT NULL DEFAULT 0)""")
    db.execute("INSERT INTO sync_state(id) VALUES (1)")
    db.execute("""
        CREATE TABLE sync_acked (
            epoch INTEGER PRIMARY KEY, acked_through INTEGER NOT NULL DEFAULT 0)""")
    db.execute("""
        CREATE TABLE sync_rejected (
            op_id TEXT PRIMARY KEY, epoch INTEGER NOT NULL, seq INTEGER NOT NULL,
            reason TEXT NOT NULL, at TEXT NOT NULL) WITHOUT ROWID""")
    db.execute("""
        CREATE TABLE conflict (
            id TEXT PRIMARY KEY,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            field TEXT NOT NULL,
            reason TEXT NOT NULL,
            winner_value TEXT,
            winner_clock TEXT NOT NULL DEFAULT '',
            loser_value TEXT,
            loser_clock TEXT NOT NULL DEFAULT '',
            loser_device TEXT,
            op_id TEXT,
            resolution TEXT,
            resolved_locally TEXT,
            received_at TEXT NOT NULL) WITHOUT ROWID""")
    db.execute("""
        CREATE TABLE sync_dirty (
            entity TEXT NOT NULL, entity_id TEXT NOT NULL,
            PRIMARY KEY (entity, entity_id)) WITHOUT ROWID""")
    for t in RECORD_TABLES:
        # Fires on an outside write (rev unchanged) and on a service write clearing `dirty`.
        db.execute(f"DROP TRIGGER {t}_external_update")
        db.execute(f"""
            CREATE TRIGGER {t}_external_update AFTER UPDATE ON {t}
            WHEN NEW.rev = OLD.rev OR NEW.dirty < OLD.dirty BEGIN
                UPDATE {t} SET dirty = 1
                WHERE rid = NEW.rid AND NEW.rev = OLD.rev AND OLD.dirty = 0 AND NEW.dirty = 0;
                INSERT OR IGNORE INTO sync_dirty SELECT '{t}', NEW.id
                WHERE NEW.rev != OLD.rev AND NEW.dirty < OLD.dirty;
            END""")
