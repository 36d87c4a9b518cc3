"""Check-in and check-out by name or card (issue 13, point 2), driven by keyboard and mouse on
the real nursery board and club screen: one field takes a scanned code or a typed name, every
enrolled child and member is listed with her status, the person is chosen by Enter or a double
click and named on the buttons, an afternoon return is recorded, a new club member can be
reached, an expired membership is renewed from the list, and at check-out the authorised person
chosen in the list wins, while a refusal says why apart from other errors."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from jisr_desktop.domain.attendance import DayStatus
from jisr_desktop.domain.nursery import PickupClaim
from jisr_desktop.services import cards, club, nursery, registry
from jisr_desktop.ui.screens.cards import MemberCardDialog
from jisr_desktop.ui.screens.elderly import ElderlyClubScreen, RenewMembershipDialog
from jisr_desktop.ui.screens.nursery import CheckOutDialog, NurseryScreen
from tests.ui.conftest import idle, sign_in


@pytest.fixture
def children(system_ctx, coord_ctx):  # type: ignore[no-untyped-def]
    """Sara (a peanut allergy, her mother on the pick-up list) and Adam, enrolled."""
    sara = registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Sara", "family_name_lat": "Amrani", "birth_date": date(2025, 1, 15)})
    adam = registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Adam", "family_name_lat": "Bennis", "birth_date": date(2025, 2, 15)})
    nursery.enroll_child(ctx=coord_ctx, child_id=sara.id, allergies="peanuts", pickups=[
        {"name": "Khadija Amrani", "cin": "K45678", "phone": "0612345678", "relationship": "mother"}])
    nursery.enroll_child(ctx=coord_ctx, child_id=adam.id)
    return sara, adam


def _main(qtbot, shell_factory, clock, username: str = "recep"):  # type: ignore[no-untyped-def]
    shell = shell_factory()
    shell.session.clock = clock  # the program's "today" is the fixtures' day
    return shell, sign_in(qtbot, shell, username)


def _nursery(qtbot, shell, main) -> NurseryScreen:  # type: ignore[no-untyped-def]
    screen = main.show_section("nursery")
    assert isinstance(screen, NurseryScreen)
    idle(qtbot, shell)
    return screen


def _club(qtbot, shell, main) -> ElderlyClubScreen:  # type: ignore[no-untyped-def]
    screen = main.show_section("elderly")
    assert isinstance(screen, ElderlyClubScreen)
    idle(qtbot, shell)
    return screen


def _type_and_choose(qtbot, screen, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type a name in the field, Enter (to the list), Enter on the first row (chosen)."""
    screen.scan.code.clear()
    qtbot.keyClicks(screen.scan.code, text)
    qtbot.keyClick(screen.scan.code, Qt.Key.Key_Return)
    assert screen.table.hasFocus() or screen.table.currentIndex().row() == 0
    assert screen.selected() is None              # highlighted only: nobody chosen yet
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)


