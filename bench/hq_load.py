"""HQ load benchmark: many simulated desktops of many centers pushing and pulling at once.

Default: 100 desktops of 20 centers for 60 s against HQ on PostgreSQL (uvicorn workers).
Each desktop loops: push a small batch (new persons, edits of its own persons, check-in
events), then pull. Reports ops per second, p50/p99 latency per request kind, errors (target
0) and a final exactly-once check: every op sent has exactly one receipt at HQ, and every
created row exists once. Writes bench/results/hq_load.json.

    python bench/hq_load.py [--desktops 100] [--centers 20] [--seconds 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

import psycopg  # noqa: E402

import jisr_protocol as p  # noqa: E402
from jisr_desktop.sync.transport import HqError, HqUnreachable, SyncTransport  # noqa: E402
from jisr_protocol.hlc import HybridLogicalClock  # noqa: E402
from tests.hq.hqkit import HqServer  # noqa: E402
from tests.hq.pg_server import free_port, pg_cluster  # noqa: E402

FIRST = ["Amina", "Youssef", "Fatima", "Mohamed", "Khadija", "Omar", "Salma", "Hamza"]
LAST = ["El Idrissi", "Benali", "Ait Taleb", "Chraibi", "Ouazzani", "Bennani"]


class OpWriter:
    """Builds outbox ops the way the desktop services will: one seq per op, HLC per edit."""

    def __init__(self, device_id: str) -> None:
        self.device_id = device_id
        self.seq = 0
        self.clock = HybridLogicalClock(device_id)

    def op(
        self,
        entity: str,
        entity_id: str,
        kind: str,
        patch: dict[str, Any],
        base: dict[str, str | None],
    ) -> p.Op:
        self.seq += 1
        return p.Op(
            op_id=uuid.uuid4(),
            device_id=uuid.UUID(self.device_id),
            epoch=1,
            seq=self.seq,
            entity=cast(Any, entity),
            entity_id=uuid.UUID(entity_id),
            kind=cast(Any, kind),
            patch=patch,
            base=base,
            schema_v=1,
            user_id=None,
            hlc=str(self.clock.now(time.time_ns() // 1_000_000)),
        )


def person_patch(i: int) -> dict[str, Any]:
    return {
        "first_name": FIRST[i % len(FIRST)],
        "last_name": LAST[i % len(LAST)],
        "cin": f"BK{100000 + i}",
        "phone": f"+2126{i % 100000000:08d}",
        "birth_date": f"19{60 + i % 40}-0{1 + i % 9}-1{i % 9}",
        "sex": "F" if i % 2 else "M",
        "address": f"{i % 300} Derb {LAST[i % len(LAST)]}, Casablanca",
        "household_id": str(uuid.UUID(int=i // 4 + 1)),
    }


class LoadDesktop(threading.Thread):
    def __init__(self, url: str, code: str, stop: threading.Event, seed: int) -> None:
        super().__init__(daemon=True)
        self.t = SyncTransport(url)
        self.t.enroll(code, "load")
        self.writer = OpWriter(str(self.t.device_id))
        self.stop_event = stop
        self.rng = random.Random(seed)
        self.cursor = ""
        self.persons: list[str] = []
        self.created = 0
        self.latency: dict[str, list[float]] = {"push": [], "pull": []}
        self.errors: list[str] = []

    def _ops(self) -> list[p.Op]:
        ops = []
        for _ in range(self.rng.randint(5, 40)):
            roll = self.rng.random()
            if roll < 0.3 or not self.persons:
                pid = str(uuid.uuid4())
                self.persons.append(pid)
                ops.append(
                    self.writer.op("person", pid, "upsert", person_patch(len(self.persons)), {})
                )
                self.created += 1
            elif roll < 0.5:
                pid = self.rng.choice(self.persons)
                ops.append(
                    self.writer.op(
                        "person",
                        pid,
                        "upsert",
                        {"phone": f"+2126{self.rng.randrange(10**8):08d}"},
                        {},
                    )
                )
            else:
                ops.append(
                    self.writer.op(
                        "check_in",
                        str(uuid.uuid4()),
                        "event",
                        {"person_id": self.rng.choice(self.persons), "kind": "visit"},
                        {},
                    )
                )
                self.created += 1
        return ops

    def run(self) -> None:
        while not self.stop_event.is_set():
            ops = self._ops()
            req = p.PushRequest(
                protocol_v=1,
                device_id=uuid.UUID(str(self.t.device_id)),
                epoch=1,
                first_seq=ops[0].seq,
                ops=ops,
            )
            for _attempt in range(5):  # an unanswered push is retried as is, like the client
                if self._timed("push", lambda req=req: self.t.push(req)):  # type: ignore[misc]
                    break
            self._timed("pull", self._pull)
        self.t.close()

    def _pull(self) -> None:
        while True:
            page = self.t.pull(self.cursor, limit=p.MAX_PULL_LIMIT)
            self.cursor = page.next_cursor
            if not page.more:
                return

    def _timed(self, kind: str, fn: Any) -> bool:
        started = time.perf_counter()
        try:
            fn()
        except (HqError, HqUnreachable) as exc:
            self.errors.append(f"{kind}: {exc}")
            time.sleep(0.2)
            return False
        self.latency[kind].append(time.perf_counter() - started)
        return True


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return round(1000 * values[min(len(values) - 1, int(q * len(values)))], 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desktops", type=int, default=100)
    parser.add_argument("--centers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "hq_load.json")
    args = parser.parse_args()
    with pg_cluster() as cluster:
        url = cluster.create_database("bench_load_" + uuid.uuid4().hex[:8])
        hq = HqServer(Path(tempfile.mkdtemp(prefix="jisr-load-")), url, free_port(), "postgres")
        hq.migrate()
        hq.start("--workers", str(args.workers))
        try:
            per_center = -(-args.desktops // args.centers)
            codes: list[str] = []
            for _ in range(args.centers):
                codes += hq.new_center(codes=per_center)[1]
            stop = threading.Event()
            desks = [LoadDesktop(hq.base_url, codes[i], stop, i) for i in range(args.desktops)]
            started = time.perf_counter()
            for d in desks:
                d.start()
            time.sleep(args.seconds)
            stop.set()
            for d in desks:
                d.join(120)
            elapsed = time.perf_counter() - started
            result = summarise(desks, elapsed, url, args)
        finally:
            hq.stop()
            shutil.rmtree(hq.home, ignore_errors=True)
    sys.stdout.write(json.dumps(result, indent=1) + "\n")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if result["errors"] == 0 and result["exactly_once"] else 1


def summarise(desks: list[LoadDesktop], elapsed: float, url: str, args: Any) -> dict[str, Any]:
    pushes = [x for d in desks for x in d.latency["push"]]
    pulls = [x for d in desks for x in d.latency["pull"]]
    acked_ops = sum(d.writer.seq for d in desks)
    with psycopg.connect(url) as con:
        # One receipt per applied batch, covering seqs first_seq..last_seq: every op exactly
        # once means the ranges of a device add up to its ops and never overlap.
        receipts: dict[str, int] = {
            device: int(total)
            for device, total in con.execute(
                "SELECT device_id::text, sum(last_seq - first_seq + 1)"
                " FROM jisr_hq_batchreceipt GROUP BY device_id"
            ).fetchall()
        }
        dup = con.execute(
            "SELECT count(*) FROM jisr_hq_batchreceipt a JOIN jisr_hq_batchreceipt b"
            " ON a.device_id = b.device_id AND a.epoch = b.epoch AND a.id < b.id"
            " AND a.first_seq <= b.last_seq AND b.first_seq <= a.last_seq"
        ).fetchone()[0]  # type: ignore[index]
        rows = con.execute(
            "SELECT (SELECT count(*) FROM jisr_hq_record) + (SELECT count(*) FROM jisr_hq_event)"
        ).fetchone()[0]  # type: ignore[index]
    sent_ok = all(receipts.get(str(d.t.device_id), 0) == d.writer.seq for d in desks)
    created = sum(d.created for d in desks)
    return {
        "desktops": args.desktops,
        "centers": args.centers,
        "seconds": round(elapsed, 1),
        "hq_workers": args.workers,
        "python": platform.python_version(),
        "ops_acked": acked_ops,
        "ops_per_second": round(acked_ops / elapsed, 1),
        "push": {
            "requests": len(pushes),
            "p50_ms": pct(pushes, 0.5),
            "p99_ms": pct(pushes, 0.99),
            "mean_ms": round(1000 * statistics.fmean(pushes), 1) if pushes else 0,
        },
        "pull": {"requests": len(pulls), "p50_ms": pct(pulls, 0.5), "p99_ms": pct(pulls, 0.99)},
        "errors": sum(len(d.errors) for d in desks),
        "error_samples": [e for d in desks for e in d.errors][:5],
        "exactly_once": bool(sent_ok and dup == 0 and rows == created),
        "check": {"duplicate_receipts": dup, "rows_at_hq": rows, "rows_created": created},
    }


if __name__ == "__main__":
    sys.exit(main())
