"""A member's card: its code shown large (to read aloud or type), printed through the card
sheet (`reports.cards_sheet`, one card at its real size), or reprinted for a lost or damaged
card — which revokes the old code at once. A card sent to the printer is recorded as printed
(`services.cards.record_printed`): it leaves the Reports screen's sheet of new cards.

Building the PDF and rendering it run on the database worker; only PNG bytes come back to
the GUI thread, which paints them on the printer at 100%.
"""

from __future__ import annotations

import io

from PySide6.QtCore import QMarginsF, QRect, Qt, Signal
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from jisr_desktop import errors, i18n
from jisr_desktop.context import Context
from jisr_desktop.i18n import _, translate
from jisr_desktop.services import cards
from jisr_desktop.ui.dialogs import Dialogs, show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.screens.common import SERVICE_LABELS
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone

PRINT_DPI_MAX = 300
CARD_LANGUAGES = ("ar", "fr")  # the languages the card sheet is printed in


def card_language() -> str:
    lang = i18n.current_language()
    return lang if lang in CARD_LANGUAGES else "fr"


def card_pages(ctx: Context, *, person_id: str, service: str, lang: str, dpi: float) -> list[bytes]:
    """The member's card sheet as PNG pages at `dpi` (database worker)."""
    from jisr_desktop.reports.cards_sheet import build_card_sheet
    from jisr_desktop.reports.render import page_count, render_page_png

    out = io.BytesIO()
    build_card_sheet(out, db=ctx.db, lang=lang, day=ctx.today(), service=service, person_ids=[person_id])
    pdf = out.getvalue()
    return [render_page_png(pdf, i, dpi=dpi) for i in range(page_count(pdf))]


class MemberCardDialog(RetranslateMixin, QDialog):
    """One member's card for one service.

    Signals:
        loaded(object): the live card was read (`Card`, or None when there is none).
        reprinted(object): a new card replaced the old one (the new `Card`).
        printed(int): this many pages were sent to the printer.
    """

    loaded = Signal(object)
    reprinted = Signal(object)
    printed = Signal(int)

    def __init__(self, session: Session, person_id: str, service: str, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.person_id, self.service, self.name = person_id, service, name
        self.card: cards.Card | None = None
        self.heading = QLabel()
        set_role(self.heading, "heading")
        self.heading.setWordWrap(True)
        self.code = QLabel()
        self.code.setObjectName("cardCode")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.code, "cardCode")
        self.status = QLabel()
        self.status.setObjectName("cardStatus")
        self.status.setWordWrap(True)
        self.print_button = QPushButton()
        self.print_button.setObjectName("printCard")
        self.reprint_button = QPushButton()
        self.reprint_button.setObjectName("reprintCard")
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.reprint_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        box = QVBoxLayout(self)
        box.addWidget(self.heading)
        box.addWidget(self.code)
        box.addWidget(self.status)
        box.addLayout(buttons)
        self.print_button.clicked.connect(self.print_card)
        self.reprint_button.clicked.connect(self.reprint)
        self.print_button.setEnabled(False)
        self.resize(520, 260)
        self.retranslate()
        self.session.call(lambda ctx: cards.card_of(ctx=ctx, person_id=person_id, service=service),
                          self._loaded, self._failed)

    # --- asking (tests replace this) ------------------------------------------------------

    @classmethod
    def ask_printer(cls, parent: QWidget | None, printer: QPrinter) -> bool:
        return QPrintDialog(printer, parent).exec() == QPrintDialog.DialogCode.Accepted

    # --- state ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(_("Member card"))
        service = translate(SERVICE_LABELS.get(self.service, self.service))
        self.heading.setText(_("{name} — {service}", name=self.name, service=service))
        self.print_button.setText(_("Print the card…"))
        self.reprint_button.setText(_("New card (lost or damaged)…"))
        self.close_button.setText(_("Close"))
        self._show_code()

    def _show_code(self) -> None:
        self.code.setText(self.card.display_code if self.card else "—")

    def _loaded(self, card: cards.Card | None) -> None:
        self.card = card
        self._show_code()
        self.print_button.setEnabled(card is not None)
        if card is None:
            self.status.setText(_("This person has no card for this service yet: make one."))
            set_tone(self.status, "alert")
        self.loaded.emit(card)

    def reprint(self) -> None:
        if not Dialogs.confirm(self, _("Member card"),
                               _("Make a new card? The old card stops working at once.")):
            return
        person_id, service = self.person_id, self.service
        self.session.call(lambda ctx: cards.reprint_card(ctx=ctx, person_id=person_id, service=service),
                          self._reprinted, self._failed)

    def _reprinted(self, card: cards.Card) -> None:
        self._loaded(card)
        self.status.setText(_("New card made: the old card no longer works. Print the new one or copy its code."))
        set_tone(self.status, "success")
        self.reprinted.emit(card)

    def print_card(self) -> None:
        if self.card is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setFullPage(True)
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                          QMarginsF(0, 0, 0, 0)))
        if not self.ask_printer(self, printer):
            return
        dpi = min(printer.resolution(), PRINT_DPI_MAX)
        person_id, service, lang = self.person_id, self.service, card_language()
        self.print_button.setEnabled(False)
        self.status.setText(_("Preparing the document…"))
        set_tone(self.status, None)
        self.session.call(lambda ctx: card_pages(ctx, person_id=person_id, service=service, lang=lang, dpi=dpi),
                          lambda pages: self._paint(printer, pages), self._failed)

    def _paint(self, printer: QPrinter, pages: list[bytes]) -> None:
        painter = QPainter(printer)
        try:
            for i, png in enumerate(pages):
                if i:
                    printer.newPage()
                paper = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
                painter.drawImage(QRect(0, 0, paper.width(), paper.height()), QImage.fromData(png))
        finally:
            painter.end()
        self.print_button.setEnabled(True)
        self.status.setText(_("Sent to the printer. Print at the actual size (100%), “fit to page” off."))
        card_id, n = (self.card.id if self.card else None), len(pages)
        if card_id is None:
            self.printed.emit(n)
            return
        # recorded as printed (it leaves the sheet of new cards), then told
        self.session.call(lambda ctx: cards.record_printed(ctx=ctx, card_ids=[card_id]),
                          lambda _n: self.printed.emit(n), self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.print_button.setEnabled(self.card is not None)
        if isinstance(exc, errors.JisrError):
            self.status.setText(exc.message())
            set_tone(self.status, "alert")
        else:
            show_error(self, exc)
