"""Member card sheet, completion certificate and the consent receipt of a registered person."""

from __future__ import annotations

import io
from datetime import date

import pypdf
import pytest
from reportlab.lib.units import mm

from jisr_desktop.reports import cards_sheet
from jisr_desktop.reports.cards_sheet import build_card_sheet
from jisr_desktop.reports.certificate import NotCompleted, build_certificate, verification_code
from jisr_desktop.reports.person_consent import build_person_consent
from jisr_desktop.reports.render import ink_ratio, render_page
from jisr_desktop.reports.text import mark_ltr, shape_line
from jisr_desktop.services import cards
from tests.unit.reports import scenario


@pytest.fixture
def sc(coord_ctx, ctx, clock):  # type: ignore[no-untyped-def]
    return scenario.build(coord_ctx, ctx, clock)


def text_of(pdf_tools, pdf: bytes) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(line for p in range(pdf_tools.pages(pdf)) for line in pdf_tools.layout(pdf, p))


def test_card_sheet_has_every_live_card_code_and_name(coord_ctx, sc, pdf_tools) -> None:
    out = io.BytesIO()
    pages = build_card_sheet(out, db=coord_ctx.db, lang="fr", day=scenario.DAY)
    pdf = out.getvalue()
    live = [cards.card_of(ctx=coord_ctx, person_id=sc.people[k].id, service=s)
            for k, s in (("salma", "nursery"), ("adam", "nursery"), ("lina", "nursery"), ("hajja", "club"),
                         ("driss", "club"), ("sara", "workshop"))]
    assert all(live) and pages == 2  # 7 cards (Fatima's workshop card too), six to a page
    text = text_of(pdf_tools, pdf)
    for card in live:
        assert card is not None and card.display_code in text
    assert "Salma El Alaoui" in text and "Khadija Fassi" in text and "85.6 × 54 mm" in text
    assert "Crèche sociale" in text
    assert ink_ratio(render_page(pdf, 0, dpi=60)) > 0.01


def test_card_sheet_prints_cards_at_their_real_size(coord_ctx, sc) -> None:
    out = io.BytesIO()
    build_card_sheet(out, db=coord_ctx.db, lang="ar", day=scenario.DAY, service="club")
    page = pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0]
    assert round(float(page.mediabox.width) / mm) == 210 and round(float(page.mediabox.height) / mm) == 297
    # the cut marks (3 mm strokes) sit on the card edges: measure the cards between them
    ops = pypdf.generic.ContentStream(page.get_contents(), page.pdf).operations
    xs, ys, start = set(), set(), None
    for operands, op in ops:
        if op == b"m":
            start = [float(v) for v in operands]
        elif op == b"l" and start is not None:
            x, y = (float(v) for v in operands)
            if abs(x - start[0]) < 0.01 and abs(abs(y - start[1]) - 3 * mm) < 0.01:
                xs.add(round(x, 2))
            elif abs(y - start[1]) < 0.01 and abs(abs(x - start[0]) - 3 * mm) < 0.01:
                ys.add(round(y, 2))
    xs_sorted, ys_sorted = sorted(xs), sorted(ys)
    assert len(xs_sorted) == 2 * cards_sheet.COLUMNS
    widths = {round((b - a) / mm, 2) for a, b in zip(xs_sorted[::2], xs_sorted[1::2], strict=True)}
    heights = {round((b - a) / mm, 2) for a, b in zip(ys_sorted[::2], ys_sorted[1::2], strict=True)}
    assert widths == {85.6} and heights == {54.0}


def test_certificate_only_for_a_completed_workshop(coord_ctx, ctx, clock, sc, pdf_tools) -> None:
    scenario.later_days(coord_ctx, ctx, clock, sc)
    clock.advance(days=1)
    out = io.BytesIO()
    build_certificate(out, ctx=coord_ctx, enrollment_id=sc.enrollment_ids["sara"], lang="fr")
    text = text_of(pdf_tools, out.getvalue())
    code = verification_code(sc.enrollment_ids["sara"], sc.people["sara"].id, sc.workshop_id)
    assert "Sara Benali" in text and code in text and "2 séances sur 2" in text
    # Fatima came late once and was absent once: 50 % < 75 %, no certificate
    with pytest.raises(NotCompleted):
        build_certificate(io.BytesIO(), ctx=coord_ctx, enrollment_id=sc.enrollment_ids["mother"], lang="fr")
    ar = io.BytesIO()
    build_certificate(ar, ctx=coord_ctx, enrollment_id=sc.enrollment_ids["sara"], lang="ar")
    ar_lines = text_of(pdf_tools, ar.getvalue()).splitlines()
    assert shape_line("سارة بنعلي", True) in ar_lines
    # Arabic, a Latin code with digits and the trainer's Latin name, each in display order
    assert shape_line(f"رمز التحقق: {mark_ltr(code)}", True) in ar_lines
    assert shape_line("المؤطر(ة): Samira", True) in ar_lines
    assert ink_ratio(render_page(ar.getvalue(), 0, dpi=60)) > 0.01


