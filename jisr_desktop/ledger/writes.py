"""The one write path of synced records: row, field clocks, outbox op and audit entry together.

Every service that changes a synced table calls `write_record`/`tombstone`/`append_event`
inside its transaction, so that a change is never saved without what sync and the audit log
need (docs/sync.md, "Capturing changes"). Values are stored as the database holds them
(ISO dates as text, booleans as 0/1).
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import date, datetime
from typing import Any

import sqlite_utils
import uuid6

import jisr_protocol as p
from jisr_desktop import errors
from jisr_desktop.context import Context
from jisr_desktop.db import audit as audit_chain
from jisr_desktop.db import meta, rows
from jisr_desktop.ledger.clocks import field_clock, set_field_clocks
from jisr_protocol.hlc import HybridLogicalClock, Timestamp

log = logging.getLogger("jisr.ledger")

SCHEMA_VERSION = 1
SYSTEM_FIELDS = frozenset({"rid", "id", "rev", "dirty", "created_at", "updated_at",
                           "search_names", "search_approx", "search_ids"})


def new_id() -> str:
    """A time-ordered UUIDv7 made on this device."""
    return str(uuid6.uuid7())


NAMESPACE = uuid.UUID("5f0c3c8e-7f5a-4c1e-9d6e-6a1b1d2f3e4a")


def deterministic_id(*parts: str) -> str:
    """A UUIDv5 over a natural key, so two desktops recording one fact converge."""
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


def to_db(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def device_id(db: sqlite_utils.Database) -> str:
    value = meta.get(db, "device_id")
    if value is None:
        value = str(uuid.uuid4())
        meta.put(db, "device_id", value)
        meta.put(db, "epoch", "1")
    return value


def epoch(db: sqlite_utils.Database) -> int:
    device_id(db)
    return int(meta.get(db, "epoch", "1") or 1)


def next_hlc(ctx: Context) -> Timestamp:
    """A new clock reading for a local change, persisted with the transaction."""
    dev = device_id(ctx.db)
    last = meta.get(ctx.db, "hlc")
    clock = HybridLogicalClock(dev, Timestamp.parse(last) if last else None)
    ts = clock.now(int(ctx.now().timestamp() * 1000))
    meta.put(ctx.db, "hlc", str(ts))
    return ts


def merge_remote_clock(db: sqlite_utils.Database, remote: Timestamp, wall_ms: int) -> None:
    """Advance the persisted HLC past a clock read elsewhere (HQ's)."""
    dev = device_id(db)
    last = meta.get(db, "hlc")
    clock = HybridLogicalClock(dev, Timestamp.parse(last) if last else None)
    meta.put(db, "hlc", str(clock.merge(Timestamp(remote.wall_ms, remote.counter, dev), wall_ms)))


REDACTED = "[redacted]"


def _audit(ctx: Context, action: str, entity: str, entity_id: str,
           changes: dict[str, Any], at: str) -> None:
    """Append the entry to the hash chain (`db/audit.py`). The values of sealed entities
    (counselling partition) are never written: which fields changed, by whom, when (a delete
    keeps its flag)."""
    if entity in p.COUNSELLING_ENTITIES:
        changes = {name: (pair if name == "deleted" else [REDACTED, REDACTED])
                   for name, pair in changes.items()}
    audit_chain.append(ctx.db, at=at, user_id=ctx.user.id, action=action, entity=entity,
                       entity_id=entity_id, changes=json.dumps(changes, ensure_ascii=False))


def audit(ctx: Context, action: str, entity: str, entity_id: str, changes: dict[str, Any]) -> None:
    """An audit entry for an action that changes no synced field (e.g. a failed login)."""
    _audit(ctx, action, entity, entity_id, changes, ctx.now().isoformat())


def add_op(ctx: Context, entity: str, entity_id: str, kind: str, patch: dict[str, Any],
            base: dict[str, str | None], ts: Timestamp, at: str) -> None:
    """Append one op to the outbox at the next seq of the current epoch."""
    ep = epoch(ctx.db)
    row = ctx.db.execute("SELECT coalesce(max(seq), 0) + 1 FROM outbox WHERE epoch = ?", [ep]).fetchone()
    ctx.db.execute(
        "INSERT INTO outbox(epoch, seq, op_id, entity, entity_id, kind, patch, base, schema_v,"
        " user_id, hlc, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [ep, row[0], new_id(), entity, entity_id, kind, json.dumps(patch, ensure_ascii=False),
         json.dumps(base), SCHEMA_VERSION, ctx.user.id, str(ts), at])


