"""Issue 14 (point 9): pictures of the Reports screen at 1366x768, in Arabic and French: a
consent receipt for a person chosen by search (whom it is for said above the buttons, its
preview beside), and the card sheet limited to new or reprinted cards."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import choose, idle, sign_in
from tests.ui.test_screenshots import _save
from tests.unit.reports import scenario


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_reports_person_pictures(qtbot, shell_factory, coord_ctx, ctx, clock, lang: str) -> None:  # type: ignore[no-untyped-def]
    sc = scenario.build(coord_ctx, ctx, clock)
    shell = shell_factory(lang)
    main = sign_in(qtbot, shell, "coord")
    main.resize(1366, 768)
    main.show()
    screen = main.show_section("reports")
    screen.choose("consent")
    screen.language.setCurrentIndex(screen.language.findData(lang))
    _save(main, f"reports_person_none_{lang}")
    with qtbot.waitSignal(screen.picker.model.searched, timeout=10_000):
        qtbot.keyClicks(screen.picker.query, "sara")
    idle(qtbot, shell)
    choose(qtbot, screen.picker)
    assert sc.people["sara"].file_no in screen.who.text()
    with qtbot.waitSignal(screen.preview_ready, timeout=30_000):
        qtbot.mouseClick(screen.preview_button, Qt.MouseButton.LeftButton)
    assert main.height() <= 768
    assert screen.preview_button.isVisible() and screen.who.isVisible()
    _save(main, f"reports_person_{lang}")
    screen.choose("cards")
    screen.new_only.setChecked(True)
    with qtbot.waitSignal(screen.preview_ready, timeout=30_000):
        qtbot.mouseClick(screen.preview_button, Qt.MouseButton.LeftButton)
    _save(main, f"reports_cards_new_{lang}")
