"""The enrollment engine shared by the nursery, the elderly club and workshops.

One `enrollment` table holds all three, so capacity, the waitlist, promotion and member cards
follow one set of rules (`domain.waitlist`). The service modules add their own checks (the
child's age, membership dates, the workshop's capacity) and call these helpers inside their
transaction; these helpers check no permission themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import meta
from jisr_desktop.domain.messages import FieldMessage
from jisr_desktop.domain.waitlist import (
    EnrollmentStatus,
    WaitlistEntry,
    admission_status,
    promotions,
)
from jisr_desktop.i18n import N_
from jisr_desktop.services import cards
from jisr_desktop.services.attendance import rows

NURSERY, CLUB, WORKSHOP = "nursery", "club", "workshop"


@dataclass
class Enrollment:
    id: str = ""
    service: str = ""
    person_id: str = ""
    status: str = ""
    requested_at: str = ""
    workshop_id: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    ended_on: date | None = None
    end_reason: str = ""
    allergies: str = ""
    medical_notes: str = ""
    emergency_name: str = ""
    emergency_phone: str | None = None
    emergency_relationship: str = ""
    health_notes: str = ""
    notes: str = ""
    waitlist_position: int | None = None
    messages: list[FieldMessage] = field(default_factory=list)  # warnings given at enrollment

    @property
    def active(self) -> bool:
        return self.status == EnrollmentStatus.ACTIVE

    @property
    def waitlisted(self) -> bool:
        return self.status == EnrollmentStatus.WAITLISTED


@dataclass
class EndResult:
    """An ended enrollment and whoever moved up from the waitlist into the freed place."""

    ended: Enrollment
    promoted: list[Enrollment]


_FIELDS = {f.name for f in fields(Enrollment)} - {"waitlist_position", "messages"}
_DATES = ("start_date", "end_date", "ended_on")


def from_row(row: dict[str, Any]) -> Enrollment:
    values = {k: row[k] for k in _FIELDS if k in row}
    for name in _DATES:
        if values.get(name):
            values[name] = date.fromisoformat(values[name])
    for name in ("end_reason", "allergies", "medical_notes", "emergency_name",
                 "emergency_relationship", "health_notes", "notes"):
        values[name] = values.get(name) or ""
    return Enrollment(**values)


def _scope(service: str, workshop_id: str | None) -> tuple[str, list[Any]]:
    if workshop_id is None:
        return "service = ? AND workshop_id IS NULL", [service]
    return "service = ? AND workshop_id = ?", [service, workshop_id]


def get(ctx: Context, enrollment_id: str) -> Enrollment:
    found = rows(ctx.db, "SELECT * FROM enrollment WHERE id = ? AND deleted = 0", [enrollment_id])
    if not found:
        raise errors.NotFound()
    enrollment = from_row(found[0])
    if enrollment.waitlisted:
        waiting = listing(ctx, enrollment.service, enrollment.workshop_id, EnrollmentStatus.WAITLISTED)
        enrollment.waitlist_position = next(
            (i for i, e in enumerate(waiting, start=1) if e.id == enrollment_id), None)
    return enrollment


def listing(ctx: Context, service: str, workshop_id: str | None = None,
            status: str | None = None) -> list[Enrollment]:
    """Enrollments of a service (a workshop), in waitlist order (who asked first)."""
    where, params = _scope(service, workshop_id)
    if status is not None:
        where += " AND status = ?"
        params.append(status)
    found = [from_row(r) for r in rows(
        ctx.db, f"SELECT * FROM enrollment WHERE {where} AND deleted = 0 ORDER BY requested_at, id", params)]
    position = 0
    for e in found:
        if e.waitlisted:
            position += 1
            e.waitlist_position = position
    return found


def current_for(ctx: Context, service: str, person_id: str,
                workshop_id: str | None = None) -> Enrollment | None:
    """The person's active or waitlisted enrollment, if any (active first)."""
    where, params = _scope(service, workshop_id)
    found = rows(ctx.db, f"SELECT * FROM enrollment WHERE {where} AND person_id = ? AND deleted = 0"
                         " AND status IN ('active','waitlisted') ORDER BY status = 'waitlisted', requested_at",
                 [*params, person_id])
    return from_row(found[0]) if found else None


