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
def unmigrated_server(
    backend: str, request: pytest.FixtureRequest, *, migrated: bool = False
) -> Iterator[HqServer]:
    """An HQ with its own data folder and an empty database, neither migrated nor started;
    `migrated`: its database is a copy of one migrated once per run and backend instead
    (`_template`)."""
    home = Path(tempfile.mkdtemp(prefix="jisr-hq-test-"))
    dbname = ""
    template = _template(backend, request) if migrated else None
    if backend == "postgres":
        cluster: PgCluster | ExternalPg = request.getfixturevalue("postgres")
        dbname = "hq_" + uuid.uuid4().hex[:12]
        url = cluster.create_database(dbname, template=template)
    else:
        url = f"sqlite:///{home / 'hq.sqlite3'}"
        if template:
            shutil.copyfile(template, home / "hq.sqlite3")
    server = HqServer(home, url, free_port(), backend)
    try:
        yield server
    finally:
        server.stop()
        if dbname:
            cluster.drop_database(dbname)
        shutil.rmtree(home, ignore_errors=True)


_TEMPLATES: dict[str, str] = {}
"""backend → a database `jisr-hq migrate` made once this run: the SQLite file's path, or the
PostgreSQL template database's name. Copying it is much cheaper than migrating each module's
HQ (the migrations themselves are tested from an empty database in test_migrate.py)."""


def _template(backend: str, request: pytest.FixtureRequest) -> str:
    if backend not in _TEMPLATES:
        with unmigrated_server(backend, request) as server:
            server.migrate()
            if backend == "postgres":
                name = "hq_template_" + uuid.uuid4().hex[:8]
                cluster: PgCluster | ExternalPg = request.getfixturevalue("postgres")
                cluster.create_database(name, template=server.database_url.rsplit("/", 1)[1])
                _TEMPLATES[backend] = name
            else:
                keep = Path(tempfile.mkdtemp(prefix="jisr-hq-template-")) / "hq.sqlite3"
                shutil.copyfile(server.home / "hq.sqlite3", keep)
                _TEMPLATES[backend] = str(keep)
    return _TEMPLATES[backend]


def _server(backend: str, request: pytest.FixtureRequest) -> Iterator[HqServer]:
    """A migrated, running HQ (migrating is its own step: `serve` refuses to): its database
    is a copy of the run's migrated template."""
    with unmigrated_server(backend, request, migrated=True) as server:
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