def _click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_child_without_her_card_is_checked_in_by_name(qtbot, shell_factory, receptionist, children,  # type: ignore[no-untyped-def]
                                                      db, clock) -> None:
    sara, adam = children
    shell, main = _main(qtbot, shell_factory, clock)
    screen = _nursery(qtbot, shell, main)
    assert {r.child_id: r.status for r in screen.model.rows} == {sara.id: DayStatus.ABSENT, adam.id: DayStatus.ABSENT}
    assert screen.model.data(screen.model.index(0, 1)) == "Absent today"
    qtbot.keyClicks(screen.scan.code, "sar")       # typing filters and chooses nobody
    assert [r.child_id for r in screen.model.rows] == [sara.id]
    assert screen.selected() is None and not screen.check_in_button.isEnabled()
    assert screen.check_in_button.text() == "Check in"
    qtbot.keyClick(screen.scan.code, Qt.Key.Key_Return)
    assert screen.selected() is None               # Enter on a name moves to the list only
    assert db.execute("SELECT count(*) FROM check_in").fetchone()[0] == 0
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    assert screen.selected().child_id == sara.id
    assert "Sara Amrani" in screen.check_in_button.text() and sara.file_no in screen.check_in_button.text()
    assert sara.file_no in screen.who.text()
    with qtbot.waitSignal(screen.scan.arrived, timeout=10_000) as arrived:
        _click(qtbot, screen.check_in_button)
    assert arrived.args[0].checked_in and arrived.args[0].person_id == sara.id
    assert "Sara Amrani" in screen.scan.name.text() and "peanuts" in screen.scan.alerts.text()
    assert screen.scan.ack_button.isVisible()      # her allergy is acknowledged as for a card
    idle(qtbot, shell)
    assert screen.scan.code.text() == "" and screen.selected() is None   # ready for the next
    assert db.execute("SELECT person_id FROM check_in").fetchall() == [(sara.id,)]
    here = next(r for r in screen.board.rows if r.child_id == sara.id)
    assert here.status is DayStatus.HERE


def test_a_new_search_or_nobody_found_clears_the_choice(qtbot, shell_factory, receptionist, children,  # type: ignore[no-untyped-def]
                                                        clock) -> None:
    sara, _adam = children
    shell, main = _main(qtbot, shell_factory, clock)
    screen = _nursery(qtbot, shell, main)
    _type_and_choose(qtbot, screen, "amrani")
    assert screen.selected().child_id == sara.id
    qtbot.keyClicks(screen.scan.code, "x")        # the search changes: the choice goes
    assert screen.selected() is None and screen.model.rowCount() == 0
    assert not screen.empty.isHidden() and "amranix" in screen.empty.text()
    assert not screen.check_in_button.isEnabled() and not screen.card_button.isEnabled()


def test_double_click_chooses_the_row(qtbot, shell_factory, receptionist, children, clock) -> None:  # type: ignore[no-untyped-def]
    _sara, adam = children
    shell, main = _main(qtbot, shell_factory, clock)
    screen = _nursery(qtbot, shell, main)
    row = [r.child_id for r in screen.model.rows].index(adam.id)
    cell = screen.table.visualRect(screen.model.index(row, 0)).center()
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert screen.selected() is None               # one click only highlights
    qtbot.mouseDClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert screen.selected().child_id == adam.id and "Adam Bennis" in screen.check_in_button.text()


def test_an_afternoon_return_after_check_out_is_recorded(qtbot, shell_factory, receptionist, children,  # type: ignore[no-untyped-def]
                                                         ctx, db, clock) -> None:
    sara, _ = children
    nursery.check_in_child(ctx=ctx, child_id=sara.id)
    clock.advance(hours=3, minutes=30)
    mother = nursery.authorised_pickups(ctx=ctx, child_id=sara.id)[0]
    nursery.check_out_child(ctx=ctx, child_id=sara.id, claim=PickupClaim(authorisation_id=mother.id))
    clock.advance(hours=2)
    shell, main = _main(qtbot, shell_factory, clock)
    screen = _nursery(qtbot, shell, main)
    at = [r.child_id for r in screen.model.rows].index(sara.id)
    assert screen.model.data(screen.model.index(at, 1)) == "Gone (08:30–12:00)"
    card = cards.card_of(ctx=ctx, person_id=sara.id, service="nursery")
    with qtbot.waitSignal(screen.scan.arrived, timeout=10_000) as arrived:   # she is back with her card
        qtbot.keyClicks(screen.scan.code, card.code)
        qtbot.keyClick(screen.scan.code, Qt.Key.Key_Return)
    assert arrived.args[0].checked_in and not arrived.args[0].already
    assert "already" not in screen.scan.name.text()
    with qtbot.waitSignal(screen.board_loaded, timeout=10_000):
        screen.refresh()
    idle(qtbot, shell)
    assert db.execute("SELECT count(*) FROM check_in").fetchone()[0] == 2
    row = next(i for i, r in enumerate(screen.model.rows) if r.child_id == sara.id)
    assert screen.model.data(screen.model.index(row, 1)) == "Here since 14:00 · also 08:30–12:00"
    assert "1 child still here" in screen.summary.text()


