"""The enrollment engine shared by the nursery, the elderly club and workshops.

One `enrollment` table holds all three, so capacity, the waitlist, promotion and member cards
follow one set of rules (`domain.waitlist`). The service modules add their own checks (the
child's age, membership dates, the workshop's capacity) and call these helpers inside their
transaction; these helpers check no permission themselves. Reading enrollments (`get`,
`listing`, `current_for` …) lives in `db.enrollments`, below the services and the reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import meta
from jisr_desktop.db.enrollments import (  # noqa: F401 (the reads, re-exported for the callers)
    CLUB,
    NURSERY,
    WORKSHOP,
    Enrollment,
    active_count,
    current_for,
    from_row,
    get,
    has_enrollment,
    listing,
    listing_for_person,
)
from jisr_desktop.domain.waitlist import (
    EnrollmentStatus,
    WaitlistEntry,
    admission_status,
    promotions,
)
from jisr_desktop.i18n import N_
from jisr_desktop.services import cards


@dataclass
class EndResult:
    """An ended enrollment and whoever moved up from the waitlist into the freed place."""

    ended: Enrollment
    promoted: list[Enrollment]


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
