"""Social nursery use cases: enroll a child, authorise pick-ups, the daily check-in and
check-out with alert acknowledgement and pick-up control. The reads (the day's board, the
children's alerts, pick-up authorisations) live in `db.nursery`, below the services and the
reports.

Capacity is the center's (`center.nursery_capacity`, set at HQ for an enrolled center or by a
coordinator with `set_nursery_capacity` before enrollment), so every desktop of the center
promotes its waitlist against the same number; `capacity=` overrides it for one call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from jisr_desktop import errors, i18n, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import center, persons
from jisr_desktop.db.connection import transaction
from jisr_desktop.db.nursery import (  # noqa: F401 (the reads, re-exported for the callers)
    NurseryBoard,
    NurseryDayRow,
    child_alerts,
    enrolled_children,
    nursery_day,
    pickup_authorisations,
)
from jisr_desktop.domain import normalize
from jisr_desktop.domain import nursery as rules
from jisr_desktop.domain.attendance import Arrival, check_reason
from jisr_desktop.domain.messages import FieldMessage, errors_of
from jisr_desktop.domain.person import Person
from jisr_desktop.domain.roles import Permission
from jisr_desktop.domain.waitlist import EnrollmentStatus, WaitlistEntry
from jisr_desktop.i18n import N_
from jisr_desktop.services import attendance, enrollments
from jisr_desktop.services.enrollments import NURSERY, EndResult, Enrollment


class PickupRefused(errors.JisrError):
    msgid = N_("This person is not authorised to pick up the child. A coordinator can override with a written reason.")


class NotCheckedIn(errors.JisrError):
    msgid = N_("This child has not been checked in today.")


def _capacity(ctx: Context, capacity: int | None) -> int:
    return center.nursery_capacity(ctx.db) if capacity is None else capacity


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
                                        capacity=_capacity(ctx, capacity), values={"start_date": day, **values})
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
                               capacity=_capacity(ctx, capacity), eligible=_eligible_on(ctx, day))


def promote_waitlist(*, ctx: Context, capacity: int | None = None, on: date | None = None) -> list[Enrollment]:
    """Fill free places from the waitlist (e.g. after the capacity was raised)."""
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    day = on or ctx.today()
    with transaction(ctx.db):
        return enrollments.promote(ctx, service=NURSERY, workshop_id=None, capacity=_capacity(ctx, capacity),
                                   on=day, eligible=_eligible_on(ctx, day))


def center_enrolled(ctx: Context) -> bool:
    """Whether this desktop is enrolled with HQ (whose center row then decides the places)."""
    row = ctx.db.execute("SELECT device_id != '' FROM sync_state WHERE id = 1").fetchone()
    return bool(row and row[0])


class EnrolledCapacity(errors.JisrError):
    msgid = N_("This center is enrolled with HQ: its nursery places are set at HQ.")


def set_nursery_capacity(*, ctx: Context, places: int) -> list[Enrollment]:
    """A coordinator sets the nursery's places (0 to 500) on a center not yet enrolled with HQ
    (once enrolled, HQ's number comes with the center and wins). Children waiting take the
    places a raise frees; the promoted enrollments come back."""
    ctx.require(Permission.MANAGE_SETTINGS)
    if isinstance(places, bool) or not isinstance(places, int) \
            or not 0 <= places <= center.MAX_NURSERY_CAPACITY:
        raise errors.JisrError(N_("The nursery places must be a whole number from 0 to 500."),
                               field="nursery_capacity")
    here = center.current_center(ctx.db)
    if here is None:
        raise errors.NotFound()
    if center_enrolled(ctx):
        raise EnrolledCapacity(field="nursery_capacity")
    day = ctx.today()
    with transaction(ctx.db):
        ctx.db.execute("UPDATE center SET nursery_capacity = ? WHERE id = ?", [places, here.id])
        ledger.audit(ctx, "set_nursery_capacity", "center", here.id,
                     {"nursery_capacity": [here.nursery_capacity, places]})
        return enrollments.promote(ctx, service=NURSERY, workshop_id=None, capacity=places,
                                   on=day, eligible=_eligible_on(ctx, day))


def waitlist(*, ctx: Context) -> list[Enrollment]:
    return enrollments.listing(ctx, NURSERY, status=EnrollmentStatus.WAITLISTED)


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
    return next(a for a in pickup_authorisations(ctx, enrollment_id) if a.id == auth_id)


def remove_pickup(*, ctx: Context, authorisation_id: str) -> None:
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    with transaction(ctx.db):
        ledger.tombstone(ctx, "pickup_authorisation", authorisation_id, action="remove_pickup")


def authorised_pickups(*, ctx: Context, child_id: str) -> list[rules.PickupAuthorisation]:
    """Who may take the child home (guardians first), for the check-out list."""
    enrollment = enrollments.current_for(ctx, NURSERY, child_id)
    return pickup_authorisations(ctx, enrollment.id) if enrollment else []


# --- Check-in, alerts, check-out -----------------------------------------------------------

def check_in_child(*, ctx: Context, child_id: str, dropped_off_by_person_id: str | None = None,
                   dropped_off_by_name: str = "", card_code: str = "") -> Arrival:
    """Record the child's arrival today (idempotent: a second check-in the same day returns
    the first). A child who is not enrolled is not checked in; the alerts say why."""
    ctx.require(Permission.CHECK_IN)
    child = _child(ctx, child_id)
    from jisr_desktop.services.consent import check_in_refusal  # issue 17: consent
    if (refused := check_in_refusal(ctx, child, NURSERY)) is not None:
        return refused  # withdrawn or expired: not checked in, the alert says why
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
        raise refusal(claim, child, authorised)
    else:
        ctx.require(Permission.OVERRIDE_PICKUP)
        if msgs := check_reason(override_reason, "override_reason"):
            raise errors.ValidationFailed(msgs)
        fields |= {"override_by": ctx.user.id, "override_reason": override_reason.strip()}
    with transaction(ctx.db):
        recorded = attendance.record_check_out(ctx, check_in=check_in, fields=fields)
    return _check_out(recorded.event, already=not recorded.created)


def refusal(claim: rules.PickupClaim, child: Person,
            authorised: list[rules.PickupAuthorisation]) -> PickupRefused:
    """Why a pick-up is refused, in words the desk can act on: a CIN not on the list, a
    registered person not on it, or a name alone (names are shared; the list or a CIN decides)."""
    who = claim.name.strip()
    name = ((child.display_name_ar or child.display_name_lat) if i18n.current_language() == "ar"
            else (child.display_name_lat or child.display_name_ar))
    cin = normalize.normalize_cin(claim.cin)
    if not who:
        return PickupRefused(N_("Refused: this person is not authorised to pick up {child}: she is not on the "
                                "pick-up list. A coordinator can override with a written reason."), child=name)
    if cin:
        return PickupRefused(N_("Refused: {who} (CIN {cin}) is not authorised to pick up {child}: this CIN "
                                "is not on the pick-up list. A coordinator can override with a written reason."),
                             who=who, cin=cin, child=name)
    listed = normalize.name_key(claim.name) in {normalize.name_key(a.name) for a in authorised}
    if listed:
        return PickupRefused(N_("Refused: a name alone does not say who {who} is. Choose her in the list "
                                "of people authorised to pick up {child}, or type her CIN."), who=who, child=name)
    return PickupRefused(N_("Refused: {who} is not authorised to pick up {child}: this name is not on the "
                            "pick-up list and no CIN was given. A coordinator can override with a written "
                            "reason."), who=who, child=name)


def _check_out(event: dict[str, Any], *, already: bool) -> CheckOut:
    return CheckOut(event_id=event["id"], child_id=event["person_id"], at=datetime.fromisoformat(event["at"]),
                    picked_up_by=event["by_name"] or "", overridden=bool(event.get("override_by")),
                    already=already)


# --- The day's board -------------------------------------------------------------------------

def still_here(*, ctx: Context, day: date | None = None) -> list[NurseryDayRow]:
    """Children checked in and not checked out: the closing list."""
    return nursery_day(ctx=ctx, day=day).present
