"""Check-in benchmark: from a scanned member card code to the recorded event and the
refreshed nursery board, on a center with 200,000 persons and 1,000,000 attendance events.

Builds (once, cached under bench/data/) an encrypted database: 200,000 registered persons
(written with plain SQL, no search names: the check-in path never searches the registry) and
1,000,000 events spread over two past years the way a center accumulates them — nursery and
club check-ins with their check-outs, workshop attendance marks, alert acknowledgements and
a few corrections. Then, on ten mornings, scans the cards of 30 enrolled nursery children
(a third with an allergy) and 20 club members, one scan in ten repeated (a second scan the
same day is idempotent), each time through the services the screens use: `check_in_by_code`
then `nursery_day` (what the board reloads after a scan). Writes p50/p95/max to
bench/results/checkin.json. Target: p95 ≤ 50 ms from scan to refreshed board.

    python bench/checkin.py [--persons 200000] [--events 1000000] [--rebuild]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("JISR_NO_KEYRING", "1")
ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

import sqlite_utils  # noqa: E402
from _common import machine, percentile, write_result  # noqa: E402

from jisr_desktop import ledger  # noqa: E402
from jisr_desktop.context import SYSTEM_USER, Context  # noqa: E402
from jisr_desktop.db.connection import open_database  # noqa: E402
from jisr_desktop.services import accounts, club, nursery, registry  # noqa: E402
from jisr_desktop.services.center import create_center  # noqa: E402
from jisr_desktop.services.checkin import check_in_by_code  # noqa: E402

KIDS, MEMBERS, MORNINGS = 30, 20, 10
FIRST_MORNING = datetime(2026, 11, 2, 7, 30, tzinfo=UTC)
HISTORY_DAYS = 700
BATCH = 50_000
PASSWORD = "correct horse battery"


def seed_persons(db: sqlite_utils.Database, count: int, rng: random.Random) -> list[str]:
    """`count` persons by plain SQL (rev 1, so the sync trigger leaves them alone)."""
    ids: list[str] = []
    for start in range(0, count, BATCH):
        batch = []
        for i in range(start, min(count, start + BATCH)):
            pid = ledger.new_id()
            ids.append(pid)
            born = date(1940, 1, 1) + timedelta(days=rng.randrange(30_000))
            batch.append((pid, f"Given{i}", f"Family{i % 5000}", born.isoformat(), rng.choice("FM"), 1))
        with db.conn:
            db.conn.executemany("INSERT INTO person(id, given_name_lat, family_name_lat, birth_date, sex, rev)"
                                " VALUES (?,?,?,?,?,?)", batch)
    return ids


def seed_events(db: sqlite_utils.Database, person_ids: list[str], total: int, rng: random.Random) -> dict[str, int]:
    """`total` events (counted per table on return) over the past `HISTORY_DAYS` days: 40% check-ins
    (nursery and club), as many check-outs, 18% workshop marks, 1.5% alert acknowledgements and
    corrections for the rest (random draws that repeat a natural key collapse into one event)."""
    first_day = FIRST_MORNING.date() - timedelta(days=HISTORY_DAYS)
    n_visits, n_marks = int(total * 0.40), int(total * 0.18)
    n_acks = int(total * 0.015)
    check_in_ids: list[str] = []
    ins, outs = [], []

    def flush(table: str, sql: str, batch: list[Any]) -> None:
        with db.conn:
            db.conn.executemany(sql, batch)
        batch.clear()

    in_sql = ("INSERT OR IGNORE INTO check_in(id, service, person_id, day, at, by_name, card_code, recorded_by, created_at)"
              " VALUES (?,?,?,?,?,?,?,?,?)")
    out_sql = ("INSERT OR IGNORE INTO check_out(id, check_in_id, service, person_id, day, at, by_name, recorded_by, created_at)"
               " VALUES (?,?,?,?,?,?,?,?,?)")
    for i in range(n_visits):
        day = first_day + timedelta(days=i % HISTORY_DAYS)
        service = "nursery" if i % 2 else "club"
        person = rng.choice(person_ids)
        cid = ledger.deterministic_id("checkin", service, person, day.isoformat())
        at_in, at_out = f"{day.isoformat()}T08:{i % 60:02d}:00+00:00", f"{day.isoformat()}T16:{i % 60:02d}:00+00:00"
        ins.append((cid, service, person, day.isoformat(), at_in, "", "", "bench", at_in))
        outs.append((ledger.deterministic_id("checkout", cid), cid, service, person, day.isoformat(), at_out,
                     "", "bench", at_out))
        if i % 20 == 0:
            check_in_ids.append(cid)
        if len(ins) == BATCH:
            flush("check_in", in_sql, ins)
            flush("check_out", out_sql, outs)
    flush("check_in", in_sql, ins)
    flush("check_out", out_sql, outs)
    marks = []
    mark_sql = ("INSERT OR IGNORE INTO attendance(id, context, session_id, person_id, status, day, at, recorded_by, created_at)"
                " VALUES (?,?,?,?,?,?,?,?,?)")
    sessions = [ledger.new_id() for _ in range(n_marks // 15 + 1)]
    for i in range(n_marks):
        day = first_day + timedelta(days=(i // 15) % HISTORY_DAYS)
        session, person = sessions[i // 15], rng.choice(person_ids)
        at = f"{day.isoformat()}T10:00:00+00:00"
        marks.append((ledger.deterministic_id("attendance", session, person), "workshop", session, person,
                      rng.choice(("present", "present", "present", "late", "absent")), day.isoformat(), at,
                      "bench", at))
        if len(marks) == BATCH:
            flush("attendance", mark_sql, marks)
    flush("attendance", mark_sql, marks)
    check_in_ids = list(dict.fromkeys(check_in_ids))  # a repeated random draw is one check-in
    acks = [(ledger.deterministic_id("ack", cid), cid, "", "Allergy", "2025-01-01T08:00:00+00:00", "bench", "")
            for cid in check_in_ids[:n_acks]]
    flush("alert_ack", "INSERT OR IGNORE INTO alert_ack(id, check_in_id, person_id, alerts, at, recorded_by, created_at)"
                       " VALUES (?,?,?,?,?,?,?)", acks)
    written = sum(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("check_in", "check_out", "attendance", "alert_ack"))
    n_corr = total - written  # the rest, so that the tables hold `total` events in all
    corrections = [(ledger.new_id(), "check_in", rng.choice(check_in_ids), rng.choice(("void", "amend")),
                    "{}", "wrong child scanned", "2025-01-01T09:00:00+00:00", "bench", "")
                   for _ in range(n_corr)]
    flush("event_correction", "INSERT INTO event_correction(id, target_table, target_id, kind, patch, reason, at,"
                              " recorded_by, created_at) VALUES (?,?,?,?,?,?,?,?,?)", corrections)
    # (the same person twice the same day is one event: a few random draws collapse)
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("check_in", "check_out", "attendance", "alert_ack", "event_correction")}


def build(home: Path, persons: int, events: int) -> dict[str, object]:
    if home.exists():
        shutil.rmtree(home)
    started = time.perf_counter()
    rng = random.Random(42)
    db = open_database(home, create=True)
    system = Context(db=db, user=SYSTEM_USER, clock=lambda: FIRST_MORNING - timedelta(days=1))
    create_center(ctx=system, code="BENCH", name_fr="Banc", name_ar="اختبار", province_code="04.421")
    accounts.create_account(ctx=system, username="coord", display_name="Coordinator", role="coordinator",
                            password=PASSWORD)
    coordinator = accounts.sign_in(ctx=system, username="coord", password=PASSWORD)
    ctx = Context(db=db, user=coordinator, clock=system.clock)
    person_ids = seed_persons(db, persons - KIDS - MEMBERS, rng)
    counts = seed_events(db, person_ids, events, rng)
    for i in range(KIDS):
        kid = registry.register_person(ctx=system, data={
            "given_name_lat": f"Kid{i}", "family_name_lat": "Bench", "birth_date": date(2025, 3, 1 + i % 28)})
        nursery.enroll_child(ctx=ctx, child_id=kid.id, allergies="peanuts" if i % 3 == 0 else "", capacity=100)
    for i in range(MEMBERS):
        member = registry.register_person(ctx=system, data={
            "given_name_lat": f"Elder{i}", "family_name_lat": "Bench", "birth_date": date(1950, 1, 1 + i)})
        club.enroll_member(ctx=ctx, person_id=member.id, emergency_name="Son", emergency_phone="0612345678")
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return {"build_seconds": round(time.perf_counter() - started, 1), "events": counts}


def summary(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(values), 2), "p95_ms": round(percentile(values, 95), 2),
            "max_ms": round(max(values), 2)}


def run(home: Path) -> dict[str, object]:
    db = open_database(home)
    now = [FIRST_MORNING]
    user = accounts.sign_in(ctx=Context(db=db, user=SYSTEM_USER), username="coord", password=PASSWORD)
    ctx = Context(db=db, user=user, clock=lambda: now[0])
    codes = [c for c, in db.execute("SELECT code FROM member_card WHERE revoked_at IS NULL AND deleted = 0"
                                    " ORDER BY service, code")]
    rng = random.Random(7)
    scan_ms: list[float] = []
    total_ms: list[float] = []
    repeats = 0
    nursery_day = nursery.nursery_day(ctx=ctx)  # warm the page cache, as a running program has it
    for morning in range(MORNINGS):
        now[0] = FIRST_MORNING + timedelta(days=morning)
        order = codes[:]
        rng.shuffle(order)
        order += rng.sample(codes, len(codes) // 10)  # a card scanned twice
        for code in order:
            now[0] += timedelta(seconds=rng.randint(5, 40))
            started = time.perf_counter()
            arrival = check_in_by_code(ctx=ctx, code=code.lower())
            scanned = time.perf_counter()
            nursery_day = nursery.nursery_day(ctx=ctx)
            done = time.perf_counter()
            assert arrival.checked_in, arrival.alerts
            repeats += arrival.already
            scan_ms.append((scanned - started) * 1000)
            total_ms.append((done - started) * 1000)
        assert nursery_day.arrived_count == KIDS
    live = db.execute("SELECT count(*) FROM check_in").fetchone()[0]
    db.close()
    return {"scans": len(total_ms), "repeated_scans": repeats, "check_in_events_after": live,
            "scan_to_board": summary(total_ms), "scan_to_event": summary(scan_ms)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    home = ROOT / "data" / f"checkin-{args.persons}-{args.events}"
    marker = home / "built.json"
    if args.rebuild or not marker.exists():
        marker_data = build(home, args.persons, args.events)
        marker.write_text(json.dumps(marker_data))
    built = json.loads(marker.read_text())
    # The timed runs write check-ins: work on a copy so that every run starts from the same data.
    work = home.parent / f"{home.name}-run"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(home, work)
    try:
        timed = run(work)
        size = (home / "jisr.db").stat().st_size
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "persons": args.persons,
        "events": sum(built["events"].values()),
        "events_by_table": built["events"],
        "enrolled": {"nursery": KIDS, "club": MEMBERS},
        "mornings": MORNINGS,
        **timed,
        "p95_ms": timed["scan_to_board"]["p95_ms"],  # type: ignore[index]
        "target_p95_ms": 50,
        "build_seconds": built["build_seconds"],
        "database_mb": round(size / 1e6, 1),
        **machine(),
    }
    write_result("checkin", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
