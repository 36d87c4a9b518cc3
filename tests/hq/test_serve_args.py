"""`HqServer.start(*serve_args)` passes its arguments to `jisr-hq serve` (benchmarks start HQ
with several uvicorn workers this way)."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

import httpx

from tests.hq.hqkit import HqServer
from tests.hq.pg_server import free_port


def _ppid(pid: int) -> int:
    # /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ")".
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def test_serve_args_reach_the_server() -> None:
    home = Path(tempfile.mkdtemp(prefix="jisr-hq-args-"))
    hq = HqServer(home, f"sqlite:///{home / 'hq.sqlite3'}", free_port(), "sqlite")
    hq.migrate()
    # "--log-level info" overrides start()'s default "warning": uvicorn then logs one
    # "Started server process [pid]" per worker, which is what this test reads.
    hq.start("--workers", "2", "--log-level", "info")
    try:
        assert hq.proc is not None
        log = home / "server.log"
        workers: set[int] = set()
        deadline = time.monotonic() + 30
        while len(workers) < 2 and time.monotonic() < deadline:
            workers = {
                int(m) for m in re.findall(r"Started server process \[(\d+)\]", log.read_text())
            }
            time.sleep(0.1)
        assert len(workers) == 2, log.read_text()[-2000:]
        # Two worker processes, both children of the `serve` process (a single-worker
        # uvicorn serves in the `serve` process itself and spawns none).
        assert hq.proc.pid not in workers
        assert {_ppid(pid) for pid in workers} == {hq.proc.pid}
        assert f"Started parent process [{hq.proc.pid}]" in log.read_text()
        assert httpx.get(hq.base_url + "/api/sync/ping", timeout=5).status_code == 200
    finally:
        hq.stop()
        shutil.rmtree(home, ignore_errors=True)
