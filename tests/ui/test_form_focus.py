"""Issue 13 (point 7): the New-person dialog opened from Reception starts in its first field;
saving a person says so; the person panel's heading names whose record it is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from jisr_desktop.services import registry
from jisr_desktop.ui.language import apply_language
from jisr_desktop.ui.person_form import saved_text
from jisr_desktop.ui.screens.people import PersonPanel
from tests.ui.conftest import idle, sign_in


def test_new_person_dialog_starts_in_the_first_field(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    desk = main.show_section("reception")
    idle(qtbot, shell)
    qtbot.mouseClick(desk.register_button, Qt.MouseButton.LeftButton)
    dialog = desk.dialog
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    first = dialog.form.inputs["given_name_ar"]
    qtbot.waitUntil(lambda: dialog.focusWidget() is first, timeout=5_000)
    # Typing goes straight into it.
    qtbot.keyClicks(dialog.focusWidget(), "Hasnaa")
    assert first.text() == "Hasnaa"


def _plain(text: str) -> str:
    return text.replace("\u2068", "").replace("\u2069", "")


def test_saving_a_person_says_so(qtbot, shell_factory, receptionist) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    desk = main.show_section("reception")
    idle(qtbot, shell)
    assert not main.statusBar().currentMessage()
    qtbot.mouseClick(desk.register_button, Qt.MouseButton.LeftButton)
    dialog = desk.dialog
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.form.inputs["given_name_lat"], "Hasnaa")
    qtbot.keyClicks(dialog.form.inputs["family_name_lat"], "Tazi")
    with qtbot.waitSignal(dialog.form.saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.form.save_button, Qt.MouseButton.LeftButton)
    person = saved.args[0]
    assert person.file_no
    assert _plain(main.statusBar().currentMessage()) == f"Saved: Hasnaa Tazi (file {person.file_no})"
    # The same confirmation in French and Arabic.
    apply_language("fr")
    try:
        assert _plain(saved_text(person)) == f"Enregistré : Hasnaa Tazi (dossier {person.file_no})"
        apply_language("ar")
        assert _plain(saved_text(person)).startswith("تم الحفظ: ")
        assert person.file_no in saved_text(person)
    finally:
        apply_language("en")


def test_person_panel_heading_names_the_record(qtbot, shell_factory, receptionist, ctx) -> None:  # type: ignore[no-untyped-def]
    person = registry.register_person(ctx=ctx, data={"given_name_ar": "خديجة", "family_name_ar": "بناني",
                                                      "given_name_lat": "Khadija", "family_name_lat": "Bennani"})
    shell = shell_factory()
    main = sign_in(qtbot, shell, "recep")
    screen = main.show_section("people")
    idle(qtbot, shell)
    with qtbot.waitSignal(screen.person_opened, timeout=10_000):
        screen.open_person(person.id)
    panel = screen.panel
    assert isinstance(panel, PersonPanel)
    heading = panel.findChild(QLabel, "personHeading")
    assert heading is not None and heading.isVisible()
    assert _plain(heading.text()).split("\n") == ["Khadija Bennani", f"file {person.file_no}"]
    # It stays on every tab, and follows a change of name and of language.
    panel.setCurrentIndex(1)
    assert heading.isVisible()
    panel.setCurrentIndex(0)
    name = panel.form.inputs["given_name_lat"]
    name.clear()
    qtbot.keyClicks(name, "Khadiija")
    with qtbot.waitSignal(panel.form.saved, timeout=10_000):
        qtbot.mouseClick(panel.form.save_button, Qt.MouseButton.LeftButton)
    assert _plain(heading.text()).split("\n") == ["Khadiija Bennani", f"file {person.file_no}"]
    apply_language("fr")
    try:
        qtbot.waitUntil(lambda: "dossier" in heading.text(), timeout=5_000)
        assert _plain(heading.text()).split("\n") == ["Khadiija Bennani", f"dossier {person.file_no}"]
    finally:
        apply_language("en")