def current_row(db: sqlite_utils.Database, table: str, entity_id: str) -> dict[str, Any] | None:
    return rows.first(db.execute(f"SELECT * FROM {table} WHERE id = ?", [entity_id]))


def write_record(ctx: Context, table: str, entity_id: str, patch: dict[str, Any], *,
                 action: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Insert or update one record with only the fields that changed; returns the changes
    as ``{field: [old, new]}`` (empty when nothing changed). `extra` holds derived columns
    (search columns) that are written but neither synced nor audited."""
    values = {k: to_db(v) for k, v in patch.items()}
    old = current_row(ctx.db, table, entity_id)
    _check(table, values, whole=old is None)
    at = ctx.now().isoformat()
    if old is None:
        changed = {k: [None, v] for k, v in values.items() if v is not None}
    else:
        changed = {k: [old[k], v] for k, v in values.items() if old.get(k) != v}
    if old is not None and not changed:
        return {}
    ts = next_hlc(ctx)
    base = {k: field_clock(ctx.db, table, entity_id, k) for k in changed}
    columns = {k: v[1] for k, v in changed.items()} | (extra or {})
    if old is None:
        row = {"id": entity_id, **values, **(extra or {}), "rev": 1, "dirty": 0,
               "created_at": at, "updated_at": at}
        cols = ", ".join(row)
        ctx.db.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(row))})",
                       list(row.values()))
    else:
        columns |= {"rev": old["rev"] + 1, "dirty": 0, "updated_at": at}
        assignments = ", ".join(f"{k} = ?" for k in columns)
        ctx.db.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*columns.values(), entity_id])
    set_field_clocks(ctx.db, [(table, entity_id, field, str(ts)) for field in changed])
    kind = "delete" if changed.get("deleted", [0, 0])[1] == 1 else (
        "restore" if old is not None and changed.get("deleted", [0, 0])[1] == 0 and "deleted" in changed
        else "upsert")
    add_op(ctx, table, entity_id, kind, {k: v[1] for k, v in changed.items()}, base, ts, at)
    _audit(ctx, action, table, entity_id, changed, at)
    return changed


def _check(table: str, values: dict[str, Any], *, whole: bool) -> None:
    """Refuse, before anything is written, a value the synced schema does not allow: HQ would
    refuse the op and every desktop would refuse the row (jisr_protocol/schema.py)."""
    problems = p.check_values(table, values, whole=whole)
    if problems:
        log.warning("refused write: %s", "; ".join(str(x) for x in problems))
        raise errors.InvalidValue(field=problems[0].field, name=problems[0].field)


def tombstone(ctx: Context, table: str, entity_id: str, *, action: str) -> dict[str, Any]:
    return write_record(ctx, table, entity_id, {"deleted": 1}, action=action)


def append_event(ctx: Context, table: str, event_id: str, row: dict[str, Any], *,
                 action: str) -> bool:
    """Insert an append-only event (attendance, visit …); False when the same id exists
    already (idempotent). Events are never updated: corrections are new events."""
    if ctx.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [event_id]).fetchone():
        return False
    at = ctx.now().isoformat()
    ts = next_hlc(ctx)
    values = {k: to_db(v) for k, v in row.items()}
    _check(table, values, whole=True)
    full = {"id": event_id, **values, "created_at": at}
    ctx.db.execute(f"INSERT INTO {table} ({', '.join(full)}) VALUES ({', '.join('?' * len(full))})",
                   list(full.values()))
    add_op(ctx, table, event_id, "event", values, {}, ts, at)
    _audit(ctx, action, table, event_id, {k: [None, v] for k, v in values.items()}, at)
    return True


def start_new_epoch(db: sqlite_utils.Database) -> int:
    """Begin a new (device, epoch) stream: after a restore from backup or a copy to another
    PC, sequence numbers restart, so HQ never mistakes new work for an old duplicate."""
    new = epoch(db) + 1
    meta.put(db, "epoch", str(new))
    return new
