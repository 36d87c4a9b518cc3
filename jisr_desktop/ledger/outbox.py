"""The outbox: what push reads and acknowledges. Dirty rows become full-row ops, unacked ops
become wire batches.

Ops are written by `writes` (the one write path). Rows written outside the services
are flagged `dirty` by a trigger; `capture_dirty` turns each into one upsert op carrying every
synced column (docs/sync.md, "Capturing changes"). Outbox rows are never deleted: HQ's high-water
mark per epoch (`sync_acked`) says which were delivered.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import sqlite_utils

import jisr_protocol as p
from jisr_desktop.context import Context
from jisr_desktop.db.connection import transaction
from jisr_desktop.ledger import writes
from jisr_desktop.ledger.clocks import field_clock, set_field_clocks

MAX_BATCH_JSON_BYTES = 1024 * 1024
"""A push batch is cut before its JSON passes this size (about 256 KB once gzipped)."""

NOT_SYNCED = writes.SYSTEM_FIELDS | {"deleted"}
"""Columns never sent as fields (`deleted` travels as the op kind)."""


def table_columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info({table})").fetchall()]


def synced_columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return [c for c in table_columns(db, table) if c not in NOT_SYNCED]


def capture_dirty(ctx: Context) -> int:
    """One full-row upsert op per dirty record row (then `dirty = 0`); returns how many."""
    made = 0
    for table in p.RECORD_ENTITIES:
        cols = synced_columns(ctx.db, table)
        ids = [r[0] for r in ctx.db.execute(
            f"SELECT id FROM {table} WHERE dirty = 1 UNION SELECT entity_id FROM sync_dirty"
            " WHERE entity = ?", [table]).fetchall()]
        for entity_id in ids:
            with transaction(ctx.db):
                row = writes.current_row(ctx.db, table, entity_id)
                listed = ctx.db.execute("DELETE FROM sync_dirty WHERE entity = ? AND entity_id = ?",
                                        [table, entity_id]).rowcount
                if row is None or not (row["dirty"] or listed):
                    continue
                ts = writes.next_hlc(ctx)
                at = ctx.now().isoformat()
                patch = {c: row[c] for c in cols}
                base = {c: field_clock(ctx.db, table, entity_id, c) for c in cols}
                set_field_clocks(ctx.db, [(table, entity_id, c, str(ts)) for c in cols])
                writes.add_op(ctx, table, entity_id, "upsert", patch, base, ts, at)
                ctx.db.execute(f"UPDATE {table} SET dirty = 0 WHERE id = ?", [entity_id])
                made += 1
    return made


def acked(db: sqlite_utils.Database) -> dict[int, int]:
    return dict(db.execute("SELECT epoch, acked_through FROM sync_acked").fetchall())


def set_acked(db: sqlite_utils.Database, epoch: int, through: int) -> None:
    db.execute("INSERT INTO sync_acked(epoch, acked_through) VALUES (?, ?) ON CONFLICT(epoch)"
               " DO UPDATE SET acked_through = excluded.acked_through", [epoch, through])


def acked_marks(db: sqlite_utils.Database) -> list[tuple[int, int]]:
    """(epoch, acked_through) for every epoch of the outbox, found by index lookups only
    (the outbox keeps every op ever made, so nothing here may scan it)."""
    top = db.execute("SELECT max(epoch) FROM outbox").fetchone()[0]
    if top is None:
        return []
    done = acked(db)
    return [(e, done.get(e, 0)) for e in range(1, int(top) + 1)]


def pending_count(db: sqlite_utils.Database) -> int:
    """Changes not yet acknowledged by HQ (ops past each epoch's mark, plus dirty rows)."""
    n = 0
    for epoch, mark in acked_marks(db):
        n += db.execute("SELECT count(*) FROM outbox WHERE epoch = ? AND seq > ?",
                        [epoch, mark]).fetchone()[0]
    for table in p.RECORD_ENTITIES:
        n += db.execute(f"SELECT count(*) FROM {table} WHERE dirty = 1").fetchone()[0]
    n += db.execute("SELECT count(*) FROM sync_dirty").fetchone()[0]
    return int(n)


def epochs_with_pending(db: sqlite_utils.Database) -> list[tuple[int, int]]:
    """(epoch, acked_through) for every epoch holding ops HQ has not acknowledged."""
    return [(e, mark) for e, mark in acked_marks(db) if db.execute(
        "SELECT 1 FROM outbox WHERE epoch = ? AND seq > ? LIMIT 1", [e, mark]).fetchone()]


def load_ops(db: sqlite_utils.Database, device_id: str, epoch: int, after: int,
             limit: int = 2000) -> list[p.Op]:
    rows = db.execute(
        "SELECT seq, op_id, entity, entity_id, kind, patch, base, schema_v, user_id, hlc"
        " FROM outbox WHERE epoch = ? AND seq > ? ORDER BY seq LIMIT ?",
        [epoch, after, limit]).fetchall()
    out: list[p.Op] = []
    expected = after + 1
    for seq, op_id, entity, entity_id, kind, patch, base, schema_v, user_id, hlc in rows:
        if seq != expected:  # never happens with the services' gap-free counter
            break
        expected += 1
        out.append(p.Op(
            op_id=uuid.UUID(op_id), device_id=uuid.UUID(device_id), epoch=epoch, seq=seq,
            entity=entity, entity_id=uuid.UUID(entity_id), kind=kind,
            patch=_scalars(json.loads(patch)), base=json.loads(base), schema_v=schema_v,
            user_id=user_id, hlc=hlc))
    return out


@dataclass(frozen=True, slots=True)
class WireBatch:
    """A push batch ready for the wire: the PushRequest's JSON and the seqs it covers."""

    epoch: int
    first_seq: int
    last_seq: int
    body: bytes

    @property
    def count(self) -> int:
        return self.last_seq - self.first_seq + 1


_WIRE_OPS = (
    "SELECT seq, json_object('op_id', op_id, 'device_id', ?, 'epoch', epoch, 'seq', seq,"
    " 'entity', entity, 'entity_id', entity_id, 'kind', kind, 'patch', json(patch),"
    " 'base', json(base), 'schema_v', schema_v, 'user_id', user_id, 'hlc', hlc),"
    " EXISTS(SELECT 1 FROM json_each(outbox.patch) WHERE type IN ('object', 'array'))"
    " FROM outbox WHERE epoch = ? AND seq > ? ORDER BY seq LIMIT ?"
)


def load_wire_batch(db: sqlite_utils.Database, device_id: str, epoch: int, after: int,
                    max_ops: int = p.MAX_OPS_PER_BATCH,
                    max_json_bytes: int = MAX_BATCH_JSON_BYTES) -> WireBatch | None:
    """The batch that follows seq `after` as wire JSON (≤ `max_ops` ops, cut before its JSON
    passes `max_json_bytes`), or None. SQLite writes each op's JSON itself: building pydantic
    objects for hundreds of thousands of ops cost more than HQ's work on them. HQ validates
    every op strictly; an op whose patch holds a list or object (sent as JSON text, see
    `_scalars`) takes the Python way."""
    device_id = str(uuid.UUID(device_id))
    rows = db.execute(_WIRE_OPS, [device_id, epoch, after, max_ops]).fetchall()
    ops: list[str] = []
    size = 0
    expected = after + 1
    for seq, text, nested in rows:
        if seq != expected:  # never happens with the services' gap-free counter
            break
        if nested:
            text = _nested_op_json(db, device_id, epoch, seq)
        if ops and size + len(text) > max_json_bytes:
            break
        ops.append(text)
        size += len(text) + 1
        expected += 1
    if not ops:
        return None
    head = (f'{{"protocol_v":{p.PROTOCOL_VERSION},"device_id":"{device_id}",'
            f'"epoch":{epoch},"first_seq":{after + 1},"ops":[')
    return WireBatch(epoch, after + 1, expected - 1, (head + ",".join(ops) + "]}").encode())


def _nested_op_json(db: sqlite_utils.Database, device_id: str, epoch: int, seq: int) -> str:
    (op,) = load_ops(db, device_id, epoch, seq - 1, limit=1)
    return op.model_dump_json()


def _scalars(patch: dict[str, Any]) -> dict[str, Any]:
    """Values as the wire accepts them (anything else, e.g. a list, as JSON text)."""
    return {k: v if v is None or isinstance(v, str | int | float | bool)
            else json.dumps(v, ensure_ascii=False) for k, v in patch.items()}


def unacked_fields(db: sqlite_utils.Database) -> dict[tuple[str, str], set[str]]:
    """Fields of local edits HQ has not acknowledged yet, per (entity, id): a pulled value
    must not overwrite them (HQ will decide when they arrive). `deleted` stands for a
    delete/restore; `*` for a dirty row (all fields)."""
    out: dict[tuple[str, str], set[str]] = {}
    for epoch, mark in acked_marks(db):
        for entity, entity_id, kind, patch in db.execute(
                "SELECT entity, entity_id, kind, patch FROM outbox WHERE epoch = ? AND seq > ?"
                " AND kind != 'event'", [epoch, mark]).fetchall():
            fields = out.setdefault((entity, entity_id), set())
            fields |= set(json.loads(patch))
            if kind in ("delete", "restore"):
                fields.add("deleted")
    for table in p.RECORD_ENTITIES:
        for (entity_id,) in db.execute(f"SELECT id FROM {table} WHERE dirty = 1").fetchall():
            out.setdefault((table, entity_id), set()).add("*")
    for entity, entity_id in db.execute("SELECT entity, entity_id FROM sync_dirty").fetchall():
        out.setdefault((entity, entity_id), set()).add("*")
    return out
