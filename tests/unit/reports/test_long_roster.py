"""A 300-child nursery roster from the real services: the header row on every page, every
child once, "page N of M", and Arabic lines with digits, Latin words and brackets in order."""

from __future__ import annotations

import io
from datetime import date

from jisr_desktop.i18n import translate
from jisr_desktop.reports.rosters import RosterRequest, build_roster
from jisr_desktop.reports.text import shape_line
from jisr_desktop.services import nursery
from jisr_desktop.services.registry import register_person

N = 300


def test_300_children_header_on_every_page(coord_ctx, ctx, pdf_tools) -> None:
    mother = register_person(ctx=coord_ctx, data={"given_name_ar": "أمينة", "family_name_ar": "العلوي",
                                                  "given_name_lat": "Amina", "family_name_lat": "El Alaoui",
                                                  "sex": "F", "phone": "0661234567"})
    for i in range(N):
        child = register_person(ctx=coord_ctx, data={
            "given_name_lat": f"Enfant{i + 1:03d}", "family_name_lat": "Test", "sex": "F" if i % 2 else "M",
            "birth_date": date(2025, 1 + i % 12, 1 + i % 28)})
        nursery.enroll_child(ctx=coord_ctx, child_id=child.id, guardian_ids=[mother.id], capacity=N,
                             allergies="lait (lactose) — 2 fois par jour" if i % 50 == 0 else "")
        if i % 3 == 0:
            nursery.check_in_child(ctx=ctx, child_id=child.id, dropped_off_by_name="Amina")
    out = io.BytesIO()
    pages = build_roster(out, ctx=coord_ctx, request=RosterRequest("nursery", date(2026, 11, 2), "fr"))
    pdf = out.getvalue()
    assert pages == pdf_tools.pages(pdf) > 5
    seen = []
    for p in range(pages):
        lines = pdf_tools.layout(pdf, p)
        children = [w for line in lines for w in line.split() if w.startswith("Enfant") and w[6:].isdigit()]
        header = next((i for i, line in enumerate(lines) if line.startswith("N° Enfant")), None)
        if not children:  # the last page may hold only the totals and signature lines
            assert p == pages - 1 and any("Encore là" in line for line in lines), lines
            continue
        assert header is not None, lines[:7]
        assert header <= (5 if p == 0 else 3), lines[:7]  # the column titles head every page, under the page header
        assert f"Page {p + 1} sur {pages}" in lines[-1]
        seen += [w for line in lines for w in line.split() if w.startswith("Enfant") and w[6:].isdigit()]
    assert sorted(seen) == [f"Enfant{i + 1:03d}" for i in range(N)]
    # Arabic: header with brackets, Latin names with digits inside an Arabic page
    ar = io.BytesIO()
    pages = build_roster(ar, ctx=coord_ctx, request=RosterRequest("nursery", date(2026, 11, 2), "ar"))
    first = pdf_tools.layout(ar.getvalue(), 0)
    assert shape_line(f"صفحة 1 من {pages}", True) in first[-1]
    titles = next(line for line in first if shape_line(translate("Child", "ar"), True) in line)
    assert shape_line("أحضره(ته) — التوقيع", True) in titles  # brackets facing the right way
    assert any("Enfant001 Test" in line for line in first)
