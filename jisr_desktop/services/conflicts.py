"""Sync conflicts a coordinator settles, and what is still waiting to be sent.

HQ keeps one value when two devices changed the same field (docs/sync.md, "Conflicts"); the
desktop lists the other one and a coordinator chooses: keep HQ's value, or take the other
one back. The choice travels as a `conflict_resolution` event.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import sqlite_utils

import jisr_protocol as p
from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db.connection import transaction
from jisr_desktop.domain.roles import Permission
from jisr_desktop.sync import labels
from jisr_desktop.sync.client import open_conflicts

__all__ = [
    "for_review", "open_conflicts", "pending_count", "record_resolution", "resolve_conflict",
]


def pending_count(db: sqlite_utils.Database) -> int:
    """Changes made here that HQ has not acknowledged yet."""
    return ledger.pending_count(db)


def for_review(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The open conflicts with what each is about: `subject` (the person or record, in the
    data's own words) and `persons` (names of the persons either value points to)."""
    conflicts = open_conflicts(db)
    for c in conflicts:
        c["subject"] = _record_subject(db, c["entity"], c["entity_id"])
        c["persons"] = {pid: name for pid in labels.person_ids(
            c["field"], c["winner_value"], c["loser_value"]) if (name := _person_name(db, pid))}
    return conflicts


def resolve_conflict(ctx: Context, conflict_id: str, choice: str) -> None:
    """A coordinator's choice for one listed conflict (`keep_winner` or `keep_loser`)."""
    ctx.require(Permission.REVIEW_CONFLICTS)
    record_resolution(ctx, conflict_id, choice)


def record_resolution(ctx: Context, conflict_id: str, choice: str) -> None:
    """Send the choice as a `conflict_resolution` event (id uuid5 over the conflict), plus for
    keep_loser an ordinary edit restoring the losing value. The caller has checked who may
    choose (coordinators here, counsellors for case notes in `services.case_notes`)."""
    if choice not in p.RESOLUTION_CHOICES:
        raise ValueError(choice)
    row = ctx.db.execute("SELECT entity, entity_id, field, loser_value FROM conflict WHERE id = ?",
                         [conflict_id]).fetchone()
    if row is None:
        raise errors.NotFound()
    entity, entity_id, fname, loser = row
    with transaction(ctx.db):
        if (choice == "keep_loser" and entity in p.RECORD_ENTITIES
                and fname in set(ledger.synced_columns(ctx.db, entity))
                and ledger.current_row(ctx.db, entity, entity_id) is not None):
            ledger.write_record(ctx, entity, entity_id, {"deleted": 0, fname: _loads(loser)},
                                action="resolve_conflict")
        event_id = str(uuid.uuid5(p.RESOLUTION_NS, conflict_id))
        ts = ledger.next_hlc(ctx)
        at = ctx.now().isoformat()
        ledger.add_op(ctx, "conflict_resolution", event_id, "event",
                      {"conflict_id": conflict_id, "choice": choice}, {}, ts, at)
        ctx.db.execute("UPDATE conflict SET resolved_locally = ? WHERE id = ?", [choice, conflict_id])
        ledger.audit(ctx, "resolve_conflict", "conflict", conflict_id, {"choice": [None, choice]})


def _loads(text: str | None) -> Any:
    return json.loads(text) if text is not None else None


def _person_name(db: sqlite_utils.Database, person_id: str) -> str:
    row = db.execute("SELECT given_name_ar, family_name_ar, given_name_lat, family_name_lat,"
                     " file_no FROM person WHERE id = ?", [person_id]).fetchone()
    if row is None:
        return ""
    names = " ".join(x for x in row[:4] if x)
    return f"{names} (\u2066{row[4]}\u2069)" if row[4] else names


def _record_subject(db: sqlite_utils.Database, entity: str, entity_id: str) -> str:
    """Who or what the conflicting record is about, in the data's own words ('' if unknown)."""
    if entity == "person":
        return _person_name(db, entity_id)
    cols = ledger.table_columns(db, entity) if entity in labels.ENTITY_LABELS else []
    if "person_id" in cols:
        row = db.execute(f"SELECT person_id FROM {entity} WHERE id = ?", [entity_id]).fetchone()
        return _person_name(db, row[0]) if row and row[0] else ""
    for col in ("name", "title", "topic"):
        if col in cols:
            row = db.execute(f"SELECT {col} FROM {entity} WHERE id = ?", [entity_id]).fetchone()
            return str(row[0]) if row and row[0] else ""
    return ""
