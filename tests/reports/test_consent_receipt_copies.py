"""Issue 14 point 8 (consent): one run prints two labelled copies of the receipt (the person's,
the center's); in each, the person's identity and the signatures share a page however long the
notice runs; the place ("done at …") and the CNDP declaration number (the `cndp_declaration`
setting) are printed, and a missing number is said in words. Real PDFs, read back."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdf
import pytest

from jisr_desktop.reports.consent import (
    ConsentCenter,
    ConsentPerson,
    build_consent_receipt,
    default_terms,
)
from jisr_desktop.reports.consent_texts import TEXTS
from jisr_desktop.reports.person_consent import build_person_consent
from jisr_desktop.reports.text import shape_line
from jisr_desktop.services import consent as consents
from jisr_desktop.services.registry import register_person
from jisr_desktop.settings import Settings

DAY = dt.date(2026, 11, 29)
CENTER = ConsentCenter(name_ar="فضاء جسر الأسرة - الرباط", name_fr="Espace Jisr al-Usra - Rabat",
                       cndp_reference="D-GC-2026-0117")
ADULT = ConsentPerson(name_ar="فاطمة الزهراء العلوي", name_latin="Fatima Zahra El Alaoui",
                      cin="BE123456", birth_date=dt.date(1990, 5, 17), file_code="RB-2026-00042")


def pages_text(pdf: bytes) -> list[str]:
    """Each page's lines as drawn (display order), whitespace collapsed."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return ["\n".join(" ".join(line.split()) for line in page.extract_text(extraction_mode="layout").splitlines())
            for page in reader.pages]


def pages_with(pages: list[str], needle: str) -> list[int]:
    return [i for i, text in enumerate(pages) if needle in text]


def long_terms(lang: str, n: int = 30):  # type: ignore[no-untyped-def]
    """The standard terms with many more purposes and recorded consents (several pages)."""
    terms = default_terms(lang)
    word = "Finalité" if lang == "fr" else "غرض"
    return replace(terms, purposes=[*terms.purposes, *(f"{word} {i}" for i in range(n))],
                   recorded=[f"{word} {i} — 01/0{1 + i % 9}/2026" for i in range(n)],
                   recorded_title=TEXTS[lang].heading_purposes)


def receipt(lang: str, **kwargs: object) -> tuple[bytes, int]:
    out = io.BytesIO()
    kwargs.setdefault("person", ADULT)
    kwargs.setdefault("center", CENTER)
    pages = build_consent_receipt(out, lang=lang, day=DAY, receipt_code="RB-2026-00042-20261129",
                                  **kwargs)  # type: ignore[arg-type]
    return out.getvalue(), pages


def drawn(lang: str) -> Callable[[str], str]:
    """How a logical string of the paper appears in the extracted layout text."""
    return (lambda s: shape_line(s, rtl=True)) if lang == "ar" else (lambda s: s)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_one_run_prints_the_persons_copy_then_the_centers_each_labelled(lang: str) -> None:
    pdf, count = receipt(lang, place="Rabat" if lang == "fr" else "الرباط")
    pages = pages_text(pdf)
    assert count == len(pages) >= 2
    t, show = TEXTS[lang], drawn(lang)
    person_copy = pages_with(pages, show(t.copy_person))
    center_copy = pages_with(pages, show(t.copy_center))
    assert person_copy and center_copy
    assert max(person_copy) < min(center_copy), (person_copy, center_copy)
    signatures = pages_with(pages, show(t.signature_staff))
    assert len(signatures) == 2, signatures
    # Each signature block says whose copy it is; the center's copy starts on a new page.
    assert signatures[0] in person_copy and signatures[1] in center_copy
    assert min(center_copy) == signatures[0] + 1
    made = t.made_at.format(place="Rabat" if lang == "fr" else "الرباط",
                            date="29 novembre 2026" if lang == "fr" else "29 نونبر 2026")
    assert len(pages_with(pages, show(made))) == 2
    # Each copy is numbered on its own: the person takes home "page 1 of N" … "page N of N".
    for first, last in ((0, signatures[0]), (min(center_copy), signatures[1])):
        n = last - first + 1
        for number, page in enumerate(range(first, last + 1), start=1):
            assert show(t.page_label.format(page=number, pages=n)) in pages[page], (page, number, n)


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("extra", [0, 12, 30, 45])
def test_identity_and_signatures_share_a_page_however_long_the_notice(lang: str, extra: int) -> None:
    pdf, _ = receipt(lang, terms=long_terms(lang, extra))
    pages = pages_text(pdf)
    t, show = TEXTS[lang], drawn(lang)
    identity = pages_with(pages, "BE123456")     # the CIN is printed in the identity block only
    signatures = pages_with(pages, show(t.signature_person))
    assert len(identity) == len(signatures) == 2
    assert identity == signatures, (identity, signatures, len(pages))
    heading = pages_with(pages, show(t.heading_person))
    assert heading == identity


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_cndp_number_is_printed_or_its_absence_said(lang: str) -> None:
    t, show = TEXTS[lang], drawn(lang)
    # Labels and the sentence wrap in their cells: their first words are looked for.
    label, missing = (show(" ".join(s.split()[:2])) for s in (t.label_cndp, t.cndp_missing))
    pdf, _ = receipt(lang)
    text = "\n".join(pages_text(pdf))
    assert text.count("D-GC-2026-0117") == 2 and text.count(label) == 2
    assert missing not in text
    pdf, _ = receipt(lang, center=replace(CENTER, cndp_reference=""))
    text = "\n".join(pages_text(pdf))
    assert text.count(missing) == 2 and text.count(label) == 2


