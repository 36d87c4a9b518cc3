"""Reading workshops, their sessions and participants: the session sheet and completion.

Creating workshops and sessions, enrolling and marking attendance are `services.workshops`'s
use cases; the services and the reports (rosters, certificates) read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from jisr_desktop import errors
from jisr_desktop.context import Context
from jisr_desktop.db import persons
from jisr_desktop.db.attendance import marks_of
from jisr_desktop.db.enrollments import WORKSHOP, Enrollment, listing
from jisr_desktop.db.rows import query
from jisr_desktop.domain import workshops as rules
from jisr_desktop.domain.waitlist import EnrollmentStatus


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


def _workshop(r: dict[str, Any]) -> Workshop:
    return Workshop(id=r["id"], category_code=r["category_code"], title=r["title"], trainer=r["trainer"],
                    capacity=r["capacity"], completion_threshold=r["completion_threshold"],
                    start_date=date.fromisoformat(r["start_date"]) if r["start_date"] else None,
                    end_date=date.fromisoformat(r["end_date"]) if r["end_date"] else None, notes=r["notes"])


def _session(r: dict[str, Any]) -> Session:
    return Session(id=r["id"], workshop_id=r["workshop_id"], starts_at=datetime.fromisoformat(r["starts_at"]),
                   ends_at=datetime.fromisoformat(r["ends_at"]), topic=r["topic"])


def get_workshop(*, ctx: Context, workshop_id: str) -> Workshop:
    found = query(ctx.db, "SELECT * FROM workshop WHERE id = ? AND deleted = 0", [workshop_id])
    if not found:
        raise errors.NotFound()
    return _workshop(found[0])


def list_workshops(*, ctx: Context) -> list[Workshop]:
    return [_workshop(r) for r in query(ctx.db, "SELECT * FROM workshop WHERE deleted = 0"
                                                " ORDER BY start_date DESC, title")]


def get_session(*, ctx: Context, session_id: str) -> Session:
    found = query(ctx.db, "SELECT * FROM workshop_session WHERE id = ? AND deleted = 0", [session_id])
    if not found:
        raise errors.NotFound()
    return _session(found[0])


def sessions(*, ctx: Context, workshop_id: str) -> list[Session]:
    return [_session(r) for r in query(ctx.db, "SELECT * FROM workshop_session WHERE workshop_id = ?"
                                               " AND deleted = 0 ORDER BY starts_at, id", [workshop_id])]


def participants(*, ctx: Context, workshop_id: str, status: str | None = None) -> list[Enrollment]:
    return listing(ctx, WORKSHOP, workshop_id, status)


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
    marks = {pid: m for (_, pid), m in marks_of(ctx.db, [session_id]).items()}
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
    marks = marks_of(ctx.db, [s.id for s in held])
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


@dataclass(frozen=True)
class AttendanceTally:
    """One participant's marks over the sessions of a workshop held so far (a certificate's counts)."""

    held: int        # sessions held (started before now)
    present: int
    late: int
    excused: int
    absent: int      # absent, or never marked
    hours: float     # hours of the sessions attended (present or late)


def attendance_tally(*, ctx: Context, workshop_id: str, person_id: str) -> AttendanceTally:
    """Present, late, excused and absent of all sessions held: nothing left out of the count."""
    held = [s for s in sessions(ctx=ctx, workshop_id=workshop_id) if s.starts_at <= ctx.now()]
    marks = marks_of(ctx.db, [s.id for s in held])
    counts = {"present": 0, "late": 0, "excused": 0, "absent": 0}
    hours = 0.0
    for s in held:
        status = marks.get((s.id, person_id), {}).get("status") or "absent"
        counts[status if status in counts else "absent"] += 1
        if status in ("present", "late"):
            hours += max((s.ends_at - s.starts_at).total_seconds(), 0) / 3600
    return AttendanceTally(len(held), counts["present"], counts["late"], counts["excused"], counts["absent"], hours)
