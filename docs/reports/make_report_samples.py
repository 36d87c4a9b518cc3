"""Regenerate the images of the real printouts: `.venv/bin/python docs/reports/make_report_samples.py`.

Builds a small center in a temporary data root through the services (nursery, club, workshop,
visits, a campaign; a fixed clock in November 2026), then renders the Arabic nursery roster,
the Arabic monthly report and the member card sheets (Arabic, French). Look at them before committing.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from jisr_desktop.context import SYSTEM_USER, Context  # noqa: E402
from jisr_desktop.db.connection import open_database  # noqa: E402
from jisr_desktop.domain.nursery import PickupClaim  # noqa: E402
from jisr_desktop.reports.cards_sheet import build_card_sheet  # noqa: E402
from jisr_desktop.reports.monthly import build_monthly_report  # noqa: E402
from jisr_desktop.reports.render import render_page_png  # noqa: E402
from jisr_desktop.reports.rosters import RosterRequest, build_roster  # noqa: E402
from jisr_desktop.services import campaigns, club, nursery, visits, workshops  # noqa: E402
from jisr_desktop.services.center import create_center  # noqa: E402
from jisr_desktop.services.registry import register_person  # noqa: E402

GIRLS = [("مريم", "Meryem"), ("سلمى", "Salma"), ("خديجة", "Khadija"), ("ياسمين", "Yasmine"), ("لينا", "Lina")]
BOYS = [("يوسف", "Youssef"), ("آدم", "Adam"), ("أمين", "Amine"), ("عمر", "Omar"), ("إدريس", "Driss")]
FAMILIES = [("العلوي", "El Alaoui"), ("بنعلي", "Benali"), ("الإدريسي", "El Idrissi"), ("أيت علي", "Ait Ali"),
            ("الحسني", "El Hassani"), ("بناني", "Bennani"), ("التازي", "Tazi")]


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def person(ctx: Context, rng: random.Random, sex: str, born: dt.date, **extra: object) -> str:
    given = rng.choice(GIRLS if sex == "F" else BOYS)
    family = rng.choice(FAMILIES)
    return register_person(ctx=ctx, data={"given_name_ar": given[0], "family_name_ar": family[0],
                                          "given_name_lat": given[1], "family_name_lat": family[1],
                                          "sex": sex, "birth_date": born, **extra}).id


def build(home: Path) -> Context:
    rng = random.Random(3)
    clock = Clock()
    ctx = Context(db=open_database(home, create=True), user=SYSTEM_USER, clock=clock)
    create_center(ctx=ctx, code="RBT01", name_fr="Espace Jisr al-Usra — Yacoub El Mansour",
                  name_ar="فضاء جسر الأسرة — يعقوب المنصور", province_code="04.421")
    children = []
    for i in range(14):
        mother = person(ctx, rng, "F", dt.date(1990 + i % 8, 1 + i % 12, 3), phone=f"06612{i:05d}")
        child = person(ctx, rng, "F" if i % 2 else "M", dt.date(2024 + i % 2, 1 + i % 12, 10))
        enrollment = nursery.enroll_child(ctx=ctx, child_id=child, guardian_ids=[mother], capacity=30,
                                          allergies="حساسية من الحليب والبيض (الدواء في الحقيبة الزرقاء)" if i == 3 else "")
        children.append((child, mother))
        if i == 3:  # someone else authorised: a name, a relationship, a CIN (its last digits print)
            nursery.add_pickup(ctx=ctx, enrollment_id=enrollment.id, data={
                "name": "هند العمراني", "cin": "BK765432", "phone": "0661000111", "relationship": "الخالة"})
    members = [person(ctx, rng, "F" if i % 3 else "M", dt.date(1945 + i, 5, 5)) for i in range(8)]
    for m in members:
        club.enroll_member(ctx=ctx, person_id=m)
    workshop = workshops.save_workshop(ctx=ctx, data={"category_code": "digital_skills", "title": "المهارات الرقمية للنساء",
                                                      "trainer": "Samira Tazi"})
    session_ids = [workshops.add_session(ctx=ctx, workshop_id=workshop.id,
                                         starts_at=dt.datetime(2026, 11, d, 14, tzinfo=dt.UTC),
                                         ends_at=dt.datetime(2026, 11, d, 16, tzinfo=dt.UTC)).id for d in (3, 10, 17)]
    trainees = [person(ctx, rng, "F", dt.date(1995 + i, 2, 2)) for i in range(10)]
    for t in trainees:
        workshops.enroll_participant(ctx=ctx, workshop_id=workshop.id, person_id=t)
    programs = ["rsu", "amo_tadamon", "forsa", "awrach", "direct_support", "intelaka"]
    for day in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18):
        clock.now = dt.datetime(2026, 11, day, 8, 0, tzinfo=dt.UTC)
        for child, _mother in children:
            if rng.random() < 0.85:
                clock.now += dt.timedelta(minutes=rng.randint(1, 9))
                nursery.check_in_child(ctx=ctx, child_id=child, dropped_off_by_name="الأم")
        for m in members:
            if rng.random() < 0.6:
                club.check_in_member(ctx=ctx, person_id=m)
        for _ in range(rng.randint(4, 9)):
            visitor = rng.choice([mother for _, mother in children] + trainees)
            visits.log_visit(ctx=ctx, data={"person_id": visitor, "program_code": rng.choice(programs),
                                            "channel": "in_person", "outcome": "informed"})
        clock.now = dt.datetime(2026, 11, day, 16, 0, tzinfo=dt.UTC)
        for child, mother in children:
            still_here = day == 2 and rng.random() < 0.3  # the first day's roster shows some not yet gone
            if not still_here and nursery.attendance.live_check_in(ctx.db, "nursery", child, clock.now.date()):
                clock.now += dt.timedelta(minutes=rng.randint(1, 7))
                nursery.check_out_child(ctx=ctx, child_id=child, claim=PickupClaim(person_id=mother))
    for sid in session_ids:
        for t in trainees:
            workshops.mark_attendance(ctx=ctx, session_id=sid, person_id=t,
                                      status=rng.choices(["present", "late", "absent"], (7, 1, 2))[0])
    c = campaigns.save_campaign(ctx=ctx, topic="الوقاية من داء السكري", day=dt.date(2026, 11, 14),
                                place="دوار أولاد سالم")
    campaigns.set_counts(ctx=ctx, campaign_id=c.id, counts={("F", "30-59"): 34, ("F", "60+"): 12,
                                                           ("M", "30-59"): 18, ("M", "60+"): 9})
    clock.now = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)
    return ctx


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = build(Path(tmp) / "home")
        for kind, blank, stem in (("nursery", False, "nursery-roster"), ("nursery", True, "nursery-paper"),
                                  ("workshop", False, "workshop-sheet")):
            for lang in ("ar", "fr"):
                out = io.BytesIO()
                day = dt.date(2026, 11, 3 if kind == "workshop" else 2)  # the workshop meets on the 3rd
                pages = build_roster(out, ctx=ctx, request=RosterRequest(kind, day, lang, blank))
                for page in range(pages):
                    suffix = f"-{page + 1}" if page else ""
                    render_page_png(out.getvalue(), page, dpi=110, out=HERE / f"{stem}-{lang}{suffix}.png")
        out = io.BytesIO()
        build_monthly_report(out, db=ctx.db, year=2026, month=11, lang="ar",
                             printed_at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC))
        render_page_png(out.getvalue(), 0, dpi=110, out=HERE / "monthly-ar.png")
        render_page_png(out.getvalue(), 1, dpi=110, out=HERE / "monthly-ar-2.png")
        for lang in ("ar", "fr"):
            out = io.BytesIO()
            build_card_sheet(out, db=ctx.db, lang=lang, day=dt.date(2026, 11, 2), service="club")
            render_page_png(out.getvalue(), 0, dpi=110, out=HERE / f"cards-{lang}.png")
        ctx.db.close()


if __name__ == "__main__":
    main()
