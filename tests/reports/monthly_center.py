"""A generated center for the monthly report tests, made through the real services with a
seeded random draw: nursery (few places, so a waiting list; exits and promotions; a child who
leaves at noon and comes back), elderly club, three workshops (October, early and late
November) with known completions, reception visits over every program, channel and outcome,
campaigns, persons with a disability, check-ins voided and marks amended. Activity runs from
March (year to date) through October (previous month) and November (the month reported) into
December (after it).

`expected_*` recount the database with their own SQL (corrections applied in SQL: a void drops
the event, the latest amendment of a mark gives its status), never through the report code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from jisr_desktop.context import SYSTEM_USER, Context
from jisr_desktop.db.connection import open_database
from jisr_desktop.domain.nursery import PickupClaim
from jisr_desktop.domain.workshops import Mark
from jisr_desktop.services import (
    accounts,
    attendance,
    campaigns,
    club,
    enrollments,
    nursery,
    visits,
    workshops,
)
from jisr_desktop.services.center import create_center
from jisr_desktop.services.registry import register_person
from tests.fixtures import FakeClock

CODE = "RBT07"
NAME_FR = "Espace Jisr al-Usra — Yacoub El Mansour"
NAME_AR = "فضاء جسر الأسرة — يعقوب المنصور"
PROVINCE = "04.421"
PLACES = 8
PROGRAMS = ("rsu", "amo_tadamon", "forsa", "intelaka", "awrach", "direct_support", "other")
CHANNELS = ("in_person", "phone")
OUTCOMES = ("informed", "helped", "referred", "follow_up")
# Turns 3 on 25 November 2026: 0–2 years on the 18th, 3–5 years on the 30th.
BIRTHDAY_CHILD = date(2023, 11, 25)
GIVEN_F = [("فاطمة", "Fatima"), ("خديجة", "Khadija"), ("سلمى", "Salma"), ("مريم", "Meryem"), ("سارة", "Sara")]
GIVEN_M = [("يوسف", "Youssef"), ("آدم", "Adam"), ("إدريس", "Driss"), ("عمر", "Omar"), ("أمين", "Amine")]
FAMILY = [("العلوي", "El Alaoui"), ("بنعلي", "Benali"), ("التازي", "Tazi"), ("الفاسي", "Fassi"),
          ("الحسني", "El Hassani")]


@dataclass
class Generated:
    ctx: Context
    clock: FakeClock
    children: list[str] = field(default_factory=list)
    birthday_child: str = ""
    adults: list[str] = field(default_factory=list)
    elders: list[str] = field(default_factory=list)
    workshop_ids: dict[str, str] = field(default_factory=dict)
    completed: dict[str, int] = field(default_factory=dict)     # workshop key -> participants who complete
    participants: dict[str, int] = field(default_factory=dict)
    second_stays_november: int = 0   # afternoon returns recorded as a new stay (same day)


def weekdays(first: date, last: date) -> list[date]:
    return [first + timedelta(days=d) for d in range((last - first).days + 1)
            if (first + timedelta(days=d)).weekday() < 5]


def _person(ctx: Context, rng: random.Random, sex: str, born: date, **extra: Any) -> str:
    given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
    family = rng.choice(FAMILY)
    return register_person(ctx=ctx, data={"given_name_ar": given[0], "family_name_ar": family[0],
                                          "given_name_lat": given[1], "family_name_lat": family[1],
                                          "sex": sex, "birth_date": born, **extra}).id


def open_center(home: Path) -> Generated:
    clock = FakeClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    system = Context(db=open_database(home, create=True), user=SYSTEM_USER, clock=clock)
    create_center(ctx=system, code=CODE, name_fr=NAME_FR, name_ar=NAME_AR, province_code=PROVINCE)
    coord = accounts.create_account(ctx=system, username="coord", display_name="Coord", role="coordinator",
                                    password="correct horse")
    return Generated(Context(db=system.db, user=coord, clock=clock), clock)


def _at(g: Generated, day: date, hour: int, minute: int = 0) -> None:
    g.clock.current = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def generate(home: Path, seed: int = 14) -> Generated:
    rng = random.Random(seed)
    g = open_center(home)
    ctx = g.ctx
    nursery.set_nursery_capacity(ctx=ctx, places=PLACES)
    # --- people ---
    for i in range(40):
        sex = "F" if rng.random() < 0.6 else "M"
        extra: dict[str, Any] = {}
        if i % 7 == 0:
            extra = {"disability": True, "disability_type": ["motor", "visual", " motor ", ""][i % 4]}
        g.adults.append(_person(ctx, rng, sex, date(1966 + i % 40, 1 + i % 12, 1 + i % 27), **extra))
    for i in range(10):
        extra = {"disability": True, "disability_type": "hearing"} if i == 4 else {}
        g.elders.append(_person(ctx, rng, "F" if i % 2 else "M", date(1940 + i, 3, 9), **extra))
    _at(g, date(2026, 3, 2), 9)
    for day in weekdays(date(2026, 3, 2), date(2026, 3, 6)):   # a week in March: the year to date
        _at(g, day, 9)
        for _ in range(3):
            _visit(g, rng)
    # --- nursery: 13 children for 8 places on 1 September; 5 wait ---
    _at(g, date(2026, 9, 1), 8)
    for i in range(13):
        born = BIRTHDAY_CHILD if i == 2 else date(2024 + i % 2, 1 + i % 12, 5)
        child = _person(ctx, rng, "F" if i % 2 else "M", born,
                        **({"disability": True, "disability_type": "motor"} if i == 5 else {}))
        g.children.append(child)
        if i == 2:
            g.birthday_child = child
        nursery.enroll_child(ctx=ctx, child_id=child, guardian_ids=[g.adults[i]])
    for elder in g.elders[:8]:
        club.enroll_member(ctx=ctx, person_id=elder)
    _workshops(g, rng)
    # --- the days ---
    for day in weekdays(date(2026, 9, 28), date(2026, 12, 4)):
        _events_note_changes(g, rng, day)
        _at(g, day, 8, rng.randint(0, 40))
        for child in g.children:
            if rng.random() < 0.85:
                nursery.check_in_child(ctx=ctx, child_id=child)
                g.clock.advance(minutes=1)
        for elder in g.elders:
            if rng.random() < 0.6:
                club.check_in_member(ctx=ctx, person_id=elder)
        _at(g, day, 10)
        for _ in range(rng.randint(1, 4)):
            _visit(g, rng)
        if day.day % 5 == 0:  # a child leaves at noon and comes back in the afternoon: one day
            child = g.children[6]
            morning = attendance.live_check_in(ctx.db, "nursery", child, day)
            if morning:
                _at(g, day, 12)
                nursery.check_out_child(ctx=ctx, child_id=child, claim=PickupClaim(person_id=g.adults[6]))
                _at(g, day, 14)
                back = nursery.check_in_child(ctx=ctx, child_id=child)
                if back.event_id != morning["id"] and day.month == 11:
                    g.second_stays_november += 1
        if rng.random() < 0.12:  # a check-in typed by mistake
            found = ctx.db.execute("SELECT id FROM check_in WHERE day = ? ORDER BY at LIMIT 1",
                                   [day.isoformat()]).fetchone()
            if found:
                attendance.void_event(ctx=ctx, table="check_in", event_id=found[0], reason="wrong person typed")
    for day, topic, counts in ((date(2026, 10, 9), "الوقاية من داء السكري", {("F", "30-59"): 21, ("M", "60+"): 7}),
                               (date(2026, 11, 6), "Violence faite aux femmes", {("F", "18-29"): 15, ("F", "30-59"): 9,
                                                                                 ("M", "30-59"): 4}),
                               (date(2026, 11, 24), "الماء والبيئة", {("F", "12-17"): 11, ("M", "12-17"): 13})):
        _at(g, day, 11)
        c = campaigns.save_campaign(ctx=ctx, topic=topic, day=day, place="دوار أولاد سالم")
        campaigns.set_counts(ctx=ctx, campaign_id=c.id, counts=counts)
    return g


def _visit(g: Generated, rng: random.Random) -> None:
    outcome = rng.choice(OUTCOMES)
    visits.log_visit(ctx=g.ctx, data={
        "person_id": rng.choice(g.adults + g.elders[:3]), "program_code": rng.choice(PROGRAMS),
        "channel": rng.choice(CHANNELS), "outcome": outcome,
        "referral_to": "Délégation de l'Entraide nationale" if outcome == "referred" else ""})


def _events_note_changes(g: Generated, rng: random.Random, day: date) -> None:
    """Enrollment changes on set days: exits (the waiting list moves up), new children and
    members, a club member leaving."""
    ctx = g.ctx
    _at(g, day, 7)
    if day in (date(2026, 10, 15), date(2026, 11, 10), date(2026, 11, 23)):
        active = enrollments.listing(ctx, "nursery", status="active")
        nursery.end_enrollment(ctx=ctx, enrollment_id=active[0].id, reason="moved away")
    if day == date(2026, 11, 4):
        for i in range(2):
            child = _person(ctx, rng, "F", date(2025, 6 + i, 1))
            g.children.append(child)
            nursery.enroll_child(ctx=ctx, child_id=child, guardian_ids=[g.adults[20 + i]])
        club.enroll_member(ctx=ctx, person_id=g.elders[8])
    if day == date(2026, 11, 17):
        member = next(e for e in club.members(ctx=ctx, status="active") if e.person_id == g.elders[1])
        club.end_membership(ctx=ctx, enrollment_id=member.id, reason="health")
    if day == date(2026, 12, 2):
        club.enroll_member(ctx=ctx, person_id=g.elders[9])


def _workshops(g: Generated, rng: random.Random) -> None:
    """Three workshops of four sessions: participant k attends all but, when k % 3 == 0, two
    (not completed, 2 of 4 < 75 %); k == 1 is excused once and present at the rest (3 of 3:
    completed). One mark is typed absent then corrected to present."""
    ctx = g.ctx
    plans = {"oct": (date(2026, 10, 5), 7, 8), "nov_early": (date(2026, 11, 2), 3, 9),
             "nov_late": (date(2026, 11, 16), 3, 7)}
    titles = {"oct": "Atelier couture (niveau 1)", "nov_early": "المهارات الرقمية للنساء",
              "nov_late": "Parentalité positive"}
    offset = 0
    for key, (start, step, n) in plans.items():
        _at(g, start - timedelta(days=7), 10)   # enrollments open a week before the first session
        w = workshops.save_workshop(ctx=ctx, data={"category_code": "crafts", "title": titles[key],
                                                   "trainer": "Samira Tazi", "capacity": n})
        g.workshop_ids[key] = w.id
        days = [start + timedelta(days=step * k) for k in range(4)]
        sessions = [workshops.add_session(ctx=ctx, workshop_id=w.id,
                                          starts_at=datetime(d.year, d.month, d.day, 14, tzinfo=UTC),
                                          ends_at=datetime(d.year, d.month, d.day, 16, tzinfo=UTC)).id
                    for d in days]
        people = g.adults[offset:offset + n + 1]   # one more than the places: waitlisted, not counted
        offset += n
        for p in people:
            workshops.enroll_participant(ctx=ctx, workshop_id=w.id, person_id=p)
        done = 0
        for k, person in enumerate(people[:n]):
            marks = [Mark.PRESENT] * 4
            if k % 3 == 0:
                marks = [Mark.PRESENT, Mark.ABSENT, Mark.LATE, Mark.ABSENT]
            elif k == 1:
                marks = [Mark.EXCUSED, Mark.PRESENT, Mark.PRESENT, Mark.LATE]
            done += k % 3 != 0
            for s, d, m in zip(sessions, days, marks, strict=True):
                _at(g, d, 14, 5)
                if k == 2 and d == days[1]:
                    workshops.mark_attendance(ctx=ctx, session_id=s, person_id=person, status=Mark.ABSENT)
                    g.clock.advance(minutes=30)
                workshops.mark_attendance(ctx=ctx, session_id=s, person_id=person, status=m,
                                          reason="sick child at home" if m == Mark.EXCUSED else "")
        g.completed[key], g.participants[key] = done, n
    _ = rng


# --- Independent counts -------------------------------------------------------------------------

LIVE_CHECK_INS = ("SELECT * FROM check_in WHERE id NOT IN"
                  " (SELECT target_id FROM event_correction WHERE kind = 'void')")
# a mark's status: its latest amendment that sets a status, else the recorded one
LIVE_MARKS = """
SELECT a.*, coalesce((SELECT json_extract(c.patch, '$.status') FROM event_correction c
                      WHERE c.target_id = a.id AND c.kind = 'amend'
                        AND json_extract(c.patch, '$.status') IS NOT NULL
                      ORDER BY c.at DESC, c.id DESC LIMIT 1), a.status) AS live_status
