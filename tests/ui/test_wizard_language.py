"""Issue 13, point 7: the first-start wizard retranslates its own buttons at run time (they
kept Qt's Arabic words after switching to French) and its arrows point the way the pages go
in each direction (in Arabic "Next" pointed the wrong way)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from jisr_desktop.i18n import translate
from jisr_desktop.settings import Settings

B = QWizard.WizardButton


def _texts(wizard) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {name: wizard.button(button).text() for name, button in (
        ("back", B.BackButton), ("next", B.NextButton), ("cancel", B.CancelButton),
        ("finish", B.FinishButton))}


def test_wizard_buttons_follow_the_language_and_its_direction(qtbot, shell_factory, home) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory("ar")
    with qtbot.waitSignal(shell.wizard_shown, timeout=10_000):
        shell.start()
    wizard = shell.wizard
    qtbot.addWidget(wizard)
    assert wizard.layoutDirection() == Qt.LayoutDirection.RightToLeft
    # right to left: "Next" goes left (its arrow after the word, shown at its left end)
    assert _texts(wizard) == {"back": "→ " + translate("Back", "ar"), "next": translate("Next", "ar") + " ←",
                              "cancel": translate("Cancel", "ar"), "finish": translate("Finish", "ar")}
    assert translate("Next", "ar") != "Next"
    page = wizard.center_page
    page.language.setFocus()
    qtbot.keyClick(page.language, Qt.Key.Key_Down)  # Français
    assert page.language.currentData() == "fr"
    assert wizard.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert _texts(wizard) == {"back": "← Précédent", "next": "Suivant →", "cancel": "Annuler",
                              "finish": "Terminer"}
    assert page.title() == translate("Welcome to Jisr Desktop", "fr")
    assert Settings(home)["language"] == "fr"
    qtbot.keyClick(page.language, Qt.Key.Key_Down)  # English
    assert _texts(wizard)["next"] == "Next →"
