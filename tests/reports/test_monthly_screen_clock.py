"""Issue 14 point 5: the Reports screen prints the monthly report at the program's clock
(``ctx.now()``), so a report printed on 2 November says November is in progress, counts to that
day and is marked provisional. Old code: the screen passed no print time and the report took the
computer's real clock (a November report printed "now", in December, came out final)."""

from __future__ import annotations

from datetime import date

from jisr_desktop.reports.monthly import monthly_figures
from jisr_desktop.ui.screens.reports import REPORTS, Request, build_report
from tests.reports import monthly_center as mc
from tests.unit.reports import scenario


def test_the_screen_prints_the_monthly_report_at_the_program_clock(coord_ctx, ctx, clock) -> None:
    scenario.build(coord_ctx, ctx, clock)            # the test clock: Monday 2 November 2026
    monthly = next(k for k in REPORTS if k.key == "monthly")
    pdf, _pages = build_report(coord_ctx, Request(monthly, date(2026, 11, 2), "fr"))
    text = "\n".join(line for page in mc.pdf_pages(pdf) for line in page)
    f = monthly_figures(coord_ctx.db, 2026, 11, printed_at=coord_ctx.now())
    assert f.provisional and f.as_of == date(2026, 11, 2)
    assert "PROVISOIRE" in text
    printed = coord_ctx.now().astimezone()   # after the scenario's day: 16:45
    assert f"Imprimé le 2 novembre 2026 à {printed:%H:%M}" in text.replace("\u202f", " ")
