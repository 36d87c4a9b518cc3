"""Sealed notes (docs/security.md, "Sealed notes").

`case_key`: each counsellor's Ed25519 key on this desktop, its private half encrypted with a
key derived from her password (argon2id), so that only she, signing in, can use it; and the
HQ device id it was registered for. `outbox_proof`: her signature of each case-note op,
made when she wrote it, sent with the op.
"""

from __future__ import annotations

import sqlite_utils

from jisr_desktop.db.migrations import MIGRATIONS


@MIGRATIONS(name="0095_sealed_notes")
def sealed_notes(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE case_key (
            user_id TEXT PRIMARY KEY,
            key_id TEXT NOT NULL,
            public_key TEXT NOT NULL,
            salt BLOB NOT NULL,
            nonce BLOB NOT NULL,
            wrapped BLOB NOT NULL,
            registered_for TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL)""")
    db.execute("""
        CREATE TABLE outbox_proof (
            op_id TEXT PRIMARY KEY,
            proof TEXT NOT NULL)""")
