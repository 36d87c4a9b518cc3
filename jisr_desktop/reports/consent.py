"""Personal-data notice and consent receipt for one person (law 09-08, CNDP), Arabic or French.

Law 09-08 requires that a person be told, when their data is collected, who processes it, for
what purposes, who receives it, how long it is kept and how to exercise the rights of access,
correction and opposition; the center keeps the signed receipt as proof of consent. This
module only lays the receipt out: it reads no database. The services pass in the center, the
person and (optionally) the terms that apply to the services the person uses.

The legal wording lives here, in both languages, as whole sentences with named placeholders
(so translators control word order); pass ``texts=`` to use the i18n catalogue's version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from jisr_desktop.reports.consent_texts import TEXTS, ConsentTexts, catalog_texts
from jisr_desktop.reports.document import build_pdf
from jisr_desktop.reports.flowables import RosterTable, TextBlock, heading
from jisr_desktop.reports.formatting import format_day, is_rtl
from jisr_desktop.reports.text import mark_ltr

__all__ = ["COPIES", "ConsentCenter", "ConsentPerson", "ConsentTerms", "ConsentTexts", "build_consent_receipt",
           "default_terms"]


@dataclass(frozen=True)
class ConsentCenter:
    """The center acting as data controller (with the association that runs it, if any)."""

    name_ar: str
    name_fr: str
    address: str = ""
    phone: str = ""
    email: str = ""
    managing_body: str = ""
    cndp_reference: str = ""


@dataclass(frozen=True)
class ConsentPerson:
    """The person the data is about; for a child, ``guardian_name`` is who signs."""

    name_ar: str
    name_latin: str
    cin: str | None = None
    birth_date: dt.date | None = None
    guardian_name: str | None = None
    file_code: str | None = None


@dataclass(frozen=True)
class ConsentTerms:
    """What is collected, why, for whom and for how long (already in the receipt's language)."""

    purposes: Sequence[str]
    data_kept: Sequence[str]
    retention: str
    recipients: str
    sensitive: str = ""
    extra: Sequence[str] = field(default_factory=tuple)
    recorded: Sequence[str] = field(default_factory=tuple)
    """The consents the person gave, one line each, listed under `recorded_title` after the
    purposes (`reports/person_consent.py`)."""
    recorded_title: str = ""


def default_terms(lang: str) -> ConsentTerms:
    """The standard terms of a Jisr al-Usra center, in ``lang``."""
    t = _texts(lang)
    return ConsentTerms(purposes=t.default_purposes, data_kept=t.default_data,
                        retention=t.default_retention, recipients=t.default_recipients,
                        sensitive=t.default_sensitive)


def _texts(lang: str) -> ConsentTexts:
    try:
        TEXTS[lang]
        return catalog_texts(lang)
    except KeyError:
        raise ValueError(f"no consent texts for language {lang!r}") from None


def _section(title: str, rtl: bool) -> list[Flowable]:
    return [CondPageBreak(25 * mm), Spacer(1, 3 * mm), heading(title, rtl=rtl, size=12)]


def _bullets(items: Sequence[str], rtl: bool) -> list[Flowable]:
    return [TextBlock(f"• {item}", rtl=rtl, size=10) for item in items]


COPIES = ("person", "center")
"""The copies a run prints, in this order: one the person takes away, one the center files."""


def _copy_label(copy: str, t: ConsentTexts) -> str:
    if copy == "person":
        return t.copy_person
    if copy == "center":
        return t.copy_center
    raise ValueError(f"unknown copy {copy!r}: person or center")


def _story(lang: str, center: ConsentCenter, person: ConsentPerson, terms: ConsentTerms,
           day: dt.date, receipt_code: str | None, place: str | None, t: ConsentTexts,
           copy: str) -> list[Flowable]:
    """One copy: the notice (the controller, purposes, recorded consents, data, recipients,
    retention, rights), then the signed part — the person's identity, the consent statement,
    place and date and both signatures — in one `KeepTogether`, so the identity and the
    signatures always share a page however long the notice runs."""
    rtl = is_rtl(lang)
    center_name = center.name_ar if rtl else center.name_fr
    label = _copy_label(copy, t)
    story: list[Flowable] = [heading(label, rtl=rtl, size=11),
                             TextBlock(t.intro.format(center=center_name), rtl=rtl, size=10.5)]

    cndp = mark_ltr(center.cndp_reference) if center.cndp_reference else t.cndp_missing
    controller_rows = [[t.label_center, f"{center.name_ar}\n{center.name_fr}"]]
    for row_label, value in ((t.label_managing_body, center.managing_body),
                             (t.label_address, center.address),
                             (t.label_phone, center.phone),
                             (t.label_email, mark_ltr(center.email) if center.email else ""),
                             (t.label_cndp, cndp)):
        if value:
            controller_rows.append([row_label, value])
    story += _section(t.heading_controller, rtl)
    story.append(RosterTable([("", 1.0), ("", 2.4)], controller_rows, rtl=rtl, size=10,
                             header=False, bold_first_column=True, zebra=False))

    story += _section(t.heading_purposes, rtl) + _bullets(terms.purposes, rtl)
    if terms.recorded:
        story += _section(terms.recorded_title, rtl) + _bullets(terms.recorded, rtl)
    story += _section(t.heading_data, rtl) + _bullets(terms.data_kept, rtl)
    if terms.sensitive:
        story.append(TextBlock(terms.sensitive, rtl=rtl, size=10))
    story += _section(t.heading_recipients, rtl) + [TextBlock(terms.recipients, rtl=rtl, size=10)]
    story += _section(t.heading_retention, rtl)
    story.append(TextBlock(t.retention_sentence.format(retention=terms.retention), rtl=rtl, size=10))
    story += _section(t.heading_rights, rtl) + [TextBlock(t.rights, rtl=rtl, size=10)]
    story += _bullets(terms.extra, rtl)

    person_rows = [[t.label_name_ar, person.name_ar], [t.label_name_latin, person.name_latin]]
    if person.cin:
        person_rows.append([t.label_cin, mark_ltr(person.cin)])
    if person.birth_date:
        person_rows.append([t.label_birth_date, format_day(person.birth_date, lang)])
    if person.guardian_name:
        person_rows.append([t.label_guardian, person.guardian_name])
    if person.file_code:
        person_rows.append([t.label_file_code, mark_ltr(person.file_code)])

    date_text = format_day(day, lang)
    made = t.made_at.format(place=place, date=date_text) if place else t.made_on.format(date=date_text)
    signed: list[Flowable] = [
        Spacer(1, 4 * mm),
        heading(t.heading_person, rtl=rtl, size=12),
        RosterTable([("", 1.0), ("", 2.4)], person_rows, rtl=rtl, size=10,
                    header=False, bold_first_column=True, zebra=False),
        Spacer(1, 3 * mm),
        heading(t.heading_consent, rtl=rtl, size=12),
        TextBlock(t.consent_statement, rtl=rtl, size=10.5),
        Spacer(1, 2 * mm),
        TextBlock(made, rtl=rtl, size=10),
    ]
    if receipt_code:
        signed.append(TextBlock(t.receipt_code.format(code=mark_ltr(receipt_code)), rtl=rtl, size=10))
    signer = person.guardian_name or (person.name_ar if rtl else person.name_latin)
    signed += [
        Spacer(1, 3 * mm),
        RosterTable([(t.signature_person, 1.0), (t.signature_staff, 1.0)],
                    [[t.signature_name.format(name=signer), t.signature_name.format(name="")]],
                    rtl=rtl, size=10, min_row_height=30 * mm, zebra=False),
        TextBlock(label, rtl=rtl, size=9, bold=True, align="end"),
    ]
    story.append(KeepTogether(signed))
    return story


class _CopyStart(Flowable):
    """Draws nothing; notes the page its copy starts on (the page footers are drawn after the
    whole story, `document._DecoratedCanvas.save`)."""

    def __init__(self, starts: list[int]) -> None:
        super().__init__()
        self.starts = starts

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.starts.append(self.canv.getPageNumber())


class _CopyPageLabel(str):
    """The "page N of M" template numbered within each copy: the person takes home "page 1 of
    2, 2 of 2", not pages 1 and 2 of 4. `build_pdf` formats it with the page of the document and
    the document's page count."""

    starts: list[int]

    def __new__(cls, template: str, starts: list[int]) -> _CopyPageLabel:
        made = super().__new__(cls, template)
        made.starts = starts
        return made

    def format(self, *args: object, **kwargs: object) -> str:
        page, pages = kwargs.get("page"), kwargs.get("pages")
        if not isinstance(page, int) or not isinstance(pages, int) or not self.starts:
            return str.format(self, *args, **kwargs)
        first = max((s for s in self.starts if s <= page), default=1)
        later = [s for s in self.starts if s > first]
        last = later[0] - 1 if later else pages
        return str.format(self, page=page - first + 1, pages=last - first + 1)


def build_consent_receipt(
    target: str | Path | IO[bytes],
    *,
    lang: str,
    center: ConsentCenter,
    person: ConsentPerson,
    day: dt.date,
    terms: ConsentTerms | None = None,
    receipt_code: str | None = None,
    place: str | None = None,
    texts: ConsentTexts | None = None,
    copies: Sequence[str] = COPIES,
) -> int:
    """Write the notice and consent receipt PDF for ``person``; return its page count.

    One run prints ``copies`` (by default the person's, then the center's), each starting on a
    new page, labelled at its top and under the signatures and numbered on its own. ``place`` is where it is signed
    ("done at …"); an empty ``center.cndp_reference`` prints that no declaration number is set.
    ``terms`` default to :func:`default_terms`; ``texts`` to the built-in wording for ``lang``.
    """
    t = texts or _texts(lang)
    terms = terms or default_terms(lang)
    if not copies:
        raise ValueError("at least one copy")
    starts: list[int] = []
    story: list[Flowable] = []
    for number, copy in enumerate(copies):
        if number:
            story.append(PageBreak())
        story.append(_CopyStart(starts))
        story += _story(lang, center, person, terms, day, receipt_code, place, t, copy)
    return build_pdf(target, lang=lang, center_name=center.name_ar if is_rtl(lang) else center.name_fr,
                     title=t.title, date=day, story=story, page_label=_CopyPageLabel(t.page_label, starts))


def with_retention(terms: ConsentTerms, retention: str) -> ConsentTerms:
    """A copy of ``terms`` with another retention period (e.g. per service)."""
    return replace(terms, retention=retention)
