"""Issue 14 point 6: the XLSX exports Excel opens right. Read back with openpyxl: dates and
times are date cells (not text) in the center's wall-clock time, Africa/Casablanca (UTC+1,
UTC+0 during Ramadan), codes are words in the export's language, sessions have names, and the
attendance export has sex, age band and who picked the child up. Run through `jisr export`.

The zone checks use spring 2026, where every tz database since 2018 agrees: Ramadan ran from
15 February to 22 March (UTC+0), UTC+1 before and after. IANA 2026f (the pinned `tzdata`)
has Morocco on UTC+0 for good from 20 September 2026, so November's times are read through
the program's own zone (`center_zone`), not written down here."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from jisr_desktop.cli.reports import ATTENDANCE_HEADERS, PERSON_HEADERS
from jisr_desktop.i18n import translate
from jisr_desktop.reports.exports import center_zone, write_csv
from jisr_desktop.services import club
from jisr_desktop.services.registry import register_person
from tests.unit.reports import scenario

COORD = ("--user", "coord")  # the coordinator of tests/fixtures.py
PASSWORD = "correct horse\n"
RAMADAN_MOMENT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 08:00 in Casablanca (UTC+0 in Ramadan)
SPRING_MOMENT = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)   # 09:00 in Casablanca (UTC+1)


def jisr(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JISR_NO_KEYRING": "1"}
    return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang", "en", *args],
                          capture_output=True, text=True, env=env, timeout=180, input=PASSWORD)


@pytest.fixture
def sc(coord_ctx, ctx, clock):  # type: ignore[no-untyped-def]
    start = clock.current
    clock.current = RAMADAN_MOMENT - timedelta(days=30)
    aicha = register_person(ctx=coord_ctx, data={"given_name_lat": "Aicha", "family_name_lat": "Idrissi",
                                                 "given_name_ar": "عائشة", "family_name_ar": "الإدريسي",
                                                 "sex": "F", "birth_year": 1955})
    club.enroll_member(ctx=coord_ctx, person_id=aicha.id)
    for moment in (RAMADAN_MOMENT, SPRING_MOMENT):
        clock.current = moment
        club.check_in_member(ctx=ctx, person_id=aicha.id)
    clock.current = start
    return scenario.build(coord_ctx, ctx, clock)  # Monday 2026-11-02, clock 08:30 UTC on


def sheet(path: Path) -> tuple[list[str], list[list[openpyxl.cell.cell.Cell]]]:
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    rows = list(ws.iter_rows())
    return [str(c.value) for c in rows[0]], rows[1:]


def wall(moment: datetime) -> datetime:
    """A moment of November 2026 as Casablanca's wall clock, by the pinned zone database."""
    return moment.astimezone(center_zone()).replace(tzinfo=None)


def export(home: Path, tmp_path: Path, what: str, lang: str) -> tuple[dict[str, int], list]:  # type: ignore[type-arg]
    out = tmp_path / f"{what}-{lang}.xlsx"
    done = jisr(home, "export", what, "--lang", lang, "-o", str(out), *COORD)
    assert done.returncode == 0, done.stderr
    headers, rows = sheet(out)
    titles = PERSON_HEADERS if what == "persons" else ATTENDANCE_HEADERS
    assert headers == [translate(t, lang) for t in titles.values()]
    return {key: headers.index(translate(t, lang)) for key, t in titles.items()}, rows


