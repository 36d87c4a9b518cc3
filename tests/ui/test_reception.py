"""The reception desk: find a person, log the visit, see it in today's list; register from
the desk."""

from __future__ import annotations

from PySide6.QtCore import Qt

from jisr_desktop.services import registry, visits
from tests.ui.conftest import choose, idle, sign_in, type_text


def test_log_a_visit(qtbot, shell_factory, receptionist, ctx) -> None:  # type: ignore[no-untyped-def]
    person = registry.register_person(ctx=ctx, data={"given_name_ar": "مريم", "family_name_ar": "الفاسي",
                                                      "given_name_lat": "Meryem", "family_name_lat": "Fassi",
                                                      "phone": "0622334455"})
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    desk = main.show_section("reception")
    assert main.section_keys()[:2] == ["today", "reception"]  # the Today home first
    idle(qtbot, shell)
    assert desk.today.rowCount() == 0
    assert desk.program.count() == 7
    with qtbot.waitSignal(desk.picker.model.searched, timeout=10_000):
        qtbot.keyClicks(desk.picker.query, "meryem")
    assert desk.person is None  # typing chooses nobody
    choose(qtbot, desk.picker)  # Enter moves to the results, Enter on the row chooses her
    assert desk.person is not None and desk.person.id == person.id
    assert "Meryem Fassi" in desk.who.text()
    desk.program.setFocus()
    qtbot.keyClicks(desk.program, "AMO")
    assert desk.program.currentData() == "amo_tadamon"
    desk.channel.setCurrentIndex(desk.channel.findData("phone"))
    desk.outcome.setCurrentIndex(desk.outcome.findData("referred"))
    # Referred without saying where: refused, with the message under the field.
    qtbot.mouseClick(desk.log_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not desk.messages["referral_to"].isHidden(), timeout=10_000)
    assert desk.messages["referral_to"].text() == "Say where the person was referred."
    qtbot.keyClicks(desk.referral, "Hopital provincial")
    with qtbot.waitSignal(desk.visits_loaded, timeout=10_000), \
            qtbot.waitSignal(desk.visit_logged, timeout=10_000):
        qtbot.mouseClick(desk.log_button, Qt.MouseButton.LeftButton)
    assert desk.today.rowCount() == 1
    row = desk.today.row_at(0)
    assert (row.visit.person_id, row.visit.program_code, row.visit.channel) == (person.id, "amo_tadamon", "phone")
    assert desk.today.data(desk.today.index(0, 3)) == "AMO Tadamon"
    assert desk.today.data(desk.today.index(0, 4)) == "By phone"
    assert desk.today_title.text() == "Today: 1 visit"
    assert desk.messages["referral_to"].isHidden()
    stored = visits.visits_of(ctx=ctx, person_id=person.id)
    assert len(stored) == 1 and stored[0].referral_to == "Hopital provincial"


def test_register_from_the_desk_then_log(qtbot, shell_factory, receptionist, ctx) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    desk = main.show_section("reception")
    main.actions_by_name["new_person"].trigger()  # Ctrl+N at the desk: the register dialog
    dialog = desk.dialog
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.form.inputs["given_name_ar"], "حسناء")
    qtbot.keyClicks(dialog.form.inputs["given_name_lat"], "Hasnaa")
    with qtbot.waitSignal(dialog.chosen, timeout=10_000):
        qtbot.mouseClick(dialog.form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.person is not None, timeout=10_000)
    assert desk.person.given_name_lat == "Hasnaa"
    with qtbot.waitSignal(desk.visits_loaded, timeout=10_000):
        qtbot.mouseClick(desk.log_button, Qt.MouseButton.LeftButton)
    assert desk.today.rowCount() == 1
    idle(qtbot, shell)


def test_no_person_chosen_is_explained(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    desk = main.show_section("reception")
    idle(qtbot, shell)
    qtbot.mouseClick(desk.log_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not desk.messages["person_id"].isHidden(), timeout=10_000)
    assert desk.messages["person_id"].text() == "Find or register the person first."


def test_a_person_shows_their_visits(qtbot, shell_factory, receptionist, ctx) -> None:  # type: ignore[no-untyped-def]
    person = registry.register_person(ctx=ctx, data={"given_name_lat": "Omar", "family_name_lat": "Tazi"})
    visits.log_visit(ctx=ctx, data={"person_id": person.id, "program_code": "forsa",
                                    "channel": "in_person", "outcome": "follow_up"})
    main = sign_in(qtbot, shell_factory(lang="fr"), "recep")
    screen = main.show_section("people")
    with qtbot.waitSignal(screen.person_opened, timeout=10_000):
        screen.open_person(person.id)
    tab = screen.panel.visits
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10_000)
    assert screen.panel.tabText(2) == "Visites"
    assert tab.model.data(tab.model.index(0, 1)) == "Forsa"
    assert tab.model.data(tab.model.index(0, 3)) == "Suivi nécessaire"

