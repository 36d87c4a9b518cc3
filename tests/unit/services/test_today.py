"""Issue 13, point 3: the "Today" home reads the day on a real database file — who is here
now in each service, who is expected and not arrived, the alerts of present children and
members nobody acknowledged, the follow-ups due (and overdue), the sync state."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jisr_desktop import errors
from jisr_desktop.context import Context
from jisr_desktop.services import club, followup, nursery, registry, today, workshops
from jisr_desktop.services.enrollments import CLUB, NURSERY, WORKSHOP
from tests.fixtures import FakeClock

TODAY = date(2026, 11, 2)


def _names(lines) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(x.service, x.name_lat.split()[0]) for x in lines]


def test_an_empty_day_has_nobody_and_says_sync_never_ran(ctx: Context) -> None:
    view = today.today(ctx=ctx)
    assert view.day == TODAY
    assert (view.here, view.expected, view.alerts, view.followups) == ([], [], [], [])
    assert view.sync is not None
    assert not view.sync.enrolled and view.sync.last_success_at is None


def test_the_day_of_each_service(ctx: Context, coord_ctx: Context, person, child,  # type: ignore[no-untyped-def]
                                 clock: FakeClock) -> None:
    # nursery: Lina (allergy) arrives, Rayan (no notes) arrives, Sami is expected
    lina, rayan, sami = child("Lina"), child("Rayan"), child("Sami")
    nursery.enroll_child(ctx=coord_ctx, child_id=lina.id, allergies="peanuts")
    nursery.enroll_child(ctx=coord_ctx, child_id=rayan.id)
    nursery.enroll_child(ctx=coord_ctx, child_id=sami.id, medical_notes="asthma")
    in_lina = nursery.check_in_child(ctx=ctx, child_id=lina.id)
    nursery.check_in_child(ctx=ctx, child_id=rayan.id)
    # club: Fatna (health note) is here, Hadda is a member not come yet, Zohra came and left
    fatna, hadda, zohra = (person(n, birth_date=date(1950, 1, 1)) for n in ("Fatna", "Hadda", "Zohra"))
    for member in (fatna, hadda, zohra):
        club.enroll_member(ctx=coord_ctx, person_id=member.id,
                           health_notes="diabetes" if member is fatna else "")
    club.check_in_member(ctx=ctx, person_id=fatna.id)
    club.check_in_member(ctx=ctx, person_id=zohra.id)
    club.check_out_member(ctx=ctx, person_id=zohra.id)
    # a workshop session this morning: Asmae marked present, Badr not yet, Chama absent;
    # yesterday's session and tomorrow's do not count
    w = workshops.save_workshop(ctx=coord_ctx, data={"category_code": "crafts", "title": "Sewing"})
    start = clock.current
    for offset in (-1, 1):
        workshops.add_session(ctx=coord_ctx, workshop_id=w.id, starts_at=start + timedelta(days=offset),
                              ends_at=start + timedelta(days=offset, hours=2))
    now = workshops.add_session(ctx=coord_ctx, workshop_id=w.id, starts_at=start,
                                ends_at=start + timedelta(hours=2))
    asmae, badr, chama = person("Asmae"), person("Badr"), person("Chama")
    for p in (asmae, badr, chama):
        workshops.enroll_participant(ctx=coord_ctx, workshop_id=w.id, person_id=p.id)
    workshops.mark_attendance(ctx=ctx, session_id=now.id, person_id=asmae.id, status="present")
    workshops.mark_attendance(ctx=ctx, session_id=now.id, person_id=chama.id, status="absent")

    view = today.today(ctx=ctx)
    assert _names(view.here) == [(NURSERY, "Lina"), (NURSERY, "Rayan"), (CLUB, "Fatna"),
                                 (WORKSHOP, "Asmae")]
    assert _names(view.expected) == [(NURSERY, "Sami"), (CLUB, "Hadda"), (WORKSHOP, "Badr")]
    assert [x.file_no for x in view.here] == [
        registry.get_person(ctx=ctx, person_id=p.id).file_no for p in (lina, rayan, fatna, asmae)]
    assert all(x.file_no for x in view.here + view.expected)
    assert view.here[0].since is not None and view.expected[2].title == "Sewing"
    # the alerts of present people only (Sami's asthma waits for his arrival)
    assert [(a.service, a.name_lat.split()[0], [x.kind for x in a.alerts]) for a in view.alerts] == [
        (NURSERY, "Lina", ["allergy"]), (CLUB, "Fatna", ["health"])]
    assert view.alerts[0].check_in_id == in_lina.event_id
    assert view.alerts[0].alerts[0].text("en") == "Allergy: peanuts"
    # acknowledged: the line goes; a checked-out child leaves the "here" list
    nursery.acknowledge_alerts(ctx=ctx, check_in_id=in_lina.event_id or "")
    club.acknowledge_alerts(ctx=ctx, check_in_id=view.alerts[1].check_in_id)
    view = today.today(ctx=ctx)
    assert view.alerts == []
    assert len(view.here_in(NURSERY)) == 2 and len(view.expected_in(CLUB)) == 1
    # after the session's end, its participants are neither here nor expected
    clock.advance(hours=2, minutes=1)
    view = today.today(ctx=ctx)
    assert view.here_in(WORKSHOP) == [] and view.expected_in(WORKSHOP) == []


def test_followups_due_and_overdue_and_pending_changes(ctx: Context, person,  # type: ignore[no-untyped-def]
                                                       clock: FakeClock) -> None:
    amina, karim = person("Amina"), person("Karim")
    first = followup.refer(ctx=ctx, person_id=amina.id, body="ANAPEC", due_on=TODAY)
    followup.refer(ctx=ctx, person_id=karim.id, body="Hospital", due_on=TODAY + timedelta(days=1))
    followup.refer(ctx=ctx, person_id=karim.id, body="Later", due_on=TODAY + timedelta(days=20))
    view = today.today(ctx=ctx)
    assert [(f.referral.body, f.overdue) for f in view.followups] == [("ANAPEC", False)]
    clock.advance(days=1)
    view = today.today(ctx=ctx)
    assert [(f.referral.body, f.overdue) for f in view.followups] == [("ANAPEC", True),
                                                                      ("Hospital", False)]
    assert view.followups[0].person_id == amina.id
    followup.record_referral_outcome(ctx=ctx, referral_id=first.id, outcome="obtained")
    view = today.today(ctx=ctx)
    assert [f.referral.body for f in view.followups] == ["Hospital"]
    # every change made here waits for HQ (this desktop never synced)
    assert view.sync is not None and view.sync.pending > 0


def test_only_the_desk_reads_the_day(system_ctx: Context) -> None:
    from jisr_desktop.context import User

    nobody = User(id="x", username="x", display_name="X", role="nobody")
    with pytest.raises(errors.PermissionDenied):
        today.today(ctx=Context(db=system_ctx.db, user=nobody, clock=system_ctx.clock))
