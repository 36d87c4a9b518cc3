"""People and families, driven by keyboard and mouse: register, duplicates, validation in
Arabic, household, merge and undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from jisr_desktop.db import persons
from jisr_desktop.i18n import translate
from jisr_desktop.services import registry
from jisr_desktop.ui.person_form import PersonForm
from jisr_desktop.ui.screens.people import PeopleScreen, PersonPanel
from jisr_desktop.ui.style import tone_of
from tests.ui.conftest import choose, idle, sign_in, type_text


@pytest.fixture
def known(ctx):  # type: ignore[no-untyped-def]
    return registry.register_person(ctx=ctx, data={
        "given_name_ar": "فاطمة", "family_name_ar": "العلوي", "given_name_lat": "Fatima",
        "family_name_lat": "Alaoui", "birth_date": "1985-03-14", "cin": "AB123456",
        "phone": "0612345678"})


def _new_form(qtbot, main) -> tuple[PeopleScreen, PersonForm]:  # type: ignore[no-untyped-def]
    screen = main.show_section("people")
    main.actions_by_name["new_person"].trigger()  # Ctrl+N
    form = screen.panel
    assert isinstance(form, PersonForm)
    return screen, form


def _type(qtbot, form: PersonForm, **values: str) -> None:  # type: ignore[no-untyped-def]
    for name, text in values.items():
        widget = form.inputs[name]
        assert isinstance(widget, QLineEdit)
        type_text(qtbot, widget, text)


def test_register_a_person_end_to_end(qtbot, shell_factory, receptionist, db) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    screen, form = _new_form(qtbot, main)
    _type(qtbot, form, given_name_ar="سعيد", family_name_ar="الإدريسي", given_name_lat="Said",
          family_name_lat="Idrissi", birth_date="02/05/1990", phone="06 61 22 33 44")
    sex = form.inputs["sex"]
    sex.setFocus()
    qtbot.keyClicks(sex, "Male")
    with qtbot.waitSignal(screen.person_opened, timeout=10_000) as opened:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    person = opened.args[0]
    assert isinstance(screen.panel, PersonPanel)
    stored = persons.get(db, person.id)
    assert stored is not None
    assert (stored.given_name_lat, stored.sex, stored.phone) == ("Said", "M", "+212661223344")
    assert stored.birth_date.isoformat() == "1990-05-02"
    # The new person is found by searching as one types.
    picker = screen.picker
    with qtbot.waitSignal(picker.model.searched, timeout=10_000):
        qtbot.keyClicks(picker.query, "idrissi")
    assert picker.model.person_id(0) == person.id
    idle(qtbot, shell)


def test_duplicate_card_for_a_known_cin(qtbot, shell_factory, receptionist, known, db) -> None:  # type: ignore[no-untyped-def]
    main = sign_in(qtbot, shell_factory(), "recep")
    screen, form = _new_form(qtbot, main)
    _type(qtbot, form, given_name_lat="Fatiha", family_name_lat="Bennani", cin="ab 123456")
    with qtbot.waitSignal(form.duplicates_shown, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    card = form.card
    assert card is not None and card.isVisible()
    assert card.matches[0].person.id == known.id
    why = card.rows[0][1].text()
    assert "Same CIN" in why
    # "This is the same person" opens the existing record and registers nobody.
    with qtbot.waitSignal(screen.person_opened, timeout=10_000) as opened:
        qtbot.mouseClick(card.rows[0][2], Qt.MouseButton.LeftButton)
    assert opened.args[0].id == known.id
    assert persons.active_count(db) == 1


def test_duplicate_card_for_same_name_and_birth_date(qtbot, shell_factory, receptionist, known, db) -> None:  # type: ignore[no-untyped-def]
    main = sign_in(qtbot, shell_factory(), "recep")
    screen, form = _new_form(qtbot, main)
    _type(qtbot, form, given_name_ar="فاطمه", family_name_ar="العلوى", birth_date="14/03/1985")
    with qtbot.waitSignal(form.duplicates_shown, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    card = form.card
    assert card is not None
    assert "Same name and birth date" in card.rows[0][1].text()
    assert "Same CIN" not in card.rows[0][1].text()
    # "A different person" saves the new one.
    with qtbot.waitSignal(screen.person_opened, timeout=10_000) as opened:
        qtbot.mouseClick(card.different, Qt.MouseButton.LeftButton)
    assert opened.args[0].id != known.id
    assert persons.active_count(db) == 2


def test_validation_messages_inline_in_arabic(qtbot, shell_factory, receptionist, db) -> None:  # type: ignore[no-untyped-def]
    main = sign_in(qtbot, shell_factory(lang="ar"), "recep")
    assert main.layoutDirection() == Qt.LayoutDirection.RightToLeft
    _screen, form = _new_form(qtbot, main)
    _type(qtbot, form, given_name_ar="Said", phone="123", birth_date="31/02/1990", cin="12345")
    with qtbot.waitSignal(form.messages_shown, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    expected = {
        "given_name_ar": "Write this name in Arabic letters; the Latin spelling has its own field.",
        "phone": "This is not a valid phone number (e.g. 06 12 34 56 78).",
        "birth_date": "This is not a date; write it as day/month/year.",
    }
    for field, msgid in expected.items():
        arabic = translate(msgid, "ar")
        assert arabic != msgid, f"no Arabic translation for {msgid!r}"
        label = form.messages[field]
        assert label.text() == arabic
        assert not label.isHidden()
    assert tone_of(form.messages["phone"]) == "error"
    cin = form.messages["cin"]
    assert cin.text() == translate(registry_cin_warning(), "ar") and tone_of(cin) == "warning"
    assert form.messages["family_name_ar"].isHidden()
    assert persons.active_count(db) == 0  # errors block saving


def registry_cin_warning() -> str:
    return ("This CIN looks unusual (expected one or two letters then digits, e.g. AB123456). "
            "Check it; it will be saved as typed.")


def test_warnings_do_not_block(qtbot, shell_factory, receptionist, db) -> None:  # type: ignore[no-untyped-def]
    main = sign_in(qtbot, shell_factory(), "recep")
    screen, form = _new_form(qtbot, main)
    _type(qtbot, form, given_name_lat="Nadia", cin="12345")
    with qtbot.waitSignal(screen.person_opened, timeout=10_000):
        qtbot.keyClick(form.inputs["cin"], Qt.Key.Key_Return)
    assert persons.active_count(db) == 1


def test_household_create_add_member_and_head(qtbot, shell_factory, receptionist, known, ctx) -> None:  # type: ignore[no-untyped-def]
    child = registry.register_person(ctx=ctx, data={"given_name_ar": "ياسين", "family_name_ar": "العلوي",
                                                     "given_name_lat": "Yassine", "birth_date": "2015-01-01"})
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    screen = main.show_section("people")
    with qtbot.waitSignal(screen.person_opened, timeout=10_000):
        screen.open_person(known.id)
    panel = screen.panel
    view = panel.household
    idle(qtbot, shell)
    assert not view.create_button.isHidden()
    with qtbot.waitSignal(view.changed, timeout=10_000):
        qtbot.mouseClick(view.create_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    assert view.model.rowCount() == 1 and view.model.row_at(0).is_head
    with qtbot.waitSignal(view.picker.model.searched, timeout=10_000):
        qtbot.keyClicks(view.picker.query, "Yassine")
    view.relationship.setCurrentIndex(view.relationship.findData("child"))
    choose(qtbot, view.picker)
    with qtbot.waitSignal(view.changed, timeout=10_000):
        qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    assert {m.person.id: m.relationship for m in view.model.rows} == {known.id: "head", child.id: "child"}
    view.table.selectRow(1)
    with qtbot.waitSignal(view.changed, timeout=10_000):
        qtbot.mouseClick(view.head_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    assert [m.person.id for m in view.model.rows if m.is_head] == [child.id]
    view.table.selectRow([m.person.id for m in view.model.rows].index(child.id))
    with qtbot.waitSignal(view.changed, timeout=10_000):
        qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    assert [m.person.id for m in view.model.rows] == [known.id]
    assert not any(m.is_head for m in view.model.rows)  # the head left; a new one can be set


def test_merge_and_undo_for_coordinators_only(qtbot, shell_factory, coordinator, receptionist, known, ctx, db) -> None:  # type: ignore[no-untyped-def]
    twin = registry.register_person(ctx=ctx, data={"given_name_lat": "Fatima", "family_name_lat": "Alaoui",
                                                    "phone": "0700000001"})
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    screen = main.show_section("people")
    with qtbot.waitSignal(screen.person_opened, timeout=10_000):
        screen.open_person(known.id)
    panel = screen.panel
    assert panel.merge is not None
    merge = panel.merge
    with qtbot.waitSignal(merge.picker.model.searched, timeout=10_000):
        qtbot.keyClicks(merge.picker.query, "0700000001")
    choose(qtbot, merge.picker)
    assert merge.picker.current_id() == twin.id
    with qtbot.waitSignal(merge.merged, timeout=10_000):
        qtbot.mouseClick(merge.merge_button, Qt.MouseButton.LeftButton)
    assert persons.get(db, twin.id).merged_into == known.id
    with qtbot.waitSignal(merge.undone, timeout=10_000):
        qtbot.mouseClick(merge.undo_button, Qt.MouseButton.LeftButton)
    assert persons.get(db, twin.id).merged_into is None
    idle(qtbot, shell)


def test_receptionist_has_no_merge_tab(qtbot, shell_factory, receptionist, known) -> None:  # type: ignore[no-untyped-def]
    main = sign_in(qtbot, shell_factory(), "recep")
    screen = main.show_section("people")
    with qtbot.waitSignal(screen.person_opened, timeout=10_000):
        screen.open_person(known.id)
    assert screen.panel.merge is None and screen.panel.count() == 4  # and Privacy


def test_edit_a_person(qtbot, shell_factory, receptionist, known, db, ctx) -> None:  # type: ignore[no-untyped-def]
    main = sign_in(qtbot, shell_factory(), "recep")
    screen = main.show_section("people")
    with qtbot.waitSignal(screen.picker.model.searched, timeout=10_000):
        qtbot.keyClicks(screen.picker.query, "AB123456")
    with qtbot.waitSignal(screen.person_opened, timeout=10_000):
        choose(qtbot, screen.picker)
    form = screen.panel.form
    assert form.inputs["phone"].text() == "06 12 34 56 78"
    form.inputs["phone"].clear()
    qtbot.keyClicks(form.inputs["phone"], "0700112233")
    with qtbot.waitSignal(form.saved, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert persons.get(db, known.id).phone == "+212700112233"
    history = registry.history(ctx=ctx, entity="person", entity_id=known.id)
    assert [h["action"] for h in history] == ["register_person", "update_person"]
    assert set(history[1]["changes"]) == {"phone"}  # only what was changed is written

