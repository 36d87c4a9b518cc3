"""Shared fixtures of the paper tests: one generated center for the monthly report tests
(built once per session through the real services; the tests only read it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reports import monthly_center


@pytest.fixture(scope="session")
def generated_center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[monthly_center.Generated]:
    home = tmp_path_factory.mktemp("monthly-center") / "home"
    home.mkdir()
    g = monthly_center.generate(home)
    yield g
    g.ctx.db.close()