def test_the_mother_chosen_in_the_list_wins_over_typed_text(qtbot, shell_factory, receptionist, children,  # type: ignore[no-untyped-def]
                                                             ctx, db, clock) -> None:
    sara, _ = children
    nursery.check_in_child(ctx=ctx, child_id=sara.id)
    shell, main = _main(qtbot, shell_factory, clock)
    screen = _nursery(qtbot, shell, main)
    _type_and_choose(qtbot, screen, "sara")
    assert "Sara Amrani" in screen.check_out_button.text()
    _click(qtbot, screen.check_out_button)
    dialog = screen.dialog
    assert isinstance(dialog, CheckOutDialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=10_000)
    assert dialog.chosen_authorisation() is None  # nobody chosen for her
    qtbot.keyClicks(dialog.name, "Khadija")        # typed below, then the list used
    qtbot.keyClicks(dialog.cin, "X1")
    item = dialog.list.item(0)
    qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=dialog.list.visualItemRect(item).center())
    assert dialog.confirm.text() == "Check out \u2068Sara Amrani\u2069 with \u2068Khadija Amrani\u2069"
    with qtbot.waitSignal(dialog.checked_out, timeout=10_000) as done:
        _click(qtbot, dialog.confirm)
    assert done.args[0].picked_up_by == "Khadija Amrani" and not done.args[0].overridden
    assert db.execute("SELECT by_name, by_cin, override_by FROM check_out").fetchall() == [
        ("Khadija Amrani", "K45678", None)]


def test_a_refusal_says_why_apart_from_other_errors(qtbot, shell_factory, receptionist, children,  # type: ignore[no-untyped-def]
                                                     ctx, db, clock) -> None:
    sara, _ = children
    nursery.check_in_child(ctx=ctx, child_id=sara.id)
    shell, main = _main(qtbot, shell_factory, clock)
    screen = _nursery(qtbot, shell, main)
    assert screen.select_child(sara.id)
    _click(qtbot, screen.check_out_button)
    dialog = screen.dialog
    assert isinstance(dialog, CheckOutDialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=10_000)
    _click(qtbot, dialog.confirm)                  # nobody chosen, nothing typed: not a refusal
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=10_000)
    assert "Choose or enter who is picking up" in dialog.error.text()
    assert dialog.message.isHidden() and dialog.override.isHidden()
    qtbot.keyClicks(dialog.name, "Omar Tazi")
    qtbot.keyClicks(dialog.cin, "X999")
    with qtbot.waitSignal(dialog.refused, timeout=10_000):
        _click(qtbot, dialog.confirm)
    assert dialog.error.isHidden() and not dialog.override.isHidden()
    assert "Refused" in dialog.message.text() and "X999" in dialog.message.text()
    assert "not on the pick-up list" in dialog.message.text()
    assert db.execute("SELECT count(*) FROM check_out").fetchone()[0] == 0


def test_a_new_club_member_is_listed_and_her_card_reached(qtbot, shell_factory, receptionist, system_ctx,  # type: ignore[no-untyped-def]
                                                          coord_ctx, ctx, db, clock) -> None:
    rahma = registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Rahma", "family_name_lat": "Tazi", "given_name_ar": "رحمة", "family_name_ar": "التازي",
        "birth_date": date(1951, 3, 3)})
    club.enroll_member(ctx=coord_ctx, person_id=rahma.id)
    shell, main = _main(qtbot, shell_factory, clock)
    screen = _club(qtbot, shell, main)
    assert [(r.person_id, r.status) for r in screen.model.rows] == [(rahma.id, DayStatus.ABSENT)]
    _type_and_choose(qtbot, screen, "rahma")
    assert screen.selected().person_id == rahma.id
    _click(qtbot, screen.card_button)
    dialog = screen.dialog
    assert isinstance(dialog, MemberCardDialog)
    card = cards.card_of(ctx=ctx, person_id=rahma.id, service="club")
    qtbot.waitUntil(lambda: dialog.code.text() == card.display_code, timeout=10_000)
    dialog.accept()
    assert screen.choose(rahma.id)
    with qtbot.waitSignal(screen.scan.arrived, timeout=10_000):
        _click(qtbot, screen.check_in_button)
    idle(qtbot, shell)
    assert db.execute("SELECT person_id FROM check_in WHERE service = 'club'").fetchall() == [(rahma.id,)]
    assert "1 member here now" in screen.summary.text()


