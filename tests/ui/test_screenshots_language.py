"""Issue 13 (point 7): pictures of the first-start wizard in Arabic (its "Next" arrow points
left, the way the pages go) and French, and of the login screen with its language switch."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWizard

from jisr_desktop.i18n import translate
from tests.ui.test_screenshots import _save


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_wizard_pictures(qtbot, shell_factory, home, lang: str) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory(lang)
    with qtbot.waitSignal(shell.wizard_shown, timeout=10_000):
        shell.start()
    wizard = shell.wizard
    qtbot.addWidget(wizard)
    assert translate("Next", lang) in wizard.button(QWizard.WizardButton.NextButton).text()
    _save(wizard, f"wizard_{lang}")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_login_pictures(qtbot, shell_factory, receptionist, lang: str) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory(lang)
    with qtbot.waitSignal(shell.login_shown, timeout=10_000):
        shell.start()
    login = shell.login
    qtbot.addWidget(login)
    login.resize(640, 420)
    assert login.form.language is not None and login.form.language.isVisible()
    _save(login, f"login_{lang}")
