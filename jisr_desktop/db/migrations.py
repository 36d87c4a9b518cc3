"""Named, transactional schema migrations (sqlite-utils `Migrations`).

Each area keeps its migrations in a module of `jisr_desktop.db.schema`, named ``mNNNN_*``;
they are registered in the order of their module names. A database that has a migration
this program does not know was written by a newer version: it is refused, untouched.
"""

from __future__ import annotations

import importlib
import pkgutil

import sqlite_utils
from sqlite_utils.migrations import Migrations

from jisr_desktop import errors
from jisr_desktop.db import schema

MIGRATIONS = Migrations("jisr")


def _load_schema_modules() -> None:
    names = sorted(m.name for m in pkgutil.iter_modules(schema.__path__) if m.name.startswith("m"))
    for name in names:
        importlib.import_module(f"{schema.__name__}.{name}")


_load_schema_modules()


def known_names() -> list[str]:
    return [m.name for m in MIGRATIONS._migrations]


def applied_names(db: sqlite_utils.Database) -> list[str]:
    return [m.name for m in MIGRATIONS.applied(db)]


def pending_names(db: sqlite_utils.Database) -> list[str]:
    return [m.name for m in MIGRATIONS.pending(db)]


def refuse_if_newer(db: sqlite_utils.Database) -> None:
    unknown = sorted(set(applied_names(db)) - set(known_names()))
    if unknown:
        raise errors.DatabaseTooNew(names=", ".join(unknown))


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations, each in its own transaction; returns their names."""
    refuse_if_newer(db)
    pending = pending_names(db)
    if pending:
        MIGRATIONS.apply(db)
    return pending
