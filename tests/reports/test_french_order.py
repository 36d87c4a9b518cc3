"""Issue 14 point 7: French papers in French order. A French nursery roster is sorted by the
Latin names and prints guardians and authorised pick-ups who are registered persons in their
Latin spelling (a name known only as typed stays as typed); the Arabic roster keeps the Arabic
order and spellings. The French consent receipt names a child's guardian in Latin letters."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import pypdf
import pytest

from jisr_desktop.reports.person_consent import build_person_consent
from jisr_desktop.reports.render import render_page_png
from jisr_desktop.reports.rosters import RosterRequest, build_roster
from jisr_desktop.reports.text import shape_line
from jisr_desktop.services import nursery
from jisr_desktop.services.registry import register_person
from tests.unit.reports import scenario


@pytest.fixture
def sc(coord_ctx, ctx, clock):  # type: ignore[no-untyped-def]
    made = scenario.build(coord_ctx, ctx, clock)
    rachida = register_person(ctx=coord_ctx, data={"given_name_ar": "رشيدة", "family_name_ar": "العمراني",
                                                   "given_name_lat": "Rachida", "family_name_lat": "Amrani",
                                                   "sex": "F", "birth_date": date(1992, 1, 5)})
    zineb = register_person(ctx=coord_ctx, data={"given_name_ar": "زينب", "family_name_ar": "العمراني",
                                                 "given_name_lat": "Zineb", "family_name_lat": "Amrani",
                                                 "sex": "F", "birth_date": date(2025, 2, 1)})
    enrollment = nursery.enroll_child(ctx=coord_ctx, child_id=zineb.id, guardian_ids=[rachida.id])
    nursery.add_pickup(ctx=coord_ctx, enrollment_id=enrollment.id, data={
        "name": "حسن الصغير", "cin": "AB123456", "phone": "0611223344", "relationship": "Oncle"})
    made.people |= {"rachida": rachida, "zineb": zineb}
    return made


def lines_of(pdf: bytes) -> list[str]:
    """The lines of every page as drawn (display order), spaces squeezed."""
    out = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        out += [" ".join(line.split()) for line in page.extract_text(extraction_mode="layout").splitlines()]
    return [line for line in out if line]


def roster_lines(ctx, lang: str) -> list[str]:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    build_roster(out, ctx=ctx, request=RosterRequest("nursery", scenario.DAY, lang, True))
    folder = os.environ.get("PAPER_SAMPLES")  # the page as a PNG there, to be looked at
    if folder:
        render_page_png(out.getvalue(), 0, dpi=80, out=Path(folder) / f"nursery-order-{lang}.png")
    return lines_of(out.getvalue())


def _first_line_with(lines: list[str], text: str) -> int:
    return next(i for i, line in enumerate(lines) if text in line)


def test_french_roster_in_latin_order_with_latin_spellings(coord_ctx, sc) -> None:
    lines = roster_lines(coord_ctx, "fr")
    # by Latin family name: Amrani, Bennani, El Alaoui, Tazi (the Arabic order puts Adam first)
    order = [_first_line_with(lines, n) for n in ("Zineb Amrani", "Adam Bennani", "Salma El Alaoui", "Lina Tazi")]
    assert order == sorted(order), lines
    text = "\n".join(lines)
    assert "Rachida Amrani" in text and shape_line("رشيدة العمراني", False) not in text
    assert "Fatima El Alaoui" in text and shape_line("فاطمة العلوي", False) not in text
    assert shape_line("حسن الصغير", False) in text  # typed at the desk, not a registered person


def test_arabic_roster_keeps_arabic_order_and_spellings(coord_ctx, sc) -> None:
    lines = roster_lines(coord_ctx, "ar")
    names = [shape_line(n, True) for n in ("آدم بناني", "زينب العمراني", "سلمى العلوي", "لينا التازي")]
    order = [_first_line_with(lines, n) for n in names]
    assert order == sorted(order), lines
    text = "\n".join(lines)
    assert shape_line("رشيدة العمراني", True) in text and "Rachida Amrani" not in text


def test_french_consent_receipt_names_the_guardian_in_latin_letters(coord_ctx, sc) -> None:
    out = io.BytesIO()
    build_person_consent(out, ctx=coord_ctx, person_id=sc.people["zineb"].id, lang="fr", day=scenario.DAY)
    assert "Rachida Amrani" in "\n".join(lines_of(out.getvalue()))
    ar = io.BytesIO()
    build_person_consent(ar, ctx=coord_ctx, person_id=sc.people["zineb"].id, lang="ar", day=scenario.DAY)
    assert shape_line("رشيدة العمراني", True) in "\n".join(lines_of(ar.getvalue()))
