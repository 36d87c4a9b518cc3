"""Reading the social nursery: the children enrolled, who may pick them up, the alerts staff
must see, and the day's board (also the day roster).

Enrolling, checking in and out and authorising pick-ups are `services.nursery`'s use cases;
the services and the reports read here. The board is derived from the attendance events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from jisr_desktop.context import Context
from jisr_desktop.db import attendance, persons
from jisr_desktop.db.enrollments import NURSERY, Enrollment, listing
from jisr_desktop.db.rows import query
from jisr_desktop.domain import nursery as rules
from jisr_desktop.domain.attendance import Alert, DayStatus, day_status
from jisr_desktop.domain.person import Person
from jisr_desktop.domain.waitlist import EnrollmentStatus
from jisr_desktop.i18n import N_


def enrolled_children(*, ctx: Context) -> list[Enrollment]:
    return listing(ctx, NURSERY, status=EnrollmentStatus.ACTIVE)


def pickup_authorisations(ctx: Context, enrollment_id: str) -> list[rules.PickupAuthorisation]:
    """Who may pick up the child of a nursery enrollment, guardians first."""
    found = query(ctx.db, "SELECT a.*, p.given_name_ar, p.family_name_ar, p.given_name_lat,"
                         " p.family_name_lat, p.cin AS person_cin, p.phone AS person_phone"
                         " FROM pickup_authorisation a LEFT JOIN person p ON p.id = a.person_id"
                         " WHERE a.enrollment_id = ? AND a.deleted = 0 ORDER BY a.is_guardian DESC, a.created_at",
                 [enrollment_id])
    out = []
    for r in found:
        name = r["name"] or " ".join(x for x in (r["given_name_ar"], r["family_name_ar"]) if x) \
            or " ".join(x for x in (r["given_name_lat"], r["family_name_lat"]) if x)
        out.append(rules.PickupAuthorisation(
            id=r["id"], person_id=r["person_id"], name=name, cin=r["cin"] or r["person_cin"],
            phone=r["phone"] or r["person_phone"], relationship=r["relationship"],
            is_guardian=bool(r["is_guardian"])))
    return out


def child_alerts(enrollment: Enrollment | None, child: Person, day: date) -> list[Alert]:
    """What staff must see when the child arrives; allergies and medical notes need an
    acknowledgement."""
    if enrollment is None:
        return [Alert("not_enrolled", N_("Not enrolled in the nursery."), blocks=True)]
    if enrollment.waitlisted:
        return [Alert("waitlisted", N_("On the nursery waitlist, not enrolled yet."), blocks=True)]
    alerts = []
    if enrollment.allergies:
        alerts.append(Alert("allergy", N_("Allergy: {text}"), {"text": enrollment.allergies}, needs_ack=True))
    if enrollment.medical_notes:
        alerts.append(Alert("medical", N_("Medical note: {text}"), {"text": enrollment.medical_notes},
                            needs_ack=True))
    if child.birth_date and not rules.is_of_nursery_age(child.birth_date, day):
        alerts.append(Alert("aged_out", N_("This child is 3 years old: the nursery place should end.")))
    elif child.birth_date and rules.turns_three_soon(child.birth_date, day):
        alerts.append(Alert("turns_three", N_("Turns 3 on {date}."),
                            {"date": rules.third_birthday(child.birth_date).isoformat()}))
    return alerts


@dataclass
class NurseryDayRow:
    """One child on the nursery's day board and day roster."""

    child_id: str
    child_name_ar: str
    child_name_lat: str
    guardian_name: str
    guardian_phone: str | None
    time_in: datetime | None
    time_out: datetime | None
    dropped_off_by: str
    picked_up_by: str
    override_reason: str = ""
    check_in_id: str | None = None
    check_out_id: str | None = None
    alerts: list[Alert] = field(default_factory=list)
    alerts_acknowledged: bool = False
    file_no: str = ""
    earlier: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    """The day's earlier stays (in, out) when the child left and came back; time_in and
    time_out are those of the latest stay."""

    @property
    def present(self) -> bool:
        return self.time_in is not None and self.time_out is None

    @property
    def status(self) -> DayStatus:
        return day_status(self.time_in, self.time_out)

    @property
    def needs_ack(self) -> bool:
        return self.time_in is not None and not self.alerts_acknowledged and any(a.needs_ack for a in self.alerts)


