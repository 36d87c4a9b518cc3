"""Reading enrollments: the nursery's, the elderly club's and the workshops' (one table).

Enrolling, ending and promoting from the waitlist are `services.enrollments`'s use cases; the
services and the reports (certificates, rosters) read here. Nothing here checks a permission.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from jisr_desktop import errors
from jisr_desktop.context import Context
from jisr_desktop.db.rows import query
from jisr_desktop.domain.messages import FieldMessage
from jisr_desktop.domain.waitlist import EnrollmentStatus

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
    found = query(ctx.db, "SELECT * FROM enrollment WHERE id = ? AND deleted = 0", [enrollment_id])
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
    found = [from_row(r) for r in query(
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
    found = query(ctx.db, f"SELECT * FROM enrollment WHERE {where} AND person_id = ? AND deleted = 0"
                         " AND status IN ('active','waitlisted') ORDER BY status = 'waitlisted', requested_at",
                 [*params, person_id])
    return from_row(found[0]) if found else None


def active_count(ctx: Context, service: str, workshop_id: str | None = None) -> int:
    where, params = _scope(service, workshop_id)
    return ctx.db.execute(f"SELECT count(*) FROM enrollment WHERE {where} AND status = 'active'"
                          " AND deleted = 0", params).fetchone()[0]


def has_enrollment(ctx: Context, person_id: str, service: str) -> bool:
    return ctx.db.execute("SELECT 1 FROM enrollment WHERE person_id = ? AND service = ? AND deleted = 0",
                          [person_id, service]).fetchone() is not None


def listing_for_person(ctx: Context, service: str, person_id: str) -> list[Enrollment]:
    """All of one person's enrollments in a service (every workshop), oldest first."""
    return [from_row(r) for r in query(ctx.db, "SELECT * FROM enrollment WHERE service = ? AND person_id = ?"
                                              " AND deleted = 0 ORDER BY requested_at, id", [service, person_id])]
