"""A small center's day and month, made through the real services, for the report tests.

The test clock starts on Monday 2026-11-02 08:30 UTC (tests/fixtures.py). The scenario writes:
three nursery children (one with an allergy), two club members, a workshop with two sessions
on 2026-11-02 and 2026-11-04, visits oriented to public programs, and one awareness campaign.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from jisr_desktop.context import Context
from jisr_desktop.domain.person import Person
from jisr_desktop.domain.workshops import Mark
from jisr_desktop.services import campaigns, club, nursery, visits, workshops
from jisr_desktop.services.registry import register_person

DAY = date(2026, 11, 2)


@dataclass
class Scenario:
    people: dict[str, Person] = field(default_factory=dict)
    workshop_id: str = ""
    session_ids: list[str] = field(default_factory=list)
    enrollment_ids: dict[str, str] = field(default_factory=dict)


def register(ctx: Context, key: str, sc: Scenario, **data: Any) -> Person:
    sc.people[key] = register_person(ctx=ctx, data=data)
    return sc.people[key]


def build(coord: Context, recep: Context, clock: Any) -> Scenario:
    sc = Scenario()
    mother = register(coord, "mother", sc, given_name_ar="فاطمة", family_name_ar="العلوي",
                      given_name_lat="Fatima", family_name_lat="El Alaoui", sex="F",
                      birth_date=date(1994, 5, 1), phone="0612345678")
    father = register(coord, "father", sc, given_name_ar="يوسف", family_name_ar="بناني",
                      given_name_lat="Youssef", family_name_lat="Bennani", sex="M", birth_date=date(1990, 2, 3))
    salma = register(coord, "salma", sc, given_name_ar="سلمى", family_name_ar="العلوي",
                     given_name_lat="Salma", family_name_lat="El Alaoui", sex="F", birth_date=date(2025, 3, 10))
    adam = register(coord, "adam", sc, given_name_ar="آدم", family_name_ar="بناني",
                    given_name_lat="Adam", family_name_lat="Bennani", sex="M", birth_date=date(2024, 6, 1))
    lina = register(coord, "lina", sc, given_name_ar="لينا", family_name_ar="التازي",
                    given_name_lat="Lina", family_name_lat="Tazi", sex="F", birth_date=date(2025, 1, 20))
    nursery.enroll_child(ctx=coord, child_id=salma.id, guardian_ids=[mother.id], allergies="حساسية من البيض")
    nursery.enroll_child(ctx=coord, child_id=adam.id, guardian_ids=[father.id])
    nursery.enroll_child(ctx=coord, child_id=lina.id, guardian_ids=[mother.id])
    # Elderly club
    hajja = register(coord, "hajja", sc, given_name_ar="خديجة", family_name_ar="الفاسي",
                     given_name_lat="Khadija", family_name_lat="Fassi", sex="F", birth_date=date(1950, 7, 7))
    driss = register(coord, "driss", sc, given_name_ar="إدريس", family_name_ar="الحسني",
                     given_name_lat="Driss", family_name_lat="El Hassani", sex="M", birth_year=1948)
    club.enroll_member(ctx=coord, person_id=hajja.id)
    club.enroll_member(ctx=coord, person_id=driss.id)
    # Workshop: two sessions, two participants
    workshop = workshops.save_workshop(ctx=coord, data={
        "category_code": "crafts", "title": "الخياطة التقليدية", "trainer": "Samira",
        "start_date": DAY, "end_date": date(2026, 11, 4)})
    sc.workshop_id = workshop.id
    for d in (2, 4):
        s = workshops.add_session(ctx=coord, workshop_id=workshop.id,
                                  starts_at=datetime(2026, 11, d, 9, 0, tzinfo=UTC),
                                  ends_at=datetime(2026, 11, d, 11, 0, tzinfo=UTC), topic="Couture")
        sc.session_ids.append(s.id)
    sara = register(coord, "sara", sc, given_name_ar="سارة", family_name_ar="بنعلي",
                    given_name_lat="Sara", family_name_lat="Benali", sex="F", birth_date=date(2003, 4, 4))
    for key in ("sara", "mother"):
        e = workshops.enroll_participant(ctx=coord, workshop_id=workshop.id, person_id=sc.people[key].id)
        sc.enrollment_ids[key] = e.id
    # --- the day: 2026-11-02 ---
    nursery.check_in_child(ctx=recep, child_id=salma.id, dropped_off_by_name="فاطمة العلوي")
    clock.advance(minutes=15)
    nursery.check_in_child(ctx=recep, child_id=adam.id, dropped_off_by_name="Youssef Bennani")
    club.check_in_member(ctx=recep, person_id=hajja.id)
    workshops.mark_attendance(ctx=coord, session_id=sc.session_ids[0], person_id=sara.id, status=Mark.PRESENT)
    workshops.mark_attendance(ctx=coord, session_id=sc.session_ids[0], person_id=mother.id, status=Mark.LATE)
    for key, program in (("mother", "rsu"), ("father", "amo_tadamon"), ("sara", "awrach"), ("mother", "rsu")):
        visits.log_visit(ctx=recep, data={"person_id": sc.people[key].id, "program_code": program,
                                          "channel": "in_person", "outcome": "informed"})
    c = campaigns.save_campaign(ctx=coord, topic="الوقاية من السكري", day=date(2026, 11, 3), place="دوار")
    campaigns.set_counts(ctx=coord, campaign_id=c.id, counts={("F", "30-59"): 12, ("M", "60+"): 5})
    clock.advance(hours=8)  # 16:45
    from jisr_desktop.domain.nursery import PickupClaim
    nursery.check_out_child(ctx=recep, child_id=salma.id, claim=PickupClaim(person_id=mother.id))
    return sc


def later_days(coord: Context, recep: Context, clock: Any, sc: Scenario) -> None:
    """2026-11-04: a second session (Sara present, Fatima absent), the nursery again."""
    clock.advance(days=2, hours=-8)  # 2026-11-04 08:45
    nursery.check_in_child(ctx=recep, child_id=sc.people["salma"].id)
    nursery.check_in_child(ctx=recep, child_id=sc.people["lina"].id)
    club.check_in_member(ctx=recep, person_id=sc.people["hajja"].id)
    club.check_in_member(ctx=recep, person_id=sc.people["driss"].id)
    workshops.mark_attendance(ctx=coord, session_id=sc.session_ids[1], person_id=sc.people["sara"].id,
                              status=Mark.PRESENT)
    workshops.mark_attendance(ctx=coord, session_id=sc.session_ids[1], person_id=sc.people["mother"].id,
                              status=Mark.ABSENT)
