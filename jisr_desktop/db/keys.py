"""The database key: from the operating system's key store, or a key file as a fallback.

The key store (Windows Credential Manager through `keyring`) keeps the key off the disk next
to the database. Where no key store works (a locked-down PC, a Linux machine without a
Secret Service, tests) the key lives in a file readable by its owner only, and the program
warns, because whoever copies the data root then has both the lock and the key.
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from jisr_desktop import errors, paths

log = logging.getLogger("jisr.db.keys")

KEYRING_SERVICE = "jisr-desktop"
ENV_DISABLE_KEYRING = "JISR_NO_KEYRING"


@dataclass(frozen=True)
class DatabaseKey:
    hex: str
    source: str  # "keyring" or "file"


def _keyring_get(account: str) -> str | None:
    if os.environ.get(ENV_DISABLE_KEYRING):
        return None
    try:
        import keyring
        from keyring.backends import fail

        if isinstance(keyring.get_keyring(), fail.Keyring):
            return None
        return keyring.get_password(KEYRING_SERVICE, account)
    except Exception:  # any backend failure means "no key store here"
        log.debug("key store unavailable", exc_info=True)
        return None


def _keyring_set(account: str, value: str) -> bool:
    if os.environ.get(ENV_DISABLE_KEYRING):
        return False
    try:
        import keyring
        from keyring.backends import fail

        if isinstance(keyring.get_keyring(), fail.Keyring):
            return False
        keyring.set_password(KEYRING_SERVICE, account, value)
        return keyring.get_password(KEYRING_SERVICE, account) == value
    except Exception:
        log.debug("key store unavailable", exc_info=True)
        return False


def _account(db_path: Path) -> str:
    return str(db_path.resolve())


def load_key(root: Path) -> DatabaseKey | None:
    """The key of the database in `root`, or None when there is none."""
    db_path = paths.database_path(root)
    stored = _keyring_get(_account(db_path))
    if stored:
        return DatabaseKey(stored, "keyring")
    key_file = paths.key_file_path(root)
    if key_file.exists():
        log.warning("using the key file %s: the operating system's key store is not available", key_file)
        return DatabaseKey(key_file.read_text(encoding="ascii").strip(), "file")
    return None


def create_key(root: Path) -> DatabaseKey:
    """Make a new random key and store it (key store first, else an owner-only key file)."""
    value = secrets.token_hex(32)
    if _keyring_set(_account(paths.database_path(root)), value):
        return DatabaseKey(value, "keyring")
    key_file = paths.key_file_path(root)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(value)
    log.warning("the key store is not available: the database key is in %s (owner only)", key_file)
    return DatabaseKey(value, "file")


def export_key(root: Path, destination: Path) -> Path:
    """Write the database key to `destination` (owner-only, never over an existing file),
    for restoring this PC's backups on another PC (`jisr restore FILE --key-file …`)."""
    key = load_key(root)
    if key is None:
        raise errors.DatabaseLocked(path=str(paths.database_path(root)))
    if destination.is_dir():
        destination = destination / "jisr.key"
    fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex)
    log.warning("database key exported to %s", destination)
    return destination
