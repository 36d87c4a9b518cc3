"""Backups of a center's database: daily with retention, "back up to…" a folder, restore.

Restore is careful because it is used on a bad day: the file is checked first (readable
with this center's key, a Jisr database, integrity ``ok``) and its record counts shown; the
current database, with its WAL, is moved aside and only dropped once the restored one opened
and checked; any failure puts it back. A restored database starts a new sync epoch
(docs/sync.md, guarantee 8: otherwise HQ would take new work for duplicates of old sequence numbers).
The program's own connections must be closed before `restore` (Windows cannot move an open
file); backups can be made while the program runs.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import sqlite_utils

from jisr_desktop import errors, paths
from jisr_desktop.db import backup as files
from jisr_desktop.db import keys, meta
from jisr_desktop.db.backup import BackupInfo
from jisr_desktop.i18n import N_
from jisr_desktop.settings import Settings

log = logging.getLogger("jisr.backup")

DAILY = "daily"
SUFFIX = files.SUFFIX  # a backup file's name ending, for the backups screen's file filters
_STAMP = re.compile(r"^jisr-daily-(\d{8}-\d{6})(?:-\d+)?" + re.escape(files.SUFFIX) + "$")


class NoDatabaseKey(errors.JisrError):
    msgid = N_("This data folder has no database key ({path}): a backup can only be restored "
               "with the key of the center that made it.")


class KeyFileUnreadable(errors.JisrError):
    msgid = N_("The key file {path} cannot be read ({reason}); nothing was changed.")


class NotAKeyFile(errors.JisrError):
    msgid = N_("{path} is not a Jisr Desktop key file (one holds 64 digits and letters a to f); "
               "nothing was changed.")


class RestoreFailed(errors.JisrError):
    msgid = N_("The restore failed and the previous database was put back: {reason}")


@dataclass(frozen=True)
class RestoreResult:
    info: BackupInfo
    epoch: int
    safety_copy: Path | None


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now()).astimezone()


def _key(root: Path) -> keys.DatabaseKey:
    key = keys.load_key(root)
    if key is None:
        raise NoDatabaseKey(path=str(root))
    return key


def _existing_database(root: Path) -> Path:
    path = paths.database_path(root)
    if not path.exists():
        raise errors.DatabaseMissing(path=str(path))
    return path


# --- Making backups -------------------------------------------------------------------

def make_backup(root: Path, *, now: datetime | None = None) -> Path:
    """A dated backup in the data root's backups folder, then retention applied."""
    db_path = _existing_database(root)
    folder = paths.backups_dir(root)
    target = files.unique_path(folder, files.backup_name(DAILY, _now(now)))
    files.backup_file(db_path, _key(root).hex, target)
    prune(root)
    return target


def backup_to_folder(root: Path, folder: Path, *, now: datetime | None = None) -> Path:
    """"Back up to…" a folder (a USB stick): a checked copy named after the center."""
    db_path = _existing_database(root)
    key = _key(root)
    folder = Path(folder)
    if not folder.is_dir():
        raise errors.ReadOnlyLocation(path=str(folder))
    with files.opened(db_path, key.hex, read_only=False) as conn:
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'center_code'").fetchone()
        except Exception:
            row = None
    target = files.unique_path(folder, files.backup_name("backup", _now(now),
                                                         tag=row[0] if row else ""))
    files.backup_file(db_path, key.hex, target)
    files.inspect(target, key.hex)  # read it back from the stick before saying it is done
    return target


def daily_backups(root: Path) -> list[tuple[datetime, Path]]:
    """The automatic backups of the data root, oldest first."""
    found = []
    for path in paths.backups_dir(root).glob(f"jisr-{DAILY}-*{files.SUFFIX}"):
        match = _STAMP.match(path.name)
        if match:
            found.append((datetime.strptime(match.group(1), "%Y%m%d-%H%M%S"), path))
    return sorted(found)


def ensure_daily_backup(root: Path, *, now: datetime | None = None) -> Path | None:
    """Make today's backup unless one exists; returns it, or None when there was one.
    Call it at start and once a day (in the background: it reads the whole database)."""
    today = _now(now).date()
    if any(stamp.date() == today for stamp, _ in daily_backups(root)):
        return None
    return make_backup(root, now=now)


