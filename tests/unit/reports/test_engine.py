"""Engine plumbing: bundled fonts, frozen-bundle resource paths, page rendering, no Qt."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from jisr_desktop.reports import fonts
from jisr_desktop.reports.document import TextBlock, build_pdf
from jisr_desktop.reports.render import page_count, render_page, render_page_png

ROOT = Path(__file__).resolve().parents[3]


def test_fonts_ship_inside_the_package() -> None:
    folder = fonts.resource_path("fonts")
    assert folder.is_relative_to(ROOT / "jisr_desktop")
    for name in ("Amiri-Regular.ttf", "Amiri-Bold.ttf", "OFL.txt"):
        assert (folder / name).stat().st_size > 1000
    assert "SIL OPEN FONT LICENSE" in (folder / "OFL.txt").read_text(encoding="utf-8")


def test_resource_path_inside_a_frozen_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert fonts.resource_path("fonts", "Amiri-Regular.ttf") == (
        tmp_path / "jisr_desktop" / "resources" / "fonts" / "Amiri-Regular.ttf"
    )


def test_pdf_embeds_amiri() -> None:
    out = io.BytesIO()
    build_pdf(out, lang="ar", center_name="مركز", title="عنوان", date="اليوم",
              story=[TextBlock("مرحبا", rtl=True)])
    assert b"Amiri" in out.getvalue()


def test_render_page_png(tmp_path: Path) -> None:
    out = io.BytesIO()
    build_pdf(out, lang="fr", center_name="Centre", title="Titre", date="29/11/2026",
              story=[TextBlock("Bonjour", rtl=False)])
    pdf = out.getvalue()
    assert page_count(pdf) == 1
    target = tmp_path / "p1.png"
    data = render_page_png(pdf, 0, dpi=50, out=target)
    assert target.read_bytes() == data
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert abs(image.width - 595.27 * 50 / 72) <= 1
    with pytest.raises(IndexError):
        render_page(pdf, 1)


def test_reports_never_import_qt() -> None:
    code = (
        "import sys, jisr_desktop.reports.document, jisr_desktop.reports.exports, "
        "jisr_desktop.reports.consent, jisr_desktop.reports.render; "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'PySide6 imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
