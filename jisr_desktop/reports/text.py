"""Arabic-aware text for PDFs: wrap in logical order, then shape and order each line for display.

ReportLab draws glyphs left to right exactly as given, so Arabic must arrive already joined
(``arabic_reshaper`` picks the presentation forms) and already in visual order
(:func:`ordering.display_order`: the Unicode bidi algorithm with bracket pairs and isolates,
glyphs mirrored where resolved right to left). Wrapping has to happen *before* reordering, on
the logical text, or the words of a wrapped line come out on the wrong line.

A data value (a name, a title, a date, a code, a phone) keeps its own direction as one unit:
:func:`mark_value` wraps it in the Unicode first-strong isolate FSI…PDI, so "Karim (fils)" on
an Arabic page and "خياطة" on a French one stay whole and the sentence around them follows the
page. Left-to-right-only tokens (CIN, card codes) are marked with :func:`mark_ltr` (LRI…PDI) and
never broken by wrapping; Moroccan phone numbers are found and marked automatically, so
"+212 6 12 34 56 78" inside an Arabic sentence never comes out as "78 56 34 12 6 +212". The
same marks also display correctly in Qt. See docs/reports/README.md, "The Arabic recipe".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import arabic_reshaper
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth

from jisr_desktop.reports.fonts import FONT, register_fonts
from jisr_desktop.reports.ordering import display_order

LRI = "\u2066"
FSI = "\u2068"
PDI = "\u2069"

# Bidi control characters: they carry no glyph in Amiri, so they are removed after ordering.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))

# Moroccan phone numbers as people write them: +212 6…, 00212 6…, 06…, with spaces, dots, dashes.
_PHONE = r"(?:(?:\+|00)212[ .\-]?(?:\(0\))?[ .\-]?[5-8]|0[5-8])(?:[ .\-]?\d){8}(?!\d)"
# Digit groups split by (narrow) no-break spaces, as Babel formats French numbers: "1 234 567".
_GROUPED_NUMBER = r"\d+(?:[\u00a0\u202f]\d+)+"
_AUTO_LTR = re.compile(rf"(?<![\w+]){_PHONE}|{_GROUPED_NUMBER}")
_MARKED = re.compile(f"{LRI}([^{PDI}]*){PDI}")
_INITIATORS = frozenset("\u2066\u2067\u2068")

_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_LTR_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")

_reshaper = arabic_reshaper.ArabicReshaper(
    configuration={"delete_harakat": False, "support_ligatures": True}
)


@lru_cache(maxsize=65536)
def _reshape_word(word: str) -> str:
    return _reshaper.reshape(word)


def reshape(text: str) -> str:
    """Arabic letters replaced by their joined presentation forms (logical order kept).

    Letters never join across a space, so words are shaped one by one through a cache:
    rosters repeat the same names and words, and the reshaper is slow per call.
    """
    return " ".join(_reshape_word(word) if has_rtl(word) else word for word in text.split(" "))


def mark_ltr(token: str) -> str:
    """Mark ``token`` (a CIN, a card code, a phone) as a left-to-right unit that bidi must not touch."""
    return f"{LRI}{token}{PDI}"


def mark_value(value: object) -> str:
    """Mark a data value (a name, a title, a date, a code) as one unit of its own direction.

    The first-strong isolate FSI…PDI: the value reads in the direction of its first letter, on
    an Arabic or a French page alike, and the words around it follow the page. Unlike
    :func:`mark_ltr`, a value may wrap (each line's part stays isolated). Empty stays empty.
    """
    text = "" if value is None else str(value)
    return f"{FSI}{text}{PDI}" if text else ""


def strip_marks(text: str) -> str:
    """Remove the marks added by :func:`mark_ltr` and :func:`mark_value` (and any bidi control)."""
    return text.translate(_BIDI_CONTROLS)


def has_rtl(text: str) -> bool:
    """True when ``text`` contains an Arabic (or Hebrew) letter."""
    return _RTL_LETTER.search(text) is not None


def line_is_rtl(text: str, doc_rtl: bool) -> bool:
    """Base direction of one line: Arabic-only lines are RTL, Latin-only lines LTR, mixed ones follow the document.

    A French name in an Arabic roster ("Amine (fils)") keeps its brackets right, and an Arabic
    name in a French roster too; a sentence mixing both scripts reads in the document's direction.
    """
    rtl, ltr = has_rtl(text), _LTR_LETTER.search(text) is not None
    if rtl and not ltr:
        return True
    if ltr and not rtl:
        return False
    return doc_rtl


def ltr_spans(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the tokens kept left to right: marked runs and Moroccan phones."""
    spans: list[tuple[int, int]] = [m.span() for m in _MARKED.finditer(text)]
    for m in _AUTO_LTR.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in spans):
            spans.append(m.span())
    return sorted(spans)