def stamps_to_keep(stamps: Iterable[datetime], *, keep_daily: int, keep_monthly: int) -> set[datetime]:
    """Retention: the newest backup of each of the `keep_daily` latest days that have one,
    and the first backup of each of the `keep_monthly` latest months."""
    ordered = sorted(stamps)
    newest_of_day: dict[date, datetime] = {}
    first_of_month: dict[tuple[int, int], datetime] = {}
    for stamp in ordered:
        newest_of_day[stamp.date()] = stamp
        first_of_month.setdefault((stamp.year, stamp.month), stamp)
    keep = {newest_of_day[d] for d in sorted(newest_of_day)[-keep_daily:]} if keep_daily > 0 else set()
    if keep_monthly > 0:
        keep |= {first_of_month[m] for m in sorted(first_of_month)[-keep_monthly:]}
    return keep


def prune(root: Path, *, keep_daily: int | None = None, keep_monthly: int | None = None) -> list[Path]:
    """Delete automatic backups outside the retention (settings `backup_keep_daily`,
    `backup_keep_monthly`); returns the deleted files."""
    settings = Settings(root)
    keep_daily = settings["backup_keep_daily"] if keep_daily is None else keep_daily
    keep_monthly = settings["backup_keep_monthly"] if keep_monthly is None else keep_monthly
    found = daily_backups(root)
    keep = stamps_to_keep([s for s, _ in found], keep_daily=keep_daily, keep_monthly=keep_monthly)
    removed = []
    for stamp, path in found:
        if stamp not in keep:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    if removed:
        log.info("retention removed %d old backups", len(removed))
    return removed


# --- Restoring --------------------------------------------------------------------------

def preview_restore(root: Path, path: Path, *, key_hex: str | None = None) -> BackupInfo:
    """Check a backup file and return its record counts, changing nothing anywhere.
    `key_hex` is the key the backup was made with, when it is not this data root's (a
    restore onto a new PC). Raises a `BackupRefused` error (damaged, foreign key or not a
    Jisr file, too new)."""
    return files.inspect(Path(path), key_hex or _key(root).hex)


def key_kept_in_file(root: Path) -> bool:
    """Whether the database key of `root` is in the key file next to the records (this PC has
    no key store): the main window says so (docs/security.md, "Desktop")."""
    key = keys.load_key(root)
    return key is not None and key.source == "file"


def backup_key(root: Path) -> str:
    """The key of this data root, the one its backups are made with (`NoDatabaseKey`)."""
    return _key(root).hex


def read_key_file(path: Path) -> str:
    """The hex key in a copied ``jisr.key`` file (`KeyFileUnreadable`, `NotAKeyFile`)."""
    try:
        text = Path(path).read_text(encoding="ascii").strip().lower()
    except OSError as exc:
        raise KeyFileUnreadable(path=str(path), reason=exc.strerror or type(exc).__name__) from None
    except UnicodeDecodeError:
        raise NotAKeyFile(path=str(path)) from None
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise NotAKeyFile(path=str(path))
    return text


def _target_key(root: Path, source_hex: str | None) -> keys.DatabaseKey:
    """The key the restored database will have: this data root's; a data root without one
    (a new PC) gets a new key when the backup's own key was given."""
    key = keys.load_key(root)
    if key is not None:
        return key
    if source_hex is None:
        raise NoDatabaseKey(path=str(root))
    root.mkdir(parents=True, exist_ok=True)
    return keys.create_key(root)


def current_counts(root: Path) -> dict[str, int] | None:
    """Record counts of the current database, or None when it is missing or unreadable."""
    db_path = paths.database_path(root)
    key = keys.load_key(root)
    if key is None or not db_path.exists():
        return None
    try:
        with files.opened(db_path, key.hex) as conn:
            return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                    for t in files.user_tables(conn) if not t.startswith("_")}
    except Exception:
        log.warning("the current database cannot be read", exc_info=True)
        return None


def _current_epoch(db_path: Path, key_hex: str) -> int:
    """The sync epoch of the database about to be replaced (0 when it cannot be read)."""
    if not db_path.exists():
        return 0
    try:
        with files.opened(db_path, key_hex) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()
            return int(row[0]) if row else 0
    except Exception:
        log.warning("cannot read the epoch of %s", db_path, exc_info=True)
        return 0


