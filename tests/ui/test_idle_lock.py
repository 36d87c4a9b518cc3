"""Issue 13, point 4: the idle lock covers every window of the program, and the lock page
and the main window offer visible ways to lock, sign out and switch user."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import PASSWORD, sign_in


def _new_person_dialog(qtbot, main):  # type: ignore[no-untyped-def]
    screen = main.show_section("reception")
    screen.new_record()
    dialog = screen.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    field = dialog.form.inputs["given_name_ar"]
    qtbot.keyClicks(field, "Hind")
    return dialog, field


def test_lock_hides_an_open_dialog_and_unlock_brings_it_back(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    dialog, field = _new_person_dialog(qtbot, main)
    main.idle.set_timeout(50)
    with qtbot.waitSignal(main.locked_changed, timeout=5_000):
        pass
    main.idle.stop()
    assert main.is_locked()
    # nothing but the lock page can be used: the dialog is hidden (it went over the lock before)
    assert not dialog.isVisible()
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert visible == [main]
    qtbot.keyClicks(main.lock_form.password, PASSWORD)
    with qtbot.waitSignal(main.locked_changed, timeout=10_000):
        qtbot.keyClick(main.lock_form.password, Qt.Key.Key_Return)
    assert dialog.isVisible() and field.text() == "Hind"  # what was typed is kept


def test_visible_lock_and_sign_out_buttons(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    assert main.lock_button.isVisible() and main.lock_button.text() == "Lock the screen"
    assert main.sign_out_button.isVisible() and main.sign_out_button.text() == "Sign out"
    qtbot.mouseClick(main.lock_button, Qt.MouseButton.LeftButton)
    assert main.is_locked()
    assert not main.lock_button.isEnabled()  # the lock page is the only way on
    with qtbot.waitSignal(shell.login_shown, timeout=10_000):
        main.sign_out()


def test_switch_user_from_the_lock_page_leaves_nothing_behind(qtbot, shell_factory, receptionist, coordinator) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    dialog, _field = _new_person_dialog(qtbot, main)
    main.lock()
    switch = main.lock_form.switch_button
    assert switch is not None and switch.isVisible() and switch.text() == "Switch user"
    with qtbot.waitSignal(shell.login_shown, timeout=10_000):
        qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert shell.session.user is None and shell.main is None
    qtbot.waitUntil(lambda: not any(w.isVisible() and w is not shell.login
                                    for w in QApplication.topLevelWidgets()), timeout=5_000)
    assert not dialog.isVisible()
    login = shell.login
    assert login is not None
    qtbot.keyClicks(login.form.username, "coord")
    qtbot.keyClicks(login.form.password, PASSWORD)
    with qtbot.waitSignal(shell.main_shown, timeout=10_000):
        qtbot.mouseClick(login.form.button, Qt.MouseButton.LeftButton)
    assert shell.main.user.username == "coord"
    qtbot.addWidget(shell.main)
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [shell.main]