def segments(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into ``(chunk, is_protected_ltr)`` pieces; protected chunks lose their marks."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in ltr_spans(text):
        if start > pos:
            out.append((text[pos:start], False))
        out.append((strip_marks(text[start:end]), True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


@lru_cache(maxsize=65536)
def shape_line(text: str, rtl: bool) -> str:
    """Return one line of logical ``text`` as the string to draw: letters joined, runs in visual order.

    ``rtl`` is the base (paragraph) direction. Protected LTR tokens (marked or phones) are
    ordered as left-to-right isolates, marked values as first-strong isolates; the marks are
    removed from the result (Amiri has no glyph for them).
    """
    if not has_rtl(text) and not rtl:
        return strip_marks(text)
    logical = "".join(mark_ltr(chunk) if protected else chunk for chunk, protected in segments(text))
    return strip_marks(display_order(reshape(logical), rtl))


@lru_cache(maxsize=65536)
def text_width(text: str, font: str, size: float) -> float:
    """Width in points of ``text`` once shaped (joined forms are narrower or wider than isolated ones)."""
    plain = strip_marks(text)
    if has_rtl(plain):
        plain = reshape(plain)
    return stringWidth(plain, font, size)


def _words(line: str) -> list[tuple[str, bool]]:
    """Split a logical line into words at spaces, keeping protected LTR tokens whole (with their
    spaces). Value marks stay on the words they touch; :func:`_balanced` closes and reopens
    them where a line breaks inside a value."""
    words: list[tuple[str, bool]] = []
    for chunk, protected in segments(line):
        if protected:
            words.append((chunk, True))
        else:
            words.extend((w, False) for w in chunk.split())
    return words


def _balanced(lines: list[str]) -> list[str]:
    """Each wrapped line's part of a value isolated on its own: close at the break, reopen after."""
    out: list[str] = []
    carry = 0
    for line in lines:
        depth = carry
        for ch in line:
            if ch in _INITIATORS:
                depth += 1
            elif ch == PDI and depth:
                depth -= 1
        out.append(FSI * carry + line + PDI * depth)
        carry = depth
    return out


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Cut a word wider than ``width`` into pieces that fit, never before a combining mark."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and not unicodedata.combining(ch) and text_width(current + ch, font, size) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Wrap logical ``text`` to lines no wider than ``width`` points, still in logical order.

    Newlines are kept as line breaks. A word wider than the whole width is broken inside so
    that nothing is ever cut off. Protected LTR tokens come back marked with :func:`mark_ltr`
    so that :func:`shape_line` keeps them whole even when they had to be broken.
    """
    register_fonts()
    lines: list[str] = []
    space = text_width(" ", font, size)
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        current: list[str] = []
        current_width = 0.0
        for word, protected in _words(paragraph):
            w = text_width(word, font, size)
            pieces = [word] if w <= width else _break_word(word, font, size, width)
            for piece in pieces:
                pw = w if len(pieces) == 1 else text_width(piece, font, size)
                shown = mark_ltr(piece) if protected else piece
                if current and current_width + space + pw <= width:
                    current.append(shown)
                    current_width += space + pw
                else:
                    if current:
                        lines.append(" ".join(current))
                    current, current_width = [shown], pw
        lines.append(" ".join(current))
    return _balanced(lines)


def display_line(text: str, doc_rtl: bool) -> str:
    """One unwrapped line ready for ``canvas.drawString`` or a chart label, direction chosen per line."""
    return shape_line(text, line_is_rtl(text, doc_rtl))


def display_lines(text: str, font: str, size: float, width: float, doc_rtl: bool) -> list[str]:
    """Wrap then shape: the display strings of ``text`` laid out in ``width`` points."""
    return [shape_line(line, line_is_rtl(line, doc_rtl)) for line in wrap(text, font, size, width)]


def unsupported_chars(text: str, font: str = FONT) -> set[str]:
    """Characters of ``text`` (after Arabic shaping) that ``font`` cannot draw.

    Lets tests check translated strings and sample data: such characters would print as
    blanks or boxes.
    """
    register_fonts()
    cmap = pdfmetrics.getFont(font).face.charToGlyph
    return {ch for ch in reshape(strip_marks(text)) if ord(ch) not in cmap and ch not in "\n\r\t"}


def clear_caches() -> None:
    """Forget cached shapes and widths (benchmarks measure the cold cost)."""
    for cached in (_reshape_word, shape_line, text_width):
        cached.cache_clear()


def plain_text(lines: Iterable[str]) -> str:
    """Join logical lines back into one string without marks (for tests and search)."""
    return " ".join(strip_marks(line) for line in lines)
