"""Issue 13, point 5: every section fits a 1366x768 screen, in Arabic and French, for a
receptionist and a coordinator. Opening Awareness campaigns grew the window to 1180x882
(its form raised the stacked pages' minimum height) and it stayed so for every section."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QScrollArea,
    QWidget,
)

from tests.ui.conftest import idle, sign_in

SCREEN = QRect(0, 0, 1366, 768)
CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox)


@pytest.mark.parametrize("lang", ["ar", "fr"])
@pytest.mark.parametrize("username", ["recep", "coord"])
def test_every_section_fits_1366x768(qtbot, shell_factory, receptionist, coordinator,  # type: ignore[no-untyped-def]
                                     lang: str, username: str) -> None:
    shell = shell_factory(lang)
    main = sign_in(qtbot, shell, username)
    main.resize(1366, 768)
    main.show()
    for key in main.section_keys():
        screen = main.show_section(key)
        idle(qtbot, shell)
        qtbot.waitUntil(screen.isVisible, timeout=5_000)
        size = main.size()
        assert size.width() <= SCREEN.width() and size.height() <= SCREEN.height(), (key, size)
        holder = main.pages.currentWidget()
        assert isinstance(holder, QScrollArea)
        # long pages scroll up and down; nothing ever needs a sideways scroll (once the
        # layout requests posted by showing the screen have run)
        bar = holder.horizontalScrollBar()
        qtbot.waitUntil(lambda bar=bar: not bar.isVisible(), timeout=2_000)
        window = QRect(QPoint(0, 0), main.size())
        for control in screen.findChildren(QWidget):
            if not isinstance(control, CONTROLS) or not control.isVisibleTo(main) or control.window() is not main:
                continue
            left = control.mapTo(main, QPoint(0, 0)).x()
            assert left >= 0 and left + control.width() <= window.width(), \
                (key, control.objectName() or type(control).__name__, left, control.width())
