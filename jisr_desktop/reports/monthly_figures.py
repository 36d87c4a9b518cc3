"""The figures of the monthly report, gathered once for the PDF, the tests and the screen.

`monthly_figures` reads the month (to the print date while it is not over) through
`reports.queries` and `reports.indicators`; `MonthlyFigures` derives the indicators (persons
served each once, days open, average daily attendance, completion) from what was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from jisr_desktop.domain.dates import month_bounds
from jisr_desktop.reports.indicators import (
    CenterIdentity,
    DisabilityLine,
    Movement,
    OutcomeLine,
    Totals,
    center_identity,
    disability_breakdown,
    enrollment_movements,
)
from jisr_desktop.reports.queries import (
    Breakdown,
    CampaignReach,
    ProgramLine,
    WorkshopLine,
    campaign_reach,
    corrected_events,
    service_breakdowns,
    span_totals,
    visit_figures,
    visit_outcome_counts,
    workshop_completions,
)

SERVICES = ("nursery", "club", "club_activity", "workshop", "visit", "campaign")
NAMED_SERVICES = ("nursery", "club", "club_activity", "workshop", "visit")  # persons with a file


@dataclass
class MonthlyFigures:
    """Everything the report prints, for tests and the screen to read too.

    ``last`` is the month's last day, ``as_of`` the last day counted (the day of printing
    for a month in progress, when ages are taken too) and ``printed_at`` the local time of
    printing.
    """

    first: date
    last: date
    as_of: date
    printed_at: datetime
    services: dict[str, Breakdown]
    programs: list[ProgramLine]
    workshops: list[WorkshopLine]
    campaigns: CampaignReach
    previous: dict[str, Totals]
    previous_first: date
    year_to_date: dict[str, Totals]
    movements: dict[str, Movement]
    outcomes: list[OutcomeLine]
    disabilities: list[DisabilityLine]
    center: CenterIdentity | None

    @property
    def provisional(self) -> bool:
        """Printed before the month is over (on its last day or earlier)."""
        return self.printed_at.date() <= self.last

    def total_persons(self, service: str) -> int:
        b = self.services.get(service)
        return b.total_persons if b else 0

    def total_attendances(self, service: str) -> int:
        b = self.services.get(service)
        return b.total_attendances if b else 0

    def people(self) -> dict[str, str]:
        """Every person served by a named service this month (each once) and their sex."""
        out: dict[str, str] = {}
        for service in NAMED_SERVICES:
            if service in self.services:
                out.update(self.services[service].people)
        return out

    def days_open(self, service: str | None = None) -> int:
        """Days with an attendance of ``service`` (any activity of the center when None)."""
        if service is not None:
            b = self.services.get(service)
            return len(b.days) if b else 0
        days = {d.isoformat() for d, _, _, _ in self.campaigns.topics}
        for b in self.services.values():
            days |= b.days
        return len(days)

    def average_daily(self, service: str) -> float | None:
        days = self.days_open(service)
        return self.total_attendances(service) / days if days else None

    @property
    def capacity(self) -> int:
        return self.center.nursery_capacity if self.center else 0

    def completion(self) -> tuple[int, int]:
        """(completed, participants) of the workshops ended in the period."""
        return sum(w.completed for w in self.workshops), sum(w.participants for w in self.workshops)


def _local(moment: datetime | None) -> datetime:
    return (moment or datetime.now(UTC)).astimezone()


def monthly_figures(db, year: int, month: int, *,  # type: ignore[no-untyped-def]
                    printed_at: datetime | None = None) -> MonthlyFigures:
    """The figures of ``month`` as printed at ``printed_at`` (default: now). Before the
    month is over they stop at the day of printing, and ages are taken on that day."""
    first, last = month_bounds(year, month)
    printed = _local(printed_at)
    as_of = max(first, min(last, printed.date()))
    previous_first, previous_last = month_bounds(*((year - 1, 12) if month == 1 else (year, month - 1)))
    # the corrected events of every span counted (read once), then the month in detail and the
    # previous month and the year to date together, in one pass per table
    corrected = corrected_events(db, min(previous_first, date(year, 1, 1)), as_of)
    services = service_breakdowns(db, first, as_of, ages_on=as_of, corrected=corrected)
    services["visit"], programs = visit_figures(db, first, as_of, ages_on=as_of)
    reach = campaign_reach(db, first, as_of)
    services["campaign"] = reach.breakdown
    totals = span_totals(db, {"previous": (previous_first, previous_last), "ytd": (date(year, 1, 1), as_of)},
                         corrected=corrected)
    people = sorted({pid for s in NAMED_SERVICES if s in services for pid in services[s].people})
    return MonthlyFigures(
        first=first, last=last, as_of=as_of, printed_at=printed, services=services, programs=programs,
        workshops=workshop_completions(db, first, as_of), campaigns=reach,
        previous={s: Totals(*t) for s, t in totals["previous"].items()}, previous_first=previous_first,
        year_to_date={s: Totals(*t) for s, t in totals["ytd"].items()},
        movements=enrollment_movements(db, first, as_of),
        outcomes=[OutcomeLine(o, c, sum(c.values()), n) for o, c, n in visit_outcome_counts(db, first, as_of)],
        disabilities=disability_breakdown(db, people), center=center_identity(db))


def month_name(year: int, month: int, lang: str) -> str:
    from babel.dates import format_date

    from jisr_desktop.reports.formatting import babel_locale

    return format_date(date(year, month, 1), "LLLL y", locale=babel_locale(lang))
