"""Benchmark of the printouts: `.venv/bin/python bench/reports.py [--quick] [--rebuild]`.

Measures the real 300-child nursery roster built from the services (issue 5 target: ≤ 0.5 s),
the engine alone on a 300-row table, a consent receipt, registry exports of 200,000 persons to
XLSX and CSV, and the monthly report on 200,000 persons and 1,000,000 events (target: ≤ 3 s).
That data set is built once under ``bench/data/reports-200000`` (git-ignored; a few minutes,
with bulk inserts through the real schema) and reused; ``--rebuild`` makes it again. Figures go
to ``bench/results/reports.json`` (best of N runs, seconds); tests never assert times.
``--before FILE`` keeps figures measured with the previous code beside them (with its load).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
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

    from jisr_desktop.context import SYSTEM_USER, Context
    from jisr_desktop.db.connection import open_database, transaction
    from jisr_desktop.services.center import create_center

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


def real_nursery_roster(home: Path, children: int = 300) -> Callable[[], None]:
    """300 children enrolled and half of them checked in through the services, then the roster."""
    from jisr_desktop.context import SYSTEM_USER, Context
    from jisr_desktop.db.connection import open_database
    from jisr_desktop.reports.rosters import RosterRequest, build_roster
    from jisr_desktop.services import nursery
    from jisr_desktop.services.center import create_center
    from jisr_desktop.services.registry import register_person

    ctx = Context(db=open_database(home, create=True), user=SYSTEM_USER,
                  clock=lambda: dt.datetime(2026, 11, 2, 8, 30, tzinfo=dt.UTC))
    create_center(ctx=ctx, code="BENCH", name_fr="Espace Jisr al-Usra", name_ar="فضاء جسر الأسرة",
                  province_code="04.421")
    for i in range(children):
        guardian = register_person(ctx=ctx, data={
            "given_name_ar": FIRST_AR[(i + 3) % 10], "family_name_ar": LAST_AR[i % 8],
            "given_name_lat": FIRST_FR[(i + 3) % 10], "family_name_lat": LAST_FR[i % 8],
            "phone": f"06{i:08d}"})
        child = register_person(ctx=ctx, data={
            "given_name_ar": FIRST_AR[i % 10], "family_name_ar": LAST_AR[i % 8],
            "given_name_lat": FIRST_FR[i % 10], "family_name_lat": LAST_FR[i % 8],
            "birth_date": dt.date(2025, 1 + i % 12, 1 + i % 28)})
        nursery.enroll_child(ctx=ctx, child_id=child.id, guardian_ids=[guardian.id], capacity=children,
                             allergies="حساسية من الحليب والبيض" if i % 9 == 0 else "")
        if i % 2 == 0:
            nursery.check_in_child(ctx=ctx, child_id=child.id, dropped_off_by_name=FIRST_AR[(i + 3) % 10])
    request = RosterRequest("nursery", DAY.replace(day=2), "ar")

    def run() -> None:
        build_roster(io.BytesIO(), ctx=ctx, request=request)

    return run


def monthly(home: Path, lang: str) -> Callable[[], None]:
    from jisr_desktop.db.connection import open_database
    from jisr_desktop.reports.monthly import build_monthly_report

    db = open_database(home)

    def run() -> None:
        build_monthly_report(io.BytesIO(), db=db, year=YEAR, month=BENCH_MONTH, lang=lang)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs, 20,000 persons and 100,000 events")
    parser.add_argument("--rebuild", action="store_true", help="build the monthly report's data set again")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "reports.json")
    parser.add_argument("--before", type=Path, help="a JSON file of figures measured with the code before a "
                        "change (same data, same machine), kept in the results under 'before'")
    args = parser.parse_args()
    runs = 2 if args.quick else 5
    n_persons = 20_000 if args.quick else 200_000
    n_events = 100_000 if args.quick else 1_000_000
    register_fonts()
    roster("ar")()  # warm-up: font parsing and caches are a one-time cost per process
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        real = real_nursery_roster(Path(tmp) / "home")
        real()
        results["nursery_roster_300_children_ar_s"] = best_of(real, runs)
    results |= {
        "table_300_rows_ar_s": best_of(roster("ar"), runs),
        "table_300_rows_fr_s": best_of(roster("fr"), runs),
        "consent_receipt_ar_s": best_of(consent, runs),
    }
    home = DATA_HOME if not args.quick else DATA_HOME.with_name(f"reports-{n_persons}")
    if args.rebuild or not (home / "jisr.db").exists():
        results["monthly_data"] = build_data(home, n_persons, n_events)
    else:
        from jisr_desktop.db.connection import open_database

        db = open_database(home)
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("person", "visit", "check_in", "attendance", "event_correction")}
        db.close()
        results["monthly_data"] = {"persons": counts["person"],
                                   "events": counts["visit"] + counts["check_in"] + counts["attendance"],
                                   "corrections": counts["event_correction"]}
    first = monthly(home, "ar")
    first()  # opens the database (and applies pending migrations) outside the timing
    results[f"monthly_report_{n_persons}_persons_{n_events}_events_ar_s"] = best_of(first, max(runs // 2, 2))
    results[f"monthly_report_{n_persons}_persons_{n_events}_events_fr_s"] = best_of(monthly(home, "fr"),
                                                                                   max(runs // 2, 2))
    rows = persons(n_persons)
    with tempfile.TemporaryDirectory() as tmp:
        results[f"export_{n_persons}_persons_xlsx_s"] = best_of(export("xlsx", rows, Path(tmp)), 1)
        results[f"export_{n_persons}_persons_csv_s"] = best_of(export("csv", rows, Path(tmp)), 1)
    results["targets"] = {"roster_300_rows_s": 0.5, "monthly_report_s": 3.0}
    results["machine"] = {"python": platform.python_version(), "platform": platform.platform(),
                          "load_average_1min": round(os.getloadavg()[0], 2)}
    results["date"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if args.before:
        results["before"] = json.loads(args.before.read_text(encoding="utf-8"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
