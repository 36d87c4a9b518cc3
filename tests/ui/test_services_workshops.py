"""Workshops and the elderly club driven by mouse and keyboard: a session's attendance marked,
enrollment beyond capacity into the waitlist, a club member scanned in with an expired card."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from jisr_desktop.services import cards, club, registry, workshops
from jisr_desktop.ui.screens.elderly import ElderlyClubScreen
from jisr_desktop.ui.screens.workshops import WorkshopsScreen
from tests.ui.conftest import choose, idle, sign_in


def _person(system_ctx, given: str, **data):  # type: ignore[no-untyped-def]
    return registry.register_person(ctx=system_ctx, data={"given_name_lat": given, "family_name_lat": "Bennani", **data})


@pytest.fixture
def sewing(system_ctx, coord_ctx, clock):  # type: ignore[no-untyped-def]
    w = workshops.save_workshop(ctx=coord_ctx, data={"category_code": "crafts", "title": "Sewing",
                                                     "trainer": "Mme Alaoui", "capacity": 3})
    s = workshops.add_session(ctx=coord_ctx, workshop_id=w.id, starts_at=clock.current,
                              ends_at=clock.current + timedelta(hours=2))
    people = [_person(system_ctx, name) for name in ("Amal", "Btissam", "Chaimae")]
    for p in people:
        workshops.enroll_participant(ctx=coord_ctx, workshop_id=w.id, person_id=p.id)
    return w, s, people


def _shell(shell_factory, clock):  # type: ignore[no-untyped-def]
    shell = shell_factory()
    shell.session.clock = clock
    return shell


def _open_workshop(qtbot, main, workshop_id: str, session_id: str) -> WorkshopsScreen:  # type: ignore[no-untyped-def]
    screen = main.show_section("workshops")
    assert isinstance(screen, WorkshopsScreen)
    qtbot.waitUntil(lambda: screen.list_model.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(screen.sheet_loaded, timeout=10_000):
        screen.select_workshop(workshop_id)
    assert screen.session_combo.currentData() == session_id
    return screen


def test_marking_a_session_attendance(qtbot, shell_factory, receptionist, sewing, db, clock) -> None:  # type: ignore[no-untyped-def]
    w, s, people = sewing
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "recep")
    screen = _open_workshop(qtbot, main, w.id, s.id)
    assert not screen.new_button.isVisible() and screen.mark_buttons["present"].isVisible()
    assert [r.status for r in screen.sheet.rows] == [None, None, None]
    screen.sheet_table.selectRow(0)
    with qtbot.waitSignal(screen.sheet_loaded, timeout=10_000):
        qtbot.mouseClick(screen.mark_buttons["present"], Qt.MouseButton.LeftButton)
    # the next row is selected for the next mark
    assert screen.sheet_table.currentIndex().row() == 1
    # excused needs a reason: refused without, accepted with
    qtbot.mouseClick(screen.mark_buttons["excused"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.message.text() != "", timeout=10_000)
    qtbot.keyClicks(screen.reason, "sick child")
    with qtbot.waitSignal(screen.sheet_loaded, timeout=10_000):
        qtbot.mouseClick(screen.mark_buttons["excused"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(screen.sheet_loaded, timeout=10_000):
        qtbot.mouseClick(screen.mark_buttons["late"], Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    by_person = {r.person_id: (r.status, r.reason) for r in screen.sheet.rows}
    assert by_person == {people[0].id: ("present", ""), people[1].id: ("excused", "sick child"),
                         people[2].id: ("late", "")}
    assert screen.sheet_model.data(screen.sheet_model.index(1, 1)) == "Excused"
    assert db.execute("SELECT count(*) FROM attendance WHERE session_id = ?", [s.id]).fetchone()[0] == 3


def test_workshop_enrollment_beyond_capacity_goes_to_the_waitlist(qtbot, shell_factory, coordinator, sewing,  # type: ignore[no-untyped-def]
                                                                  system_ctx, db, clock) -> None:
    w, s, _ = sewing
    fourth = _person(system_ctx, "Dounia")
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "coord")
    screen = _open_workshop(qtbot, main, w.id, s.id)
    with qtbot.waitSignal(screen.enroll_picker.model.searched, timeout=10_000):
        qtbot.keyClicks(screen.enroll_picker.query, "Dounia")
    choose(qtbot, screen.enroll_picker)
    assert screen.enroll_picker.current_id() == fourth.id
    with qtbot.waitSignal(screen.enrolled, timeout=10_000) as enrolled:
        qtbot.mouseClick(screen.enroll_button, Qt.MouseButton.LeftButton)
    assert enrolled.args[0].waitlisted
    assert "waitlist, place 1" in screen.enroll_message.text()
    qtbot.waitUntil(lambda: screen.participants.rowCount() == 4, timeout=10_000)
    idle(qtbot, shell)
    assert screen.participants.data(screen.participants.index(3, 1)) == "Waitlist, place 1"


def test_club_member_scanned_in_with_expired_membership(qtbot, shell_factory, receptionist, coord_ctx,  # type: ignore[no-untyped-def]
                                                        system_ctx, db, clock) -> None:
    elder = _person(system_ctx, "Hajja", birth_date=date(1950, 1, 1), sex="F")
    club.enroll_member(ctx=coord_ctx, person_id=elder.id, start_date=date(2025, 11, 1),
                       end_date=date(2026, 10, 31), emergency_name="Son", emergency_phone="0661234567")
    code = cards.card_of(ctx=coord_ctx, person_id=elder.id, service="club").code
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "recep")
    screen = main.show_section("elderly")
    assert isinstance(screen, ElderlyClubScreen)
    with qtbot.waitSignal(screen.day_loaded, timeout=10_000), \
            qtbot.waitSignal(screen.scan.arrived, timeout=10_000) as arrived:
        qtbot.keyClicks(screen.scan.code, code)
        qtbot.keyClick(screen.scan.code, Qt.Key.Key_Return)
    assert arrived.args[0].checked_in and "expired" in screen.scan.alerts.text()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1 and screen.rows[0].present, timeout=10_000)
    assert screen.model.data(screen.model.index(0, 2)).startswith("⚠")
    assert screen.choose(elder.id)
    with qtbot.waitSignal(screen.day_loaded, timeout=10_000):
        qtbot.mouseClick(screen.check_out_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    assert screen.rows[0].time_out is not None and "0 members here now" in screen.summary.text()
