"""Member cards: opaque codes, reprint revokes, and one-step check-in into each service."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jisr_desktop import errors
from jisr_desktop.domain import cards as card_rules
from jisr_desktop.services import cards, club, nursery, workshops
from jisr_desktop.services.checkin import UnknownCard, check_in_by_code


def test_codes_are_random_unambiguous_and_normalised() -> None:
    codes = {card_rules.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 10 and set(c) <= set(card_rules.ALPHABET) for c in codes)
    assert not set("01OIL") & set(card_rules.ALPHABET)
    assert card_rules.normalize_code("  abcde-fghjk \n") == "ABCDEFGHJK"
    assert card_rules.normalize_code("ABCDE FGHJK") == "ABCDEFGHJK"
    assert card_rules.normalize_code("ABé\"'(-è_ç") == "AB23456789"   # AZERTY digit row
    assert card_rules.normalize_code("ABC") is None
    assert card_rules.normalize_code("ABCDEFGHJ0") is None
    assert card_rules.format_code("ABCDEFGHJK") == "ABCDE-FGHJK"


def test_card_issued_on_enrollment_carries_no_personal_data(coord_ctx, child) -> None:
    kid = child("Salma", cin=None)
    nursery.enroll_child(ctx=coord_ctx, child_id=kid.id)
    card = cards.card_of(ctx=coord_ctx, person_id=kid.id, service="nursery")
    assert card is not None and "SALMA" not in card.code and kid.file_no not in card.code


def test_waitlisted_person_gets_no_card_until_promoted(coord_ctx, child) -> None:
    first = nursery.enroll_child(ctx=coord_ctx, child_id=child().id, capacity=1)
    waiting = child()
    nursery.enroll_child(ctx=coord_ctx, child_id=waiting.id, capacity=1)
    assert cards.card_of(ctx=coord_ctx, person_id=waiting.id, service="nursery") is None
    nursery.end_enrollment(ctx=coord_ctx, enrollment_id=first.id, capacity=1)
    assert cards.card_of(ctx=coord_ctx, person_id=waiting.id, service="nursery") is not None


def test_check_in_child_by_scanned_code_with_alerts(ctx, coord_ctx, child) -> None:
    kid = child("Nour")
    nursery.enroll_child(ctx=coord_ctx, child_id=kid.id, allergies="milk")
    code = cards.card_of(ctx=ctx, person_id=kid.id, service="nursery").code
    arrival = check_in_by_code(ctx=ctx, code=f"  {code.lower()}\n")
    assert arrival.checked_in and arrival.service == "nursery" and arrival.name("en") == "Nour Test"
    assert [a.kind for a in arrival.alerts] == ["allergy"] and arrival.needs_ack
    assert check_in_by_code(ctx=ctx, code=code).already
    assert ctx.db.execute("SELECT card_code FROM check_in").fetchone()[0] == code


def test_reprint_revokes_the_old_code(ctx, coord_ctx, child) -> None:
    kid = child()
    nursery.enroll_child(ctx=coord_ctx, child_id=kid.id)
    old = cards.card_of(ctx=ctx, person_id=kid.id, service="nursery")
    new = cards.reprint_card(ctx=ctx, person_id=kid.id, service="nursery")
    assert new.code != old.code
    refused = check_in_by_code(ctx=ctx, code=old.code)
    assert not refused.checked_in and refused.alerts[0].kind == "revoked_card"
    assert refused.name("en") == kid.display_name_lat
    assert ctx.db.execute("SELECT count(*) FROM check_in").fetchone()[0] == 0
    assert check_in_by_code(ctx=ctx, code=new.code).checked_in


def test_unknown_code_is_a_typed_error(ctx) -> None:
    with pytest.raises(UnknownCard):
        check_in_by_code(ctx=ctx, code="ZZZZZ-ZZZZZ")
    with pytest.raises(UnknownCard):
        check_in_by_code(ctx=ctx, code="hello")


def test_check_in_club_member_by_code_flags_expired_membership(ctx, coord_ctx, person, clock) -> None:
    elder = person("Hajja", birth_date=date(1950, 1, 1), sex="F")
    club.enroll_member(ctx=coord_ctx, person_id=elder.id, start_date=date(2026, 1, 1),
                       end_date=date(2026, 10, 31), emergency_name="Son", emergency_phone="0661234567")
    code = cards.card_of(ctx=ctx, person_id=elder.id, service="club").code
    arrival = check_in_by_code(ctx=ctx, code=code)
    assert arrival.checked_in and arrival.service == "club"
    assert [a.kind for a in arrival.alerts] == ["membership_expired"]
    assert arrival.alerts[0].params["date"] == "2026-10-31"


def test_ended_member_card_says_not_enrolled(ctx, coord_ctx, person) -> None:
    elder = person("Ahmed", birth_date=date(1948, 5, 5))
    e = club.enroll_member(ctx=coord_ctx, person_id=elder.id)
    code = cards.card_of(ctx=ctx, person_id=elder.id, service="club").code
    club.end_membership(ctx=coord_ctx, enrollment_id=e.id, reason="moved away")
    arrival = check_in_by_code(ctx=ctx, code=code)
    assert not arrival.checked_in and arrival.alerts[0].kind == "not_enrolled"


def test_check_in_by_code_into_the_workshop_session_running_now(ctx, coord_ctx, person, clock) -> None:
    learner = person("Imane", sex="F", birth_date=date(2004, 4, 4))
    w = workshops.save_workshop(ctx=coord_ctx, data={"category_code": "digital_skills",
                                                     "title": "Computer basics", "trainer": "Mr Idrissi"})
    now = clock.current
    s1 = workshops.add_session(ctx=coord_ctx, workshop_id=w.id, starts_at=now + timedelta(minutes=10),
                               ends_at=now + timedelta(hours=2))
    workshops.add_session(ctx=coord_ctx, workshop_id=w.id, starts_at=now + timedelta(days=7),
                          ends_at=now + timedelta(days=7, hours=2))
    workshops.enroll_participant(ctx=coord_ctx, workshop_id=w.id, person_id=learner.id)
    code = cards.card_of(ctx=ctx, person_id=learner.id, service="workshop").code
    arrival = check_in_by_code(ctx=ctx, code=code)
    assert arrival.checked_in and arrival.title == "Computer basics" and arrival.alerts == []
    sheet = workshops.session_sheet(ctx=ctx, session_id=s1.id)
    assert [(r.person_id, r.status) for r in sheet.rows] == [(learner.id, "present")]
    assert check_in_by_code(ctx=ctx, code=code).already


def test_late_arrival_and_no_session_now(ctx, coord_ctx, person, clock) -> None:
    learner = person("Karim")
    w = workshops.save_workshop(ctx=coord_ctx, data={"category_code": "crafts", "title": "Pottery"})
    start = clock.current
    workshops.add_session(ctx=coord_ctx, workshop_id=w.id, starts_at=start, ends_at=start + timedelta(hours=2))
    workshops.enroll_participant(ctx=coord_ctx, workshop_id=w.id, person_id=learner.id)
    code = cards.card_of(ctx=ctx, person_id=learner.id, service="workshop").code
    clock.advance(minutes=40)
    arrival = check_in_by_code(ctx=ctx, code=code)
    assert arrival.checked_in and [a.kind for a in arrival.alerts] == ["late"]
    clock.advance(hours=3)
    later = check_in_by_code(ctx=ctx, code=code)
    assert not later.checked_in and later.alerts[0].kind == "no_session"


def test_receptionist_checks_in_but_cannot_manage_workshops(ctx, person) -> None:
    with pytest.raises(errors.PermissionDenied):
        workshops.save_workshop(ctx=ctx, data={"category_code": "crafts", "title": "Sewing"})
