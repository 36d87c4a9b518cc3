"""Check-in, check-out, alert acknowledgement and attendance marks as append-only events.

Ids are deterministic (docs/sync.md, "Identity"): the same child checked in twice while she is
here, on one desktop or two, is one event; a return after a check-out the same day is a new
stay with its own check-in (`day_slots`). Events are never edited; `void_event` and `amend_event`
append a correction, and every reader applies corrections (`db.attendance.effective_events`,
where the reads live, below the services and the reports).
A voided check-in frees its natural key: the next one gets an id chained from the voided one,
still deterministic, so that two desktops repeating the same correction converge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db.attendance import (  # noqa: F401 (Visit, visits, marks_of: re-exported)
    Visit,
    acknowledged,
    corrections_for,
    effective_events,
    marks_of,
    visits,
)
from jisr_desktop.db.connection import transaction
from jisr_desktop.db.rows import query
from jisr_desktop.domain.attendance import Correction, CorrectionKind, check_reason, effective
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_

EVENT_TABLES = ("check_in", "check_out", "alert_ack", "attendance")
AMENDABLE: dict[str, frozenset[str]] = {
    "check_in": frozenset({"at", "by_person_id", "by_name"}),
    "check_out": frozenset({"at", "by_person_id", "by_name", "by_cin"}),
    "attendance": frozenset({"status", "reason"}),
}


def _event(db: sqlite_utils.Database, table: str, event_id: str) -> dict[str, Any] | None:
    found = query(db, f"SELECT * FROM {table} WHERE id = ?", [event_id])
    return found[0] if found else None


def _live_or_next_id(db: sqlite_utils.Database, table: str, base_id: str) -> tuple[str, dict[str, Any] | None]:
    """Follow the chain of voided events from `base_id`: (id to use, live event or None)."""
    event_id = base_id
    while True:
        row = _event(db, table, event_id)
        if row is None:
            return event_id, None
        current = effective(row, corrections_for(db, [event_id]).get(event_id, []))
        if current is not None:
            return event_id, current
        event_id = ledger.deterministic_id(base_id, event_id)


def append_correction(ctx: Context, table: str, target_id: str, kind: CorrectionKind,
                      patch: dict[str, Any], reason: str) -> str:
    correction_id = ledger.new_id()
    ledger.append_event(ctx, "event_correction", correction_id, {
        "target_table": table, "target_id": target_id, "kind": str(kind),
        "patch": json.dumps({k: ledger.to_db(v) for k, v in patch.items()}, ensure_ascii=False),
        "reason": reason.strip(), "at": ctx.now().isoformat(), "recorded_by": ctx.user.id,
    }, action=f"{kind}_{table}")
    return correction_id


def _target(ctx: Context, table: str, event_id: str) -> dict[str, Any]:
    if table not in AMENDABLE:
        raise errors.NotFound()
    row = _event(ctx.db, table, event_id)
    if row is None:
        raise errors.NotFound()
    current = effective(row, corrections_for(ctx.db, [event_id]).get(event_id, []))
    if current is None:
        raise errors.JisrError(N_("This entry has already been cancelled."))
    return current


def void_event(*, ctx: Context, table: str, event_id: str, reason: str) -> str:
    """Cancel a check-in, check-out or attendance mark recorded by mistake (a new event).
    Voiding a check-in also voids its check-out."""
    ctx.require(Permission.CHECK_IN)
    if msgs := check_reason(reason):
        raise errors.ValidationFailed(msgs)
    with transaction(ctx.db):
        _target(ctx, table, event_id)
        correction_id = append_correction(ctx, table, event_id, CorrectionKind.VOID, {}, reason)
        if table == "check_in":
            for out in effective_events(ctx.db, "check_out", "check_in_id = ?", [event_id]):
                append_correction(ctx, "check_out", out["id"], CorrectionKind.VOID, {}, reason)
    return correction_id


def amend_event(*, ctx: Context, table: str, event_id: str, patch: dict[str, Any], reason: str) -> dict[str, Any]:
    """Correct some fields of an event (time, who dropped off, a mark); returns it corrected."""
    ctx.require(Permission.CHECK_IN)
    if msgs := check_reason(reason):
        raise errors.ValidationFailed(msgs)
    unknown = set(patch) - AMENDABLE.get(table, frozenset())
    if unknown:
        raise errors.JisrError(N_("These fields cannot be corrected: {fields}."), fields=", ".join(sorted(unknown)))
    with transaction(ctx.db):
        _target(ctx, table, event_id)
        append_correction(ctx, table, event_id, CorrectionKind.AMEND, patch, reason)
        return _target(ctx, table, event_id)


def history_of(*, ctx: Context, event_id: str) -> list[Correction]:
    """The corrections of one event, oldest first (for the audit view)."""
    return sorted(corrections_for(ctx.db, [event_id]).get(event_id, []), key=lambda c: (c.at, c.id))


# --- Check-in and check-out (no permission checks: the calling service does them) --------

@dataclass(frozen=True)
class Recorded:
    """An event as it stands, and whether this call created it (False: it existed)."""

    event: dict[str, Any]
    created: bool


def _slot_base(service: str, person_id: str, day: date, slot: int) -> str:
    """The natural key of a person's `slot`-th stay of the day at a service: the first keeps the
    id it always had, an afternoon return after a check-out takes the next slot."""
    if slot == 0:
        return ledger.deterministic_id("checkin", service, person_id, day.isoformat())
    return ledger.deterministic_id("checkin", service, person_id, day.isoformat(), str(slot))


@dataclass(frozen=True)
class Slot:
    """One stay of the day: the id to use for it and its live check-in (None: free or voided)."""

    event_id: str
    live: dict[str, Any] | None


def day_slots(db: sqlite_utils.Database, service: str, person_id: str, day: date) -> list[Slot]:
    """A person's stays of the day at a service, in slot order, ending with a free slot.

    A day holds several stays (in at 08:10, out at 12:00, in again at 14:05): each is a check-in
    with its own check-out. Ids stay deterministic (slot number in the key), so two desktops
    recording the same return converge."""
    out: list[Slot] = []
    slot = 0
    while True:
        base = _slot_base(service, person_id, day, slot)
        if _event(db, "check_in", base) is None:
            out.append(Slot(base, None))
            return out
        event_id, live = _live_or_next_id(db, "check_in", base)
        out.append(Slot(event_id, live))
        slot += 1


def _open_stay(db: sqlite_utils.Database, slots: list[Slot]) -> dict[str, Any] | None:
    """The live check-in of the day that has no live check-out (the person is here), or None."""
    for s in slots:
        if s.live is not None and live_check_out(db, s.live["id"]) is None:
            return s.live
    return None


def record_check_in(ctx: Context, *, service: str, person_id: str, enrollment_id: str | None,
                    day: date, by_person_id: str | None = None, by_name: str = "",
                    card_code: str = "") -> Recorded:
    """A check-in; while the person is here (checked in, not out) it returns that one
    (created False). After a check-out the same day it records a new stay."""
    slots = day_slots(ctx.db, service, person_id, day)
    here = _open_stay(ctx.db, slots)
    if here is not None:
        return Recorded(here, False)
    base_of = {s.event_id: _slot_base(service, person_id, day, i) for i, s in enumerate(slots)}
    event_id = next(s.event_id for s in slots if s.live is None)
    base = base_of[event_id]
    row = {"service": service, "person_id": person_id, "enrollment_id": enrollment_id,
           "day": day.isoformat(), "at": ctx.now().isoformat(), "by_person_id": by_person_id,
           "by_name": by_name.strip(), "card_code": card_code, "recorded_by": ctx.user.id,
           "previous_id": None if event_id == base else base}
    ledger.append_event(ctx, "check_in", event_id, row, action=f"check_in_{service}")
    event = _event(ctx.db, "check_in", event_id)
    assert event is not None
    return Recorded(event, True)


def live_check_in(db: sqlite_utils.Database, service: str, person_id: str, day: date) -> dict[str, Any] | None:
    """The check-in of the stay the person is in now, else the day's latest live one (already
    checked out), else None."""
    slots = day_slots(db, service, person_id, day)
    here = _open_stay(db, slots)
    if here is not None:
        return here
    lives = [s.live for s in slots if s.live is not None]
    return max(lives, key=lambda e: (e["at"], e["id"])) if lives else None


def live_check_out(db: sqlite_utils.Database, check_in_id: str) -> dict[str, Any] | None:
    return _live_or_next_id(db, "check_out", ledger.deterministic_id("checkout", check_in_id))[1]


def record_check_out(ctx: Context, *, check_in: dict[str, Any], fields: dict[str, Any]) -> Recorded:
    base = ledger.deterministic_id("checkout", check_in["id"])
    event_id, live = _live_or_next_id(ctx.db, "check_out", base)
    if live is not None:
        return Recorded(live, False)
    row = {"check_in_id": check_in["id"], "service": check_in["service"],
           "person_id": check_in["person_id"], "day": check_in["day"],
           "at": ctx.now().isoformat(), "recorded_by": ctx.user.id,
           "previous_id": None if event_id == base else base, **fields}
    ledger.append_event(ctx, "check_out", event_id, row, action=f"check_out_{check_in['service']}")
    event = _event(ctx.db, "check_out", event_id)
    assert event is not None
    return Recorded(event, True)


def record_ack(ctx: Context, *, check_in: dict[str, Any], alerts: list[str]) -> bool:
    """One acknowledgement per check-in; False when it was already acknowledged."""
    return ledger.append_event(ctx, "alert_ack", ledger.deterministic_id("ack", check_in["id"]), {
        "check_in_id": check_in["id"], "person_id": check_in["person_id"],
        "alerts": "\n".join(alerts), "at": ctx.now().isoformat(), "recorded_by": ctx.user.id,
    }, action="acknowledge_alerts")


# --- Attendance marks -----------------------------------------------------------------------

def record_mark(ctx: Context, *, context: str, session_id: str, person_id: str, status: str,
                reason: str, day: date) -> Recorded:
    """Mark a participant; marking again with another status appends an amendment, marking
    again the same way changes nothing."""
    base = ledger.deterministic_id("attendance", session_id, person_id)
    event_id, live = _live_or_next_id(ctx.db, "attendance", base)
    if live is not None:
        if (live["status"], live["reason"]) == (status, reason.strip()):
            return Recorded(live, False)
        append_correction(ctx, "attendance", event_id, CorrectionKind.AMEND,
                          {"status": status, "reason": reason.strip()},
                          N_("Attendance mark changed"))
        current = _target(ctx, "attendance", event_id)
        return Recorded(current, True)
    ledger.append_event(ctx, "attendance", event_id, {
        "context": context, "session_id": session_id, "person_id": person_id, "status": status,
        "reason": reason.strip(), "day": day.isoformat(), "at": ctx.now().isoformat(),
        "recorded_by": ctx.user.id}, action=f"mark_{context}")
    event = _event(ctx.db, "attendance", event_id)
    assert event is not None
    return Recorded(event, True)


def check_outs_of(db: sqlite_utils.Database, check_in_id: str) -> list[dict[str, Any]]:
    """The check-out events recorded against one check-in (the corrections screen voids them
    with it)."""
    return query(db, "SELECT id FROM check_out WHERE check_in_id = ?", [check_in_id])
