"""Screenshots of the main screens in Arabic and French, written to tests/results/screenshots
(for people to look at; the README shows two of them). The test checks that each image was
written and is not blank."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from jisr_desktop.services import households, registry, visits
from tests.ui.conftest import choose, idle, sign_in

OUT = Path(__file__).resolve().parents[1] / "results" / "screenshots"

FAMILY = [
    {"given_name_ar": "فاطمة", "family_name_ar": "العلوي", "given_name_lat": "Fatima",
     "family_name_lat": "Alaoui", "birth_date": "1985-03-14", "cin": "AB123456", "phone": "0612345678", "sex": "F"},
    {"given_name_ar": "محمد", "family_name_ar": "العلوي", "given_name_lat": "Mohamed",
     "family_name_lat": "Alaoui", "birth_date": "1980-07-02", "cin": "AB654321", "phone": "0661234567", "sex": "M"},
    {"given_name_ar": "ياسين", "family_name_ar": "العلوي", "given_name_lat": "Yassine",
     "family_name_lat": "Alaoui", "birth_date": "2015-01-09", "sex": "M"},
    {"given_name_ar": "سلمى", "family_name_ar": "العلوي", "given_name_lat": "Salma",
     "family_name_lat": "Alaoui", "birth_date": "2019-11-23", "sex": "F"},
]


def _save(widget, name: str) -> Path:  # type: ignore[no-untyped-def]
    OUT.mkdir(parents=True, exist_ok=True)
    for _round in range(3):  # let layouts settle after the last change
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    path = OUT / f"{name}.png"
    assert widget.grab().save(str(path))
    image = QImage(str(path))
    assert image.width() >= 600 and image.height() >= 400
    colours = {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert len(colours) > 8, f"{name} looks blank"  # text is anti-aliased: many shades
    return path


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_screenshots(qtbot, shell_factory, receptionist, ctx, clock, lang) -> None:  # type: ignore[no-untyped-def]
    people = [registry.register_person(ctx=ctx, data=d) for d in FAMILY]
    household = households.create_household(ctx=ctx, head_person_id=people[0].id)
    for person, rel in zip(people[1:], ["spouse", "child", "child"], strict=True):
        households.add_member(ctx=ctx, household_id=household.id, person_id=person.id, relationship=rel)
    for person, program, outcome in ((people[0], "rsu", "helped"), (people[1], "awrach", "referred")):
        visits.log_visit(ctx=ctx, data={"person_id": person.id, "program_code": program,
                                        "channel": "in_person", "outcome": outcome,
                                        "referral_to": "ANAPEC" if outcome == "referred" else ""})
    shell = shell_factory(lang=lang, clock=clock)
    main = sign_in(qtbot, shell, "recep")
    main.resize(1280, 780)
    desk = main.show_section("reception")
    with qtbot.waitSignal(desk.picker.model.searched, timeout=10_000):
        qtbot.keyClicks(desk.picker.query, "Alaoui")
    idle(qtbot, shell)
    choose(qtbot, desk.picker)
    idle(qtbot, shell)
    _save(main, f"reception_{lang}")
    screen = main.show_section("people")
    with qtbot.waitSignal(screen.picker.model.searched, timeout=10_000):
        qtbot.keyClicks(screen.picker.query, "Alaoui")
    with qtbot.waitSignal(screen.person_opened, timeout=10_000):
        screen.open_person(people[0].id)
    screen.panel.setCurrentIndex(1)
    idle(qtbot, shell)
    _save(main, f"people_household_{lang}")
    screen.panel.setCurrentIndex(0)
    _save(main, f"person_form_{lang}")
    main.new_record()
    form = screen.panel
    form.set_values({"given_name_lat": "Fatima", "family_name_lat": "Alaoui", "cin": "AB123456"})
    with qtbot.waitSignal(form.duplicates_shown, timeout=10_000):
        form.save()
    _save(main, f"duplicate_card_{lang}")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_first_windows_screenshots(qtbot, shell_factory, home, lang) -> None:  # type: ignore[no-untyped-def]
    """The first-run wizard on an empty data root, then the login window."""
    from PySide6.QtWidgets import QWizard

    shell = shell_factory(lang=lang)
    with qtbot.waitSignal(shell.wizard_shown, timeout=10_000):
        shell.start()
    wizard = shell.wizard
    qtbot.addWidget(wizard)
    wizard.resize(700, 480)
    _save(wizard, f"wizard_{lang}")
    page = wizard.center_page
    page.name_ar.setText("فضاء جسر الأسرة تيزنيت")
    page.name_fr.setText("Espace Jisr Tiznit")
    page.code.setText("TZN01")
    page.province.setCurrentIndex(1)
    wizard.next()
    account = wizard.account_page
    for field, value in ((account.display_name, "Khadija"), (account.username, "khadija"),
                         (account.password, "long password"), (account.confirm, "long password")):
        field.setText(value)
    with qtbot.waitSignal(shell.login_shown, timeout=10_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    shell.login.resize(700, 420)
    _save(shell.login, f"login_{lang}")
