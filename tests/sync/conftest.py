"""Fixtures for the desktop sync tests: a real HQ subprocess and real desktop databases.

`hq` runs every module that asks for it twice, once with HQ on SQLite and once on a throwaway
PostgreSQL (production HQ runs on PostgreSQL), like the HQ tests (tests/hq/conftest.py). With
JISR_REQUIRE_PG=1 (make test, CI) a missing PostgreSQL fails the run instead of skipping.
The modules that need no HQ at all (test_faultproxy: the fault proxy itself; test_protocol:
the wire models; test_layering: imports) run once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.hq.conftest import BACKENDS, _server
from tests.hq.hqkit import HqServer
from tests.hq.pg_server import postgres  # noqa: F401  (fixture)
from tests.sync.deskkit import Desk


@pytest.fixture(scope="module", params=BACKENDS)
def hq(request: pytest.FixtureRequest) -> Iterator[HqServer]:
    """HQ for this module, on SQLite, then on PostgreSQL."""
    yield from _server(request.param, request)


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[Callable[..., Desk]]:
    made: list[Desk] = []

    def make(name: str, **kw: object) -> Desk:
        made.append(Desk.create(tmp_path / name, name, **kw))  # type: ignore[arg-type]
        return made[-1]

    yield make
    for d in made:
        d.close()
