"""Elderly club memberships and activities, workshops (capacity, waitlist, promotion,
attendance marks, completion), campaigns, and the monthly counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jisr_desktop import errors
from jisr_desktop.domain import workshops as wrules
from jisr_desktop.domain.attendance import age_band
from jisr_desktop.domain.club import membership_expired
from jisr_desktop.domain.waitlist import WaitlistEntry, promotions
from jisr_desktop.services import attendance, campaigns, club, nursery, workshops
from jisr_desktop.services.rosters import monthly_counts

# --- pure rules ---------------------------------------------------------------------------

def test_membership_expires_after_its_end_day() -> None:
    assert not membership_expired(None, date(2030, 1, 1))
    assert not membership_expired(date(2026, 11, 2), date(2026, 11, 2))
    assert membership_expired(date(2026, 11, 1), date(2026, 11, 2))


def test_promotions_fill_free_places_in_request_order() -> None:
    entries = [WaitlistEntry("e3", "p3", "2026-11-02T09:00"), WaitlistEntry("e1", "p1", "2026-11-02T08:00"),
               WaitlistEntry("e2", "p2", "2026-11-02T08:00")]
    assert [e.enrollment_id for e in promotions(entries, active_count=3, capacity=5)] == ["e1", "e2"]
    assert promotions(entries, active_count=5, capacity=5) == []
    assert len(promotions(entries, active_count=99, capacity=None)) == 3


def test_completion_counts_present_and_late_excused_left_out() -> None:
    marks = ["present", "late", "excused", "absent", None]
    r = wrules.completion(marks, sessions_total=5, threshold=0.5)
    assert (r.attended, r.counted, r.status) == (2, 4, "completed")
    assert wrules.completion(marks, sessions_total=5, threshold=0.75).status == "not_completed"
    assert wrules.completion(marks[:2], sessions_total=5).status == "in_progress"


def test_excused_needs_a_reason_and_marks_are_known() -> None:
    assert wrules.check_mark("excused", "")[0].is_error
    assert wrules.check_mark("excused", "sick child") == []
    assert wrules.check_mark("sleeping", "")[0].is_error


def test_age_bands() -> None:
    assert [age_band(a) for a in (0, 2, 3, 17, 18, 59, 60, 95, None)] == [
        "0-2", "0-2", "3-5", "12-17", "18-29", "30-59", "60+", "60+", "unknown"]


# --- club ---------------------------------------------------------------------------------

def test_club_membership_dates_and_emergency_contact(coord_ctx, person) -> None:
    elder = person("Fatna", birth_date=date(1952, 2, 2), sex="F")
    with pytest.raises(errors.ValidationFailed) as exc:
        club.enroll_member(ctx=coord_ctx, person_id=elder.id, start_date=date(2026, 11, 2),
                           end_date=date(2026, 1, 1))
    assert exc.value.messages[0].field == "end_date"
    e = club.enroll_member(ctx=coord_ctx, person_id=elder.id, end_date=date(2027, 10, 31),
                           emergency_name="Daughter", emergency_phone="06 61 23 45 67", health_notes="diabetic")
    assert e.active and e.emergency_phone == "+212661234567"
    renewed = club.renew_membership(ctx=coord_ctx, enrollment_id=e.id, end_date=date(2028, 10, 31))
    assert renewed.end_date == date(2028, 10, 31)


def test_club_day_lists_members_who_came_with_expiry(ctx, coord_ctx, person, clock) -> None:
    a = person("Ali", birth_date=date(1950, 1, 1), sex="M")
    b = person("Zohra", birth_date=date(1955, 1, 1), sex="F")
    club.enroll_member(ctx=coord_ctx, person_id=a.id, start_date=date(2025, 10, 1), end_date=date(2026, 10, 1))
    club.enroll_member(ctx=coord_ctx, person_id=b.id, health_notes="hypertension")
    arrival = club.check_in_member(ctx=ctx, person_id=b.id)
    assert arrival.needs_ack
    club.acknowledge_alerts(ctx=ctx, check_in_id=arrival.event_id)
    club.check_in_member(ctx=ctx, person_id=a.id)
    clock.advance(hours=3)
    club.check_out_member(ctx=ctx, person_id=a.id)
    rows = {r.person_id: r for r in club.club_day(ctx=ctx)}
    assert rows[a.id].membership_expired and rows[a.id].time_out is not None and not rows[a.id].present
    assert rows[b.id].present and rows[b.id].age == 71
    with pytest.raises(club.NotPresent):
        club.check_out_member(ctx=ctx, person_id=person("Other").id)


def test_club_activity_participants_are_idempotent(ctx, coord_ctx, person) -> None:
    elder = person("Hmad", birth_date=date(1945, 3, 3))
    act = club.create_activity(ctx=coord_ctx, kind="medical_campaign", title="Eye check",
                               day=date(2026, 11, 2), partner="Regional hospital")
    assert club.add_activity_participant(ctx=ctx, activity_id=act.id, person_id=elder.id)
    assert not club.add_activity_participant(ctx=ctx, activity_id=act.id, person_id=elder.id)
    assert club.get_activity(ctx=ctx, activity_id=act.id).participant_ids == [elder.id]
    with pytest.raises(errors.ValidationFailed):
        club.create_activity(ctx=coord_ctx, kind="party", title="", day=date(2026, 11, 2))


# --- workshops ----------------------------------------------------------------------------

def test_categories_are_seeded_in_three_languages(ctx) -> None:
    cats = {c.code: c for c in workshops.categories(ctx=ctx)}
    assert {"crafts", "digital_skills", "school_support", "holiday_activities", "holiday_drawing",
            "holiday_theatre", "holiday_music", "holiday_swimming", "positive_parenting",
            "pre_marriage", "youth_employment"} <= set(cats)
    assert cats["holiday_swimming"].parent_code == "holiday_activities"
    assert cats["crafts"].name("fr") == "Artisanat" and cats["crafts"].name("ar") == "الحرف"


def test_workshop_validation(coord_ctx) -> None:
    with pytest.raises(errors.ValidationFailed) as exc:
        workshops.save_workshop(ctx=coord_ctx, data={"category_code": "cooking", "capacity": 0})
    assert {m.field for m in exc.value.messages} == {"category_code", "title", "capacity"}


def test_workshop_capacity_waitlist_and_promotion(coord_ctx, person, clock) -> None:
    w = workshops.save_workshop(ctx=coord_ctx, data={"category_code": "crafts", "title": "Sewing",
                                                     "trainer": "Mme Alaoui", "capacity": 2})
    people = [person(f"W{i}") for i in range(4)]
    got = []
    for p in people:
        got.append(workshops.enroll_participant(ctx=coord_ctx, workshop_id=w.id, person_id=p.id))
        clock.advance(seconds=30)
    assert [e.status for e in got] == ["active", "active", "waitlisted", "waitlisted"]
    assert got[3].waitlist_position == 2
    result = workshops.withdraw_participant(ctx=coord_ctx, enrollment_id=got[1].id, reason="found a job")
    assert [e.person_id for e in result.promoted] == [people[2].id]
    # raising the capacity lets the last one in
    workshops.save_workshop(ctx=coord_ctx, workshop_id=w.id, data={"capacity": 3})
    active = workshops.participants(ctx=coord_ctx, workshop_id=w.id, status="active")
    assert {e.person_id for e in active} == {people[0].id, people[2].id, people[3].id}


def test_session_attendance_marks_corrections_and_completion(ctx, coord_ctx, person, clock) -> None:
    w = workshops.save_workshop(ctx=coord_ctx, data={"category_code": "positive_parenting",
                                                     "title": "Parents' circle", "completion_threshold": 0.5})
    start = clock.current
    sessions = [workshops.add_session(ctx=coord_ctx, workshop_id=w.id, starts_at=start + timedelta(days=7 * i),
                                      ends_at=start + timedelta(days=7 * i, hours=2)) for i in range(2)]
    a, b = person("Asmae", sex="F"), person("Badr", sex="M")
    for p in (a, b):
        workshops.enroll_participant(ctx=coord_ctx, workshop_id=w.id, person_id=p.id)
    with pytest.raises(errors.ValidationFailed):
        workshops.mark_attendance(ctx=ctx, session_id=sessions[0].id, person_id=a.id, status="excused")
    workshops.mark_attendance(ctx=ctx, session_id=sessions[0].id, person_id=a.id, status="present")
    workshops.mark_attendance(ctx=ctx, session_id=sessions[0].id, person_id=b.id, status="absent")
    # correcting a mark appends an amendment, the first mark stays as it was written
    mark = workshops.mark_attendance(ctx=ctx, session_id=sessions[0].id, person_id=b.id,
                                     status="excused", reason="hospital appointment")
    assert mark["status"] == "excused"
    assert ctx.db.execute("SELECT status FROM attendance WHERE person_id = ?", [b.id]).fetchall() == [("absent",)]
    assert ctx.db.execute("SELECT count(*) FROM event_correction").fetchone()[0] == 1
    sheet = workshops.session_sheet(ctx=ctx, session_id=sessions[0].id)
    assert {r.person_id: r.status for r in sheet.rows} == {a.id: "present", b.id: "excused"}
    assert sheet.count("present") == 1 and sheet.trainer == ""
    report = {c.person_id: c for c in workshops.completion_report(ctx=ctx, workshop_id=w.id)}
    assert report[a.id].status == "in_progress"
    clock.advance(days=7, minutes=5)
    workshops.mark_attendance(ctx=ctx, session_id=sessions[1].id, person_id=a.id, status="absent")
    workshops.mark_attendance(ctx=ctx, session_id=sessions[1].id, person_id=b.id, status="late")
    report = {c.person_id: c for c in workshops.completion_report(ctx=ctx, workshop_id=w.id)}
    assert (report[a.id].status, report[a.id].rate) == ("completed", 0.5)
    assert (report[b.id].status, report[b.id].counted) == ("completed", 1)
    # voiding a mark leaves the participant unmarked
    attendance.void_event(ctx=ctx, table="attendance", event_id=mark["id"], reason="wrong session")
    sheet = workshops.session_sheet(ctx=ctx, session_id=sessions[0].id)
    assert {r.person_id: r.status for r in sheet.rows}[b.id] is None


# --- campaigns and monthly counts ------------------------------------------------------------

def test_campaign_counts_by_sex_and_band(coord_ctx, person) -> None:
    c = campaigns.save_campaign(ctx=coord_ctx, topic="Water saving", day=date(2026, 11, 10),
                                place="Souk", partner="ONEE")
    with pytest.raises(errors.ValidationFailed):
        campaigns.set_counts(ctx=coord_ctx, campaign_id=c.id, counts={("F", "18-29"): -1})
    with pytest.raises(errors.ValidationFailed):
        campaigns.save_campaign(ctx=coord_ctx, topic="", day=date(2026, 11, 10), place="")
    campaigns.set_counts(ctx=coord_ctx, campaign_id=c.id, counts={("F", "18-29"): 12, ("M", "60+"): 5})
    c = campaigns.set_counts(ctx=coord_ctx, campaign_id=c.id, counts={("F", "18-29"): 14})
    assert c.counts == {("F", "18-29"): 14, ("M", "60+"): 5} and c.total == 19
    c = campaigns.add_participant(ctx=coord_ctx, campaign_id=c.id, person_id=person("Named").id)
    assert len(c.participant_ids) == 1


def test_monthly_counts_by_service_sex_and_band(ctx, coord_ctx, child, person, clock) -> None:
    girl = child("Rim", sex="F")
    nursery.enroll_child(ctx=coord_ctx, child_id=girl.id)
    elder = person("Driss", sex="M", birth_date=date(1950, 6, 1))
    club.enroll_member(ctx=coord_ctx, person_id=elder.id)
    for _ in range(3):
        nursery.check_in_child(ctx=ctx, child_id=girl.id)
        club.check_in_member(ctx=ctx, person_id=elder.id)
        clock.advance(days=1)
    voided = nursery.check_in_child(ctx=ctx, child_id=girl.id)
    attendance.void_event(ctx=ctx, table="check_in", event_id=voided.event_id, reason="test entry")
    c = campaigns.save_campaign(ctx=coord_ctx, topic="Violence", day=date(2026, 11, 20), place="School")
    campaigns.set_counts(ctx=coord_ctx, campaign_id=c.id, counts={("F", "12-17"): 30})
    clock.advance(days=30)
    club.check_in_member(ctx=ctx, person_id=elder.id)   # December: not counted in November
    counts = {(m.service, m.sex, m.age_band): (m.persons, m.attendances)
              for m in monthly_counts(ctx=ctx, year=2026, month=11)}
    assert counts == {("nursery", "F", "0-2"): (1, 3), ("club", "M", "60+"): (1, 3),
                      ("campaign", "F", "12-17"): (30, 30)}


def test_an_afternoon_return_is_one_attendance_of_the_day(ctx, coord_ctx, child, clock) -> None:
    """A child picked up at noon and brought back after lunch stayed twice but attended once:
    the monthly counts take one attendance per person and day."""
    from jisr_desktop.domain.nursery import PickupClaim

    girl = child("Salma", sex="F")
    nursery.enroll_child(ctx=coord_ctx, child_id=girl.id)
    nursery.check_in_child(ctx=ctx, child_id=girl.id)
    clock.advance(hours=4)
    nursery.check_out_child(ctx=coord_ctx, child_id=girl.id, claim=PickupClaim(name="Her aunt"),
                            override_reason="no authorised person on file yet")
    clock.advance(hours=2)
    nursery.check_in_child(ctx=ctx, child_id=girl.id)  # back after lunch
    stays = ctx.db.execute("SELECT count(*) FROM check_in WHERE person_id = ?", [girl.id])
    assert stays.fetchone()[0] == 2
    counts = {(m.service, m.sex): (m.persons, m.attendances)
              for m in monthly_counts(ctx=ctx, year=2026, month=11)}
    assert counts[("nursery", "F")] == (1, 1)
