"""PDF documents read back: header and footer on every page, tables that wrap and repeat headers."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pypdf
import pytest
from reportlab.platypus import Spacer

from jisr_desktop.reports.document import RosterTable, TextBlock, build_pdf, heading
from jisr_desktop.reports.render import ink_ratio, render_page
from jisr_desktop.reports.text import shape_line

DAY = dt.date(2026, 11, 29)
AR_COLUMNS = [("رقم", 0.5), ("الطفل", 2.2), ("ولي الأمر", 2.4), ("الهاتف", 1.6), ("الدخول", 0.8), ("التوقيع", 1.2)]
FR_COLUMNS = [("N°", 0.5), ("Enfant", 2.2), ("Tuteur", 2.4), ("Téléphone", 1.6), ("Arrivée", 0.8), ("Signature", 1.2)]


def ar_rows(n: int) -> list[list[str]]:
    return [[str(i), f"مريم بنت {i} (الصغيرة)", "فاطمة الزهراء العلوي", "+212612345678", "08:30", ""] for i in range(1, n + 1)]


def build(story: list, *, lang: str = "ar", **kwargs: object) -> bytes:
    out = io.BytesIO()
    build_pdf(out, lang=lang, center_name=kwargs.pop("center_name", "فضاء جسر الأسرة - الرباط"),
              title=kwargs.pop("title", "لائحة الحضانة"), date=DAY, story=story, **kwargs)  # type: ignore[arg-type]
    return out.getvalue()


def test_build_returns_page_count(pdf_tools) -> None:
    out = io.BytesIO()
    pages = build_pdf(out, lang="ar", center_name="مركز", title="لائحة", date=DAY,
                      story=[RosterTable(AR_COLUMNS, ar_rows(120), lang="ar")])
    assert pages > 1
    assert pages == pdf_tools.pages(out.getvalue())


def test_arabic_line_extracted_in_display_order(pdf_tools) -> None:
    pdf = build([TextBlock("الطفل Amine عمره 3 سنوات (الرباط)", rtl=True),
                 TextBlock("الهاتف: +212 6 12 34 56 78", rtl=True)])
    lines = [unicodedata.normalize("NFKC", line) for line in pdf_tools.layout(pdf, 0)]
    # Hand-written visual order: words right to left, letters of each Arabic word reversed,
    # the Latin word and the numbers left to right, brackets mirrored.
    assert "(طابرلا) تاونس 3 هرمع Amine لفطلا" in lines
    assert "+212 6 12 34 56 78 :فتاهلا" in lines


def test_header_and_footer_on_every_page_arabic(pdf_tools) -> None:
    pdf = build([RosterTable(AR_COLUMNS, ar_rows(300), lang="ar")])
    total = pdf_tools.pages(pdf)
    assert total >= 5
    header_row = " ".join(shape_line(title, rtl=True) for title, _ in reversed(AR_COLUMNS))
    for page in range(total):
        lines = pdf_tools.layout(pdf, page)
        assert header_row in lines, f"header row missing on page {page + 1}"
        assert shape_line(f"صفحة {page + 1} من {total}", rtl=True) in lines
        assert shape_line("فضاء جسر الأسرة - الرباط", rtl=True) in " ".join(lines)
        assert shape_line("29 نونبر 2026", rtl=True) in " ".join(lines)


def test_every_row_of_a_long_roster_is_printed_once(pdf_tools) -> None:
    rows = [[str(i), f"Enfant {i:03d}", "Tuteur", "+212612345678", "08:30", ""] for i in range(1, 301)]
    pdf = build([RosterTable(FR_COLUMNS, rows, lang="fr")], lang="fr", center_name="Centre", title="Crèche")
    text = "\n".join(pdf_tools.viewer(pdf, p) for p in range(pdf_tools.pages(pdf)))
    for i in range(1, 301):
        assert text.count(f"Enfant {i:03d}") == 1


def test_french_header_footer_and_column_order(pdf_tools) -> None:
    rows = [[str(i), f"Enfant {i}", "Tuteur", "0612345678", "08:30", ""] for i in range(1, 200)]
    pdf = build([RosterTable(FR_COLUMNS, rows, lang="fr")], lang="fr",
                center_name="Espace Jisr al-Usra - Rabat", title="Liste de la crèche")
    total = pdf_tools.pages(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in range(total):
        text = reader.pages[page].extract_text()
        assert f"Page {page + 1} sur {total}" in text
        assert "Espace Jisr al-Usra - Rabat" in text
        assert "29 novembre 2026" in text
        assert "Liste de la crèche" in text
        lines = pdf_tools.layout(pdf, page)
        assert "N° Enfant Tuteur Téléphone Arrivée Signature" in lines  # left to right in French


def test_long_cell_text_wraps_inside_its_cell_and_is_complete(pdf_tools) -> None:
    note = ("Allergie aux arachides et au lait de vache ; prévenir la mère avant tout goûter ; "
            "médicament dans le sac bleu ; ne pas confier l'enfant à l'oncle sans autorisation écrite")
    rows = [["1", "Yasmine Benali", note, "0612345678", "08:30", ""]]
    pdf = build([RosterTable(FR_COLUMNS, rows, lang="fr")], lang="fr", center_name="Centre", title="Crèche")
    text = pdf_tools.viewer(pdf, 0)
    assert " ".join(text.split()).count(note) == 1  # every word, in order, nothing cut
    lines = pdf_tools.layout(pdf, 0)
    assert not any(note in line for line in lines)  # it did wrap onto several lines


def test_long_arabic_cell_wraps_and_every_word_is_present(pdf_tools) -> None:
    note = "حساسية من الحليب والبيض والفول السوداني ويجب إخبار الأم قبل أي وجبة خفيفة في الحضانة"
    rows = [["1", "ياسمين بنعلي", note, "0612345678", "08:30", ""]]
    pdf = build([RosterTable(AR_COLUMNS, rows, lang="ar")])
    viewer = pdf_tools.viewer(pdf, 0)
    for word in note.split():
        assert word in viewer
    layout = " ".join(pdf_tools.layout(pdf, 0))
    assert shape_line(note, rtl=True) not in layout  # wrapped, not on one line


def test_row_taller_than_a_page_is_split_not_cut(pdf_tools) -> None:
    note = " ".join(f"mot{i}" for i in range(1500))
    pdf = build([RosterTable([("Note", 1.0)], [[note]], lang="fr")], lang="fr", center_name="C", title="T")
    text = " ".join(pdf_tools.viewer(pdf, p) for p in range(pdf_tools.pages(pdf)))
    words = text.split()
    for i in range(1500):
        assert f"mot{i}" in words


def test_rows_must_match_columns() -> None:
    with pytest.raises(ValueError, match="row 0"):
        RosterTable(FR_COLUMNS, [["1", "2"]], lang="fr")


def test_landscape_page_and_render_not_blank() -> None:
    pdf = build([heading("الحضانة", rtl=True), Spacer(1, 6), RosterTable(AR_COLUMNS, ar_rows(10), lang="ar")],
                orientation="landscape")
    image = render_page(pdf, 0, dpi=50)
    assert image.width > image.height
    assert ink_ratio(image) > 0.01


def test_blank_page_has_no_ink() -> None:
    out = io.BytesIO()
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(out)
    canvas.showPage()
    canvas.save()
    assert ink_ratio(render_page(out.getvalue(), 0, dpi=30)) == 0


def test_custom_page_label_template(pdf_tools) -> None:
    pdf = build([TextBlock("x", rtl=False)], lang="fr", center_name="C", title="T",
                page_label="Feuille {page}/{pages}")
    assert "Feuille 1/1" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_blank_paper_fallback_roster(pdf_tools) -> None:
    rows = [[""] * len(FR_COLUMNS) for _ in range(40)]
    pdf = build([RosterTable(FR_COLUMNS, rows, lang="fr", min_row_height=28)], lang="fr",
                center_name="Centre", title="Feuille de secours")
    total = pdf_tools.pages(pdf)
    assert total >= 2  # 40 rows of 28 pt do not fit on one page
    for page in range(total):
        assert "N° Enfant Tuteur Téléphone Arrivée Signature" in pdf_tools.layout(pdf, page)


def test_table_without_rows_prints_its_header(pdf_tools) -> None:
    pdf = build([RosterTable(FR_COLUMNS, [], lang="fr")], lang="fr", center_name="C", title="T")
    assert "N° Enfant Tuteur Téléphone Arrivée Signature" in pdf_tools.layout(pdf, 0)


def test_long_header_texts_shrink_but_are_never_cut() -> None:
    center = "Espace Jisr al-Usra de la préfecture de Skhirate-Témara, antenne d'Aïn El Aouda " * 2
    title = "Liste de présence quotidienne de la crèche sociale et du club des personnes âgées " * 2
    pdf = build([TextBlock("x", rtl=False)], lang="fr", center_name=center.strip(), title=title.strip())
    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert center.strip() in text
    assert title.strip() in text
