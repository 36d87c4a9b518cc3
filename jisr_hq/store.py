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

from django.db import connection, models
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


def _rows_with_ids(table: str, columns: str, keys: list[Any]) -> list[tuple[Any, ...]]:
    """`columns` of the rows of `table` whose entity_id is one of `keys`.

    On PostgreSQL the ids are one uuid[] literal, each looked up through a LATERAL subquery
    that cannot be flattened (OFFSET 0): one probe of the entity_id index per id, whatever
    the statistics say. (With `entity_id = ANY(…)` or a plain join, a table growing faster
    than autoanalyze runs was estimated as all rows matching and scanned for every batch: a
    first push slowed down as HQ filled up.)"""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                f"SELECT {columns} FROM unnest(%s::uuid[]) AS wanted(id) CROSS JOIN LATERAL"
                f" (SELECT * FROM {table} x WHERE x.entity_id = wanted.id OFFSET 0) t",
                ["{" + ",".join(map(str, keys)) + "}"],
            )
        else:
            marks = ", ".join(["%s"] * len(keys))
            cur.execute(f"SELECT {columns} FROM {table} t WHERE t.entity_id IN ({marks})", keys)
        return cur.fetchall()


def _for_update() -> str:
    """Row locks on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers."""
    return " FOR UPDATE" if connection.vendor == "postgresql" else ""


@dataclass(slots=True)
class Counter:
    """A locked (center, partition) change counter (mirrors jisr_hq.models.ChangeCounter)."""

    pk: int
    value: int
    initial: int


def lock_stream(center_id: uuid.UUID, device_id: uuid.UUID, epoch: int) -> tuple[int, int]:
    """Lock the (device, epoch) stream, creating it on the epoch's first push; returns its
    primary key and high-water mark. Plain SQL: this runs for every batch."""
    u = _uuid_adapter()
    select = (
        "SELECT id, high_water FROM jisr_hq_stream WHERE device_id = %s AND epoch = %s"
        + _for_update()
    )
    with connection.cursor() as cur:
        cur.execute(select, [u(device_id), epoch])
        row = cur.fetchone()
        if row is None:
            cur.execute(
                "INSERT INTO jisr_hq_stream (center_id, device_id, epoch, high_water)"
                " VALUES (%s, %s, %s, 0) ON CONFLICT DO NOTHING",
                [u(center_id), u(device_id), epoch],
            )
            cur.execute(select, [u(device_id), epoch])
            row = cur.fetchone()
    return int(row[0]), int(row[1])


def set_high_water(stream_pk: int, value: int) -> None:
    with connection.cursor() as cur:
        cur.execute("UPDATE jisr_hq_stream SET high_water = %s WHERE id = %s", [value, stream_pk])


def lock_counters(center_id: uuid.UUID, partitions: tuple[str, ...]) -> dict[str, Counter]:
    """Lock the center's counters, in partition order (so pushes never deadlock); created on
    the center's first push."""
    u = _uuid_adapter()
    select = (
        "SELECT partition, id, value FROM jisr_hq_changecounter WHERE center_id = %s"
        " ORDER BY partition" + _for_update()
    )
    with connection.cursor() as cur:
        cur.execute(select, [u(center_id)])
        rows = cur.fetchall()
        if len(rows) < len(partitions):
            cur.executemany(
                "INSERT INTO jisr_hq_changecounter (center_id, partition, value, purged_through)"
                " VALUES (%s, %s, 0, 0) ON CONFLICT DO NOTHING",
                [(u(center_id), name) for name in partitions],
            )
            cur.execute(select, [u(center_id)])
            rows = cur.fetchall()
    return {name: Counter(pk, value, value) for name, pk, value in rows}


def save_counters(counters: Iterable[Counter]) -> None:
    moved = [(c.value, c.pk) for c in counters if c.value != c.initial]
    if moved:
        with connection.cursor() as cur:
            cur.executemany("UPDATE jisr_hq_changecounter SET value = %s WHERE id = %s", moved)


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def _as_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def load_records(ids: Iterable[uuid.UUID]) -> list[RecState]:
    """Every record with one of `ids`, in any center (the caller spots foreign ids)."""
    keys = [_uuid_adapter()(i) for i in ids]
    if not keys:
        return []
    rows = _rows_with_ids(
        "jisr_hq_record",
        "t.id, t.center_id, t.partition, t.entity, t.entity_id, t.fields, t.clocks, t.origins,"
        " t.deleted, t.deleted_at, t.counter",
        keys,
    )
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


def record_centers(ids: Iterable[uuid.UUID]) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(entity_id, center_id) of every record with one of `ids`, in any center (the ids an
    op refers to: jisr_hq/references.py), one index probe per id."""
    keys = [_uuid_adapter()(i) for i in ids]
    if not keys:
        return []
    rows = _rows_with_ids("jisr_hq_record", "t.entity_id, t.center_id", keys)
    return [(_as_uuid(eid), _as_uuid(center)) for eid, center in rows]


def load_events(ids: Iterable[uuid.UUID]) -> list[EventState]:
    keys = [_uuid_adapter()(i) for i in ids]
    if not keys:
        return []
    rows = _rows_with_ids("jisr_hq_event", "t.center_id, t.entity, t.entity_id, t.digest", keys)
    return [EventState(_as_uuid(c), e, _as_uuid(i), d) for c, e, i, d in rows]


def _native(u: uuid.UUID | None) -> Any:
    return u


def _hex(u: uuid.UUID | None) -> Any:
    return None if u is None else u.hex


_UUID_FIELD = models.UUIDField()
_DATETIME_FIELD = models.DateTimeField()


@functools.cache
def native_uuids() -> bool:
    """Whether the database stores UUIDs natively (PostgreSQL) rather than as 32 hex
    characters (SQLite), as Django's UUIDField says. Cached: an HQ process talks to one
    database."""
    probe = uuid.UUID(int=1)
    return isinstance(_UUID_FIELD.get_db_prep_value(probe, connection), uuid.UUID)


def _uuid_adapter() -> Callable[[uuid.UUID | None], Any]:
    """UUIDs as the backend stores them (PostgreSQL natively, SQLite as 32 hex chars)."""
    return _native if native_uuids() else _hex


def _dt(value: datetime | None) -> Any:
    return _DATETIME_FIELD.get_db_prep_value(value, connection)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _bulk_insert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """COPY on PostgreSQL (one stream instead of a statement per row), executemany elsewhere."""
    if not rows:
        return
    cols = ", ".join(columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                copy.write("".join(["\t".join(map(_copy_value, row)) + "\n" for row in rows]))
        else:
            marks = ", ".join(["%s"] * len(columns))
            cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


def _copy_value(value: Any) -> str:
    """One value in COPY's text format (one string for the whole batch is much cheaper than
    psycopg formatting row by row)."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = value.replace("\\", "\\\\").replace("\t", "\\t")
            value = value.replace("\n", "\\n").replace("\r", "\\r")
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)  # int, uuid.UUID


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


def write_audit(
    center_id: uuid.UUID,
    device_id: uuid.UUID,
    epoch: int,
    first_seq: int,
    counts: tuple[int, int, int, int],
    detail: dict[str, Any],
) -> None:
    """The PushAudit row of an applied batch: counts are (received, applied, skipped,
    rejected)."""
    u = _uuid_adapter()
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO jisr_hq_pushaudit (center_id, device_id, epoch, first_seq, received,"
            " applied, skipped, rejected, status, detail, created)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'ok', %s, %s)",
            [
                u(center_id),
                u(device_id),
                epoch,
                first_seq,
                *counts,
                _json(detail),
                _dt(timezone.now()),
            ],
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
