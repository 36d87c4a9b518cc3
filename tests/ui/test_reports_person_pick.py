"""Issue 14 point 9: the Reports screen prints a person's papers (consent receipt, workshop
certificate, her member cards) for a person found by search, with the desk's rule that whom
it is for is explicit: nobody is chosen while typing, Enter or a double click chooses her, a
new search clears the choice, and the buttons wait until she (and her workshop) is chosen.
The card sheet can hold only the cards never printed."""

from __future__ import annotations

from pathlib import Path

import pypdf
from PySide6.QtCore import Qt

from jisr_desktop.services import cards, club
from jisr_desktop.services.registry import register_person
from jisr_desktop.ui.screens.reports import ReportsScreen
from tests.ui.conftest import choose, idle, sign_in
from tests.unit.reports import scenario


def _search(qtbot, picker, text: str) -> None:  # type: ignore[no-untyped-def]
    picker.query.clear()
    with qtbot.waitSignal(picker.model.searched, timeout=10_000):
        qtbot.keyClicks(picker.query, text)


def _buttons(screen: ReportsScreen) -> list[bool]:
    return [b.isEnabled() for b in (screen.preview_button, screen.print_button, screen.save_button)]


def _text(path: Path) -> str:
    return "\n".join(p.extract_text(extraction_mode="layout") for p in pypdf.PdfReader(path).pages)


def _save(qtbot, screen: ReportsScreen, target: Path, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ReportsScreen, "ask_save_path", classmethod(lambda cls, parent, suggested: str(target)))
    with qtbot.waitSignal(screen.saved, timeout=60_000):
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    return _text(target)


def test_consent_receipt_for_the_person_chosen_not_the_one_typed(qtbot, shell_factory, coord_ctx, ctx, clock,  # type: ignore[no-untyped-def]
                                                                  tmp_path: Path, monkeypatch) -> None:
    sc = scenario.build(coord_ctx, ctx, clock)
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    screen = main.show_section("reports")
    assert isinstance(screen, ReportsScreen)
    screen.choose("consent")
    assert screen.picker.isVisible() and not screen.day.isEnabled()
    assert _buttons(screen) == [False, False, False]  # nobody chosen yet: nothing to build
    assert "choose the person" in screen.who.text()
    _search(qtbot, screen.picker, "sara")
    idle(qtbot, shell)
    assert screen.picker.model.rowCount() == 1
    assert screen.person is None and _buttons(screen) == [False, False, False]  # typing chooses nobody
    choose(qtbot, screen.picker)
    sara = sc.people["sara"]
    assert screen.person is not None and screen.person.id == sara.id
    assert "Sara Benali" in screen.who.text() and sara.file_no in screen.who.text()
    assert _buttons(screen) == [True, True, True]
    assert screen.suggested_name() == f"consent-{sara.file_no}-ar.pdf"
    screen.language.setCurrentIndex(screen.language.findData("fr"))
    assert screen.person is not None  # the language does not change whom it is for
    text = _save(qtbot, screen, tmp_path / "consent.pdf", monkeypatch)
    assert "Sara Benali" in text and "Fatima" not in text
    # a new search forgets her: the paper is for nobody until someone is chosen again
    _search(qtbot, screen.picker, "fatima")
    idle(qtbot, shell)
    assert screen.person is None and "Sara" not in screen.who.text()
    assert _buttons(screen) == [False, False, False] and screen.pdf is None


def test_certificate_for_a_chosen_enrollment(qtbot, shell_factory, coord_ctx, ctx, clock, tmp_path: Path,  # type: ignore[no-untyped-def]
                                            monkeypatch) -> None:
    sc = scenario.build(coord_ctx, ctx, clock)
    scenario.later_days(coord_ctx, ctx, clock, sc)  # Sara present at both sessions
    shell = shell_factory()  # the real clock: the sessions of November are over
    main = sign_in(qtbot, shell, "coord")
    screen = main.show_section("reports")
    screen.choose("certificate")
    assert screen.enrollment.isVisible()
    # Youssef takes no workshop: said in words, nothing can be built
    _search(qtbot, screen.picker, "youssef")
    idle(qtbot, shell)
    with qtbot.waitSignal(screen.enrollments_loaded, timeout=10_000) as loaded:
        choose(qtbot, screen.picker)
    assert loaded.args == [0]
    assert "Youssef Bennani" in screen.who.text() and "no workshop enrollment" in screen.who.text()
    assert _buttons(screen) == [False, False, False]
    _search(qtbot, screen.picker, "sara")
    idle(qtbot, shell)
    assert screen.person is None and screen.enrollment.count() == 0
    with qtbot.waitSignal(screen.enrollments_loaded, timeout=10_000) as loaded:
        choose(qtbot, screen.picker)
    assert loaded.args == [1] and screen.enrollment.currentData() == sc.enrollment_ids["sara"]
    assert "الخياطة التقليدية" in screen.enrollment.currentText()
    assert _buttons(screen) == [True, True, True]
    screen.language.setCurrentIndex(screen.language.findData("fr"))
    with qtbot.waitSignal(screen.preview_ready, timeout=30_000) as ready:
        qtbot.mouseClick(screen.preview_button, Qt.MouseButton.LeftButton)
    assert ready.args == [1]
    text = _save(qtbot, screen, tmp_path / "certificate.pdf", monkeypatch)
    assert "Sara Benali" in text and "Fatima" not in text
    assert "Présent(e) à 2 séances sur 2 tenues" in text


