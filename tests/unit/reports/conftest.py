"""Shared helpers for the report tests: read generated PDFs back as text and as pixels."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest


def layout_lines(pdf: bytes | Path, page: int) -> list[str]:
    """Lines of one page as drawn (display order), via pypdf's layout mode, stripped."""
    source = pdf if isinstance(pdf, Path) else io.BytesIO(pdf)
    text = pypdf.PdfReader(source).pages[page].extract_text(extraction_mode="layout")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def viewer_text(pdf: bytes | Path, page: int) -> str:
    """Text of one page as a PDF viewer copies it (pdfium: logical order, base letters)."""
    doc = pdfium.PdfDocument(str(pdf) if isinstance(pdf, Path) else pdf)
    try:
        return doc[page].get_textpage().get_text_range().replace("\r\n", "\n")
    finally:
        doc.close()


def page_total(pdf: bytes | Path) -> int:
    doc = pdfium.PdfDocument(str(pdf) if isinstance(pdf, Path) else pdf)
    try:
        return len(doc)
    finally:
        doc.close()


@pytest.fixture
def pdf_tools():  # type: ignore[no-untyped-def]
    """The helpers above, as a fixture (tests import nothing from conftest)."""

    class Tools:
        layout = staticmethod(layout_lines)
        viewer = staticmethod(viewer_text)
        pages = staticmethod(page_total)

    return Tools
