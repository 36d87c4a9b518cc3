"""The main window's frame: shortcuts, status bar, sign out, calm messages for bugs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from jisr_desktop.errors import JisrError
from jisr_desktop.i18n import N_
from jisr_desktop.ui.dialogs import Dialogs, show_error
from jisr_desktop.ui.style import tone_of
from tests.ui.conftest import PASSWORD, idle, sign_in


def test_sync_state_area(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    main = sign_in(qtbot, shell_factory(), "recep")
    assert main.sync_label.text() == "Sync: not yet connected"
    main.set_sync_state("Synced 2 minutes ago", "ok")
    assert main.sync_label.text() == "Synced 2 minutes ago"
    assert tone_of(main.sync_label) == "ok"  # green (jisr_desktop/ui/style.py)
    main.set_sync_state("Sync: failed", "error")
    assert tone_of(main.sync_label) == "error"
    main.set_sync_state("Synced 2 minutes ago", "ok")
    main.retranslate()  # a language change keeps what the sync area said
    assert main.sync_label.text() == "Synced 2 minutes ago"


def test_shortcuts_reach_search_and_new_person(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    main = sign_in(qtbot, shell_factory(), "recep")
    shortcuts = {name: action.shortcut().toString() for name, action in main.actions_by_name.items()}
    assert shortcuts["search"] == "Ctrl+F" and shortcuts["new_person"] == "Ctrl+N"
    assert shortcuts["refresh"] == "F5" and shortcuts["lock"] == "Ctrl+L"
    people = main.show_section("people")
    main.activateWindow()
    main.actions_by_name["search"].trigger()
    assert people.picker.query.hasFocus() or main.focusWidget() is people.picker.query
    main.actions_by_name["new_person"].trigger()
    assert type(people.panel).__name__ == "PersonForm"


def test_sign_out_returns_to_login(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    with qtbot.waitSignal(shell.login_shown, timeout=10_000):
        main.actions_by_name["sign_out"].trigger()
    assert shell.session.user is None
    form = shell.login.form
    qtbot.keyClicks(form.username, "recep")
    qtbot.keyClicks(form.password, PASSWORD)
    with qtbot.waitSignal(shell.main_shown, timeout=10_000):
        qtbot.keyClick(form.password, Qt.Key.Key_Return)
    idle(qtbot, shell)


def test_bugs_are_shown_calmly_and_known_errors_with_their_message(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(Dialogs, "error", classmethod(lambda cls, p, t, text: shown.append(text)))
    show_error(None, KeyError("person_fts"))
    show_error(None, JisrError(N_("The record was not found.")))
    assert shown == ["An unexpected error happened; details are in the log file.",
                     "The record was not found."]
    assert "Traceback" not in shown[0] and "person_fts" not in shown[0]


@pytest.mark.parametrize("role_fixture", ["receptionist", "coordinator"])
def test_idle_minutes_only_for_coordinators(qtbot, shell_factory, request, role_fixture) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(role_fixture)
    main = sign_in(qtbot, shell_factory(), user.username)
    settings = main.show_section("settings")
    assert settings.idle.isEnabled() == (role_fixture == "coordinator")
    if role_fixture == "coordinator":
        settings.idle.setValue(3)
        assert main.idle.timeout_ms == 3 * 60_000 and main.idle.timer.isActive()
        settings.idle.setValue(0)  # never lock
        assert not main.idle.timer.isActive()
        assert main.session.settings["idle_lock_minutes"] == 0
