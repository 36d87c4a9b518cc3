"""Elderly day club use cases: memberships, daily attendance, activities. The day's list is
read in `db.club` (below the services and the reports).

An expired membership does not block a check-in (the member is at the door and is welcome),
it is flagged so that reception renews it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import meta, persons
from jisr_desktop.db.club import ClubDayRow, club_day  # noqa: F401 (the day's list, re-exported)
from jisr_desktop.db.connection import transaction
from jisr_desktop.db.rows import query
from jisr_desktop.domain import club as rules
from jisr_desktop.domain.attendance import Alert, Arrival
from jisr_desktop.domain.messages import FieldMessage, errors_of
from jisr_desktop.domain.person import Person
from jisr_desktop.domain.roles import Permission
from jisr_desktop.domain.workshops import Mark
from jisr_desktop.i18n import N_
from jisr_desktop.services import attendance, enrollments
from jisr_desktop.services.enrollments import CLUB, EndResult, Enrollment
from jisr_desktop.services.text import refuse_control


class NotPresent(errors.JisrError):
    msgid = N_("This member has not been checked in today.")


def _person(ctx: Context, person_id: str) -> Person:
    found = persons.get(ctx.db, person_id)
    if found is None or found.deleted or found.merged_into:
        raise errors.NotFound()
    return found


def enroll_member(*, ctx: Context, person_id: str, start_date: date | None = None,
                  end_date: date | None = None, emergency_name: str = "",
                  emergency_phone: str | None = None, emergency_relationship: str = "",
                  health_notes: str = "", capacity: int | None = None) -> Enrollment:
    """A club membership from `start_date` (today by default) to `end_date` (open if None);
    beyond `capacity` (None: no limit) the person waits."""
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    _person(ctx, person_id)
    values, msgs = rules.clean_membership({
        "start_date": start_date or ctx.today(), "end_date": end_date, "emergency_name": emergency_name,
        "emergency_phone": emergency_phone, "emergency_relationship": emergency_relationship,
        "health_notes": health_notes})
    if errors_of(msgs):
        raise errors.ValidationFailed(msgs)
    with transaction(ctx.db):
        enrollment = enrollments.enroll(ctx, service=CLUB, person_id=person_id, workshop_id=None,
                                        capacity=capacity, values=values)
    enrollment.messages = msgs
    return enrollment


def renew_membership(*, ctx: Context, enrollment_id: str, end_date: date | None) -> Enrollment:
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    with transaction(ctx.db):
        current = enrollments.get(ctx, enrollment_id)
        if end_date is not None and current.start_date and end_date < current.start_date:
            raise errors.ValidationFailed([FieldMessage("end_date", "error",
                                                        N_("The end date is before the start date."))])
        ledger.write_record(ctx, "enrollment", enrollment_id, {"end_date": end_date}, action="renew_club")
    return enrollments.get(ctx, enrollment_id)


def end_membership(*, ctx: Context, enrollment_id: str, on: date | None = None, reason: str = "",
                   capacity: int | None = None) -> EndResult:
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    with transaction(ctx.db):
        return enrollments.end(ctx, enrollments.get(ctx, enrollment_id), on=on or ctx.today(),
                               reason=reason, capacity=capacity)


def promote_waitlist(*, ctx: Context, capacity: int | None = None) -> list[Enrollment]:
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    with transaction(ctx.db):
        return enrollments.promote(ctx, service=CLUB, workshop_id=None, capacity=capacity, on=ctx.today())


def members(*, ctx: Context, status: str | None = None) -> list[Enrollment]:
    return enrollments.listing(ctx, CLUB, status=status)


def member_alerts(enrollment: Enrollment | None, day: date) -> list[Alert]:
    if enrollment is None:
        return [Alert("not_enrolled", N_("Not a member of the elderly club."), blocks=True)]
    if enrollment.waitlisted:
        return [Alert("waitlisted", N_("On the club waitlist, not a member yet."), blocks=True)]
    alerts = []
    if rules.membership_expired(enrollment.end_date, day):
        alerts.append(Alert("membership_expired", N_("Membership expired on {date}: renew it."),
                            {"date": enrollment.end_date.isoformat() if enrollment.end_date else ""}))
    if enrollment.health_notes:
        alerts.append(Alert("health", N_("Health note: {text}"), {"text": enrollment.health_notes},
                            needs_ack=True))
    return alerts


def check_in_member(*, ctx: Context, person_id: str, card_code: str = "") -> Arrival:
    """Record a member's arrival today (idempotent the same day); expiry is flagged."""
    ctx.require(Permission.CHECK_IN)
    member = _person(ctx, person_id)
    from jisr_desktop.services.consent import check_in_refusal  # issue 17: consent
    if (refused := check_in_refusal(ctx, member, CLUB)) is not None:
        return refused  # withdrawn or expired: not checked in, the alert says why
    day = ctx.today()
    with transaction(ctx.db):
        enrollment = enrollments.current_for(ctx, CLUB, person_id)
        arrival = Arrival(person_id=person_id, name_ar=member.display_name_ar,
                          name_lat=member.display_name_lat, service=CLUB, checked_in=False,
                          alerts=member_alerts(enrollment, day))
        if enrollment is None or not enrollment.active:
            return arrival
        recorded = attendance.record_check_in(ctx, service=CLUB, person_id=person_id,
                                              enrollment_id=enrollment.id, day=day, card_code=card_code)
        arrival.checked_in, arrival.already = True, not recorded.created
        arrival.event_id = recorded.event["id"]
        if attendance.acknowledged(ctx.db, [recorded.event["id"]]):
            arrival.alerts = [a for a in arrival.alerts if not a.needs_ack]
    return arrival


