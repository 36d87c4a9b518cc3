"""The monthly report's figures against counts made independently from the raw event rows,
and the PDF parsed back."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from datetime import date

import pytest

from jisr_desktop.domain.workshops import Mark
from jisr_desktop.reports.monthly import build_monthly_report, monthly_figures
from jisr_desktop.reports.render import ink_ratio, render_page
from jisr_desktop.reports.text import shape_line
from jisr_desktop.services import attendance, workshops
from tests.unit.reports import scenario

FIRST, LAST = "2026-11-01", "2026-11-30"


@pytest.fixture
def month(coord_ctx, ctx, clock):  # type: ignore[no-untyped-def]
    sc = scenario.build(coord_ctx, ctx, clock)
    scenario.later_days(coord_ctx, ctx, clock, sc)
    # corrections: Lina's check-in of 4 November was a mistake; Fatima's absence becomes "late"
    lina = attendance.live_check_in(coord_ctx.db, "nursery", sc.people["lina"].id, date(2026, 11, 4))
    attendance.void_event(ctx=coord_ctx, table="check_in", event_id=lina["id"], reason="wrong child")
    workshops.mark_attendance(ctx=coord_ctx, session_id=sc.session_ids[1], person_id=sc.people["mother"].id,
                              status=Mark.LATE)
    # an event outside the month does not count
    clock.advance(days=30)
    from jisr_desktop.services import nursery
    nursery.check_in_child(ctx=ctx, child_id=sc.people["adam"].id)
    return sc


def independent(db) -> dict[str, tuple[int, int, dict[str, int]]]:  # type: ignore[no-untyped-def]
    """service -> (distinct persons, attendances, persons by sex), from the raw rows: corrections
    applied by hand (void drops the event, amend patches it, latest last)."""
    corrections = defaultdict(list)
    for target, kind, patch in db.execute("SELECT target_id, kind, patch FROM event_correction ORDER BY at, id"):
        corrections[target].append((kind, json.loads(patch)))
    sex = dict(db.execute("SELECT id, sex FROM person").fetchall())
    seen: dict[str, list[str]] = defaultdict(list)
    for eid, service, pid in db.execute("SELECT id, service, person_id FROM check_in WHERE day >= ? AND day <= ?",
                                        [FIRST, LAST]):
        if not any(k == "void" for k, _ in corrections[eid]):
            seen[service].append(pid)
    for eid, context, pid, status in db.execute(
            "SELECT id, context, person_id, status FROM attendance WHERE day >= ? AND day <= ?", [FIRST, LAST]):
        voided = False
        for kind, patch in corrections[eid]:
            voided = voided or kind == "void"
            status = patch.get("status", status)
        if not voided and status in ("present", "late"):
            seen[context].append(pid)
    for (pid,) in db.execute("SELECT person_id FROM visit WHERE day >= ? AND day <= ?", [FIRST, LAST]):
        seen["visit"].append(pid)
    out = {}
    for service, pids in seen.items():
        by_sex: dict[str, int] = defaultdict(int)
        for pid in set(pids):
            by_sex[sex[pid] or ""] += 1
        out[service] = (len(set(pids)), len(pids), dict(by_sex))
    return out


def test_figures_match_counts_from_the_raw_events(coord_ctx, month) -> None:
    figures = monthly_figures(coord_ctx.db, 2026, 11)
    expected = independent(coord_ctx.db)
    assert set(expected) == {"nursery", "club", "workshop", "visit"}
    for service, (persons, attendances, by_sex) in expected.items():
        b = figures.services[service]
        assert (b.total_persons, b.total_attendances) == (persons, attendances), service
        assert {s: b.persons_by_sex(s) for s in by_sex} == by_sex, service
    # the hand-made scenario, spelled out: nursery Salma (2 days), Adam (1); Lina's only day was voided
    assert expected["nursery"] == (2, 3, {"F": 1, "M": 1})
    assert expected["workshop"] == (2, 4, {"F": 2})
    campaign = coord_ctx.db.execute("SELECT sum(count) FROM campaign_count").fetchone()[0]
    assert figures.campaigns.breakdown.total_persons == campaign == 17 and figures.campaigns.campaigns == 1
    rsu = next(p for p in figures.programs if p.code == "rsu")
    assert (rsu.visits, rsu.persons, rsu.women) == (2, 1, 1)  # women are persons (Fatima came twice)
    [line] = figures.workshops
    assert (line.participants, line.completed) == (2, 2)  # Fatima's absence amended to late: 2 of 2
    # ages on 30 November: Salma and Adam 0-2, Fatima 30-59
    assert figures.services["nursery"].persons[("F", "0-2")] == 1
    assert figures.services["nursery"].persons[("M", "0-2")] == 1
    assert figures.services["workshop"].persons[("F", "30-59")] == 1
    assert figures.services["club"].persons[("M", "60+")] == 1  # Driss, only a birth year


def test_monthly_pdf_shows_the_totals_in_french_and_arabic(coord_ctx, month, pdf_tools) -> None:
    expected = independent(coord_ctx.db)
    out = io.BytesIO()
    pages = build_monthly_report(out, db=coord_ctx.db, year=2026, month=11, lang="fr")
    pdf = out.getvalue()
    text = "\n".join(line for p in range(pages) for line in pdf_tools.layout(pdf, p))
    assert "Rapport mensuel d'activité — novembre 2026" in text
    n, att, _ = expected["nursery"]
    assert f"Crèche sociale {n} {att}" in text
    v, vatt, _ = expected["visit"]
    assert f"Accueil et orientation {v} {vatt}" in text
    assert "Campagnes menées : 1. Personnes touchées : 17." in text.replace("\u202f", " ")
    assert "الخياطة التقليدية" in pdf_tools.viewer(pdf, pages - 1) or shape_line("الخياطة التقليدية", True) in text
    assert ink_ratio(render_page(pdf, 0, dpi=60)) > 0.02
    ar = io.BytesIO()
    pages = build_monthly_report(ar, db=coord_ctx.db, year=2026, month=11, lang="ar")
    text = "\n".join(line for p in range(pages) for line in pdf_tools.layout(ar.getvalue(), p))
    # a line mixing Arabic and digits, in display order
    assert shape_line("التقرير الشهري للأنشطة — نونبر 2026", True) in text
    assert shape_line(f"الحضانة الاجتماعية {n} {att}", True) in text or \
        shape_line(f"{att} {n} الحضانة الاجتماعية", True) in text
    assert ink_ratio(render_page(ar.getvalue(), 0, dpi=60)) > 0.02


def test_an_empty_month_prints_zeros(coord_ctx, month, pdf_tools) -> None:
    out = io.BytesIO()
    pages = build_monthly_report(out, db=coord_ctx.db, year=2026, month=3, lang="fr")
    text = "\n".join(line for p in range(pages) for line in pdf_tools.layout(out.getvalue(), p))
    assert "Crèche sociale 0 0" in text and "Rien d'enregistré ce mois-ci." in text
