"""Benchmark of the report engine: `.venv/bin/python bench/reports.py [--quick]`.

Measures a 300-row Arabic nursery roster (issue 5 target: ≤ 0.5 s), the same in French, a
consent receipt, and registry exports of 200,000 persons to XLSX and CSV. Figures go to
``bench/results/reports.json`` (best of N runs, seconds); tests never assert times. The monthly
report figure (200,000 persons, 1,000,000 events) is added when that report exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jisr_desktop.reports.consent import ConsentCenter, ConsentPerson, build_consent_receipt  # noqa: E402
from jisr_desktop.reports.document import RosterTable, build_pdf  # noqa: E402
from jisr_desktop.reports.exports import write_csv, write_xlsx  # noqa: E402
from jisr_desktop.reports.fonts import register_fonts  # noqa: E402
from jisr_desktop.reports.text import clear_caches  # noqa: E402

DAY = dt.date(2026, 11, 29)
FIRST_AR = ["مريم", "يوسف", "سلمى", "آدم", "خديجة", "أمين", "سارة", "عمر", "ياسمين", "إدريس"]
LAST_AR = ["العلوي", "بنعلي", "الإدريسي", "أيت علي", "الحسني", "بناني", "التازي", "الفاسي"]
FIRST_FR = ["Meryem", "Youssef", "Salma", "Adam", "Khadija", "Amine", "Sara", "Omar", "Yasmine", "Driss"]
LAST_FR = ["El Alaoui", "Benali", "El Idrissi", "Ait Ali", "El Hassani", "Bennani", "Tazi", "Fassi"]


def roster_rows(n: int, lang: str) -> list[list[str]]:
    first, last = (FIRST_AR, LAST_AR) if lang == "ar" else (FIRST_FR, LAST_FR)
    rows = []
    for i in range(n):
        child = f"{first[i % 10]} {last[i % 8]}"
        guardian = f"{first[(i + 3) % 10]} {last[i % 8]}"
        if i % 9 == 0:
            guardian += " — حساسية من الحليب والبيض" if lang == "ar" else " — allergie au lait et aux œufs"
        rows.append([str(i + 1), child, guardian, f"+2126{i:08d}", "08:30", "", ""])
    return rows


def roster(lang: str) -> Callable[[], None]:
    titles = {
        "ar": ["رقم", "الطفل", "ولي الأمر", "الهاتف", "الدخول", "الخروج", "التوقيع"],
        "fr": ["N°", "Enfant", "Tuteur", "Téléphone", "Arrivée", "Départ", "Signature"],
    }[lang]
    widths = [0.45, 1.7, 2.4, 1.5, 0.7, 0.7, 1.0]
    rows = roster_rows(300, lang)

    def run() -> None:
        build_pdf(io.BytesIO(), lang=lang, center_name="Jisr", title="Roster", date=DAY,
                  story=[RosterTable(list(zip(titles, widths, strict=True)), rows, lang=lang,
                                     min_row_height=20)])

    return run


def consent() -> None:
    build_consent_receipt(
        io.BytesIO(), lang="ar", day=DAY,
        center=ConsentCenter(name_ar="فضاء جسر الأسرة", name_fr="Espace Jisr al-Usra"),
        person=ConsentPerson(name_ar="فاطمة العلوي", name_latin="Fatima El Alaoui", cin="BE123456"),
    )


def persons(n: int) -> list[dict[str, object]]:
    return [
        {"id": i, "name_ar": f"{FIRST_AR[i % 10]} {LAST_AR[i % 8]}", "name_fr": f"{FIRST_FR[i % 10]} {LAST_FR[i % 8]}",
         "cin": f"BE{i:06d}", "phone": f"+2126{i:08d}", "born": dt.date(1950 + i % 70, 1 + i % 12, 1 + i % 28),
         "note": "=1+1" if i % 1000 == 0 else ""}
        for i in range(n)
    ]


def export(kind: str, rows: list[dict[str, object]], folder: Path) -> Callable[[], None]:
    columns = list(rows[0])

    def run() -> None:
        if kind == "xlsx":
            write_xlsx(folder / "persons.xlsx", rows, columns, rtl=True)
        else:
            write_csv(folder / "persons.csv", rows, columns)

    return run


def best_of(fn: Callable[[], None], runs: int) -> float:
    times = []
    for _ in range(runs):
        clear_caches()  # cold shaping caches: each printout shapes new names
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs and 20,000 persons")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "reports.json")
    args = parser.parse_args()
    runs = 2 if args.quick else 5
    n_persons = 20_000 if args.quick else 200_000
    register_fonts()
    roster("ar")()  # warm-up: font parsing and caches are a one-time cost per process
    results: dict[str, object] = {
        "roster_300_rows_ar_s": best_of(roster("ar"), runs),
        "roster_300_rows_fr_s": best_of(roster("fr"), runs),
        "consent_receipt_ar_s": best_of(consent, runs),
    }
    rows = persons(n_persons)
    with tempfile.TemporaryDirectory() as tmp:
        results[f"export_{n_persons}_persons_xlsx_s"] = best_of(export("xlsx", rows, Path(tmp)), 1)
        results[f"export_{n_persons}_persons_csv_s"] = best_of(export("csv", rows, Path(tmp)), 1)
    results["targets"] = {"roster_300_rows_s": 0.5, "monthly_report_s": 3.0}
    results["machine"] = {"python": platform.python_version(), "platform": platform.platform()}
    results["date"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
