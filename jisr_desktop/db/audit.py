"""The tamper-evident audit log: each entry is chained to the one before it by a hash.

An entry's `hash` is the SHA-256 of the previous entry's hash and the entry's own content (its
id, time, user, action, entity, record id and changes, as canonical JSON); its `prev_hash` is
the previous entry's hash ('' for the first). Editing an entry breaks its own hash; removing
or inserting one breaks the link of the entry after it. `verify_chain` walks the log and names
the first broken link (`jisr check`). Removing the newest entries leaves a shorter chain that
still verifies: syncing the chain head to HQ, which would catch that, is not built yet
(docs/privacy.md, "Security").
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

HASH_FUNCTION = "jisr_audit_hash"


def entry_hash(prev_hash: str, entry_id: int, at: str, user_id: str, action: str, entity: str,
               entity_id: str, changes: str) -> str:
    """The hash of one entry given the previous entry's hash."""
    content = json.dumps([entry_id, at, user_id, action, entity, entity_id, changes],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def register(db: sqlite_utils.Database) -> None:
    """Make `jisr_audit_hash(...)` callable in SQL on this connection (the ledger appends an
    entry in one INSERT … SELECT, so two connections can never fork the chain)."""
    db.conn.create_function(HASH_FUNCTION, 8, entry_hash, deterministic=True)


APPEND_SQL = (
    "INSERT INTO audit_log(id, at, user_id, action, entity, entity_id, changes, prev_hash, hash)"
    " SELECT n.id, :at, :user_id, :action, :entity, :entity_id, :changes, n.prev,"
    f" {HASH_FUNCTION}(n.prev, n.id, :at, :user_id, :action, :entity, :entity_id, :changes)"
    " FROM (SELECT coalesce((SELECT max(id) FROM audit_log), 0) + 1 AS id,"
    " coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) AS n")


def append(db: sqlite_utils.Database, *, at: str, user_id: str, action: str, entity: str,
           entity_id: str, changes: str) -> None:
    """Append one entry to the chain."""
    register(db)
    db.execute(APPEND_SQL, {"at": at, "user_id": user_id, "action": action, "entity": entity,
                            "entity_id": entity_id, "changes": changes})


def chain_all(db: sqlite_utils.Database) -> int:
    """Compute the links of every entry in order (the migration that added the chain)."""
    prev = ""
    count = 0
    for entry_id, at, user_id, action, entity, entity_id, changes in db.execute(
            "SELECT id, at, user_id, action, entity, entity_id, changes FROM audit_log"
            " ORDER BY id").fetchall():
        digest = entry_hash(prev, entry_id, at, user_id, action, entity, entity_id, changes)
        db.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
                   [prev, digest, entry_id])
        prev = digest
        count += 1
    return count


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found: how many entries, and the first broken link if any."""

    entries: int
    head: str
    broken_at: int | None = None
    """1-based position of the first entry whose link does not hold."""
    broken_id: int | None = None
    reason: str = ""
    """"modified" (the entry's content is not what was chained) or "unlinked" (an entry before
    it was removed, inserted or changed its hash)."""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def has_chain(db: sqlite_utils.Database) -> bool:
    return any(row[1] == "hash" for row in db.execute("PRAGMA table_info(audit_log)").fetchall())


def verify_chain(db: sqlite_utils.Database) -> ChainReport:
    """Walk the whole log, oldest first, and stop at the first broken link."""
    prev = ""
    position = 0
    cur: Any = db.execute("SELECT id, at, user_id, action, entity, entity_id, changes,"
                          " prev_hash, hash FROM audit_log ORDER BY id")
    for entry_id, at, user_id, action, entity, entity_id, changes, prev_hash, digest in cur:
        position += 1
        if prev_hash != prev:
            return ChainReport(position, prev, position, entry_id, "unlinked")
        if entry_hash(prev, entry_id, at, user_id, action, entity, entity_id, changes) != digest:
            return ChainReport(position, prev, position, entry_id, "modified")
        prev = digest
    return ChainReport(position, prev)
