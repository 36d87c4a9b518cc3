"""Monthly counts of the services, by sex and age band, for the monthly report.

`persons` counts distinct people, `attendances` counts days (nursery, club) or sessions
(workshops, club activities) attended; campaigns contribute their head counts (both fields).
Everything is derived from the events, after corrections.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from jisr_desktop.context import Context
from jisr_desktop.db import persons
from jisr_desktop.db.attendance import effective_events
from jisr_desktop.domain.attendance import age_band
from jisr_desktop.domain.dates import month_bounds
from jisr_desktop.domain.workshops import ATTENDED
from jisr_desktop.services import campaigns

SERVICES = ("nursery", "club", "club_activity", "workshop", "campaign")


@dataclass(frozen=True)
class MonthlyCount:
    service: str
    sex: str          # "F", "M" or "" when not recorded
    age_band: str     # see domain.attendance.AGE_BANDS, or "unknown"
    persons: int
    attendances: int


def monthly_counts(*, ctx: Context, year: int, month: int) -> list[MonthlyCount]:
    """Rows sorted by service, sex, age band; age is taken on the last day of the month."""
    first, last = month_bounds(year, month)
    span = [first.isoformat(), last.isoformat()]
    visits: dict[str, list[str]] = defaultdict(list)   # service -> person ids, one per attendance
    days: set[tuple[str, str, str]] = set()  # a return after a check-out is the same day's attendance
    for e in effective_events(ctx.db, "check_in", "day BETWEEN ? AND ?", span):
        if (key := (e["service"], e["person_id"], e["day"])) not in days:
            days.add(key)
            visits[e["service"]].append(e["person_id"])
    for m in effective_events(ctx.db, "attendance", "day BETWEEN ? AND ?", span):
        if m["status"] in ATTENDED:
            visits[m["context"]].append(m["person_id"])
    people = persons.get_many(ctx.db, sorted({p for ids in visits.values() for p in ids}))
    cells: dict[tuple[str, str, str], tuple[set[str], list[str]]] = {}
    for service, ids in visits.items():
        for pid in ids:
            p = people.get(pid)
            key = (service, (p.sex if p else None) or "", age_band(p.age_on(last) if p else None))
            seen, attended = cells.setdefault(key, (set(), []))
            seen.add(pid)
            attended.append(pid)
    out = [MonthlyCount(s, sex, band, len(seen), len(attended))
           for (s, sex, band), (seen, attended) in cells.items()]
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for campaign in campaigns.campaigns_between(ctx=ctx, first=first, last=last):
        for (sex, band), count in campaign.counts.items():
            totals[(sex, band)] += count
    out += [MonthlyCount("campaign", sex, band, n, n) for (sex, band), n in totals.items() if n]
    return sorted(out, key=lambda c: (SERVICES.index(c.service) if c.service in SERVICES else 99,
                                      c.sex, c.age_band))
