"""The law 09-08 notice and consent receipt, read back in both languages."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest

from jisr_desktop.reports.consent import (
    ConsentCenter,
    ConsentPerson,
    build_consent_receipt,
    default_terms,
)
from jisr_desktop.reports.consent_texts import TEXTS
from jisr_desktop.reports.render import ink_ratio, render_page
from jisr_desktop.reports.text import shape_line

CENTER = ConsentCenter(
    name_ar="فضاء جسر الأسرة - الرباط", name_fr="Espace Jisr al-Usra - Rabat",
    address="12، زنقة الأطلس، الرباط", phone="+212537123456", managing_body="جمعية الأمل",
)
ADULT = ConsentPerson(name_ar="فاطمة الزهراء العلوي", name_latin="Fatima Zahra El Alaoui",
                      cin="BE123456", birth_date=dt.date(1990, 5, 17), file_code="RB-2026-00042")
CHILD = ConsentPerson(name_ar="ياسمين بنعلي", name_latin="Yasmine Benali",
                      birth_date=dt.date(2025, 2, 3), guardian_name="Khadija Benali")
DAY = dt.date(2026, 11, 29)


def receipt(lang: str, person: ConsentPerson = ADULT, **kwargs: object) -> tuple[bytes, int]:
    out = io.BytesIO()
    pages = build_consent_receipt(out, lang=lang, center=CENTER, person=person, day=DAY,
                                  receipt_code="CR-7Q4K-92", **kwargs)  # type: ignore[arg-type]
    return out.getvalue(), pages


def all_layout(pdf: bytes, pdf_tools) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(line for p in range(pdf_tools.pages(pdf)) for line in pdf_tools.layout(pdf, p))


def test_french_receipt_contains_the_required_information() -> None:
    pdf, pages = receipt("fr", place="Rabat")
    assert 2 <= pages <= 4  # the person's copy and the center's
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("Espace Jisr al-Usra - Rabat", "Fatima Zahra El Alaoui", "BE123456",
                     "17 mai 1990", "29 novembre 2026", "Fait à Rabat, le 29 novembre 2026",
                     "loi n° 09-08", "droit d'accès", "droit de rectification", "droit d'opposition",
                     "CNDP", "cinq ans après le dernier service", "Finalités du traitement",
                     "Données conservées", "Signature de la personne concernée", "CR-7Q4K-92",
                     "+212537123456", f"Page {pages // 2} sur {pages // 2}"):
        assert expected in text, expected


def test_arabic_name_is_printed_in_a_french_receipt(pdf_tools) -> None:
    pdf, _ = receipt("fr")
    # Drawn right to left inside the left-to-right page: found in display order.
    assert shape_line("فاطمة الزهراء العلوي", rtl=True) in all_layout(pdf, pdf_tools)


def test_arabic_receipt_in_display_order(pdf_tools) -> None:
    pdf, pages = receipt("ar", place="الرباط")
    assert 2 <= pages <= 4  # the person's copy and the center's
    layout = all_layout(pdf, pdf_tools)
    t = TEXTS["ar"]
    for logical in ("فاطمة الزهراء العلوي", t.heading_rights, t.heading_purposes, t.heading_retention,
                    "حرر في الرباط بتاريخ 29 نونبر 2026", "17 ماي 1990", t.signature_person,
                    f"صفحة {pages // 2} من {pages // 2}"):
        assert shape_line(logical, rtl=True) in layout, logical
    assert "Fatima Zahra El Alaoui" in layout
    assert "BE123456" in layout and "CR-7Q4K-92" in layout
    viewer = " ".join(pdf_tools.viewer(pdf, p) for p in range(pages))
    assert "الولوج" in viewer and "تصحيحها" in viewer and "والتعرض" in viewer


def test_child_receipt_names_the_guardian_and_has_no_cin(pdf_tools) -> None:
    pdf, _ = receipt("fr", person=CHILD)
    text = " ".join(pdf_tools.viewer(pdf, p) for p in range(pdf_tools.pages(pdf)))
    assert "Yasmine Benali" in text
    assert shape_line("ياسمين بنعلي", rtl=True) in all_layout(pdf, pdf_tools)
    assert "Tuteur ou représentant légal" in text and "Nom : Khadija Benali" in text
    assert "N° de CIN" not in text


def test_custom_terms_are_printed() -> None:
    terms = default_terms("fr")
    terms = type(terms)(purposes=["Inscription à l'atelier de couture"], data_kept=["Nom"],
                        retention="deux ans", recipients="Personne")
    pdf, _ = receipt("fr", terms=terms)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Inscription à l'atelier de couture" in text
    assert "conservées deux ans" in text
    assert "crèche sociale" not in text


def test_first_page_is_not_blank() -> None:
    pdf, _ = receipt("ar")
    assert ink_ratio(render_page(pdf, 0, dpi=40)) > 0.01


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        receipt("es")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_every_consent_string_has_glyphs_in_the_bundled_font(lang: str) -> None:
    from dataclasses import astuple

    from jisr_desktop.reports.fonts import FONT, FONT_BOLD
    from jisr_desktop.reports.text import unsupported_chars

    texts = TEXTS[lang]
    strings = [s for value in astuple(texts) for s in (value if isinstance(value, tuple) else (value,))]
    for font in (FONT, FONT_BOLD):
        assert unsupported_chars("\n".join(strings), font) == set()
