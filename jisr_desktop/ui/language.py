"""Language of the running program: gettext language, Qt's own `qtbase` translation, layout
direction (right to left for Arabic), the bundled font, and run-time switching.

Every widget that shows text implements `retranslate()`; `RetranslateMixin` calls it when Qt
sends the `LanguageChange` event, which `apply_language` sends to every window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from jisr_desktop import i18n, paths

LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}  # each in its own language

log = logging.getLogger("jisr.ui")

FONT_FILES = ("Amiri-Regular.ttf", "Amiri-Bold.ttf")
FONT_POINT_SIZE = 11
QT_LOCALES = {"ar": QLocale(QLocale.Language.Arabic, QLocale.Country.Morocco),
              "fr": QLocale(QLocale.Language.French, QLocale.Country.Morocco),
              "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)}
_translator: QTranslator | None = None


class RetranslateMixin:
    """Calls `self.retranslate()` when the language changes (put it before the Qt class)."""

    def retranslate(self) -> None:  # pragma: no cover - every user overrides it
        pass

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]


def load_fonts(app: QApplication) -> str | None:
    """Register the bundled Amiri font (Arabic and Latin) and make it the program's font."""
    family = None
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(paths.resource("fonts", name)))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            family = families[0]
        else:
            log.warning("could not load the font %s", name)
    if family:
        font = QFont(family, FONT_POINT_SIZE)
        app.setFont(font)
    return family


def direction_for(lang: str) -> Qt.LayoutDirection:
    return Qt.LayoutDirection.RightToLeft if i18n.is_rtl(lang) else Qt.LayoutDirection.LeftToRight


def apply_language(lang: str) -> None:
    """Switch the whole program to `lang` now: catalogs, Qt's dialogs, direction, every window."""
    global _translator
    app = QApplication.instance()
    i18n.set_language(lang)
    QLocale.setDefault(QT_LOCALES[lang])
    if isinstance(app, QApplication):
        if _translator is not None:
            app.removeTranslator(_translator)
            _translator = None
        if lang != "en":
            translator = QTranslator(app)
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if translator.load(f"qtbase_{lang}", folder):
                app.installTranslator(translator)
                _translator = translator
            else:
                log.warning("Qt's own %s translation was not found in %s", lang, folder)
        app.setLayoutDirection(direction_for(lang))
        for window in app.topLevelWidgets():
            QCoreApplication.sendEvent(window, QEvent(QEvent.Type.LanguageChange))


def arrowed(text: str, *, forward: bool) -> str:
    """`text` with an arrow pointing the way it goes in the current direction: "Next →" in
    French, "التالي ←" in Arabic (shown "← التالي"); "← Back", "→ السابق". The arrows are
    ones the bidi algorithm never mirrors (unlike "<" and ">"), chosen for the direction."""
    rtl = i18n.is_rtl()
    if forward:
        return f"{text} {'←' if rtl else '→'}"
    return f"{'→' if rtl else '←'} {text}"


class LanguageChooser(QComboBox):
    """The languages, each named in itself (a person finds hers whatever is showing);
    choosing one switches the program at once (`apply_language`) and calls
    `remember(lang)` (which stores the setting).

    Signals: none besides QComboBox's.
    """

    def __init__(self, current: str, remember: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("languageChooser")
        for code, name in LANGUAGE_NAMES.items():
            self.addItem(name, code)
        self.setCurrentIndex(max(0, self.findData(current)))
        self._remember = remember
        self.currentIndexChanged.connect(self._chosen)

    def _chosen(self) -> None:
        lang = self.currentData()
        if lang is None or lang == i18n.current_language():
            return
        self._remember(lang)
        apply_language(lang)
