"""With JISR_REQUIRE_PG=1 a missing PostgreSQL fails the HQ tests; without it they skip."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run_pg_test(tmp_path: Path, require: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"JISR_REQUIRE_PG", "JISR_TEST_PG_URL"}}
    env["PG_BIN"] = str(tmp_path / "no-postgres-here")
    if require:
        env["JISR_REQUIRE_PG"] = "1"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/hq/test_push_basics.py::test_gap_is_answered_with_expected_seq[postgres]",
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_missing_postgres_fails_when_required(tmp_path: Path) -> None:
    result = _run_pg_test(tmp_path, require=True)
    assert result.returncode != 0
    assert "JISR_REQUIRE_PG=1" in result.stdout


def test_missing_postgres_skips_otherwise(tmp_path: Path) -> None:
    result = _run_pg_test(tmp_path, require=False)
    assert result.returncode == 0 and "1 skipped" in result.stdout
