"""A throwaway PostgreSQL cluster for the tests: initdb in a temp folder, a free port on
127.0.0.1, fsync off, torn down at the end. With JISR_REQUIRE_PG=1 (make test, CI) a missing
PostgreSQL fails the run instead of skipping it."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def find_pg_bin() -> Path | None:
    """Newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl.

    $PG_BIN overrides the search (a folder; if it lacks initdb, PostgreSQL counts as missing).
    """
    override = os.environ.get("PG_BIN")
    candidates = [Path(override)] if override else Path("/usr/lib/postgresql").glob("*/bin")
    found = []
    for path in candidates:
        if (path / "initdb").exists() and (path / "pg_ctl").exists():
            version = re.sub(r"\D", "", path.parent.name) or "0"
            found.append((int(version), path))
    return max(found)[1] if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgCluster:
    bin: Path
    folder: Path
    port: int
    as_root: bool

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self.as_root:  # PostgreSQL refuses to run as root
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)

    def url(self, dbname: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database, empty or a copy of `template` (a database nobody is connected to)."""
        self.run(
            str(self.bin / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            *(["-T", template] if template else []),
            name,
        )
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.run(
                str(self.bin / "dropdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "--force",
                name,
            )


@contextlib.contextmanager
def pg_cluster(*settings: str) -> Iterator[PgCluster]:
    """A throwaway cluster; `settings` are extra server settings ("shared_buffers=1GB", …)."""
    pg_bin = find_pg_bin()
    if pg_bin is None:
        message = "PostgreSQL not found (no /usr/lib/postgresql/*/bin/initdb)"
        if os.environ.get("JISR_REQUIRE_PG") == "1":
            pytest.fail(message + " and JISR_REQUIRE_PG=1", pytrace=False)
        pytest.skip(message)
    as_root = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="jisr-pg-"))
    cluster = PgCluster(pg_bin, folder, free_port(), as_root)
    if as_root:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    try:
        cluster.run(
            str(pg_bin / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C",
        )
        options = (
            f"-p {cluster.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            + "".join(f" -c {setting}" for setting in settings)
        )
        cluster.run(
            str(pg_bin / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "-l",
            str(folder / "log"),
            "start",
        )
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            cluster.run(str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class ExternalPg:
    """An existing server named by JISR_TEST_PG_URL (e.g. a CI service container)."""

    admin_url: str

    def url(self, dbname: str) -> str:
        return self.admin_url.rsplit("/", 1)[0] + "/" + dbname

    def create_database(self, name: str, template: str | None = None) -> str:
        import psycopg

        copy = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(self.admin_url, autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres() -> Iterator[PgCluster | ExternalPg]:
    """Session-wide PostgreSQL: JISR_TEST_PG_URL if set, else a throwaway local cluster;
    test modules create their own databases in it."""
    if url := os.environ.get("JISR_TEST_PG_URL"):
        yield ExternalPg(url)
        return
    with pg_cluster() as cluster:
        yield cluster
