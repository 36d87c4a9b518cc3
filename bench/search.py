"""Search benchmark: a 200,000-person registry and 500 mixed queries.

Builds (once, cached under bench/data/) an encrypted registry of demo families, then times
500 queries a receptionist would type — Arabic name prefixes, Latin name prefixes in varied
spellings, CINs and phone numbers in assorted formats — through the same service the screens
use (search plus loading the result rows). Writes p50/p95/max and the build time to
bench/results/search.json. Target: p95 ≤ 10 ms per query (issue 13, point 9).

    python bench/search.py [--persons 200000] [--queries 500] [--rebuild]
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
from pathlib import Path

os.environ.setdefault("JISR_NO_KEYRING", "1")
ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from _common import machine, percentile, write_result  # noqa: E402

from jisr_desktop.context import SYSTEM_USER, Context  # noqa: E402
from jisr_desktop.db.connection import open_database  # noqa: E402
from jisr_desktop.services import registry  # noqa: E402
from jisr_desktop.services.center import create_center  # noqa: E402
from jisr_desktop.services.demo import make_demo  # noqa: E402


def build(home: Path, persons: int) -> float:
    if home.exists():
        shutil.rmtree(home)
    started = time.perf_counter()
    ctx = Context(db=open_database(home, create=True), user=SYSTEM_USER)
    create_center(ctx=ctx, code="BENCH", name_fr="Banc", name_ar="اختبار", province_code="04.421")
    make_demo(ctx=ctx, persons=persons, seed=42, batch=5000)
    ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ctx.db.execute("INSERT INTO person_fts(person_fts) VALUES ('optimize')")
    ctx.db.close()
    return time.perf_counter() - started


def _phone_forms(e164: str, rng: random.Random) -> str:
    national = "0" + e164[4:]
    return rng.choice([
        national, " ".join(national[i:i + 2] for i in range(0, 10, 2)), national[:6],
        "+212 " + e164[4:], "00212" + e164[4:], ".".join(national[i:i + 2] for i in range(0, 10, 2))])


def queries(ctx: Context, count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    total = ctx.db.execute("SELECT max(rid) FROM person").fetchone()[0]
    picked = []
    while len(picked) < count:
        row = ctx.db.execute(
            "SELECT given_name_ar, family_name_ar, given_name_lat, family_name_lat, cin, phone"
            " FROM person WHERE rid = ?", [rng.randint(1, total)]).fetchone()
        if row:
            picked.append(row)
    out: list[tuple[str, str]] = []
    kinds = ["arabic", "latin", "cin", "phone", "cross"]
    for i, (g_ar, f_ar, g_lat, f_lat, cin, phone) in enumerate(picked):
        kind = kinds[i % 5]
        if kind == "cross" and not g_lat:
            kind = "arabic"
        if kind == "cin" and not cin:
            kind = "arabic"
        if kind == "phone" and not phone:
            kind = "latin"
        if kind == "latin" and not g_lat:
            kind = "arabic"
        if kind == "arabic":
            text = g_ar[: rng.randint(2, len(g_ar))]
            if rng.random() < 0.6:
                text = f"{g_ar} {f_ar[: rng.randint(2, len(f_ar))]}"
        elif kind == "latin":
            text = g_lat[: rng.randint(3, len(g_lat))].lower()
            if rng.random() < 0.6:
                text = f"{g_lat} {f_lat[: rng.randint(2, len(f_lat))]}"
        elif kind == "cross":
            # a whole name, the way the cross-script tier (run after the others) sees it:
            # half in the other script's spelling
            text = rng.choice([f"{g_lat} {f_ar}", f"{g_ar} {f_lat}", f"{g_lat} {f_lat}"])
        elif kind == "cin":
            text = rng.choice([cin, cin.lower(), cin[:2] + " " + cin[2:], cin[: max(3, len(cin) - 2)]])
        else:
            text = _phone_forms(phone, rng)
        out.append((kind, text))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    home = ROOT / "data" / f"search-{args.persons}"
    marker = home / "built.json"
    if args.rebuild or not marker.exists():
        seconds = build(home, args.persons)
        marker.write_text(json.dumps({"build_seconds": seconds}))
    build_seconds = json.loads(marker.read_text())["build_seconds"]
    ctx = Context(db=open_database(home), user=SYSTEM_USER)
    qs = queries(ctx, args.queries)
    for _, text in qs[:50]:  # warm the page cache, as a running program has it
        registry.search_persons(ctx=ctx, text=text)
    timings: dict[str, list[float]] = {}
    empty = 0
    for kind, text in qs:
        started = time.perf_counter()
        found = registry.search_persons(ctx=ctx, text=text, limit=50)
        timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        empty += not found
    every = [t for ts in timings.values() for t in ts]
    result = {
        "persons": ctx.db.execute("SELECT count(*) FROM person").fetchone()[0],
        "queries": len(every),
        "queries_with_no_result": empty,
        "build_seconds": round(build_seconds, 1),
        "database_mb": round((home / "jisr.db").stat().st_size / 1e6, 1),
        "p50_ms": round(statistics.median(every), 2),
        "p95_ms": round(percentile(every, 95), 2),
        "max_ms": round(max(every), 2),
        "by_kind": {k: {"n": len(v), "p50_ms": round(statistics.median(v), 2),
                        "p95_ms": round(percentile(v, 95), 2)} for k, v in timings.items()},
        "target_p95_ms": 10,
        **machine(),
    }
    write_result("search", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