def test_card_sheet_of_new_cards_only_and_one_person_s_cards(qtbot, shell_factory, coord_ctx, ctx, clock,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from jisr_desktop.ui.dialogs import Dialogs

    sc = scenario.build(coord_ctx, ctx, clock)
    monkeypatch.setattr(Dialogs, "inform", classmethod(lambda cls, parent, title, text: None))
    printed_pdf = tmp_path / "printed.pdf"

    def printer_chosen(cls, parent, printer: QPrinter) -> bool:  # type: ignore[no-untyped-def]
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed_pdf))
        return True

    monkeypatch.setattr(ReportsScreen, "ask_printer", classmethod(printer_chosen))
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    screen = main.show_section("reports")
    screen.choose("cards")
    assert screen.new_only.isVisible() and not screen.picker.isVisible()
    screen.new_only.setChecked(True)
    with qtbot.waitSignal(screen.printed, timeout=60_000) as printed:
        qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    assert printed.args == [2]  # the seven cards, never printed yet
    # printed: the sheet of new cards is empty now, and the screen says so in words
    with qtbot.assertNotEmitted(screen.preview_ready, wait=0):
        qtbot.mouseClick(screen.preview_button, Qt.MouseButton.LeftButton)
        idle(qtbot, shell)
    assert "printed already" in screen.status.text()
    # a new member's card and a reprint come out, and nothing else
    newcomer = register_person(ctx=coord_ctx, data={"given_name_lat": "Naima", "family_name_lat": "Zahra"})
    club.enroll_member(ctx=coord_ctx, person_id=newcomer.id)
    lost = cards.reprint_card(ctx=coord_ctx, person_id=sc.people["driss"].id, service="club")
    screen.language.setCurrentIndex(screen.language.findData("fr"))
    text = _save(qtbot, screen, tmp_path / "new.pdf", monkeypatch)
    assert "Naima Zahra" in text and "Driss El Hassani" in text and lost.display_code in text
    assert "Khadija Fassi" not in text and "Salma El Alaoui" not in text
    # one person's cards: Salma's, chosen by search, printed before or not
    screen.choose("person_cards")
    assert _buttons(screen) == [False, False, False]
    _search(qtbot, screen.picker, "salma")
    idle(qtbot, shell)
    choose(qtbot, screen.picker)
    text = _save(qtbot, screen, tmp_path / "salma.pdf", monkeypatch)
    assert "Salma El Alaoui" in text and "Naima Zahra" not in text and "Khadija Fassi" not in text


def test_a_card_printed_from_the_member_card_dialog_leaves_the_new_cards(qtbot, shell_factory, coord_ctx, ctx,  # type: ignore[no-untyped-def]
                                                                          clock, tmp_path: Path,
                                                                          monkeypatch) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from jisr_desktop.reports.cards_sheet import cards_to_print
    from jisr_desktop.ui.screens.cards import MemberCardDialog

    sc = scenario.build(coord_ctx, ctx, clock)
    shell = shell_factory()
    sign_in(qtbot, shell, "coord")
    khadija = sc.people["hajja"]
    fresh = {c.person_id for c in cards_to_print(coord_ctx.db, lang="fr", unprinted_only=True)}
    assert khadija.id in fresh
    target = tmp_path / "card.pdf"

    def to_file(cls, parent, printer: QPrinter) -> bool:  # type: ignore[no-untyped-def]
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return True

    monkeypatch.setattr(MemberCardDialog, "ask_printer", classmethod(to_file))
    dialog = MemberCardDialog(shell.session, khadija.id, "club", "Khadija Fassi")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.card is not None, timeout=10_000)
    with qtbot.waitSignal(dialog.printed, timeout=30_000):
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    left = {c.person_id for c in cards_to_print(coord_ctx.db, lang="fr", unprinted_only=True)}
    assert left == fresh - {khadija.id}  # her card is printed now; the others are still new
