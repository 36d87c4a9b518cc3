"""A4 report documents: header on every page, "page N of M" footer, Arabic or French.

Every printout (rosters, monthly report, consent receipt) goes through :func:`build_pdf`, so
the page furniture and the right-to-left rules live in one place. The total page count M is
known only at the end, so pages are kept and decorated when the canvas is saved.
Strings shown to people arrive already translated; ``page_label`` is a template with
``{page}`` and ``{pages}`` placeholders so that the word order stays the translator's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from jisr_desktop.i18n import N_, translate
from jisr_desktop.reports.flowables import RosterTable, TextBlock, heading
from jisr_desktop.reports.fonts import FONT, FONT_BOLD, register_fonts
from jisr_desktop.reports.formatting import format_day, is_rtl
from jisr_desktop.reports.text import shape_line, text_width

__all__ = ["DEFAULT_PAGE_LABELS", "PageFurniture", "RosterTable", "TextBlock", "build_pdf", "heading"]

PAGE_LABEL = N_("Page {page} of {pages}")
# Fallbacks when no compiled catalog is found (the catalogs hold the same wording).
DEFAULT_PAGE_LABELS = {
    "ar": "صفحة {page} من {pages}",
    "fr": "Page {page} sur {pages}",
    "en": "Page {page} of {pages}",
}


def page_label_for(lang: str) -> str:
    """The translated "page N of M" template of ``lang`` (from the gettext catalogs)."""
    text = translate(PAGE_LABEL, lang)
    if text == PAGE_LABEL and lang != "en":
        return DEFAULT_PAGE_LABELS.get(lang, PAGE_LABEL)
    return text

MARGIN = 15 * mm
HEADER_HEIGHT = 20 * mm
FOOTER_HEIGHT = 10 * mm


@dataclass(frozen=True)
class PageFurniture:
    """What is printed around the content of every page."""

    rtl: bool
    center_name: str
    title: str
    date_text: str
    page_label: str
    page_size: tuple[float, float]
    mark: str = ""          # a status printed in red on every page ("PROVISIONAL"), or nothing


def _fitted_size(text: str, font: str, size: float, width: float) -> float:
    """Largest size ≤ ``size`` at which ``text`` fits in ``width`` (headers shrink, never cut)."""
    w = text_width(text, font, size)
    return size if w <= width else max(size * width / w, 4.0)


def _draw(canv: Canvas, x: float, y: float, text: str, font: str, size: float, anchor: str,
          rtl: bool, max_width: float) -> None:
    size = _fitted_size(text, font, size, max_width)
    canv.setFont(font, size)
    display = shape_line(text, rtl)
    if anchor == "right":
        canv.drawRightString(x, y, display)
    elif anchor == "center":
        canv.drawCentredString(x, y, display)
    else:
        canv.drawString(x, y, display)


def decorate_page(canv: Canvas, furniture: PageFurniture, page: int, pages: int) -> None:
    """Draw the header (center name, date, title) and the footer ("page N of M") of one page."""
    width, height = furniture.page_size
    left, right = MARGIN, width - MARGIN
    inner = right - left
    start_x, start_anchor = (right, "right") if furniture.rtl else (left, "left")
    end_x, end_anchor = (left, "left") if furniture.rtl else (right, "right")
    canv.saveState()
    canv.setFillColor(colors.black)
    top = height - MARGIN + 2 * mm
    _draw(canv, start_x, top - 4 * mm, furniture.center_name, FONT_BOLD, 11, start_anchor,
          furniture.rtl, inner * 0.62)
    _draw(canv, end_x, top - 4 * mm, furniture.date_text, FONT, 10, end_anchor,
          furniture.rtl, inner * 0.36)
    _draw(canv, width / 2, top - 12 * mm, furniture.title, FONT_BOLD, 14, "center",
          furniture.rtl, inner * (0.6 if furniture.mark else 1))
    if furniture.mark:
        canv.setFillColor(colors.HexColor("#b00020"))
        _draw(canv, end_x, top - 12 * mm, furniture.mark, FONT_BOLD, 12, end_anchor, furniture.rtl, inner * 0.19)
        canv.setFillColor(colors.black)
    canv.setStrokeColor(colors.HexColor("#444444"))
    canv.setLineWidth(0.6)
    line_y = height - MARGIN - HEADER_HEIGHT + 4 * mm
    canv.line(left, line_y, right, line_y)
    footer_y = MARGIN - 4 * mm
    canv.line(left, footer_y + 5 * mm, right, footer_y + 5 * mm)
    label = furniture.page_label.format(page=page, pages=pages)
    _draw(canv, width / 2, footer_y, label, FONT, 9, "center", furniture.rtl, inner)
    canv.restoreState()


class _DecoratedCanvas(Canvas):
    """Keeps every page until ``save`` so that the footer can say "page N of M"."""

    def __init__(self, *args: Any, furniture: PageFurniture, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        pages = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            decorate_page(self, self._furniture, number, pages)
            super().showPage()
        super().save()

    @property
    def page_count(self) -> int:
        return len(self._pages)


def build_pdf(
    target: str | Path | IO[bytes],
    *,
    lang: str,
    center_name: str,
    title: str,
    date: dt.date | str,
    story: Sequence[Flowable],
    orientation: str = "portrait",
    page_label: str | None = None,
    author: str | None = None,
    mark: str | None = None,
) -> int:
    """Write an A4 PDF of ``story`` with the page furniture; return the number of pages.

    ``target`` is a path or a binary file object. ``lang`` is ``ar`` (right to left) or
    ``fr``/``en``. ``date`` is a date (formatted with Babel's Moroccan locale) or a string.
    ``page_label`` overrides the translated "page N of M" template; ``mark`` (already
    translated) is printed in red at the end of every page's title line.
    """
    register_fonts()
    if orientation not in ("portrait", "landscape"):
        raise ValueError(f"orientation must be portrait or landscape, not {orientation!r}")
    page_size = landscape(A4) if orientation == "landscape" else A4
    furniture = PageFurniture(
        rtl=is_rtl(lang),
        center_name=center_name,
        title=title,
        date_text=format_day(date, lang),
        page_label=page_label or page_label_for(lang),
        page_size=page_size,
        mark=mark or "",
    )
    doc = BaseDocTemplate(
        str(target) if isinstance(target, Path) else target,
        pagesize=page_size,
        title=title,
        author=author or center_name,
        creator="Jisr Desktop",
        lang=lang,
    )
    # No frame padding: the content lines up with the header rules drawn at the margins.
    frame = Frame(MARGIN, MARGIN + FOOTER_HEIGHT, page_size[0] - 2 * MARGIN,
                  page_size[1] - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="content")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    canvases: list[_DecoratedCanvas] = []

    def make_canvas(*args: Any, **kwargs: Any) -> _DecoratedCanvas:
        canvases.append(_DecoratedCanvas(*args, furniture=furniture, **kwargs))
        return canvases[-1]

    doc.build(list(story), canvasmaker=make_canvas)
    return canvases[-1].page_count if canvases else 0


def frame_width(orientation: str = "portrait") -> float:
    """Width in points available to the story (useful to size fixed-width flowables)."""
    page_width = (landscape(A4) if orientation == "landscape" else A4)[0]
    return page_width - 2 * MARGIN
