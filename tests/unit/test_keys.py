"""Where the database key lives: the OS key store when one works, else an owner-only file
(with a warning). The Windows Credential Manager cannot run here, so the key store is an
in-process `keyring` backend: the program's own code paths (set, read back, fall back) run."""

from __future__ import annotations

import logging
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from jisr_desktop import errors, paths
from jisr_desktop.db import keys
from jisr_desktop.db.connection import open_database


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def key_store(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv(keys.ENV_DISABLE_KEYRING, raising=False)
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_key_goes_to_the_key_store_and_no_key_file_is_written(home: Path, key_store: MemoryKeyring) -> None:
    open_database(home, create=True).close()
    assert not paths.key_file_path(home).exists()
    ((service, account), value), = key_store.store.items()
    assert service == keys.KEYRING_SERVICE and account == str(paths.database_path(home).resolve())
    assert len(value) == 64
    db = open_database(home)  # reopened with the key from the store
    assert db.execute("SELECT count(*) FROM admin_division").fetchone()[0] == 87
    db.close()
    key_store.store.clear()
    with pytest.raises(errors.DatabaseLocked):
        open_database(home)


def test_without_a_key_store_the_file_is_used_with_a_warning(home: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="jisr.db.keys"):
        open_database(home, create=True).close()
    assert paths.key_file_path(home).exists()
    assert any("key store is not available" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="jisr.db.keys"):
        open_database(home).close()
    assert any("using the key file" in r.getMessage() for r in caplog.records)
