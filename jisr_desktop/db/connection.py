"""The one function that opens a center's encrypted database, and SQLite error mapping.

SQLCipher (through `sqlcipher3`) encrypts the whole file; WAL lets the reception screen read
while a write is under way; foreign keys are on; a busy timeout rides out a second writer.
Every SQLite failure a person can meet (wrong key, damaged file, full disk, read-only folder)
becomes a typed `JisrError` with a translated message; nothing half-written is committed.
SQLCipher's own log (a line per failed page on stderr) is off: a damaged file is reported
once, by `DatabaseDamaged`, with the count of failing pages in the log file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
import sqlite_utils

from jisr_desktop import errors, paths
from jisr_desktop.db import keys

log = logging.getLogger("jisr.db")

BUSY_TIMEOUT_MS = 5000
Error = sqlcipher.Error
OperationalError = sqlcipher.OperationalError
IntegrityError = sqlcipher.IntegrityError


def _connect(path: Path, key_hex: str) -> Any:
    if not re.fullmatch(r"[0-9a-f]{64}", key_hex):
        raise errors.DatabaseLocked(path=str(path))
    conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False,
                             timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute("PRAGMA cipher_log_level = NONE")  # process-wide; see the module docstring
    conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")
    return conn


def _unopenable(conn: Any, path: Path, root: Path, exc: BaseException) -> errors.JisrError:
    """Why the key did not open the file: a wrong key fails every page's check, a damaged
    file only some (SQLCipher's ``cipher_integrity_check``); a disk error is neither."""
    mapped = error_for(exc, path=root)
    if isinstance(mapped, errors.ReadOnlyLocation | errors.DiskFull | errors.DiskFailed):
        return mapped
    try:
        failing = len(conn.execute("PRAGMA cipher_integrity_check").fetchall())
        page_size = int(conn.execute("PRAGMA cipher_page_size").fetchone()[0])
        total = max(1, path.stat().st_size // page_size)
    except (sqlcipher.Error, OSError, ValueError, TypeError):
        log.warning("cannot open %s: %s", path, exc)
        return errors.DatabaseLocked(path=str(path))
    log.warning("cannot open %s: %s; %d of %d pages fail their check", path, exc, failing, total)
    if failing < total:
        return errors.DatabaseDamaged(path=str(path))
    return errors.DatabaseLocked(path=str(path))


def open_database(root: Path, *, create: bool = False, migrate: bool = True,
                  key: keys.DatabaseKey | None = None) -> sqlite_utils.Database:
    """Open (or with `create`, make) the database of the data root `root`.

    Raises `DatabaseMissing`, `DatabaseEmpty` (0 bytes), `DatabaseLocked` (wrong key),
    `DatabaseDamaged` (some pages fail their check), `DatabaseTooNew`, `ReadOnlyLocation`,
    `DiskFull` or `DiskFailed`; the file is left as it was in every one of these cases.
    """
    from jisr_desktop.db import migrations  # late: migrations import repositories

    path = paths.database_path(root)
    exists = path.exists()
    if not exists and not create:
        raise errors.DatabaseMissing(path=str(path))
    if exists and path.is_file() and path.stat().st_size == 0:
        raise errors.DatabaseEmpty(path=str(path))  # SQLite would take it for a new database
    if not exists:
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise errors.ReadOnlyLocation(path=str(root)) from None
        if not os.access(root, os.W_OK):
            raise errors.ReadOnlyLocation(path=str(root))
    key = key or keys.load_key(root)
    if key is None:
        if exists:
            raise errors.DatabaseLocked(path=str(path))
        try:
            key = keys.create_key(root)
        except OSError:
            raise errors.ReadOnlyLocation(path=str(root)) from None
    conn = _connect(path, key.hex)
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            raise _unopenable(conn, path, root, exc) from None
        db = sqlite_utils.Database(conn)
        with translate_errors(path=root):
            migrations.refuse_if_newer(db)
            if exists and not os.access(path, os.W_OK):
                conn.execute("PRAGMA query_only = 1")
            else:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous = NORMAL")
            if migrate:
                pending = migrations.pending_names(db)
                if pending and migrations.applied_names(db):  # an upgrade: back up first
                    from jisr_desktop.db.backup import backup_before_upgrade

                    backup_before_upgrade(root, conn, key.hex, pending=pending)
                migrations.migrate(db)
    except BaseException:
        conn.close()
        raise
    log.info("opened %s (key from %s)", path, key.source)
    return db


FULL = frozenset({"SQLITE_FULL"})
READ_ONLY = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")
DISK = ("SQLITE_IOERR",)
NOT_A_DATABASE = ("SQLITE_NOTADB", "SQLITE_CORRUPT")


def error_for(exc: BaseException, *, path: Path | str = "") -> errors.JisrError | None:
    """The person-facing error for an SQLite failure, or None when it is a bug. Classified
    by SQLite's result code name (`sqlite_errorname`, extended codes included), never by the
    message text."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    if name in FULL:
        return errors.DiskFull()
    if name.startswith(READ_ONLY):
        return errors.ReadOnlyLocation(path=str(path))
    if name.startswith(DISK):
        return errors.DiskFailed()
    if name.startswith("SQLITE_CORRUPT"):
        return errors.DatabaseCorrupt()
    if name.startswith(NOT_A_DATABASE):
        return errors.DatabaseLocked(path=str(path))
    return None


@contextlib.contextmanager
def translate_errors(*, path: Path | str = "") -> Iterator[None]:
    """Turn SQLite errors a person can meet into `JisrError`s (others propagate as bugs)."""
    try:
        yield
    except sqlcipher.Error as exc:
        mapped = error_for(exc, path=path)
        if mapped is None:
            raise
        raise mapped from exc


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One atomic write: all of it is committed, or none of it (nesting uses savepoints)."""
    with translate_errors(), db.atomic():
        yield db
