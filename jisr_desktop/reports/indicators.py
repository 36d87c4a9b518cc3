"""The monthly report's indicators for HQ, read-only SQL over the services' tables.

`queries` counts the month, the previous month and the year to date (persons and attendances,
corrections applied); this module adds what HQ asks for beside them: enrollment movements and
the waiting list, the disability breakdown, and the center's identity for the official header.
`Totals` and `OutcomeLine` are the shapes of a service's persons and attendances over a span
and of the visits with one outcome.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlite_utils

from jisr_desktop.db.center import current_center

ENROLLMENT_SERVICES = ("nursery", "club", "workshop")


@dataclass(frozen=True)
class Totals:
    """Distinct persons and attendances of one service over a span."""

    persons: int = 0
    attendances: int = 0


@dataclass(frozen=True)
class Movement:
    """Enrollments of one service: started and ended in the span, enrolled on its last day,
    and waiting on the day the report is printed."""

    new: int
    exits: int
    enrolled: int
    waiting: int


def enrollment_movements(db: sqlite_utils.Database, first: date, last: date) -> dict[str, Movement]:
    """New enrollments (not waitlisted, start date in the span), exits (ended in the span),
    enrolled on ``last`` (started on or before it, not ended by then) and waiting now."""
    span = [first.isoformat(), last.isoformat()]
    rows = db.execute(
        "SELECT service,"
        " sum(status != 'waitlisted' AND start_date BETWEEN ? AND ?),"
        " sum(status = 'ended' AND ended_on BETWEEN ? AND ?),"
        " sum(status != 'waitlisted' AND start_date <= ? AND (ended_on IS NULL OR ended_on > ?)),"
        " sum(status = 'waitlisted')"
        " FROM enrollment WHERE deleted = 0 GROUP BY service", [*span, *span, last.isoformat(), last.isoformat()])
    found = {service: Movement(*(int(n or 0) for n in counts)) for service, *counts in rows}
    return {s: found.get(s, Movement(0, 0, 0, 0)) for s in ENROLLMENT_SERVICES}


@dataclass(frozen=True)
class OutcomeLine:
    """Visits with one outcome, by channel, and the persons behind them (each once)."""

    outcome: str
    by_channel: dict[str, int]
    visits: int
    persons: int


@dataclass(frozen=True)
class DisabilityLine:
    """Persons served with a disability of one type (as typed on their file)."""

    kind: str
    persons: int
    women: int
    men: int


def disability_breakdown(db: sqlite_utils.Database, person_ids: list[str]) -> list[DisabilityLine]:
    """Among ``person_ids`` (the persons served), those with the disability box ticked, by type
    (spelling and case as typed, surrounding spaces ignored; "" when no type was given), most first."""
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    served = set(person_ids)
    # the few persons with the box ticked, in one scan (faster than looking every person served up)
    for person_id, sex, kind in db.execute("SELECT id, sex, trim(disability_type) FROM person WHERE disability = 1"):
        if person_id not in served:
            continue
        line = by_type[kind or ""]
        line[0] += 1
        line[1] += sex == "F"
        line[2] += sex == "M"
    ordered = sorted(by_type.items(), key=lambda kv: (kv[0] == "", -kv[1][0], kv[0]))
    return [DisabilityLine(kind, *counts) for kind, counts in ordered]


@dataclass(frozen=True)
class CenterIdentity:
    """Who the report is from: the center settings and the reference divisions."""

    code: str
    name_ar: str
    name_fr: str
    province_ar: str
    province_fr: str
    region_ar: str
    region_fr: str
    nursery_capacity: int

    def name(self, lang: str) -> str:
        first, second = (self.name_ar, self.name_fr) if lang == "ar" else (self.name_fr, self.name_ar)
        return first or second

    def province(self, lang: str) -> str:
        return self.province_ar if lang == "ar" else self.province_fr

    def region(self, lang: str) -> str:
        return self.region_ar if lang == "ar" else self.region_fr


def center_identity(db: sqlite_utils.Database) -> CenterIdentity | None:
    """The center's code, names, province and region (``None`` before the center exists)."""
    center = current_center(db)
    if center is None:
        return None
    found = db.execute(
        "SELECT p.name_ar, p.name_fr, coalesce(r.name_ar, ''), coalesce(r.name_fr, '') FROM admin_division p"
        " LEFT JOIN admin_division r ON r.code = p.parent_code WHERE p.code = ?",
        [center.province_code or ""]).fetchone()
    province_ar, province_fr, region_ar, region_fr = found or ("", "", "", "")
    return CenterIdentity(center.code, center.name_ar, center.name_fr, province_ar, province_fr, region_ar,
                          region_fr, center.nursery_capacity)