def test_an_expired_membership_is_renewed_from_the_list(qtbot, shell_factory, coordinator, system_ctx,  # type: ignore[no-untyped-def]
                                                        coord_ctx, ctx, db, clock) -> None:
    zahra = registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Zahra", "family_name_lat": "Fassi", "birth_date": date(1949, 1, 1)})
    enrollment = club.enroll_member(ctx=coord_ctx, person_id=zahra.id, start_date=date(2025, 11, 1),
                                    end_date=date(2026, 10, 31))
    shell, main = _main(qtbot, shell_factory, clock, "coord")
    screen = _club(qtbot, shell, main)
    assert screen.model.data(screen.model.index(0, 2)).startswith("⚠")
    _type_and_choose(qtbot, screen, "zahra")
    assert "renew it" in screen.who.text()
    assert screen.renew_button.text() == "Renew the membership of \u2068Zahra Fassi\u2069…"
    _click(qtbot, screen.renew_button)
    dialog = screen.dialog
    assert isinstance(dialog, RenewMembershipDialog)
    assert zahra.file_no in dialog.heading.text() and "31/10/2026" in dialog.heading.text()
    assert dialog.end.date().toPython() == date(2027, 11, 2)
    with qtbot.waitSignal(screen.day_loaded, timeout=10_000):
        _click(qtbot, dialog.save)
    idle(qtbot, shell)
    assert db.execute("SELECT end_date FROM enrollment WHERE id = ?", [enrollment.id]).fetchone() == ("2027-11-02",)
    assert not screen.rows[0].membership_expired and "renew it" not in screen.who.text()
    assert not screen.model.data(screen.model.index(0, 2)).startswith("⚠")


def test_a_receptionist_is_told_who_renews(qtbot, shell_factory, receptionist, system_ctx, coord_ctx,  # type: ignore[no-untyped-def]
                                           clock) -> None:
    zahra = registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Zahra", "family_name_lat": "Fassi", "birth_date": date(1949, 1, 1)})
    club.enroll_member(ctx=coord_ctx, person_id=zahra.id, start_date=date(2025, 11, 1), end_date=date(2026, 10, 31))
    shell, main = _main(qtbot, shell_factory, clock)
    screen = _club(qtbot, shell, main)
    _type_and_choose(qtbot, screen, "fassi")
    assert not screen.renew_button.isVisible()
    assert "a coordinator renews it" in screen.who.text()



def test_a_name_shaped_like_a_card_code_finds_her(qtbot, shell_factory, receptionist, system_ctx, coord_ctx,  # type: ignore[no-untyped-def]
                                                  db, clock) -> None:
    # "HAJARSABAH": ten letters of the card alphabet, so it was looked up as a card and refused
    hajar = registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Hajar", "family_name_lat": "Sabah", "birth_date": date(2025, 4, 4)})
    nursery.enroll_child(ctx=coord_ctx, child_id=hajar.id)
    shell, main = _main(qtbot, shell_factory, clock)
    screen = _nursery(qtbot, shell, main)
    _type_and_choose(qtbot, screen, "hajar sabah")
    assert screen.selected().child_id == hajar.id
    assert "No member card" not in screen.scan.alerts.text()
