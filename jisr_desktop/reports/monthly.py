"""The monthly activity report HQ receives and files.

An official header (Kingdom of Morocco, the ministry, the center's name and code, its province
and region from the reference divisions, the period, the date and time of printing), then the
indicators HQ asks for, the people served and the attendance per service with the previous
month and the year to date, enrollment movements, each service by sex and age band, the
disability breakdown, reception visits by program and by outcome and channel, workshop
completions, campaign reach, and a prepared-by / validated-by / stamp block.

A report printed before the month is over is *provisional*: it says so on every page, its
figures stop at the day of printing and ages are taken on that day (otherwise on the month's
last day). Every table says what it counts: persons (each counted once) or attendances (days,
sessions, visits, head counts). Figures come from `reports.queries` and `reports.indicators`
(events after corrections); the tests recount them with their own SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from jisr_desktop import i18n
from jisr_desktop.domain.attendance import BAND_CODES
from jisr_desktop.domain.visits import CHANNEL_LABELS, OUTCOME_LABELS, Channel
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
from jisr_desktop.reports.formatting import format_day, format_number, is_rtl
from jisr_desktop.reports.indicators import Totals
from jisr_desktop.reports.monthly_figures import (  # noqa: F401 (re-exported for the callers)
    NAMED_SERVICES,
    SERVICES,
    MonthlyFigures,
    month_name,
    monthly_figures,
)
from jisr_desktop.reports.queries import Breakdown
from jisr_desktop.reports.text import mark_ltr, mark_value

TITLE = N_("Monthly activity report — {month}")
KINGDOM = N_("Kingdom of Morocco")
MINISTRY = N_("Ministry of Solidarity, Social Integration and Family")
F_CENTER = N_("Center")
F_CODE = N_("Center code")
F_PROVINCE = N_("Province or prefecture")
F_REGION = N_("Region")
F_PERIOD = N_("Period")
F_PRINTED = N_("Printed on")
PERIOD = N_("From {first} to {last}")
PERIOD_OPEN = N_("From {first} to {last} (month in progress)")
DATE_TIME = N_("{date} at {time}")
MARK_PROVISIONAL = N_("PROVISIONAL")
NOTE_PROVISIONAL = N_("Provisional report: {month} is not over. The figures run from {first} to {day} and ages "
                      "are taken on {day}. Print the report again after {last} for the final figures.")
NOTE_FINAL = N_("Final report: the whole month, ages on {last}.")
NOTE_COUNTING = N_("Persons are counted once per service; where a table says “each once”, once in the whole "
                   "table. Attendances count days (nursery, club), sessions attended (workshops, club "
                   "activities), visits (reception) and people reached (campaigns, head counts without names). "
                   "Cancelled entries are not counted.")
H_INDICATORS = N_("Indicators")
H_SUMMARY = N_("People served and attendance by service")
H_COMPARE_PERSONS = N_("Persons served: this month, the previous month and the year to date")
H_COMPARE_ATTENDANCE = N_("Attendance: this month, the previous month and the year to date")
H_MOVEMENTS = N_("Enrollments and exits")
H_CHART = N_("People served by service")
H_SERVICE = N_("{service}: people served by sex and age band")
H_DISABILITY = N_("Persons served with a disability")
H_PROGRAMS = N_("Reception visits by public program")
H_OUTCOMES = N_("Reception visits by outcome and channel")
H_WORKSHOPS = N_("Workshop completions")
H_CAMPAIGNS = N_("Awareness campaigns")
H_SIGNATURES = N_("Certification")
CAP_PERSONS = N_("Counts persons, each once per service.")
CAP_SUMMARY = N_("Persons: each once per service. Attendances: in the unit of the last column.")
CAP_COMPARE_PERSONS = N_("Counts persons, each once per service and per column (the year to date counts "
                         "each person once over the whole period). Campaigns: head counts.")
CAP_COMPARE_ATTENDANCE = N_("Counts attendances, in the unit of the second column.")
CAP_MOVEMENTS = N_("Counts enrollments (a person enrolled in two workshops counts twice).")
CAP_BREAKDOWN = N_("Counts persons (each once); the Attendance column counts {unit}.")
CAP_CAMPAIGN_BREAKDOWN = N_("Counts people reached: head counts, campaigns record no names.")
CAP_DISABILITY = N_("Counts persons served this month whose file says “disability”, each once.")
CAP_PROGRAMS = N_("Visits: every visit. Persons, women and men: each person once per program; the total row "
                  "counts each person once.")
CAP_OUTCOMES = N_("Channel columns count visits; the Persons column counts each person once.")
CAP_WORKSHOPS = N_("Counts participants: persons enrolled in the workshop, each once.")
CAP_CAMPAIGNS = N_("Counts people reached: head counts.")
COL_SERVICE = N_("Service")
COL_PEOPLE = N_("Persons served")
COL_ATTENDANCE = N_("Attendance")
COL_UNIT = N_("Counted as")
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
COL_INDICATOR = N_("Indicator")
COL_VALUE = N_("Value")
COL_YEAR_TO_DATE = N_("Year to date (since {first})")
COL_NEW = N_("New enrollments")
COL_EXITS = N_("Exits")
COL_ENROLLED_ON = N_("Enrolled on {day}")
COL_WAITING_ON = N_("Waiting on {day}")
COL_DISABILITY_TYPE = N_("Type of disability")
COL_OUTCOME = N_("Outcome")
COL_ALL_VISITS = N_("All visits")
TYPE_NOT_RECORDED = N_("Type not recorded")
SIGN_PREPARED = N_("Prepared by — name, function, date and signature")
SIGN_VALIDATED = N_("Validated by — name, function, date and signature")
SIGN_STAMP = N_("Center stamp")
NOTE_NONE = N_("Nothing recorded this month.")
CAMPAIGN_SUMMARY = N_("Campaigns held: {campaigns}. People reached: {reached}.")
UNITS = {
    "nursery": N_("days (check-ins)"), "club": N_("days (check-ins)"),
    "club_activity": N_("activities attended"), "workshop": N_("sessions attended"),
    "visit": N_("visits"), "campaign": N_("head counts"),
}
U_PERSONS = N_("persons, each once")
U_DAYS = N_("days")
U_PLACES = N_("places")
U_CHILDREN = N_("children")
U_SHARE = N_("share")
U_CHILDREN_PER_DAY = N_("children per day open")
U_MEMBERS_PER_DAY = N_("members per day open")
U_ENROLLMENTS = N_("enrollments")
U_PARTICIPANTS = N_("participants")
U_VISITS = N_("visits")
U_HEAD_COUNTS = N_("head counts")
I_PERSONS = N_("Persons served, all services")
I_WOMEN = N_("Women and girls among them")
I_DISABILITY = N_("Persons with a disability among them")
I_DAYS_OPEN = N_("Days open (days with an activity recorded)")
I_CAPACITY = N_("Nursery places")
I_ENROLLED = N_("Children enrolled in the nursery on {day}")
I_OCCUPANCY = N_("Nursery occupancy (children enrolled / places)")
I_WAITLIST = N_("Nursery waiting list on {day}")
I_NURSERY_DAYS = N_("Days the nursery was open")
I_NURSERY_AVERAGE = N_("Average daily attendance at the nursery")
I_NURSERY_FILL = N_("Average daily attendance / nursery places")
I_CLUB_DAYS = N_("Days the elderly club was open")
I_CLUB_AVERAGE = N_("Average daily attendance at the elderly club")
I_NEW = N_("New enrollments (nursery, club, workshops)")
I_EXITS = N_("Exits (nursery, club, workshops)")
I_COMPLETION = N_("Workshop completion rate (workshops ended in the period)")
I_VISITS = N_("Reception visits")
I_VISITORS = N_("Persons received at reception")
I_REACHED = N_("People reached by campaigns")
OF_TOTAL = N_("{count} of {total} ({share})")


def _n(value: int, lang: str) -> str:
    return format_number(value, lang)


def _share(part: float, whole: float, lang: str) -> str:
    """``45,5 %`` (one decimal, one left-to-right unit on either page), or a dash when there
    is nothing to divide by."""
    return mark_value(f"{format_number(round(100 * part / whole, 1), lang)}\u00a0%") if whole else "—"


def _short_day(day: date, lang: str) -> str:
    """``06/11/2026`` in every language, kept left to right on an Arabic page."""
    return mark_ltr(i18n.format_date(day, lang, "short"))


def _of(part: int, whole: int, lang: str) -> str:
    return label(OF_TOTAL, lang, count=_n(part, lang), total=_n(whole, lang), share=_share(part, whole, lang))


def _day(day: date, lang: str) -> str:
    return format_day(day, lang)


def _table(columns: Sequence[tuple[object, ...]], rows: list[list[str]], lang: str, caption: str,
           size: float = 9) -> RosterTable:
    return RosterTable(columns, rows, lang=lang, size=size, caption=label(caption, lang) if caption else None)


def _section(title: str, body: list[Flowable], lang: str, size: float = 12) -> list[Flowable]:
    """A heading kept on the page of the start of its table (a long table's caption and column
    titles repeat on the next pages)."""
    head = heading(title, rtl=is_rtl(lang), size=size)
    if body and isinstance(body[0], RosterTable):
        return [KeepTogether([head, body[0]]), *body[1:]]
    return [KeepTogether([head, *body])]


# --- Page 1: official header, status, indicators ---------------------------------------------

def official_header(f: MonthlyFigures, lang: str, db_center_name: str) -> list[Flowable]:
    rtl = is_rtl(lang)
    center = f.center
    printed = label(DATE_TIME, lang, date=_day(f.printed_at.date(), lang), time=f.printed_at.strftime("%H:%M"))
    period = label(PERIOD_OPEN if f.provisional else PERIOD, lang, first=_day(f.first, lang),
                   last=_day(f.as_of if f.provisional else f.last, lang))
    rows = [
        [label(F_CENTER, lang), center.name(lang) if center else db_center_name,
         label(F_CODE, lang), center.code if center else "—"],
        [label(F_PROVINCE, lang), (center.province(lang) if center else "") or "—",
         label(F_REGION, lang), (center.region(lang) if center else "") or "—"],
        [label(F_PERIOD, lang), period, label(F_PRINTED, lang), printed],
    ]
    grey = colors.HexColor("#ececec")
    table = RosterTable([("", 1.15), ("", 2.0), ("", 0.85), ("", 1.5)], rows, lang=lang, size=9.5, header=False,
                        zebra=False, highlight=[(r, c) for r in range(3) for c in (0, 2)], highlight_color=grey)
    return [TextBlock(label(KINGDOM, lang), rtl=rtl, size=12, bold=True, align="center"),
            TextBlock(label(MINISTRY, lang), rtl=rtl, size=11, bold=True, align="center"),
            Spacer(1, 2 * mm), table]


def status_box(f: MonthlyFigures, lang: str) -> Flowable:
    """A red framed notice on a provisional report; one quiet line on a final one."""
    rtl = is_rtl(lang)
    if not f.provisional:
        return TextBlock(label(NOTE_FINAL, lang, last=_day(f.last, lang)), rtl=rtl, size=9.5, bold=True)
    red = colors.HexColor("#b00020")
    text = label(NOTE_PROVISIONAL, lang, month=month_name(f.first.year, f.first.month, lang),
                 first=_day(f.first, lang), day=_day(f.as_of, lang), last=_day(f.last, lang))
    box = Table([[TextBlock(text, rtl=rtl, size=10, bold=True, color=red)]], colWidths=[frame_width()],
                style=TableStyle([("BOX", (0, 0), (-1, -1), 1.5, red), ("LEFTPADDING", (0, 0), (-1, -1), 5),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 5), ("TOPPADDING", (0, 0), (-1, -1), 4),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return box


def _indicators(f: MonthlyFigures, lang: str) -> list[Flowable]:
    people = f.people()
    served = len(people)
    women = sum(1 for s in people.values() if s == "F")
    disabled = sum(d.persons for d in f.disabilities)
    enrolled = f.movements["nursery"].enrolled
    done, participants = f.completion()

    def avg(service: str) -> str:
        value = f.average_daily(service)
        return format_number(round(value, 1), lang) if value is not None else "—"

    nursery_avg = f.average_daily("nursery")
    fill = _share(nursery_avg, f.capacity, lang) if nursery_avg is not None else "—"
    rows = [
        (label(I_PERSONS, lang), _n(served, lang), U_PERSONS),
        (label(I_WOMEN, lang), _of(women, served, lang), U_PERSONS),
        (label(I_DISABILITY, lang), _of(disabled, served, lang), U_PERSONS),
        (label(I_DAYS_OPEN, lang), _n(f.days_open(), lang), U_DAYS),
        (label(I_CAPACITY, lang), _n(f.capacity, lang), U_PLACES),
        (label(I_ENROLLED, lang, day=_day(f.as_of, lang)), _n(enrolled, lang), U_CHILDREN),
        (label(I_OCCUPANCY, lang), _share(enrolled, f.capacity, lang), U_SHARE),
        (label(I_WAITLIST, lang, day=_day(f.printed_at.date(), lang)), _n(f.movements["nursery"].waiting, lang),
         U_CHILDREN),
        (label(I_NURSERY_DAYS, lang), _n(f.days_open("nursery"), lang), U_DAYS),
        (label(I_NURSERY_AVERAGE, lang), avg("nursery"), U_CHILDREN_PER_DAY),
        (label(I_NURSERY_FILL, lang), fill, U_SHARE),
        (label(I_CLUB_DAYS, lang), _n(f.days_open("club"), lang), U_DAYS),
        (label(I_CLUB_AVERAGE, lang), avg("club"), U_MEMBERS_PER_DAY),
        (label(I_NEW, lang), _n(sum(m.new for m in f.movements.values()), lang), U_ENROLLMENTS),
        (label(I_EXITS, lang), _n(sum(m.exits for m in f.movements.values()), lang), U_ENROLLMENTS),
        (label(I_COMPLETION, lang), _of(done, participants, lang), U_PARTICIPANTS),
        (label(I_VISITS, lang), _n(f.total_attendances("visit"), lang), U_VISITS),
        (label(I_VISITORS, lang), _n(f.total_persons("visit"), lang), U_PERSONS),
        (label(I_REACHED, lang), _n(f.campaigns.breakdown.total_persons, lang), U_HEAD_COUNTS),
    ]
    table = RosterTable([(label(COL_INDICATOR, lang), 2.6), (label(COL_VALUE, lang), 1.1, "center"),
                         (label(COL_UNIT, lang), 1.1, "center")],
                        [[a, b, label(c, lang)] for a, b, c in rows], lang=lang, size=9)
    return _section(label(H_INDICATORS, lang), [table], lang)


def _summary(f: MonthlyFigures, lang: str) -> list[Flowable]:
    rows = [[label(SERVICE_LABELS[s], lang), _n(f.total_persons(s), lang), _n(f.total_attendances(s), lang),
             label(UNITS[s], lang)] for s in SERVICES]
    table = _table([(label(COL_SERVICE, lang), 2.2), (label(COL_PEOPLE, lang), 1.0, "center"),
                    (label(COL_ATTENDANCE, lang), 1.0, "center"), (label(COL_UNIT, lang), 1.2, "center")],
                   rows, lang, CAP_SUMMARY, size=10)
    return _section(label(H_SUMMARY, lang), [table], lang)


def _comparison(f: MonthlyFigures, lang: str) -> list[Flowable]:
    this = month_name(f.first.year, f.first.month, lang)
    before = month_name(f.previous_first.year, f.previous_first.month, lang)
    ytd = label(COL_YEAR_TO_DATE, lang, first=_day(date(f.first.year, 1, 1), lang))
    persons = [[label(SERVICE_LABELS[s], lang), _n(f.total_persons(s), lang),
                _n(f.previous.get(s, Totals()).persons, lang), _n(f.year_to_date.get(s, Totals()).persons, lang)]
               for s in SERVICES]
    attendance = [[label(SERVICE_LABELS[s], lang), label(UNITS[s], lang), _n(f.total_attendances(s), lang),
                   _n(f.previous.get(s, Totals()).attendances, lang),
                   _n(f.year_to_date.get(s, Totals()).attendances, lang)] for s in SERVICES]
    return [*_section(label(H_COMPARE_PERSONS, lang), [_table(
                [(label(COL_SERVICE, lang), 2.0), (this, 1.0, "center"), (before, 1.0, "center"),
                 (ytd, 1.2, "center")], persons, lang, CAP_COMPARE_PERSONS)], lang),
            Spacer(1, 3 * mm),
            *_section(label(H_COMPARE_ATTENDANCE, lang), [_table(
                [(label(COL_SERVICE, lang), 1.8), (label(COL_UNIT, lang), 1.1, "center"), (this, 0.9, "center"),
                 (before, 0.9, "center"), (ytd, 1.1, "center")], attendance, lang, CAP_COMPARE_ATTENDANCE)], lang)]


def _movements(f: MonthlyFigures, lang: str) -> list[Flowable]:
    services = ("nursery", "club", "workshop")
    rows = [[label(SERVICE_LABELS[s], lang), _n(f.movements[s].new, lang), _n(f.movements[s].exits, lang),
             _n(f.movements[s].enrolled, lang), _n(f.movements[s].waiting, lang)] for s in services]
    columns = [(label(COL_SERVICE, lang), 1.8), (label(COL_NEW, lang), 0.9, "center"),
               (label(COL_EXITS, lang), 0.8, "center"),
               (label(COL_ENROLLED_ON, lang, day=_day(f.as_of, lang)), 1.1, "center"),
               (label(COL_WAITING_ON, lang, day=_day(f.printed_at.date(), lang)), 1.1, "center")]
    return _section(label(H_MOVEMENTS, lang), [_table(columns, rows, lang, CAP_MOVEMENTS)], lang)


def people_chart(f: MonthlyFigures, lang: str, width: float) -> Drawing:
    """Horizontal bars of people served per service; labels shaped with `display_line`."""
    from jisr_desktop.reports.text import display_line

    register_fonts()
    rtl = is_rtl(lang)
    values = [f.total_persons(s) for s in SERVICES]
    names = [display_line(label(SERVICE_LABELS[s], lang), rtl) for s in SERVICES]
    height = 62 * mm
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


# --- Detail tables ------------------------------------------------------------------------------

def _breakdown_table(b: Breakdown, lang: str, service: str) -> RosterTable:
    with_attendance = service != "campaign"
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
    columns: list[tuple[object, ...]] = [
        (label(COL_AGE_BAND, lang), 1.5), (label(COL_WOMEN, lang), 1.0, "center"),
        (label(COL_MEN, lang), 1.0, "center"), (label(COL_UNKNOWN_SEX, lang), 1.0, "center"),
        (label(COL_TOTAL, lang), 0.8, "center")]
    if with_attendance:
        columns.append((label(COL_ATTENDANCE, lang), 0.9, "center"))
    caption = label(CAP_BREAKDOWN, lang, unit=label(UNITS[service], lang)) if with_attendance \
        else label(CAP_CAMPAIGN_BREAKDOWN, lang)
    return RosterTable(columns, rows, lang=lang, size=9, caption=caption)


def _disabilities(f: MonthlyFigures, lang: str) -> list[Flowable]:
    rtl = is_rtl(lang)
    title = label(H_DISABILITY, lang)
    if not f.disabilities:
        return _section(title, [TextBlock(label(NOTE_NONE, lang), rtl=rtl, size=10)], lang, size=11)
    rows = [[d.kind or label(TYPE_NOT_RECORDED, lang), _n(d.persons, lang), _n(d.women, lang), _n(d.men, lang)]
            for d in f.disabilities]
    rows.append([label(COL_TOTAL, lang), *(_n(sum(getattr(d, k) for d in f.disabilities), lang)
                                           for k in ("persons", "women", "men"))])
    return _section(title, [_table([(label(COL_DISABILITY_TYPE, lang), 2.2), (label(COL_PERSONS, lang), 0.9, "center"),
                                    (label(COL_WOMEN, lang), 0.9, "center"), (label(COL_MEN, lang), 0.9, "center")],
                                   rows, lang, CAP_DISABILITY)], lang, size=11)


def _programs(f: MonthlyFigures, lang: str) -> list[Flowable]:
    visit = f.services.get("visit", Breakdown())
    rows = [[p.name(lang), _n(p.visits, lang), _n(p.persons, lang), _n(p.women, lang), _n(p.men, lang)]
            for p in f.programs]
    rows.append([label(COL_TOTAL, lang), _n(visit.total_attendances, lang), _n(visit.total_persons, lang),
                 _n(visit.persons_by_sex("F"), lang), _n(visit.persons_by_sex("M"), lang)])
    table = _table([(label(COL_PROGRAM, lang), 2.4), (label(COL_VISITS, lang), 0.8, "center"),
                    (label(COL_PERSONS, lang), 0.8, "center"), (label(COL_WOMEN, lang), 0.9, "center"),
                    (label(COL_MEN, lang), 0.9, "center")], rows, lang, CAP_PROGRAMS)
    return _section(label(H_PROGRAMS, lang), [table], lang)


def _outcomes(f: MonthlyFigures, lang: str) -> list[Flowable]:
    rtl = is_rtl(lang)
    if not f.outcomes:
        return _section(label(H_OUTCOMES, lang), [TextBlock(label(NOTE_NONE, lang), rtl=rtl, size=10)], lang)
    channels = [str(c) for c in Channel]
    channels += sorted({c for o in f.outcomes for c in o.by_channel} - set(channels))
    known = {str(k): v for k, v in OUTCOME_LABELS.items()}
    order = [str(k) for k in OUTCOME_LABELS]
    lines = sorted(f.outcomes, key=lambda o: (order.index(o.outcome) if o.outcome in order else len(order), o.outcome))
    rows = [[label(known[o.outcome], lang) if o.outcome in known else o.outcome,
             *(_n(o.by_channel.get(c, 0), lang) for c in channels), _n(o.visits, lang), _n(o.persons, lang)]
            for o in lines]
    rows.append([label(COL_TOTAL, lang), *(_n(sum(o.by_channel.get(c, 0) for o in lines), lang) for c in channels),
                 _n(sum(o.visits for o in lines), lang), _n(f.total_persons("visit"), lang)])
    channel_labels = {str(k): v for k, v in CHANNEL_LABELS.items()}
    columns: list[tuple[object, ...]] = [(label(COL_OUTCOME, lang), 2.0)]
    columns += [(label(channel_labels[c], lang) if c in channel_labels else c, 0.9, "center") for c in channels]
    columns += [(label(COL_ALL_VISITS, lang), 0.9, "center"), (label(COL_PERSONS, lang), 0.9, "center")]
    return _section(label(H_OUTCOMES, lang), [_table(columns, rows, lang, CAP_OUTCOMES)], lang)


def _workshops(f: MonthlyFigures, lang: str) -> list[Flowable]:
    rtl = is_rtl(lang)
    title = label(H_WORKSHOPS, lang)
    if not f.workshops:
        return _section(title, [TextBlock(label(NOTE_NONE, lang), rtl=rtl, size=10)], lang)
    rows = [[w.title, _short_day(w.end_date, lang), _n(w.participants, lang), _n(w.completed, lang),
             _n(w.not_completed, lang)] for w in f.workshops]
    done, participants = f.completion()
    rows.append([label(COL_TOTAL, lang), "", _n(participants, lang), _of(done, participants, lang),
                 _n(participants - done, lang)])
    return _section(title, [_table([(label(COL_WORKSHOP, lang), 2.2), (label(COL_ENDED, lang), 0.9, "center"),
                                    (label(COL_PARTICIPANTS, lang), 0.8, "center"),
                                    (label(COL_COMPLETED, lang), 1.0, "center"),
                                    (label(COL_NOT_COMPLETED, lang), 0.8, "center")], rows, lang, CAP_WORKSHOPS)],
                    lang)


def _campaigns(f: MonthlyFigures, lang: str) -> list[Flowable]:
    rtl = is_rtl(lang)
    reach = f.campaigns
    body: list[Flowable] = [TextBlock(label(CAMPAIGN_SUMMARY, lang, campaigns=_n(reach.campaigns, lang),
                                            reached=_n(reach.breakdown.total_persons, lang)), rtl=rtl, size=10)]
    if reach.topics:
        rows = [[_short_day(d, lang), topic, place, _n(n, lang)] for d, topic, place, n in reach.topics]
        body.append(_table([(label_in(COL_DATE, lang), 0.9, "center"), (label(COL_TOPIC, lang), 2.2),
                            (label_in(COL_PLACE, lang), 1.4), (label(COL_REACHED, lang), 0.8, "center")],
                           rows, lang, CAP_CAMPAIGNS))
    return [heading(label(H_CAMPAIGNS, lang), rtl=rtl, size=12), *body]


def signatures(lang: str) -> list[Flowable]:
    """Who prepared the report, who validated it, and room for the center's stamp."""
    table = RosterTable([(label(SIGN_PREPARED, lang), 1.0), (label(SIGN_VALIDATED, lang), 1.0),
                         (label(SIGN_STAMP, lang), 0.8)], [["", "", ""]], lang=lang, size=9.5,
                        min_row_height=30 * mm, zebra=False)
    return [heading(label(H_SIGNATURES, lang), rtl=is_rtl(lang), size=12), table]


