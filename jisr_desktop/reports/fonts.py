"""The bundled Amiri font, registered with ReportLab from the package (never from the system).

Amiri carries Arabic presentation forms and Latin glyphs, so one font prints both languages.
Resources are found through :func:`resource_path`, which also works inside a PyInstaller
bundle (files unpacked under ``sys._MEIPASS``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "Amiri"
FONT_BOLD = "Amiri-Bold"

_FILES = {FONT: "Amiri-Regular.ttf", FONT_BOLD: "Amiri-Bold.ttf"}


def resource_path(*parts: str) -> Path:
    """Path of a file under ``jisr_desktop/resources`` (source tree, wheel or frozen bundle)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        base = Path(frozen_root) / "jisr_desktop" / "resources"
    else:
        base = Path(__file__).resolve().parent.parent / "resources"
    return base.joinpath(*parts)


def register_fonts() -> tuple[str, str]:
    """Register Amiri Regular and Bold once; return their ReportLab names ``(regular, bold)``."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name, filename in _FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)
    return FONT, FONT_BOLD

