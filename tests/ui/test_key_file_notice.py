"""When the database key is in the key file (no key store on this PC) the main window says
so, in the program's language; with the key in a key store it says nothing. The key store
is an in-process `keyring` backend, as in tests/unit/test_keys.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from jisr_desktop import paths
from jisr_desktop.context import SYSTEM_USER, Context
from jisr_desktop.db import keys
from jisr_desktop.db.connection import open_database
from jisr_desktop.i18n import translate
from jisr_desktop.services import accounts
from jisr_desktop.services.center import create_center
from tests.ui.conftest import PASSWORD, sign_in

NOTICE = ("This PC has no key store: the database key is in a file next to the records, so "
          "whoever copies the data folder can read them. Keep this PC locked.")


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
def key_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    monkeypatch.delenv(keys.ENV_DISABLE_KEYRING, raising=False)
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_the_key_file_fallback_is_shown_in_the_window(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    main = sign_in(qtbot, shell_factory(lang="fr"), "recep")
    notice = main.key_notice
    assert notice.isVisible() and not notice.isHidden()
    assert notice.text() == translate(NOTICE, "fr") != NOTICE
    assert notice.parent() is main.statusBar() or main.statusBar().isAncestorOf(notice)


def test_no_notice_when_the_key_is_in_the_key_store(qtbot, key_store, home: Path, shell_factory) -> None:  # type: ignore[no-untyped-def]
    db = open_database(home, create=True)
    ctx = Context(db=db, user=SYSTEM_USER)
    create_center(ctx=ctx, code="TST01", name_fr="Centre test", name_ar="مركز تجريبي",
                  province_code="04.421")
    accounts.create_account(ctx=ctx, username="recep", display_name="Recep", role="receptionist",
                            password=PASSWORD)
    db.close()
    assert not paths.key_file_path(home).exists() and key_store.store
    main = sign_in(qtbot, shell_factory(), "recep")
    assert main.key_notice.isHidden()
