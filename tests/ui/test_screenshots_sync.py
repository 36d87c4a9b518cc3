"""Issue 13 (point 7): pictures of the Sync screen before any HQ is set (the guidance, and the
enrollment error on the page) at 1366x768, in Arabic and French."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import idle, sign_in
from tests.ui.test_screenshots import _save


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_sync_guidance_pictures(qtbot, shell_factory, coordinator, lang: str) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory(lang)
    main = sign_in(qtbot, shell, "coord")
    main.resize(1366, 768)
    main.show()
    screen = main.show_section("sync")
    idle(qtbot, shell)
    qtbot.mouseClick(screen.enroll_button, Qt.MouseButton.LeftButton)  # nothing typed
    assert screen.guide.isVisible() and screen.enroll_error.isVisible()
    assert main.height() <= 768
    _save(main, f"sync_guidance_{lang}")