def acknowledge_alerts(*, ctx: Context, check_in_id: str) -> bool:
    ctx.require(Permission.CHECK_IN)
    with transaction(ctx.db):
        found = attendance.effective_events(ctx.db, "check_in", "id = ?", [check_in_id])
        if not found:
            raise errors.NotFound()
        enrollment = enrollments.current_for(ctx, CLUB, found[0]["person_id"])
        texts = [a.text("en") for a in member_alerts(enrollment, ctx.today()) if a.needs_ack]
        return attendance.record_ack(ctx, check_in=found[0], alerts=texts)


def check_out_member(*, ctx: Context, person_id: str) -> dict[str, Any]:
    ctx.require(Permission.CHECK_IN)
    check_in = attendance.live_check_in(ctx.db, CLUB, person_id, ctx.today())
    if check_in is None:
        raise NotPresent()
    with transaction(ctx.db):
        return attendance.record_check_out(ctx, check_in=check_in, fields={}).event


# --- Activities ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Activity:
    id: str
    kind: str
    title: str
    day: date
    place: str
    partner: str
    participant_ids: list[str] = field(default_factory=list)


def create_activity(*, ctx: Context, kind: str, title: str, day: date, place: str = "",
                    partner: str = "") -> Activity:
    """A medical awareness session, an on-site medical campaign, an outing …"""
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    msgs = []
    if kind not in set(rules.ActivityKind):
        msgs.append(FieldMessage("kind", "error", N_("Choose the kind of activity.")))
    refuse_control({"title": title, "place": place, "partner": partner},
                   {"title": N_("Title"), "place": N_("Location"), "partner": N_("Partner")})
    if not title.strip():
        msgs.append(FieldMessage("title", "error", N_("Enter the title.")))
    if msgs:
        raise errors.ValidationFailed(msgs)
    activity_id = ledger.new_id()
    with transaction(ctx.db):
        ledger.write_record(ctx, "club_activity", activity_id, {
            "center_id": meta.get(ctx.db, "center_id"), "kind": kind, "title": title.strip(),
            "day": day, "place": place.strip(), "partner": partner.strip()}, action="create_club_activity")
    return get_activity(ctx=ctx, activity_id=activity_id)


def add_activity_participant(*, ctx: Context, activity_id: str, person_id: str) -> bool:
    """A member took part (an attendance event; idempotent)."""
    ctx.require(Permission.CHECK_IN)
    activity = get_activity(ctx=ctx, activity_id=activity_id)
    _person(ctx, person_id)
    with transaction(ctx.db):
        return attendance.record_mark(ctx, context="club_activity", session_id=activity_id,
                                      person_id=person_id, status=Mark.PRESENT, reason="",
                                      day=activity.day).created


def get_activity(*, ctx: Context, activity_id: str) -> Activity:
    found = query(ctx.db, "SELECT * FROM club_activity WHERE id = ? AND deleted = 0", [activity_id])
    if not found:
        raise errors.NotFound()
    r = found[0]
    marks = attendance.marks_of(ctx.db, [activity_id])
    return Activity(id=r["id"], kind=r["kind"], title=r["title"], day=date.fromisoformat(r["day"]),
                    place=r["place"], partner=r["partner"],
                    participant_ids=sorted(pid for (_, pid), m in marks.items() if m["status"] == Mark.PRESENT))


def activities_between(*, ctx: Context, first: date, last: date) -> list[Activity]:
    """The club's activities from `first` to `last` (inclusive), most recent first."""
    ids = [r["id"] for r in query(ctx.db, "SELECT id FROM club_activity WHERE day BETWEEN ? AND ? AND deleted = 0"
                                          " ORDER BY day DESC, id", [first.isoformat(), last.isoformat()])]
    return [get_activity(ctx=ctx, activity_id=i) for i in ids]
