"""Power cut while writing: a writer process killed with SIGKILL at random points leaves a
database that passes the integrity check, holds every person it acknowledged, and has an
outbox op for every person row (docs/sync.md, guarantee 7)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from jisr_desktop.context import Context
from jisr_desktop.db.connection import open_database

CHILD = Path(__file__).with_name("writer_child.py")
RUNS = 20
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def _kill_at_random(home: Path, rng: random.Random, seed: int) -> list[str]:
    """Start the writer, kill it after a random number of acknowledgements plus a random
    delay; return the ids it acknowledged."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    with subprocess.Popen([sys.executable, str(CHILD), str(home), str(seed)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as proc:
        lines = _run_and_kill(proc, rng)
    return [line.split()[1] for line in lines if line.startswith("ack ")]


def _run_and_kill(proc: subprocess.Popen[str], rng: random.Random) -> list[str]:
    lines: list[str] = []
    enough = threading.Event()
    wanted = rng.choice([0, 0, 1, 2, 5, 10, 20, 40])

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.strip())
            if len(lines) > wanted:  # "ready" plus `wanted` acknowledgements
                enough.set()
        enough.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    enough.wait(timeout=60)
    time.sleep(rng.uniform(0, 0.03))  # a random point inside the next transactions
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    reader.join(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    return lines


def test_writer_killed_at_random_points_loses_nothing_acknowledged(ctx: Context, home: Path) -> None:
    ctx.db.close()
    acknowledged: set[str] = set()
    seed = random.SystemRandom().randrange(1 << 30)
    rng = random.Random(seed)
    for run in range(RUNS):
        acknowledged |= set(_kill_at_random(home, rng, seed + run))
        db = open_database(home)
        try:
            where = f"seed {seed}, run {run}"
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", where
            assert db.execute("PRAGMA foreign_key_check").fetchall() == [], where
            db.execute("INSERT INTO person_fts(person_fts) VALUES ('integrity-check')")
            stored = {r[0] for r in db.execute("SELECT id FROM person")}
            assert acknowledged <= stored, f"{where}: lost {acknowledged - stored}"
            orphans = db.execute(
                "SELECT count(*) FROM person p WHERE NOT EXISTS (SELECT 1 FROM outbox o"
                " WHERE o.entity = 'person' AND o.entity_id = p.id)").fetchone()[0]
            assert orphans == 0, where
            count, top = db.execute("SELECT count(*), coalesce(max(seq), 0) FROM outbox"
                                    " WHERE epoch = 1").fetchone()
            assert count == top, f"{where}: outbox sequence has gaps"
        finally:
            db.close()
    assert len(acknowledged) > 0


def test_backups_taken_while_another_process_writes_are_consistent(ctx: Context, home: Path,
                                                                   tmp_path: Path) -> None:
    from jisr_desktop.db import backup as files
    from jisr_desktop.db import keys
    from jisr_desktop.services import backup

    ctx.db.close()
    key = keys.load_key(home)
    assert key is not None
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    with subprocess.Popen([sys.executable, str(CHILD), str(home), "7"], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True, env=env) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        made = []
        try:
            for _ in range(5):
                proc.stdout.readline()  # the writer is busy committing
                made.append(backup.backup_to_folder(home, tmp_path))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
    counts = []
    for path in made:
        info = files.inspect(path, key.hex)  # integrity ok, or it raises
        with files.opened(path, key.hex) as conn:
            orphans = conn.execute(
                "SELECT count(*) FROM person p WHERE NOT EXISTS (SELECT 1 FROM outbox o"
                " WHERE o.entity = 'person' AND o.entity_id = p.id)").fetchone()[0]
        assert orphans == 0
        counts.append(info.counts["person"])
    assert counts == sorted(counts) and counts[-1] > 0
