"""Fixtures for the desktop sync tests: a real HQ subprocess (SQLite, and PostgreSQL where a
test asks for `hq_any`) and real desktop databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.hq.conftest import BACKENDS, _server
from tests.hq.hqkit import HqServer
from tests.hq.pg_server import postgres  # noqa: F401  (fixture)
from tests.sync.deskkit import Desk


@pytest.fixture(scope="module")
def hq(request: pytest.FixtureRequest) -> Iterator[HqServer]:
    """HQ on SQLite, one per test module."""
    yield from _server("sqlite", request)


@pytest.fixture(scope="module", params=BACKENDS)
def hq_any(request: pytest.FixtureRequest) -> Iterator[HqServer]:
    """HQ on SQLite, then on PostgreSQL."""
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