def active_count(ctx: Context, service: str, workshop_id: str | None = None) -> int:
    where, params = _scope(service, workshop_id)
    return ctx.db.execute(f"SELECT count(*) FROM enrollment WHERE {where} AND status = 'active'"
                          " AND deleted = 0", params).fetchone()[0]


def enroll(ctx: Context, *, service: str, person_id: str, workshop_id: str | None,
           capacity: int | None, values: dict[str, Any]) -> Enrollment:
    """Enroll, or put on the waitlist when full; an active enrollment gets a member card."""
    if current_for(ctx, service, person_id, workshop_id) is not None:
        raise errors.JisrError(N_("This person is already enrolled or on the waitlist."))
    status = admission_status(active_count(ctx, service, workshop_id), capacity)
    enrollment_id = ledger.new_id()
    ledger.write_record(ctx, "enrollment", enrollment_id, {
        "center_id": meta.get(ctx.db, "center_id"), "service": service, "workshop_id": workshop_id,
        "person_id": person_id, "status": str(status), "requested_at": ctx.now().isoformat(),
        **values}, action=f"enroll_{service}")
    if status == EnrollmentStatus.ACTIVE:
        cards.ensure_card(ctx, person_id, service)
    return get(ctx, enrollment_id)


def end(ctx: Context, enrollment: Enrollment, *, on: date, reason: str, capacity: int | None,
        eligible: Callable[[WaitlistEntry], bool] = lambda e: True) -> EndResult:
    """End an enrollment (or withdraw from the waitlist) and fill the freed place."""
    if enrollment.status == EnrollmentStatus.ENDED:
        raise errors.JisrError(N_("This enrollment has already ended."))
    ledger.write_record(ctx, "enrollment", enrollment.id, {
        "status": str(EnrollmentStatus.ENDED), "ended_on": on, "end_reason": reason.strip()},
        action=f"end_{enrollment.service}")
    promoted = promote(ctx, service=enrollment.service, workshop_id=enrollment.workshop_id,
                       capacity=capacity, on=on, eligible=eligible)
    return EndResult(get(ctx, enrollment.id), promoted)


def promote(ctx: Context, *, service: str, workshop_id: str | None, capacity: int | None,
            on: date, eligible: Callable[[WaitlistEntry], bool] = lambda e: True) -> list[Enrollment]:
    """Move the first eligible people waiting into the free places (none when full)."""
    waiting = [WaitlistEntry(e.id, e.person_id, e.requested_at)
               for e in listing(ctx, service, workshop_id, EnrollmentStatus.WAITLISTED)]
    chosen = promotions(waiting, active_count=active_count(ctx, service, workshop_id),
                        capacity=capacity, eligible=eligible)
    out = []
    for entry in chosen:
        ledger.write_record(ctx, "enrollment", entry.enrollment_id, {
            "status": str(EnrollmentStatus.ACTIVE), "start_date": on}, action=f"promote_{service}")
        cards.ensure_card(ctx, entry.person_id, service)
        out.append(get(ctx, entry.enrollment_id))
    return out


def has_enrollment(ctx: Context, person_id: str, service: str) -> bool:
    return ctx.db.execute("SELECT 1 FROM enrollment WHERE person_id = ? AND service = ? AND deleted = 0",
                          [person_id, service]).fetchone() is not None


def listing_for_person(ctx: Context, service: str, person_id: str) -> list[Enrollment]:
    """All of one person's enrollments in a service (every workshop), oldest first."""
    return [from_row(r) for r in rows(ctx.db, "SELECT * FROM enrollment WHERE service = ? AND person_id = ?"
                                              " AND deleted = 0 ORDER BY requested_at, id", [service, person_id])]
