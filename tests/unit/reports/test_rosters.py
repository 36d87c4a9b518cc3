"""The day's rosters built from real service data, parsed back and rendered."""

from __future__ import annotations

import io
from datetime import date

import pytest

from jisr_desktop.reports.render import ink_ratio, render_page
from jisr_desktop.reports.rosters import RosterRequest, build_roster
from jisr_desktop.reports.text import shape_line
from tests.unit.reports import scenario

DAY = scenario.DAY


@pytest.fixture
def sc(coord_ctx, ctx, clock):  # type: ignore[no-untyped-def]
    return scenario.build(coord_ctx, ctx, clock)


def roster(ctx, kind: str, lang: str, *, blank: bool = False, day: date = DAY, session_id=None) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    pages = build_roster(out, ctx=ctx, request=RosterRequest(kind, day, lang, blank, session_id))
    assert pages >= 1
    return out.getvalue()


def joined(pdf_tools, pdf: bytes) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(line for p in range(pdf_tools.pages(pdf)) for line in pdf_tools.layout(pdf, p))


def not_blank(pdf: bytes) -> None:
    assert ink_ratio(render_page(pdf, 0, dpi=60)) > 0.01


def test_nursery_roster_french_has_names_times_and_header(coord_ctx, sc, pdf_tools) -> None:
    pdf = roster(coord_ctx, "nursery", "fr")
    text = joined(pdf_tools, pdf)
    for expected in ("Salma El Alaoui", "Adam Bennani", "Lina Tazi", "08:30", "08:45", "16:45",
                     "Centre test", "2 novembre 2026", "Page 1 sur 1", "Youssef Bennani"):
        assert expected in text, expected
    assert "Crèche" in text or "crèche" in text
    # totals: 3 on the roster, 2 came, 1 absent, 1 still present
    assert "Présents : 2. Absents : 1. Encore là : 1." in text.replace("\u202f", " ")
    not_blank(pdf)


def test_nursery_roster_arabic_lines_in_display_order(coord_ctx, sc, pdf_tools) -> None:
    pdf = roster(coord_ctx, "nursery", "ar")
    text = joined(pdf_tools, pdf)
    for name in ("سلمى العلوي", "آدم بناني", "لينا التازي", "مركز تجريبي"):
        assert shape_line(name, True) in text, name
    assert "08:30" in text and "16:45" in text
    assert shape_line("صفحة 1 من 1", True) in text
    not_blank(pdf)


def test_blank_nursery_roster_lists_enrolled_children_without_times(coord_ctx, sc, pdf_tools) -> None:
    pdf = roster(coord_ctx, "nursery", "fr", blank=True)
    text = joined(pdf_tools, pdf)
    for name in ("Salma El Alaoui", "Adam Bennani", "Lina Tazi"):
        assert name in text
    # no drop-off names: Youssef (who brought Adam) only as his guardian and authorised pick-up
    assert text.count("Youssef Bennani") == 2 and "08:45" not in text
    table = text.split("Imprimé le")[0]  # the printed-at time is not a check-in time
    assert "08:30" not in table and "16:45" not in table
    not_blank(pdf)


def test_club_sheet_filled_and_blank(coord_ctx, sc, pdf_tools) -> None:
    pdf = roster(coord_ctx, "club", "fr")
    text = joined(pdf_tools, pdf)
    assert "Khadija Fassi" in text and "Driss El Hassani" in text and "08:45" in text
    not_blank(pdf)
    blank = joined(pdf_tools, roster(coord_ctx, "club", "ar", blank=True))
    assert shape_line("خديجة الفاسي", True) in blank and "08:45" not in blank


def test_workshop_sheet_for_the_day_and_blank(coord_ctx, sc, pdf_tools) -> None:
    pdf = roster(coord_ctx, "workshop", "fr")
    text = joined(pdf_tools, pdf)
    assert "Sara Benali" in text and "Fatima El Alaoui" in text
    assert "Présent" in text and "En retard" in text
    assert "09:00" in text and "11:00" in text
    not_blank(pdf)
    blank = joined(pdf_tools, roster(coord_ctx, "workshop", "fr", blank=True, session_id=sc.session_ids[1]))
    assert "Sara Benali" in blank and "Présent" not in blank


def test_workshop_sheet_on_a_day_without_session(coord_ctx, sc, pdf_tools) -> None:
    text = joined(pdf_tools, roster(coord_ctx, "workshop", "fr", day=date(2026, 11, 3)))
    assert "Aucune séance" in text


def test_nursery_roster_carries_safety_columns_totals_and_signatures(coord_ctx, sc, pdf_tools) -> None:
    from jisr_desktop.db.enrollments import NURSERY, current_for
    from jisr_desktop.services import nursery
    salma = current_for(coord_ctx, NURSERY, sc.people["salma"].id)
    assert salma is not None
    nursery.add_pickup(ctx=coord_ctx, enrollment_id=salma.id, data={
        "name": "Hind Amrani", "cin": "BK765432", "phone": "0661000111", "relationship": "Tante"})
    for blank in (False, True):
        text = joined(pdf_tools, roster(coord_ctx, "nursery", "fr", blank=blank)).replace("\u202f", " ")
        assert "Hind Amrani" in text and "…5432" in text and "BK765432" not in text  # last CIN digits only
        assert "Tante" in text
        assert shape_line("فاطمة العلوي", False) in text or "Fatima El Alaoui" in text  # the guardian too
        assert "19 mois" in text  # Salma, born 2025-03-10, on 2026-11-02
        assert "Cellule colorée" in text  # the allergy legend
        assert "Éducatrice" in text or "Éducateur" in text
        assert "Imprimé le" in text
        if blank:
            assert "Présents : ____" in text
        else:
            assert "Total sur la liste : 3. Présents : 2. Absents : 1. Encore là : 1." in text


def test_workshop_sheet_dates_marks_and_names_the_session_on_every_page(coord_ctx, sc, pdf_tools) -> None:
    from jisr_desktop.services import workshops
    from jisr_desktop.services.registry import register_person
    for i in range(40):  # enough participants for several pages
        p = register_person(ctx=coord_ctx, data={"given_name_lat": f"Part{i:02d}", "family_name_lat": "Test",
                                                 "sex": "F"})
        workshops.enroll_participant(ctx=coord_ctx, workshop_id=sc.workshop_id, person_id=p.id)
    pdf = roster(coord_ctx, "workshop", "fr", session_id=sc.session_ids[0])
    pages = pdf_tools.pages(pdf)
    assert pages >= 2
    for p in range(pages):
        page = "\n".join(pdf_tools.layout(pdf, p)).replace("\u202f", " ")
        # the table's caption: which workshop, which day, which hours — on every page
        assert "2 novembre 2026, de 09:00 à 11:00" in page, (p, page[:400])
    lines = [line for p in range(pages) for line in pdf_tools.layout(pdf, p)]
    # the marks were typed on 2026-11-02 (08:45): the day is printed with the time
    # (French order: Benali, El Alaoui, then the 40 Test)
    assert any(line.startswith("1 Sara Benali Présent 02/11/2026") for line in lines), lines[:12]
    assert sum("2 novembre 2026, de 09:00" in line for line in lines) == pages  # once a page
