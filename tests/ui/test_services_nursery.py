"""The nursery board driven by keyboard and mouse: a morning of scanned check-ins, an alert
acknowledged, a refused pick-up overridden by a coordinator, enrollment into the waitlist."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from jisr_desktop.services import cards, nursery, registry
from jisr_desktop.ui.screens.nursery import CheckOutDialog, EnrollChildDialog, NurseryScreen
from tests.ui.conftest import PASSWORD, choose, idle, sign_in


def _child(system_ctx, given: str, **data):  # type: ignore[no-untyped-def]
    return registry.register_person(ctx=system_ctx, data={
        "given_name_lat": given, "family_name_lat": "Amrani", "birth_date": date(2025, 1, 15), **data})


@pytest.fixture
def morning(system_ctx, coord_ctx):  # type: ignore[no-untyped-def]
    """Three enrolled children (one with an allergy), their cards, and an authorised aunt."""
    kids = [_child(system_ctx, name) for name in ("Adam", "Sara", "Yanis")]
    nursery.enroll_child(ctx=coord_ctx, child_id=kids[0].id)
    nursery.enroll_child(ctx=coord_ctx, child_id=kids[1].id, allergies="peanuts",
                         pickups=[{"name": "Aunt Khadija", "cin": "K45678", "phone": "0612345678",
                                   "relationship": "aunt"}])
    nursery.enroll_child(ctx=coord_ctx, child_id=kids[2].id)
    codes = [cards.card_of(ctx=coord_ctx, person_id=k.id, service="nursery").code for k in kids]
    return kids, codes


def _shell(shell_factory, clock):  # type: ignore[no-untyped-def]
    """The program on the tests' clock, so that its "today" is the day the fixtures wrote."""
    shell = shell_factory()
    shell.session.clock = clock
    return shell


def _open(qtbot, main) -> NurseryScreen:  # type: ignore[no-untyped-def]
    screen = main.show_section("nursery")
    assert isinstance(screen, NurseryScreen)
    return screen


def _scan(qtbot, screen: NurseryScreen, code: str):  # type: ignore[no-untyped-def]
    """A USB scanner types the code (here in lower case with spaces) and presses Enter."""
    with qtbot.waitSignal(screen.scan.arrived, timeout=10_000) as arrived:
        qtbot.keyClicks(screen.scan.code, f" {code.lower()} ")
        qtbot.keyClick(screen.scan.code, Qt.Key.Key_Return)
    return arrived.args[0]


def test_morning_check_in_by_scanning_and_alert_acknowledged(qtbot, shell_factory, receptionist, morning, db, clock) -> None:  # type: ignore[no-untyped-def]
    _kids, codes = morning
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "recep")
    screen = _open(qtbot, main)
    assert not screen.enroll_button.isVisible() and not screen.waitlist_table.isVisible()
    first = _scan(qtbot, screen, codes[0])
    assert first.checked_in and screen.scan.code.text() == ""
    assert "Adam Amrani" in screen.scan.name.text() and not screen.scan.ack_button.isVisible()
    second = _scan(qtbot, screen, codes[1])
    assert second.needs_ack and "peanuts" in screen.scan.alerts.text()
    assert screen.scan.ack_button.isVisible()
    with qtbot.waitSignal(screen.scan.acknowledged, timeout=10_000):
        qtbot.mouseClick(screen.scan.ack_button, Qt.MouseButton.LeftButton)
    assert not screen.scan.ack_button.isVisible()
    assert db.execute("SELECT count(*) FROM alert_ack").fetchone()[0] == 1
    _scan(qtbot, screen, codes[2])
    again = _scan(qtbot, screen, codes[0])   # the same card twice: no second event
    assert again.already
    with qtbot.waitSignal(screen.board_loaded, timeout=10_000):
        screen.refresh()
    idle(qtbot, shell)
    assert db.execute("SELECT count(*) FROM check_in").fetchone()[0] == 3
    assert len(screen.board.present) == 3
    assert "3 children still here" in screen.summary.text()
    assert not any(r.needs_ack for r in screen.board.rows)


def test_refused_pickup_then_coordinator_override(qtbot, shell_factory, receptionist, coordinator,  # type: ignore[no-untyped-def]
                                                  morning, ctx, db, clock) -> None:
    kids, _ = morning
    nursery.check_in_child(ctx=ctx, child_id=kids[1].id)
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "recep")
    screen = _open(qtbot, main)
    qtbot.waitUntil(lambda: screen.board is not None, timeout=10_000)
    assert screen.select_child(kids[1].id)
    qtbot.mouseClick(screen.check_out_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert isinstance(dialog, CheckOutDialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=10_000)
    assert "Aunt Khadija" in dialog.list.item(0).text()
    # An uncle who is not on the list is refused.
    qtbot.keyClicks(dialog.name, "Uncle Omar")
    qtbot.keyClicks(dialog.cin, "X999")
    with qtbot.waitSignal(dialog.refused, timeout=10_000):
        qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    assert dialog.override.isVisible() and "not authorised" in dialog.message.text()
    assert db.execute("SELECT count(*) FROM check_out").fetchone()[0] == 0
    # The coordinator comes to the desk, writes the reason and signs with their account.
    qtbot.keyClicks(dialog.reason, "Mother phoned; uncle showed his CIN")
    qtbot.keyClicks(dialog.user, "coord")
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.checked_out, timeout=10_000) as done:
        qtbot.mouseClick(dialog.override_button, Qt.MouseButton.LeftButton)
    assert done.args[0].overridden
    row = db.execute("SELECT override_by, override_reason, by_name, recorded_by FROM check_out").fetchone()
    assert row == (coordinator.id, "Mother phoned; uncle showed his CIN", "Uncle Omar", coordinator.id)
    with qtbot.waitSignal(screen.board_loaded, timeout=10_000):
        screen.refresh()
    idle(qtbot, shell)
    assert screen.board.present == []


def test_enrolling_beyond_capacity_goes_to_the_waitlist(qtbot, home, shell_factory, coordinator, system_ctx, db, clock) -> None:  # type: ignore[no-untyped-def]
    nursery.set_nursery_capacity(ctx=system_ctx, places=1)
    kids = [_child(system_ctx, name) for name in ("Ilyas", "Nour")]
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "coord")
    screen = _open(qtbot, main)
    assert screen.enroll_button.isVisible()
    for kid in kids:
        qtbot.mouseClick(screen.enroll_button, Qt.MouseButton.LeftButton)
        dialog = screen.dialog
        assert isinstance(dialog, EnrollChildDialog)
        with qtbot.waitSignal(dialog.picker.model.searched, timeout=10_000):
            qtbot.keyClicks(dialog.picker.query, kid.given_name_lat)
        choose(qtbot, dialog.picker)
        assert dialog.picker.current_id() == kid.id
        with qtbot.waitSignal(screen.waitlist_loaded, timeout=10_000), \
                qtbot.waitSignal(dialog.enrolled, timeout=10_000) as enrolled:
            qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
        idle(qtbot, shell)
    assert enrolled.args[0].waitlisted and enrolled.args[0].waitlist_position == 1
    assert screen.waitlist.rowCount() == 1
    assert screen.waitlist.data(screen.waitlist.index(0, 1)) == "Nour Amrani"
    statuses = db.execute("SELECT person_id, status FROM enrollment ORDER BY requested_at").fetchall()
    assert statuses == [(kids[0].id, "active"), (kids[1].id, "waitlisted")]
