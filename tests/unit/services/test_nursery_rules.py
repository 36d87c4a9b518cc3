"""Nursery rules: the age limit, the third-birthday warning, capacity and the waitlist,
authorised pick-up and the coordinator's override."""

from __future__ import annotations

from datetime import date

import pytest

from jisr_desktop import errors
from jisr_desktop.domain import nursery as rules
from jisr_desktop.domain.nursery import PickupClaim
from jisr_desktop.services import nursery

TODAY = date(2026, 11, 2)  # the fixtures' clock


# --- pure rules ------------------------------------------------------------------------

def test_age_in_months_counts_completed_months() -> None:
    assert rules.age_in_months(date(2024, 1, 31), date(2024, 2, 29)) == 0
    assert rules.age_in_months(date(2024, 1, 15), date(2024, 2, 15)) == 1
    assert rules.age_in_months(date(2023, 11, 2), date(2026, 11, 1)) == 35


@pytest.mark.parametrize(("birth", "ok"), [
    (TODAY, True),                      # a newborn
    (date(2023, 11, 3), True),          # turns 3 tomorrow
    (date(2023, 11, 2), False),         # turns 3 today: 36 months
    (date(2022, 5, 1), False),
])
def test_age_limit_at_enrollment(birth: date, ok: bool) -> None:
    errors_ = [m for m in rules.check_age(birth, TODAY) if m.is_error]
    assert (not errors_) is ok


def test_missing_or_future_birth_date_refused() -> None:
    assert rules.check_age(None, TODAY)[0].is_error
    assert rules.check_age(date(2026, 12, 1), TODAY)[0].is_error


def test_warning_ahead_of_third_birthday() -> None:
    soon = rules.check_age(date(2023, 11, 20), TODAY)
    assert [m.severity for m in soon] == ["warning"]
    assert soon[0].params["date"] == "2026-11-20"
    assert rules.check_age(date(2024, 6, 1), TODAY) == []
    assert rules.third_birthday(date(2024, 2, 29)) == date(2027, 3, 1)


def test_authorisation_without_person_needs_name_cin_phone_relationship() -> None:
    _, msgs = rules.clean_authorisation({"name": "Fatima"})
    assert {m.field for m in msgs if m.is_error} == {"cin", "phone", "relationship"}
    values, msgs = rules.clean_authorisation({"name": " Fatima  Z ", "cin": "ab 123456",
                                              "phone": "06 12 34 56 78", "relationship": "aunt"})
    assert not msgs and values["cin"] == "AB123456" and values["phone"] == "+212612345678"
    assert values["name"] == "Fatima Z"


def test_find_authorised_by_list_person_or_cin_never_by_name_alone() -> None:
    auths = [rules.PickupAuthorisation("a1", person_id="p1", name="Mother", is_guardian=True),
             rules.PickupAuthorisation("a2", name="Aunt Fatima", cin="AB123456")]
    assert rules.find_authorised(PickupClaim(authorisation_id="a2"), auths).id == "a2"
    assert rules.find_authorised(PickupClaim(person_id="p1"), auths).id == "a1"
    assert rules.find_authorised(PickupClaim(name="x", cin="ab 123456"), auths).id == "a2"
    assert rules.find_authorised(PickupClaim(name="Aunt Fatima"), auths) is None
    assert rules.find_authorised(PickupClaim(person_id="p9", cin="Z1"), auths) is None


# --- services ----------------------------------------------------------------------------

def test_enroll_refuses_a_three_year_old_and_warns_before(coord_ctx, child) -> None:
    with pytest.raises(errors.ValidationFailed) as exc:
        nursery.enroll_child(ctx=coord_ctx, child_id=child(birth_date=date(2023, 6, 1)).id)
    assert exc.value.messages[0].field == "birth_date"
    enrollment = nursery.enroll_child(ctx=coord_ctx, child_id=child(birth_date=date(2023, 11, 20)).id)
    assert enrollment.active and [m.severity for m in enrollment.messages] == ["warning"]


def test_receptionist_cannot_enroll(ctx, child) -> None:
    with pytest.raises(errors.PermissionDenied):
        nursery.enroll_child(ctx=ctx, child_id=child().id)


def test_capacity_waitlist_order_and_promotion(coord_ctx, child, clock) -> None:
    kids = [child(f"Kid{i}") for i in range(5)]
    got = []
    for kid in kids:
        got.append(nursery.enroll_child(ctx=coord_ctx, child_id=kid.id, capacity=2))
        clock.advance(minutes=1)
    assert [e.status for e in got] == ["active", "active", "waitlisted", "waitlisted", "waitlisted"]
    assert [e.waitlist_position for e in nursery.waitlist(ctx=coord_ctx)] == [1, 2, 3]
    assert [e.person_id for e in nursery.waitlist(ctx=coord_ctx)] == [k.id for k in kids[2:]]
    with pytest.raises(errors.JisrError):
        nursery.enroll_child(ctx=coord_ctx, child_id=kids[0].id, capacity=2)
    result = nursery.end_enrollment(ctx=coord_ctx, enrollment_id=got[0].id, reason="moved", capacity=2)
    assert result.ended.status == "ended"
    assert [p.person_id for p in result.promoted] == [kids[2].id]
    assert [e.person_id for e in nursery.waitlist(ctx=coord_ctx)] == [kids[3].id, kids[4].id]
    # raising the capacity lets the next ones in, in order
    promoted = nursery.promote_waitlist(ctx=coord_ctx, capacity=3)
    assert [p.person_id for p in promoted] == [kids[3].id]


