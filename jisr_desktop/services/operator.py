"""Operations that take the whole registry out of the program — an export, the database key,
a backup — or replace it (a restore) need a coordinator's or an admin's password, and leave
an entry in the audit log (docs/security.md, "Desktop").

The password is checked by `accounts.sign_in` (the same slow-down after wrong passwords as
the sign-in window). A restore onto a PC whose database is missing or cannot be opened has no
accounts to ask: the backup's own accounts are asked instead (read only, so without the
slow-down: whoever holds the backup and its key can try passwords offline anyway).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from jisr_desktop import errors, ledger
from jisr_desktop.context import SYSTEM_USER, Context, User, utc_now
from jisr_desktop.db import backup as files
from jisr_desktop.db.connection import transaction
from jisr_desktop.domain.roles import Role
from jisr_desktop.i18n import N_
from jisr_desktop.services import accounts

OPERATOR_ROLES = frozenset({Role.COORDINATOR.value, Role.ADMIN.value})
AUDIT_ENTITY = "operation"


class NotAnOperator(errors.JisrError):
    msgid = N_("Only a coordinator or an admin can do this; {user} is neither. Nothing was done.")


class NoOperatorAccount(errors.JisrError):
    msgid = N_("This database has no active coordinator or admin account yet: open Jisr Desktop "
               "once and create one. Nothing was done.")


def _has_operator(db: Any) -> bool:
    return db.execute("SELECT 1 FROM user_account WHERE active = 1 AND role IN (?, ?) LIMIT 1",
                      sorted(OPERATOR_ROLES)).fetchone() is not None


def authorize(db: sqlite_utils.Database, *, username: str, password: str,
              clock: Callable[[], datetime] = utc_now) -> Context:
    """A context acting as the coordinator or admin `username`, once the password is right.
    Raises `NoOperatorAccount`, `SignInFailed`, `SignInTooSoon` or `NotAnOperator`."""
    if not _has_operator(db):
        raise NoOperatorAccount()
    user = accounts.sign_in(ctx=Context(db=db, user=SYSTEM_USER, clock=clock), username=username,
                            password=password)
    if user.role not in OPERATOR_ROLES:
        raise NotAnOperator(user=user.username)
    return Context(db=db, user=user, clock=clock)


def authorize_in_backup(path: Path, key_hex: str, *, username: str, password: str) -> User:
    """The coordinator or admin `username` of the backup file `path` (see the module
    docstring); the file is opened read only and nothing is written anywhere."""
    with files.quiet_cipher_log(), files.opened(Path(path), key_hex, read_only=True) as conn:
        if not _has_operator(conn):
            raise NoOperatorAccount()
        row = conn.execute("SELECT id, username, display_name, role, center_id, password_hash"
                           " FROM user_account WHERE username = ? AND active = 1",
                           [username.strip()]).fetchone()
    if not accounts.check_password(row[5] if row else None, password) or row is None:
        raise accounts.SignInFailed()
    if row[3] not in OPERATOR_ROLES:
        raise NotAnOperator(user=row[1])
    return User(id=row[0], username=row[1], display_name=row[2], role=row[3], center_id=row[4])


def record(ctx: Context, action: str, **details: Any) -> None:
    """The audit entry of an operation (``audit_log``: who, when, what, where to)."""
    with transaction(ctx.db):
        ledger.audit(ctx, action, AUDIT_ENTITY, action, {k: [None, v] for k, v in details.items()})


def audit_entries(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The operations' audit entries, oldest first (for the tests and the audit reader)."""
    rows = db.execute("SELECT at, user_id, action, changes FROM audit_log WHERE entity = ?"
                      " ORDER BY id", [AUDIT_ENTITY]).fetchall()
    return [{"at": at, "user_id": uid, "action": action, "changes": json.loads(changes)}
            for at, uid, action, changes in rows]
