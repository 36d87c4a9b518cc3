"""Issue 13 (point 3): pictures of the "Today" home at 1366x768 in Arabic and French, on a
morning with children and club members here, others expected, a workshop session about to
start, an allergy to acknowledge and follow-ups due (one overdue). The README shows them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from jisr_desktop.services import club, followup, nursery, registry, workshops
from tests.ui.conftest import idle, sign_in
from tests.ui.test_screenshots import _save

PEOPLE = {
    "lina": ("لينا", "الإدريسي", "Lina", "El Idrissi", "2025-02-11", "F"),
    "yassine": ("ياسين", "بناني", "Yassine", "Bennani", "2024-12-03", "M"),
    "salma": ("سلمى", "العلوي", "Salma", "Alaoui", "2025-05-20", "F"),
    "hadda": ("حادة", "الشرقاوي", "Hadda", "Cherkaoui", "1949-04-02", "F"),
    "mbarek": ("امبارك", "الزياني", "Mbarek", "Zayani", "1951-09-15", "M"),
    "khadija": ("خديجة", "التازي", "Khadija", "Tazi", "1988-06-30", "F"),
    "imane": ("إيمان", "السباعي", "Imane", "Sbai", "1995-01-17", "F"),
    "amina": ("أمينة", "العلوي", "Amina", "Alaoui", "1984-03-14", "F"),
}


def _day(system_ctx, ctx, coord_ctx, clock) -> None:  # type: ignore[no-untyped-def]
    p = {key: registry.register_person(ctx=system_ctx, data={
        "given_name_ar": v[0], "family_name_ar": v[1], "given_name_lat": v[2],
        "family_name_lat": v[3], "birth_date": v[4], "sex": v[5]}) for key, v in PEOPLE.items()}
    nursery.enroll_child(ctx=coord_ctx, child_id=p["lina"].id, allergies="الفول السوداني / arachides")
    nursery.enroll_child(ctx=coord_ctx, child_id=p["yassine"].id)
    nursery.enroll_child(ctx=coord_ctx, child_id=p["salma"].id)
    club.enroll_member(ctx=coord_ctx, person_id=p["hadda"].id)
    club.enroll_member(ctx=coord_ctx, person_id=p["mbarek"].id)
    w = workshops.save_workshop(ctx=coord_ctx, data={"category_code": "crafts",
                                                     "title": "خياطة / Couture"})
    start = clock.current + timedelta(minutes=30)
    workshops.add_session(ctx=coord_ctx, workshop_id=w.id, starts_at=start,
                          ends_at=start + timedelta(hours=2))
    for key in ("khadija", "imane"):
        workshops.enroll_participant(ctx=coord_ctx, workshop_id=w.id, person_id=p[key].id)
    followup.refer(ctx=ctx, person_id=p["amina"].id, program_code="awrach", body="ANAPEC",
                   due_on=date(2026, 11, 2))
    followup.refer(ctx=ctx, person_id=p["khadija"].id, program_code="amo_tadamon", body="",
                   due_on=date(2026, 11, 3))
    clock.advance(days=1)  # the next morning: the first follow-up is overdue
    nursery.check_in_child(ctx=ctx, child_id=p["lina"].id)
    nursery.check_in_child(ctx=ctx, child_id=p["yassine"].id)
    club.check_in_member(ctx=ctx, person_id=p["hadda"].id)
    workshops.add_session(ctx=coord_ctx, workshop_id=w.id, starts_at=start + timedelta(days=1),
                          ends_at=start + timedelta(days=1, hours=2))


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_today_pictures(qtbot, shell_factory, system_ctx, ctx, coord_ctx, clock, lang: str) -> None:  # type: ignore[no-untyped-def]
    _day(system_ctx, ctx, coord_ctx, clock)
    shell = shell_factory(lang=lang, clock=clock)
    main = sign_in(qtbot, shell, "recep")
    main.resize(1366, 768)
    main.show()
    home = main.current_screen()
    idle(qtbot, shell)
    assert home is main.screens["today"]
    assert home.here.model.rowCount() == 3 and home.alerts.model.rowCount() == 1
    assert home.followups.model.rowCount() == 2
    home.alerts.table.setFocus()  # the receptionist moves to the alert, as with the keyboard
    qtbot.keyClick(home.alerts.table, Qt.Key.Key_Down)
    assert main.width() <= 1366 and main.height() <= 768
    assert not main.pages.currentWidget().verticalScrollBar().isVisible()  # the home fits
    assert home.ack_button.isEnabled()
    _save(main, f"today_{lang}")
