"""Issue 13 (point 2): pictures of the nursery board and the club screen at 1366x768, in Arabic
and French: every enrolled child and member listed with her status today (here, gone, back
after lunch, absent; an expired membership), a person chosen and named on the buttons. The
chosen person's named buttons must stay inside the window."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

from jisr_desktop.domain.nursery import PickupClaim
from jisr_desktop.services import club, nursery, registry
from tests.ui.conftest import idle, sign_in
from tests.ui.test_screenshots import _save

CHILDREN = (
    ("سارة", "العمراني", "Sara", "Amrani", date(2025, 1, 15)),
    ("آدم", "بنيس", "Adam", "Bennis", date(2025, 2, 3)),
    ("يانيس", "الإدريسي", "Yanis", "El Idrissi", date(2024, 12, 20)),
    ("مريم", "الفاسي", "Meryem", "Fassi", date(2025, 5, 9)),
)
MEMBERS = (
    ("الحاجة", "بناني", "Hajja", "Bennani", date(1950, 1, 1)),
    ("رحمة", "التازي", "Rahma", "Tazi", date(1951, 3, 3)),
    ("زهرة", "العلوي", "Zahra", "Alaoui", date(1949, 7, 7)),
)


def _register(system_ctx, row):  # type: ignore[no-untyped-def]
    ar_given, ar_family, given, family, born = row
    return registry.register_person(ctx=system_ctx, data={
        "given_name_ar": ar_given, "family_name_ar": ar_family, "given_name_lat": given,
        "family_name_lat": family, "birth_date": born})


def _inside(main, screen) -> None:  # type: ignore[no-untyped-def]
    window = QRect(QPoint(0, 0), main.size())
    for control in screen.findChildren(QWidget):
        if isinstance(control, QAbstractButton | QLineEdit) and control.isVisibleTo(main) \
                and control.window() is main:
            left = control.mapTo(main, QPoint(0, 0)).x()
            assert left >= 0 and left + control.width() <= window.width(), (control.objectName(), left)


def _choose(qtbot, screen, person_id: str) -> None:  # type: ignore[no-untyped-def]
    row = [screen.person_of(r) for r in screen.model.rows].index(person_id)
    screen.table.setFocus()
    screen.table.setCurrentIndex(screen.model.index(row, 0))
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    assert screen.person_of(screen.selected()) == person_id


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_nursery_board_picture(qtbot, shell_factory, receptionist, system_ctx, coord_ctx, ctx, clock,  # type: ignore[no-untyped-def]
                               lang: str) -> None:
    kids = [_register(system_ctx, row) for row in CHILDREN]
    pickups = [{"name": "Khadija Amrani", "cin": "K45678", "phone": "0612345678", "relationship": "mother"}]
    nursery.enroll_child(ctx=coord_ctx, child_id=kids[0].id, allergies="arachides / الفول السوداني", pickups=pickups)
    for kid in kids[1:]:
        nursery.enroll_child(ctx=coord_ctx, child_id=kid.id, pickups=pickups)
    mother = PickupClaim(cin="K45678", name="Khadija Amrani")
    for kid in kids[:3]:
        nursery.check_in_child(ctx=ctx, child_id=kid.id)
    clock.advance(hours=3, minutes=30)
    for kid in kids[1:3]:
        nursery.check_out_child(ctx=ctx, child_id=kid.id, claim=mother)
    clock.advance(hours=2)
    nursery.check_in_child(ctx=ctx, child_id=kids[2].id)   # back after lunch
    shell = shell_factory(lang)
    shell.session.clock = clock
    main = sign_in(qtbot, shell, "recep")
    main.resize(1366, 768)
    main.show()
    screen = main.show_section("nursery")
    idle(qtbot, shell)
    _choose(qtbot, screen, kids[2].id)   # back after lunch: her day in full beside her name
    assert kids[2].file_no in screen.check_out_button.text() and "14:00" in screen.who.text()
    assert main.width() <= 1366 and main.height() <= 768
    _inside(main, screen)
    _save(main, f"checkin_nursery_{lang}")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_club_screen_picture(qtbot, shell_factory, coordinator, system_ctx, coord_ctx, ctx, clock,  # type: ignore[no-untyped-def]
                             lang: str) -> None:
    elders = [_register(system_ctx, row) for row in MEMBERS]
    club.enroll_member(ctx=coord_ctx, person_id=elders[0].id, emergency_name="Omar", emergency_phone="0661234567")
    club.enroll_member(ctx=coord_ctx, person_id=elders[1].id)   # new: not come yet
    club.enroll_member(ctx=coord_ctx, person_id=elders[2].id, start_date=date(2025, 11, 1),
                       end_date=date(2026, 10, 31), emergency_name="Nadia", emergency_phone="0662345678")
    club.check_in_member(ctx=ctx, person_id=elders[0].id)
    club.check_in_member(ctx=ctx, person_id=elders[2].id)
    clock.advance(hours=2)
    club.check_out_member(ctx=ctx, person_id=elders[2].id)
    shell = shell_factory(lang)
    shell.session.clock = clock
    main = sign_in(qtbot, shell, "coord")
    main.resize(1366, 768)
    main.show()
    screen = main.show_section("elderly")
    idle(qtbot, shell)
    assert len(screen.model.rows) == 3
    _choose(qtbot, screen, elders[2].id)
    assert screen.renew_button.isVisible() and screen.renew_button.isEnabled()
    assert main.width() <= 1366 and main.height() <= 768
    _inside(main, screen)
    _save(main, f"checkin_club_{lang}")
