"""Member card sheets: ID-1 cards (85.6 × 54 mm, the bank-card size) with the card code as a
QR code, the member's name, the service, the file number and issue date, and cut marks, six to
an A4 page.

Which cards (`cards_to_print`): the live cards of active enrollments, of one service or of a
chosen list of people, or only the cards never printed yet — a new member's card and the new
card of a reprint (a reprint is a new card, the old one revoked). A printed card is recorded
in the audit log (``print_card``, `services.cards.record_printed`) by whoever sends the sheet
to the printer or writes its PDF. The cards come in the order of the paper's script: by Latin
name on a French sheet, by Arabic name on an Arabic one.

Two people of the same name get different cards: the file number and the issue date are on
each. A long name wraps to two lines before its size is reduced.

The sheet must be printed at 100% ("actual size", "fit to page" off) for the cards to come out
at their size: the sheet says so and carries a 100 mm check line to measure with a ruler.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO

import sqlite_utils
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from jisr_desktop.domain.cards import format_code
from jisr_desktop.i18n import N_
from jisr_desktop.reports.common import SERVICE_LABELS, center_name, label, person_name
from jisr_desktop.reports.document import build_pdf, frame_width
from jisr_desktop.reports.exports import local_time
from jisr_desktop.reports.fonts import FONT, FONT_BOLD, register_fonts
from jisr_desktop.reports.formatting import is_rtl
from jisr_desktop.reports.text import mark_ltr, mark_value, shape_line, text_width, wrap

CARD_W, CARD_H = 85.6 * mm, 54 * mm
COLUMNS, ROWS = 2, 3
GAP = 8 * mm           # between cards: room for the cut marks
QR_SIZE = 30 * mm
CHECK_LINE = 100 * mm

TITLE = N_("Member cards")
NOTE = N_("Print at 100% (actual size), with \u201cfit to page\u201d turned off. Each card is 85.6 × 54 mm. "
          "The line below must measure 100 mm.")
CODE_LABEL = N_("Card {code}")
FILE_AND_ISSUE = N_("File {file_no} · issued {date}")
PRINT_ACTION = "print_card"  # the audit entry of a printed card
NAME_SIZE, NAME_LINES, NAME_MIN = 13.0, 2, 8.0      # the name in the paper's script
OTHER_SIZE, OTHER_MIN = 10.0, 7.0                    # the name in the other script, below it


@dataclass(frozen=True)
class SheetCard:
    """One card to print: its code, whose it is and when it was issued."""

    id: str
    code: str
    service: str
    person_id: str
    name_ar: str
    name_lat: str
    file_no: str
    issued_at: datetime


def cards_to_print(db: sqlite_utils.Database, *, lang: str, service: str | None = None,
                   person_ids: Sequence[str] | None = None, unprinted_only: bool = False) -> list[SheetCard]:
    """Live (not revoked) cards of active enrollments, by service then by name in the script of
    the paper (Latin on a French sheet); ``unprinted_only`` keeps the cards never printed."""
    where, params = ["c.revoked_at IS NULL", "c.deleted = 0"], []
    if service:
        where.append("c.service = ?")
        params.append(service)
    if person_ids is not None:
        where.append("c.person_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(person_ids)))
    if unprinted_only:
        where.append("NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'member_card'"
                     f" AND a.entity_id = c.id AND a.action = '{PRINT_ACTION}')")
    names = ("p.family_name_lat, p.given_name_lat, p.family_name_ar, p.given_name_ar" if lang == "fr"
             else "p.family_name_ar, p.given_name_ar, p.family_name_lat, p.given_name_lat")
    found = db.execute(
        "SELECT c.id, c.code, c.service, c.person_id, p.given_name_ar, p.family_name_ar, p.given_name_lat,"
        " p.family_name_lat, p.file_no, c.issued_at FROM member_card c JOIN person p ON p.id = c.person_id"
        f" WHERE {' AND '.join(where)} AND EXISTS (SELECT 1 FROM enrollment e WHERE e.person_id = c.person_id"
        " AND e.service = c.service AND e.status = 'active' AND e.deleted = 0)"
        f" ORDER BY c.service, {names} COLLATE NOCASE, p.file_no, c.code", params).fetchall()
    return [SheetCard(cid, code, svc, pid, " ".join(x for x in (g_ar, f_ar) if x),
                      " ".join(x for x in (g_l, f_l) if x), file_no or "", datetime.fromisoformat(issued))
            for cid, code, svc, pid, g_ar, f_ar, g_l, f_l, file_no, issued in found]


def _fit(text: str, font: str, size: float, width: float) -> float:
    w = text_width(text, font, size)
    return size if w <= width else max(size * width / w, 5.0)


def name_lines(name: str, font: str, width: float, size: float = NAME_SIZE,
               smallest: float = NAME_MIN) -> tuple[list[str], float]:
    """A name in at most two lines at ``size``; a smaller size only when two lines at that size
    are not enough (never below ``smallest``: past that the second line holds the rest and is
    fitted to the width when drawn)."""
    lines = wrap(name, font, size, width)
    while len(lines) > NAME_LINES and size > smallest:
        size = max(size - 0.5, smallest)
        lines = wrap(name, font, size, width)
    if len(lines) > NAME_LINES:
        lines = [lines[0], " ".join(lines[1:])]
    return lines, size


class CardPage(Flowable):
    """One page of cards (up to COLUMNS × ROWS), centered in the frame, with the scale note."""

    def __init__(self, cards: Sequence[SheetCard], *, lang: str, center: str) -> None:
        super().__init__()
        self.cards = list(cards)
        self.lang = lang
        self.rtl = is_rtl(lang)
        self.center = center

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = ROWS * CARD_H + (ROWS - 1) * GAP + 30 * mm
        return self.width, self.height

    def _text(self, x: float, y: float, text: str, font: str, size: float, width: float, anchor: str) -> None:
        canv = self.canv
        rtl = self.rtl and anchor != "ltr"
        # a value (a name, the center) keeps its own direction on either page; a sentence of the
        # page ("page") follows the page's direction, its values isolated inside it
        display = shape_line(text if anchor == "page" else mark_value(text), rtl)
        canv.setFont(font, _fit(display, font, size, width))
        if anchor == "right" or (anchor == "page" and self.rtl):
            canv.drawRightString(x, y, display)
        else:
            canv.drawString(x, y, display)

    def draw(self) -> None:
        register_fonts()
        canv = self.canv
        grid_w = COLUMNS * CARD_W + (COLUMNS - 1) * GAP
        left = (self.width - grid_w) / 2
        top = self.height
        # the note and the 100 mm check line
        self._note(left, top, grid_w)
        top -= 30 * mm
        for i, card in enumerate(self.cards):
            row, col = divmod(i, COLUMNS)
            if self.rtl:
                col = COLUMNS - 1 - col  # first card at the top right
            x = left + col * (CARD_W + GAP)
            y = top - (row + 1) * CARD_H - row * GAP
            self._card(x, y, card)
            self._cut_marks(x, y)
        canv.setStrokeColor(colors.black)

    def _note(self, left: float, top: float, width: float) -> None:
        from jisr_desktop.reports.text import wrap

        canv = self.canv
        lines = wrap(label(NOTE, self.lang), FONT, 9, width)
        canv.setFillColor(colors.black)
        for i, line in enumerate(lines[:3]):
            canv.setFont(FONT, 9)
            display = shape_line(line, self.rtl)
            y = top - 4 * mm - i * 4.2 * mm
            if self.rtl:
                canv.drawRightString(left + width, y, display)
            else:
                canv.drawString(left, y, display)
        y = top - 22 * mm
        x0 = left + (width - CHECK_LINE) / 2
        canv.setLineWidth(0.8)
        canv.line(x0, y, x0 + CHECK_LINE, y)
        for x in (x0, x0 + CHECK_LINE):
            canv.line(x, y - 2 * mm, x, y + 2 * mm)
        canv.setFont(FONT, 8)
        canv.drawCentredString(x0 + CHECK_LINE / 2, y + 1.2 * mm, "100 mm")

    def _cut_marks(self, x: float, y: float) -> None:
        canv = self.canv
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(0.3)
        length, off = 3 * mm, 1 * mm
        for cx in (x, x + CARD_W):
            for cy in (y, y + CARD_H):
                dx = -1 if cx == x else 1
                dy = -1 if cy == y else 1
                canv.line(cx + dx * off, cy, cx + dx * (off + length), cy)   # horizontal mark
                canv.line(cx, cy + dy * off, cx, cy + dy * (off + length))   # vertical mark

    def _card(self, x: float, y: float, card: SheetCard) -> None:
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(colors.HexColor("#bbbbbb"))
        canv.setLineWidth(0.25)
        canv.roundRect(x, y, CARD_W, CARD_H, 3 * mm, stroke=1, fill=0)
        pad = 4 * mm
        # QR code at the end side (left in Arabic, right in French)
        qr_x = x + pad if self.rtl else x + CARD_W - pad - QR_SIZE
        qr_y = y + (CARD_H - QR_SIZE) / 2 - 2 * mm
        widget = QrCodeWidget(card.code, barLevel="M")
        bx0, by0, bx1, by1 = widget.getBounds()
        drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (bx1 - bx0), 0, 0, QR_SIZE / (by1 - by0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, canv, qr_x, qr_y)
        # text block on the start side
        text_w = CARD_W - QR_SIZE - 3 * pad
        tx = x + CARD_W - pad if self.rtl else x + pad
        anchor = "right" if self.rtl else "left"
        canv.setFillColor(colors.HexColor("#2e6f95"))
        canv.rect(x, y + CARD_H - 9 * mm, CARD_W, 0.6 * mm, stroke=0, fill=1)
        canv.setFillColor(colors.black)
        self._text(tx, y + CARD_H - 7 * mm, self.center, FONT_BOLD, 9,
                   CARD_W - 2 * pad, anchor)
        first = person_name(card.name_ar, card.name_lat, self.lang)
        second = card.name_lat if self.lang == "ar" else card.name_ar
        service_y = y + 19.5 * mm
        floor = service_y + 4.5 * mm  # the names stay above the service line
        line_y = y + CARD_H - 14 * mm
        lines, size = name_lines(first, FONT_BOLD, text_w)
        for line in lines:
            self._text(tx, line_y, line, FONT_BOLD, size, text_w, anchor)
            line_y -= size * 1.2
        if second and second != first:
            line_y -= 0.5 * mm
            other, smallest = OTHER_SIZE, OTHER_MIN
            lines, size = name_lines(second, FONT, text_w, other, smallest)
            while line_y - (len(lines) - 1) * size * 1.2 - 0.3 * size < floor and other > smallest:
                other = max(other - 0.5, smallest)  # smaller, to keep the lines above the service
                lines, size = name_lines(second, FONT, text_w, other, smallest)
            for line in lines:
                self._text(tx, line_y, line, FONT, size, text_w, anchor)
                line_y -= size * 1.2
        self._text(tx, service_y, label(SERVICE_LABELS.get(card.service, card.service), self.lang), FONT, 10,
                   text_w, anchor)
        code = format_code(card.code)
        canv.setFont(FONT_BOLD, 12)
        if self.rtl:
            canv.drawRightString(tx, y + 13.5 * mm, code)
        else:
            canv.drawString(tx, y + 13.5 * mm, code)
        # under the QR code, across the card: whose file and since when (two namesakes differ)
        issued = local_time(card.issued_at)
        stamp = label(FILE_AND_ISSUE, self.lang, file_no=mark_ltr(card.file_no or "—"),
                      date=mark_ltr(f"{issued:%d/%m/%Y}" if issued else "—"))
        self._text(tx, y + 4.5 * mm, stamp, FONT, 8, CARD_W - 2 * pad, "page")
        canv.restoreState()


def build_card_sheet(target: str | Path | IO[bytes], *, db, lang: str, day: date,  # type: ignore[no-untyped-def]
                     service: str | None = None, person_ids: list[str] | None = None,
                     cards: Sequence[SheetCard] | None = None) -> int:
    """Cards of the live member cards (of one service, or of some people); returns pages."""
    found = list(cards) if cards is not None else cards_to_print(db, lang=lang, service=service,
                                                                 person_ids=person_ids)
    center = center_name(db, lang)
    per_page = COLUMNS * ROWS
    story: list[Flowable] = []
    for start in range(0, max(len(found), 1), per_page):
        if start:
            story.append(PageBreak())
        story.append(CardPage(found[start:start + per_page], lang=lang, center=center))
    assert frame_width() >= COLUMNS * CARD_W + (COLUMNS - 1) * GAP
    return build_pdf(target, lang=lang, center_name=center, title=label(TITLE, lang), date=day, story=story)