@dataclass
class NurseryBoard:
    day: date
    rows: list[NurseryDayRow]

    @property
    def present(self) -> list[NurseryDayRow]:
        return [r for r in self.rows if r.present]

    @property
    def arrived_count(self) -> int:
        return sum(1 for r in self.rows if r.time_in is not None)


def nursery_day(*, ctx: Context, day: date | None = None) -> NurseryBoard:
    """Every enrolled child and every child checked in on `day`, by name: time in, time
    out, who dropped off and picked up, alerts. The state is derived from the events."""
    day = day or ctx.today()
    visits = attendance.visits(ctx.db, NURSERY, day)
    active = {e.person_id: e for e in listing(ctx, NURSERY, status=EnrollmentStatus.ACTIVE)}
    ids = sorted(set(active) | set(visits))
    people = persons.get_many(ctx.db, ids)
    guardians = _guardians(ctx, [e.id for e in active.values()])
    out = []
    for pid in ids:
        child = people.get(pid)
        if child is None:
            continue
        enrollment = active.get(pid)
        visit = visits.get(pid)
        g_name, g_phone = guardians.get(enrollment.id, ("", None)) if enrollment else ("", None)
        row = NurseryDayRow(child_id=pid, child_name_ar=child.display_name_ar,
                            child_name_lat=child.display_name_lat, file_no=child.file_no, guardian_name=g_name,
                            guardian_phone=g_phone, time_in=None, time_out=None, dropped_off_by="",
                            picked_up_by="", alerts=[a for a in child_alerts(enrollment, child, day)
                                                     if not a.blocks])
        if visit is not None:
            row.time_in = datetime.fromisoformat(visit.check_in["at"])
            row.dropped_off_by = visit.check_in["by_name"] or ""
            row.check_in_id = visit.check_in["id"]
            row.alerts_acknowledged = visit.acknowledged
            row.earlier = [(datetime.fromisoformat(st.check_in["at"]),
                            datetime.fromisoformat(st.check_out["at"]) if st.check_out else None)
                           for st in visit.earlier]
            if visit.check_out is not None:
                row.time_out = datetime.fromisoformat(visit.check_out["at"])
                row.picked_up_by = visit.check_out["by_name"] or ""
                row.override_reason = visit.check_out["override_reason"] or ""
                row.check_out_id = visit.check_out["id"]
        out.append(row)
    out.sort(key=lambda r: (r.child_name_ar or r.child_name_lat, r.child_id))
    return NurseryBoard(day=day, rows=out)


def _guardians(ctx: Context, enrollment_ids: list[str]) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for eid in enrollment_ids:
        authorised = pickup_authorisations(ctx, eid)
        auths = [a for a in authorised if a.is_guardian] or authorised
        if auths:
            out[eid] = (auths[0].name, auths[0].phone)
    return out


@dataclass(frozen=True)
class ChildSafety:
    """What a paper roster must carry for one child's safety: age, allergies, whom to call and
    who may take the child home (the nursery roster a coordinator signs, docs/reports/README.md)."""

    child_id: str
    age_months: int | None
    allergies: str
    medical_notes: str
    emergency_name: str
    emergency_relationship: str
    emergency_phone: str | None
    pickups: list[rules.PickupAuthorisation] = field(default_factory=list)


def nursery_safety(*, ctx: Context, day: date, child_ids: list[str]) -> dict[str, ChildSafety]:
    """Safety details of the children of a roster (children without an active enrollment get
    their age only)."""
    active = {e.person_id: e for e in listing(ctx, NURSERY, status=EnrollmentStatus.ACTIVE)}
    people = persons.get_many(ctx.db, child_ids)
    out: dict[str, ChildSafety] = {}
    for pid in child_ids:
        child = people.get(pid)
        e = active.get(pid)
        birth = child.birth_date if child is not None else None
        out[pid] = ChildSafety(
            child_id=pid, age_months=rules.age_in_months(birth, day) if birth else None,
            allergies=e.allergies if e else "", medical_notes=e.medical_notes if e else "",
            emergency_name=e.emergency_name if e else "",
            emergency_relationship=e.emergency_relationship if e else "",
            emergency_phone=e.emergency_phone if e else None,
            pickups=pickup_authorisations(ctx, e.id) if e else [])
    return out
