"""The Reports section (coordinators): pick a printout, a day or a month and a language, see
its pages, print them or save the PDF.

A person's papers (her member cards, a workshop certificate, the personal-data notice and
consent receipt) are for one person, found with the registry search: as everywhere at the
desk, nobody is chosen while typing — Enter or a double click on her row chooses her — a new
search clears the choice, and the screen says whom the document is for before it is built.
The card sheet can be limited to the cards never printed (new members, reprints); cards sent
to the printer or saved to a PDF are recorded as printed (`services.cards.record_printed`).

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

from PySide6.QtCore import QDate, QEvent, QMarginsF, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPixmap,
    QShortcut,
    QShowEvent,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
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

from jisr_desktop import errors
from jisr_desktop.context import Context
from jisr_desktop.domain.person import Person
from jisr_desktop.i18n import N_, _, translate
from jisr_desktop.services import papers
from jisr_desktop.ui.dialogs import Dialogs, show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone
from jisr_desktop.ui.widgets import DateEdit, PersonPicker, isolate, named

PREVIEW_DPI = 96  # sharp enough for a page fitted to the panel's width (an A4 is 794 px wide)
# The preview's zoom (issue 13, point 5): 1 is a page as wide as the panel.
ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.4, 4.0
PRINT_DPI_MAX = 300
PREVIEW_PAGES_MAX = 30


@dataclass(frozen=True)
class ReportKind:
    key: str
    title: str      # msgid
    period: str     # "day", "month", "none", "person" (a person's paper) or "enrollment" (her workshop)
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
    ReportKind("person_cards", N_("Member cards — one person"), "person"),
    ReportKind("certificate", N_("Certificate of completion"), "enrollment"),
    ReportKind("consent", N_("Personal-data notice and consent receipt"), "person"),
)
CARD_KINDS = ("cards", "person_cards")


@dataclass(frozen=True)
class Request:
    """What to build: the report, its day or month, its language and, for a person's paper,
    whose (and which workshop enrollment); ``new_only`` limits the card sheet."""

    kind: ReportKind
    day: date
    lang: str
    person_id: str | None = None
    enrollment_id: str | None = None
    new_only: bool = False
LANGUAGES = (("ar", "العربية"), ("fr", "Français"))  # each language's own name


def build_report(ctx: Context, kind: ReportKind | Request, day: date | None = None,
                 lang: str | None = None) -> tuple[bytes, int]:
    """The PDF bytes of one report and its page count (runs on the database worker)."""
    request = kind if isinstance(kind, Request) else Request(kind, day or ctx.today(), lang or "ar")
    pdf, pages, _cards = build_request(ctx, request)
    return pdf, pages


def build_request(ctx: Context, r: Request) -> tuple[bytes, int, list[str]]:
    """The PDF, its page count and the ids of the member cards on it (database worker)."""
    out = io.BytesIO()
    key, lang, card_ids = r.kind.key, r.lang, []
    if key == "monthly":
        from jisr_desktop.reports.monthly import build_monthly_report

        pages = build_monthly_report(out, db=ctx.db, year=r.day.year, month=r.day.month, lang=lang,
                                     printed_at=ctx.now())
    elif key in CARD_KINDS:
        from jisr_desktop.reports.cards_sheet import build_card_sheet, cards_to_print

        person_ids = [r.person_id] if key == "person_cards" and r.person_id else None
        new_only = r.new_only and key == "cards"
        found = cards_to_print(ctx.db, lang=lang, person_ids=person_ids, unprinted_only=new_only)
        if new_only and not found:
            raise errors.NotFound(N_("Every live member card has been printed already: nothing was printed."))
        card_ids = [c.id for c in found]
        pages = build_card_sheet(out, db=ctx.db, lang=lang, day=ctx.today(), cards=found)
    elif key == "certificate":
        from jisr_desktop.reports.certificate import build_certificate

        pages = build_certificate(out, ctx=ctx, enrollment_id=str(r.enrollment_id), lang=lang)
    elif key == "consent":
        from jisr_desktop.reports.person_consent import build_person_consent

        pages = build_person_consent(out, ctx=ctx, person_id=str(r.person_id), lang=lang)
    else:
        from jisr_desktop.reports.rosters import RosterRequest, build_roster

        roster, _sep, blank = key.partition("_")
        pages = build_roster(out, ctx=ctx, request=RosterRequest(roster, r.day, lang, blank == "blank"))
    return out.getvalue(), pages, card_ids


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
        enrollments_loaded(int): the chosen person's workshop enrollments are listed (how many).
    """

    preview_ready = Signal(int)
    saved = Signal(str)
    printed = Signal(int)
    enrollments_loaded = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.pdf: bytes | None = None
        self.pages = 0
        self.card_ids: list[str] = []  # the member cards of the built sheet
        self.person: Person | None = None
        self.stale = False  # rows changed while the screen was hidden: build again when shown
        self.zoom = 1.0  # 1: the pages as wide as the preview panel
        self.page_pixmaps: list[QPixmap] = []  # the rendered pages, before fitting
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
        self.new_only = QCheckBox()
        self.new_only.setObjectName("newCardsOnly")
        self.picker = PersonPicker(session)
        self.picker.setObjectName("reportPerson")
        self.who = QLabel()
        self.who.setObjectName("reportFor")
        self.who.setWordWrap(True)
        set_role(self.who, "heading")
        self.enrollment = QComboBox()
        self.enrollment.setObjectName("reportEnrollment")
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
        self.enrollment_label = QLabel()
        self.form.addRow(self.report_label, self.report)
        self.form.addRow(self.day_label, self.day)
        self.form.addRow(self.month_label, self.month)
        self.form.addRow(self.language_label, self.language)
        self.form.addRow(self.new_only)
        self.form.addRow(self.enrollment_label, self.enrollment)
        buttons = QHBoxLayout()
        for b in (self.preview_button, self.print_button, self.save_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.page_box = QVBoxLayout()
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        holder = QWidget()
        holder.setLayout(self.page_box)
        self.page_area = QScrollArea()
        self.page_area.setObjectName("previewPages")
        self.page_area.setWidgetResizable(True)
        self.page_area.setWidget(holder)
        self.page_area.viewport().installEventFilter(self)  # refit the pages to a new width
        self.page_labels: list[QLabel] = []
        self.zoom_out_button, self.zoom_fit_button, self.zoom_in_button = \
            QPushButton(), QPushButton(), QPushButton()
        zoom_row = QHBoxLayout()
        zoom_row.addStretch(1)
        for button, name, slot, keys in (
                (self.zoom_out_button, "zoomOut", self.zoom_out, QKeySequence.StandardKey.ZoomOut),
                (self.zoom_fit_button, "zoomFit", self.zoom_fit, QKeySequence("Ctrl+0")),
                (self.zoom_in_button, "zoomIn", self.zoom_in, QKeySequence.StandardKey.ZoomIn)):
            button.setObjectName(name)
            button.clicked.connect(slot)
            zoom_row.addWidget(button)
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        right = QVBoxLayout()
        right.addLayout(zoom_row)
        right.addWidget(self.page_area, 1)
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addLayout(self.form)
        left.addWidget(self.picker, 1)
        left.addWidget(self.who)
        left.addLayout(buttons)
        left.addWidget(self.status)
        self.stretch = QWidget()  # takes the room of the search when there is none
        left.addWidget(self.stretch, 1)
        box = QHBoxLayout(self)
        box.addLayout(left, 1)
        box.addLayout(right, 3)
        self.report.currentIndexChanged.connect(self._changed)
        self.day.dateChanged.connect(self._changed)
        self.month.dateChanged.connect(self._changed)
        self.language.currentIndexChanged.connect(self._changed)
        self.new_only.toggled.connect(self._changed)
        self.enrollment.currentIndexChanged.connect(self._changed)
        self.picker.current_changed.connect(self._person_changed)
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
        self.new_only.setText(_("Only new or reprinted cards"))
        self.enrollment_label.setText(_("Workshop"))
        self.zoom_out_button.setToolTip(_("Zoom out (Ctrl+-)"))
        self.zoom_in_button.setToolTip(_("Zoom in (Ctrl++)"))
        self.zoom_fit_button.setText(_("Fit to width"))
        self.zoom_fit_button.setToolTip(_("Pages as wide as the panel (Ctrl+0)"))
        self.zoom_out_button.setAccessibleName(_("Zoom out (Ctrl+-)"))
        self.zoom_in_button.setAccessibleName(_("Zoom in (Ctrl++)"))
        self._show_who()
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
        kind = self.kind()
        period = kind.period
        self.day.setEnabled(period == "day")
        self.month.setEnabled(period == "month")
        # only the fields this report uses are shown (a person's paper needs room for the search)
        self.form.setRowVisible(self.day, period == "day")
        self.form.setRowVisible(self.month, period == "month")
        self.form.setRowVisible(self.new_only, kind.key == "cards")
        self.form.setRowVisible(self.enrollment, period == "enrollment")
        for_person = period in ("person", "enrollment")
        self.picker.setVisible(for_person)
        self.who.setVisible(for_person)
        self.stretch.setVisible(not for_person)
        self.pdf = None
        self.card_ids = []
        self.status.setText("")
        self._show_who()
        self._clear_pages()

    def ready(self) -> bool:
        """Whether the chosen report has all it needs (its person, her enrollment)."""
        period = self.kind().period
        if period == "person":
            return self.person is not None
        if period == "enrollment":
            return self.person is not None and self.enrollment.currentData() is not None
        return True

    def _show_who(self) -> None:
        """Whom the paper is for, or what is missing; the buttons wait for it."""
        period = self.kind().period
        if period not in ("person", "enrollment"):
            text, tone = "", None
        elif self.person is None:
            text, tone = _("Search and choose the person first (Enter or a double click on her row)."), "alert"
        elif period == "enrollment" and self.enrollment.count() == 0:
            text, tone = _("{name} ({file_no}) has no workshop enrollment to print a certificate for.",
                           **named(self.person)), "alert"
        else:
            text, tone = _("For {name} ({file_no})", **named(self.person)), None
        self.who.setText(text)
        set_tone(self.who, tone)
        for b in (self.preview_button, self.print_button, self.save_button):
            b.setEnabled(self.ready())

    def _person_changed(self, person: Person | None) -> None:
        self.person = person
        self.enrollment.blockSignals(True)
        self.enrollment.clear()
        self.enrollment.blockSignals(False)
        self._changed()
        if person is None or self.kind().period != "enrollment":
            return
        person_id = person.id
        self.session.call(lambda ctx: papers.workshop_enrollments(ctx=ctx, person_id=person_id),
                          lambda found: self._enrollments(person_id, found), lambda exc: show_error(self, exc))

    def _enrollments(self, person_id: str, found: list[papers.WorkshopEnrollment]) -> None:
        if self.person is None or self.person.id != person_id:
            return  # another person was chosen meanwhile
        self.enrollment.blockSignals(True)
        self.enrollment.clear()
        for e in found:
            self.enrollment.addItem(isolate(e.workshop_title), e.id)
        self.enrollment.blockSignals(False)
        self._changed()
        self.enrollments_loaded.emit(len(found))

    def _clear_pages(self) -> None:
        for old in self.page_labels:
            old.deleteLater()
        self.page_labels = []
        self.page_pixmaps = []
        self._zoom_buttons()

    # --- zoom -------------------------------------------------------------------------------

    def fit_width(self) -> int:
        """The width of a page at zoom 1: the preview panel's, inside its margins."""
        margins = self.page_box.contentsMargins()
        bar = self.page_area.verticalScrollBar().sizeHint().width()  # kept for long documents
        return self.page_area.width() - 2 * self.page_area.frameWidth() - bar \
            - margins.left() - margins.right() - 2

    def _fit_pages(self, force: bool = True) -> None:
        width = max(50, int(self.fit_width() * self.zoom))
        if not force and self.page_labels and self.page_labels[0].width() == width + 2:
            return  # already this wide (a scroll bar came or went)
        for label, pixmap in zip(self.page_labels, self.page_pixmaps, strict=True):
            shown = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(shown)
            label.setFixedSize(shown.size() + QSize(2, 2))  # never squeezed (and clipped) by the layout

    def _zoom_buttons(self) -> None:
        shown = bool(self.page_labels)
        self.zoom_out_button.setEnabled(shown and self.zoom > ZOOM_MIN + 1e-9)
        self.zoom_in_button.setEnabled(shown and self.zoom < ZOOM_MAX - 1e-9)
        self.zoom_fit_button.setEnabled(shown and abs(self.zoom - 1.0) > 1e-9)

    def set_zoom(self, zoom: float) -> None:
        self.zoom = min(ZOOM_MAX, max(ZOOM_MIN, zoom))
        self._fit_pages()
        self._zoom_buttons()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / ZOOM_STEP)

    def zoom_fit(self) -> None:
        self.set_zoom(1.0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.page_area.viewport() \
                and self.page_labels:
            self._fit_pages(force=False)
        return super().eventFilter(watched, event)

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

    def request(self) -> Request:
        person_id = self.person.id if self.person is not None else None
        return Request(self.kind(), self.chosen_day(), self.chosen_language(), person_id,
                       self.enrollment.currentData(), self.new_only.isChecked())

    def _build(self, on_done: Callable[[Any], None], dpi: float | None, limit: int | None = None) -> None:
        if not self.ready():
            self._show_who()
            return
        request = self.request()
        self.status.setText(_("Preparing the document…"))
        for b in (self.preview_button, self.print_button, self.save_button):
            b.setEnabled(False)

        def job(ctx: Context) -> tuple[bytes, int, list[bytes], list[str]]:
            pdf, pages, card_ids = build_request(ctx, request)
            return pdf, pages, render_pages(pdf, dpi, limit) if dpi else [], card_ids

        def failed(exc: BaseException) -> None:
            if isinstance(exc, errors.JisrError):  # a known refusal: said on the screen, in words
                self._idle(exc.message())
                set_tone(self.status, "alert")
            else:
                self._idle("")
                show_error(self, exc)

        self.session.call(job, on_done, failed, key="report")

    def _idle(self, text: str) -> None:
        self.status.setText(text)
        set_tone(self.status, None)
        for b in (self.preview_button, self.print_button, self.save_button):
            b.setEnabled(self.ready())

    def preview(self) -> None:
        self._build(self._show_preview, PREVIEW_DPI, PREVIEW_PAGES_MAX)

    def _show_preview(self, result: tuple[bytes, int, list[bytes], list[str]]) -> None:
        self.pdf, self.pages, images, self.card_ids = result
        self._clear_pages()
        for png in images:
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            page = QLabel()
            set_role(page, "page")
            self.page_box.addWidget(page)
            self.page_labels.append(page)
            self.page_pixmaps.append(pixmap)
        self._fit_pages()  # as wide as the panel, at the zoom chosen
        self._zoom_buttons()
        self._idle(translate_pages(self.pages))
        self.preview_ready.emit(self.pages)

    # --- save -------------------------------------------------------------------------------

    def suggested_name(self) -> str:
        kind, day = self.kind(), self.chosen_day()
        if kind.period in ("person", "enrollment") and self.person is not None:
            stamp = self.person.file_no or "person"
        else:
            stamp = f"{day:%Y-%m}" if kind.period == "month" else f"{day:%Y-%m-%d}"
        return f"{kind.key}-{stamp}-{self.chosen_language()}.pdf"

    def save(self) -> None:
        path = self.ask_save_path(self, str(self.session.root / self.suggested_name()))
        if not path:
            return
        if self.pdf is None:
            self._build(lambda result: self._write(path, result[0], result[3]), None)
        else:
            self._write(path, self.pdf, self.card_ids)

    def _write(self, path: str, pdf: bytes, card_ids: list[str]) -> None:
        def done(_result: Any) -> None:
            self._idle(_("Saved to {path}.", path=path))
            self.saved.emit(path)

        def write(ctx: Context) -> None:
            Path(path).write_bytes(pdf)
            _record_cards(ctx, card_ids, path)

        self.session.call(write, done, lambda exc: show_error(self, exc))

    # --- print ------------------------------------------------------------------------------

    def print_report(self) -> None:
        kind = self.kind()
        if kind.key in CARD_KINDS:
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
        self._build(lambda result: self._paint(printer, result[2], result[3]), dpi)

    def _paint(self, printer: QPrinter, images: list[bytes], card_ids: list[str] | None = None) -> None:
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
        if card_ids:  # recorded as printed first, then told
            ids, n = list(card_ids), len(images)
            self.session.call(lambda ctx: _record_cards(ctx, ids, "printer"), lambda _r: self.printed.emit(n),
                              lambda exc: show_error(self, exc))
        else:
            self.printed.emit(len(images))


def _record_cards(ctx: Context, card_ids: list[str], output: str) -> None:
    """The cards of a sheet sent to the printer or saved leave the "new or reprinted" sheet."""
    if card_ids:
        from jisr_desktop.services.cards import record_printed

        record_printed(ctx=ctx, card_ids=card_ids, output=output)


def translate_pages(n: int) -> str:
    from jisr_desktop.i18n import translate_plural

    return translate_plural("{n} page", "{n} pages", n)