def test_attendance_cells_are_local_dates_with_words(home: Path, sc, tmp_path: Path) -> None:
    col, rows = export(home, tmp_path, "attendance", "fr")
    by_time = {}
    for r in rows:
        day, time_in = r[col["day"]], r[col["time_in"]]
        assert day.data_type == "d" and isinstance(day.value, datetime)  # a date cell, not '2026-11-02'
        assert day.number_format == "DD/MM/YYYY"
        assert time_in.data_type == "d" and time_in.number_format == "DD/MM/YYYY HH:MM"
        by_time[(r[col["name_lat"]].value, time_in.value)] = r
    # the club check-ins of spring 2026: 08:00 UTC is 08:00 in Ramadan (UTC+0), 09:00 after (UTC+1)
    ramadan = by_time[("Aicha Idrissi", datetime(2026, 3, 2, 8, 0))]
    assert ramadan[col["day"]].value == datetime(2026, 3, 2)
    assert ramadan[col["age_band"]].value == translate("60 years and over", "fr")
    assert ramadan[col["service"]].value == translate("Elderly day club", "fr")
    assert ("Aicha Idrissi", datetime(2026, 4, 6, 9, 0)) in by_time
    # Salma checked in at 08:30 UTC and was picked up by her mother at 16:45 UTC
    salma = by_time[("Salma El Alaoui", wall(datetime(2026, 11, 2, 8, 30, tzinfo=UTC)))]
    assert salma[col["time_out"]].value == wall(datetime(2026, 11, 2, 16, 45, tzinfo=UTC))
    assert salma[col["picked_up_by"]].value == "Fatima El Alaoui"
    assert salma[col["by_name"]].value == "فاطمة العلوي"  # as typed at the desk
    assert salma[col["sex"]].value == "Femme" and salma[col["status"]].value == "Présent"
    assert salma[col["service"]].value == "Crèche sociale"
    assert salma[col["age_band"]].value == translate("0–2 years", "fr")
    # a workshop mark names its session, not an id; its mark is a word
    marks = [r for r in rows if r[col["session"]].value]
    assert len(marks) == 2
    for r in marks:
        start = wall(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
        assert r[col["session"]].value == f"الخياطة التقليدية — Couture — {start:%d/%m/%Y %H:%M}"
    assert {r[col["status"]].value for r in marks} == {"Présent", "En retard"}
    assert not any(r[col["sex"]].value in ("F", "M") for r in rows)


def test_persons_dates_and_sex_in_arabic(home: Path, sc, tmp_path: Path) -> None:
    col, rows = export(home, tmp_path, "persons", "ar")
    by_file = {r[col["given_name_lat"]].value: r for r in rows}
    salma = by_file["Salma"]
    born = salma[col["birth_date"]]
    assert born.data_type == "d" and born.value == datetime(2025, 3, 10) and born.number_format == "DD/MM/YYYY"
    registered = salma[col["created_at"]]
    assert registered.data_type == "d" and registered.value == wall(datetime(2026, 11, 2, 8, 30, tzinfo=UTC))
    assert salma[col["sex"]].value == translate("Female", "ar") != "F"
    assert by_file["Youssef"][col["sex"]].value == translate("Male", "ar")


def test_csv_writes_the_local_wall_clock_time(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    write_csv(out, [{"at": RAMADAN_MOMENT, "day": date(2026, 3, 2)}, {"at": SPRING_MOMENT, "day": date(2026, 4, 6)}],
              ["at", "day"], separator=";")
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1:] == ["2026-03-02 08:00;2026-03-02", "2026-04-06 09:00;2026-04-06"]


def test_the_zone_is_the_pinned_tzdata_package_s() -> None:
    """Every PC gives the same times: the zone is read from the `tzdata` package (a desktop
    dependency, pinned in the locks), whatever the system's own copy says (or lacks)."""
    from importlib import resources
    from zoneinfo import ZoneInfo

    with resources.files("tzdata").joinpath("zoneinfo", "Africa", "Casablanca").open("rb") as fh:
        packaged = ZoneInfo.from_file(fh)
    zone = center_zone()
    assert str(zone) == "Africa/Casablanca"
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    while moment < datetime(2028, 1, 1, tzinfo=UTC):  # every hour of two years, Ramadans included
        assert moment.astimezone(zone).utcoffset() == moment.astimezone(packaged).utcoffset(), moment
        moment += timedelta(hours=1)
    assert RAMADAN_MOMENT.astimezone(zone).utcoffset() == timedelta(0)
    assert SPRING_MOMENT.astimezone(zone).utcoffset() == timedelta(hours=1)


def test_visits_export_says_program_channel_and_outcome_in_words(home: Path, sc, tmp_path: Path) -> None:
    from jisr_desktop.cli.reports import VISIT_HEADERS

    out = tmp_path / "visits-fr.xlsx"
    done = jisr(home, "export", "visits", "--month", "2026-11", "--lang", "fr", "-o", str(out), *COORD)
    assert done.returncode == 0, done.stderr
    headers, rows = sheet(out)
    assert headers == [translate(t, "fr") for t in VISIT_HEADERS.values()]
    col = {key: headers.index(translate(t, "fr")) for key, t in VISIT_HEADERS.items()}
    assert len(rows) == 4  # the scenario's four visits
    for r in rows:
        assert r[col["day"]].data_type == "d" and r[col["visited_at"]].number_format == "DD/MM/YYYY HH:MM"
        assert r[col["channel"]].value == translate("In person", "fr") == "Sur place" and r[col["outcome"]].value == translate(
            "Information given", "fr") != "informed"
    programs = sorted(r[col["program"]].value for r in rows)
    assert "rsu" not in programs and "amo_tadamon" not in programs  # names, not codes
    fatima = [r for r in rows if r[col["name_lat"]].value == "Fatima El Alaoui"]
    assert len(fatima) == 2 and fatima[0][col["sex"]].value == "Femme"
