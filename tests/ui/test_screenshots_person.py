"""Issue 13 (point 7): pictures of a person's record with its heading (name and file number beside
the tabs) at 1366x768, in Arabic and French, for a receptionist and a coordinator (more tabs)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from jisr_desktop.services import registry
from tests.ui.conftest import open_record
from tests.ui.test_screenshots import _save


@pytest.mark.parametrize("lang", ["ar", "fr"])
@pytest.mark.parametrize("role", ["receptionist", "coordinator"])
def test_person_heading_pictures(qtbot, shell_factory, request, ctx, role: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(role)
    person = registry.register_person(ctx=ctx, data={
        "given_name_ar": "خديجة", "family_name_ar": "الإدريسي", "given_name_lat": "Khadija",
        "family_name_lat": "El Idrissi", "birth_date": "1988-04-12", "phone": "0612345678"})
    _shell, main, screen = open_record(qtbot, shell_factory, user.username, person.id, lang)
    heading = screen.panel.findChild(QLabel, "personHeading")
    assert heading is not None and heading.isVisible()
    assert person.file_no in heading.text()
    assert main.height() <= 768
    _save(main, f"person_heading_{role}_{lang}")
