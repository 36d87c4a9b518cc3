"""The nursery's places in Settings: the center's number, changed by a coordinator of a center
not yet enrolled, shown read-only once HQ decides (issue 11, "nursery capacity stored with
the center")."""

from __future__ import annotations

from PySide6.QtCore import Qt

from jisr_desktop.db.center import current_center
from jisr_desktop.ui.screens.settings import SettingsScreen
from tests.ui.conftest import idle, sign_in


def _settings(qtbot, shell_factory, username: str) -> tuple[object, SettingsScreen]:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, username)
    screen = main.show_section("settings")
    assert isinstance(screen, SettingsScreen)
    idle(qtbot, shell)
    return shell, screen


def test_a_coordinator_sets_the_center_places(qtbot, shell_factory, coordinator, db) -> None:  # type: ignore[no-untyped-def]
    shell, screen = _settings(qtbot, shell_factory, "coord")
    assert screen.places.isEnabled() and screen.places.value() == 30
    screen.places.selectAll()
    qtbot.keyClicks(screen.places, "12")
    qtbot.keyClick(screen.places, Qt.Key.Key_Return)
    idle(qtbot, shell)
    assert current_center(db).nursery_capacity == 12
    assert "12" in screen.message.text()


def test_a_receptionist_sees_the_places_without_changing_them(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    _shell, screen = _settings(qtbot, shell_factory, "recep")
    assert not screen.places.isEnabled() and screen.places.value() == 30


def test_an_enrolled_center_shows_hq_places(qtbot, shell_factory, coordinator, db) -> None:  # type: ignore[no-untyped-def]
    db.execute("UPDATE center SET nursery_capacity = 7")
    db.execute("UPDATE sync_state SET device_id = 'd1', device_secret = 's' WHERE id = 1")
    _shell, screen = _settings(qtbot, shell_factory, "coord")
    assert not screen.places.isEnabled() and screen.places.value() == 7
    assert "HQ" in screen.places_note.text()
