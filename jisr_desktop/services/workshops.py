"""Workshops and training: categories (HQ reference data), workshops and their sessions,
enrollment with waitlist, session attendance, completion, and the session sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import meta, persons
from jisr_desktop.db.connection import transaction
from jisr_desktop.domain import workshops as rules
from jisr_desktop.domain.attendance import Alert, Arrival
from jisr_desktop.domain.messages import errors_of
from jisr_desktop.domain.roles import Permission
from jisr_desktop.domain.waitlist import EnrollmentStatus
from jisr_desktop.i18n import N_
from jisr_desktop.services import attendance, enrollments
from jisr_desktop.services.attendance import rows
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


@dataclass(frozen=True)
class Workshop:
    id: str
    category_code: str
    title: str
    trainer: str
    capacity: int | None
    completion_threshold: float
    start_date: date | None
    end_date: date | None
    notes: str


@dataclass(frozen=True)
class Session:
    id: str
    workshop_id: str
    starts_at: datetime
    ends_at: datetime
    topic: str


def categories(*, ctx: Context) -> list[Category]:
    return [Category(r["code"], r["parent_code"], r["name_ar"], r["name_fr"], r["name_en"])
            for r in rows(ctx.db, "SELECT * FROM workshop_category WHERE active = 1 ORDER BY sort, code")]


def _workshop(r: dict[str, Any]) -> Workshop:
    return Workshop(id=r["id"], category_code=r["category_code"], title=r["title"], trainer=r["trainer"],
                    capacity=r["capacity"], completion_threshold=r["completion_threshold"],
                    start_date=date.fromisoformat(r["start_date"]) if r["start_date"] else None,
                    end_date=date.fromisoformat(r["end_date"]) if r["end_date"] else None, notes=r["notes"])


def _session(r: dict[str, Any]) -> Session:
    return Session(id=r["id"], workshop_id=r["workshop_id"], starts_at=datetime.fromisoformat(r["starts_at"]),
                   ends_at=datetime.fromisoformat(r["ends_at"]), topic=r["topic"])


def get_workshop(*, ctx: Context, workshop_id: str) -> Workshop:
    found = rows(ctx.db, "SELECT * FROM workshop WHERE id = ? AND deleted = 0", [workshop_id])
    if not found:
        raise errors.NotFound()
    return _workshop(found[0])


def list_workshops(*, ctx: Context) -> list[Workshop]:
    return [_workshop(r) for r in rows(ctx.db, "SELECT * FROM workshop WHERE deleted = 0"
                                                " ORDER BY start_date DESC, title")]


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


def cancel_session(*, ctx: Context, session_id: str) -> None:
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    with transaction(ctx.db):
        ledger.tombstone(ctx, "workshop_session", session_id, action="cancel_session")


def get_session(*, ctx: Context, session_id: str) -> Session:
    found = rows(ctx.db, "SELECT * FROM workshop_session WHERE id = ? AND deleted = 0", [session_id])
    if not found:
        raise errors.NotFound()
    return _session(found[0])


def sessions(*, ctx: Context, workshop_id: str) -> list[Session]:
    return [_session(r) for r in rows(ctx.db, "SELECT * FROM workshop_session WHERE workshop_id = ?"
                                               " AND deleted = 0 ORDER BY starts_at, id", [workshop_id])]


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


def participants(*, ctx: Context, workshop_id: str, status: str | None = None) -> list[Enrollment]:
    return enrollments.listing(ctx, WORKSHOP, workshop_id, status)


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


@dataclass
class SessionSheetRow:
    person_id: str
    name_ar: str
    name_lat: str
    sex: str | None
    status: str | None       # None: not marked yet
    reason: str
    marked_at: datetime | None


@dataclass
class SessionSheet:
    """One session's attendance sheet (for the screen and the printed roster)."""

    workshop_id: str
    workshop_title: str
    category_code: str
    trainer: str
    session_id: str
    starts_at: datetime
    ends_at: datetime
    topic: str
    rows: list[SessionSheetRow]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def session_sheet(*, ctx: Context, session_id: str) -> SessionSheet:
    """Active participants of the workshop (and anyone marked) with their mark."""
    session = get_session(ctx=ctx, session_id=session_id)
    workshop = get_workshop(ctx=ctx, workshop_id=session.workshop_id)
    marks = {pid: m for (_, pid), m in attendance.marks_of(ctx.db, [session_id]).items()}
    ids = sorted({e.person_id for e in participants(ctx=ctx, workshop_id=workshop.id,
                                                    status=EnrollmentStatus.ACTIVE)} | set(marks))
    people = persons.get_many(ctx.db, ids)
    out = []
    for pid in ids:
        p, m = people.get(pid), marks.get(pid)
        if p is None:
            continue
        out.append(SessionSheetRow(pid, p.display_name_ar, p.display_name_lat, p.sex,
                                   m["status"] if m else None, m["reason"] if m else "",
                                   datetime.fromisoformat(m["at"]) if m else None))
    out.sort(key=lambda r: (r.name_ar or r.name_lat, r.person_id))
    return SessionSheet(workshop.id, workshop.title, workshop.category_code, workshop.trainer, session.id,
                        session.starts_at, session.ends_at, session.topic, out)


@dataclass(frozen=True)
class ParticipantCompletion:
    person_id: str
    name_ar: str
    name_lat: str
    attended: int
    counted: int
    rate: float
    status: str


def completion_report(*, ctx: Context, workshop_id: str) -> list[ParticipantCompletion]:
    """Completion per participant: sessions held so far (started before now) count."""
    workshop = get_workshop(ctx=ctx, workshop_id=workshop_id)
    all_sessions = sessions(ctx=ctx, workshop_id=workshop_id)
    held = [s for s in all_sessions if s.starts_at <= ctx.now()]
    marks = attendance.marks_of(ctx.db, [s.id for s in held])
    enrolled = [e for e in participants(ctx=ctx, workshop_id=workshop_id) if e.status != EnrollmentStatus.WAITLISTED]
    people = persons.get_many(ctx.db, [e.person_id for e in enrolled])
    out = []
    for e in enrolled:
        p = people.get(e.person_id)
        if p is None:
            continue
        result = rules.completion([marks.get((s.id, e.person_id), {}).get("status") for s in held],
                                  sessions_total=len(all_sessions), threshold=workshop.completion_threshold)
        out.append(ParticipantCompletion(e.person_id, p.display_name_ar, p.display_name_lat,
                                         result.attended, result.counted, result.rate, str(result.status)))
    return out
