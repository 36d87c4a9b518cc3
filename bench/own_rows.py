"""Own rows pulled back (issue 16 point 3): desktop A pushes a center of N persons and 5N
events in its first sync, and the pull of that same sync should bring none of them back.

The setup of `bench/sync.py` (the cached desktop A built through the services, a real HQ on
a throwaway PostgreSQL, the real `SyncClient`): A and a fresh desktop B enroll in a new center;
A's first sync pushes everything, then pulls; every pulled row is counted by kind (reference
rows, A's own records and events, conflicts); A then syncs with nothing to do, and B's fresh
pull gets everything (the rows skipped for A still reach the other desktop of the center).
Writes bench/results/own-rows-<label>-n<N>.json.

    python bench/own_rows.py [--n 10000] [--workers 2] [--label after]

Target (issue 16): 0 own rows pulled back after the first push (100,000 persons in the
issue; N = 10,000 here keeps a run short).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import sync as bench  # bench/sync.py (this folder is on sys.path when run as a script)
from _common import machine, write_result

import jisr_protocol as p
from jisr_desktop.sync.client import SyncClient
from tests.hq.hqkit import HqServer
from tests.hq.pg_server import free_port, pg_cluster


class CountingTransport(bench.TimedTransport):
    """The bench's timed transport, also counting the pulled rows by kind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds: dict[str, int] = {}

    def pull(self, cursor: str, limit: int = p.DEFAULT_PULL_LIMIT) -> p.PullResponse:
        page = super().pull(cursor, limit)
        for row in page.rows:
            kind = ("reference" if row.entity.startswith("ref.") else
                    "conflict" if row.entity == "sync.conflict" else
                    "event" if row.entity in p.EVENT_ENTITIES else "record")
            self.kinds[kind] = self.kinds.get(kind, 0) + 1
        return page


class Desktop(bench.Desktop):
    """The bench's desktop, its sync client using the counting transport."""

    def client(self) -> SyncClient:
        def factory(*args: Any, **kwargs: Any) -> CountingTransport:
            t = CountingTransport(*args, **kwargs)
            self.transports.append(t)
            return t

        return SyncClient(self.db, transport_factory=factory)


def run(n: int, hq: HqServer) -> dict[str, Any]:
    cached, built = bench.cached_desktop(n, False)
    work = Path(tempfile.mkdtemp(prefix=f"jisr-bench-own-{n}-"))
    try:
        shutil.copytree(cached, work / "a", ignore=shutil.ignore_patterns("built.json"))
        a = Desktop("a", work / "a")
        b = Desktop("b", work / "b", create=True)
        _, codes = hq.new_center(codes=2)
        a.enroll(hq.base_url, codes[0])
        b.enroll(hq.base_url, codes[1])
        first = a.sync()
        first_kinds = a.transports[-1].kinds  # type: ignore[attr-defined]
        print(f"N={n:,}: A's first sync {first['seconds']} s, pulled {first_kinds}", flush=True)
        again = a.sync()
        fresh = b.sync()
        fresh_kinds = b.transports[-1].kinds  # type: ignore[attr-defined]
        same = a.counts() == b.counts()
        a.close()
        b.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    own = first_kinds.get("record", 0) + first_kinds.get("event", 0)
    return {
        "n_persons": n,
        "n_events": built["events"],
        "first_sync": {
            "pushed": first["pushed"],
            "pulled": first["pulled"],
            "pulled_by_kind": first_kinds,
            "own_rows_pulled_back": own,
            "seconds": first["seconds"],
            "push_phase": first["push_phase"],
            "pull_phase": first["pull_phase"],
        },
        "next_sync": {k: again[k] for k in ("seconds", "requests", "bytes_down", "pulled")},
        "b_fresh_pull": {"pulled": fresh["pulled"], "pulled_by_kind": fresh_kinds,
                         "seconds": fresh["seconds"]},
        "b_tables_equal_a": same,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--label", default="after",
                        help="names the result file: which HQ code ran (before / after)")
    args = parser.parse_args()
    with pg_cluster() as cluster:
        url = cluster.create_database("bench_own_" + uuid.uuid4().hex[:8])
        hq = HqServer(Path(tempfile.mkdtemp(prefix="jisr-bench-hq-")), url, free_port(), "postgres")
        hq.migrate()
        hq.start("--workers", str(args.workers))
        try:
            result = run(args.n, hq)
        finally:
            hq.stop()
            shutil.rmtree(hq.home, ignore_errors=True)
    write_result(f"own-rows-{args.label}-n{args.n}", {
        "what": "rows desktop A's first sync pulls back after pushing its whole center"
                " (issue 16 point 3)",
        "hq": {"database": "postgresql (throwaway cluster, fsync off)", "workers": args.workers,
               "code": args.label},
        "target": {"own_rows_pulled_back": 0},
        "run": result,
        **machine(),
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
