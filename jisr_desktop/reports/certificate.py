"""Workshop completion certificate with a verification code.

The code is *derived*, not stored: the first 60 bits of SHA-256 over a fixed prefix and the
enrollment, person and workshop ids, written in the card alphabet (no 0/O, 1/I/L) as
``XXXX-XXXX-XXXX``. HQ receives every enrollment by sync, so it can recompute the code of an
enrollment and confirm the certificate names the right person and workshop, and check that
the participant completed it — without any table or key to keep in step between desktops.
There is no secret: the ids are random 128-bit values that are never printed, so the code
cannot be made up from what is on the paper, but anyone holding the database could compute
it (the database is the authority anyway). The version prefix lets a future scheme coexist.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import IO

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from jisr_desktop import errors
from jisr_desktop.context import Context
from jisr_desktop.db import enrollments, persons, workshops
from jisr_desktop.domain.cards import ALPHABET
from jisr_desktop.domain.workshops import Completion
from jisr_desktop.i18n import N_
from jisr_desktop.reports.common import center_name, label, person_name
from jisr_desktop.reports.document import build_pdf
from jisr_desktop.reports.flowables import RosterTable, TextBlock
from jisr_desktop.reports.formatting import format_day, format_number, is_rtl
from jisr_desktop.reports.text import mark_ltr

CODE_PREFIX = "jisr-certificate-v1"

TITLE = N_("Certificate of completion")
CERTIFIES = N_("This certifies that")
COMPLETED = N_("completed the workshop \u201c{workshop}\u201d from {start} to {end}.")
ATTENDANCE = N_("Present at {attended} of {held} sessions held ({late} of them late), {excused} excused, "
                "{absent} absent; {hours} hours of training attended.")
RULE = N_("Completion rule: present or late at {percent} of the sessions held, excused sessions not counted.")
NUMBER_LINE = N_("Certificate no. {code}")
DELIVERED = N_("Delivered at {place} on {date}.")
TRAINER = N_("Trainer: {trainer}")
CODE_LINE = N_("Verification code: {code}")
CODE_HELP = N_("Headquarters can confirm this certificate with its verification code.")
SIGN_COORDINATOR = N_("The coordinator")
SIGN_TRAINER = N_("The trainer")


class NotCompleted(errors.JisrError):
    msgid = N_("This participant has not completed the workshop: no certificate can be printed.")


def verification_code(enrollment_id: str, person_id: str, workshop_id: str) -> str:
    """``XXXX-XXXX-XXXX``: deterministic, so HQ can recompute it from the enrollment."""
    digest = hashlib.sha256("\n".join((CODE_PREFIX, enrollment_id, person_id, workshop_id)).encode()).digest()
    value = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(12):
        value, index = divmod(value, len(ALPHABET))
        chars.append(ALPHABET[index])
    code = "".join(chars)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


QR_PREFIX = "JISR-CERT-1"


def qr_payload(code: str) -> str:
    """What the certificate's QR code holds: the scheme and the verification code (checked offline)."""
    return f"{QR_PREFIX}:{code}"


class _Qr(Flowable):
    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.payload, self.size = payload, size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.size

    def draw(self) -> None:
        widget = QrCodeWidget(self.payload, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(self.size, self.size,
                          transform=[self.size / (x1 - x0), 0, 0, self.size / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, self.canv, (self.width - self.size) / 2, 0)


def _hours(value: float, lang: str) -> str:
    return format_number(int(value), lang) if value == int(value) else f"{value:.1f}".replace(
        ".", "," if lang == "fr" else ".")


def build_certificate(target: str | Path | IO[bytes], *, ctx: Context, enrollment_id: str, lang: str,
                      day: date | None = None, place: str | None = None) -> int:
    """The certificate of one workshop enrollment; raises `NotCompleted` unless completed.

    Attendance is told of all sessions held (present, late, excused, absent), with the
    completion rule; ``place`` of delivery defaults to the center's name.
    """
    enrollment = enrollments.get(ctx, enrollment_id)
    if enrollment.service != "workshop" or not enrollment.workshop_id:
        raise errors.NotFound()
    workshop = workshops.get_workshop(ctx=ctx, workshop_id=enrollment.workshop_id)
    result = next((r for r in workshops.completion_report(ctx=ctx, workshop_id=workshop.id)
                   if r.person_id == enrollment.person_id), None)
    if result is None or result.status != Completion.COMPLETED:
        raise NotCompleted()
    person = persons.get(ctx.db, enrollment.person_id)
    assert person is not None
    sessions = workshops.sessions(ctx=ctx, workshop_id=workshop.id)
    start = workshop.start_date or sessions[0].starts_at.date()
    end = workshop.end_date or sessions[-1].starts_at.date()
    rtl = is_rtl(lang)
    code = verification_code(enrollment.id, person.id, workshop.id)
    name = person_name(person.display_name_ar, person.display_name_lat, lang)
    other = person.display_name_lat if rtl else person.display_name_ar
    story: list[Flowable] = [
        Spacer(1, 2 * mm),
        TextBlock(label(CERTIFIES, lang), rtl=rtl, size=14, align="center"),
        Spacer(1, 3 * mm),
        TextBlock(name, rtl=rtl, size=22, bold=True, align="center"),
    ]
    if other and other != name:
        story.append(TextBlock(other, rtl=rtl, size=14, align="center"))
    tally = workshops.attendance_tally(ctx=ctx, workshop_id=workshop.id, person_id=person.id)
    story += [
        Spacer(1, 4 * mm),
        TextBlock(label(COMPLETED, lang, workshop=workshop.title,
                        start=format_day(start, lang), end=format_day(end, lang)),
                  rtl=rtl, size=14, align="center"),
        TextBlock(label(ATTENDANCE, lang, attended=tally.present + tally.late, held=tally.held, late=tally.late,
                        excused=tally.excused, absent=tally.absent, hours=_hours(tally.hours, lang)),
                  rtl=rtl, size=12, align="center"),
        TextBlock(label(RULE, lang, percent=f"{round(workshop.completion_threshold * 100)} %"),
                  rtl=rtl, size=9, align="center"),
    ]
    if workshop.trainer:
        story.append(TextBlock(label(TRAINER, lang, trainer=workshop.trainer), rtl=rtl, size=12, align="center"))
    story += [
        Spacer(1, 3 * mm),
        RosterTable([(label(SIGN_COORDINATOR, lang), 1.0, "center"), (label(SIGN_TRAINER, lang), 1.0, "center")],
                    [["", ""]], lang=lang, size=11, min_row_height=16 * mm, zebra=False),
        Spacer(1, 2 * mm),
        TextBlock(label(DELIVERED, lang, place=place or center_name(ctx.db, lang),
                        date=format_day(day or ctx.today(), lang)), rtl=rtl, size=11, align="center"),
        TextBlock(label(NUMBER_LINE, lang, code=mark_ltr(code)), rtl=rtl, size=11, align="center"),
        _Qr(qr_payload(code), 18 * mm),
        TextBlock(label(CODE_LINE, lang, code=mark_ltr(code)), rtl=rtl, size=12, bold=True, align="center"),
        TextBlock(label(CODE_HELP, lang), rtl=rtl, size=9, align="center"),
    ]
    return build_pdf(target, lang=lang, center_name=center_name(ctx.db, lang), title=label(TITLE, lang),
                     date=day or ctx.today(), story=story, orientation="landscape")
