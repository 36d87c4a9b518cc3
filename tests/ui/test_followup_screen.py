"""The Follow-up screen: a coordinator opens a case for a person she found, adds a session
and closes it with an outcome; reception sees the follow-ups due and records an answer; every
button that records names the person and file number. Screenshots in Arabic and French at
1366x768 (tests/results/screenshots)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from jisr_desktop.context import SYSTEM_USER, Context
from jisr_desktop.services import followup as fu
from jisr_desktop.services import registry, visits
from tests.ui.conftest import idle, sign_in
from tests.ui.test_screenshots import _save


def _find(qtbot, screen, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(screen.picker.query, text)
    qtbot.waitUntil(lambda: screen.picker.model.text == text
                    and screen.picker.model.rowCount() > 0, timeout=10_000)
    table = screen.picker.table
    rect = table.visualRect(screen.picker.model.index(0, 0))
    # the person is chosen by the user: a click on her row, then Enter on it
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert screen.person is None  # a click alone chooses nobody
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.person is not None, timeout=10_000)
    qtbot.waitUntil(lambda: screen.session.runner.pending() == 0, timeout=10_000)


def _choose_row(table, row: int) -> None:  # type: ignore[no-untyped-def]
    """The user clicks a row (selectRow alone leaves no current row in a right-to-left table)."""
    rect = table.visualRect(table.model().index(row, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert table.currentIndex().row() == row


def test_open_a_case_add_a_session_close_it(qtbot, shell_factory, coordinator, ctx, clock) -> None:  # type: ignore[no-untyped-def]
    person = registry.register_person(ctx=ctx, data={"given_name_lat": "Meryem",
                                                      "family_name_lat": "Fassi", "sex": "F"})
    shell = shell_factory(clock=clock)
    main = sign_in(qtbot, shell, "coord")
    screen = main.show_section("followup")
    idle(qtbot, shell)
    assert screen.open_button.text() == "Open a case"  # nobody is chosen for her
    assert not screen.open_button.isEnabled()
    # a coordinator is offered the ordinary services only
    services = [screen.service.itemData(i) for i in range(screen.service.count())]
    assert services == ["incubator", "disability", "youth", "pre_marriage", "parenting"]
    _find(qtbot, screen, "meryem")
    assert person.file_no in screen.open_button.text() and "Meryem Fassi" in screen.open_button.text()
    screen.service.setCurrentIndex(screen.service.findData("incubator"))
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        qtbot.mouseClick(screen.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen._current_case() is not None, timeout=10_000)
    assert screen.cases.rowCount() == 1
    assert "Meryem Fassi" in screen.add_button.text() and screen.add_button.isEnabled()
    qtbot.keyClicks(screen.action_note, "Enrolled in the sewing training")
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.steps.rowCount() == 1, timeout=10_000)
    assert screen.steps.data(screen.steps.index(0, 2)) == "Enrolled in the sewing training"
    screen.outcome.setCurrentIndex(screen.outcome.findData("income_activity"))
    assert "Meryem Fassi" in screen.close_button.text()
    qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.message.text() == "The case is closed.", timeout=10_000)
    idle(qtbot, shell)
    [case] = fu.cases_of_person(ctx=Context(db=ctx.db, user=SYSTEM_USER),
                                  person_id=person.id)
    assert (case.status, case.outcome) == ("closed", "income_activity")
    assert not screen.add_button.isEnabled()


def test_reception_sees_the_follow_ups_due_and_records_an_answer(qtbot, shell_factory,  # type: ignore[no-untyped-def]
                                                                 receptionist, ctx, clock) -> None:
    person = registry.register_person(ctx=ctx, data={"given_name_lat": "Hasnaa",
                                                      "family_name_lat": "Idrissi"})
    visits.log_visit(ctx=ctx, data={"person_id": person.id, "program_code": "amo_tadamon",
                                    "channel": "in_person", "outcome": "referred",
                                    "referral_to": "Hopital provincial",
                                    "follow_up_on": ctx.today().isoformat()})
    shell = shell_factory(clock=clock)
    main = sign_in(qtbot, shell, "recep")
    screen = main.show_section("followup")
    idle(qtbot, shell)
    assert screen.case_panel.isHidden()  # reception follows referrals, not cases
    assert screen.due.rowCount() == 1 and screen.due_title.text() == "Follow-ups due: 1"
    assert screen.due.data(screen.due.index(0, 3)) == "AMO Tadamon — Hopital provincial"
    assert not screen.record_button.isEnabled()  # nothing is chosen for her
    _choose_row(screen.due_table, 0)
    assert "Hasnaa Idrissi" in screen.record_button.text() and person.file_no in screen.record_button.text()
    screen.referral_outcome.setCurrentIndex(screen.referral_outcome.findData("obtained"))
    qtbot.mouseClick(screen.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.due.rowCount() == 0, timeout=10_000)
    idle(qtbot, shell)
    [ref] = fu.referrals_of(ctx=ctx, person_id=person.id)
    assert ref.outcome == "obtained"


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_followup_screenshots(qtbot, shell_factory, coordinator, ctx, clock, lang) -> None:  # type: ignore[no-untyped-def]
    person = registry.register_person(ctx=ctx, data={
        "given_name_ar": "مريم", "family_name_ar": "الفاسي", "given_name_lat": "Meryem",
        "family_name_lat": "Fassi", "sex": "F"})
    other = registry.register_person(ctx=ctx, data={
        "given_name_ar": "حسناء", "family_name_ar": "الإدريسي", "given_name_lat": "Hasnaa",
        "family_name_lat": "Idrissi", "sex": "F"})
    for who, program, where in ((person, "forsa", "ANAPEC"), (other, "amo_tadamon", "Hôpital")):
        visits.log_visit(ctx=ctx, data={"person_id": who.id, "program_code": program,
                                        "channel": "in_person", "outcome": "referred",
                                        "referral_to": where,
                                        "follow_up_on": ctx.today().isoformat()})
    shell = shell_factory(lang=lang, clock=clock)
    main = sign_in(qtbot, shell, "coord")
    main.resize(1366, 768)
    screen = main.show_section("followup")
    idle(qtbot, shell)
    _find(qtbot, screen, "meryem")
    screen.service.setCurrentIndex(screen.service.findData("youth"))
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        qtbot.mouseClick(screen.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen._current_case() is not None, timeout=10_000)
    qtbot.keyClicks(screen.action_note, "Forsa")
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.steps.rowCount() == 1, timeout=10_000)
    _choose_row(screen.due_table, 0)
    idle(qtbot, shell)
    path: Path = _save(main, f"followup_{lang}")
    assert path.exists()
    assert main.width() <= 1366 and main.height() <= 768