def _start_new_epoch(staging: Path, key_hex: str, floor: int) -> int:
    from jisr_desktop.ledger import epoch, start_new_epoch

    with files.opened(staging, key_hex) as conn:
        db = sqlite_utils.Database(conn)
        with db.atomic():
            # Never reuse an epoch the replaced database may already have sent to HQ.
            if floor > epoch(db):
                meta.put(db, "epoch", str(floor))
            return start_new_epoch(db)


def restore(root: Path, path: Path, *, now: datetime | None = None,
            key_hex: str | None = None) -> RestoreResult:
    """Replace the data root's database by the backup `path` (see the module docstring).
    `key_hex`: the backup's key when it is not this data root's (the restored database is
    re-encrypted with this data root's key, made if it has none).

    Raises `BackupRefused` (nothing changed) or `RestoreFailed` (previous database put back).
    """
    source_hex = key_hex or _key(root).hex
    info = files.inspect(Path(path), source_hex)
    key = _target_key(root, key_hex)
    db_path = paths.database_path(root)
    staging = db_path.with_name(db_path.name + ".restoring")
    files.copy_for_restore(Path(path), source_hex, staging)
    try:
        if source_hex != key.hex:
            files.rekey(staging, source_hex, key.hex)
        staged = files.inspect(staging, key.hex)
        if staged.counts != info.counts:
            raise RestoreFailed(reason="copy differs from the backup")
        epoch = _start_new_epoch(staging, key.hex, _current_epoch(db_path, key.hex))
    except BaseException:
        files.remove_database_files(staging)
        raise

    stamp = _now(now)
    aside_dir = paths.backups_dir(root) / f"replaced-{stamp:%Y%m%d-%H%M%S}"
    aside = aside_dir / db_path.name
    aside_dir.mkdir(parents=True, exist_ok=True)
    moved = []
    try:
        moved = files.move_database_files(db_path, aside)
        files.move_database_files(staging, db_path)
        _check_restored(root, info)
    except BaseException as exc:
        files.remove_database_files(db_path)
        files.remove_database_files(staging)
        if moved:
            files.move_database_files(aside, db_path)
        with contextlib.suppress(OSError):
            aside_dir.rmdir()
        log.exception("restore of %s failed; previous database put back", path)
        if isinstance(exc, errors.JisrError | OSError):
            reason = exc.message() if isinstance(exc, errors.JisrError) else str(exc)
            raise RestoreFailed(reason=reason) from exc
        raise
    if not moved:
        with contextlib.suppress(OSError):
            aside_dir.rmdir()
    safety = _keep_safety_copy(root, aside, key.hex, stamp) if moved else None
    log.info("restored %s (counts %s); new sync epoch %d", path, info.counts, epoch)
    return RestoreResult(info=info, epoch=epoch, safety_copy=safety)


def _check_restored(root: Path, info: BackupInfo) -> None:
    from jisr_desktop.db.connection import open_database

    db = open_database(root)  # migrates an older backup (taking its upgrade backup first)
    try:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise RestoreFailed(reason=result)
        person = db.execute("SELECT count(*) FROM person").fetchone()[0]
        if person != info.counts.get("person", 0):
            raise RestoreFailed(reason="record counts differ")
    finally:
        db.close()


def _keep_safety_copy(root: Path, aside: Path, key_hex: str, stamp: datetime) -> Path | None:
    """Turn the replaced database (with its WAL) into a backup file; keep the raw files
    when they cannot be read (a damaged database is still evidence)."""
    folder = paths.backups_dir(root)
    target = files.unique_path(folder, files.backup_name("before-restore", stamp))
    try:
        files.backup_file(aside, key_hex, target)
    except Exception:
        log.warning("the replaced database %s could not be copied; kept as is", aside, exc_info=True)
        return aside
    shutil.rmtree(aside.parent, ignore_errors=True)
    files.prune_kind(folder, "before-restore", files.KEEP_SAFETY_COPIES)
    return target


def export_key(root: Path, destination: Path) -> Path:
    """Write the database key of `root` to a key file in `destination` (the folder chosen on
    the backups screen); `FileExistsError` if one is already there."""
    return keys.export_key(root, destination)

