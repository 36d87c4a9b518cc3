"""The nursery and club boards' tools, driven by keyboard and mouse: the authorised pick-up
list managed by a coordinator, a member card shown, reprinted (the old code stops working)
and printed, and a wrong check-in or check-out corrected as a new event."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from jisr_desktop.domain.nursery import PickupClaim
from jisr_desktop.i18n import translate
from jisr_desktop.services import cards, club, nursery, registry, workshops
from jisr_desktop.ui.language import apply_language
from jisr_desktop.ui.screens.cards import MemberCardDialog
from jisr_desktop.ui.screens.corrections import CorrectionDialog
from jisr_desktop.ui.screens.elderly import ElderlyClubScreen
from jisr_desktop.ui.screens.nursery import NurseryScreen
from jisr_desktop.ui.screens.pickups import PickupsDialog
from jisr_desktop.ui.screens.workshops import WorkshopsScreen
from tests.ui.conftest import choose, idle, sign_in


@pytest.fixture
def kid(system_ctx, coord_ctx):  # type: ignore[no-untyped-def]
    """An enrolled child with a guardian (a registered mother)."""
    mother = registry.register_person(ctx=system_ctx, data={"given_name_lat": "Hafsa", "family_name_lat": "Alami",
                                                           "sex": "F", "birth_date": date(1995, 2, 2)})
    child = registry.register_person(ctx=system_ctx, data={"given_name_lat": "Rayan", "family_name_lat": "Alami",
                                                          "birth_date": date(2025, 4, 10)})
    nursery.enroll_child(ctx=coord_ctx, child_id=child.id, guardian_ids=[mother.id])
    return child, mother


def _shell(shell_factory, clock):  # type: ignore[no-untyped-def]
    shell = shell_factory()
    shell.session.clock = clock
    return shell


def _board(qtbot, shell, main) -> NurseryScreen:  # type: ignore[no-untyped-def]
    screen = main.show_section("nursery")
    assert isinstance(screen, NurseryScreen)
    idle(qtbot, shell)
    return screen


def _click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# --- pick-up list ------------------------------------------------------------------------------

def test_coordinator_manages_the_pickup_list(qtbot, qtmodeltester, shell_factory, coordinator, kid,  # type: ignore[no-untyped-def]
                                             system_ctx, ctx, db, clock) -> None:
    child, _mother = kid
    grandfather = registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Driss", "family_name_lat": "Alami", "sex": "M", "birth_date": date(1955, 1, 1)})
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "coord")
    screen = _board(qtbot, shell, main)
    assert screen.pickups_button.isVisible()
    assert screen.select_child(child.id)
    _click(qtbot, screen.pickups_button)
    dialog = screen.dialog
    assert isinstance(dialog, PickupsDialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10_000)
    assert dialog.model.data(dialog.model.index(0, 0)) == "Hafsa Alami"
    assert dialog.model.data(dialog.model.index(0, 1)) == "Guardian"
    # A registered person, found by name, with the relationship typed.
    qtbot.keyClicks(dialog.relationship, "grandfather")
    with qtbot.waitSignal(dialog.picker.model.searched, timeout=10_000):
        qtbot.keyClicks(dialog.picker.query, "Driss")
    choose(qtbot, dialog.picker)
    assert dialog.picker.current_id() == grandfather.id
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        _click(qtbot, dialog.add_person_button)
    assert dialog.model.rowCount() == 2 and dialog.relationship.text() == ""
    # Someone not registered: the missing fields are named beside them, nothing is written.
    qtbot.keyClicks(dialog.name, "Salma Bennis")
    _click(qtbot, dialog.add_other_button)
    qtbot.waitUntil(lambda: dialog.messages["cin"].isVisible(), timeout=10_000)
    assert dialog.messages["cin"].text() == "Enter the CIN of the person."
    assert dialog.messages["phone"].isVisible() and dialog.messages["relationship"].isVisible()
    assert not dialog.messages["name"].isVisible()
    qtbot.keyClicks(dialog.cin, "bk 123456")
    qtbot.keyClicks(dialog.relationship, "neighbour")
    qtbot.keyClicks(dialog.phone, "06 61 22 33 44")
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)  # Enter adds
    assert not dialog.messages["cin"].isVisible()
    rows = db.execute("SELECT name, cin, phone, relationship, person_id FROM pickup_authorisation"
                      " WHERE deleted = 0 AND is_guardian = 0 ORDER BY created_at").fetchall()
    assert rows == [("", None, None, "grandfather", grandfather.id),
                    ("Salma Bennis", "BK123456", "+212661223344", "neighbour", None)]
    # The neighbour may now pick the child up; then she is removed from the list.
    nursery.check_in_child(ctx=ctx, child_id=child.id)
    qtmodeltester.check(dialog.model)
    dialog.table.selectRow(2)
    assert dialog.model.data(dialog.model.index(2, 0)) == "Salma Bennis"
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        _click(qtbot, dialog.remove_button)
    assert dialog.model.rowCount() == 2
    assert db.execute("SELECT deleted FROM pickup_authorisation WHERE name = 'Salma Bennis'").fetchone() == (1,)
    with pytest.raises(nursery.PickupRefused):
        nursery.check_out_child(ctx=ctx, child_id=child.id, claim=PickupClaim(name="Salma Bennis", cin="BK123456"))


def test_receptionist_has_no_pickup_list_or_corrections(qtbot, shell_factory, receptionist, kid, clock) -> None:  # type: ignore[no-untyped-def]
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "recep")
    screen = _board(qtbot, shell, main)
    assert screen.card_button.isVisible()
    assert not screen.pickups_button.isVisible() and not screen.correct_button.isVisible()
    assert screen.select_child(kid[0].id)
    screen.open_pickups()
    screen.open_correction()
    assert screen.dialog is None


# --- member card -------------------------------------------------------------------------------

def test_card_shown_reprinted_and_printed(qtbot, shell_factory, receptionist, kid, ctx, db, clock,  # type: ignore[no-untyped-def]
                                          tmp_path: Path, monkeypatch) -> None:
    child, _ = kid
    old = cards.card_of(ctx=ctx, person_id=child.id, service="nursery")
    assert old is not None
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "recep")
    screen = _board(qtbot, shell, main)
    assert screen.select_child(child.id)
    _click(qtbot, screen.card_button)
    dialog = screen.dialog
    assert isinstance(dialog, MemberCardDialog)
    qtbot.waitUntil(lambda: dialog.card is not None, timeout=10_000)
    assert dialog.code.text() == old.display_code and "Rayan Alami" in dialog.heading.text()
    # The card was lost: a new one, after confirmation; the old code stops working at once.
    with qtbot.waitSignal(dialog.reprinted, timeout=10_000) as reprinted:
        _click(qtbot, dialog.reprint_button)
    new = reprinted.args[0]
    assert new.code != old.code and dialog.code.text() == new.display_code
    assert "no longer works" in dialog.status.text()
    assert db.execute("SELECT revoked_at IS NOT NULL FROM member_card WHERE code = ?", [old.code]).fetchone() == (1,)
    # Printed through the card sheet, here into a PDF file instead of a printer.
    target = tmp_path / "card.pdf"

    def to_file(cls, parent, printer: QPrinter) -> bool:  # type: ignore[no-untyped-def]
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return True

    monkeypatch.setattr(MemberCardDialog, "ask_printer", classmethod(to_file))
    with qtbot.waitSignal(dialog.printed, timeout=30_000) as printed:
        _click(qtbot, dialog.print_button)
    assert printed.args[0] == 1
    assert target.read_bytes().startswith(b"%PDF") and target.stat().st_size > 10_000
    dialog.accept()
    # At the desk, the old card is refused and the new one checks the child in.
    with qtbot.waitSignal(screen.scan.arrived, timeout=10_000) as arrived:
        qtbot.keyClicks(screen.scan.code, old.code)
        qtbot.keyClick(screen.scan.code, Qt.Key.Key_Return)
    assert not arrived.args[0].checked_in and "no longer works" in screen.scan.alerts.text()
    with qtbot.waitSignal(screen.scan.arrived, timeout=10_000) as arrived:
        qtbot.keyClicks(screen.scan.code, new.code)
        qtbot.keyClick(screen.scan.code, Qt.Key.Key_Return)
    assert arrived.args[0].checked_in
    idle(qtbot, shell)


# --- corrections -------------------------------------------------------------------------------

def _choose(qtbot, radio) -> None:  # type: ignore[no-untyped-def]
    """Click a radio button on its indicator (its centre may be past the end of its text)."""
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    assert radio.isChecked()


def _correction(qtbot, screen) -> CorrectionDialog:  # type: ignore[no-untyped-def]
    _click(qtbot, screen.correct_button)
    dialog = screen.dialog
    assert isinstance(dialog, CorrectionDialog)
    qtbot.waitUntil(lambda: dialog.events is not None, timeout=10_000)
    return dialog


def test_coordinator_corrects_a_check_out_and_an_arrival_time(qtbot, shell_factory, coordinator, kid,  # type: ignore[no-untyped-def]
                                                              ctx, db, clock) -> None:
    child, mother = kid
    nursery.check_in_child(ctx=ctx, child_id=child.id)
    clock.advance(minutes=5)
    nursery.check_out_child(ctx=ctx, child_id=child.id, claim=PickupClaim(person_id=mother.id))  # the wrong child
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "coord")
    screen = _board(qtbot, shell, main)
    assert screen.board.present == [] and screen.correct_button.isVisible()
    assert screen.select_child(child.id)
    dialog = _correction(qtbot, screen)
    assert "left" in dialog.recorded.text() and dialog.choices["void_out"].isEnabled()
    _choose(qtbot, dialog.choices["void_out"])
    # Without a reason: said beside the field, nothing recorded.
    _click(qtbot, dialog.apply_button)
    qtbot.waitUntil(lambda: dialog.messages["reason"].isVisible(), timeout=10_000)
    assert dialog.messages["reason"].text() == "Write the reason (a few words at least)."
    assert db.execute("SELECT count(*) FROM event_correction").fetchone()[0] == 0
    qtbot.keyClicks(dialog.reason, "checked out the wrong child")
    with qtbot.waitSignal(screen.board_loaded, timeout=10_000), \
            qtbot.waitSignal(dialog.corrected, timeout=10_000):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    idle(qtbot, shell)
    assert [r.child_id for r in screen.board.present] == [child.id]
    assert db.execute("SELECT target_table, kind, reason, recorded_by FROM event_correction").fetchall() == [
        ("check_out", "void", "checked out the wrong child", coordinator.id)]
    assert db.execute("SELECT count(*) FROM check_out").fetchone()[0] == 1  # the original stays
    # The arrival time was wrong too: typed in as 07:45.
    assert screen.select_child(child.id)
    dialog = _correction(qtbot, screen)
    assert not dialog.choices["void_out"].isEnabled()
    assert "Cancelled: checked out the wrong child" in dialog.history.text()
    _choose(qtbot, dialog.choices["amend_in"])
    assert dialog.time.isEnabled()
    dialog.time.setFocus()
    for key in (Qt.Key.Key_Home, Qt.Key.Key_Delete, Qt.Key.Key_Delete):
        qtbot.keyClick(dialog.time, key)
    qtbot.keyClicks(dialog.time, "07")
    for key in (Qt.Key.Key_End, Qt.Key.Key_Backspace, Qt.Key.Key_Backspace):
        qtbot.keyClick(dialog.time, key)
    qtbot.keyClicks(dialog.time, "45")
    assert (dialog.time.time().hour(), dialog.time.time().minute()) == (7, 45)
    qtbot.keyClicks(dialog.reason, "arrived before the desk opened")
    with qtbot.waitSignal(screen.board_loaded, timeout=10_000):
        _click(qtbot, dialog.apply_button)
    idle(qtbot, shell)
    expected = datetime.combine(clock.current.date(), time(7, 45)).astimezone().astimezone(UTC)
    assert screen.board.rows[0].time_in == expected
    assert db.execute("SELECT count(*) FROM check_in").fetchone()[0] == 1


def test_club_check_in_cancelled_and_card_shown(qtbot, shell_factory, coordinator, system_ctx, coord_ctx,  # type: ignore[no-untyped-def]
                                               ctx, db, clock) -> None:
    member = registry.register_person(ctx=system_ctx, data={"given_name_lat": "Mina", "family_name_lat": "Fassi",
                                                           "birth_date": date(1948, 6, 6)})
    club.enroll_member(ctx=coord_ctx, person_id=member.id, emergency_name="Son", emergency_phone="0612345678")
    club.check_in_member(ctx=ctx, person_id=member.id)
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "coord")
    screen = main.show_section("elderly")
    assert isinstance(screen, ElderlyClubScreen)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10_000)
    assert screen.choose(member.id)
    _click(qtbot, screen.card_button)
    card_dialog = screen.dialog
    assert isinstance(card_dialog, MemberCardDialog)
    code = cards.card_of(ctx=ctx, person_id=member.id, service="club")
    qtbot.waitUntil(lambda: card_dialog.code.text() == code.display_code, timeout=10_000)
    card_dialog.accept()
    dialog = _correction(qtbot, screen)
    assert not dialog.choices["void_out"].isEnabled()
    _choose(qtbot, dialog.choices["void_in"])
    qtbot.keyClicks(dialog.reason, "scanned the wrong card")
    with qtbot.waitSignal(screen.day_loaded, timeout=10_000):
        _click(qtbot, dialog.apply_button)
    idle(qtbot, shell)
    assert [(r.person_id, r.check_in_id) for r in screen.rows] == [(member.id, None)]  # listed, absent
    assert db.execute("SELECT target_table, kind FROM event_correction").fetchall() == [("check_in", "void")]


def test_in_arabic_the_card_code_stays_left_to_right(qtbot, shell_factory, receptionist, kid, ctx, clock) -> None:  # type: ignore[no-untyped-def]
    child, _ = kid
    card = cards.card_of(ctx=ctx, person_id=child.id, service="nursery")
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "recep")
    apply_language("ar")
    screen = _board(qtbot, shell, main)
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert screen.card_button.text() == "بطاقة العضوية…"
    row = next(i for i, r in enumerate(screen.model.rows) if r.child_id == child.id)
    cell = screen.table.visualRect(screen.model.index(row, 0)).center()
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)  # chosen
    assert screen.table.currentIndex().row() == row
    _click(qtbot, screen.card_button)
    dialog = screen.dialog
    assert isinstance(dialog, MemberCardDialog)
    qtbot.waitUntil(lambda: dialog.card is not None, timeout=10_000)
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert dialog.code.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert dialog.code.text() == card.display_code
    assert dialog.print_button.text() == "طباعة البطاقة…"
    assert "Rayan Alami" in dialog.heading.text() and translate("Nursery") in dialog.heading.text()


def test_workshop_participant_card_reprinted(qtbot, shell_factory, receptionist, system_ctx, coord_ctx, ctx,  # type: ignore[no-untyped-def]
                                             db, clock) -> None:
    w = workshops.save_workshop(ctx=coord_ctx, data={"category_code": "crafts", "title": "Pottery",
                                                     "trainer": "Mme Lahlou", "capacity": 4})
    learner = registry.register_person(ctx=system_ctx, data={"given_name_lat": "Imane", "family_name_lat": "Sqalli"})
    workshops.enroll_participant(ctx=coord_ctx, workshop_id=w.id, person_id=learner.id)
    old = cards.card_of(ctx=ctx, person_id=learner.id, service="workshop")
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "recep")
    screen = main.show_section("workshops")
    assert isinstance(screen, WorkshopsScreen)
    qtbot.waitUntil(lambda: screen.list_model.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(screen.detail_loaded, timeout=10_000):
        screen.select_workshop(w.id)
    cell = screen.participants_table.visualRect(screen.participants.index(0, 0)).center()
    qtbot.mouseClick(screen.participants_table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    _click(qtbot, screen.card_button)
    dialog = screen.dialog
    assert isinstance(dialog, MemberCardDialog)
    qtbot.waitUntil(lambda: dialog.card is not None, timeout=10_000)
    assert old is not None and dialog.code.text() == old.display_code
    with qtbot.waitSignal(dialog.reprinted, timeout=10_000) as reprinted:
        _click(qtbot, dialog.reprint_button)
    assert reprinted.args[0].service == "workshop" and reprinted.args[0].code != old.code
    assert db.execute("SELECT count(*) FROM member_card WHERE person_id = ? AND revoked_at IS NULL",
                      [learner.id]).fetchone()[0] == 1
