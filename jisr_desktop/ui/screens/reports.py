"""The Reports section (coordinators): pick a printout, a day or a month and a language, see
its pages, print them or save the PDF.

Building the PDF and rendering its pages (pypdfium2, `reports.render`) run on the database
worker of the task helper, never on the GUI thread; only the finished PNG bytes come back.
Printing paints pages rendered at the printer's resolution on the full paper, so a page
comes out at 100% — card sheets must also be printed with "fit to page" off, which the
screen reminds the coordinator of.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QMarginsF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap, QShowEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop.context import Context
from jisr_desktop.i18n import N_, _, translate
from jisr_desktop.ui.dialogs import Dialogs, show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role
from jisr_desktop.ui.widgets import DateEdit

PREVIEW_DPI = 60
PRINT_DPI_MAX = 300
PREVIEW_PAGES_MAX = 30


@dataclass(frozen=True)
class ReportKind:
    key: str
    title: str      # msgid
    period: str     # "day", "month" or "none"
    landscape: bool = False


REPORTS = (
    ReportKind("nursery", N_("Nursery — daily roster"), "day", True),
    ReportKind("nursery_blank", N_("Nursery — paper roster"), "day", True),
    ReportKind("club", N_("Elderly club — attendance sheet"), "day", True),
    ReportKind("club_blank", N_("Elderly club — paper attendance sheet"), "day", True),
    ReportKind("workshop", N_("Workshop — session sign-in sheet"), "day", True),
    ReportKind("workshop_blank", N_("Workshop — paper sign-in sheet"), "day", True),
    ReportKind("monthly", N_("Monthly activity report"), "month"),
    ReportKind("cards", N_("Member cards"), "none"),
)
LANGUAGES = (("ar", "العربية"), ("fr", "Français"))  # each language's own name


def build_report(ctx: Context, kind: ReportKind, day: date, lang: str) -> tuple[bytes, int]:
    """The PDF bytes of one report and its page count (runs on the database worker)."""
    out = io.BytesIO()
    if kind.key == "monthly":
        from jisr_desktop.reports.monthly import build_monthly_report

        pages = build_monthly_report(out, db=ctx.db, year=day.year, month=day.month, lang=lang)
    elif kind.key == "cards":
        from jisr_desktop.reports.cards_sheet import build_card_sheet

        pages = build_card_sheet(out, db=ctx.db, lang=lang, day=ctx.today())
    else:
        from jisr_desktop.reports.rosters import RosterRequest, build_roster

        roster, _sep, blank = kind.key.partition("_")
        pages = build_roster(out, ctx=ctx, request=RosterRequest(roster, day, lang, blank == "blank"))
    return out.getvalue(), pages


def render_pages(pdf: bytes, dpi: float, limit: int | None = None) -> list[bytes]:
    """PNG bytes of the pages (runs on the database worker, never on the GUI thread)."""
    from jisr_desktop.reports.render import page_count, render_page_png

    count = page_count(pdf)
    return [render_page_png(pdf, i, dpi=dpi) for i in range(min(count, limit or count))]


class ReportsScreen(RetranslateMixin, QWidget):
    """Printouts and their preview.

    Signals:
        preview_ready(int): the preview of the chosen report is shown (its page count).
        saved(str): the PDF was written to this path.
        printed(int): this many pages were sent to the printer.
    """

    preview_ready = Signal(int)
    saved = Signal(str)
    printed = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.pdf: bytes | None = None
        self.pages = 0
        self.stale = False  # rows changed while the screen was hidden: build again when shown
        self.title = QLabel()
        set_role(self.title, "title")
        self.report = QComboBox()
        self.report.setObjectName("reportKind")
        self.day = DateEdit(QDate.currentDate())
        self.day.setObjectName("reportDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.month = DateEdit(QDate.currentDate())
        self.month.setObjectName("reportMonth")
        self.month.setDisplayFormat("MM/yyyy")
        self.language = QComboBox()
        self.language.setObjectName("reportLanguage")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.preview_button = QPushButton()
        self.preview_button.setObjectName("previewReport")
        self.print_button = QPushButton()
        self.print_button.setObjectName("printReport")
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveReport")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.form = QFormLayout()
        self.day_label, self.month_label, self.report_label, self.language_label = QLabel(), QLabel(), QLabel(), QLabel()
        self.form.addRow(self.report_label, self.report)
        self.form.addRow(self.day_label, self.day)
        self.form.addRow(self.month_label, self.month)
        self.form.addRow(self.language_label, self.language)
        buttons = QHBoxLayout()
        for b in (self.preview_button, self.print_button, self.save_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.page_box = QVBoxLayout()
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        holder = QWidget()
        holder.setLayout(self.page_box)
        self.page_area = QScrollArea()
        self.page_area.setWidgetResizable(True)
        self.page_area.setWidget(holder)
        self.page_labels: list[QLabel] = []
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addLayout(self.form)
        left.addLayout(buttons)
        left.addWidget(self.status)
        left.addStretch(1)
        box = QHBoxLayout(self)
        box.addLayout(left, 1)
        box.addWidget(self.page_area, 3)
        self.report.currentIndexChanged.connect(self._changed)
        self.day.dateChanged.connect(self._changed)
        self.month.dateChanged.connect(self._changed)
        self.language.currentIndexChanged.connect(self._changed)
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_report)
        self.retranslate()
        self._changed()

    # --- asking (tests replace these) -----------------------------------------------------

    @classmethod
    def ask_save_path(cls, parent: QWidget | None, suggested: str) -> str | None:
        path, _filter = QFileDialog.getSaveFileName(parent, _("Save the PDF"), suggested, "PDF (*.pdf)")
        return path or None

    @classmethod
    def ask_printer(cls, parent: QWidget | None, printer: QPrinter) -> bool:
        return QPrintDialog(printer, parent).exec() == QPrintDialog.DialogCode.Accepted

    # --- state ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(_("Reports"))
        self.report_label.setText(_("Report"))
        self.day_label.setText(_("Day"))
        self.month_label.setText(_("Month"))
        self.language_label.setText(_("Language of the document"))
        self.preview_button.setText(_("Preview"))
        self.print_button.setText(_("Print…"))
        self.save_button.setText(_("Save the PDF…"))
        current = self.report.currentIndex()
        self.report.blockSignals(True)
        self.report.clear()
        for kind in REPORTS:
            self.report.addItem(translate(kind.title), kind.key)
        self.report.setCurrentIndex(max(current, 0))
        self.report.blockSignals(False)

    def kind(self) -> ReportKind:
        return REPORTS[max(self.report.currentIndex(), 0)]

    def choose(self, key: str) -> None:
        self.report.setCurrentIndex([k.key for k in REPORTS].index(key))

    def chosen_day(self) -> date:
        widget = self.month if self.kind().period == "month" else self.day
        chosen = widget.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def chosen_language(self) -> str:
        return str(self.language.currentData())

    def _changed(self, *args: Any) -> None:
        period = self.kind().period
        self.day.setEnabled(period == "day")
        self.month.setEnabled(period == "month")
        self.pdf = None
        self.status.setText("")

    def refresh(self) -> None:
        """F5, or rows changed (`Session.data_changed`): the preview is built again, but only
        while this screen is visible; a hidden screen builds it again when it is shown."""
        if self.isVisible():
            self.stale = False
            self.preview()
        else:
            self.pdf = None  # saving or printing builds it again
            self.stale = bool(self.page_labels)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.stale = False
            self.preview()

    # --- preview ----------------------------------------------------------------------------

    def _build(self, on_done: Callable[[Any], None], dpi: float | None, limit: int | None = None) -> None:
        kind, day, lang = self.kind(), self.chosen_day(), self.chosen_language()
        self.status.setText(_("Preparing the document…"))
        for b in (self.preview_button, self.print_button, self.save_button):
            b.setEnabled(False)

        def job(ctx: Context) -> tuple[bytes, int, list[bytes]]:
            pdf, pages = build_report(ctx, kind, day, lang)
            return pdf, pages, render_pages(pdf, dpi, limit) if dpi else []

        def failed(exc: BaseException) -> None:
            self._idle("")
            show_error(self, exc)

        self.session.call(job, on_done, failed, key="report")

    def _idle(self, text: str) -> None:
        self.status.setText(text)
        for b in (self.preview_button, self.print_button, self.save_button):
            b.setEnabled(True)

    def preview(self) -> None:
        self._build(self._show_preview, PREVIEW_DPI, PREVIEW_PAGES_MAX)

    def _show_preview(self, result: tuple[bytes, int, list[bytes]]) -> None:
        self.pdf, self.pages, images = result
        for old in self.page_labels:
            old.deleteLater()
        self.page_labels = []
        for png in images:
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            page = QLabel()
            page.setPixmap(pixmap)
            page.setFixedSize(pixmap.size() + QSize(2, 2))  # never squeezed (and clipped) by the layout
            set_role(page, "page")
            self.page_box.addWidget(page)
            self.page_labels.append(page)
        self._idle(translate_pages(self.pages))
        self.preview_ready.emit(self.pages)

    # --- save -------------------------------------------------------------------------------

    def suggested_name(self) -> str:
        kind, day = self.kind(), self.chosen_day()
        stamp = f"{day:%Y-%m}" if kind.period == "month" else f"{day:%Y-%m-%d}"
        return f"{kind.key}-{stamp}-{self.chosen_language()}.pdf"

    def save(self) -> None:
        path = self.ask_save_path(self, str(self.session.root / self.suggested_name()))
        if not path:
            return
        if self.pdf is None:
            self._build(lambda result: self._write(path, result[0]), None)
        else:
            self._write(path, self.pdf)

    def _write(self, path: str, pdf: bytes) -> None:
        def done(_result: Any) -> None:
            self._idle(_("Saved to {path}.", path=path))
            self.saved.emit(path)

        self.session.call(lambda ctx: Path(path).write_bytes(pdf), done, lambda exc: show_error(self, exc))

    # --- print ------------------------------------------------------------------------------

    def print_report(self) -> None:
        kind = self.kind()
        if kind.key == "cards":
            Dialogs.inform(self, _("Printing member cards"),
                           _("In the print dialog, choose the actual size (100%) and turn “fit to page” off, "
                             "or the cards will not have their real size."))
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setFullPage(True)
        orientation = QPageLayout.Orientation.Landscape if kind.landscape else QPageLayout.Orientation.Portrait
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF()))
        if not self.ask_printer(self, printer):
            return
        dpi = min(printer.resolution(), PRINT_DPI_MAX)
        self._build(lambda result: self._paint(printer, result[2]), dpi)

    def _paint(self, printer: QPrinter, images: list[bytes]) -> None:
        painter = QPainter(printer)
        try:
            for i, png in enumerate(images):
                if i:
                    printer.newPage()
                image = QImage.fromData(png)
                paper = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
                painter.drawImage(QRect(0, 0, paper.width(), paper.height()), image)
        finally:
            painter.end()
        self._idle(_("Sent to the printer."))
        self.printed.emit(len(images))


def translate_pages(n: int) -> str:
    from jisr_desktop.i18n import translate_plural

    return translate_plural("{n} page", "{n} pages", n)
