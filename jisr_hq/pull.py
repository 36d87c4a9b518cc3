"""Answering a pull: current state of rows changed after the cursor, reference data first.

Partitions come from the device record, never from the request. For each stream the head
counter is read first; because counters are taken under a row lock and committed with the
rows, every row at or below that head is already visible, so a page never skips a row that
commits later. Tombstones older than a purge horizon force a re-bootstrap. The device's own
rows are left out and the cursor moves over them (jisr_hq/own_rows.py, docs/sync.md "Own
rows").
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection

from jisr_hq import clock, own_rows, sealed, store
from jisr_hq.errors import ApiError
from jisr_hq.models import (
    Center,
    ChangeCounter,
    Conflict,
    Device,
    Program,
    RefCounter,
    StaffAccount,
    WorkshopCategory,
)
from jisr_protocol import Cursor


def may_read_counselling(device: Device, user: str | None, proof: str | None = None) -> bool:
    """Counselling rows go only to a counselling device whose signed-in counsellor proves she
    is there (her key's signature over this request: jisr_hq/sealed.py)."""
    return sealed.Verifier(device).pull_allowed(user, proof)


@dataclass
class Page:
    """A pull answer whose rows are already JSON text (rows are never re-parsed at HQ)."""

    rows: list[str]
    next_cursor: str
    more: bool

    def to_json(self) -> str:
        return (
            '{"rows":[' + ",".join(self.rows) + "]"
            f',"next_cursor":"{self.next_cursor}","more":{"true" if self.more else "false"}'
            f',"server_hlc":{json.dumps(clock.now_text())}}}'
        )


def pull(
    device: Device, cursor: Cursor, limit: int, user: str | None, proof: str | None = None
) -> Page:
    counselling = may_read_counselling(device, user, proof)
    heads = {c.partition: c for c in ChangeCounter.objects.filter(center_id=device.center_id)}
    ref_head = RefCounter.objects.filter(id=1).values_list("value", flat=True).first() or 0
    _check_horizon(cursor.center, heads.get("center"))
    if counselling:
        _check_horizon(cursor.counselling, heads.get("counselling"))
    plan = [("ref", ref_head), ("center", heads["center"].value if "center" in heads else 0)]
    if counselling:
        plan.append(("counselling", heads["counselling"].value if "counselling" in heads else 0))
    head_of = {name: c.value for name, c in heads.items()}
    session = own_rows.begin(device, cursor, head_of, [name for name, _ in plan[1:]])

    rows: list[str] = []
    pos = {"ref": cursor.ref, "center": cursor.center, "counselling": cursor.counselling}
    more = False
    for stream, head in plan:
        if pos[stream] >= head:
            continue
        room = limit - len(rows)
        if room <= 0:
            more = True
            break
        page, reached = _page(stream, device, pos[stream], head, room, session.own)
        rows.extend(text for _, text in page)
        if reached is not None:
            pos[stream] = reached
            more = True
            break
        pos[stream] = head
    next_cursor = Cursor(pos["ref"], pos["center"], pos["counselling"])
    own_rows.finish(session, next_cursor, head_of)
    return Page(rows, str(next_cursor), more)


def _check_horizon(position: int, counter: ChangeCounter | None) -> None:
    if counter is not None and 0 < position < counter.purged_through:
        raise ApiError(
            "rebootstrap",
            "This desktop has been away longer than HQ keeps deleted rows; "
            "it must re-bootstrap from a fresh copy of its center.",
        )


Sourced = list[tuple[int, str]]


def _page(
    stream: str, device: Device, after: int, head: int, room: int, own: own_rows.OwnRows
) -> tuple[Sourced, int | None]:
    """Up to `room` rows of one stream with after < counter <= head, in counter order, and
    the counter the page reached when the stream goes on past it (None: through `head`)."""
    center_id = device.center_id
    if stream == "ref":
        sources = _ref_sources(device, after, head, room)
        merged = sorted((row for source in sources for row in source), key=lambda r: r[0])
        return merged[:room], (merged[room - 1][0] if len(merged) >= room else None)
    return _center_rows(stream, center_id, after, head, room, own)


def _row_json(
    entity: str,
    entity_id: Any,
    center_id: Any,
    fields: Any,
    clocks: Any,
    deleted: bool,
    counter: int,
) -> tuple[int, str]:
    center = "null" if center_id is None else f'"{_uuid_text(center_id)}"'
    return counter, (
        f'{{"entity":"{entity}","entity_id":"{_uuid_text(entity_id)}","center_id":{center}'
        f',"fields":{_json_text(fields)},"clocks":{_json_text(clocks)}'
        f',"deleted":{"true" if deleted else "false"},"counter":{int(counter)}}}'
    )


def _uuid_text(value: Any) -> str:
    """A stored uuid as canonical text: PostgreSQL gives it dashed (or as a UUID), SQLite as
    32 hex digits."""
    if isinstance(value, str):
        if len(value) == 36:
            return value
        if len(value) == 32:
            return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


def _json_text(value: Any) -> str:
    """Stored JSON columns come back as text on both backends; pass them through as is."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _window(query: Any, after: int, head: int, room: int) -> Any:
    return query.filter(counter__gt=after, counter__lte=head).order_by("counter")[:room]


def _ref_sources(device: Device, after: int, head: int, room: int) -> list[Sourced]:
    """Reference rows; staff accounts of the device's center only, each as this device may
    hold it (password hashes only of staff who may sign in there: `sealed.sync_fields_for`)."""
    out: list[Sourced] = []
    for entity, query in (
        ("ref.center", Center.objects.all()),
        ("ref.program", Program.objects.all()),
        ("ref.workshop_category", WorkshopCategory.objects.all()),
        ("ref.staff", StaffAccount.objects.filter(center_id=device.center_id)),
    ):
        fields_of = (
            (lambda obj: sealed.sync_fields_for(device, obj))
            if entity == "ref.staff"
            else (lambda obj: obj.sync_fields())
        )
        out.append(
            [
                _row_json(
                    entity,
                    obj.id,
                    getattr(obj, "center_id", None),
                    fields_of(obj),
                    {},
                    False,
                    obj.counter,
                )
                for obj in _window(query, after, head, room)
            ]
        )
    return out


# JSON columns are read as text (jsonb would be parsed into Python objects only to be written
# out again): `CAST(… AS TEXT)` on both backends.
_SQL_RECORDS = (
    "SELECT counter, entity, CAST(entity_id AS TEXT), CAST(center_id AS TEXT),"
    " CAST(fields AS TEXT), CAST(clocks AS TEXT), deleted FROM jisr_hq_record"
    " WHERE center_id = %s AND partition = %s AND counter > %s AND counter <= %s"
    " ORDER BY counter LIMIT %s"
)
_SQL_RECORDS_OWN = _SQL_RECORDS.replace(" deleted FROM", " deleted, CAST(origins AS TEXT) FROM")
_SQL_EVENTS = (
    "SELECT counter, entity, CAST(entity_id AS TEXT), CAST(center_id AS TEXT),"
    " CAST(fields AS TEXT), hlc FROM jisr_hq_event"
    " WHERE center_id = %s AND counter > %s AND counter <= %s ORDER BY counter LIMIT %s"
)


SCAN_PAGES = 25
"""A pull request reads at most this many pages' worth of rows while it skips the device's
own (50,000 rows for a page of 2,000): past that, the page goes out shorter, even empty, with
its cursor after the last row read and `more`, so a long run of own rows costs a few requests
and never a request without end."""


def _center_rows(
    partition: str,
    center_id: uuid.UUID,
    after: int,
    head: int,
    room: int,
    own: own_rows.OwnRows,
) -> tuple[Sourced, int | None]:
    """Up to `room` rows of the window that are not the device's own (docs/sync.md, "Own
    rows"), and the counter reached when the window goes on past the page (None: through
    `head`). Skipped rows move the cursor like sent ones, so the next page starts after them."""
    out: Sourced = []
    scanned = 0
    while True:
        need = room - len(out)
        chosen = _center_page(partition, center_id, after, head, need, own)
        for counter, kind, item in chosen:
            if kind == "r" and own.active and own.record(partition, counter, item[5], item[7]):
                continue
            if kind == "e" and own.active and own.event(partition, counter, item[5]):
                continue
            out.append(_write_row(kind, item))
        if len(chosen) < need:
            return out, None
        after = chosen[-1][0]
        scanned += len(chosen)
        if len(out) >= room or scanned >= SCAN_PAGES * room:
            return out, after


def _write_row(kind: str, item: Any) -> tuple[int, str]:
    if kind == "r":
        n, entity, entity_id, center, fields, clocks, deleted = item[:7]
        return _row_json(entity, entity_id, center, fields, clocks, bool(deleted), n)
    if kind == "e":
        n, entity, entity_id, center, fields, hlc = item
        clock = f'{{"_event":{json.dumps(hlc)}}}'
        return _row_json(entity, entity_id, center, fields, clock, False, n)
    return _conflict_row(item)


def _center_page(
    partition: str,
    center_id: uuid.UUID,
    after: int,
    head: int,
    room: int,
    own: own_rows.OwnRows,
) -> list[tuple[int, str, Any]]:
    """The first `room` records, events and conflicts of the window, merged by counter, as
    (counter, kind, row); only the rows that make the page are written out as JSON."""
    key = center_id if store.native_uuids() else center_id.hex
    with connection.cursor() as cur:
        cur.execute(_SQL_RECORDS_OWN if own.active else _SQL_RECORDS,
                    [key, partition, after, head, room])
        records = cur.fetchall()
        events: list[tuple[Any, ...]] = []
        if partition == "center":
            cur.execute(_SQL_EVENTS, [key, after, head, room])
            events = cur.fetchall()
    conflicts = list(
        _window(
            Conflict.objects.filter(center_id=center_id, partition=partition), after, head, room
        )
    )
    if not events and not conflicts:  # already in counter order
        return [(r[0], "r", r) for r in records]
    tagged = [
        *((r[0], "r", r) for r in records),
        *((e[0], "e", e) for e in events),
        *((c.counter, "c", c) for c in conflicts),
    ]
    tagged.sort(key=lambda t: t[0])
    return tagged[:room]


def _conflict_row(c: Conflict) -> tuple[int, str]:
    fields = {
        "entity": c.entity,
        "entity_id": str(c.entity_id),
        "field": c.field,
        "reason": c.reason,
        "winner_value": c.winner_value,
        "winner_clock": c.winner_clock,
        "loser_value": c.loser_value,
        "loser_clock": c.loser_clock,
        "loser_device": str(c.loser_device) if c.loser_device else None,
        "op_id": str(c.op_id),
        "resolution": c.resolution or None,
    }
    return _row_json("sync.conflict", c.id, c.center_id, fields, {}, False, c.counter)
