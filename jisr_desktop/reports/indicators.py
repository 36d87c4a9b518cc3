"""The monthly report's indicators for HQ, read-only SQL over the services' tables.

`queries.service_breakdowns` counts one month in detail (sex, age band, the persons and the
days); this module adds what HQ asks for beside it: totals of any span (the previous month and
the year to date, counted in SQL so that ten months of a large center stay fast), enrollment
movements, the waiting list, visits by outcome and channel, the disability breakdown and the
center's identity for the official header. Corrections count as in `queries` (voided events
left out, amended ones as amended).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlite_utils

from jisr_desktop.db.center import current_center
from jisr_desktop.db.rows import query
from jisr_desktop.domain.attendance import effective
from jisr_desktop.domain.workshops import ATTENDED
from jisr_desktop.reports.queries import _corrections

_ATTENDED_SQL = ",".join(f"'{m}'" for m in sorted(ATTENDED))
# (table, column naming the service, its values, condition of an attendance, attendances are
# days) — the rules of queries.service_breakdowns: a check-in day counts once however many
# stays it had. The values are those the protocol allows (jisr_protocol.schema SERVICES and
# ATTENDANCE_CONTEXTS), so each is counted in its own column: one pass, no sorting by service.
_SOURCES = (("check_in", "service", ("nursery", "club", "workshop"), "1", True),
            ("attendance", "context", ("workshop", "club_activity"), f"status IN ({_ATTENDED_SQL})", False))
_UNCORRECTED = "id NOT IN (SELECT target_id FROM event_correction)"
ENROLLMENT_SERVICES = ("nursery", "club", "workshop")


@dataclass(frozen=True)
class Totals:
    """Distinct persons and attendances of one service over a span."""

    persons: int = 0
    attendances: int = 0


def service_totals(db: sqlite_utils.Database, first: date, last: date) -> dict[str, Totals]:
    """Per service, the persons (each once) and the attendances between ``first`` and ``last``:
    the same counting rules as the detailed month, without the bands (counted in SQL)."""
    span = [first.isoformat(), last.isoformat()]
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for table, col, values, keep, per_day in _SOURCES:
        where = f"day BETWEEN ? AND ? AND ({keep}) AND {_UNCORRECTED}"
        # counted in SQLite (its temporary b-trees spill to disk): a year of a large center's
        # events never sits in Python's memory. Check-in days are grouped in the order of the
        # report index (day, service, person): no sorting either.
        source = f"(SELECT {col}, person_id FROM {table} WHERE {where} GROUP BY day, {col}, person_id)" \
            if per_day else f"{table} WHERE {where}"
        columns = ", ".join(f"count(CASE WHEN {col} = '{v}' THEN 1 END),"
                            f" count(DISTINCT CASE WHEN {col} = '{v}' THEN person_id END)" for v in values)
        counts = db.execute(f"SELECT {columns} FROM {source}", span).fetchone()
        for i, service in enumerate(values):
            if counts[2 * i]:
                out[service][0] += counts[2 * i + 1]
                out[service][1] += counts[2 * i]
        fixes = _corrections(db, table, "day BETWEEN ? AND ?", span)
        extra: dict[str, set[tuple[str, str]]] = defaultdict(set)   # service -> (person, day) still counted
        ids = sorted(fixes)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for r in query(db, f"SELECT * FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                current = effective(r, fixes[r["id"]])
                if current is None or (table == "attendance" and current["status"] not in ATTENDED):
                    continue
                extra[current[col]].add((current["person_id"], current["day"]))
                if not per_day:
                    out[current[col]][1] += 1
        for service, pairs in extra.items():  # persons (and days) already counted through another event
            known = set(db.execute(
                f"SELECT DISTINCT person_id, day FROM {table} WHERE day BETWEEN ? AND ? AND {col} = ? AND ({keep})"
                f" AND {_UNCORRECTED} AND person_id IN (SELECT value FROM json_each(?))",
                [*span, service, json.dumps(sorted({p for p, _ in pairs}))]).fetchall())
            out[service][0] += len({p for p, _ in pairs} - {p for p, _ in known})
            if per_day:
                out[service][1] += len(pairs - known)
    visits, persons = db.execute("SELECT count(*), count(DISTINCT person_id) FROM visit WHERE day BETWEEN ? AND ?",
                                 span).fetchone()
    if visits:
        out["visit"] = [persons, visits]
    (reached,) = db.execute(
        "SELECT coalesce(sum(k.count), 0) FROM campaign_count k JOIN campaign c ON c.id = k.campaign_id"
        " WHERE c.deleted = 0 AND k.deleted = 0 AND c.day BETWEEN ? AND ?", span).fetchone()
    if reached:
        out["campaign"] = [reached, reached]
    return {service: Totals(p, a) for service, (p, a) in out.items()}


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


def visit_outcomes(db: sqlite_utils.Database, first: date, last: date) -> list[OutcomeLine]:
    """Reception visits of the span by outcome (rows) and channel (visits), with persons."""
    channels: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    persons: dict[str, set[str]] = defaultdict(set)
    for outcome, channel, person_id in db.execute("SELECT outcome, channel, person_id FROM visit"
                                                  " WHERE day BETWEEN ? AND ?", [first.isoformat(), last.isoformat()]):
        channels[outcome][channel] += 1
        persons[outcome].add(person_id)
    return [OutcomeLine(o, dict(c), sum(c.values()), len(persons[o])) for o, c in channels.items()]


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
