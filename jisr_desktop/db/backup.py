"""Encrypted database copies: online backup, inspection of a backup file, file replacement.

A backup is made with SQLite's online backup API from a connection of its own, so it is one
consistent snapshot even while the program writes (WAL readers never block the writer). The
copy is encrypted with the database's own key, written under a temporary name, checked and
then renamed, so a half-written backup never carries a backup's name. Backups are stored in
rollback-journal mode: one self-contained file, safe to copy to a USB stick.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from jisr_desktop import errors, paths
from jisr_desktop.i18n import N_

log = logging.getLogger("jisr.db.backup")

SUFFIX = ".jisrbak"
WAL_SUFFIXES = ("-wal", "-shm", "-journal")
MIGRATION_SET = "jisr"
FIRST_MIGRATION = "0001_foundation"


class BackupError(errors.JisrError):
    msgid = N_("The backup could not be made: {reason}")


class BackupOfDamaged(BackupError):
    msgid = N_("The database is damaged (its integrity check failed): no backup was made from "
               "it. Restore the latest good backup (“jisr restore”).")


class UpgradeBackupFailed(errors.JisrError):
    msgid = N_("Before upgrading, Jisr Desktop must back up the database to {path}, and that "
               "failed ({reason}). The database was not changed.")


class BackupRefused(errors.JisrError):
    """A file that cannot be restored; nothing was changed."""

    msgid = N_("This file cannot be restored; nothing was changed.")


class BackupUnreadable(BackupRefused):
    msgid = N_("{path} is not a Jisr Desktop backup of this center, or it was made with "
               "another key; nothing was changed.")


class BackupDamaged(BackupRefused):
    msgid = N_("The backup {path} is damaged (integrity check failed); nothing was changed.")


class BackupTooNew(BackupRefused):
    msgid = N_("The backup {path} was made by a newer version of Jisr Desktop ({names}); "
               "install that version to restore it. Nothing was changed.")


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds: checked before anything is replaced."""

    path: Path
    counts: dict[str, int]
    migrations: list[str]
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def epoch(self) -> int:
        try:
            return int(self.meta.get("epoch", "1"))
        except ValueError:
            return 1


def connect_file(path: Path, key_hex: str, *, read_only: bool = False) -> Any:
    """A raw SQLCipher connection to `path` opened with `key_hex` (no migrations, no WAL
    change). `read_only` opens it immutable: nothing, not even a WAL file, is written."""
    if not re.fullmatch(r"[0-9a-f]{64}", key_hex):
        raise BackupUnreadable(path=str(path))
    if read_only:
        uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
        conn = sqlcipher.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False,
                                 timeout=5)
    conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")
    return conn


@contextlib.contextmanager
def opened(path: Path, key_hex: str, *, read_only: bool = False) -> Iterator[Any]:
    conn = connect_file(path, key_hex, read_only=read_only)
    try:
        yield conn
    finally:
        conn.close()


@contextlib.contextmanager
def quiet_cipher_log() -> Iterator[None]:
    """SQLCipher writes every failed page decryption to stderr; while probing a file that
    may well be foreign, that is expected, so its (process-wide) log is off meanwhile."""
    probe = sqlcipher.connect(":memory:")
    level = "WARN"
    try:
        level = probe.execute("PRAGMA cipher_log_level").fetchone()[0] or "WARN"
        probe.execute("PRAGMA cipher_log_level = NONE")
        yield
    finally:
        with contextlib.suppress(Exception):
            probe.execute(f"PRAGMA cipher_log_level = {level}")
        probe.close()


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_database_files(path: Path) -> None:
    """Remove a database file and its `-wal`, `-shm` and `-journal` companions."""
    for p in [path, *(Path(str(path) + s) for s in WAL_SUFFIXES)]:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def move_database_files(src: Path, dst: Path) -> list[Path]:
    """Move a database with its companions (a WAL holds committed data: they travel
    together); returns the destination files that were written."""
    moved = []
    for suffix in ("", *WAL_SUFFIXES):
        s, d = Path(str(src) + suffix), Path(str(dst) + suffix)
        if s.exists():
            os.replace(s, d)
            moved.append(d)
    return moved


def copy_connection(source: Any, target_path: Path, key_hex: str) -> None:
    """Write a consistent encrypted copy of the open connection `source` to `target_path`
    (atomically: a temporary file renamed once it passed the integrity check)."""
    tmp = target_path.with_name(target_path.name + ".partial")
    remove_database_files(tmp)
    try:
        target = connect_file(tmp, key_hex)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
            result = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            target.close()
        if result != "ok":
            log.warning("integrity check of the copy %s: %s", tmp, result[:2000])
            raise BackupOfDamaged()
        _fsync(tmp)
        os.replace(tmp, target_path)
        _fsync(target_path.parent)
    except sqlcipher.Error as exc:
        remove_database_files(tmp)
        raise _mapped(exc, target_path) from exc
    except OSError as exc:
        remove_database_files(tmp)
        raise BackupError(reason=exc.strerror or str(exc)) from exc
    except BaseException:
        remove_database_files(tmp)
        raise


def _mapped(exc: BaseException, path: Path) -> errors.JisrError:
    text = str(exc).lower()
    if "full" in text:
        return errors.DiskFull()
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return errors.ReadOnlyLocation(path=str(path.parent))
    return BackupError(reason=str(exc))


