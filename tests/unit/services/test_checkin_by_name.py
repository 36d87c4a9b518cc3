"""Check-in and check-out by name or card (issue 13, point 2), at the service level: a day
holds several stays (an afternoon return after a check-out is recorded), the club's list shows
every member with her status, a refused pick-up says why, and a typed name finds the person
in the day's list across scripts."""

from __future__ import annotations

from datetime import date

import pytest

from jisr_desktop import ledger
from jisr_desktop.domain.attendance import DayStatus, name_matches
from jisr_desktop.domain.nursery import PickupClaim
from jisr_desktop.services import attendance, club, nursery
from jisr_protocol.schema import FIELDS


@pytest.fixture
def enrolled(child, coord_ctx):  # type: ignore[no-untyped-def]
    kid = child("Sara", family="Amrani")
    nursery.enroll_child(ctx=coord_ctx, child_id=kid.id, pickups=[
        {"name": "Khadija Amrani", "cin": "K45678", "phone": "0612345678", "relationship": "mother"}])
    return kid


def test_an_afternoon_return_after_check_out_is_recorded(ctx, enrolled, clock, db) -> None:  # type: ignore[no-untyped-def]
    morning = nursery.check_in_child(ctx=ctx, child_id=enrolled.id)
    clock.advance(hours=3, minutes=30)
    nursery.check_out_child(ctx=ctx, child_id=enrolled.id, claim=PickupClaim(cin="K45678", name="Khadija"))
    clock.advance(hours=2)
    back = nursery.check_in_child(ctx=ctx, child_id=enrolled.id)
    assert back.checked_in and not back.already        # was "already checked in today"
    assert back.event_id != morning.event_id
    assert db.execute("SELECT count(*) FROM check_in").fetchone()[0] == 2
    row = next(r for r in nursery.nursery_day(ctx=ctx).rows if r.child_id == enrolled.id)
    assert row.status is DayStatus.HERE and row.check_in_id == back.event_id
    assert [(i.hour, o.hour if o else None) for i, o in row.earlier] == [(8, 12)]
    again = nursery.check_in_child(ctx=ctx, child_id=enrolled.id)   # the card scanned twice
    assert again.already and again.event_id == back.event_id
    clock.advance(hours=3)
    out = nursery.check_out_child(ctx=ctx, child_id=enrolled.id, claim=PickupClaim(cin="K45678", name="Khadija"))
    assert not out.already
    assert nursery.nursery_day(ctx=ctx).present == []


def test_the_second_stay_has_a_deterministic_id_and_syncs(ctx, enrolled, clock, db) -> None:  # type: ignore[no-untyped-def]
    nursery.check_in_child(ctx=ctx, child_id=enrolled.id)
    nursery.check_out_child(ctx=ctx, child_id=enrolled.id, claim=PickupClaim(cin="K45678", name="Khadija"))
    back = nursery.check_in_child(ctx=ctx, child_id=enrolled.id)
    day = ctx.today().isoformat()
    assert back.event_id == ledger.deterministic_id("checkin", "nursery", enrolled.id, day, "1")
    # The stay travels as an ordinary check_in: no column the protocol does not know.
    columns = {r[1] for r in db.execute("PRAGMA table_info(check_in)")}
    assert set(FIELDS["check_in"]) <= columns


def test_a_voided_stay_is_replaced_in_its_own_slot(ctx, coord_ctx, enrolled, clock) -> None:  # type: ignore[no-untyped-def]
    first = nursery.check_in_child(ctx=ctx, child_id=enrolled.id)
    assert first.event_id is not None
    attendance.void_event(ctx=coord_ctx, table="check_in", event_id=first.event_id, reason="wrong child")
    again = nursery.check_in_child(ctx=ctx, child_id=enrolled.id)
    assert again.checked_in and not again.already and again.event_id != first.event_id
    slots = attendance.day_slots(ctx.db, "nursery", enrolled.id, ctx.today())
    assert [s.live["id"] if s.live else None for s in slots] == [again.event_id, None]