FROM attendance a WHERE a.id NOT IN (SELECT target_id FROM event_correction WHERE kind = 'void')"""


def expected_services(db: Any, first: date, last: date) -> dict[str, tuple[int, int]]:
    """service -> (distinct persons, attendances) between two days, with plain SQL."""
    span = [first.isoformat(), last.isoformat()]
    out: dict[str, tuple[int, int]] = {}
    for service, persons, days in db.execute(
            f"SELECT service, count(DISTINCT person_id), count(DISTINCT person_id || '@' || day)"
            f" FROM ({LIVE_CHECK_INS}) WHERE day BETWEEN ? AND ? GROUP BY service", span):
        out[service] = (persons, days)
    for context, persons, n in db.execute(
            f"SELECT context, count(DISTINCT person_id), count(*) FROM ({LIVE_MARKS})"
            f" WHERE day BETWEEN ? AND ? AND live_status IN ('present', 'late') GROUP BY context", span):
        out[context] = (persons, n)
    persons, n = db.execute("SELECT count(DISTINCT person_id), count(*) FROM visit WHERE day BETWEEN ? AND ?",
                            span).fetchone()
    if n:
        out["visit"] = (persons, n)
    (reached,) = db.execute("SELECT coalesce(sum(k.count), 0) FROM campaign_count k JOIN campaign c"
                            " ON c.id = k.campaign_id WHERE c.day BETWEEN ? AND ? AND c.deleted = 0"
                            " AND k.deleted = 0", span).fetchone()
    if reached:
        out["campaign"] = (reached, reached)
    return out


def served_sql(first: date, last: date) -> tuple[str, list[str]]:
    """SQL of the persons served by a named service between two days (each once)."""
    span = [first.isoformat(), last.isoformat()]
    return (f"SELECT person_id FROM ({LIVE_CHECK_INS}) WHERE day BETWEEN ? AND ?"
            f" UNION SELECT person_id FROM ({LIVE_MARKS}) WHERE day BETWEEN ? AND ?"
            " AND live_status IN ('present', 'late')"
            " UNION SELECT person_id FROM visit WHERE day BETWEEN ? AND ?", span * 3)


def days_open_sql(first: date, last: date) -> tuple[str, list[str]]:
    span = [first.isoformat(), last.isoformat()]
    return (f"SELECT count(*) FROM (SELECT day FROM ({LIVE_CHECK_INS}) WHERE day BETWEEN ? AND ?"
            f" UNION SELECT day FROM ({LIVE_MARKS}) WHERE day BETWEEN ? AND ? AND live_status IN ('present', 'late')"
            " UNION SELECT day FROM visit WHERE day BETWEEN ? AND ?"
            " UNION SELECT day FROM campaign WHERE deleted = 0 AND day BETWEEN ? AND ?)", span * 4)


def pdf_pages(pdf: bytes) -> list[list[str]]:
    """Each page's lines as drawn (display order, pypdf's layout mode), spaces collapsed."""
    import io

    import pypdf

    pages = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        text = page.extract_text(extraction_mode="layout")
        pages.append([" ".join(line.replace("\u202f", " ").replace("\u00a0", " ").split())
                      for line in text.splitlines() if line.strip()])
    return pages