def backup_file(db_path: Path, key_hex: str, target_path: Path) -> Path:
    """Back up the database at `db_path` (open elsewhere or not) to `target_path`."""
    try:
        target_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise errors.ReadOnlyLocation(path=str(target_path.parent)) from exc
    with opened(db_path, key_hex) as source:
        try:
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError:
            raise errors.DatabaseLocked(path=str(db_path)) from None
        copy_connection(source, target_path, key_hex)
    log.info("backed up %s to %s", db_path, target_path)
    return target_path


def backup_name(kind: str, when: datetime, *, tag: str = "") -> str:
    """``jisr-<kind>[-<tag>]-YYYYMMDD-HHMMSS.jisrbak`` (sortable; the time is local)."""
    middle = f"-{re.sub(r'[^A-Za-z0-9_]+', '_', tag)}" if tag else ""
    return f"jisr-{kind}{middle}-{when:%Y%m%d-%H%M%S}{SUFFIX}"


def unique_path(folder: Path, name: str) -> Path:
    path = folder / name
    n = 1
    while path.exists():
        path = folder / name.replace(SUFFIX, f"-{n}{SUFFIX}")
        n += 1
    return path


def user_tables(conn: Any) -> list[str]:
    """Ordinary tables (not SQLite's own, not full-text index internals)."""
    rows = conn.execute("PRAGMA table_list").fetchall()
    return sorted(r[1] for r in rows if r[0] == "main" and r[2] == "table"
                  and not r[1].startswith("sqlite_"))


def inspect(path: Path, key_hex: str) -> BackupInfo:
    """Check a database or backup file without writing to it: readable with this key,
    a Jisr database, not from a newer version, integrity ``ok``; returns its record
    counts. Raises a `BackupRefused` subclass otherwise."""
    from jisr_desktop.db import migrations

    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise BackupUnreadable(path=str(path))
    try:
        with quiet_cipher_log(), opened(path, key_hex, read_only=True) as conn:
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlcipher.DatabaseError:
                raise BackupUnreadable(path=str(path)) from None
            try:
                result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            except sqlcipher.DatabaseError:
                raise BackupDamaged(path=str(path)) from None
            if result != ["ok"]:
                log.warning("integrity check of %s: %s", path, "; ".join(result[:5]))
                raise BackupDamaged(path=str(path))
            tables = user_tables(conn)
            if "_sqlite_migrations" not in tables or "meta" not in tables:
                raise BackupUnreadable(path=str(path))
            applied = [r[0] for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                [MIGRATION_SET])]
            if FIRST_MIGRATION not in applied:
                raise BackupUnreadable(path=str(path))
            unknown = sorted(set(applied) - set(migrations.known_names()))
            if unknown:
                raise BackupTooNew(path=str(path), names=", ".join(unknown))
            counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                      for t in tables if not t.startswith("_")}
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlcipher.DatabaseError as exc:
        log.warning("cannot read %s: %s", path, exc)
        raise BackupDamaged(path=str(path)) from None
    except sqlcipher.Error as exc:
        log.warning("cannot read %s: %s", path, exc)
        raise BackupUnreadable(path=str(path)) from None
    return BackupInfo(path=path, counts=counts, migrations=applied, meta=meta)


def copy_for_restore(source: Path, key_hex: str, target: Path) -> None:
    """Copy a checked backup next to the database, as a fresh file of its own."""
    remove_database_files(target)
    try:
        shutil.copyfile(source, target)
        # A backup is a single file; a stray journal-mode byte must not make it look for a WAL.
        with opened(target, key_hex) as conn:
            conn.execute("PRAGMA journal_mode = DELETE")
        _fsync(target)
    except OSError as exc:
        remove_database_files(target)
        raise BackupError(reason=exc.strerror or str(exc)) from exc
    except sqlcipher.Error as exc:
        remove_database_files(target)
        raise _mapped(exc, target) from exc


def rekey(path: Path, old_hex: str, new_hex: str) -> None:
    """Re-encrypt a (rollback-journal mode) database file with another key, in place."""
    if not re.fullmatch(r"[0-9a-f]{64}", new_hex):
        raise BackupError(reason="bad key")
    with opened(path, old_hex) as conn:
        conn.execute(f"PRAGMA rekey = \"x'{new_hex}'\"")


KEEP_SAFETY_COPIES = 5


def backup_before_upgrade(root: Path, source: Any, key_hex: str, *, pending: list[str]) -> Path:
    """Copy a database about to be migrated into the backups folder (the upgrade can then
    be undone by restoring it); the five newest such copies are kept."""
    folder = paths.backups_dir(root)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = unique_path(folder, backup_name("before-upgrade", datetime.now().astimezone()))
        copy_connection(source, target, key_hex)
    except (OSError, errors.JisrError) as exc:
        reason = exc.message() if isinstance(exc, errors.JisrError) else (exc.strerror or str(exc))
        raise UpgradeBackupFailed(path=str(folder), reason=reason) from exc
    log.info("backed up %s to %s before applying %s", paths.database_path(root), target,
             ", ".join(pending))
    prune_kind(folder, "before-upgrade", KEEP_SAFETY_COPIES)
    return target


def prune_kind(folder: Path, kind: str, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups of one kind in `folder`."""
    found = sorted(folder.glob(f"jisr-{kind}-[0-9]*{SUFFIX}"))
    removed = found[:-keep] if keep > 0 else found
    for path in removed:
        with contextlib.suppress(OSError):
            path.unlink()
    return removed
