"""Fixtures for real parts: an encrypted database file in a temporary data root, users, time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jisr_desktop import i18n
from jisr_desktop.context import SYSTEM_USER, Context, User
from jisr_desktop.db.connection import open_database
from jisr_desktop.services import accounts
from jisr_desktop.services.center import create_center

START = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)


class FakeClock:
    """A clock the test moves by hand (services never read the real time)."""

    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> datetime:
        self.current += timedelta(**kwargs)
        return self.current


@pytest.fixture
def home(tmp_path: Path) -> Path:
    root = tmp_path / "home"
    root.mkdir()
    return root


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def _language() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def db(home: Path):  # type: ignore[no-untyped-def]
    database = open_database(home, create=True)
    yield database
    database.close()


@pytest.fixture
def system_ctx(db, clock: FakeClock) -> Context:  # type: ignore[no-untyped-def]
    ctx = Context(db=db, user=SYSTEM_USER, clock=clock)
    create_center(ctx=ctx, code="TST01", name_fr="Centre test", name_ar="مركز تجريبي",
                  province_code="04.421")
    return ctx


def _account(system_ctx: Context, username: str, role: str) -> User:
    return accounts.create_account(ctx=system_ctx, username=username, display_name=username.title(),
                                   role=role, password="correct horse")


@pytest.fixture
def coordinator(system_ctx: Context) -> User:
    return _account(system_ctx, "coord", "coordinator")


@pytest.fixture
def receptionist(system_ctx: Context) -> User:
    return _account(system_ctx, "recep", "receptionist")


@pytest.fixture
def ctx(system_ctx: Context, receptionist: User) -> Context:
    """A receptionist at work."""
    return Context(db=system_ctx.db, user=receptionist, clock=system_ctx.clock)


@pytest.fixture
def coord_ctx(system_ctx: Context, coordinator: User) -> Context:
    return Context(db=system_ctx.db, user=coordinator, clock=system_ctx.clock)
