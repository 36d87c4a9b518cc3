"""Who it is for is always explicit (issue 13, point 1): nobody is chosen while typing, a new
search or a search that finds nobody clears the choice, a person is chosen by Enter or a
double click on her row, the buttons that record something name her, and adding a household
member asks for the relationship first."""

from __future__ import annotations

from PySide6.QtCore import Qt

from jisr_desktop.services import households, registry, visits
from tests.ui.conftest import choose, idle, sign_in


def _search(qtbot, picker, text: str) -> None:  # type: ignore[no-untyped-def]
    picker.query.clear()
    with qtbot.waitSignal(picker.model.searched, timeout=10_000):
        qtbot.keyClicks(picker.query, text)


def test_typing_chooses_nobody_at_reception(qtbot, shell_factory, receptionist, ctx) -> None:  # type: ignore[no-untyped-def]
    meryem = registry.register_person(ctx=ctx, data={"given_name_lat": "Meryem", "family_name_lat": "Fassi"})
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    desk = main.show_section("reception")
    idle(qtbot, shell)
    _search(qtbot, desk.picker, "meryem")
    assert desk.picker.model.rowCount() == 1
    assert desk.person is None
    assert "Meryem" not in desk.who.text()
    assert desk.log_button.text() == "Log the visit"
    choose(qtbot, desk.picker)
    assert desk.person is not None and desk.person.id == meryem.id
    assert "Meryem Fassi" in desk.log_button.text() and meryem.file_no in desk.log_button.text()


def test_double_click_chooses_the_row(qtbot, shell_factory, receptionist, ctx) -> None:  # type: ignore[no-untyped-def]
    registry.register_person(ctx=ctx, data={"given_name_lat": "Samira", "family_name_lat": "Alami"})
    second = registry.register_person(ctx=ctx, data={"given_name_lat": "Samira", "family_name_lat": "Bennani"})
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    desk = main.show_section("reception")
    idle(qtbot, shell)
    _search(qtbot, desk.picker, "samira")
    idle(qtbot, shell)
    table = desk.picker.table
    row = [desk.picker.model.person_id(r) for r in range(desk.picker.model.rowCount())].index(second.id)
    rect = table.visualRect(desk.picker.model.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert desk.person is None  # one click only highlights
    with qtbot.waitSignal(desk.picker.picked, timeout=10_000):
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert desk.person is not None and desk.person.id == second.id


def test_nobody_found_clears_the_person(qtbot, shell_factory, receptionist, ctx) -> None:  # type: ignore[no-untyped-def]
    meryem = registry.register_person(ctx=ctx, data={"given_name_lat": "Meryem", "family_name_lat": "Fassi"})
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    desk = main.show_section("reception")
    idle(qtbot, shell)
    _search(qtbot, desk.picker, "meryem")
    choose(qtbot, desk.picker)
    assert desk.person is not None and desk.person.id == meryem.id
    _search(qtbot, desk.picker, "zzzqqq")
    assert desk.picker.model.rowCount() == 0
    assert desk.person is None
    assert desk.log_button.text() == "Log the visit"
    qtbot.mouseClick(desk.log_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not desk.messages["person_id"].isHidden(), timeout=10_000)
    idle(qtbot, shell)
    assert visits.visits_of(ctx=ctx, person_id=meryem.id) == []


def test_a_new_search_clears_the_person(qtbot, shell_factory, receptionist, ctx) -> None:  # type: ignore[no-untyped-def]
    registry.register_person(ctx=ctx, data={"given_name_lat": "Meryem", "family_name_lat": "Fassi"})
    registry.register_person(ctx=ctx, data={"given_name_lat": "Omar", "family_name_lat": "Tazi"})
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    desk = main.show_section("reception")
    idle(qtbot, shell)
    _search(qtbot, desk.picker, "meryem")
    choose(qtbot, desk.picker)
    assert desk.person is not None
    _search(qtbot, desk.picker, "omar")
    assert desk.picker.model.rowCount() == 1
    assert desk.person is None and desk.picker.current_id() is None


def test_household_asks_the_relationship_first(qtbot, shell_factory, receptionist, ctx) -> None:  # type: ignore[no-untyped-def]
    known = registry.register_person(ctx=ctx, data={"given_name_lat": "Fatima", "family_name_lat": "Alaoui"})
    child = registry.register_person(ctx=ctx, data={"given_name_lat": "Yassine", "family_name_lat": "Alaoui",
                                                     "birth_date": "2015-01-01"})
    households.create_household(ctx=ctx, head_person_id=known.id)
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    screen = main.show_section("people")
    with qtbot.waitSignal(screen.person_opened, timeout=10_000):
        screen.open_person(known.id)
    view = screen.panel.household
    screen.panel.setCurrentWidget(view)
    idle(qtbot, shell)
    assert view.model.rowCount() == 1
    assert view.relationship.currentData() is None  # no relationship until one is chosen
    _search(qtbot, view.picker, "Yassine")
    qtbot.keyClick(view.picker.query, Qt.Key.Key_Return)
    qtbot.keyClick(view.picker.table, Qt.Key.Key_Return)  # Enter on the row: chosen, not added
    idle(qtbot, shell)
    assert view.model.rowCount() == 1
    assert not view.add_button.isEnabled()
    assert view.relationship.hasFocus() or main.focusWidget() is view.relationship
    assert "Yassine Alaoui" in view.add_button.text() and child.file_no in view.add_button.text()
    view.relationship.setCurrentIndex(view.relationship.findData("child"))
    assert view.add_button.isEnabled()
    with qtbot.waitSignal(view.changed, timeout=10_000):
        qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    assert {m.person.id: m.relationship for m in view.model.rows} == {known.id: "head", child.id: "child"}