def test_promotion_skips_a_child_who_turned_three_while_waiting(coord_ctx, child, clock) -> None:
    first = nursery.enroll_child(ctx=coord_ctx, child_id=child("A").id, capacity=1)
    clock.advance(minutes=1)
    old = child("Old", birth_date=date(2023, 11, 10))   # turns 3 on 10 Nov 2026
    nursery.enroll_child(ctx=coord_ctx, child_id=old.id, capacity=1)
    clock.advance(minutes=1)
    young = child("Young")
    nursery.enroll_child(ctx=coord_ctx, child_id=young.id, capacity=1)
    result = nursery.end_enrollment(ctx=coord_ctx, enrollment_id=first.id, on=date(2026, 11, 15), capacity=1)
    assert [p.person_id for p in result.promoted] == [young.id]
    assert [e.person_id for e in nursery.waitlist(ctx=coord_ctx)] == [old.id]


def _enrolled_with_pickups(coord_ctx, child, person):
    mother = person("Mother", sex="F", cin="AB123456")
    kid = child("Sara", sex="F")
    enrollment = nursery.enroll_child(
        ctx=coord_ctx, child_id=kid.id, allergies="peanuts", guardian_ids=[mother.id],
        pickups=[{"name": "Aunt Khadija", "cin": "K45678", "phone": "0612345678", "relationship": "aunt"}])
    return kid, mother, enrollment


def test_pickup_by_guardian_and_by_listed_cin(ctx, coord_ctx, child, person) -> None:
    kid, mother, _ = _enrolled_with_pickups(coord_ctx, child, person)
    listed = nursery.authorised_pickups(ctx=ctx, child_id=kid.id)
    assert [a.is_guardian for a in listed] == [True, False]
    assert listed[0].person_id == mother.id and listed[0].cin == "AB123456"
    nursery.check_in_child(ctx=ctx, child_id=kid.id, dropped_off_by_person_id=mother.id,
                           dropped_off_by_name="Mother Test")
    out = nursery.check_out_child(ctx=ctx, child_id=kid.id, claim=PickupClaim(name="Khadija", cin="k 45678"))
    assert out.picked_up_by == "Aunt Khadija" and not out.overridden


def test_unlisted_pickup_refused_and_audited_then_coordinator_overrides(ctx, coord_ctx, child, person) -> None:
    kid, _, _ = _enrolled_with_pickups(coord_ctx, child, person)
    nursery.check_in_child(ctx=ctx, child_id=kid.id)
    stranger = PickupClaim(name="Uncle Omar", cin="X999")
    with pytest.raises(nursery.PickupRefused):
        nursery.check_out_child(ctx=ctx, child_id=kid.id, claim=stranger)
    refused = ctx.db.execute("SELECT count(*) FROM audit_log WHERE action = 'pickup_refused'").fetchone()[0]
    assert refused == 1
    assert [r.child_id for r in nursery.still_here(ctx=ctx)] == [kid.id]
    # a receptionist cannot override
    with pytest.raises(errors.PermissionDenied):
        nursery.check_out_child(ctx=ctx, child_id=kid.id, claim=stranger, override_reason="mother phoned")
    # the coordinator must write a reason
    with pytest.raises(errors.ValidationFailed):
        nursery.check_out_child(ctx=coord_ctx, child_id=kid.id, claim=stranger, override_reason=" ")
    out = nursery.check_out_child(ctx=coord_ctx, child_id=kid.id, claim=stranger,
                                  override_reason="Mother phoned, uncle showed his CIN")
    assert out.overridden
    row = ctx.db.execute("SELECT override_by, override_reason, by_name FROM check_out WHERE id = ?",
                         [out.event_id]).fetchone()
    assert row == (coord_ctx.user.id, "Mother phoned, uncle showed his CIN", "Uncle Omar")
    assert nursery.still_here(ctx=ctx) == []
    board = nursery.nursery_day(ctx=ctx)
    assert board.rows[0].override_reason.startswith("Mother phoned")


def test_check_out_needs_a_check_in(ctx, coord_ctx, child, person) -> None:
    kid, mother, _ = _enrolled_with_pickups(coord_ctx, child, person)
    with pytest.raises(nursery.NotCheckedIn):
        nursery.check_out_child(ctx=ctx, child_id=kid.id, claim=PickupClaim(person_id=mother.id))
