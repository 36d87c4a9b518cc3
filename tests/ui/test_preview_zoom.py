"""Issue 13, point 5: the report preview is fitted to its panel's width, with zoom in and out.
It showed the pages at a fixed 60 dpi, a narrow strip in a wide panel at 1366x768."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt

from jisr_desktop.ui.screens.reports import ZOOM_STEP, ReportsScreen
from tests.ui.conftest import sign_in
from tests.unit.reports import scenario


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_preview_fits_the_panel_and_zooms(qtbot, shell_factory, coord_ctx, ctx, clock,  # type: ignore[no-untyped-def]
                                          lang: str) -> None:
    scenario.build(coord_ctx, ctx, clock)
    main = sign_in(qtbot, shell_factory(lang), "coord")
    main.resize(1366, 768)
    main.show()
    screen = main.show_section("reports")
    assert isinstance(screen, ReportsScreen)
    screen.choose("nursery")
    screen.day.setDate(QDate(2026, 11, 2))
    assert not screen.zoom_in_button.isEnabled()  # nothing to zoom yet
    with qtbot.waitSignal(screen.preview_ready, timeout=30_000):
        qtbot.mouseClick(screen.preview_button, Qt.MouseButton.LeftButton)
    area = screen.page_area
    page = screen.page_labels[0]
    viewport = area.viewport().width()
    # fitted: the page fills the panel's width (inside its margins), no sideways scroll
    qtbot.waitUntil(lambda: viewport - 40 <= page.width() <= viewport, timeout=3_000)
    assert not area.horizontalScrollBar().isVisible()
    fitted = page.width()
    assert page.pixmap().width() == fitted - 2
    qtbot.mouseClick(screen.zoom_in_button, Qt.MouseButton.LeftButton)
    assert abs(page.width() - 2 - (fitted - 2) * ZOOM_STEP) <= 2
    qtbot.waitUntil(area.horizontalScrollBar().isVisible, timeout=3_000)  # wider than the panel
    qtbot.mouseClick(screen.zoom_out_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.zoom_out_button, Qt.MouseButton.LeftButton)
    assert page.width() < fitted
    assert screen.zoom_fit_button.isEnabled()
    qtbot.mouseClick(screen.zoom_fit_button, Qt.MouseButton.LeftButton)
    assert page.width() == fitted and not screen.zoom_fit_button.isEnabled()
    # a narrower window: the page follows the panel
    main.resize(1100, 700)
    qtbot.waitUntil(lambda: page.width() < fitted, timeout=3_000)
    assert page.width() <= area.viewport().width()
