"""Migrating is an explicit step (`jisr-hq migrate`): `serve` and the administration commands
refuse a database that is not migrated, or only partly, with one line; after `migrate` HQ
serves. Test hooks are inert unless turned on, and refused outside debug mode."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.hq.conftest import BACKENDS, unmigrated_server
from tests.hq.hqkit import HqServer, SimDesktop

NOT_MIGRATED = "jisr-hq: the HQ database is not migrated: run `jisr-hq migrate`"


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest) -> Iterator[HqServer]:
    """An HQ on an empty database, on each backend."""
    with unmigrated_server(request.param, request) as server:
        yield server


@pytest.fixture
def fresh_sqlite(request: pytest.FixtureRequest) -> Iterator[HqServer]:
    with unmigrated_server("sqlite", request) as server:
        yield server


def _serve(hq: HqServer, **env: str) -> subprocess.CompletedProcess[str]:
    """`serve` expected to refuse (were it to serve, the timeout fails the test)."""
    return hq.cli(
        "serve", "--host", "127.0.0.1", "--port", str(hq.port), check=False, env=env, timeout=60
    )


def _tables(hq: HqServer) -> int:
    if hq.backend == "sqlite":
        return int(hq.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'"))
    return int(
        hq.scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_serve_refuses_an_unmigrated_database_then_serves_after_migrate(fresh: HqServer) -> None:
    refused = _serve(fresh)
    assert refused.returncode != 0
    assert _one_line(refused) == NOT_MIGRATED
    assert _tables(fresh) == 0  # refusing wrote nothing
    fresh.migrate()
    fresh.start()
    ping = httpx.get(fresh.base_url + "/api/sync/ping", timeout=5)
    assert ping.status_code == 200 and ping.json()["ok"] is True


def test_a_partly_migrated_database_is_refused_too(fresh_sqlite: HqServer) -> None:
    hq = fresh_sqlite
    hq.cli("migrate", "jisr_hq", "0002")
    refused = _serve(hq)
    assert refused.returncode != 0 and _one_line(refused) == NOT_MIGRATED
    center = hq.cli(
        "create-center",
        "--code",
        "X1",
        "--name-fr",
        "x",
        "--name-ar",
        "y",
        "--province",
        "CAS",
        check=False,
    )
    assert center.returncode == 2 and _one_line(center) == NOT_MIGRATED
    assert hq.scalar("SELECT count(*) FROM jisr_hq_center") == 0
    hq.migrate()
    hq.start()
    assert httpx.get(hq.base_url + "/api/sync/ping", timeout=5).status_code == 200


def test_test_hooks_are_refused_outside_debug_mode(fresh_sqlite: HqServer) -> None:
    fresh_sqlite.migrate()
    refused = _serve(fresh_sqlite, JISR_HQ_TEST_HOOKS="1")
    assert refused.returncode != 0
    assert "JISR_HQ_TEST_HOOKS" in _one_line(refused)


def test_test_hooks_are_inert_unless_turned_on(fresh_sqlite: HqServer, tmp_path: Path) -> None:
    hq = fresh_sqlite
    marker = tmp_path / "paused"
    hq.migrate()
    hq.start(JISR_HQ_FAULT_PAUSE_FILE=str(marker), JISR_HQ_SCHEMA_OVERRIDE="person=2")
    desk = SimDesktop.enroll(hq.base_url, hq.new_center(codes=1)[1][0])
    try:
        # Person v2 is unknown (no schema override) and the push does not pause (no fault).
        op = desk.op("person", uuid.uuid4(), patch={"given_name_lat": "x"}, schema_v=2)
        r = desk.push([op])
        assert r.status_code == 200
        assert [x["reason"] for x in r.json()["rejected"]] == ["schema_too_new"]
        assert not marker.exists()
    finally:
        desk.close()
