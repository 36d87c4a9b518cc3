"""Check-in by name or card (issue 13, point 2), continued: the workshops' sheet takes the same
field (a scanned card marks its holder in the session running now, a typed name narrows the
sheet), and a long name on the club's named buttons still fits 1366 pixels."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from jisr_desktop.services import cards, club, registry
from tests.ui.conftest import idle, sign_in
from tests.ui.test_checkin_by_name import _click, _club, _main


@pytest.fixture
def pottery(system_ctx, coord_ctx, clock):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from jisr_desktop.services import workshops

    w = workshops.save_workshop(ctx=coord_ctx, data={"category_code": "crafts", "title": "Pottery",
                                                     "trainer": "Mme Lahlou", "capacity": 5})
    s = workshops.add_session(ctx=coord_ctx, workshop_id=w.id, starts_at=clock.current,
                              ends_at=clock.current + timedelta(hours=2))
    people = [registry.register_person(ctx=system_ctx, data={"given_name_lat": g, "family_name_lat": f})
              for g, f in (("Imane", "Sqalli"), ("Nour", "Berrada"), ("Salma", "Chraibi"))]
    for p in people:
        workshops.enroll_participant(ctx=coord_ctx, workshop_id=w.id, person_id=p.id)
    return w, s, people


def _workshop_screen(qtbot, shell, main, workshop_id: str):  # type: ignore[no-untyped-def]
    from jisr_desktop.ui.screens.workshops import WorkshopsScreen

    screen = main.show_section("workshops")
    assert isinstance(screen, WorkshopsScreen)
    qtbot.waitUntil(lambda: screen.list_model.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(screen.sheet_loaded, timeout=10_000):
        screen.select_workshop(workshop_id)
    idle(qtbot, shell)
    return screen


def test_a_workshop_participant_is_marked_by_name(qtbot, shell_factory, receptionist, pottery, db, clock) -> None:  # type: ignore[no-untyped-def]
    w, _s, people = pottery
    shell, main = _main(qtbot, shell_factory, clock)
    screen = _workshop_screen(qtbot, shell, main, w.id)
    assert not screen.mark_buttons["present"].isEnabled()   # nobody on the sheet chosen yet
    assert screen.mark_who.text() == "Choose a participant in the sheet."
    qtbot.keyClicks(screen.scan.code, "nour")
    assert [r.person_id for r in screen.sheet_model.rows] == [people[1].id]
    qtbot.keyClick(screen.scan.code, Qt.Key.Key_Return)
    assert screen.sheet_table.currentIndex().row() == 0
    assert "Nour Berrada" in screen.mark_who.text() and screen.mark_buttons["present"].isEnabled()
    with qtbot.waitSignal(screen.sheet_loaded, timeout=10_000):
        _click(qtbot, screen.mark_buttons["present"])
    idle(qtbot, shell)
    assert db.execute("SELECT person_id, status FROM attendance").fetchall() == [(people[1].id, "present")]


def test_a_workshop_card_scanned_marks_its_holder(qtbot, shell_factory, receptionist, pottery, ctx, db, clock) -> None:  # type: ignore[no-untyped-def]
    w, _s, people = pottery
    code = cards.card_of(ctx=ctx, person_id=people[2].id, service="workshop").code
    shell, main = _main(qtbot, shell_factory, clock)
    screen = _workshop_screen(qtbot, shell, main, w.id)
    with qtbot.waitSignal(screen.sheet_loaded, timeout=10_000):
        qtbot.keyClicks(screen.scan.code, code)
        qtbot.keyClick(screen.scan.code, Qt.Key.Key_Return)
    idle(qtbot, shell)
    assert "Salma Chraibi" in screen.scan.name.text() and "checked in" in screen.scan.name.text()
    assert screen.scan.code.text() == "" and screen.sheet_model.rowCount() == 3
    assert db.execute("SELECT person_id, status FROM attendance").fetchall() == [(people[2].id, "present")]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_named_buttons_of_a_long_name_fit_1366(qtbot, shell_factory, coordinator, system_ctx, coord_ctx,  # type: ignore[no-untyped-def]
                                               ctx, clock, lang: str) -> None:
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QAbstractButton, QApplication

    long_name = registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Fatima-Zahra Oumaima", "family_name_lat": "Benjelloun El Idrissi El Alaoui",
        "given_name_ar": "فاطمة الزهراء أميمة", "family_name_ar": "بنجلون الإدريسي العلوي",
        "birth_date": date(1948, 2, 2)})
    club.enroll_member(ctx=coord_ctx, person_id=long_name.id, start_date=date(2025, 11, 1), end_date=date(2026, 10, 31))
    club.check_in_member(ctx=ctx, person_id=long_name.id)
    shell = shell_factory(lang)
    shell.session.clock = clock
    main = sign_in(qtbot, shell, "coord")
    main.resize(1366, 768)
    main.show()
    screen = _club(qtbot, shell, main)
    assert screen.choose(long_name.id)
    for _round in range(3):  # the layout requests posted by the new button texts
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    window = QRect(QPoint(0, 0), main.size())
    assert main.width() <= 1366
    for button in screen.findChildren(QAbstractButton):
        if button.isVisibleTo(main):
            left = button.mapTo(main, QPoint(0, 0)).x()
            assert left >= 0 and left + button.width() <= window.width(), (button.objectName(), left, button.width())
