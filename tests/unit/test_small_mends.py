"""Small mends of issue 11: SQLite failures classified by their result code (not their
message text), the `log_level` setting read, the transport's logger inside ``jisr``."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from jisr_desktop import errors
from jisr_desktop.db.connection import error_for, translate_errors
from jisr_desktop.log import setup_logging
from jisr_desktop.settings import Settings
from jisr_desktop.sync import transport


def _failure(conn: sqlcipher.Connection, sql: str) -> sqlcipher.Error:
    with pytest.raises(sqlcipher.Error) as caught:
        conn.execute(sql)
    return caught.value


def test_sqlite_failures_are_classified_by_result_code(tmp_path: Path) -> None:
    conn = sqlcipher.connect(str(tmp_path / "a.db"), isolation_level=None)
    conn.execute("CREATE TABLE t (x TEXT)")
    # a bug whose message happens to hold words of a person-facing failure stays a bug
    assert error_for(_failure(conn, "SELECT * FROM readonly_or_full_disk")) is None
    conn.execute("PRAGMA query_only = 1")
    assert isinstance(error_for(_failure(conn, "INSERT INTO t VALUES ('x')")),
                      errors.ReadOnlyLocation)
    conn.execute("PRAGMA query_only = 0")
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    full = _failure(conn, "INSERT INTO t SELECT hex(randomblob(4000)) FROM"
                          " (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                          " WHERE i < 100) SELECT i FROM n)")
    assert isinstance(error_for(full), errors.DiskFull)
    with pytest.raises(errors.DiskFull), translate_errors():
        raise full
    conn.close()
    garbage = tmp_path / "b.db"
    garbage.write_bytes(b"not a database at all" * 200)
    other = sqlcipher.connect(str(garbage))
    assert isinstance(error_for(_failure(other, "SELECT * FROM sqlite_master")),
                      errors.DatabaseLocked)


def test_log_level_setting_is_read(tmp_path: Path) -> None:
    Settings(tmp_path).set("log_level", "WARNING")
    setup_logging(tmp_path)
    assert logging.getLogger("jisr").level == logging.WARNING
    Settings(tmp_path).set("log_level", "DEBUG")
    setup_logging(tmp_path)
    assert logging.getLogger("jisr").level == logging.DEBUG
    setup_logging(tmp_path, level=logging.INFO)


def test_transport_logs_inside_the_jisr_hierarchy() -> None:
    assert transport.log.name.startswith("jisr.")
