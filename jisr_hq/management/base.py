"""What HQ's management commands share: one-line operator errors and the migration check."""

from __future__ import annotations

from typing import Any

from django.core.management import BaseCommand, CommandError, call_command
from django.db import DEFAULT_DB_ALIAS

from jisr_hq.models import Center

NOT_MIGRATED = "the HQ database is not migrated: run `jisr-hq migrate`"


class OperatorError(CommandError):
    """A mistake the operator can fix: one line on stderr, exit status 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=2)


def ensure_migrated(database: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse a database with migrations left to apply (never applied, or partly): HQ's
    schema changes only with an explicit `jisr-hq migrate`. This is `migrate --check`,
    which reads the migration table and writes nothing."""
    try:
        call_command("migrate", database=database, check_unapplied=True, verbosity=0)
    except SystemExit as exc:  # `migrate --check` exits non-zero when migrations are pending
        if exc.code:
            raise OperatorError(NOT_MIGRATED) from None


class HqCommand(BaseCommand):
    """A command that works on a migrated HQ database."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        ensure_migrated()
        return super().execute(*args, **options)


def center_by_code(code: str) -> Center:
    center = Center.objects.filter(code=code).first()
    if center is None:
        raise OperatorError(f"no center with code {code!r}")
    return center
