"""The Reports section: a coordinator picks a roster, waits for the preview (built and
rendered in the background), and saves the PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdf
from PySide6.QtCore import QDate, Qt

from jisr_desktop.ui.screens.reports import ReportsScreen
from tests.ui.conftest import idle, sign_in
from tests.unit.reports import scenario


def test_preview_then_save_the_nursery_roster(qtbot, shell_factory, coord_ctx, ctx, clock, tmp_path: Path,  # type: ignore[no-untyped-def]
                                              monkeypatch) -> None:
    scenario.build(coord_ctx, ctx, clock)
    main = sign_in(qtbot, shell_factory(), "coord")
    assert "reports" in main.section_keys()
    screen = main.show_section("reports")
    assert isinstance(screen, ReportsScreen)
    screen.choose("nursery")
    screen.day.setDate(QDate(2026, 11, 2))
    screen.language.setCurrentIndex(screen.language.findData("fr"))
    with qtbot.waitSignal(screen.preview_ready, timeout=30_000) as ready:
        qtbot.mouseClick(screen.preview_button, Qt.MouseButton.LeftButton)
    assert ready.args == [1]
    assert len(screen.page_labels) == 1 and not screen.page_labels[0].pixmap().isNull()
    # fitted to the preview panel's width (tests/ui/test_preview_zoom.py)
    assert screen.page_labels[0].width() >= screen.page_area.viewport().width() - 40
    target = tmp_path / "roster.pdf"
    monkeypatch.setattr(ReportsScreen, "ask_save_path", classmethod(lambda cls, parent, suggested: str(target)))
    with qtbot.waitSignal(screen.saved, timeout=30_000):
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    text = pypdf.PdfReader(target).pages[0].extract_text(extraction_mode="layout")
    assert "Salma El Alaoui" in text and "08:30" in text and "2 novembre 2026" in text


def test_monthly_report_saved_without_a_preview(qtbot, shell_factory, coord_ctx, ctx, clock, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                monkeypatch) -> None:
    scenario.build(coord_ctx, ctx, clock)
    main = sign_in(qtbot, shell_factory(), "coord")
    screen = main.show_section("reports")
    screen.choose("monthly")
    assert screen.month.isEnabled() and not screen.day.isEnabled()
    screen.month.setDate(QDate(2026, 11, 1))
    assert screen.chosen_day() == date(2026, 11, 1)
    target = tmp_path / "monthly.pdf"
    monkeypatch.setattr(ReportsScreen, "ask_save_path", classmethod(lambda cls, parent, suggested: str(target)))
    with qtbot.waitSignal(screen.saved, timeout=60_000):
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert len(pypdf.PdfReader(target).pages) >= 2


def test_print_cards_warns_about_fit_to_page_and_prints_at_full_size(qtbot, shell_factory, coord_ctx, ctx,  # type: ignore[no-untyped-def]
                                                                    clock, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from jisr_desktop.ui.dialogs import Dialogs

    scenario.build(coord_ctx, ctx, clock)
    told: list[str] = []
    monkeypatch.setattr(Dialogs, "inform", classmethod(lambda cls, parent, title, text: told.append(text)))
    target = tmp_path / "printed.pdf"

    def printer_chosen(cls, parent, printer: QPrinter) -> bool:  # type: ignore[no-untyped-def]
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return True

    monkeypatch.setattr(ReportsScreen, "ask_printer", classmethod(printer_chosen))
    main = sign_in(qtbot, shell_factory(), "coord")
    screen = main.show_section("reports")
    screen.choose("cards")
    with qtbot.waitSignal(screen.printed, timeout=60_000) as printed:
        qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    assert printed.args == [2]  # seven cards, six to a page
    assert told and "100%" in told[0]
    page = pypdf.PdfReader(target).pages[0]
    assert round(float(page.mediabox.width) * 25.4 / 72) == 210  # A4, the full sheet


def test_changed_rows_rebuild_the_preview_only_on_screen(qtbot, shell_factory, coord_ctx, ctx, clock) -> None:  # type: ignore[no-untyped-def]
    """A pull (`Session.data_changed`) rebuilds the preview of the visible Reports screen; a
    hidden one builds nothing until it is shown again."""
    scenario.build(coord_ctx, ctx, clock)
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    screen = main.show_section("reports")
    assert isinstance(screen, ReportsScreen)
    screen.choose("nursery")
    screen.day.setDate(QDate(2026, 11, 2))
    with qtbot.waitSignal(screen.preview_ready, timeout=30_000):
        qtbot.mouseClick(screen.preview_button, Qt.MouseButton.LeftButton)
    session = shell.session
    with qtbot.waitSignal(screen.preview_ready, timeout=30_000):
        session.data_changed.emit(session.PULL, None)
    # hidden: asked to refresh, it builds nothing …
    main.show_section("people")
    assert not screen.isVisible()
    idle(qtbot, shell)
    with qtbot.assertNotEmitted(screen.preview_ready, wait=200):
        screen.refresh()
        assert session.runner.pending() == 0
    assert screen.stale and screen.pdf is None
    # … until it is shown again
    with qtbot.waitSignal(screen.preview_ready, timeout=30_000):
        main.show_section("reports")
    assert not screen.stale and screen.pdf is not None
