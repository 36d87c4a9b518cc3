"""The Sync screen tells coordinators, in plain words and in their language, about records from
HQ kept aside because this program could not accept a value (issue 12, point 3); others do not
see them. The rows are written to `sync_quarantine` exactly as pull-apply keeps them aside
(tests/sync/test_pull_quarantine.py proves that path against a real HQ)."""

from __future__ import annotations

import json

import pytest

from jisr_desktop import i18n
from jisr_desktop.ui.screens.sync import SyncScreen
from tests.ui.conftest import idle, sign_in
from tests.ui.test_screenshots import _save


def _kept(db) -> None:  # type: ignore[no-untyped-def]
    db.execute(
        "INSERT INTO sync_quarantine(entity, entity_id, fields, clocks, problems, received_at)"
        " VALUES ('person', '5d2f8a1c-3e4b-4f6a-8c9d-0e1f2a3b4c5d', ?, '{}',"
        " 'person.sex invalid; person.birth_year out of range', '2026-11-02T08:30:00+00:00')",
        [json.dumps({"sex": "X", "birth_year": 2**70})])


def _screen(qtbot, shell_factory, username: str):  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, username)
    screen = main.show_section("sync")
    assert isinstance(screen, SyncScreen)
    idle(qtbot, shell)
    return shell, screen


def test_a_coordinator_reads_what_was_kept_aside(qtbot, shell_factory, coordinator, db) -> None:  # type: ignore[no-untyped-def]
    _kept(db)
    _shell, screen = _screen(qtbot, shell_factory, "coord")
    assert screen.kept_box.isVisibleTo(screen) and screen.kept_list.count() == 1
    text = screen.kept_list.item(0).text()
    assert "Person" in text and "Sex" in text and "Estimated birth year" in text and "kept aside" in text
    assert "5d2f8a1c" not in text and "invalid" not in text  # no raw ids or codes in the words
    i18n.set_language("ar")
    screen.retranslate()
    assert "الجنس" in screen.kept_list.item(0).text()


def test_nothing_kept_aside_shows_no_box(qtbot, shell_factory, coordinator) -> None:  # type: ignore[no-untyped-def]
    _shell, screen = _screen(qtbot, shell_factory, "coord")
    assert not screen.kept_box.isVisibleTo(screen)


def test_a_receptionist_is_not_shown_them(qtbot, shell_factory, receptionist, db) -> None:  # type: ignore[no-untyped-def]
    _kept(db)
    _shell, screen = _screen(qtbot, shell_factory, "recep")
    assert not screen.kept_box.isVisibleTo(screen)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_screenshots_of_sync_and_settings(qtbot, shell_factory, coordinator, db, clock, lang) -> None:  # type: ignore[no-untyped-def]
    """The Sync screen with a record kept aside and the Settings screen with the nursery's
    places, at 1366×768, for people to look at (tests/results/screenshots)."""
    _kept(db)
    shell = shell_factory(lang=lang, clock=clock)
    main = sign_in(qtbot, shell, "coord")
    main.resize(1366, 768)
    main.show_section("sync")
    idle(qtbot, shell)
    _save(main, f"sync-kept-aside-{lang}")
    main.show_section("settings")
    idle(qtbot, shell)
    _save(main, f"settings-{lang}")
