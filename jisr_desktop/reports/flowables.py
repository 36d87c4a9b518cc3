"""Flowables that print Arabic and French correctly: a wrapped text block and a roster table.

ReportLab's ``Paragraph`` wraps the *display* string, which breaks Arabic (the words of a
wrapped line end up on the wrong line). :class:`TextBlock` instead wraps the logical text with
:func:`text.wrap` and draws each line's display string itself. :class:`RosterTable` is a
``Table`` of such blocks whose columns are given as fractions of the frame width, ordered
right to left in Arabic, with the header row repeated on every page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from jisr_desktop.reports.fonts import FONT, FONT_BOLD, register_fonts
from jisr_desktop.reports.text import line_is_rtl, shape_line, text_width, wrap

Align = Literal["start", "end", "center"]


class TextBlock(Flowable):
    """Logical text wrapped to the available width and drawn line by line in display order.

    ``align`` is relative to the writing direction: ``start`` is the right edge in Arabic.
    ``min_height`` reserves room (signature boxes, blank roster rows).
    """

    def __init__(
        self,
        text: str,
        *,
        rtl: bool,
        size: float = 10,
        bold: bool = False,
        align: Align = "start",
        leading: float | None = None,
        min_height: float = 0,
        color: Any = colors.black,
        _lines: list[str] | None = None,
    ) -> None:
        super().__init__()
        register_fonts()
        self.text = "" if text is None else str(text)
        self.rtl = rtl
        self.size = size
        self.bold = bold
        self.font = FONT_BOLD if bold else FONT
        self.align = align
        self.leading = leading if leading is not None else size * 1.45
        self.min_height = min_height
        self.color = color
        self._fixed_lines = _lines
        self._lines: list[str] = _lines or []
        self._wrapped_for: float | None = None

    def lines(self, width: float) -> list[str]:
        """Logical lines of this block at ``width`` points (cached per width)."""
        if self._fixed_lines is not None:
            return self._fixed_lines
        if self._wrapped_for != width:
            self._lines = wrap(self.text, self.font, self.size, max(width, 1.0))
            self._wrapped_for = width
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = max(len(self.lines(availWidth)) * self.leading, self.min_height)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self.lines(availWidth)
        fit = int(availHeight // self.leading)
        if fit < 1 or fit >= len(lines):
            return []
        first = self._clone(lines[:fit], 0)
        rest = self._clone(lines[fit:], max(self.min_height - fit * self.leading, 0))
        return [first, rest]

    def _clone(self, lines: list[str], min_height: float) -> TextBlock:
        return TextBlock(
            "\n".join(lines), rtl=self.rtl, size=self.size, bold=self.bold, align=self.align,
            leading=self.leading, min_height=min_height, color=self.color, _lines=lines,
        )

    def _x(self, display: str) -> tuple[float, str]:
        """Anchor x and drawing mode for one display line."""
        align = self.align
        if align == "center":
            return self.width / 2, "center"
        at_right = (align == "start") == self.rtl
        return (self.width, "right") if at_right else (0.0, "left")

    def draw(self) -> None:
        canv = self.canv
        canv.setFillColor(self.color)
        canv.setFont(self.font, self.size)
        top = self.height
        # Baseline inside each line box: Amiri's tall ascenders need ~1.05 em above it.
        first_baseline = top - (self.leading - self.size) / 2 - self.size * 0.95
        for i, line in enumerate(self.lines(self.width)):
            display = shape_line(line, line_is_rtl(line, self.rtl))
            x, mode = self._x(display)
            y = first_baseline - i * self.leading
            if mode == "right":
                canv.drawRightString(x, y, display)
            elif mode == "center":
                canv.drawCentredString(x, y, display)
            else:
                canv.drawString(x, y, display)


def heading(text: str, *, rtl: bool, size: float = 14) -> TextBlock:
    """A bold heading line (wraps if long)."""
    return TextBlock(text, rtl=rtl, size=size, bold=True, leading=size * 1.6)


class RosterTable(Flowable):
    """A table of wrapped cells whose columns are fractions of the frame width.

    ``columns`` is ``[(title, width_fraction)]`` or ``[(title, width_fraction, align)]`` in
    reading order; in Arabic the first column is printed at the right. Fractions are
    normalised to fill the width. Rows are lists of cell values (``None`` prints empty).
    The header row repeats on every page; a row taller than a page splits inside its cells.
    ``header=False`` drops the title row (label/value tables, signature boxes).
    """

    def __init__(
        self,
        columns: Sequence[tuple[Any, ...]],
        rows: Sequence[Sequence[Any]],
        *,
        lang: str | None = None,
        rtl: bool | None = None,
        size: float = 9.5,
        header_size: float | None = None,
        min_row_height: float = 0,
        zebra: bool = True,
        padding: float = 3,
        header: bool = True,
        bold_first_column: bool = False,
        highlight: Sequence[tuple[int, int]] = (),
        highlight_color: Any = None,
        caption: str | None = None,
    ) -> None:
        super().__init__()
        # a line spanning the table above its column titles, repeated on every page (which
        # workshop and session a continuation page belongs to)
        self.caption = caption
        # (row, column) of body cells to shade, in reading order (an allergy on a roster)
        self.highlight = list(highlight)
        self.highlight_color = highlight_color or colors.HexColor("#ffd966")
        if rtl is None:
            rtl = lang == "ar"
        self.rtl = rtl
        self.titles = [str(c[0]) for c in columns]
        fractions = [float(c[1]) for c in columns]
        if not fractions or min(fractions) <= 0:
            raise ValueError("every column needs a positive width fraction")
        total = sum(fractions)
        self.fractions = [f / total for f in fractions]
        self.aligns: list[Align] = [c[2] if len(c) > 2 else "start" for c in columns]
        for i, row in enumerate(rows):
            if len(row) != len(columns):
                raise ValueError(f"row {i} has {len(row)} cells for {len(columns)} columns")
        self.rows = rows
        self.size = size
        self.header_size = header_size or size
        self.min_row_height = min_row_height
        self.zebra = zebra
        self.padding = padding
        self.header = header
        self.bold_first_column = bold_first_column
        self._table: Table | None = None
        self._table_width: float | None = None

    def _ordered(self, cells: list[Any]) -> list[Any]:
        return list(reversed(cells)) if self.rtl else cells

    def build_table(self, width: float) -> Table:
        """The ReportLab ``Table`` for a frame ``width`` points wide (built once per width)."""
        if self._table is not None and self._table_width == width:
            return self._table
        register_fonts()
        widths = [f * width for f in self.fractions]
        min_h = max(self.min_row_height - 2 * self.padding, 0)
        header = [
            TextBlock(t, rtl=self.rtl, size=self.header_size, bold=True, align=a)
            for t, a in zip(self.titles, self.aligns, strict=True)
        ]
        body = [
            [
                TextBlock("" if v is None else str(v), rtl=self.rtl, size=self.size, align=a,
                          min_height=min_h, bold=self.bold_first_column and i == 0)
                for i, (v, a) in enumerate(zip(row, self.aligns, strict=True))
            ]
            for row in self.rows
        ]
        data = ([self._ordered(header)] if self.header else []) + [self._ordered(r) for r in body]
        top = 0
        if self.caption:
            cap = TextBlock(self.caption, rtl=self.rtl, size=self.header_size, bold=True)
            data.insert(0, [cap] + [""] * (len(self.fractions) - 1))
            top = 1
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), self.padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), self.padding),
            ("TOPPADDING", (0, 0), (-1, -1), self.padding),
            ("BOTTOMPADDING", (0, 0), (-1, -1), self.padding),
        ]
        first_body = top + (1 if self.header else 0)
        if top:
            style.append(("SPAN", (0, 0), (-1, 0)))
        if self.header:
            style.append(("BACKGROUND", (0, top), (-1, top), colors.HexColor("#e4e4e4")))
        if self.zebra and self.rows:
            style.append(("ROWBACKGROUNDS", (0, first_body), (-1, -1),
                          [colors.white, colors.HexColor("#f6f6f6")]))
        n = len(self.fractions)
        for row, col in self.highlight:
            x = n - 1 - col if self.rtl else col
            style.append(("BACKGROUND", (x, first_body + row), (x, first_body + row), self.highlight_color))
        table = Table(
            data, colWidths=self._ordered(widths), repeatRows=first_body, splitInRow=1,
            style=TableStyle(style), hAlign="CENTER",
        )
        self._table, self._table_width = table, width
        return table

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        table = self.build_table(availWidth)
        self.width, self.height = table.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return self.build_table(availWidth).split(availWidth, availHeight)

    def draw(self) -> None:
        assert self._table is not None, "wrap() must run before draw()"
        self._table.drawOn(self.canv, 0, 0)


def cell_text_fits(text: str, width: float, size: float = 9.5, bold: bool = False) -> bool:
    """True when ``text`` fits on one line of ``width`` points (helps choose column fractions)."""
    register_fonts()
    return text_width(text, FONT_BOLD if bold else FONT, size) <= width
