"""Reading the elderly day club: the day's list of members (also the day roster).

Memberships, check-ins and activities are `services.club`'s use cases; the services and the
reports read here. The list is derived from the attendance events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from jisr_desktop.context import Context
from jisr_desktop.db import attendance, persons
from jisr_desktop.db.enrollments import CLUB, listing
from jisr_desktop.domain import club as rules
from jisr_desktop.domain.attendance import DayStatus, day_status
from jisr_desktop.domain.waitlist import EnrollmentStatus


@dataclass
class ClubDayRow:
    """One member on the club's day list and day roster."""

    person_id: str
    name_ar: str
    name_lat: str
    sex: str | None
    age: int | None
    time_in: datetime | None
    time_out: datetime | None
    membership_end: date | None
    membership_expired: bool
    emergency_name: str
    emergency_phone: str | None
    check_in_id: str | None = None
    enrollment_id: str | None = None
    file_no: str = ""
    earlier: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    """The day's earlier stays (in, out) when the member left and came back."""

    @property
    def present(self) -> bool:
        return self.time_in is not None and self.time_out is None

    @property
    def status(self) -> DayStatus:
        return day_status(self.time_in, self.time_out)


def club_day(*, ctx: Context, day: date | None = None, include_absent: bool = False) -> list[ClubDayRow]:
    """Members who came on `day` (and, with `include_absent`, the other active members)."""
    day = day or ctx.today()
    visits = attendance.visits(ctx.db, CLUB, day)
    active = {e.person_id: e for e in listing(ctx, CLUB, status=EnrollmentStatus.ACTIVE)}
    ids = sorted(set(visits) | (set(active) if include_absent else set()))
    people = persons.get_many(ctx.db, ids)
    out = []
    for pid in ids:
        p = people.get(pid)
        if p is None:
            continue
        e, v = active.get(pid), visits.get(pid)
        out.append(ClubDayRow(
            person_id=pid, name_ar=p.display_name_ar, name_lat=p.display_name_lat, sex=p.sex,
            age=p.age_on(day), time_in=datetime.fromisoformat(v.check_in["at"]) if v else None,
            time_out=datetime.fromisoformat(v.check_out["at"]) if v and v.check_out else None,
            membership_end=e.end_date if e else None,
            membership_expired=bool(e and rules.membership_expired(e.end_date, day)),
            emergency_name=e.emergency_name if e else "", emergency_phone=e.emergency_phone if e else None,
            check_in_id=v.check_in["id"] if v else None, enrollment_id=e.id if e else None,
            file_no=p.file_no,
            earlier=[(datetime.fromisoformat(st.check_in["at"]),
                      datetime.fromisoformat(st.check_out["at"]) if st.check_out else None)
                     for st in (v.earlier if v else ())]))
    out.sort(key=lambda r: (r.name_ar or r.name_lat, r.person_id))
    return out
