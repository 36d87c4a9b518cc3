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


# --- The monthly report's data set: 200,000 persons and 1,000,000 events ------------------

DATA_HOME = ROOT / "bench" / "data" / "reports-200000"
YEAR = 2026
BENCH_MONTH = 10          # the month measured: a full month in the middle of the data
EVENT_SHARE = {"visit": 0.4, "check_in": 0.3, "attendance": 0.3}


def build_data(home: Path, n_persons: int, n_events: int, seed: int = 5) -> dict[str, object]:
    """Fill a fresh data root through the real schema with bulk inserts (no services: 1,000,000
    events through the services would take hours). Returns what was made and how long it took."""
    import random
    import shutil
    import uuid

    from jisr_desktop.db.connection import open_database, transaction
    from jisr_desktop.services.center import create_center
    from jisr_desktop.services.context import SYSTEM_USER, Context

    if home.exists():
        shutil.rmtree(home)
    started = time.perf_counter()
    rng = random.Random(seed)
    ctx = Context(db=open_database(home, create=True), user=SYSTEM_USER)
    create_center(ctx=ctx, code="BENCH", name_fr="Espace Jisr al-Usra (banc)",
                  name_ar="فضاء جسر الأسرة (اختبار)", province_code="04.421")
    db = ctx.db
    now = "2026-11-29T00:00:00+00:00"

    def uid() -> str:
        return uuid.UUID(int=rng.getrandbits(128), version=4).hex

    person_ids = []
    rows = []
    for i in range(n_persons):
        pid = uid()
        person_ids.append(pid)
        sex = "F" if rng.random() < 0.55 else "M"
        age = rng.choice((1, 2, 4, 8, 14, 20, 25, 35, 45, 55, 65, 72, 80))
        born = dt.date(YEAR - age, rng.randint(1, 12), rng.randint(1, 28))
        rows.append((pid, f"BENCH-{i + 1:06d}", FIRST_AR[i % 10], LAST_AR[i % 8], FIRST_FR[i % 10],
                     LAST_FR[i % 8], sex, born.isoformat() if rng.random() < 0.95 else None, now, now))
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO person(id, file_no, given_name_ar, family_name_ar, given_name_lat,"
            " family_name_lat, sex, birth_date, rev, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,1,?,?)", rows)
    days = [dt.date(YEAR, 1, 1) + dt.timedelta(days=d) for d in range(365)]
    days = [d for d in days if d.weekday() < 5]
    programs = [r[0] for r in db.execute("SELECT code FROM program")]
    # Workshops: 40 of them, 12 sessions each, spread over the year.
    sessions: list[tuple[str, str]] = []   # (session id, day)
    workshop_rows, session_rows, enrollment_rows, roster_marks = [], [], [], []
    for w in range(40):
        wid = uid()
        first = days[(w * 6) % (len(days) - 60)]
        their = [days[days.index(first) + 4 * k] for k in range(12)]
        workshop_rows.append((wid, "crafts", f"Atelier {w + 1}", "Formatrice", 25, 0.75,
                              their[0].isoformat(), their[-1].isoformat(), now, now))
        members = rng.sample(person_ids, 25)   # 25 participants, marked at every session
        enrollment_rows += [(uid(), "workshop", wid, pid, "active", now, now, now) for pid in members]
        for d in their:
            sid = uid()
            sessions.append((sid, d.isoformat()))
            session_rows.append((sid, wid, f"{d.isoformat()}T09:00:00+00:00",
                                 f"{d.isoformat()}T11:00:00+00:00", now, now))
            roster_marks += [(uid(), "workshop", sid, pid,
                              rng.choices(("present", "late", "absent", "excused"), (75, 10, 10, 5))[0],
                              d.isoformat(), f"{d.isoformat()}T09:05:00+00:00", "bench", now) for pid in members]
    with transaction(db):
        db.conn.executemany("INSERT INTO workshop(id, category_code, title, trainer, capacity,"
                         " completion_threshold, start_date, end_date, rev, created_at, updated_at)"
                         " VALUES (?,?,?,?,?,?,?,?,1,?,?)", workshop_rows)
        db.conn.executemany("INSERT INTO workshop_session(id, workshop_id, starts_at, ends_at, rev,"
                         " created_at, updated_at) VALUES (?,?,?,?,1,?,?)", session_rows)
        db.conn.executemany("INSERT INTO enrollment(id, service, workshop_id, person_id, status, requested_at,"
                            " rev, created_at, updated_at) VALUES (?,?,?,?,?,?,1,?,?)", enrollment_rows)
        db.conn.executemany("INSERT INTO attendance(id, context, session_id, person_id, status, day,"
                            " at, recorded_by, created_at) VALUES (?,?,?,?,?,?,?,?,?)", roster_marks)
    batch = 50_000
    made = {"visit": 0, "check_in": 0, "attendance": len(roster_marks)}
    targets = {k: int(n_events * share) for k, share in EVENT_SHARE.items()}
    while any(made[k] < targets[k] for k in made):
        visits, check_ins, marks = [], [], []
        for _ in range(batch):
            kind = rng.choices(list(EVENT_SHARE), weights=list(EVENT_SHARE.values()))[0]
            if made[kind] >= targets[kind]:
                continue
            made[kind] += 1
            day = rng.choice(days).isoformat()
            at = f"{day}T{rng.randint(8, 16):02d}:{rng.randint(0, 59):02d}:00+00:00"
            pid = person_ids[rng.randrange(n_persons)]
            if kind == "visit":
                visits.append((uid(), pid, at, day, rng.choice(programs), "in_person", "oriented", now))
            elif kind == "check_in":
                check_ins.append((uid(), rng.choice(("nursery", "club")), pid, day, at, "bench", now))
            else:
                sid, sday = sessions[rng.randrange(len(sessions))]
                status = rng.choices(("present", "late", "absent", "excused"), (70, 10, 15, 5))[0]
                marks.append((uid(), "workshop", sid, pid, status, sday, at, "bench", now))
        with transaction(db):
            db.conn.executemany("INSERT INTO visit(id, person_id, visited_at, day, program_code, channel,"
                             " outcome, created_at) VALUES (?,?,?,?,?,?,?,?)", visits)
            db.conn.executemany("INSERT INTO check_in(id, service, person_id, day, at, recorded_by,"
                             " created_at) VALUES (?,?,?,?,?,?,?)", check_ins)
            db.conn.executemany("INSERT INTO attendance(id, context, session_id, person_id, status, day,"
                             " at, recorded_by, created_at) VALUES (?,?,?,?,?,?,?,?,?)", marks)
    # A few corrections, as in real life: voided check-ins and amended marks.
    corrections = []
    for (cid,) in db.execute("SELECT id FROM check_in ORDER BY random() LIMIT 2000").fetchall():
        corrections.append((uid(), "check_in", cid, "void", "{}", "mistake", now, now))
    for (aid,) in db.execute("SELECT id FROM attendance ORDER BY random() LIMIT 1000").fetchall():
        corrections.append((uid(), "attendance", aid, "amend", '{"status": "absent"}', "mistake", now, now))
    campaigns, counts = [], []
    for c in range(24):
        cid = uid()
        campaigns.append((cid, "Prévention", days[c * 10].isoformat(), "Douar", now, now))
        for sex in ("F", "M"):
            for band in ("18-29", "30-59", "60+"):
                counts.append((uid(), cid, sex, band, rng.randint(0, 40), now, now))
    with transaction(db):
        db.conn.executemany("INSERT INTO event_correction(id, target_table, target_id, kind, patch, reason,"
                         " at, created_at) VALUES (?,?,?,?,?,?,?,?)", corrections)
        db.conn.executemany("INSERT INTO campaign(id, topic, day, place, rev, created_at, updated_at)"
                         " VALUES (?,?,?,?,1,?,?)", campaigns)
        db.conn.executemany("INSERT INTO campaign_count(id, campaign_id, sex, age_band, count, rev,"
                         " created_at, updated_at) VALUES (?,?,?,?,?,1,?,?)", counts)
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return {"persons": n_persons, "events": sum(made.values()), **{f"{k}_events": v for k, v in made.items()},
            "corrections": len(corrections), "build_s": round(time.perf_counter() - started, 1)}


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
