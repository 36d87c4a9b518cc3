"""Issue 13: pictures of the lock page (with Switch user) and of Awareness campaigns at
1366x768, in Arabic and French (docs/screenshots/; a real window under Xvfb)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import idle, sign_in
from tests.ui.test_screenshots import _save


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_lock_and_campaigns_pictures(qtbot, shell_factory, coordinator, lang: str) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory(lang)
    main = sign_in(qtbot, shell, "coord")
    main.resize(1366, 768)
    main.show()
    main.show_section("campaigns")
    idle(qtbot, shell)
    assert main.height() <= 768
    _save(main, f"campaigns_1366_{lang}")
    main.lock()
    _save(main, f"lock_{lang}")
