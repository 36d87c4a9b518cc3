"""Held pipelined batches slowing another center's pushes (issue 12 point 5).

One desktop of center A keeps 96 pipelined batches held at HQ (their predecessor never comes,
so each waits out HQ's gap wait and is sent again); meanwhile a desktop of center B pushes
batches of 20 new persons one after the other. B's push latency with the held batches is
compared with B alone (same HQ, same run). HQ runs with two worker processes, on PostgreSQL
(default) or SQLite. Writes bench/results/hq_contention-<label>-<backend>.json.

    python bench/hq_contention.py [--backend postgres|sqlite] [--seconds 10] [--label after]

Run it from an older checkout (copy this file there) for the "before" figure: the HQ server
is the one of the checkout the script sits in.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from bench._common import RESULTS, machine, percentile, write_result  # noqa: E402
from tests.hq.hqkit import HqServer, SimDesktop  # noqa: E402
from tests.hq.pg_server import free_port, pg_cluster  # noqa: E402

HELD = 96
PIPELINED = {"X-Jisr-Pipeline": "1"}


def _persons(desk: SimDesktop, n: int) -> list[dict[str, Any]]:
    return [desk.op("person", uuid.uuid4(), patch={"given_name_lat": f"P{i}"}) for i in range(n)]


def _measure(desk: SimDesktop, seconds: float) -> list[float]:
    """B's push latencies (ms) for `seconds`."""
    out: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        ops = _persons(desk, 20)
        t0 = time.perf_counter()
        r = desk.push(ops)
        out.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, r.text
    return out


def hold(base_url: str, code: str, seconds: float) -> None:
    """Keep HELD batches of one desktop of center A held at HQ for `seconds` (in a process of
    its own, so that its threads do not slow the measuring client); prints the answers."""
    desk = SimDesktop.enroll(base_url, code)
    ops = _persons(desk, HELD + 1)
    end = time.monotonic() + seconds
    answers: list[int] = []

    def loop(op: dict[str, Any]) -> None:
        while time.monotonic() < end:
            answers.append(desk.push([op], headers=PIPELINED).status_code)

    threads = [threading.Thread(target=loop, args=(op,), daemon=True) for op in ops[1:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    desk.close()
    print(" ".join(str(a) for a in answers), flush=True)


def run(hq: HqServer, seconds: float) -> dict[str, Any]:
    _, codes_a = hq.new_center(codes=1)
    _, codes_b = hq.new_center(codes=1)
    b = SimDesktop.enroll(hq.base_url, codes_b[0])
    _measure(b, 2)  # warm up
    alone = _measure(b, seconds)
    holder = subprocess.Popen(
        [sys.executable, __file__, "--hold", hq.base_url, codes_a[0], str(seconds + 4)],
        stdout=subprocess.PIPE, text=True)
    time.sleep(2)  # let the held batches reach HQ (a benchmark: not a test's ordering)
    held = _measure(b, seconds)
    out, _ = holder.communicate(timeout=180)
    answers = [int(a) for a in out.split()]
    b.close()
    med_alone, med_held = statistics.median(alone), statistics.median(held)
    return {
        "held_batches": HELD,
        "pushes_alone": len(alone),
        "pushes_with_held": len(held),
        "push_ms_alone": {"p50": round(med_alone, 1), "p95": round(percentile(alone, 95), 1)},
        "push_ms_with_held": {"p50": round(med_held, 1), "p95": round(percentile(held, 95), 1)},
        "slowdown_p50": round(med_held / med_alone, 2),
        "held_answers": {str(code): answers.count(code) for code in sorted(set(answers))},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--label", default="after")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--hold", nargs=3, metavar=("URL", "CODE", "SECONDS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.hold:
        hold(args.hold[0], args.hold[1], float(args.hold[2]))
        return 0
    home = Path(tempfile.mkdtemp(prefix="jisr-contention-"))
    try:
        if args.backend == "postgres":
            with pg_cluster() as cluster:
                url = cluster.create_database("bench_cont_" + uuid.uuid4().hex[:8])
                result = _serve_and_run(home, url, args)
        else:
            result = _serve_and_run(home, f"sqlite:///{home / 'hq.sqlite3'}", args)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    result.update(label=args.label, backend=args.backend, workers=args.workers, **machine())
    write_result(f"hq_contention-{args.label}-{args.backend}", result)
    return 0


def _serve_and_run(home: Path, url: str, args: Any) -> dict[str, Any]:
    hq = HqServer(home, url, free_port(), args.backend, tls=False)  # plain HTTP on loopback
    hq.migrate()
    hq.start("--workers", str(args.workers))
    try:
        return run(hq, args.seconds)
    finally:
        hq.stop()


if __name__ == "__main__":
    RESULTS.mkdir(parents=True, exist_ok=True)
    sys.exit(main())
