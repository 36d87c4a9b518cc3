"""Regenerate the images of the real printouts: `.venv/bin/python docs/reports/make_report_samples.py`.

Builds a small center in a temporary data root through the services (nursery, club, workshop,
visits, a campaign; a fixed clock in November 2026),
then renders every paper in Arabic and French, every page: nursery roster and its blank paper
version, club sheet and paper, workshop sign-in sheet and paper, monthly report, member cards,
a workshop certificate and a consent receipt (both copies). Look at them before committing.
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
from jisr_desktop.reports.certificate import NotCompleted, build_certificate  # noqa: E402
from jisr_desktop.reports.monthly import build_monthly_report  # noqa: E402
from jisr_desktop.reports.person_consent import build_person_consent  # noqa: E402
from jisr_desktop.reports.render import render_page_png  # noqa: E402
from jisr_desktop.reports.rosters import RosterRequest, build_roster  # noqa: E402
from jisr_desktop.services import campaigns, club, nursery, visits, workshops  # noqa: E402
from jisr_desktop.services import consent as consents  # noqa: E402
from jisr_desktop.services.center import create_center  # noqa: E402
from jisr_desktop.services.registry import register_person  # noqa: E402
from jisr_desktop.settings import Settings  # noqa: E402

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
    session_days = (3, 10, 17)
    session_ids = [workshops.add_session(ctx=ctx, workshop_id=workshop.id,
                                         starts_at=dt.datetime(2026, 11, d, 14, tzinfo=dt.UTC),
                                         ends_at=dt.datetime(2026, 11, d, 16, tzinfo=dt.UTC)).id for d in session_days]
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
    for sid, d in zip(session_ids, session_days, strict=True):
        clock.now = dt.datetime(2026, 11, d, 14, 5, tzinfo=dt.UTC)  # marked as the session starts
        for t in trainees:
            clock.now += dt.timedelta(seconds=40)
            workshops.mark_attendance(ctx=ctx, session_id=sid, person_id=t,
                                      status=rng.choices(["present", "late", "absent"], (7, 1, 2))[0])
    c = campaigns.save_campaign(ctx=ctx, topic="الوقاية من داء السكري", day=dt.date(2026, 11, 14),
                                place="دوار أولاد سالم")
    campaigns.set_counts(ctx=ctx, campaign_id=c.id, counts={("F", "30-59"): 34, ("F", "60+"): 12,
                                                           ("M", "30-59"): 18, ("M", "60+"): 9})
    clock.now = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)
    return ctx


LANGS = ("ar", "fr")
STEMS = ("nursery-roster", "nursery-paper", "club-sheet", "club-paper", "workshop-sheet", "workshop-paper",
         "monthly", "cards", "certificate", "consent")


def render_all(pdf: bytes, pages: int, stem: str, lang: str) -> None:
    """Every page: ``stem-lang.png``, then ``stem-lang-2.png`` … for the following pages."""
    for page in range(pages):
        suffix = f"-{page + 1}" if page else ""
        render_page_png(pdf, page, dpi=110, out=HERE / f"{stem}-{lang}{suffix}.png")


def completed_enrollment(ctx: Context) -> str:
    """A workshop enrollment whose participant completed the workshop (one the certificate is for)."""
    for (enrollment_id,) in ctx.db.execute(
            "SELECT id FROM enrollment WHERE service = 'workshop' AND deleted = 0 ORDER BY created_at"):
        try:
            build_certificate(io.BytesIO(), ctx=ctx, enrollment_id=enrollment_id, lang="fr")
        except NotCompleted:
            continue
        return str(enrollment_id)
    raise SystemExit("no participant completed the sample workshop")


def main() -> None:
    for stale in HERE.glob("*.png"):  # pages of a paper that got shorter must not linger
        if stale.name.startswith(tuple(f"{stem}-{lang}" for stem in STEMS for lang in LANGS)):
            stale.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        ctx = build(home)
        for kind, blank, stem in (("nursery", False, "nursery-roster"), ("nursery", True, "nursery-paper"),
                                  ("club", False, "club-sheet"), ("club", True, "club-paper"),
                                  ("workshop", False, "workshop-sheet"), ("workshop", True, "workshop-paper")):
            for lang in LANGS:
                out = io.BytesIO()
                day = dt.date(2026, 11, 3 if kind == "workshop" else 2)  # the workshop meets on the 3rd
                pages = build_roster(out, ctx=ctx, request=RosterRequest(kind, day, lang, blank))
                render_all(out.getvalue(), pages, stem, lang)
        for lang in LANGS:
            out = io.BytesIO()
            pages = build_monthly_report(out, db=ctx.db, year=2026, month=11, lang=lang,
                                         printed_at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC))
            render_all(out.getvalue(), pages, "monthly", lang)
            out = io.BytesIO()
            pages = build_card_sheet(out, db=ctx.db, lang=lang, day=dt.date(2026, 11, 2), service="club")
            render_all(out.getvalue(), pages, "cards", lang)
        ctx.clock.now = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)  # type: ignore[attr-defined]
        enrollment_id = completed_enrollment(ctx)
        person_id = ctx.db.execute("SELECT person_id FROM enrollment WHERE id = ?", [enrollment_id]).fetchone()[0]
        for purpose, service in consents.choices():  # her consents, listed on the receipt
            if purpose not in ("partner", "photos"):
                consents.give(ctx=ctx, person_id=person_id, purpose=purpose, service=service,
                              given_on=dt.date(2026, 10, 28))
        Settings(home).set("cndp_declaration", "D-GC-0117/2026")
        for lang in LANGS:
            out = io.BytesIO()
            pages = build_certificate(out, ctx=ctx, enrollment_id=enrollment_id, lang=lang, day=dt.date(2026, 11, 20))
            render_all(out.getvalue(), pages, "certificate", lang)
            out = io.BytesIO()
            pages = build_person_consent(out, ctx=ctx, person_id=person_id, lang=lang, day=dt.date(2026, 11, 20))
            render_all(out.getvalue(), pages, "consent", lang)
        ctx.db.close()


if __name__ == "__main__":
    main()
