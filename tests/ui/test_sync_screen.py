"""The Sync section against a real HQ subprocess: enroll, sync now, the status-bar indicator
turns ok, a conflict made by a second real desktop is shown and resolved (keep the other
value), and the resolution reaches HQ."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from jisr_desktop.db.connection import open_database
from jisr_desktop.services import registry
from jisr_desktop.services.context import Context
from jisr_desktop.sync import client as sync_client
from jisr_desktop.ui.sync_screen import SyncScreen
from tests.hq.conftest import _server
from tests.hq.hqkit import HqServer
from tests.sync.deskkit import Desk
from tests.ui.conftest import idle, sign_in


@pytest.fixture(scope="module")
def hq(request: pytest.FixtureRequest) -> Iterator[HqServer]:
    yield from _server("sqlite", request)


def _wait_sync(qtbot, shell, screen) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not screen.agent.busy, timeout=30_000)
    idle(qtbot, shell)


def test_enroll_sync_and_resolve_a_conflict(qtbot, shell_factory, coordinator, hq: HqServer,  # type: ignore[no-untyped-def]
                                            home: Path, tmp_path: Path) -> None:
    _code, codes = hq.new_center(codes=2)
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    screen = main.show_section("sync")
    assert isinstance(screen, SyncScreen)
    idle(qtbot, shell)
    assert screen.enroll_box.isVisible() and not screen.state_box.isVisible()

    qtbot.keyClicks(screen.server_edit, hq.base_url)
    qtbot.keyClicks(screen.code_edit, codes[0])
    qtbot.mouseClick(screen.enroll_button, Qt.MouseButton.LeftButton)
    _wait_sync(qtbot, shell, screen)
    assert screen.agent.last_failure is None
    assert main.sync_label.text() == "Sync: up to date"
    assert "#1b5e20" in main.sync_label.styleSheet()  # the ok colour
    assert screen.state_box.isVisible() and not screen.enroll_box.isVisible()
    assert screen.server_label.text() == hq.base_url
    assert screen.last_label.text() != "never" and screen.pending_label.text() == "0"

    # a second desktop of the center registers Amina; this one pulls her with "sync now"
    other = Desk.create(tmp_path / "other", "other", local_center=False)
    try:
        other.enroll(hq, codes[1])
        amina = registry.register_person(ctx=other.ctx(), data={
            "given_name_lat": "Amina", "family_name_lat": "Alaoui"})
        other.sync()
        qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
        _wait_sync(qtbot, shell, screen)
        # both edit her phone while apart: the other desktop syncs first
        db = open_database(home)
        try:
            registry.update_person(ctx=Context(db=db, user=coordinator), person_id=amina.id,
                                   data={"phone": "0611111111"})
        finally:
            db.close()
        registry.update_person(ctx=other.ctx(), person_id=amina.id, data={"phone": "0622222222"})
        other.sync()
        screen.refresh()
        idle(qtbot, shell)
        assert screen.pending_label.text() == "1"
        qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
        _wait_sync(qtbot, shell, screen)
        assert main.sync_label.text() == "Sync: done; 1 conflicts to review"
        assert screen.table.rowCount() == 1
        cells = [screen.table.item(0, j) for j in range(4)]
        label, field, kept, lost = (c.text() if c is not None else "" for c in cells)
        assert "Amina" in label and field == "phone"
        assert {kept, lost} == {"+212611111111", "+212622222222"}

        qtbot.mouseClick(screen.keep_loser, Qt.MouseButton.LeftButton)
        _wait_sync(qtbot, shell, screen)
        qtbot.waitUntil(lambda: screen.table.rowCount() == 0, timeout=10_000)
        assert main.sync_label.text() == "Sync: up to date"
        other.sync()
        assert other.db.execute("SELECT phone FROM person WHERE id = ?",
                                [amina.id]).fetchone()[0] == lost
        (conflict,) = other.conflicts().values()
        assert conflict[-1] == "keep_loser" and json.loads(conflict[5]) == lost
        assert sync_client.open_conflicts(other.db) == []
    finally:
        other.close()
