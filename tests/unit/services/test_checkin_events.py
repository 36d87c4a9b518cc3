"""Check-ins and check-outs are append-only events: idempotent the same day, corrected by new
events, and the board's state is derived from them."""

from __future__ import annotations

import pytest

from jisr_desktop import errors
from jisr_desktop.domain.attendance import Correction, effective
from jisr_desktop.domain.nursery import PickupClaim
from jisr_desktop.services import attendance, nursery


def _count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_effective_applies_corrections_in_order_and_void_is_final() -> None:
    event = {"id": "e", "at": "08:00", "status": "present"}
    amend = Correction("c2", "e", "amend", "2026-11-02T10", {"status": "late"})
    void = Correction("c1", "e", "void", "2026-11-02T11")
    assert effective(event, [amend])["status"] == "late"
    assert effective(event, [void, amend]) is None
    assert event["status"] == "present"  # the event itself is untouched


def test_second_check_in_same_day_is_idempotent(ctx, coord_ctx, child, clock) -> None:
    kid = child("Adam")
    nursery.enroll_child(ctx=coord_ctx, child_id=kid.id)
    first = nursery.check_in_child(ctx=ctx, child_id=kid.id, dropped_off_by_name="Father")
    outbox = _count(ctx.db, "outbox")
    clock.advance(minutes=20)
    again = nursery.check_in_child(ctx=ctx, child_id=kid.id)
    assert first.checked_in and not first.already
    assert again.already and again.event_id == first.event_id
    assert _count(ctx.db, "check_in") == 1 and _count(ctx.db, "outbox") == outbox
    # the id is the natural key's: another desktop recording the same fact converges
    from jisr_desktop.ledger import deterministic_id
    assert first.event_id == deterministic_id("checkin", "nursery", kid.id, "2026-11-02")
    # next day: a new event
    clock.advance(days=1)
    assert nursery.check_in_child(ctx=ctx, child_id=kid.id).event_id != first.event_id


def test_not_enrolled_or_waitlisted_child_is_not_checked_in(ctx, coord_ctx, child) -> None:
    kid = child()
    arrival = nursery.check_in_child(ctx=ctx, child_id=kid.id)
    assert not arrival.checked_in and [a.kind for a in arrival.alerts] == ["not_enrolled"]
    nursery.enroll_child(ctx=coord_ctx, child_id=child().id, capacity=1)
    nursery.enroll_child(ctx=coord_ctx, child_id=kid.id, capacity=1)
    arrival = nursery.check_in_child(ctx=ctx, child_id=kid.id)
    assert not arrival.checked_in and arrival.alerts[0].kind == "waitlisted"
    assert _count(ctx.db, "check_in") == 0


def test_alert_must_be_acknowledged_and_the_acknowledgement_is_an_event(ctx, coord_ctx, child) -> None:
    kid = child("Lina")
    nursery.enroll_child(ctx=coord_ctx, child_id=kid.id, allergies="eggs", medical_notes="asthma inhaler")
    arrival = nursery.check_in_child(ctx=ctx, child_id=kid.id)
    assert arrival.needs_ack and {a.kind for a in arrival.alerts} == {"allergy", "medical"}
    assert "eggs" in arrival.alerts[0].text("en")
    assert nursery.nursery_day(ctx=ctx).rows[0].needs_ack
    assert nursery.acknowledge_alerts(ctx=ctx, check_in_id=arrival.event_id) is True
    assert nursery.acknowledge_alerts(ctx=ctx, check_in_id=arrival.event_id) is False
    row = ctx.db.execute("SELECT recorded_by, alerts FROM alert_ack").fetchone()
    assert row[0] == ctx.user.id and "eggs" in row[1]
    assert not nursery.nursery_day(ctx=ctx).rows[0].needs_ack
    assert not nursery.check_in_child(ctx=ctx, child_id=kid.id).needs_ack