def test_verification_code_is_deterministic_and_specific() -> None:
    a = verification_code("e1", "p1", "w1")
    assert a == verification_code("e1", "p1", "w1")
    assert a != verification_code("e2", "p1", "w1") and a != verification_code("e1", "p2", "w1")
    assert len(a) == 14 and a[4] == a[9] == "-" and not set(a) & set("01ILO")


def test_consent_receipt_of_a_registered_child_names_the_guardian(coord_ctx, sc, pdf_tools) -> None:
    out = io.BytesIO()
    build_person_consent(out, ctx=coord_ctx, person_id=sc.people["salma"].id, lang="fr", day=date(2026, 11, 2))
    text = text_of(pdf_tools, out.getvalue())
    assert "Salma El Alaoui" in text and sc.people["salma"].file_no in text
    assert "Fatima El Alaoui" in text  # the nursery guardian signs, in Latin letters on a French paper
    assert ink_ratio(render_page(out.getvalue(), 0, dpi=60)) > 0.01


def test_certificate_counts_every_session_held_excused_included(coord_ctx, ctx, clock, pdf_tools) -> None:
    """Present at 2 of 6 sessions with 4 excused: the certificate says so, not "2 of 2"."""
    from datetime import UTC, datetime

    import pypdfium2

    from jisr_desktop.domain.workshops import Mark
    from jisr_desktop.services import workshops

    sc = scenario.build(coord_ctx, ctx, clock)
    w = workshops.save_workshop(ctx=coord_ctx, data={"category_code": "crafts", "title": "Atelier couture (niveau 1)",
                                                      "trainer": "Samira", "completion_threshold": 0.75})
    ids = [workshops.add_session(ctx=coord_ctx, workshop_id=w.id,
                                 starts_at=datetime(2026, 10, d, 9, 0, tzinfo=UTC),
                                 ends_at=datetime(2026, 10, d, 11, 30, tzinfo=UTC), topic="Couture").id
           for d in range(1, 7)]
    e = workshops.enroll_participant(ctx=coord_ctx, workshop_id=w.id, person_id=sc.people["sara"].id)
    for i, sid in enumerate(ids):
        workshops.mark_attendance(ctx=coord_ctx, session_id=sid, person_id=sc.people["sara"].id,
                                  status=Mark.PRESENT if i < 2 else Mark.EXCUSED,
                                  **({} if i < 2 else {"reason": "Maladie"}))
    out = io.BytesIO()
    build_certificate(out, ctx=coord_ctx, enrollment_id=e.id, lang="fr", place="Salé")
    text = text_of(pdf_tools, out.getvalue()).replace("\u202f", " ").replace("\u00a0", " ")
    flat = " ".join(text.split())
    assert "Présent(e) à 2 séances sur 6 tenues (dont 0 en retard), 4 excusée(s), 0 absence(s)" in flat
    assert "5 heures de formation" in flat
    assert "2 séances sur 2" not in flat
    assert "75 % des séances tenues" in flat
    code = verification_code(e.id, sc.people["sara"].id, w.id)
    assert f"Attestation n° {code}" in flat and "Délivrée à Salé, le" in flat
    assert pypdfium2.PdfDocument(out.getvalue()).__len__() == 1  # identity, counts, QR and signatures together
    ar = io.BytesIO()
    build_certificate(ar, ctx=coord_ctx, enrollment_id=e.id, lang="ar")
    ar_lines = text_of(pdf_tools, ar.getvalue()).splitlines()
    assert any("Atelier couture (niveau 1)" in line and "«(" not in line for line in ar_lines)
    _sample("certificate", out.getvalue(), ar.getvalue())


def _sample(name: str, fr: bytes, ar: bytes) -> None:
    """With PAPER_SAMPLES=<folder>, the pages as PNGs (to be looked at; see docs/reports/README.md)."""
    import os
    from pathlib import Path

    from jisr_desktop.reports.render import render_page_png

    folder = os.environ.get("PAPER_SAMPLES")
    if folder:
        render_page_png(fr, 0, dpi=80, out=Path(folder) / f"{name}-fr.png")
        render_page_png(ar, 0, dpi=80, out=Path(folder) / f"{name}-ar.png")
