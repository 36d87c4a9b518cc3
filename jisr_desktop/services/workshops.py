"""Workshops and training: categories (HQ reference data), workshops and their sessions,
enrollment with waitlist, session attendance. Reading workshops, sessions, the session sheet
and completion lives in `db.workshops` (below the services and the reports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import meta, persons
from jisr_desktop.db.connection import transaction
from jisr_desktop.db.rows import query
from jisr_desktop.db.workshops import (  # noqa: F401 (the reads, re-exported for the callers)
    ParticipantCompletion,
    Session,
    SessionSheet,
    SessionSheetRow,
    Workshop,
    completion_report,
    get_session,
    get_workshop,
    list_workshops,
    participants,
    session_sheet,
    sessions,
)
from jisr_desktop.domain import workshops as rules
from jisr_desktop.domain.attendance import Alert, Arrival
from jisr_desktop.domain.messages import errors_of
from jisr_desktop.domain.roles import Permission
from jisr_desktop.domain.waitlist import EnrollmentStatus
from jisr_desktop.i18n import N_
from jisr_desktop.services import attendance, enrollments
from jisr_desktop.services.enrollments import WORKSHOP, EndResult, Enrollment


@dataclass(frozen=True)
class Category:
    code: str
    parent_code: str | None
    name_ar: str
    name_fr: str
    name_en: str

    def name(self, lang: str = "ar") -> str:
        return {"ar": self.name_ar, "fr": self.name_fr}.get(lang, self.name_en)


def categories(*, ctx: Context) -> list[Category]:
    return [Category(r["code"], r["parent_code"], r["name_ar"], r["name_fr"], r["name_en"])
            for r in query(ctx.db, "SELECT * FROM workshop_category WHERE active = 1 ORDER BY sort, code")]


def save_workshop(*, ctx: Context, data: dict[str, Any], workshop_id: str | None = None) -> Workshop:
    """Create a workshop (or change one): category, title, trainer, capacity (None: no
    limit), the attendance share needed to complete it, dates."""
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    if workshop_id is None:  # a new workshop needs its category and title
        data = {"category_code": None, "title": "", **data}
    values, msgs = rules.clean_workshop(data, {c.code for c in categories(ctx=ctx)})
    if errors_of(msgs):
        raise errors.ValidationFailed(msgs)
    with transaction(ctx.db):
        if workshop_id is None:
            workshop_id = ledger.new_id()
            values = {"center_id": meta.get(ctx.db, "center_id"),
                      "completion_threshold": rules.DEFAULT_THRESHOLD, **values}
        else:
            get_workshop(ctx=ctx, workshop_id=workshop_id)
        ledger.write_record(ctx, "workshop", workshop_id, values, action="save_workshop")
        workshop = get_workshop(ctx=ctx, workshop_id=workshop_id)
        if "capacity" in values:  # a raised capacity lets people waiting in
            enrollments.promote(ctx, service=WORKSHOP, workshop_id=workshop_id,
                                capacity=workshop.capacity, on=ctx.today())
    return workshop


def add_session(*, ctx: Context, workshop_id: str, starts_at: datetime, ends_at: datetime,
                topic: str = "") -> Session:
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    if msgs := rules.check_session(starts_at, ends_at):
        raise errors.ValidationFailed(msgs)
    session_id = ledger.new_id()
    with transaction(ctx.db):
        get_workshop(ctx=ctx, workshop_id=workshop_id)
        ledger.write_record(ctx, "workshop_session", session_id, {
            "workshop_id": workshop_id, "starts_at": starts_at, "ends_at": ends_at,
            "topic": topic.strip()}, action="add_session")
    return get_session(ctx=ctx, session_id=session_id)


# --- Enrollment ---------------------------------------------------------------------------

def enroll_participant(*, ctx: Context, workshop_id: str, person_id: str) -> Enrollment:
    """Enroll, or waitlist when the workshop is full."""
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    person = persons.get(ctx.db, person_id)
    if person is None or person.deleted or person.merged_into:
        raise errors.NotFound()
    with transaction(ctx.db):
        workshop = get_workshop(ctx=ctx, workshop_id=workshop_id)
        return enrollments.enroll(ctx, service=WORKSHOP, person_id=person_id, workshop_id=workshop_id,
                                  capacity=workshop.capacity, values={"start_date": ctx.today()})


def withdraw_participant(*, ctx: Context, enrollment_id: str, reason: str = "") -> EndResult:
    """A participant leaves (or leaves the waitlist); the first one waiting moves up."""
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    with transaction(ctx.db):
        enrollment = enrollments.get(ctx, enrollment_id)
        workshop = get_workshop(ctx=ctx, workshop_id=enrollment.workshop_id or "")
        return enrollments.end(ctx, enrollment, on=ctx.today(), reason=reason, capacity=workshop.capacity)


# --- Attendance ---------------------------------------------------------------------------

def mark_attendance(*, ctx: Context, session_id: str, person_id: str, status: str,
                    reason: str = "") -> dict[str, Any]:
    """Mark one participant (present, absent, late, excused with a reason). Changing a mark
    appends an amendment; the mark returned is the one now in force."""
    ctx.require(Permission.CHECK_IN)
    if msgs := rules.check_mark(status, reason):
        raise errors.ValidationFailed(msgs)
    session = get_session(ctx=ctx, session_id=session_id)
    with transaction(ctx.db):
        return attendance.record_mark(ctx, context="workshop", session_id=session_id, person_id=person_id,
                                      status=status, reason=reason, day=session.starts_at.astimezone().date()).event


def check_in_participant(*, ctx: Context, person_id: str, card_code: str = "") -> Arrival:
    """Check a participant into the session of one of their workshops running now (present,
    or late after the grace time). Nothing is recorded when no session is open."""
    ctx.require(Permission.CHECK_IN)
    person = persons.get(ctx.db, person_id)
    if person is None:
        raise errors.NotFound()
    arrival = Arrival(person_id=person_id, name_ar=person.display_name_ar, name_lat=person.display_name_lat,
                      service=WORKSHOP, checked_in=False)
    active = [e for e in enrollments.listing_for_person(ctx, WORKSHOP, person_id)
              if e.status == EnrollmentStatus.ACTIVE]
    if not active:
        arrival.alerts.append(Alert("not_enrolled", N_("Not enrolled in a workshop."), blocks=True))
        return arrival
    now = ctx.now()
    candidates = [rules.SessionTime(s.id, s.workshop_id, s.starts_at, s.ends_at)
                  for e in active for s in sessions(ctx=ctx, workshop_id=e.workshop_id or "")]
    session = rules.session_open_at(candidates, now)
    if session is None:
        arrival.alerts.append(Alert("no_session", N_("None of this person's workshops has a session now."),
                                    blocks=True))
        return arrival
    workshop = get_workshop(ctx=ctx, workshop_id=session.workshop_id)
    arrival.title = workshop.title
    with transaction(ctx.db):
        existing = attendance.marks_of(ctx.db, [session.id]).get((session.id, person_id))
        if existing is not None and existing["status"] in rules.ATTENDED:
            recorded = attendance.Recorded(existing, False)
        else:
            recorded = attendance.record_mark(
                ctx, context="workshop", session_id=session.id, person_id=person_id,
                status=rules.arrival_mark(session.starts_at, now), reason="", day=ctx.today())
    arrival.checked_in, arrival.already = True, not recorded.created
    arrival.event_id = recorded.event["id"]
    if recorded.event["status"] == rules.Mark.LATE:
        arrival.alerts.append(Alert("late", N_("Arrived late.")))
    return arrival
