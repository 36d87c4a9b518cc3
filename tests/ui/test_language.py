"""Switching language at run time: Arabic flips the layout to right to left and translates
the window; French and back to English; sections not built show a translated page."""

from __future__ import annotations

from PySide6.QtCore import Qt

from jisr_desktop.i18n import translate
from jisr_desktop.settings import Settings
from tests.ui.conftest import idle, sign_in


def test_switch_to_arabic_flips_and_translates(qtbot, shell_factory, coordinator, home) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    people = main.show_section("people")
    assert main.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert main.nav.item(main.section_keys().index("reception")).text() == "Reception"
    settings = main.show_section("settings")
    settings.language.setFocus()
    qtbot.keyClick(settings.language, Qt.Key.Key_Home)  # العربية, first in the list
    assert settings.language.currentData() == "ar"
    assert main.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert people.layoutDirection() == Qt.LayoutDirection.RightToLeft
    for i, key in enumerate(main.section_keys()):
        section = next(s for s in main.sections if s.key == key)
        arabic = translate(section.title, "ar")
        assert arabic != section.title, f"section {key} has no Arabic title"
        assert main.nav.item(i).text() == arabic
    assert main.windowTitle() == translate("Jisr Desktop", "ar")
    assert settings.title.text() == translate("Settings", "ar") != "Settings"
    assert people.new_button.text() == translate("New person", "ar") != "New person"
    header = people.picker.model.headerData(0, Qt.Orientation.Horizontal)
    assert header == translate("Name", "ar") != "Name"
    assert Settings(home)["language"] == "ar"
    qtbot.keyClick(settings.language, Qt.Key.Key_Down)  # Français
    assert main.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert main.nav.item(main.section_keys().index("people")).text() == translate("People and families", "fr") != "People and families"
    idle(qtbot, shell)


def test_sections_not_built_say_they_are_coming(qtbot, shell_factory, receptionist, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jisr_desktop.ui import sections
    from jisr_desktop.ui.main_window import ComingPage

    monkeypatch.setattr(sections, "SECTIONS", list(sections.SECTIONS))
    sections.register_section(sections.Section("later", "Sync", "jisr_desktop.ui.not_built_yet:Screen"))
    main = sign_in(qtbot, shell_factory(lang="fr"), "recep")
    page = main.show_section("later")
    assert isinstance(page, ComingPage)
    expected = translate("“{section}” is coming in a next version of Jisr Desktop.", "fr",
                         section=translate("Sync", "fr"))
    assert page.label.text() == expected
    assert "Synchronisation" in expected


def test_section_registry_takes_one_line(qtbot, shell_factory, receptionist, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jisr_desktop.ui import sections

    monkeypatch.setattr(sections, "SECTIONS", list(sections.SECTIONS))
    sections.register_section(sections.Section("nursery", "Nursery", "jisr_desktop.ui.main_window:ComingPage"))
    sections.register_section(sections.Section("library", "Library", None), before="reports")
    keys = [s.key for s in sections.SECTIONS]
    assert keys.index("library") == keys.index("reports") - 1
    assert keys.count("nursery") == 1
