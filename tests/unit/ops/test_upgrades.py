"""Upgrades: an older database is backed up before it is migrated; a newer one is refused
and left byte-identical."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from opskit import fingerprint

from jisr_desktop import errors, paths
from jisr_desktop.db import backup as files
from jisr_desktop.db import keys, migrations
from jisr_desktop.db.connection import open_database
from jisr_desktop.db.migrations import MIGRATIONS

LATER = "9999_ops_test_later_migration"


@pytest.fixture
def later_migration(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migration this test build knows and the fixture database lacks: the fixture is
    then one version older, however many migrations the program has today."""

    def later(db: sqlite_utils.Database) -> None:
        db.execute("CREATE TABLE ops_test_later (id INTEGER PRIMARY KEY)")

    monkeypatch.setattr(MIGRATIONS, "_migrations", list(MIGRATIONS._migrations))
    MIGRATIONS(name=LATER)(later)
    yield LATER


def _old_database(root: Path, *, stop_before: str) -> list[str]:
    """A database with the migrations before `stop_before` applied, and some records."""
    db = open_database(root, create=True, migrate=False)
    MIGRATIONS.apply(db, stop_before=stop_before)
    db.execute("INSERT INTO meta(key, value) VALUES ('center_code', 'OLD01')")
    applied = migrations.applied_names(db)
    db.close()
    return applied


def _upgrade_and_check(home: Path, old: list[str]) -> None:
    before = paths.database_path(home).read_bytes()
    assert not paths.backups_dir(home).exists()
    db = open_database(home)
    try:
        assert migrations.pending_names(db) == []
        assert db.execute("SELECT value FROM meta WHERE key = 'center_code'").fetchone()[0] == "OLD01"
    finally:
        db.close()
    (made,) = paths.backups_dir(home).glob("jisr-before-upgrade-*.jisrbak")
    key = keys.load_key(home)
    assert key is not None
    info = files.inspect(made, key.hex)
    assert info.migrations == old  # the copy is the database as it was before the upgrade
    assert made.read_bytes() != before  # a real backup file, not the live file renamed
    assert paths.database_path(home).exists()


def test_database_one_version_older_is_backed_up_then_migrated(home: Path, later_migration: str) -> None:
    old = _old_database(home, stop_before=later_migration)
    assert later_migration not in old
    _upgrade_and_check(home, old)


def test_database_missing_the_last_real_migration_upgrades(home: Path) -> None:
    known = migrations.known_names()
    if len(known) < 2:
        pytest.skip("the program has a single migration so far")
    old = _old_database(home, stop_before=known[-1])
    _upgrade_and_check(home, old)


def test_a_new_database_takes_no_upgrade_backup(home: Path) -> None:
    open_database(home, create=True).close()
    open_database(home).close()
    assert not paths.backups_dir(home).exists() or not list(paths.backups_dir(home).iterdir())


def test_newer_database_is_refused_and_left_byte_identical(home: Path) -> None:
    db = open_database(home, create=True)
    db.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at)"
               " VALUES ('jisr', '9999_written_by_a_newer_version', '2027-01-01')")
    db.close()
    before = fingerprint(home)
    with pytest.raises(errors.DatabaseTooNew) as refused:
        open_database(home)
    assert "9999_written_by_a_newer_version" in refused.value.message("en")
    assert "untouched" in refused.value.message("en")
    assert fingerprint(home) == before
    assert not paths.backups_dir(home).exists()


def test_upgrade_is_not_attempted_when_the_backup_cannot_be_written(home: Path, later_migration: str) -> None:
    _old_database(home, stop_before=later_migration)
    paths.backups_dir(home).write_text("a file where the backups folder should be")
    before = paths.database_path(home).read_bytes()
    with pytest.raises(errors.JisrError):
        open_database(home)
    db = open_database(home, migrate=False)
    try:
        assert later_migration in migrations.pending_names(db)
    finally:
        db.close()
    assert paths.database_path(home).read_bytes() == before


def test_only_the_five_newest_upgrade_backups_are_kept(home: Path, later_migration: str) -> None:
    folder = paths.backups_dir(home)
    folder.mkdir(parents=True)
    for day in range(1, 8):
        (folder / f"jisr-before-upgrade-202601{day:02d}-120000.jisrbak").write_bytes(b"old")
    _old_database(home, stop_before=later_migration)
    open_database(home).close()
    kept = sorted(p.name for p in folder.glob("jisr-before-upgrade-*.jisrbak"))
    assert len(kept) == files.KEEP_SAFETY_COPIES
    assert kept[0] == "jisr-before-upgrade-20260104-120000.jisrbak"
    assert files.inspect(folder / kept[-1], keys.load_key(home).hex)  # type: ignore[union-attr]
