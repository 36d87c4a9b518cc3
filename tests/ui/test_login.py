"""Signing in: a wrong password is refused with a message, the right one opens the window;
the idle lock asks for the password again; roles decide what can be reached."""

from __future__ import annotations

from PySide6.QtCore import Qt

from jisr_desktop.i18n import translate
from tests.ui.conftest import PASSWORD, idle, sign_in


def test_wrong_then_right_password(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    with qtbot.waitSignal(shell.login_shown, timeout=10_000):
        shell.start()
    form = shell.login.form
    assert (form.username_label.text(), form.password_label.text()) == ("User name", "Password")
    assert form.username_label.isVisible() and form.username.hasFocus()
    qtbot.keyClicks(form.username, "recep")
    qtbot.keyClicks(form.password, "not the password")
    with qtbot.waitSignal(form.failed, timeout=10_000) as failed:
        qtbot.keyClick(form.password, Qt.Key.Key_Return)
    assert failed.args == [translate("Wrong user name or password.")]
    assert form.message.text() == "Wrong user name or password."
    assert shell.main is None and form.password.text() == ""
    qtbot.keyClicks(form.password, PASSWORD)
    with qtbot.waitSignal(shell.main_shown, timeout=10_000):
        qtbot.keyClick(form.password, Qt.Key.Key_Return)
    assert shell.main.user.username == "recep"
    assert "Recep" in shell.main.user_label.text()


def test_repeated_failures_slow_down(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    with qtbot.waitSignal(shell.login_shown, timeout=10_000):
        shell.start()
    form = shell.login.form
    qtbot.keyClicks(form.username, "recep")
    for _attempt in range(4):
        qtbot.keyClicks(form.password, "bad")
        with qtbot.waitSignal(form.failed, timeout=10_000):
            qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
    assert "Wait" in form.message.text()


def test_receptionist_cannot_reach_account_management(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    main = sign_in(qtbot, shell_factory(), "recep")
    assert "accounts" not in main.section_keys()
    assert "reception" in main.section_keys()
    texts = [main.nav.item(i).text() for i in range(main.nav.count())]
    assert "Accounts" not in texts
    for i in range(main.nav.count()):
        qtbot.keyClick(main, Qt.Key(Qt.Key.Key_1 + i), Qt.KeyboardModifier.AltModifier)
    assert not any(type(s).__name__ == "AccountsScreen" for s in main.screens.values())


def test_coordinator_manages_accounts(qtbot, shell_factory, coordinator, receptionist) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    assert "accounts" in main.section_keys()
    screen = main.show_section("accounts")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=10_000)
    qtbot.keyClicks(screen.username, "amina")
    qtbot.keyClicks(screen.display_name, "Amina")
    qtbot.keyClicks(screen.password, "long enough 1")
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    assert screen.model.rowCount() == 3
    assert screen.message.text() == "The account was created."


def test_idle_lock_and_unlock(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    main.idle.set_timeout(50)
    with qtbot.waitSignal(main.locked_changed, timeout=5_000) as locked:
        pass
    assert locked.args == [True] and main.is_locked()
    main.idle.stop()
    qtbot.keyClicks(main.lock_form.password, "bad password")
    with qtbot.waitSignal(main.lock_form.failed, timeout=10_000):
        qtbot.keyClick(main.lock_form.password, Qt.Key.Key_Return)
    assert main.is_locked()
    qtbot.keyClicks(main.lock_form.password, PASSWORD)
    with qtbot.waitSignal(main.locked_changed, timeout=10_000) as unlocked:
        qtbot.keyClick(main.lock_form.password, Qt.Key.Key_Return)
    assert unlocked.args == [False] and not main.is_locked()


def test_ctrl_l_locks(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    main = sign_in(qtbot, shell_factory(), "recep")
    main.activateWindow()
    main.actions_by_name["lock"].trigger()
    assert main.is_locked()
