"""Render PDF pages to images with pypdfium2: previews in the Reports screen, tests and docs.

No Qt here: the UI turns the returned PIL image (or PNG bytes) into a pixmap itself.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium

if TYPE_CHECKING:
    from PIL.Image import Image

PdfSource = str | Path | bytes


def _open(pdf: PdfSource) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(str(pdf) if isinstance(pdf, Path) else pdf)


def page_count(pdf: PdfSource) -> int:
    """Number of pages of a PDF file or PDF bytes."""
    doc = _open(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def render_page(pdf: PdfSource, page: int = 0, *, dpi: float = 100) -> Image:
    """Page ``page`` (0-based) of ``pdf`` as an RGB PIL image at ``dpi``."""
    doc = _open(pdf)
    try:
        if not 0 <= page < len(doc):
            raise IndexError(f"page {page} out of range (document has {len(doc)} pages)")
        bitmap = doc[page].render(scale=dpi / 72)
        return bitmap.to_pil().convert("RGB")
    finally:
        doc.close()


def render_page_png(pdf: PdfSource, page: int = 0, *, dpi: float = 100,
                    out: str | Path | None = None) -> bytes:
    """PNG bytes of one page; also written to ``out`` when given."""
    buffer = io.BytesIO()
    render_page(pdf, page, dpi=dpi).save(buffer, format="PNG", optimize=True)
    data = buffer.getvalue()
    if out is not None:
        Path(out).write_bytes(data)
    return data


def ink_ratio(image: Image, threshold: int = 200) -> float:
    """Share of pixels darker than ``threshold`` (0 for a blank page)."""
    gray = image.convert("L")
    histogram = gray.histogram()
    dark = sum(histogram[:threshold])
    return dark / (gray.width * gray.height)
