"""Sync benchmark: HQ on PostgreSQL, N persons and 5N events through the real wire protocol.

For each N: a first push from one desktop, a fresh pull into a second desktop of the same
center, a round with 1% of the persons edited (push, then the other desktop pulls), and a
no-op sync. Reports seconds, requests and bytes on the wire each way, and compares the fresh
pull's bytes with the gzip size of the same rows as JSON lines. Writes bench/results/sync.json.
Targets (N = 100,000): first push ≤ 60 s, fresh pull ≤ 60 s, no-op ≤ 2 requests and ≤ 4 KB,
pull bytes ≤ 1.3 × gzip(JSON lines).

The desktops are protocol-level simulations (ops built in memory, rows kept in a dict): this
measures HQ and the wire, not the desktop's SQLite.

    python bench/sync.py [--n 10000 100000] [--workers 2]
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from jisr_desktop.sync import protocol as p  # noqa: E402
from jisr_desktop.sync.hlc import HybridLogicalClock  # noqa: E402
from jisr_desktop.sync.transport import SyncTransport, iter_batches  # noqa: E402
from tests.hq import hqkit  # noqa: E402
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


def first_ops(writer: OpWriter, n: int, base: int) -> Iterator[p.Op]:
    for i in range(n):
        pid = str(uuid.UUID(int=base + i))
        yield writer.op("person", pid, "upsert", person_patch(i), {})
        for k in range(5):
            yield writer.op(
                "check_in",
                str(uuid.uuid4()),
                "event",
                {"person_id": pid, "at": f"2026-11-{1 + k:02d}T09:00:00", "kind": "visit"},
                {},
            )


def push_all(t: SyncTransport, device_id: str, ops: Iterator[p.Op]) -> int:
    count = 0
    for batch in iter_batches(ops):
        answer = t.push(
            p.PushRequest(
                protocol_v=p.PROTOCOL_VERSION,
                device_id=uuid.UUID(device_id),
                epoch=1,
                first_seq=batch[0].seq,
                ops=batch,
            )
        )
        assert answer.acked_through == batch[-1].seq and not answer.rejected, answer
        count += len(batch)
    return count


def pull_all(t: SyncTransport, cursor: str, state: dict[tuple[str, str], dict[str, Any]]) -> str:
    while True:
        page = t.pull(cursor, limit=p.MAX_PULL_LIMIT)
        for row in page.rows:
            state[(row.entity, str(row.entity_id))] = row.model_dump(mode="json")
        cursor = page.next_cursor
        if not page.more:
            return cursor


def measure(t: SyncTransport, fn: Any) -> tuple[Any, dict[str, float]]:
    before = (t.stats.requests, t.stats.bytes_up, t.stats.bytes_down)
    started = time.perf_counter()
    result = fn()
    return result, {
        "seconds": round(time.perf_counter() - started, 3),
        "requests": t.stats.requests - before[0],
        "bytes_up": t.stats.bytes_up - before[1],
        "bytes_down": t.stats.bytes_down - before[2],
    }


def start_hq(hq: HqServer, workers: int) -> None:
    """Start HQ with `workers` uvicorn processes. HqServer.start ignores its serve arguments,
    so append them to the command line it launches."""
    real_popen = hqkit.subprocess.Popen

    def popen(cmd: list[str], *args: Any, **kwargs: Any) -> Any:
        return real_popen([*cmd, "--workers", str(workers)], *args, **kwargs)

    hqkit.subprocess.Popen = popen  # type: ignore[assignment,misc]
    try:
        hq.start()
    finally:
        hqkit.subprocess.Popen = real_popen  # type: ignore[misc]


def run(n: int, hq: HqServer) -> dict[str, Any]:
    _, codes = hq.new_center(codes=2)
    a, b = SyncTransport(hq.base_url), SyncTransport(hq.base_url)
    a.enroll(codes[0], "bench-a")
    b.enroll(codes[1], "bench-b")
    writer = OpWriter(str(a.device_id))
    # Person ids unique per run: several N share one HQ, and an id already owned by another
    # center is (rightly) refused as entity_of_other_center.
    base = uuid.uuid4().int & ~0xFFFFFFFF
    pushed, first_push = measure(
        a, lambda: push_all(a, str(a.device_id), first_ops(writer, n, base))
    )
    state_b: dict[tuple[str, str], dict[str, Any]] = {}
    cursor_b, fresh_pull = measure(b, lambda: pull_all(b, "", state_b))
    center_rows = [r for r in state_b.values() if not r["entity"].startswith("ref.")]
    jsonl = "\n".join(json.dumps(r, separators=(",", ":")) for r in state_b.values()).encode()
    gzip_jsonl = len(gzip.compress(jsonl))
    persons = [(pid, row) for (entity, pid), row in state_b.items() if entity == "person"]
    edits = [
        writer.op(
            "person", pid, "upsert", {"phone": f"+2127{i:08d}"}, {"phone": row["clocks"]["phone"]}
        )
        for i, (pid, row) in enumerate(persons)
        if i % 100 == 0
    ]
    _, edit_push = measure(a, lambda: push_all(a, str(a.device_id), iter(edits)))
    cursor_b, edit_pull = measure(b, lambda: pull_all(b, cursor_b, state_b))
    _, noop = measure(b, lambda: pull_all(b, cursor_b, state_b))
    a.close()
    b.close()
    return {
        "n_persons": n,
        "n_events": 5 * n,
        "ops_pushed": pushed,
        "rows_pulled": len(center_rows),
        "first_push": first_push,
        "fresh_pull": fresh_pull,
        "edit_round": {"edited": len(edits), "push": edit_push, "pull": edit_pull},
        "noop_sync": noop,
        "gzip_jsonl_bytes": gzip_jsonl,
        "pull_bytes_over_gzip_jsonl": round(fresh_pull["bytes_down"] / gzip_jsonl, 3),
        "targets_n100k": {
            "first_push_s": 60,
            "fresh_pull_s": 60,
            "noop_requests": 2,
            "noop_bytes": 4096,
            "wire_over_gzip": 1.3,
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "sync.json")
    args = parser.parse_args()
    results: list[dict[str, Any]] = []
    with pg_cluster() as cluster:
        url = cluster.create_database("bench_sync_" + uuid.uuid4().hex[:8])
        hq = HqServer(Path(tempfile.mkdtemp(prefix="jisr-bench-")), url, free_port(), "postgres")
        start_hq(hq, args.workers)
        try:
            for n in args.n:
                results.append(run(n, hq))
                sys.stdout.write(json.dumps(results[-1], indent=1) + "\n")
        finally:
            hq.stop()
            shutil.rmtree(hq.home, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "machine": {
                    "python": platform.python_version(),
                    "cpus": __import__("os").cpu_count(),
                },
                "hq": {"database": "postgresql (throwaway, fsync off)", "workers": args.workers},
                "runs": results,
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
