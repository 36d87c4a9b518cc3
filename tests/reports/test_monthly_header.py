"""Issue 14 point 5: the monthly report HQ files carries an official header (Kingdom of Morocco,
the ministry, the center's name and code, its province and region from the reference
divisions, the period), says when it was printed, is marked provisional on every page while
the month is not over (figures and ages to the day of printing), and ends with a prepared-by /
validated-by / stamp block that never stands alone on a page. Real PDFs parsed back, French
and Arabic, on a center generated through the real services (tests/reports/monthly_center.py).

Old code: every page was dated the month's last day even when printed on the 18th, with no
"printed on", no provisional mark, ages on the 30th, no header, no signature block."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest

from jisr_desktop.reports.monthly import build_monthly_report, monthly_figures
from jisr_desktop.reports.text import shape_line
from tests.reports import monthly_center as mc

ROOT = Path(__file__).resolve().parents[2]
FINAL = datetime(2026, 12, 3, 10, 15, tzinfo=UTC)
IN_PROGRESS = datetime(2026, 11, 18, 16, 40, tzinfo=UTC)


@pytest.fixture
def center(generated_center: mc.Generated) -> mc.Generated:
    return generated_center   # tests/reports/conftest.py: built once, only read


def report(g: mc.Generated, lang: str, printed_at: datetime) -> list[list[str]]:
    out = io.BytesIO()
    build_monthly_report(out, db=g.ctx.db, year=2026, month=11, lang=lang, printed_at=printed_at)
    return mc.pdf_pages(out.getvalue())


def reference_division(code: str) -> tuple[dict[str, str], dict[str, str]]:
    """The province and its region, read from the program's reference file itself (not through
    the code under test)."""
    reference = ROOT / "jisr_desktop" / "resources" / "reference" / "morocco_admin.csv"
    with reference.open(encoding="utf-8", newline="") as fh:
        rows = {r["code"]: r for r in csv.DictReader(fh)}
    return rows[code], rows[rows[code]["parent_code"]]


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def test_french_official_header_period_and_printed_on(center) -> None:
    pages = report(center, "fr", FINAL)
    province, region = reference_division(mc.PROVINCE)
    first = pages[0]
    assert first[2:4] == ["Royaume du Maroc", "Ministère de la Solidarité, de l'Insertion sociale et de la Famille"]
    assert f"Centre {mc.NAME_FR} Code du centre {mc.CODE}" in first
    assert f"Province ou préfecture {province['name_fr']} Région {region['name_fr']}" in first
    assert ("Période Du 1er novembre 2026 au 30 novembre 2026 Imprimé le 3 décembre 2026 à "
            f"{local_time(FINAL)}") in first
    assert "Rapport définitif : le mois entier, âges au 30 novembre 2026." in first
    for page in pages:  # every page is dated the day it was printed, none is marked provisional
        assert page[0] == f"{mc.NAME_FR} 3 décembre 2026"
        assert page[1] == "Rapport mensuel d'activité — novembre 2026"
        assert not any("PROVISOIRE" in line or "provisoire" in line for line in page)


def test_printed_before_the_month_is_over_is_provisional_with_figures_and_ages_to_that_day(center) -> None:
    g = center
    pages = report(g, "fr", IN_PROGRESS)
    for page in pages:
        assert page[0] == f"{mc.NAME_FR} 18 novembre 2026"
        assert page[1] == "Rapport mensuel d'activité — novembre 2026 PROVISOIRE"
    text = "\n".join(line for page in pages for line in page)
    assert "Du 1er novembre 2026 au 18 novembre 2026" in text and "(mois en cours)" in text
    assert "Rapport provisoire : le mois de novembre 2026 n'est pas terminé." in text
    # the figures stop on the 18th (the generated center has events up to the 30th and after)
    counted = mc.expected_services(g.ctx.db, date(2026, 11, 1), date(2026, 11, 18))
    whole = mc.expected_services(g.ctx.db, date(2026, 11, 1), date(2026, 11, 30))
    assert counted["nursery"][1] < whole["nursery"][1]
    assert f"Crèche sociale {counted['nursery'][0]} {counted['nursery'][1]} jours (pointages)" in text
    # the child born on 25 November 2023 is 2 on the 18th and 3 on the 30th
    band = "3-5"
    early = monthly_figures(g.ctx.db, 2026, 11, printed_at=IN_PROGRESS).services["nursery"]
    late = monthly_figures(g.ctx.db, 2026, 11, printed_at=FINAL).services["nursery"]
    (sex,) = g.ctx.db.execute("SELECT sex FROM person WHERE id = ?", [g.birthday_child]).fetchone()
    assert early.persons[(sex, band)] == 0 and late.persons[(sex, band)] == 1
    assert not any(line.startswith("3 à 5 ans") for line in text.splitlines())
    final = "\n".join(line for page in report(g, "fr", FINAL) for line in page)
    assert any(line.startswith("3 à 5 ans") for line in final.splitlines())
    # the workshop whose last session is on the 25th is not finished on the 18th
    assert "Parentalité positive" not in text and "Parentalité positive" in final


@pytest.mark.parametrize(("printed", "provisional"), [
    (datetime(2026, 11, 30, 17, 0), True),      # the last day itself: the month is not over
    (datetime(2026, 12, 1, 9, 0), False),
])
def test_provisional_until_the_month_is_over(center, printed: datetime, provisional: bool) -> None:
    moment = printed.astimezone()  # local time, as the desktop prints
    f = monthly_figures(center.ctx.db, 2026, 11, printed_at=moment)
    assert f.provisional is provisional and f.as_of == date(2026, 11, 30)
    first = report(center, "fr", moment)[0]
    assert first[1].endswith("PROVISOIRE") is provisional


def test_signature_block_with_the_last_figures(center) -> None:
    for lang, words, neighbour in (
            ("fr", ("Établi par — nom, fonction, date et", "Validé par — nom, fonction, date et", "Cachet du centre"),
             "Campagnes de sensibilisation"),
            ("ar", ("الاسم والصفة والتاريخ والتوقيع", "خاتم الفضاء"), "حملات التوعية")):
        pages = report(center, lang, FINAL)
        last = "\n".join(pages[-1])
        for word in words:
            shaped = word if lang == "fr" else shape_line(word, True)
            assert shaped in last, (lang, word)
            assert all(shaped not in line for page in pages[:-1] for line in page), (lang, word)
        # never alone on the last page: the campaigns come with it
        assert (neighbour if lang == "fr" else shape_line(neighbour, True)) in last


def test_arabic_header_reads_right_to_left(center) -> None:
    pages = report(center, "ar", IN_PROGRESS)
    province, region = reference_division(mc.PROVINCE)
    first = pages[0]
    assert shape_line("المملكة المغربية", True) in first
    assert shape_line("وزارة التضامن والإدماج الاجتماعي والأسرة", True) in first
    # label cells at the right of their values: the row reads code, "center code", name, "center"
    # from left to right on paper
    assert (f"{mc.CODE} {shape_line('رمز الفضاء', True)} {shape_line(mc.NAME_AR, True)} "
            f"{shape_line('المركز', True)}") in first
    assert (f"{shape_line(region['name_ar'], True)} {shape_line('الجهة', True)} "
            f"{shape_line(province['name_ar'], True)} {shape_line('الإقليم أو العمالة', True)}") in first
    for page in pages:  # the red mark on every page, at the left end of the title line
        assert page[1].startswith(shape_line("مؤقت", True) + " ")
        assert page[0].startswith("2026 " + shape_line("نونبر", True) + " 18")


def jisr(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JISR_NO_KEYRING": "1"}
    return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang", "en", *args],
                          capture_output=True, text=True, env=env, timeout=180)


def test_cli_report_of_the_current_month_is_provisional(home: Path, coord_ctx, tmp_path: Path) -> None:
    """`jisr report monthly` prints at the present time: this month's report is provisional."""
    today = datetime.now(UTC).astimezone().date()
    out = tmp_path / "this-month.pdf"
    done = jisr(home, "report", "monthly", "--month", f"{today:%Y-%m}", "--lang", "fr", "-o", str(out))
    assert done.returncode == 0, done.stderr
    first = pypdf.PdfReader(out).pages[0].extract_text(extraction_mode="layout")
    assert "PROVISOIRE" in first and "(mois en cours)" in first and "Rapport définitif" not in first
