"""The monthly activity report HQ receives: for each service, the people served and the
attendance, by sex and age band; reception visits by public program; workshop completions;
campaign reach; and a bar chart of the people served per service.

Figures come from `reports.queries` (events after corrections). Ages are taken on the last
day of the month. A person is counted once per service and band; "attendances" are days
(nursery, club), sessions attended (workshops, club activities), visits (reception) or head
counts (campaigns, which record no names).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from jisr_desktop.domain.attendance import BAND_CODES
from jisr_desktop.domain.dates import month_bounds
from jisr_desktop.i18n import N_
from jisr_desktop.reports.common import (
    BAND_LABELS,
    NC_,
    SERVICE_LABELS,
    center_name,
    label,
    label_in,
)
from jisr_desktop.reports.document import build_pdf, frame_width
from jisr_desktop.reports.flowables import RosterTable, TextBlock, heading
from jisr_desktop.reports.fonts import FONT, register_fonts
from jisr_desktop.reports.formatting import format_number, is_rtl
from jisr_desktop.reports.queries import (
    Breakdown,
    CampaignReach,
    ProgramLine,
    WorkshopLine,
    campaign_reach,
    service_breakdowns,
    visit_figures,
    workshop_completions,
)

SERVICES = ("nursery", "club", "club_activity", "workshop", "visit", "campaign")
TITLE = N_("Monthly activity report — {month}")
H_SUMMARY = N_("People served and attendance by service")
H_CHART = N_("People served by service")
H_SERVICE = N_("{service}: people served by sex and age band")
H_PROGRAMS = N_("Reception visits by public program")
H_WORKSHOPS = N_("Workshop completions")
H_CAMPAIGNS = N_("Awareness campaigns")
COL_SERVICE = N_("Service")
COL_PEOPLE = N_("People served")
COL_ATTENDANCE = N_("Attendance")
COL_WOMEN = N_("Women and girls")
COL_MEN = N_("Men and boys")
COL_UNKNOWN_SEX = N_("Sex not recorded")
COL_AGE_BAND = N_("Age band")
COL_TOTAL = N_("Total")
COL_PROGRAM = N_("Program")
COL_VISITS = N_("Visits")
COL_PERSONS = N_("Persons")
COL_WORKSHOP = N_("Workshop")
COL_ENDED = N_("Last session")
COL_PARTICIPANTS = N_("Participants")
COL_COMPLETED = N_("Completed")
COL_NOT_COMPLETED = N_("Not completed")
COL_DATE = NC_("calendar day", "Date")
COL_TOPIC = N_("Topic")
COL_PLACE = NC_("campaign location", "Place")
COL_REACHED = N_("People reached")
NOTE_METHOD = N_("Ages on the last day of the month. Attendance counts days (nursery, club), sessions "
                 "attended (workshops, club activities), visits (reception) and people reached (campaigns). "
                 "Cancelled entries are not counted.")
NOTE_NONE = N_("Nothing recorded this month.")
CAMPAIGN_SUMMARY = N_("Campaigns held: {campaigns}. People reached: {reached}.")


@dataclass
class MonthlyFigures:
    """Everything the report prints, for tests and the screen to read too."""

    first: date
    last: date
    services: dict[str, Breakdown]
    programs: list[ProgramLine]
    workshops: list[WorkshopLine]
    campaigns: CampaignReach

    def total_persons(self, service: str) -> int:
        b = self.services.get(service)
        return b.total_persons if b else 0

    def total_attendances(self, service: str) -> int:
        b = self.services.get(service)
        return b.total_attendances if b else 0


def monthly_figures(db, year: int, month: int) -> MonthlyFigures:  # type: ignore[no-untyped-def]
    first, last = month_bounds(year, month)
    services = service_breakdowns(db, first, last)
    services["visit"], programs = visit_figures(db, first, last)
    reach = campaign_reach(db, first, last)
    services["campaign"] = reach.breakdown
    return MonthlyFigures(first, last, services, programs, workshop_completions(db, first, last), reach)


def month_name(year: int, month: int, lang: str) -> str:
    from babel.dates import format_date

    from jisr_desktop.reports.formatting import babel_locale

    return format_date(date(year, month, 1), "LLLL y", locale=babel_locale(lang))


def _n(value: int, lang: str) -> str:
    return format_number(value, lang)


def _summary(f: MonthlyFigures, lang: str) -> list[Flowable]:
    rows = [[label(SERVICE_LABELS[s], lang), _n(f.total_persons(s), lang), _n(f.total_attendances(s), lang)]
            for s in SERVICES]
    return [heading(label(H_SUMMARY, lang), rtl=is_rtl(lang), size=12),
            RosterTable([(label(COL_SERVICE, lang), 2.4), (label(COL_PEOPLE, lang), 1.0, "center"),
                         (label(COL_ATTENDANCE, lang), 1.0, "center")], rows, lang=lang, size=10)]


def people_chart(f: MonthlyFigures, lang: str, width: float) -> Drawing:
    """Horizontal bars of people served per service; labels shaped with `display_line`."""
    from jisr_desktop.reports.text import display_line

    register_fonts()
    rtl = is_rtl(lang)
    values = [f.total_persons(s) for s in SERVICES]
    names = [display_line(label(SERVICE_LABELS[s], lang), rtl) for s in SERVICES]
    height = 70 * mm
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    label_room = 55 * mm
    chart.x, chart.y = (10 * mm, 8 * mm) if rtl else (label_room, 8 * mm)
    chart.width, chart.height = width - label_room - 15 * mm, height - 16 * mm
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed(names))
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 9
    if rtl:  # names on the right of the bars, which grow from right to left
        chart.categoryAxis.joinAxisMode = "right"
        chart.categoryAxis.labels.boxAnchor = "w"
        chart.categoryAxis.labels.dx = 6
        chart.valueAxis.reverseDirection = 1
    else:
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -6
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.forceZero = 1
    if not any(values):
        chart.valueAxis.valueMax = 1
    chart.bars[0].fillColor = colors.HexColor("#2e6f95")
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 8
    chart.barLabelFormat = "%d"
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    if rtl:  # on a reversed axis ReportLab mirrors the anchor and the offset of bar labels
        chart.barLabels.boxTarget = "lo"
    drawing.add(chart)
    drawing.add(String(width / 2, height - 4 * mm, display_line(label(H_CHART, lang), rtl),
                       fontName=FONT, fontSize=10, textAnchor="middle"))
    return drawing


def _breakdown_table(b: Breakdown, lang: str, with_attendance: bool) -> RosterTable:
    sexes = ("F", "M", "")
    rows = []
    for band in BAND_CODES:
        counts = [b.persons.get((s, band), 0) for s in sexes]
        if not any(counts):
            continue
        total = sum(counts)
        att = sum(b.attendances.get((s, band), 0) for s in sexes)
        rows.append([label(BAND_LABELS[band], lang), *(_n(c, lang) for c in counts), _n(total, lang)]
                    + ([_n(att, lang)] if with_attendance else []))
    totals = [b.persons_by_sex(s) for s in sexes]
    rows.append([label(COL_TOTAL, lang), *(_n(c, lang) for c in totals), _n(sum(totals), lang)]
                + ([_n(b.total_attendances, lang)] if with_attendance else []))
    columns = [(label(COL_AGE_BAND, lang), 1.5), (label(COL_WOMEN, lang), 1.0, "center"),
               (label(COL_MEN, lang), 1.0, "center"), (label(COL_UNKNOWN_SEX, lang), 1.0, "center"),
               (label(COL_TOTAL, lang), 0.8, "center")]
    if with_attendance:
        columns.append((label(COL_ATTENDANCE, lang), 0.9, "center"))
    return RosterTable(columns, rows, lang=lang, size=9)


def _programs(f: MonthlyFigures, lang: str) -> list[Flowable]:
    rows = [[p.name(lang), _n(p.visits, lang), _n(p.persons, lang), _n(p.women, lang), _n(p.men, lang)]
            for p in f.programs]
    rows.append([label(COL_TOTAL, lang), _n(sum(p.visits for p in f.programs), lang), "",
                 _n(sum(p.women for p in f.programs), lang), _n(sum(p.men for p in f.programs), lang)])
    return [heading(label(H_PROGRAMS, lang), rtl=is_rtl(lang), size=12),
            RosterTable([(label(COL_PROGRAM, lang), 2.4), (label(COL_VISITS, lang), 0.8, "center"),
                         (label(COL_PERSONS, lang), 0.8, "center"), (label(COL_WOMEN, lang), 0.9, "center"),
                         (label(COL_MEN, lang), 0.9, "center")], rows, lang=lang, size=9)]


def _workshops(f: MonthlyFigures, lang: str) -> list[Flowable]:
    rtl = is_rtl(lang)
    out: list[Flowable] = [heading(label(H_WORKSHOPS, lang), rtl=rtl, size=12)]
    if not f.workshops:
        return out + [TextBlock(label(NOTE_NONE, lang), rtl=rtl, size=10)]
    from jisr_desktop.reports.formatting import format_day

    rows = [[w.title, format_day(w.end_date, lang, "short"), _n(w.participants, lang), _n(w.completed, lang),
             _n(w.not_completed, lang)] for w in f.workshops]
    rows.append([label(COL_TOTAL, lang), "", _n(sum(w.participants for w in f.workshops), lang),
                 _n(sum(w.completed for w in f.workshops), lang),
                 _n(sum(w.not_completed for w in f.workshops), lang)])
    return out + [RosterTable([(label(COL_WORKSHOP, lang), 2.4), (label(COL_ENDED, lang), 0.9, "center"),
                               (label(COL_PARTICIPANTS, lang), 0.8, "center"),
                               (label(COL_COMPLETED, lang), 0.8, "center"),
                               (label(COL_NOT_COMPLETED, lang), 0.8, "center")], rows, lang=lang, size=9)]


def _campaigns(f: MonthlyFigures, lang: str) -> list[Flowable]:
    from jisr_desktop.reports.formatting import format_day

    rtl = is_rtl(lang)
    reach = f.campaigns
    out: list[Flowable] = [heading(label(H_CAMPAIGNS, lang), rtl=rtl, size=12),
                           TextBlock(label(CAMPAIGN_SUMMARY, lang, campaigns=_n(reach.campaigns, lang),
                                           reached=_n(reach.breakdown.total_persons, lang)), rtl=rtl, size=10)]
    if reach.topics:
        rows = [[format_day(d, lang, "short"), topic, place, _n(n, lang)] for d, topic, place, n in reach.topics]
        out.append(RosterTable([(label_in(COL_DATE, lang), 0.9, "center"), (label(COL_TOPIC, lang), 2.2),
                                (label_in(COL_PLACE, lang), 1.4), (label(COL_REACHED, lang), 0.8, "center")],
                               rows, lang=lang, size=9))
    return out


def monthly_story(f: MonthlyFigures, lang: str) -> list[Flowable]:
    rtl = is_rtl(lang)
    gap = Spacer(1, 4 * mm)
    story: list[Flowable] = [TextBlock(label(NOTE_METHOD, lang), rtl=rtl, size=9), gap]
    story += [KeepTogether(_summary(f, lang)), gap, people_chart(f, lang, frame_width()), gap]
    for service in SERVICES:
        b = f.services.get(service)
        story.append(CondPageBreak(45 * mm))
        story.append(heading(label(H_SERVICE, lang, service=label(SERVICE_LABELS[service], lang)), rtl=rtl, size=11))
        if b is None or not b.total_persons:
            story.append(TextBlock(label(NOTE_NONE, lang), rtl=rtl, size=10))
        else:
            story.append(_breakdown_table(b, lang, with_attendance=service != "campaign"))
        story.append(gap)
    story += [CondPageBreak(50 * mm), *_programs(f, lang), gap, CondPageBreak(40 * mm), *_workshops(f, lang),
              gap, CondPageBreak(40 * mm), *_campaigns(f, lang)]
    return story


def build_monthly_report(target: str | Path | IO[bytes], *, db, year: int, month: int,  # type: ignore[no-untyped-def]
                         lang: str, day: date | None = None) -> int:
    """Write the month's report; ``day`` is the date printed in the header (default: the
    month's last day). Returns the page count."""
    figures = monthly_figures(db, year, month)
    return build_pdf(target, lang=lang, center_name=center_name(db, lang),
                     title=label(TITLE, lang, month=month_name(year, month, lang)),
                     date=day or figures.last, story=monthly_story(figures, lang))
