"""A damaged, empty or unwritable database is reported plainly: one line, the right cause.

A flipped byte is told apart from a wrong key (SQLCipher's page checks fail on some pages,
not all), without SQLCipher's own error lines on stderr; a zero-length file is refused
rather than taken for a new database; a disk that refuses writes (here: a file-size limit
set with `resource.setrlimit` in a child process, so it runs without root) is a disk
problem, never a wrong key."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from jisr_desktop import errors, paths
from jisr_desktop.db.connection import open_database

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")

PAGE = 4096


def jisr(home: Path, *args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """The `jisr` command in a child process, with writes limited to `limit` bytes a file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JISR_")} | {"JISR_NO_KEYRING": "1"}
    code = textwrap.dedent(f"""
        import resource, signal, sys
        limit = {limit!r}
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write fails, not the process
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        from jisr_desktop.cli import main
        sys.exit(main(sys.argv[1:]))
    """)
    return subprocess.run([sys.executable, "-c", code, "--home", str(home), "--lang", "en", *args],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("damage") / "home"
    out = jisr(home, "demo", "--persons", "40", "--seed", "5")
    assert out.returncode == 0, out.stderr
    db = open_database(home)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return home


def copy_of(made: Path, tmp_path: Path) -> Path:
    home = tmp_path / "copy"
    home.mkdir()
    for name in ("jisr.db", "jisr.key"):
        (home / name).write_bytes((made / name).read_bytes())
    return home


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_flipped_byte_in_the_first_page_is_one_line_saying_damaged(made: Path, tmp_path: Path) -> None:
    home = copy_of(made, tmp_path)
    db_file = paths.database_path(home)
    flip(db_file, 200)
    before = db_file.read_bytes()
    out = jisr(home, "search", "x")
    assert out.returncode == 2
    assert out.stderr.splitlines() == [
        f"jisr: The database {db_file} is damaged: nothing was changed. Restore the latest backup"
        " (“jisr restore”)."]
    assert db_file.read_bytes() == before
    with pytest.raises(errors.DatabaseDamaged):
        open_database(home)


@pytest.mark.parametrize("where", ["middle", "last"])
def test_a_flipped_byte_further_in_is_found_by_check_in_one_line(made: Path, tmp_path: Path,
                                                                 where: str) -> None:
    home = copy_of(made, tmp_path)
    db_file = paths.database_path(home)
    pages = db_file.stat().st_size // PAGE
    flip(db_file, (pages // 2 if where == "middle" else pages - 1) * PAGE + 300)
    out = jisr(home, "check")
    assert out.returncode in (1, 2), out.stdout + out.stderr
    assert "ERROR CORE" not in out.stderr and "hmac" not in out.stderr.lower()
    assert "unexpected" not in out.stderr
    if out.returncode == 2:
        assert out.stderr.splitlines() == [
            f"jisr: The database {db_file} is damaged: nothing was changed. Restore the latest"
            " backup (“jisr restore”)."]
    else:
        assert "Integrity: ok" not in out.stdout
    export = jisr(home, "search", "DEMO-")
    assert "ERROR CORE" not in export.stderr and "unexpected" not in export.stderr
    assert len(export.stderr.splitlines()) <= 1


def test_a_wrong_key_is_still_a_wrong_key(made: Path, tmp_path: Path) -> None:
    home = copy_of(made, tmp_path)
    paths.key_file_path(home).write_text("ab" * 32)
    out = jisr(home, "search", "x")
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1
    assert "the key is wrong" in out.stderr and "is damaged:" not in out.stderr


def test_a_zero_length_database_is_refused_and_left_alone(made: Path, tmp_path: Path) -> None:
    home = copy_of(made, tmp_path)
    db_file = paths.database_path(home)
    db_file.write_bytes(b"")
    with pytest.raises(errors.DatabaseEmpty):
        open_database(home)
    out = jisr(home, "search", "x")
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1
    assert "is empty (0 bytes)" in out.stderr
    assert db_file.stat().st_size == 0  # not turned into a new, empty registry
    assert not Path(str(db_file) + "-wal").exists()


def test_a_disk_that_refuses_writes_is_not_a_wrong_key(made: Path, tmp_path: Path) -> None:
    home = copy_of(made, tmp_path)
    (home / "logs").mkdir()
    (home / "logs" / "jisr.log").write_bytes(b"x" * 20_000)  # the log cannot grow either
    out = jisr(home, "search", "x", limit=8_000)
    assert out.returncode == 2, out.stderr
    assert out.stderr.splitlines() == [
        "jisr: The disk refused to read or write the database (it may be full or failing): nothing"
        " was saved. Free some space and try again."]


def test_a_write_refused_by_the_disk_saves_nothing_and_says_so(made: Path, tmp_path: Path) -> None:
    home = copy_of(made, tmp_path)
    size = paths.database_path(home).stat().st_size
    out = jisr(home, "demo", "--persons", "400", limit=size + 3 * PAGE)
    assert out.returncode == 2, out.stderr
    assert len(out.stderr.splitlines()) == 1 and "disk" in out.stderr and "key" not in out.stderr
    db = open_database(home)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM person").fetchone()[0] == 40
    finally:
        db.close()
