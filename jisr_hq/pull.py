"""Answering a pull: current state of rows changed after the cursor, reference data first.

Partitions come from the device record, never from the request. For each stream the head
counter is read first; because counters are taken under a row lock and committed with the
rows, every row at or below that head is already visible, so a page never skips a row that
commits later. Tombstones older than a purge horizon force a re-bootstrap.
"""

from __future__ import annotations

import uuid
from typing import Any

from jisr_desktop.sync.protocol import Cursor, PullResponse, Row
from jisr_hq import clock
from jisr_hq.errors import ApiError
from jisr_hq.models import (
    Center,
    ChangeCounter,
    Conflict,
    Device,
    Event,
    Program,
    Record,
    RefCounter,
    StaffAccount,
    WorkshopCategory,
)


def may_read_counselling(device: Device, user: str | None) -> bool:
    """Counselling rows go only to a counselling device used by an active counsellor."""
    if not device.counselling or not user:
        return False
    query = StaffAccount.objects.filter(center_id=device.center_id, active=True, role="counsellor")
    try:
        return query.filter(id=uuid.UUID(user)).exists()
    except ValueError:
        return query.filter(username=user).exists()


def pull(device: Device, cursor: Cursor, limit: int, user: str | None) -> PullResponse:
    counselling = may_read_counselling(device, user)
    heads = {c.partition: c for c in ChangeCounter.objects.filter(center_id=device.center_id)}
    ref_head = RefCounter.objects.filter(id=1).values_list("value", flat=True).first() or 0
    _check_horizon(cursor.center, heads.get("center"))
    if counselling:
        _check_horizon(cursor.counselling, heads.get("counselling"))
    center_head = heads["center"].value if "center" in heads else 0
    couns_head = heads["counselling"].value if "counselling" in heads else 0

    rows: list[Row] = []
    pos = {"ref": cursor.ref, "center": cursor.center, "counselling": cursor.counselling}
    more = False
    plan = [("ref", ref_head), ("center", center_head)]
    if counselling:
        plan.append(("counselling", couns_head))
    for stream, head in plan:
        if pos[stream] >= head:
            continue
        room = limit - len(rows)
        if room <= 0:
            more = True
            break
        page = _page(stream, device.center_id, pos[stream], head, room)
        rows.extend(page)
        if len(page) >= room:
            pos[stream] = page[-1].counter
            more = True
            break
        pos[stream] = head
    next_cursor = Cursor(pos["ref"], pos["center"], pos["counselling"])
    return PullResponse(
        rows=rows, next_cursor=str(next_cursor), more=more, server_hlc=clock.now_text()
    )


def _check_horizon(position: int, counter: ChangeCounter | None) -> None:
    if counter is not None and 0 < position < counter.purged_through:
        raise ApiError(
            "rebootstrap",
            "This desktop has been away longer than HQ keeps deleted rows; "
            "it must re-bootstrap from a fresh copy of its center.",
        )


def _page(stream: str, center_id: uuid.UUID, after: int, head: int, room: int) -> list[Row]:
    """Up to `room` rows of one stream with after < counter <= head, in counter order."""
    if stream == "ref":
        sources = _ref_sources(center_id, after, head, room)
    else:
        sources = _center_sources(stream, center_id, after, head, room)
    merged = sorted((row for source in sources for row in source), key=lambda r: r.counter)
    return merged[:room]


def _window(query: Any, after: int, head: int, room: int) -> Any:
    return query.filter(counter__gt=after, counter__lte=head).order_by("counter")[:room]


def _ref_sources(center_id: uuid.UUID, after: int, head: int, room: int) -> list[list[Row]]:
    out: list[list[Row]] = []
    for entity, query in (
        ("ref.center", Center.objects.all()),
        ("ref.program", Program.objects.all()),
        ("ref.workshop_category", WorkshopCategory.objects.all()),
        ("ref.staff", StaffAccount.objects.filter(center_id=center_id)),
    ):
        out.append(
            [
                Row(
                    entity=entity,
                    entity_id=obj.id,
                    center_id=getattr(obj, "center_id", None),
                    fields=obj.sync_fields(),
                    clocks={},
                    deleted=False,
                    counter=obj.counter,
                )
                for obj in _window(query, after, head, room)
            ]
        )
    return out


def _center_sources(
    partition: str, center_id: uuid.UUID, after: int, head: int, room: int
) -> list[list[Row]]:
    records = _window(
        Record.objects.filter(center_id=center_id, partition=partition), after, head, room
    )
    conflicts = _window(
        Conflict.objects.filter(center_id=center_id, partition=partition), after, head, room
    )
    out = [
        [
            Row(
                entity=r.entity,
                entity_id=r.entity_id,
                center_id=r.center_id,
                fields=r.fields,
                clocks=r.clocks,
                deleted=r.deleted,
                counter=r.counter,
            )
            for r in records
        ],
        [_conflict_row(c) for c in conflicts],
    ]
    if partition == "center":
        events = _window(Event.objects.filter(center_id=center_id), after, head, room)
        out.append(
            [
                Row(
                    entity=e.entity,
                    entity_id=e.entity_id,
                    center_id=e.center_id,
                    fields=e.fields,
                    clocks={"_event": e.hlc},
                    deleted=False,
                    counter=e.counter,
                )
                for e in events
            ]
        )
    return out


def _conflict_row(c: Conflict) -> Row:
    return Row(
        entity="sync.conflict",
        entity_id=c.id,
        center_id=c.center_id,
        fields={
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
        },
        clocks={},
        deleted=False,
        counter=c.counter,
    )
