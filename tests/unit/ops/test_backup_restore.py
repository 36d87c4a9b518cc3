"""Backups and restore on real encrypted database files: round trip, refusals that change
nothing, the kept-aside database, the new sync epoch, retention."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from opskit import PERSONS, dump, fingerprint

from jisr_desktop import paths
from jisr_desktop.context import Context
from jisr_desktop.db import backup as files
from jisr_desktop.db import keys
from jisr_desktop.db.connection import open_database
from jisr_desktop.ledger import epoch
from jisr_desktop.services import backup, registry

NOW = datetime(2026, 11, 29, 3, 0).astimezone()


def _key(root: Path) -> str:
    key = keys.load_key(root)
    assert key is not None
    return key.hex


def _dump_root(root: Path, **kwargs) -> dict:  # type: ignore[no-untyped-def]
    with files.opened(paths.database_path(root), _key(root)) as conn:
        return dump(conn, **kwargs)


@pytest.fixture
def filled(ctx: Context, home: Path) -> Context:
    for data in PERSONS:
        registry.register_person(ctx=ctx, data=data)
    return ctx


def test_backup_is_encrypted_with_the_database_key(filled: Context, home: Path, tmp_path: Path) -> None:
    made = backup.make_backup(home, now=NOW)
    assert made.parent == paths.backups_dir(home)
    data = made.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    assert "أحمد".encode() not in data and b"Alaoui" not in data
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(made).execute("SELECT count(*) FROM sqlite_master").fetchone()
    with pytest.raises(files.BackupUnreadable):
        files.inspect(made, "ab" * 32)
    info = files.inspect(made, _key(home))
    assert info.counts["person"] == len(PERSONS)
    assert not Path(str(made) + "-wal").exists() and not list(made.parent.glob("*.partial"))


def test_round_trip_restores_identical_content(filled: Context, home: Path) -> None:
    made = backup.make_backup(home, now=NOW)
    with files.opened(made, _key(home)) as conn:
        at_backup = dump(conn, skip_meta=("epoch",))
    registry.register_person(ctx=filled, data={"given_name_ar": "يوسف", "family_name_ar": "الفاسي"})
    first = registry.search_persons(ctx=filled, text="Ahmed")[0]
    registry.update_person(ctx=filled, person_id=first.id, data={"phone": "0700000000"})
    epoch_before = epoch(filled.db)
    filled.db.close()

    preview = backup.preview_restore(home, made)
    assert preview.counts["person"] == len(PERSONS)
    assert backup.current_counts(home)["person"] == len(PERSONS) + 1  # type: ignore[index]

    result = backup.restore(home, made, now=NOW + timedelta(hours=1))
    assert result.epoch == epoch_before + 1
    assert _dump_root(home, skip_meta=("epoch",)) == at_backup
    assert result.safety_copy is not None and result.safety_copy.name.startswith("jisr-before-restore-")
    kept = files.inspect(result.safety_copy, _key(home))
    assert kept.counts["person"] == len(PERSONS) + 1  # the replaced database was kept
    assert not list(paths.backups_dir(home).glob("replaced-*"))
    assert not paths.database_path(home).with_name("jisr.db.restoring").exists()


def test_restored_database_writes_a_new_epoch_from_seq_one(filled: Context, home: Path, clock) -> None:  # type: ignore[no-untyped-def]
    made = backup.make_backup(home, now=NOW)
    user = filled.user
    filled.db.close()
    result = backup.restore(home, made)
    db = open_database(home)
    try:
        ctx = Context(db=db, user=user, clock=clock)
        registry.register_person(ctx=ctx, data={"given_name_ar": "يوسف", "family_name_ar": "الفاسي"})
        rows = db.execute("SELECT epoch, seq FROM outbox WHERE epoch = ?", [result.epoch]).fetchall()
        assert [seq for _, seq in rows] == [1]
        old = db.execute("SELECT count(*) FROM outbox WHERE epoch < ?", [result.epoch]).fetchone()[0]
        assert old >= len(PERSONS)  # the old stream's ops are still there to push
    finally:
        db.close()


def test_restoring_an_old_backup_never_reuses_a_later_epoch(filled: Context, home: Path) -> None:
    old = backup.make_backup(home, now=NOW)
    filled.db.close()
    backup.restore(home, old)
    backup.restore(home, old)  # the second restore must not fall back to epoch 2 again
    with files.opened(paths.database_path(home), _key(home)) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()[0] == "3"


def _foreign_backup(tmp_path: Path) -> Path:
    other = tmp_path / "other-center"
    other.mkdir()
    db = open_database(other, create=True)
    db.close()
    return backup.make_backup(other, now=NOW)


def _plain_encrypted_db(path: Path, key_hex: str) -> Path:
    with files.opened(path, key_hex) as conn:
        conn.execute("CREATE TABLE notes (t TEXT)")
        conn.execute("INSERT INTO notes VALUES ('not a Jisr database')")
    return path


def _damaged_backup(home: Path) -> Path:
    made = backup.make_backup(home, now=NOW - timedelta(days=1))
    data = bytearray(made.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = os.urandom(64)
    damaged = made.with_name("damaged.jisrbak")
    damaged.write_bytes(bytes(data))
    made.unlink()
    return damaged


@pytest.mark.parametrize("kind", ["random_bytes", "empty", "truncated", "damaged", "other_key",
                                  "not_jisr", "too_new"])
def test_refused_restore_changes_nothing(kind: str, filled: Context, home: Path, tmp_path: Path) -> None:
    key = _key(home)
    outside = tmp_path / "usb"
    outside.mkdir()
    if kind == "random_bytes":
        candidate = outside / "x.jisrbak"
        candidate.write_bytes(os.urandom(40_000))
    elif kind == "empty":
        candidate = outside / "x.jisrbak"
        candidate.write_bytes(b"")
    elif kind == "truncated":
        made = backup.make_backup(home, now=NOW - timedelta(days=1))
        candidate = outside / "x.jisrbak"
        candidate.write_bytes(made.read_bytes()[: made.stat().st_size // 2])
        made.unlink()
    elif kind == "damaged":
        candidate = _damaged_backup(home)
        candidate = Path(os.replace(candidate, outside / candidate.name) or outside / candidate.name)
    elif kind == "other_key":
        candidate = _foreign_backup(tmp_path)
    elif kind == "not_jisr":
        candidate = _plain_encrypted_db(outside / "x.jisrbak", key)
    else:
        made = backup.make_backup(home, now=NOW - timedelta(days=1))
        with files.opened(made, key) as conn:
            conn.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at)"
                         " VALUES ('jisr', '9999_from_the_future', 'x')")
        candidate = Path(os.replace(made, outside / made.name) or outside / made.name)
    filled.db.close()
    before, before_outside = fingerprint(home), fingerprint(outside)

    with pytest.raises(files.BackupRefused) as refused:
        backup.preview_restore(home, candidate)
    with pytest.raises(files.BackupRefused):
        backup.restore(home, candidate)

    assert fingerprint(home) == before
    assert fingerprint(outside) == before_outside
    assert "nothing was changed" in refused.value.message("en").lower()
    db = open_database(home)
    assert db.execute("SELECT count(*) FROM person").fetchone()[0] == len(PERSONS)
    db.close()


def test_a_failed_swap_puts_the_previous_database_back(filled: Context, home: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    made = backup.make_backup(home, now=NOW)
    registry.register_person(ctx=filled, data={"given_name_ar": "يوسف", "family_name_ar": "الفاسي"})
    filled.db.close()
    before = _dump_root(home)

    def broken(root: Path, info: object) -> None:
        raise backup.RestoreFailed(reason="simulated")

    monkeypatch.setattr(backup, "_check_restored", broken)
    with pytest.raises(backup.RestoreFailed):
        backup.restore(home, made)
    assert _dump_root(home) == before
    assert not list(paths.backups_dir(home).glob("replaced-*"))
    assert not paths.database_path(home).with_name("jisr.db.restoring").exists()


def test_restore_over_a_damaged_database_keeps_the_damaged_files(filled: Context, home: Path) -> None:
    made = backup.make_backup(home, now=NOW)
    filled.db.close()
    db_path = paths.database_path(home)
    db_path.write_bytes(os.urandom(db_path.stat().st_size))
    damaged = db_path.read_bytes()
    result = backup.restore(home, made)
    assert result.safety_copy is not None and result.safety_copy.read_bytes() == damaged
    db = open_database(home)
    assert db.execute("SELECT count(*) FROM person").fetchone()[0] == len(PERSONS)
    db.close()


def test_backup_while_the_database_is_open_and_has_uncheckpointed_wal(filled: Context, home: Path) -> None:
    wal = Path(str(paths.database_path(home)) + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # committed rows still only in the WAL
    made = backup.make_backup(home, now=NOW)
    assert files.inspect(made, _key(home)).counts["person"] == len(PERSONS)


def test_backup_to_a_folder_names_the_center_and_reads_back(filled: Context, home: Path, tmp_path: Path) -> None:
    usb = tmp_path / "USB"
    usb.mkdir()
    first = backup.backup_to_folder(home, usb, now=NOW)
    second = backup.backup_to_folder(home, usb, now=NOW)
    assert first.name == "jisr-backup-TST01-20261129-030000.jisrbak"
    assert second != first and second.exists()
    assert files.inspect(first, _key(home)).counts["person"] == len(PERSONS)


def test_daily_backup_once_a_day_and_retention(filled: Context, home: Path) -> None:
    assert backup.ensure_daily_backup(home, now=NOW) is not None
    assert backup.ensure_daily_backup(home, now=NOW + timedelta(hours=2)) is None
    assert backup.ensure_daily_backup(home, now=NOW + timedelta(days=1)) is not None
    assert len(backup.daily_backups(home)) == 2


def test_retention_keeps_14_daily_and_12_monthly() -> None:
    start = datetime(2025, 6, 1, 9, 0)
    stamps = [start + timedelta(days=d, hours=h) for d in range(400) for h in (0, 8)]
    keep = backup.stamps_to_keep(stamps, keep_daily=14, keep_monthly=12)
    last = stamps[-1]
    daily = {s for s in keep if s.hour == 17}  # the newest of each day
    monthly = {s for s in keep if s.hour == 9}  # the first of each month
    assert keep == daily | monthly
    assert len(daily) == 14 and all((last.date() - s.date()).days < 14 for s in daily)
    assert len(monthly) == 12 and all(s.day == 1 for s in monthly)
    assert max(monthly).month == last.month and max(monthly).year == last.year
    assert len(keep) == len(daily) + len(monthly)


def test_prune_deletes_only_automatic_backups_outside_retention(home: Path) -> None:
    folder = paths.backups_dir(home)
    folder.mkdir()
    start = datetime(2026, 1, 1, 12, 0)
    for d in range(60):
        (folder / files.backup_name(backup.DAILY, start + timedelta(days=d))).write_bytes(b"x")
    (folder / "jisr-before-upgrade-20260101-120000.jisrbak").write_bytes(b"x")
    (folder / "notes.txt").write_bytes(b"x")
    removed = backup.prune(home, keep_daily=14, keep_monthly=12)
    assert len(removed) == 60 - 14 - 2  # January 1 and February 1 stay as monthly backups
    names = {p.name for p in folder.iterdir()}
    assert "jisr-before-upgrade-20260101-120000.jisrbak" in names and "notes.txt" in names
    assert "jisr-daily-20260201-120000.jisrbak" in names


def test_restore_onto_a_new_pc_with_the_old_key_file(filled: Context, home: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    made = backup.backup_to_folder(home, usb, now=NOW)
    with files.opened(made, _key(home)) as conn:
        at_backup = dump(conn, skip_meta=("epoch",))
    old_key = backup.read_key_file(paths.key_file_path(home))
    new_pc = tmp_path / "new-pc"
    with pytest.raises(backup.NoDatabaseKey):
        backup.preview_restore(new_pc, made)
    assert not new_pc.exists()  # refused before anything was made

    assert backup.preview_restore(new_pc, made, key_hex=old_key).counts["person"] == len(PERSONS)
    result = backup.restore(new_pc, made, key_hex=old_key)
    assert result.safety_copy is None and result.epoch == 2
    new_key = _key(new_pc)
    assert new_key != old_key  # re-encrypted with the new PC's own key
    with pytest.raises(files.BackupUnreadable):
        files.inspect(paths.database_path(new_pc), old_key)
    assert _dump_root(new_pc, skip_meta=("epoch",)) == at_backup
    assert sorted(p.name for p in new_pc.iterdir()) == ["backups", "jisr.db", "jisr.key"]
    assert list((new_pc / "backups").iterdir()) == []


def test_a_wrong_key_file_is_refused_and_changes_nothing(filled: Context, home: Path, tmp_path: Path) -> None:
    made = backup.make_backup(home, now=NOW)
    filled.db.close()
    before = fingerprint(home)
    with pytest.raises(files.BackupUnreadable):
        backup.restore(home, made, key_hex="cd" * 32)
    assert fingerprint(home) == before
