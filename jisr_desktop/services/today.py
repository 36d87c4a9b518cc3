"""The "Today" home of the reception desk (issue 13, point 3): one read of the day.

Who is here now in each service (nursery, elderly club, the workshop sessions of today), who
is expected and has not arrived yet, the alerts of present people that nobody has
acknowledged today, the referrals whose follow-up is due (`services/followup.py`), and the
sync state. Read-only: the lines are plain dataclasses, each naming its person (names and
file number) so that the screen can open her.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from jisr_desktop import ledger
from jisr_desktop.context import Context
from jisr_desktop.db import attendance, persons
from jisr_desktop.db.club import club_day
from jisr_desktop.db.enrollments import CLUB, NURSERY, WORKSHOP
from jisr_desktop.db.nursery import nursery_day
from jisr_desktop.db.rows import query
from jisr_desktop.db.workshops import session_sheet
from jisr_desktop.domain.attendance import Alert
from jisr_desktop.domain.roles import Permission
from jisr_desktop.domain.waitlist import EnrollmentStatus
from jisr_desktop.domain.workshops import ATTENDED
from jisr_desktop.services import club, enrollments, followup
from jisr_desktop.services.followup import ReferralRow
from jisr_desktop.sync import client as sync_client

__all__ = ["SERVICES", "AlertLine", "FollowupLine", "PersonLine", "SyncSummary", "TodayView",
           "today"]

SERVICES = (NURSERY, CLUB, WORKSHOP)
"""The services of the day, in the order the home shows them."""


@dataclass(frozen=True)
class PersonLine:
    """One person at one service today: here (`since` her arrival) or expected."""

    person_id: str
    name_ar: str
    name_lat: str
    file_no: str
    service: str                     # NURSERY, CLUB or WORKSHOP
    since: datetime | None = None    # arrival (here) ; None: not arrived
    starts_at: datetime | None = None  # a workshop session's start
    title: str = ""                  # the workshop's title
    session_id: str | None = None
    expired: bool = False            # a club membership past its end date

    def name(self, lang: str) -> str:
        first, second = (self.name_ar, self.name_lat) if lang == "ar" else (self.name_lat, self.name_ar)
        return first or second


@dataclass(frozen=True)
class AlertLine:
    """A present person's alerts (allergy, medical or health note) not acknowledged today."""

    person_id: str
    name_ar: str
    name_lat: str
    file_no: str
    service: str                     # NURSERY or CLUB
    check_in_id: str
    alerts: tuple[Alert, ...]

    def name(self, lang: str) -> str:
        first, second = (self.name_ar, self.name_lat) if lang == "ar" else (self.name_lat, self.name_ar)
        return first or second


@dataclass(frozen=True)
class FollowupLine:
    """A referral whose follow-up is due; `overdue` when its day has passed."""

    referral: ReferralRow
    overdue: bool

    @property
    def person_id(self) -> str:
        return self.referral.person_id


@dataclass(frozen=True)
class SyncSummary:
    """The sync state as the home says it in plain words."""

    enrolled: bool
    last_success_at: datetime | None
    pending: int                     # changes made here that HQ has not acknowledged
    last_error_code: str             # "" when the last sync went well
    last_error: str
    open_conflicts: int


@dataclass(frozen=True)
class TodayView:
    day: date
    here: list[PersonLine] = field(default_factory=list)
    expected: list[PersonLine] = field(default_factory=list)
    alerts: list[AlertLine] = field(default_factory=list)
    followups: list[FollowupLine] = field(default_factory=list)
    sync: SyncSummary | None = None

    def here_in(self, service: str) -> list[PersonLine]:
        return [line for line in self.here if line.service == service]

    def expected_in(self, service: str) -> list[PersonLine]:
        return [line for line in self.expected if line.service == service]


def _sorted(lines: list[PersonLine]) -> list[PersonLine]:
    """By service, then (workshops) the session's start, then name."""
    order = {s: i for i, s in enumerate(SERVICES)}
    return sorted(lines, key=lambda x: (order[x.service], x.starts_at.isoformat() if x.starts_at else "",
                                        (x.name_ar or x.name_lat).casefold(), x.person_id))


