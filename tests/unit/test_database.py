"""The encrypted database: unreadable without its key, and every way it can fail leaves the
file as it was with a clear, translated message."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from jisr_desktop import errors, paths
from jisr_desktop.context import SYSTEM_USER, Context
from jisr_desktop.db import migrations
from jisr_desktop.db.connection import open_database
from jisr_desktop.services import registry
from jisr_desktop.services.center import create_center


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make(home: Path, persons: int = 3) -> None:
    db = open_database(home, create=True)
    ctx = Context(db=db, user=SYSTEM_USER)
    create_center(ctx=ctx, code="T1", name_fr="T", name_ar="ت", province_code=None)
    for i in range(persons):
        registry.register_person(ctx=ctx, data={"given_name_ar": "سعيد", "family_name_lat": f"N{i}"})
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def test_file_is_encrypted_and_unreadable_without_its_key(home: Path) -> None:
    _make(home)
    raw = paths.database_path(home).read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert "سعيد".encode() not in raw
    plain = sqlite3.connect(paths.database_path(home))
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM person").fetchone()
    plain.close()
    assert oct(paths.key_file_path(home).stat().st_mode & 0o777) == "0o600"


def test_wrong_key_is_refused_and_file_unchanged(home: Path) -> None:
    _make(home)
    before = _digest(paths.database_path(home))
    paths.key_file_path(home).write_text("ab" * 32)
    with pytest.raises(errors.DatabaseLocked) as info:
        open_database(home)
    assert "key is wrong" in info.value.message("en")
    assert _digest(paths.database_path(home)) == before


def test_missing_database_is_reported_not_created(home: Path) -> None:
    with pytest.raises(errors.DatabaseMissing) as info:
        open_database(home)
    assert "jisr init" in info.value.message("en")
    assert "jisr init" in info.value.message("ar")
    assert not paths.database_path(home).exists()


def test_corrupt_file_is_refused_and_left_as_it_was(home: Path) -> None:
    _make(home)
    path = paths.database_path(home)
    data = bytearray(path.read_bytes())
    data[:4096] = os.urandom(4096)
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(errors.DatabaseLocked):
        open_database(home)
    assert _digest(path) == before


def test_newer_database_is_refused_untouched(home: Path) -> None:
    _make(home)
    db = open_database(home)
    db.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('jisr', '9999_future', 'x')")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    before = _digest(paths.database_path(home))
    with pytest.raises(errors.DatabaseTooNew) as info:
        open_database(home)
    assert "9999_future" in info.value.message("fr")
    assert _digest(paths.database_path(home)) == before


def test_migrations_from_empty_and_from_previous_schema(home: Path) -> None:
    db = open_database(home, create=True)
    assert migrations.pending_names(db) == []
    assert migrations.applied_names(db) == migrations.known_names()
    db.close()
    # A database that stopped before the latest migration catches up on open.
    other = home / "older"
    other.mkdir()
    db = open_database(other, create=True, migrate=False)
    names = migrations.known_names()
    migrations.MIGRATIONS.apply(db, stop_before=names[-1]) if len(names) > 1 else None
    applied_before = migrations.applied_names(db)
    db.close()
    db = open_database(other)
    assert migrations.applied_names(db) == applied_before + [n for n in names if n not in applied_before]
    assert db.execute("SELECT count(*) FROM admin_division").fetchone()[0] == 87
    db.close()


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """Make `folder` unwritable, even for root (immutable attribute)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o700)


def test_read_only_data_root_gives_a_clear_message(tmp_path: Path) -> None:
    root = tmp_path / "ro"
    root.mkdir()
    with _read_only(root), pytest.raises(errors.ReadOnlyLocation) as info:
        open_database(root, create=True)
    assert str(root) in info.value.message("en")
    assert not paths.database_path(root).exists()


def test_read_only_existing_database_is_left_as_it_was(home: Path) -> None:
    _make(home)
    before = _digest(paths.database_path(home))
    with _read_only(home):
        try:
            db = open_database(home)
        except errors.ReadOnlyLocation:
            pass
        else:
            ctx = Context(db=db, user=SYSTEM_USER)
            with pytest.raises(errors.ReadOnlyLocation):
                registry.register_person(ctx=ctx, data={"given_name_ar": "سعاد"})
            db.close()
    assert _digest(paths.database_path(home)) == before


@contextlib.contextmanager
def _small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real, tiny file system (tmpfs) when we may mount one; else the same folder with
    SQLite's page limit standing in for the disk's size."""
    mount = tmp_path / "small"
    mount.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True).returncode == 0
    try:
        yield mount
    finally:
        if mounted:
            subprocess.run(["umount", str(mount)], check=True)


def test_full_disk_saves_nothing_and_keeps_what_was_saved(tmp_path: Path) -> None:
    with _small_disk(tmp_path) as root:
        _make(root, persons=1)
        db = open_database(root)
        if not os.path.ismount(root):
            pages = db.execute("PRAGMA page_count").fetchone()[0]
            db.execute(f"PRAGMA max_page_count = {pages + 30}")
        ctx = Context(db=db, user=SYSTEM_USER)
        saved = 0
        with pytest.raises(errors.DiskFull) as info:
            for i in range(100_000):
                registry.register_person(ctx=ctx, data={"given_name_ar": "سعيد", "notes": "ملاحظة " * 200,
                                                        "family_name_lat": f"Full{i}"})
                saved += 1
        assert "disk is full" in info.value.message("en")
        count = db.execute("SELECT count(*) FROM person").fetchone()[0]
        assert count == saved + 1
        assert db.execute("SELECT count(*) FROM outbox WHERE entity = 'person'").fetchone()[0] == count
        db.close()
        db = open_database(root, migrate=False)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM person").fetchone()[0] == saved + 1
        db.close()
