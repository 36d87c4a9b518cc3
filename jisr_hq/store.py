"""Fast reads and writes of synced rows for the push path.

A first push brings hundreds of thousands of ops; building a Django model instance and an
ORM INSERT per row cost more than the merge itself. Here rows are plain objects and writes
are one parameterised `executemany` per table and batch (pipelined by psycopg 3), still
inside the push transaction, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone


@dataclass(slots=True)
class RecState:
    """Merge-time state of one record (mirrors jisr_hq.models.Record)."""

    center_id: uuid.UUID
    partition: str
    entity: str
    entity_id: uuid.UUID
    fields: dict[str, Any] = field(default_factory=dict)
    clocks: dict[str, str] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    deleted: bool = False
    deleted_at: datetime | None = None
    counter: int = 0
    pk: int | None = None


@dataclass(slots=True)
class EventState:
    center_id: uuid.UUID
    entity: str
    entity_id: uuid.UUID
    digest: str
    row: tuple[Any, ...] | None = None  # set for events new in this batch


def _in_clause(column: str, keys: list[Any]) -> tuple[str, list[Any]]:
    """`column IN (…)`; on PostgreSQL one array parameter instead of hundreds."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [keys]
    return f"{column} IN ({', '.join(['%s'] * len(keys))})", keys


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def _as_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def load_records(ids: Iterable[uuid.UUID]) -> list[RecState]:
    """Every record with one of `ids`, in any center (the caller spots foreign ids)."""
    keys = [_uuid_adapter()(i) for i in ids]
    if not keys:
        return []
    where, params = _in_clause("entity_id", keys)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, center_id, partition, entity, entity_id, fields, clocks, origins,"
            f" deleted, deleted_at, counter FROM jisr_hq_record WHERE {where}",
            params,
        )
        rows = cur.fetchall()
    return [
        RecState(
            _as_uuid(center),
            part,
            entity,
            _as_uuid(eid),
            _as_json(fields),
            _as_json(clocks),
            _as_json(origins),
            bool(deleted),
            dat,
            counter,
            pk,
        )
        for pk, center, part, entity, eid, fields, clocks, origins, deleted, dat, counter in rows
    ]


def load_events(ids: Iterable[uuid.UUID]) -> list[EventState]:
    keys = [_uuid_adapter()(i) for i in ids]
    if not keys:
        return []
    where, params = _in_clause("entity_id", keys)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT center_id, entity, entity_id, digest FROM jisr_hq_event WHERE {where}",
            params,
        )
        rows = cur.fetchall()
    return [EventState(_as_uuid(c), e, _as_uuid(i), d) for c, e, i, d in rows]


def _native(u: uuid.UUID | None) -> Any:
    return u


def _hex(u: uuid.UUID | None) -> Any:
    return None if u is None else u.hex


@functools.cache
def _uuid_adapter() -> Callable[[uuid.UUID | None], Any]:
    """UUIDs as the backend stores them (PostgreSQL natively, SQLite as 32 hex chars).
    Cached: an HQ process talks to one database."""
    return _native if connection.features.has_native_uuid_field else _hex


def _dt(value: datetime | None) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _bulk_insert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """COPY on PostgreSQL (one stream instead of a statement per row), executemany elsewhere."""
    if not rows:
        return
    cols = ", ".join(columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


def write_records(records: Iterable[RecState]) -> None:
    u = _uuid_adapter()
    now = _dt(timezone.now())
    new, old = [], []
    for r in records:
        values = (
            _json(r.fields),
            _json(r.clocks),
            _json(r.origins),
            r.deleted,
            _dt(r.deleted_at),
            r.counter,
            now,
        )
        if r.pk is None:
            new.append((u(r.center_id), r.partition, r.entity, u(r.entity_id), *values))
        else:
            old.append((*values, r.pk))
    _bulk_insert(
        "jisr_hq_record",
        (
            "center_id",
            "partition",
            "entity",
            "entity_id",
            "fields",
            "clocks",
            "origins",
            "deleted",
            "deleted_at",
            "counter",
            "updated",
        ),
        new,
    )
    with connection.cursor() as cur:
        if old:
            cur.executemany(
                "UPDATE jisr_hq_record SET fields = %s, clocks = %s, origins = %s,"
                " deleted = %s, deleted_at = %s, counter = %s, updated = %s WHERE id = %s",
                old,
            )


def event_row(
    center_id: uuid.UUID,
    entity: str,
    entity_id: uuid.UUID,
    op_id: uuid.UUID,
    device_id: uuid.UUID,
    fields_json: str,
    digest: str,
    hlc: str,
    counter: int,
) -> tuple[Any, ...]:
    u = _uuid_adapter()
    return (
        u(center_id),
        entity,
        u(entity_id),
        u(op_id),
        u(device_id),
        fields_json,
        digest,
        hlc,
        counter,
    )


def write_events(rows: list[tuple[Any, ...]]) -> None:
    now = _dt(timezone.now())
    _bulk_insert(
        "jisr_hq_event",
        (
            "center_id",
            "entity",
            "entity_id",
            "op_id",
            "device_id",
            "fields",
            "digest",
            "hlc",
            "counter",
            "created",
        ),
        [(*row, now) for row in rows],
    )


def write_receipt(
    center_id: uuid.UUID,
    device_id: uuid.UUID,
    epoch: int,
    seqs: list[int],
    digests: bytes,
    rejected: dict[str, str],
) -> None:
    """One receipt row for the new ops of a batch (contiguous `seqs`, their digests
    concatenated in seq order, and the reasons of the rejected ones)."""
    if not seqs:
        return
    u = _uuid_adapter()
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO jisr_hq_batchreceipt"
            " (center_id, device_id, epoch, first_seq, last_seq, digests, digest_v, rejected)"
            " VALUES (%s, %s, %s, %s, %s, %s, 2, %s)",
            [u(center_id), u(device_id), epoch, seqs[0], seqs[-1], digests, _json(rejected)],
        )
