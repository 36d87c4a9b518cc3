"""What the Reports screen needs to print a person's papers (issue 14, point 9): the workshop
enrollments a certificate can be printed for, and the cards printed from the screen."""

from __future__ import annotations

from dataclasses import dataclass

from jisr_desktop.context import Context
from jisr_desktop.db.rows import query
from jisr_desktop.domain.roles import Permission


@dataclass(frozen=True)
class WorkshopEnrollment:
    """One workshop a person is (or was) enrolled in."""

    id: str
    workshop_title: str
    status: str          # waitlisted, active or ended
    start_date: str | None


def workshop_enrollments(*, ctx: Context, person_id: str) -> list[WorkshopEnrollment]:
    """The person's workshop enrollments (waitlists left out), the latest workshop first."""
    ctx.require(Permission.VIEW_REPORTS)
    found = query(ctx.db, "SELECT e.id, w.title, e.status, w.start_date FROM enrollment e JOIN workshop w"
                          " ON w.id = e.workshop_id WHERE e.person_id = ? AND e.service = 'workshop'"
                          " AND e.deleted = 0 AND w.deleted = 0 AND e.status != 'waitlisted'"
                          " ORDER BY coalesce(w.start_date, '') DESC, w.title, e.id", [person_id])
    return [WorkshopEnrollment(r["id"], r["title"], r["status"], r["start_date"]) for r in found]