def test_void_is_a_new_event_and_frees_the_day(ctx, coord_ctx, child, clock) -> None:
    kid = child("Yassine")
    nursery.enroll_child(ctx=coord_ctx, child_id=kid.id)
    first = nursery.check_in_child(ctx=ctx, child_id=kid.id)
    stored = ctx.db.execute("SELECT * FROM check_in").fetchall()
    with pytest.raises(errors.ValidationFailed):
        attendance.void_event(ctx=ctx, table="check_in", event_id=first.event_id, reason="")
    attendance.void_event(ctx=ctx, table="check_in", event_id=first.event_id, reason="wrong child")
    assert ctx.db.execute("SELECT * FROM check_in").fetchall() == stored  # never edited
    assert _count(ctx.db, "event_correction") == 1
    assert nursery.still_here(ctx=ctx) == []
    assert nursery.nursery_day(ctx=ctx).rows[0].time_in is None
    with pytest.raises(errors.JisrError):
        attendance.void_event(ctx=ctx, table="check_in", event_id=first.event_id, reason="again")
    clock.advance(minutes=30)
    second = nursery.check_in_child(ctx=ctx, child_id=kid.id)
    assert second.checked_in and not second.already and second.event_id != first.event_id
    assert [r.check_in_id for r in nursery.still_here(ctx=ctx)] == [second.event_id]


def test_amend_corrects_time_and_keeps_history(ctx, coord_ctx, child, clock) -> None:
    kid = child("Omar")
    nursery.enroll_child(ctx=coord_ctx, child_id=kid.id)
    first = nursery.check_in_child(ctx=ctx, child_id=kid.id)
    with pytest.raises(errors.JisrError):
        attendance.amend_event(ctx=ctx, table="check_in", event_id=first.event_id,
                               patch={"person_id": "x"}, reason="nope")
    attendance.amend_event(ctx=ctx, table="check_in", event_id=first.event_id,
                           patch={"at": "2026-11-02T08:05:00+00:00", "by_name": "Grandmother"},
                           reason="entered late")
    row = nursery.nursery_day(ctx=ctx).rows[0]
    assert row.time_in.isoformat() == "2026-11-02T08:05:00+00:00" and row.dropped_off_by == "Grandmother"
    assert [c.kind for c in attendance.history_of(ctx=ctx, event_id=first.event_id)] == ["amend"]


def test_board_and_still_here_are_derived_from_events(ctx, coord_ctx, child, person, clock) -> None:
    mother = person("Mother")
    kids = [child(f"K{i}") for i in range(3)]
    for k in kids:
        nursery.enroll_child(ctx=coord_ctx, child_id=k.id, guardian_ids=[mother.id])
    for k in kids[:2]:
        nursery.check_in_child(ctx=ctx, child_id=k.id, dropped_off_by_name="Mother Test")
    clock.advance(hours=8)
    out = nursery.check_out_child(ctx=ctx, child_id=kids[0].id, claim=PickupClaim(person_id=mother.id))
    again = nursery.check_out_child(ctx=ctx, child_id=kids[0].id, claim=PickupClaim(person_id=mother.id))
    assert again.already and again.event_id == out.event_id
    board = nursery.nursery_day(ctx=ctx)
    assert len(board.rows) == 3 and board.arrived_count == 2
    by_id = {r.child_id: r for r in board.rows}
    assert by_id[kids[0].id].time_out is not None and by_id[kids[0].id].picked_up_by == "Mother Test"
    assert by_id[kids[0].id].guardian_name == "Mother Test"
    assert [r.child_id for r in nursery.still_here(ctx=ctx)] == [kids[1].id]
    # voiding the check-in also voids its check-out
    attendance.void_event(ctx=ctx, table="check_in", event_id=by_id[kids[0].id].check_in_id, reason="test entry")
    assert {r.child_id for r in nursery.nursery_day(ctx=ctx).rows if r.time_in} == {kids[1].id}


def test_person_merge_repoints_enrollment_and_card(ctx, coord_ctx, child) -> None:
    from jisr_desktop.services import cards, registry

    kid = child("Hiba")
    duplicate = child("Hiba2")
    nursery.enroll_child(ctx=coord_ctx, child_id=duplicate.id)
    registry.merge_persons(ctx=coord_ctx, survivor_id=kid.id, merged_id=duplicate.id)
    assert [e.person_id for e in nursery.enrolled_children(ctx=ctx)] == [kid.id]
    assert cards.card_of(ctx=ctx, person_id=kid.id, service="nursery") is not None
    assert nursery.check_in_child(ctx=ctx, child_id=kid.id).checked_in