def monthly_story(f: MonthlyFigures, lang: str, center: str = "") -> list[Flowable]:
    rtl = is_rtl(lang)
    gap = Spacer(1, 4 * mm)
    story: list[Flowable] = [*official_header(f, lang, center), gap, status_box(f, lang), Spacer(1, 2 * mm),
                             TextBlock(label(NOTE_COUNTING, lang), rtl=rtl, size=8.5), gap]
    story += [*_indicators(f, lang), gap, *_summary(f, lang), gap, *_comparison(f, lang), gap,
              *_movements(f, lang), gap, CondPageBreak(65 * mm), people_chart(f, lang, frame_width()), gap]
    for service in SERVICES:
        b = f.services.get(service)
        title = label(H_SERVICE, lang, service=label(SERVICE_LABELS[service], lang))
        if b is None or not b.total_persons:
            story += _section(title, [TextBlock(label(NOTE_NONE, lang), rtl=rtl, size=10)], lang, size=11)
        else:
            story += _section(title, [_breakdown_table(b, lang, service)], lang, size=11)
        story.append(gap)
    story += [*_disabilities(f, lang), gap, *_programs(f, lang), gap, *_outcomes(f, lang), gap,
              *_workshops(f, lang), gap,
              # the signatures never stand alone on a last page: they keep the campaigns with them
              KeepTogether([*_campaigns(f, lang), Spacer(1, 8 * mm), *signatures(lang)])]
    return story


def build_monthly_report(target: str | Path | IO[bytes], *, db, year: int, month: int,  # type: ignore[no-untyped-def]
                         lang: str, printed_at: datetime | None = None) -> int:
    """Write the month's report as printed at ``printed_at`` (default: now; its local date
    heads every page). Before the month is over the report is provisional. Returns the page count."""
    figures = monthly_figures(db, year, month, printed_at=printed_at)
    name = center_name(db, lang)
    return build_pdf(target, lang=lang, center_name=name,
                     title=label(TITLE, lang, month=month_name(year, month, lang)),
                     date=figures.printed_at.date(), story=monthly_story(figures, lang, name),
                     mark=label(MARK_PROVISIONAL, lang) if figures.provisional else None)

