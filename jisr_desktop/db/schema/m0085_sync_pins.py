"""HQ's pinned public keys (docs/security.md, "The pin").

`sync_state.tls_pins` holds the `sha256:` pins of the keys this desktop accepts from HQ, as a
JSON list: the key seen at enrollment (from the code, or the key of a certificate that
verified against the system's authorities), plus the next key HQ announced before a rollover.
Empty for a desktop enrolled before pinning existed or with HQ on loopback over plain HTTP.
"""

from __future__ import annotations

import sqlite_utils

from jisr_desktop.db.migrations import MIGRATIONS


@MIGRATIONS(name="0085_sync_pins")
def sync_pins(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE sync_state ADD COLUMN tls_pins TEXT NOT NULL DEFAULT '[]'")
