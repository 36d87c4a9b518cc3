"""The person form refuses a pasted control character with a message naming the field,
next to that field, in the program's language; nothing is saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from jisr_desktop.db import persons
from jisr_desktop.ui.person_form import PersonForm
from tests.ui.conftest import sign_in, type_text


def test_a_pasted_nul_is_refused_at_the_form(qtbot, shell_factory, receptionist, db) -> None:  # type: ignore[no-untyped-def]
    main = sign_in(qtbot, shell_factory(lang="fr"), "recep")
    screen = main.show_section("people")
    main.actions_by_name["new_person"].trigger()
    form = screen.panel
    assert isinstance(form, PersonForm)
    given = form.inputs["given_name_lat"]
    assert isinstance(given, QLineEdit)
    type_text(qtbot, given, "Sa")
    given.insert("\x00ra")  # what a paste inserts
    assert "\x00" in given.text()
    with qtbot.waitSignal(form.messages_shown, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    label = form.messages["given_name_lat"]
    assert not label.isHidden()
    assert label.text() == ("« Prénom (en lettres latines) » contient un caractère de contrôle invisible"
                            " (souvent collé depuis un autre programme) : supprimez-le.")
    assert persons.active_count(db) == 0
