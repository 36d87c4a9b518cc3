"""Who is acting, on which database, at what time: passed to every service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlite_utils

from jisr_desktop import errors
from jisr_desktop.domain.roles import Permission, Role, can


@dataclass(frozen=True)
class User:
    id: str
    username: str
    display_name: str
    role: str
    center_id: str | None = None

    def can(self, permission: Permission) -> bool:
        return can(self.role, permission)


SYSTEM_USER = User(id="system", username="system", display_name="Jisr Desktop", role=Role.SYSTEM)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    """The acting user and the database; `clock` is injectable so tests control time."""

    db: sqlite_utils.Database
    user: User
    clock: Callable[[], datetime] = field(default=utc_now)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().astimezone().date()

    def require(self, permission: Permission) -> None:
        if not self.user.can(permission):
            raise errors.PermissionDenied()
