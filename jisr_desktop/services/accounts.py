"""Staff accounts: argon2 password hashes, roles, and sign-in with a slow-down after failures.

Sign-in costs one argon2 verification whatever the name: an unknown, deactivated or
password-less account is checked against a dummy hash made with the same parameters, so the
time taken does not tell which user names exist (docs/security.md, "Desktop").
`verifications` counts them, for the tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context, User
from jisr_desktop.db.connection import open_database, transaction
from jisr_desktop.domain.roles import Permission, Role
from jisr_desktop.i18n import N_
from jisr_desktop.services.text import refuse_control

_hasher = PasswordHasher()
MIN_PASSWORD = 8
FREE_ATTEMPTS = 3  # wrong passwords allowed before each further attempt must wait


class SignInFailed(errors.JisrError):
    msgid = N_("Wrong user name or password.")


class SignInTooSoon(errors.JisrError):
    msgid = N_("Too many wrong passwords. Wait {seconds} seconds and try again.")


@dataclass(frozen=True)
class AccountRow:
    user: User
    active: bool
    source: str


def hash_password(password: str) -> str:
    return _hasher.hash(password)


# A hash of a password nobody has, with this hasher's parameters (remade if they change).
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$Jp9zcP3rk6lO++pJHu0flQ$FcD4rbW9KZHzD1do2WvoPd4VTQGz9yYFn9c348MJbgM"
_dummy_hash: str | None = None if _hasher.check_needs_rehash(_DUMMY_HASH) else _DUMMY_HASH
verifications = 0  # argon2 verifications made by this process (see the module docstring)


def check_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches `stored_hash`; with no hash (an unknown or password-less
    account) a dummy hash is verified instead, at the same cost, and the answer is False."""
    global _dummy_hash, verifications
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("jisr: no such account")
    verifications += 1
    try:
        return _hasher.verify(stored_hash or _dummy_hash, password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def _user_from_row(row: tuple) -> User:
    return User(id=row[0], username=row[1], display_name=row[2], role=row[3], center_id=row[4])


def create_account(*, ctx: Context, username: str, display_name: str, role: str, password: str,
                   center_id: str | None = None) -> User:
    """A new local account (coordinators and admins only, except for the first account,
    which the first-run wizard creates with the system user)."""
    ctx.require(Permission.MANAGE_ACCOUNTS)
    username = username.strip()
    if not username:
        raise errors.JisrError(N_("Enter a user name."), field="username")
    refuse_control({"username": username, "display_name": display_name},
                   {"username": N_("User name"), "display_name": N_("Name")})
    if role not in {r.value for r in Role} - {Role.SYSTEM}:
        raise errors.JisrError(N_("Choose a role from the list."), field="role")
    if len(password) < MIN_PASSWORD:
        raise errors.JisrError(N_("The password must have at least {n} characters."),
                               field="password", n=MIN_PASSWORD)
    if ctx.db.execute("SELECT 1 FROM user_account WHERE username = ?", [username]).fetchone():
        raise errors.JisrError(N_("This user name is taken."), field="username")
    uid = ledger.new_id()
    with transaction(ctx.db):
        ctx.db.execute(
            "INSERT INTO user_account(id, username, display_name, role, password_hash, center_id,"
            " created_at) VALUES (?,?,?,?,?,?,?)",
            [uid, username, display_name.strip() or username, role, hash_password(password),
             center_id, ctx.now().isoformat()])
        ledger.audit(ctx, "create_account", "user_account", uid, {"username": [None, username],
                                                                     "role": [None, role]})
    return User(uid, username, display_name.strip() or username, role, center_id)


def wait_seconds(failed_attempts: int, last_failed_at: str | None, now: datetime) -> int:
    """Seconds to wait before the next attempt: none for the first few failures, then
    doubling (2, 4, 8 … up to 5 minutes)."""
    if failed_attempts < FREE_ATTEMPTS or not last_failed_at:
        return 0
    delay = min(300, 2 ** (failed_attempts - FREE_ATTEMPTS + 1))
    elapsed = (now - datetime.fromisoformat(last_failed_at)).total_seconds()
    return max(0, math.ceil(delay - elapsed))


def sign_in(*, ctx: Context, username: str, password: str) -> User:
    """The account for these credentials, or `SignInFailed`/`SignInTooSoon`."""
    row = ctx.db.execute(
        "SELECT id, username, display_name, role, center_id, password_hash, failed_attempts,"
        " last_failed_at, active FROM user_account WHERE username = ?", [username.strip()]).fetchone()
    if row is None or not row[8] or not row[5]:
        check_password(None, password)  # the same cost as a known name (module docstring)
        raise SignInFailed()
    now = ctx.now()
    wait = wait_seconds(row[6], row[7], now)
    if wait:
        raise SignInTooSoon(seconds=wait)
    if not check_password(row[5], password):
        with transaction(ctx.db):
            ctx.db.execute("UPDATE user_account SET failed_attempts = failed_attempts + 1,"
                           " last_failed_at = ? WHERE id = ?", [now.isoformat(), row[0]])
        raise SignInFailed() from None
    with transaction(ctx.db):
        ctx.db.execute("UPDATE user_account SET failed_attempts = 0, last_failed_at = NULL"
                       " WHERE id = ?", [row[0]])
    return _user_from_row(row)


def list_accounts(*, ctx: Context) -> list[AccountRow]:
    ctx.require(Permission.MANAGE_ACCOUNTS)
    rows = ctx.db.execute("SELECT id, username, display_name, role, center_id, active, source"
                          " FROM user_account WHERE role != 'system' ORDER BY username").fetchall()
    return [AccountRow(_user_from_row(r), bool(r[5]), r[6]) for r in rows]


def has_accounts(db) -> bool:  # type: ignore[no-untyped-def]
    return db.execute("SELECT 1 FROM user_account WHERE role != 'system' LIMIT 1").fetchone() is not None


def _account_row(ctx: Context, user_id: str) -> tuple:
    row = ctx.db.execute("SELECT id, username, display_name, role, center_id, active, password_hash"
                         " FROM user_account WHERE id = ? AND role != 'system'", [user_id]).fetchone()
    if row is None:
        raise errors.NotFound()
    return row


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise errors.JisrError(N_("The password must have at least {n} characters."),
                               field="password", n=MIN_PASSWORD)


def set_active(*, ctx: Context, user_id: str, active: bool) -> None:
    """Deactivate (or bring back) an account; nobody can deactivate their own account."""
    ctx.require(Permission.MANAGE_ACCOUNTS)
    row = _account_row(ctx, user_id)
    if not active and user_id == ctx.user.id:
        raise errors.JisrError(N_("You cannot deactivate your own account."))
    if bool(row[5]) == active:
        return
    with transaction(ctx.db):
        ctx.db.execute("UPDATE user_account SET active = ? WHERE id = ?", [int(active), user_id])
        ledger.audit(ctx, "activate_account" if active else "deactivate_account", "user_account",
                      user_id, {"active": [int(row[5]), int(active)]})


def reset_password(*, ctx: Context, user_id: str, new_password: str) -> None:
    """A coordinator sets a new password for someone who forgot theirs."""
    ctx.require(Permission.MANAGE_ACCOUNTS)
    _account_row(ctx, user_id)
    _check_password(new_password)
    with transaction(ctx.db):
        ctx.db.execute("UPDATE user_account SET password_hash = ?, failed_attempts = 0,"
                       " last_failed_at = NULL WHERE id = ?", [hash_password(new_password), user_id])
        ledger.audit(ctx, "reset_password", "user_account", user_id, {})


def change_password(*, ctx: Context, old_password: str, new_password: str) -> None:
    """The signed-in person changes their own password (the old one is asked again)."""
    row = _account_row(ctx, ctx.user.id)
    try:
        _hasher.verify(row[6] or "", old_password)
    except (VerificationError, InvalidHashError):
        raise errors.JisrError(N_("The current password is wrong."), field="old_password") from None
    _check_password(new_password)
    with transaction(ctx.db):
        ctx.db.execute("UPDATE user_account SET password_hash = ? WHERE id = ?",
                       [hash_password(new_password), ctx.user.id])
        ledger.audit(ctx, "change_password", "user_account", ctx.user.id, {})


def unlock(*, ctx: Context, password: str) -> User:
    """Unlock the idle-locked screen: the signed-in person's password, with the same slow-down
    as signing in (a deactivated account cannot unlock)."""
    return sign_in(ctx=ctx, username=ctx.user.username, password=password)


def open_session_database(root: Path, *, create: bool = False) -> sqlite_utils.Database:
    """Open (or with `create`, make) the database of the data root `root` for a signed-in
    session; the UI's database worker calls it on its own thread (jisr_desktop/ui/tasks.py).
    Raises what `open_database` raises (jisr_desktop/db/connection.py)."""
    return open_database(root, create=create)
