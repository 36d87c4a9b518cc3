"""Fixtures for the HQ tests: a real `jisr_hq` server subprocess per test module, once on the
embedded SQLite and once on a throwaway PostgreSQL (see pg_server.py)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.hq.hqkit import HqServer, SimDesktop
from tests.hq.pg_server import ExternalPg, PgCluster, free_port, postgres  # noqa: F401  (fixture)

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextlib.contextmanager
def unmigrated_server(backend: str, request: pytest.FixtureRequest) -> Iterator[HqServer]:
    """An HQ with its own data folder and an empty database, neither migrated nor started."""
    home = Path(tempfile.mkdtemp(prefix="jisr-hq-test-"))
    dbname = ""
    if backend == "postgres":
        cluster: PgCluster | ExternalPg = request.getfixturevalue("postgres")
        dbname = "hq_" + uuid.uuid4().hex[:12]
        url = cluster.create_database(dbname)
    else:
        url = f"sqlite:///{home / 'hq.sqlite3'}"
    server = HqServer(home, url, free_port(), backend)
    try:
        yield server
    finally:
        server.stop()
        if dbname:
            cluster.drop_database(dbname)
        shutil.rmtree(home, ignore_errors=True)


def _server(backend: str, request: pytest.FixtureRequest) -> Iterator[HqServer]:
    """A migrated, running HQ (migrating is its own step: `serve` refuses to)."""
    with unmigrated_server(backend, request) as server:
        server.migrate()
        server.start()
        yield server


@pytest.fixture(scope="module", params=BACKENDS)
def hq(request: pytest.FixtureRequest) -> Iterator[HqServer]:
    """A running HQ for this module, on each backend in turn."""
    yield from _server(request.param, request)


@pytest.fixture
def center(hq: HqServer) -> tuple[str, list[str]]:
    """A fresh center (isolates tests sharing a server) and two enrollment codes."""
    return hq.new_center(codes=3)


@pytest.fixture
def enroll(hq: HqServer) -> Iterator[Callable[..., SimDesktop]]:
    """Enroll a SimDesktop with a code; every client made here is closed after the test."""
    made: list[SimDesktop] = []

    def make(code: str, **kw: Any) -> SimDesktop:
        made.append(SimDesktop.enroll(hq.base_url, code, **kw))
        return made[-1]

    yield make
    for d in made:
        d.close()


@pytest.fixture
def desk(enroll: Callable[..., SimDesktop], center: tuple[str, list[str]]) -> SimDesktop:
    return enroll(center[1][0])


@pytest.fixture
def desk2(enroll: Callable[..., SimDesktop], center: tuple[str, list[str]]) -> SimDesktop:
    return enroll(center[1][1])
