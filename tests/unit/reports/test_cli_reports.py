"""`jisr roster|report|export|card-sheet|consent|certificate` run as real subprocesses on a real
database; exports read back equal to the registry, with formula-looking cells neutralised."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from jisr_desktop.cli.reports import ATTENDANCE_HEADERS, PERSON_HEADERS
from jisr_desktop.i18n import translate
from jisr_desktop.reports.exports import read_csv, read_xlsx
from jisr_desktop.services.registry import register_person, update_person
from tests.unit.reports import scenario


def jisr(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JISR_NO_KEYRING": "1"}
    return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang", "en", *args],
                          capture_output=True, text=True, env=env, timeout=180, input=stdin)


COORD = ("--user", "coord")  # the coordinator of tests/fixtures.py
PASSWORD = "correct horse\n"


@pytest.fixture
def sc(coord_ctx, ctx, clock):  # type: ignore[no-untyped-def]
    made = scenario.build(coord_ctx, ctx, clock)
    scenario.later_days(coord_ctx, ctx, clock, made)
    update_person(ctx=coord_ctx, person_id=made.people["father"].id, data={"address": "=HYPERLINK(\"x\")"})
    register_person(ctx=coord_ctx, data={"given_name_lat": "@Sum", "family_name_lat": "-Minus",
                                         "phone": "+212 6 11 22 33 44"})
    return made


def pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text(extraction_mode="layout") for p in pypdf.PdfReader(path).pages)


def test_roster_and_monthly_report_commands(home: Path, sc, tmp_path: Path) -> None:
    out = tmp_path / "nursery.pdf"
    done = jisr(home, "roster", "nursery", "--date", "2026-11-02", "--lang", "fr", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Wrote {out} (1 page)."
    assert "Salma El Alaoui" in pdf_text(out) and "16:45" in pdf_text(out)
    blank = tmp_path / "club.pdf"
    done = jisr(home, "roster", "club", "--date", "2026-11-04", "--blank", "--lang", "fr", "-o", str(blank))
    assert done.returncode == 0, done.stderr
    assert "Khadija Fassi" in pdf_text(blank) and "08:45" not in pdf_text(blank)
    report = tmp_path / "monthly.pdf"
    done = jisr(home, "report", "monthly", "--month", "2026-11", "--lang", "fr", "-o", str(report))
    assert done.returncode == 0, done.stderr
    assert "novembre 2026" in pdf_text(report)
    bad = jisr(home, "roster", "nursery", "--date", "02/11/2026", "-o", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr and not (tmp_path / "x.pdf").exists()


def test_export_persons_round_trip_csv_and_xlsx(home: Path, coord_ctx, sc, tmp_path: Path) -> None:
    registry = {r[0]: r for r in coord_ctx.db.execute(
        "SELECT file_no, given_name_lat, family_name_lat, address, phone, given_name_ar, family_name_ar"
        " FROM person WHERE deleted = 0")}
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"persons.{fmt}"
        done = jisr(home, "export", "persons", "--format", fmt, "--lang", "fr", "-o", str(out), *COORD,
                    stdin=PASSWORD)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"Wrote {out} ({len(registry)} rows)."
        headers, rows = (read_csv if fmt == "csv" else read_xlsx)(out)
        h = {key: translate(msgid, "fr") for key, msgid in PERSON_HEADERS.items()}
        assert headers == list(h.values())
        back = {r[h["file_no"]]: r for r in rows}
        assert set(back) == set(registry)
        for file_no, (_, given, family, address, phone, given_ar, family_ar) in registry.items():
            row = back[file_no]
            assert (row[h["given_name_ar"]] or "", row[h["family_name_ar"]] or "") == (given_ar, family_ar)
            assert (row[h["given_name_lat"]] or "") == (given or "")
            assert (row[h["family_name_lat"]] or "") == (family or "")
            assert (row[h["address"]] or "") == (address or "")
            assert (row[h["phone"]] or "") == (phone or "")
    raw = (tmp_path / "persons.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    cells = [c for line in csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";") for c in line]
    assert "'=HYPERLINK(\"x\")" in cells and "'@Sum" in cells and "'-Minus" in cells
    assert not any(c[:1] in "=+-@" for c in cells if c)  # nothing a spreadsheet would evaluate


def test_export_attendance_counts_live_events(home: Path, coord_ctx, sc, tmp_path: Path) -> None:
    out = tmp_path / "attendance.xlsx"
    done = jisr(home, "export", "attendance", "--month", "2026-11", "--lang", "ar", "-o", str(out), *COORD,
                stdin=PASSWORD)
    assert done.returncode == 0, done.stderr
    _, rows = read_xlsx(out)
    db = coord_ctx.db
    expected = db.execute("SELECT count(*) FROM check_in").fetchone()[0] + \
        db.execute("SELECT count(*) FROM attendance").fetchone()[0]
    assert len(rows) == expected == 11  # 7 check-ins (nursery, club) and 4 workshop marks
    names = {r[translate(ATTENDANCE_HEADERS["name_lat"], "ar")] for r in rows}
    assert {"Salma El Alaoui", "Khadija Fassi", "Sara Benali"} <= names


def test_card_sheet_consent_and_certificate_commands(home: Path, sc, tmp_path: Path, clock) -> None:
    cards = tmp_path / "cards.pdf"
    done = jisr(home, "card-sheet", "--service", "club", "--lang", "fr", "-o", str(cards))
    assert done.returncode == 0, done.stderr
    assert "Driss El Hassani" in pdf_text(cards) and "Salma El Alaoui" not in pdf_text(cards)
    consent = tmp_path / "consent.pdf"
    done = jisr(home, "consent", sc.people["sara"].id, "--lang", "fr", "-o", str(consent))
    assert done.returncode == 0, done.stderr
    assert "Sara Benali" in pdf_text(consent)
    cert = tmp_path / "cert.pdf"
    done = jisr(home, "certificate", sc.enrollment_ids["sara"], "--lang", "fr", "-o", str(cert))
    assert done.returncode == 0, done.stderr  # the real clock is after the sessions of November
    assert "Sara Benali" in pdf_text(cert)
    refused = jisr(home, "certificate", sc.enrollment_ids["mother"], "--lang", "fr", "-o", str(tmp_path / "n.pdf"))
    assert refused.returncode == 2 and "not completed" in refused.stderr
