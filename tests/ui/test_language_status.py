"""Issue 13, point 7: the status bar's sync sentence follows a language switch."""

from __future__ import annotations

from jisr_desktop.i18n import _
from jisr_desktop.ui.language import apply_language
from jisr_desktop.ui.screens.sync import SyncAgent
from tests.ui.conftest import idle, sign_in


def test_sync_status_retranslates(qtbot, shell_factory, coordinator) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory("ar")
    main = sign_in(qtbot, shell, "coord")
    idle(qtbot, shell)
    agent = SyncAgent.of(shell.session)
    agent._indicator(lambda: _("Sync: HQ not reachable, will retry"), "warning")
    arabic = main.sync_label.text()
    assert arabic and arabic != "Sync: HQ not reachable, will retry"
    apply_language("fr")
    qtbot.waitUntil(lambda: main.sync_label.text() != arabic, timeout=5_000)
    assert main.sync_label.text() == _("Sync: HQ not reachable, will retry")