def test_club_member_returns_the_same_day(ctx, coord_ctx, person, clock) -> None:  # type: ignore[no-untyped-def]
    elder = person("Hajja", family="Idrissi", birth_date=date(1950, 1, 1))
    club.enroll_member(ctx=coord_ctx, person_id=elder.id)
    club.check_in_member(ctx=ctx, person_id=elder.id)
    clock.advance(hours=2)
    club.check_out_member(ctx=ctx, person_id=elder.id)
    clock.advance(hours=2)
    back = club.check_in_member(ctx=ctx, person_id=elder.id)
    assert back.checked_in and not back.already
    rows = club.club_day(ctx=ctx)
    assert [r.status for r in rows] == [DayStatus.HERE] and len(rows[0].earlier) == 1


def test_a_new_member_is_listed_before_she_comes(ctx, coord_ctx, person) -> None:  # type: ignore[no-untyped-def]
    elder = person("Rahma", family="Tazi", birth_date=date(1951, 1, 1))
    enrollment = club.enroll_member(ctx=coord_ctx, person_id=elder.id)
    rows = club.club_day(ctx=ctx, include_absent=True)
    assert [(r.person_id, r.status, r.enrollment_id) for r in rows] == [(elder.id, DayStatus.ABSENT, enrollment.id)]


def test_expired_membership_is_flagged_and_renewed(ctx, coord_ctx, person) -> None:  # type: ignore[no-untyped-def]
    elder = person("Zahra", family="Fassi", birth_date=date(1949, 1, 1))
    enrollment = club.enroll_member(ctx=coord_ctx, person_id=elder.id, start_date=date(2025, 11, 1),
                                    end_date=date(2026, 10, 31))
    row = club.club_day(ctx=ctx, include_absent=True)[0]
    assert row.membership_expired and row.enrollment_id == enrollment.id
    club.renew_membership(ctx=coord_ctx, enrollment_id=enrollment.id, end_date=date(2027, 10, 31))
    assert not club.club_day(ctx=ctx, include_absent=True)[0].membership_expired


def test_a_refusal_says_why(ctx, enrolled) -> None:  # type: ignore[no-untyped-def]
    nursery.check_in_child(ctx=ctx, child_id=enrolled.id)
    with pytest.raises(nursery.PickupRefused) as by_cin:
        nursery.check_out_child(ctx=ctx, child_id=enrolled.id, claim=PickupClaim(name="Omar", cin="X999"))
    assert "X999" in by_cin.value.message() and "not on the pick-up list" in by_cin.value.message()
    with pytest.raises(nursery.PickupRefused) as by_name:
        nursery.check_out_child(ctx=ctx, child_id=enrolled.id, claim=PickupClaim(name="Khadija Amrani"))
    assert "a name alone" in by_name.value.message() and "type her CIN" in by_name.value.message()
    with pytest.raises(nursery.PickupRefused) as unknown:
        nursery.check_out_child(ctx=ctx, child_id=enrolled.id, claim=PickupClaim(name="Omar"))
    assert "no CIN was given" in unknown.value.message()
    assert len({by_cin.value.message(), by_name.value.message(), unknown.value.message()}) == 3


def test_the_chosen_authorisation_wins_over_a_typed_name(ctx, enrolled) -> None:  # type: ignore[no-untyped-def]
    nursery.check_in_child(ctx=ctx, child_id=enrolled.id)
    mother = nursery.authorised_pickups(ctx=ctx, child_id=enrolled.id)[0]
    out = nursery.check_out_child(ctx=ctx, child_id=enrolled.id,
                                  claim=PickupClaim(authorisation_id=mother.id, name="someone else", cin="X1"))
    assert out.picked_up_by == "Khadija Amrani" and not out.overridden


@pytest.mark.parametrize(("query", "names", "found"), [
    ("sar", ("سارة العمراني", "Sara Amrani"), True),
    ("amrani sara", ("", "Sara Amrani"), True),
    ("محمد", ("", "Mohamed Alaoui"), True),
    ("khadija", ("خديجة", ""), True),
    ("el idrissi", ("", "Youssef Idrissi"), True),
    ("yanis", ("", "Sara Amrani"), False),
    ("ABCDE-FGHJK", ("", "Sara Amrani"), False),
    ("", ("", "Sara Amrani"), True),
])
def test_a_typed_name_finds_the_person(query: str, names: tuple[str, str], found: bool) -> None:
    assert name_matches(query, *names) is found
