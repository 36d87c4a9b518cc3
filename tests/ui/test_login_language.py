"""Issue 13, point 7: the login screen has a language switch; choosing a language retranslates
the screen at once (and its direction), is remembered for the next start, and signing in
carries it into the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt

from jisr_desktop.i18n import translate
from jisr_desktop.settings import Settings
from tests.ui.conftest import PASSWORD


def test_login_language_switch_is_immediate_and_remembered(qtbot, shell_factory, receptionist, home) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory("ar")
    with qtbot.waitSignal(shell.login_shown, timeout=10_000):
        shell.start()
    login = shell.login
    qtbot.addWidget(login)
    form = login.form
    assert form.language is not None and form.language.currentData() == "ar"
    assert form.title.text() == translate("Sign in to Jisr Desktop", "ar") != "Sign in to Jisr Desktop"
    assert form.username.hasFocus() or form.username is login.focusWidget()
    qtbot.keyClicks(form.username, "recep")
    form.language.setFocus()
    qtbot.keyClick(form.language, Qt.Key.Key_Down)  # العربية → Français
    assert form.language.currentData() == "fr"
    assert form.title.text() == "Connexion à Jisr Desktop" or \
        form.title.text() == translate("Sign in to Jisr Desktop", "fr")
    assert form.title.text() != translate("Sign in to Jisr Desktop", "ar")
    assert form.button.text() == translate("Sign in", "fr") != "Sign in"
    assert form.language_label is not None and form.language_label.text() == "Langue"
    assert login.windowTitle() == translate("Jisr Desktop — sign in", "fr")
    assert login.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert form.username.text() == "recep"  # what was typed stays
    assert Settings(home)["language"] == "fr"
    qtbot.keyClicks(form.password, PASSWORD)
    with qtbot.waitSignal(shell.main_shown, timeout=10_000):
        qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
    main = shell.main
    qtbot.addWidget(main)
    assert main.nav.item(main.section_keys().index("people")).text() == translate("People and families", "fr")


def test_the_lock_page_has_no_language_switch(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.conftest import sign_in

    main = sign_in(qtbot, shell_factory("fr"), "recep")
    assert main.lock_form.language is None  # the signed-in person's language stays
