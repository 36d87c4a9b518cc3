"""Issue 14 point 5: the year to date and the previous month of the monthly report, counted in one
SQL pass per table over the person-ordered indexes of migration 0130, with the corrected events
added back in Python. Corrections made in earlier months of the year still count right: a voided
check-in leaves its person out of the year unless they came another day, a mark amended to
present counts as a session attended and a mark amended to absent does not; days stay one per
person and day. Everything is made through the real services and recounted with the independent
SQL of tests/reports/monthly_center.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

from jisr_desktop.domain.workshops import Mark
from jisr_desktop.reports import queries
from jisr_desktop.reports.monthly import monthly_figures
from jisr_desktop.services import attendance, club, workshops
from jisr_desktop.services.registry import register_person
from tests.reports import monthly_center as mc

PRINTED = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


AR = {"A": "العلوي", "B": "بناني", "C": "التازي", "D": "الفاسي", "E": "الحسني", "F": "الإدريسي"}


def _member(coord, name: str) -> str:  # type: ignore[no-untyped-def]
    person = register_person(ctx=coord, data={"given_name_ar": "عضو", "family_name_ar": AR[name],
                                              "given_name_lat": "Membre", "family_name_lat": name,
                                              "sex": "M", "birth_date": date(1950, 4, 1)})
    club.enroll_member(ctx=coord, person_id=person.id)
    return person.id


def _check_in(recep, clock, person_id: str, day: date) -> str:  # type: ignore[no-untyped-def]
    clock.current = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
    return club.check_in_member(ctx=recep, person_id=person_id).event_id


def test_corrections_of_earlier_months_count_right_in_the_year_to_date(coord_ctx, ctx, clock, monkeypatch) -> None:
    clock.current = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    only_voided, voided_then_back, twice = (_member(coord_ctx, n) for n in ("A", "B", "C"))
    # March: A's only check-in is voided; B's first is voided but B came back two days later;
    # C came on two days (and once more in November, the month reported)
    wrong = _check_in(ctx, clock, only_voided, date(2026, 3, 2))
    attendance.void_event(ctx=coord_ctx, table="check_in", event_id=wrong, reason="wrong member typed")
    wrong = _check_in(ctx, clock, voided_then_back, date(2026, 3, 3))
    attendance.void_event(ctx=coord_ctx, table="check_in", event_id=wrong, reason="wrong member typed")
    morning = _check_in(ctx, clock, voided_then_back, date(2026, 3, 5))
    # B left at noon and came back: two stays, one day; the morning's time is then corrected
    # (a corrected event still counted, on a day another stay already counts)
    clock.current = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    club.check_out_member(ctx=ctx, person_id=voided_then_back)
    _check_in(ctx, clock, voided_then_back, date(2026, 3, 5))
    attendance.amend_event(ctx=coord_ctx, table="check_in", event_id=morning,
                           patch={"at": "2026-03-05T08:45:00+00:00"}, reason="typed late, came at 8:45")
    _check_in(ctx, clock, twice, date(2026, 3, 2))
    fourth = _check_in(ctx, clock, twice, date(2026, 3, 4))
    # C's time of the 4th corrected too: the only event of that day, still one day
    attendance.amend_event(ctx=coord_ctx, table="check_in", event_id=fourth,
                           patch={"at": "2026-03-04T09:30:00+00:00"}, reason="typed early, came at 9:30")
    # a March workshop session: D typed absent then corrected to present, E the other way round;
    # an October one (the previous month): F typed absent then corrected to late
    clock.current = datetime(2026, 2, 20, 10, 0, tzinfo=UTC)
    w = workshops.save_workshop(ctx=coord_ctx, data={"category_code": "crafts", "title": "Couture",
                                                     "trainer": "Samira Tazi", "capacity": 5})
    march = workshops.add_session(ctx=coord_ctx, workshop_id=w.id,
                                  starts_at=datetime(2026, 3, 10, 14, tzinfo=UTC),
                                  ends_at=datetime(2026, 3, 10, 16, tzinfo=UTC)).id
    october = workshops.add_session(ctx=coord_ctx, workshop_id=w.id,
                                    starts_at=datetime(2026, 10, 12, 14, tzinfo=UTC),
                                    ends_at=datetime(2026, 10, 12, 16, tzinfo=UTC)).id
    d, e, f = (register_person(ctx=coord_ctx, data={"given_name_lat": n, "family_name_lat": "Alaoui",
                                                    "given_name_ar": "سيدة", "family_name_ar": AR[n],
                                                    "sex": "F", "birth_date": date(1990, 1, 1)}).id
               for n in ("D", "E", "F"))
    for p in (d, e, f):
        workshops.enroll_participant(ctx=coord_ctx, workshop_id=w.id, person_id=p)
    clock.current = datetime(2026, 3, 10, 14, 5, tzinfo=UTC)
    for person, first, then in ((d, Mark.ABSENT, Mark.PRESENT), (e, Mark.PRESENT, Mark.ABSENT)):
        workshops.mark_attendance(ctx=coord_ctx, session_id=march, person_id=person, status=first)
        clock.current = clock.current.replace(minute=clock.current.minute + 10)
        workshops.mark_attendance(ctx=coord_ctx, session_id=march, person_id=person, status=then)
    clock.current = datetime(2026, 10, 12, 14, 5, tzinfo=UTC)
    workshops.mark_attendance(ctx=coord_ctx, session_id=october, person_id=f, status=Mark.ABSENT)
    clock.current = datetime(2026, 10, 12, 15, 0, tzinfo=UTC)
    workshops.mark_attendance(ctx=coord_ctx, session_id=october, person_id=f, status=Mark.LATE)
    _check_in(ctx, clock, twice, date(2026, 11, 2))
    db = coord_ctx.db
    (corrected,) = db.execute("SELECT count(*) FROM event_correction").fetchone()
    (stays,) = db.execute("SELECT count(*) FROM check_in WHERE person_id = ? AND day = '2026-03-05'",
                          [voided_then_back]).fetchone()
    assert stays == 2
    assert corrected == 7   # two voids, two amended check-ins, three amended marks: the corrected path

    f_nov = monthly_figures(db, 2026, 11, printed_at=PRINTED)
    ytd = {s: (t.persons, t.attendances) for s, t in f_nov.year_to_date.items()}
    previous = {s: (t.persons, t.attendances) for s, t in f_nov.previous.items()}
    assert ytd == mc.expected_services(db, date(2026, 1, 1), date(2026, 11, 30))
    assert previous == mc.expected_services(db, date(2026, 10, 1), date(2026, 10, 31))
    # spelled out: club B (1 day) and C (3 days), A left out; workshop D in March and F in October
    assert ytd["club"] == (2, 4)
    assert ytd["workshop"] == (2, 2)
    assert previous == {"workshop": (1, 1)}
    # the March report itself, in detail: the same rules
    f_march = monthly_figures(db, 2026, 3, printed_at=PRINTED)
    assert (f_march.total_persons("club"), f_march.total_attendances("club")) == (2, 3)
    assert set(f_march.services["club"].people) == {voided_then_back, twice}
    assert f_march.services["club"].days == {"2026-03-02", "2026-03-04", "2026-03-05"}
    assert (f_march.total_persons("workshop"), f_march.total_attendances("workshop")) == (1, 1)
    assert set(f_march.services["workshop"].people) == {d}
    assert f_march.year_to_date["club"].persons == 2 and f_march.year_to_date["workshop"].persons == 1
    # a short span (a January or February report) is counted over the day indexes: same figures
    monkeypatch.setattr(queries, "SHORT_SPAN_DAYS", 400)
    again = monthly_figures(db, 2026, 11, printed_at=PRINTED)
    assert {s: (t.persons, t.attendances) for s, t in again.year_to_date.items()} == ytd
    assert {s: (t.persons, t.attendances) for s, t in again.previous.items()} == previous