def test_a_registered_persons_receipt_takes_the_setting_and_the_centers_city(
        coord_ctx, home: Path, clock) -> None:  # type: ignore[no-untyped-def]
    person = register_person(ctx=coord_ctx, data={
        "given_name_ar": "سعاد", "family_name_ar": "الإدريسي", "given_name_lat": "Souad",
        "family_name_lat": "Idrissi", "sex": "F", "birth_date": date(1985, 3, 2), "cin": "AB765432"})
    for purpose, service in consents.choices():
        if purpose != "partner":
            consents.give(ctx=coord_ctx, person_id=person.id, purpose=purpose, service=service,
                          given_on=date(2026, 10, 1))

    def french() -> str:
        out = io.BytesIO()
        build_person_consent(out, ctx=coord_ctx, person_id=person.id, lang="fr", day=DAY)
        return "\n".join(pages_text(out.getvalue()))

    missing = " ".join(TEXTS["fr"].cndp_missing.split()[:2])
    text = french()
    # No number set: said plainly, on both copies; the center's prefecture is the place.
    assert text.count(missing) == 2
    assert text.count("Fait à Rabat, le 29 novembre 2026") == 2
    Settings(home).set("cndp_declaration", " A-GC-512/2025 ")
    text = french()
    assert text.count("A-GC-512/2025") == 2 and missing not in text
    assert TEXTS["fr"].copy_person in text and TEXTS["fr"].copy_center in text
    pages = pages_text(_arabic(coord_ctx, person.id))
    assert len(pages_with(pages, shape_line("حرر في الرباط بتاريخ 29 نونبر 2026", rtl=True))) == 2
    assert len(pages_with(pages, "A-GC-512/2025")) == 2
    assert pages_with(pages, "AB765432") == pages_with(pages, shape_line(TEXTS["ar"].signature_person, rtl=True))


def _arabic(ctx, person_id: str) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    build_person_consent(out, ctx=ctx, person_id=person_id, lang="ar", day=DAY)
    return out.getvalue()


def test_jisr_consent_prints_both_copies_with_the_data_roots_cndp_number(
        coord_ctx, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    person = register_person(ctx=coord_ctx, data={
        "given_name_ar": "نادية", "family_name_ar": "الفاسي", "given_name_lat": "Nadia",
        "family_name_lat": "Fassi", "sex": "F", "birth_date": date(1979, 7, 9)})
    Settings(home).set("cndp_declaration", "A-GC-77/2024")
    out = tmp_path / "consent.pdf"
    done = subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang", "en",
                           "consent", person.id, "--lang", "fr", "-o", str(out)],
                          capture_output=True, text=True, env={**os.environ, "JISR_NO_KEYRING": "1"}, timeout=180)
    assert done.returncode == 0, done.stderr
    pages = pages_text(out.read_bytes())
    assert len(pages_with(pages, "A-GC-77/2024")) == 2
    assert pages_with(pages, TEXTS["fr"].copy_person) and pages_with(pages, TEXTS["fr"].copy_center)
    assert len(pages_with(pages, "Fait à Rabat, le ")) == 2
