"""Social nursery use cases: enroll a child, authorise pick-ups, the daily check-in and
check-out with alert acknowledgement and pick-up control, and the day's board.

Capacity comes from the `nursery_capacity` setting, which lives in the data root's settings
file: callers pass it (`capacity=`); None falls back to the setting's default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import persons
from jisr_desktop.db.connection import transaction
from jisr_desktop.domain import normalize
from jisr_desktop.domain import nursery as rules
from jisr_desktop.domain.attendance import Alert, Arrival, check_reason
from jisr_desktop.domain.messages import FieldMessage, errors_of
from jisr_desktop.domain.person import Person
from jisr_desktop.domain.roles import Permission
from jisr_desktop.domain.waitlist import EnrollmentStatus, WaitlistEntry
from jisr_desktop.i18n import N_
from jisr_desktop.services import attendance, enrollments
from jisr_desktop.services.attendance import rows
from jisr_desktop.services.enrollments import NURSERY, EndResult, Enrollment
from jisr_desktop.settings import BY_NAME


class PickupRefused(errors.JisrError):
    msgid = N_("This person is not authorised to pick up the child. A coordinator can override with a written reason.")


class NotCheckedIn(errors.JisrError):
    msgid = N_("This child has not been checked in today.")


def _capacity(capacity: int | None) -> int:
    return int(BY_NAME["nursery_capacity"].default) if capacity is None else capacity


def _child(ctx: Context, child_id: str) -> Person:
    child = persons.get(ctx.db, child_id)
    if child is None or child.deleted or child.merged_into:
        raise errors.NotFound()
    return child


def _eligible_on(ctx: Context, day: date) -> Any:
    def eligible(entry: WaitlistEntry) -> bool:
        child = persons.get(ctx.db, entry.person_id)
        return child is not None and rules.is_of_nursery_age(child.birth_date, day)
    return eligible


# --- Enrollment ----------------------------------------------------------------------------

def enroll_child(*, ctx: Context, child_id: str, start_date: date | None = None,
                 allergies: str = "", medical_notes: str = "", notes: str = "",
                 guardian_ids: list[str] | None = None, pickups: list[dict[str, Any]] | None = None,
                 capacity: int | None = None) -> Enrollment:
    """Enroll a child under 3 (on the start date); beyond capacity the child is waitlisted.
    Guardians (registered persons) are authorised to pick up; `pickups` adds others.
    Warnings (third birthday soon) come back in `Enrollment.messages`."""
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    child = _child(ctx, child_id)
    day = start_date or ctx.today()
    values = {"allergies": allergies.strip(), "medical_notes": medical_notes.strip(), "notes": notes.strip()}
    messages = rules.check_age(child.birth_date, day) + rules.check_notes(values)
    cleaned = [rules.clean_authorisation({"person_id": g, "is_guardian": True}) for g in guardian_ids or []]
    cleaned += [rules.clean_authorisation(p) for p in pickups or []]
    for _, msgs in cleaned:
        messages += msgs
    if errors_of(messages):
        raise errors.ValidationFailed(messages)
    with transaction(ctx.db):
        enrollment = enrollments.enroll(ctx, service=NURSERY, person_id=child_id, workshop_id=None,
                                        capacity=_capacity(capacity), values={"start_date": day, **values})
        for values_, _ in cleaned:
            _write_pickup(ctx, enrollment.id, values_)
    enrollment.messages = messages
    return enrollment


def update_child_notes(*, ctx: Context, enrollment_id: str, allergies: str | None = None,
                       medical_notes: str | None = None, notes: str | None = None) -> Enrollment:
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    patch = {k: v.strip() for k, v in (("allergies", allergies), ("medical_notes", medical_notes),
                                        ("notes", notes)) if v is not None}
    if msgs := rules.check_notes(patch):
        raise errors.ValidationFailed(msgs)
    with transaction(ctx.db):
        enrollments.get(ctx, enrollment_id)
        ledger.write_record(ctx, "enrollment", enrollment_id, patch, action="update_nursery_notes")
    return enrollments.get(ctx, enrollment_id)


def end_enrollment(*, ctx: Context, enrollment_id: str, on: date | None = None, reason: str = "",
                   capacity: int | None = None) -> EndResult:
    """End a child's place (or take the child off the waitlist); the first child waiting who
    is still under 3 takes the freed place."""
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    day = on or ctx.today()
    with transaction(ctx.db):
        return enrollments.end(ctx, enrollments.get(ctx, enrollment_id), on=day, reason=reason,
                               capacity=_capacity(capacity), eligible=_eligible_on(ctx, day))


def promote_waitlist(*, ctx: Context, capacity: int | None = None, on: date | None = None) -> list[Enrollment]:
    """Fill free places from the waitlist (e.g. after the capacity was raised)."""
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    day = on or ctx.today()
    with transaction(ctx.db):
        return enrollments.promote(ctx, service=NURSERY, workshop_id=None, capacity=_capacity(capacity),
                                   on=day, eligible=_eligible_on(ctx, day))


def waitlist(*, ctx: Context) -> list[Enrollment]:
    return enrollments.listing(ctx, NURSERY, status=EnrollmentStatus.WAITLISTED)


def enrolled_children(*, ctx: Context) -> list[Enrollment]:
    return enrollments.listing(ctx, NURSERY, status=EnrollmentStatus.ACTIVE)


# --- Pick-up authorisations ----------------------------------------------------------------

def _write_pickup(ctx: Context, enrollment_id: str, values: dict[str, Any]) -> str:
    auth_id = ledger.new_id()
    ledger.write_record(ctx, "pickup_authorisation", auth_id,
                         {"enrollment_id": enrollment_id, **values}, action="authorise_pickup")
    return auth_id


def add_pickup(*, ctx: Context, enrollment_id: str, data: dict[str, Any]) -> rules.PickupAuthorisation:
    """Authorise someone to pick up: `person_id`, or `name`, `cin`, `phone`, `relationship`."""
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    values, msgs = rules.clean_authorisation(data)
    if errors_of(msgs):
        raise errors.ValidationFailed(msgs)
    with transaction(ctx.db):
        enrollments.get(ctx, enrollment_id)
        auth_id = _write_pickup(ctx, enrollment_id, values)
    return next(a for a in _authorisations(ctx, enrollment_id) if a.id == auth_id)


def remove_pickup(*, ctx: Context, authorisation_id: str) -> None:
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    with transaction(ctx.db):
        ledger.tombstone(ctx, "pickup_authorisation", authorisation_id, action="remove_pickup")


def _authorisations(ctx: Context, enrollment_id: str) -> list[rules.PickupAuthorisation]:
    found = rows(ctx.db, "SELECT a.*, p.given_name_ar, p.family_name_ar, p.given_name_lat,"
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


def authorised_pickups(*, ctx: Context, child_id: str) -> list[rules.PickupAuthorisation]:
    """Who may take the child home (guardians first), for the check-out list."""
    enrollment = enrollments.current_for(ctx, NURSERY, child_id)
    return _authorisations(ctx, enrollment.id) if enrollment else []


# --- Check-in, alerts, check-out -----------------------------------------------------------

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


def check_in_child(*, ctx: Context, child_id: str, dropped_off_by_person_id: str | None = None,
                   dropped_off_by_name: str = "", card_code: str = "") -> Arrival:
    """Record the child's arrival today (idempotent: a second check-in the same day returns
    the first). A child who is not enrolled is not checked in; the alerts say why."""
    ctx.require(Permission.CHECK_IN)
    child = _child(ctx, child_id)
    day = ctx.today()
    with transaction(ctx.db):
        enrollment = enrollments.current_for(ctx, NURSERY, child_id)
        alerts = child_alerts(enrollment, child, day)
        arrival = Arrival(person_id=child_id, name_ar=child.display_name_ar, name_lat=child.display_name_lat,
                          service=NURSERY, checked_in=False, alerts=alerts)
        if enrollment is None or not enrollment.active:
            return arrival
        recorded = attendance.record_check_in(
            ctx, service=NURSERY, person_id=child_id, enrollment_id=enrollment.id, day=day,
            by_person_id=dropped_off_by_person_id, by_name=dropped_off_by_name, card_code=card_code)
        arrival.checked_in, arrival.already = True, not recorded.created
        arrival.event_id = recorded.event["id"]
        if attendance.acknowledged(ctx.db, [recorded.event["id"]]):
            arrival.alerts = [a for a in alerts if not a.needs_ack]
    return arrival


def acknowledge_alerts(*, ctx: Context, check_in_id: str) -> bool:
    """Staff confirm they have read the child's alerts (recorded as an event); False when
    they were already acknowledged for this check-in."""
    ctx.require(Permission.CHECK_IN)
    with transaction(ctx.db):
        found = attendance.effective_events(ctx.db, "check_in", "id = ?", [check_in_id])
        if not found:
            raise errors.NotFound()
        check_in = found[0]
        enrollment = enrollments.current_for(ctx, NURSERY, check_in["person_id"])
        texts = [a.text("en") for a in child_alerts(enrollment, _child(ctx, check_in["person_id"]),
                                                    date.fromisoformat(check_in["day"])) if a.needs_ack]
        return attendance.record_ack(ctx, check_in=check_in, alerts=texts)


@dataclass(frozen=True)
class CheckOut:
    event_id: str
    child_id: str
    at: datetime
    picked_up_by: str
    overridden: bool
    already: bool


def check_out_child(*, ctx: Context, child_id: str, claim: rules.PickupClaim,
                    override_reason: str | None = None) -> CheckOut:
    """Record who took the child home. Someone not on the authorised list is refused
    (`PickupRefused`, and the attempt is audited) unless the acting user may override
    pick-ups and writes a reason, which is kept with the check-out."""
    ctx.require(Permission.CHECK_IN)
    child = _child(ctx, child_id)
    day = ctx.today()
    check_in = attendance.live_check_in(ctx.db, NURSERY, child_id, day)
    if check_in is None:
        raise NotCheckedIn()
    if not rules.describe_claim(claim):
        raise errors.ValidationFailed([FieldMessage("name", "error", N_("Choose or enter who is picking up the child."))])
    existing = attendance.live_check_out(ctx.db, check_in["id"])
    if existing is not None:
        return _check_out(existing, already=True)
    authorised = authorised_pickups(ctx=ctx, child_id=child_id)
    match = rules.find_authorised(claim, authorised)
    fields: dict[str, Any] = {"by_person_id": claim.person_id, "by_name": claim.name.strip(),
                              "by_cin": normalize.normalize_cin(claim.cin)}
    if match is not None:
        fields |= {"pickup_authorisation_id": match.id, "by_person_id": match.person_id or claim.person_id,
                   "by_name": match.name, "by_cin": match.cin}
    elif override_reason is None:
        with transaction(ctx.db):
            ledger.audit(ctx, "pickup_refused", "person", child.id,
                          {"by_name": claim.name, "by_cin": fields["by_cin"], "by_person_id": claim.person_id})
        raise PickupRefused()
    else:
        ctx.require(Permission.OVERRIDE_PICKUP)
        if msgs := check_reason(override_reason, "override_reason"):
            raise errors.ValidationFailed(msgs)
        fields |= {"override_by": ctx.user.id, "override_reason": override_reason.strip()}
    with transaction(ctx.db):
        recorded = attendance.record_check_out(ctx, check_in=check_in, fields=fields)
    return _check_out(recorded.event, already=not recorded.created)


def _check_out(event: dict[str, Any], *, already: bool) -> CheckOut:
    return CheckOut(event_id=event["id"], child_id=event["person_id"], at=datetime.fromisoformat(event["at"]),
                    picked_up_by=event["by_name"] or "", overridden=bool(event.get("override_by")),
                    already=already)


# --- The day's board -------------------------------------------------------------------------

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

    @property
    def present(self) -> bool:
        return self.time_in is not None and self.time_out is None

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
    active = {e.person_id: e for e in enrollments.listing(ctx, NURSERY, status=EnrollmentStatus.ACTIVE)}
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
                            child_name_lat=child.display_name_lat, guardian_name=g_name,
                            guardian_phone=g_phone, time_in=None, time_out=None, dropped_off_by="",
                            picked_up_by="", alerts=[a for a in child_alerts(enrollment, child, day)
                                                     if not a.blocks])
        if visit is not None:
            row.time_in = datetime.fromisoformat(visit.check_in["at"])
            row.dropped_off_by = visit.check_in["by_name"] or ""
            row.check_in_id = visit.check_in["id"]
            row.alerts_acknowledged = visit.acknowledged
            if visit.check_out is not None:
                row.time_out = datetime.fromisoformat(visit.check_out["at"])
                row.picked_up_by = visit.check_out["by_name"] or ""
                row.override_reason = visit.check_out["override_reason"] or ""
                row.check_out_id = visit.check_out["id"]
        out.append(row)
    out.sort(key=lambda r: (r.child_name_ar or r.child_name_lat, r.child_id))
    return NurseryBoard(day=day, rows=out)


def still_here(*, ctx: Context, day: date | None = None) -> list[NurseryDayRow]:
    """Children checked in and not checked out: the closing list."""
    return nursery_day(ctx=ctx, day=day).present


def _guardians(ctx: Context, enrollment_ids: list[str]) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for eid in enrollment_ids:
        auths = [a for a in _authorisations(ctx, eid) if a.is_guardian] or _authorisations(ctx, eid)
        if auths:
            out[eid] = (auths[0].name, auths[0].phone)
    return out