def _nursery(ctx: Context, day: date, view: TodayView) -> None:
    for row in nursery_day(ctx=ctx, day=day).rows:
        line = PersonLine(row.child_id, row.child_name_ar, row.child_name_lat,
                          "", NURSERY, since=row.time_in)
        if row.present:
            view.here.append(line)
            if row.needs_ack and row.check_in_id:
                view.alerts.append(AlertLine(
                    row.child_id, row.child_name_ar, row.child_name_lat, line.file_no, NURSERY,
                    row.check_in_id, tuple(a for a in row.alerts if a.needs_ack)))
        elif row.time_in is None:
            view.expected.append(line)


def _club(ctx: Context, day: date, view: TodayView) -> None:
    rows = club_day(ctx=ctx, day=day, include_absent=True)
    active = {e.person_id: e for e in enrollments.listing(ctx, CLUB, status=EnrollmentStatus.ACTIVE)}
    present_ids = [r.check_in_id for r in rows if r.present and r.check_in_id]
    acked = attendance.acknowledged(ctx.db, present_ids)
    for row in rows:
        line = PersonLine(row.person_id, row.name_ar, row.name_lat, "",
                          CLUB, since=row.time_in, expired=row.membership_expired)
        if row.present:
            view.here.append(line)
            to_read = tuple(a for a in club.member_alerts(active.get(row.person_id), day)
                            if a.needs_ack)
            if to_read and row.check_in_id and row.check_in_id not in acked:
                view.alerts.append(AlertLine(row.person_id, row.name_ar, row.name_lat,
                                             line.file_no, CLUB, row.check_in_id, to_read))
        elif row.time_in is None and row.person_id in active:
            view.expected.append(line)


def _workshops(ctx: Context, day: date, view: TodayView) -> None:
    """The sessions of today not over yet: who is marked there, who has no mark."""
    now = ctx.now()
    near = [(day - timedelta(days=1)).isoformat(), (day + timedelta(days=2)).isoformat()]
    for r in query(ctx.db, "SELECT s.id, s.starts_at, s.ends_at FROM workshop_session s"
                           " JOIN workshop w ON w.id = s.workshop_id"
                           " WHERE s.deleted = 0 AND w.deleted = 0"
                           " AND s.starts_at >= ? AND s.starts_at < ? ORDER BY s.starts_at", near):
        starts, ends = datetime.fromisoformat(r["starts_at"]), datetime.fromisoformat(r["ends_at"])
        if starts.astimezone().date() != day or ends <= now:
            continue
        sheet = session_sheet(ctx=ctx, session_id=r["id"])
        for row in sheet.rows:
            line = PersonLine(row.person_id, row.name_ar, row.name_lat,
                              "", WORKSHOP, since=row.marked_at,
                              starts_at=starts, title=sheet.workshop_title, session_id=sheet.session_id)
            if row.status in ATTENDED:
                view.here.append(line)
            elif row.status is None:
                view.expected.append(line)


def _with_file_numbers(ctx: Context, view: TodayView) -> TodayView:
    """The lines with their persons' file numbers (one read for all of them)."""
    ids = sorted({x.person_id for x in view.here + view.expected}
                 | {a.person_id for a in view.alerts})
    people = persons.get_many(ctx.db, ids)

    def file_no(pid: str) -> str:
        found = people.get(pid)
        return found.file_no if found is not None else ""

    return TodayView(
        view.day,
        _sorted([replace(x, file_no=file_no(x.person_id)) for x in view.here]),
        _sorted([replace(x, file_no=file_no(x.person_id)) for x in view.expected]),
        [replace(x, file_no=file_no(x.person_id)) for x in view.alerts],
        view.followups, view.sync)


def _sync(ctx: Context) -> SyncSummary:
    st = sync_client.state(ctx.db)
    return SyncSummary(
        enrolled=st.enrolled,
        last_success_at=datetime.fromisoformat(st.last_success_at) if st.last_success_at else None,
        pending=ledger.pending_count(ctx.db), last_error_code=st.last_error_code or "",
        last_error=st.last_error or "", open_conflicts=len(sync_client.open_conflicts(ctx.db)))


def today(*, ctx: Context, day: date | None = None) -> TodayView:
    """Everything the home shows for `day` (today by default)."""
    ctx.require(Permission.CHECK_IN)
    day = day or ctx.today()
    view = TodayView(day=day, sync=_sync(ctx))
    _nursery(ctx, day, view)
    _club(ctx, day, view)
    _workshops(ctx, day, view)
    if ctx.user.can(Permission.LOG_VISIT):
        view.followups.extend(FollowupLine(r, r.due_on < day)
                              for r in followup.followups_due(ctx=ctx, day=day))
    return _with_file_numbers(ctx, view)
