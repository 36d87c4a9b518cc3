"""First run on an empty data root: the wizard creates the center and the first coordinator,
who then signs in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from jisr_desktop.db.connection import open_database
from jisr_desktop.services.center import current_center
from tests.ui.conftest import sign_in


def _next(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def test_wizard_creates_center_and_coordinator(qtbot, shell_factory, home) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    with qtbot.waitSignal(shell.wizard_shown, timeout=10_000):
        shell.start()
    wizard = shell.wizard
    qtbot.addWidget(wizard)
    page = wizard.center_page
    _next(qtbot, wizard)  # nothing typed: refused, with a message
    assert wizard.currentPage() is page
    assert page.error.text() == "Enter the center's name."
    qtbot.keyClicks(page.name_fr, "Espace Jisr Tiznit")
    qtbot.keyClicks(page.code, "tzn01")
    page.province.setFocus()
    qtbot.keyClicks(page.province, "Tiznit")
    assert page.province.currentText() == "Tiznit"
    _next(qtbot, wizard)
    account = wizard.account_page
    assert wizard.currentPage() is account
    qtbot.keyClicks(account.display_name, "Khadija")
    qtbot.keyClicks(account.username, "khadija")
    qtbot.keyClicks(account.password, "long password")
    qtbot.keyClicks(account.confirm, "long passwore")
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert account.error.text() == "The two passwords are different."
    account.confirm.clear()
    qtbot.keyClicks(account.confirm, "long password")
    with qtbot.waitSignal(shell.login_shown, timeout=10_000):
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    db = open_database(home)
    try:
        center = current_center(db)
        assert center is not None and center.code == "TZN01" and center.name_fr == "Espace Jisr Tiznit"
    finally:
        db.close()
    login = shell.login
    qtbot.keyClicks(login.form.username, "khadija")
    qtbot.keyClicks(login.form.password, "long password")
    with qtbot.waitSignal(shell.main_shown, timeout=10_000):
        qtbot.mouseClick(login.form.button, Qt.MouseButton.LeftButton)
    assert "accounts" in shell.main.section_keys()


def test_existing_center_goes_to_login(qtbot, shell_factory, coordinator) -> None:  # type: ignore[no-untyped-def]
    main = sign_in(qtbot, shell_factory(), "coord")
    assert main.windowTitle() == "Jisr Desktop"
