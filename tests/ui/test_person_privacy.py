"""The Consents tab of a person's record (issue 17, points 3 and 4): reception records and
withdraws a consent by clicking, a coordinator exports the person's whole file into a folder;
pictures in Arabic and French at 1366x768."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from jisr_desktop.services import consent, registry
from jisr_desktop.ui.screens.privacy import PersonPrivacy
from tests.ui.conftest import idle, open_record
from tests.ui.test_screenshots import _save


def _open(qtbot, shell_factory, user, person, lang: str = "en"):  # type: ignore[no-untyped-def]
    shell, main, screen = open_record(qtbot, shell_factory, user.username, person.id, lang)
    panel = screen.panel
    panel.setCurrentWidget(panel.privacy)
    idle(qtbot, shell)
    return shell, main, panel.privacy


@pytest.fixture
def khadija(ctx):  # type: ignore[no-untyped-def]
    return registry.register_person(ctx=ctx, data={
        "given_name_ar": "خديجة", "family_name_ar": "الإدريسي", "given_name_lat": "Khadija",
        "family_name_lat": "El Idrissi", "birth_date": "1988-04-12", "phone": "0612345678"})


def test_reception_records_and_withdraws_a_consent(qtbot, shell_factory, receptionist, ctx, khadija) -> None:  # type: ignore[no-untyped-def]
    shell, _main, tab = _open(qtbot, shell_factory, receptionist, khadija)
    assert not tab.export_button.isVisible()  # reception does not export a whole file
    tab.choose("photos")
    tab.validity.setCurrentIndex(1)
    assert "Khadija El Idrissi" in tab.give_button.text()
    qtbot.mouseClick(tab.give_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    idle(qtbot, shell)
    assert tab.model.rowCount() == 1
    [row] = consent.consents_of(ctx=ctx, person_id=khadija.id)
    assert row.purpose == "photos" and row.expires_on is not None
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.withdraw_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    idle(qtbot, shell)
    [gone] = consent.consents_of(ctx=ctx, person_id=khadija.id)
    assert gone.withdrawn_on == gone.given_on  # withdrawn today, the day it was given
    assert tab.model.index(0, 4).data() == "Withdrawn"


def test_a_coordinator_exports_the_file_into_a_folder(qtbot, shell_factory, coordinator, khadija, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(PersonPrivacy, "ask_folder", classmethod(lambda cls, p, t: str(tmp_path)))
    shell, _main, tab = _open(qtbot, shell_factory, coordinator, khadija)
    assert tab.export_button.isVisible()
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    data = json.loads((tmp_path / f"{khadija.file_no}.json").read_text(encoding="utf-8"))
    assert data["sections"]["person"][0]["given_name_lat"] == "Khadija"
    assert (tmp_path / f"{khadija.file_no}.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_consents_tab_pictures(qtbot, shell_factory, coordinator, ctx, khadija, lang: str) -> None:  # type: ignore[no-untyped-def]
    consent.give(ctx=ctx, person_id=khadija.id, purpose="registration")
    consent.give(ctx=ctx, person_id=khadija.id, purpose="service", service="workshop")
    consent.give(ctx=ctx, person_id=khadija.id, purpose="photos")
    consent.withdraw(ctx=ctx, person_id=khadija.id, purpose="photos")
    _shell, main, tab = _open(qtbot, shell_factory, coordinator, khadija, lang)
    assert tab.model.rowCount() == 3 and tab.export_button.isVisible()
    assert main.height() <= 768
    _save(main, f"person_consents_{lang}")
