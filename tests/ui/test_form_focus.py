"""Issue 13 (point 7): the New-person dialog opened from Reception starts in its first field;
saving a person says so; the person panel's heading names whose record it is."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import idle, sign_in


def test_new_person_dialog_starts_in_the_first_field(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    desk = main.show_section("reception")
    idle(qtbot, shell)
    qtbot.mouseClick(desk.register_button, Qt.MouseButton.LeftButton)
    dialog = desk.dialog
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    first = dialog.form.inputs["given_name_ar"]
    qtbot.waitUntil(lambda: dialog.focusWidget() is first, timeout=5_000)
    # Typing goes straight into it.
    qtbot.keyClicks(dialog.focusWidget(), "Hasnaa")
    assert first.text() == "Hasnaa"
