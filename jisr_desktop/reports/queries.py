"""Read-only queries the printouts and exports need that the services do not offer.

Everything here reads the services' tables (after corrections: voided events are left out,
amended ones count as amended) and writes nothing. The monthly figures are aggregated with
SQL per (service, person): the month over the day indexes of migration 0050, the previous
month and the year to date together in one pass over the person-ordered indexes of migration
0130 (no sort, no year of events in Python). The few events that carry a correction are left
out of the SQL counts, read once (`corrected_events`), corrected in Python and added back where
their person, or their day, is not counted yet.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import sqlite_utils

from jisr_desktop.db.attendance import effective_events
from jisr_desktop.db.rows import query
from jisr_desktop.domain.attendance import (
    BAND_CODES,
    UNKNOWN_BAND,
    Correction,
    age_band,
    effective,
)
from jisr_desktop.domain.person import age_on
from jisr_desktop.domain.workshops import ATTENDED, Completion, completion

SERVICE_ORDER = ("nursery", "club", "club_activity", "workshop", "campaign", "visit")


@lru_cache(maxsize=65536)
def band_of(birth_date: str | None, birth_year: int | None, day: date) -> str:
    """Age band on ``day`` of a person born on ``birth_date`` (ISO) or in ``birth_year``."""
    born = date.fromisoformat(birth_date) if birth_date else None
    return age_band(age_on(born, birth_year, day))


@dataclass
class Breakdown:
    """Distinct persons and attendances of one service, by (sex, age band); ``people`` maps
    each person counted to their sex ("" when not recorded) and ``days`` holds the days with
    an attendance (the monthly indicators read both)."""

    persons: Counter[tuple[str, str]] = field(default_factory=Counter)
    attendances: Counter[tuple[str, str]] = field(default_factory=Counter)
    people: dict[str, str] = field(default_factory=dict)
    days: set[str] = field(default_factory=set)

    @property
    def total_persons(self) -> int:
        return sum(self.persons.values())

    @property
    def total_attendances(self) -> int:
        return sum(self.attendances.values())

    def persons_by_sex(self, sex: str) -> int:
        return sum(n for (s, _), n in self.persons.items() if s == sex)


def _corrections(db: sqlite_utils.Database, table: str, where: str, params: list[Any],
                 few_events: bool = False) -> dict[str, list[Correction]]:
    """Corrections of the events of ``table`` matching ``where`` (a condition on its columns).

    Over a span of days events are many and corrections few: each correction looks its event up
    by id (CROSS JOIN keeps that order) instead of listing a month or a year of event ids.
    ``few_events`` (one workshop's marks) lists the events and looks their corrections up."""
    out: dict[str, list[Correction]] = defaultdict(list)
    sql = (f"SELECT id, target_id, kind, at, patch, reason FROM event_correction"
           f" WHERE target_id IN (SELECT id FROM {table} WHERE {where})") if few_events else \
          ("SELECT c.id, c.target_id, c.kind, c.at, c.patch, c.reason FROM event_correction c"
           f" CROSS JOIN (SELECT * FROM {table}) e ON e.id = c.target_id WHERE {where}")
    for r in query(db, sql, params):
        out[r["target_id"]].append(Correction(id=r["id"], target_id=r["target_id"], kind=r["kind"],
                                              at=r["at"], patch=json.loads(r["patch"]), reason=r["reason"]))
    return out


_ATTENDED_SQL = ",".join(f"'{m}'" for m in sorted(ATTENDED))
_UNCORRECTED = "id NOT IN (SELECT target_id FROM event_correction)"


@dataclass(frozen=True)
class _Source:
    """An event table of the service counts: the column naming the service, the condition of
    an attendance, whether attendances are days (a check-in day counts once however many stays
    it had) and its two covering indexes (day order for a month, person order for spans)."""

    table: str
    column: str
    keep: str
    per_day: bool
    by_day: str
    by_person: str


_SOURCES = (_Source("check_in", "service", "1", True, "check_in_report", "check_in_tally"),
            _Source("attendance", "context", f"status IN ({_ATTENDED_SQL})", False, "attendance_report",
                    "attendance_tally"))
SHORT_SPAN_DAYS = 62   # spans this short are counted over the day indexes (see span_totals)
# (service, person id, day) of one corrected event still counted after its corrections
Corrected = tuple[str, str, str]


def corrected_events(db: sqlite_utils.Database, first: date, last: date) -> dict[str, list[Corrected]]:
    """Per event table, the events of the span that carry a correction and are still attendances
    once corrected (voided ones and marks amended to absent or excused are left out). They are
    few: the SQL counts leave every corrected event out and these are added back."""
    out: dict[str, list[Corrected]] = {}
    for src in _SOURCES:
        fixes = _corrections(db, src.table, "day BETWEEN ? AND ?", [first.isoformat(), last.isoformat()])
        found: list[Corrected] = []
        ids = sorted(fixes)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for r in query(db, f"SELECT * FROM {src.table} WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                current = effective(r, fixes[r["id"]])
                if current is None or (src.table == "attendance" and current["status"] not in ATTENDED):
                    continue
                found.append((current[src.column], current["person_id"], current["day"]))
        out[src.table] = found
    return out


def _known(db: sqlite_utils.Database, src: _Source, events: list[Corrected], first: str,
           last: str) -> set[Corrected]:
    """(service, person, day) of the uncorrected attendances, between ``first`` and ``last``, of
    the persons of ``events``: what the SQL counts already hold (found through the person index)."""
    persons = json.dumps(sorted({p for _, p, _ in events}))
    return set(db.execute(
        f"SELECT DISTINCT {src.column}, person_id, day FROM {src.table} WHERE person_id IN"
        f" (SELECT value FROM json_each(?)) AND day BETWEEN ? AND ? AND ({src.keep}) AND {_UNCORRECTED}",
        [persons, first, last]).fetchall())


def _people(db: sqlite_utils.Database, person_ids: set[str]) -> dict[str, tuple[str | None, str | None, int | None]]:
    """person id -> (sex, birth date, birth year), through the covering index of migration 0050."""
    return {pid: (sex, born, year) for pid, sex, born, year in db.execute(
        "SELECT id, sex, birth_date, birth_year FROM person INDEXED BY person_report"
        " WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(sorted(person_ids))])}


# The person lookups use the covering index of migration 0050 (sex and birth date without
# reading the wide person rows); SQLite would otherwise pick the unique index on id.
def service_breakdowns(db: sqlite_utils.Database, first: date, last: date, ages_on: date | None = None,
                       corrected: dict[str, list[Corrected]] | None = None) -> dict[str, Breakdown]:
    """Nursery and club days (days with a check-in), workshop sessions and club activities
    attended (marks present or late), per service, by sex and age band on ``ages_on``
    (default ``last``). ``corrected`` (from `corrected_events` over a span holding this one)
    saves reading the corrections again.

    Counted in SQL per person and service over the day index (one row per person served);
    the few corrected events are added in Python where their person or day is not yet counted."""
    span = [first.isoformat(), last.isoformat()]
    ages_on = ages_on or last
    if corrected is None:
        corrected = corrected_events(db, first, last)
    out: dict[str, Breakdown] = defaultdict(Breakdown)
    for src in _SOURCES:
        col, where = src.column, f"day BETWEEN ? AND ? AND ({src.keep}) AND {_UNCORRECTED}"
        # distinct days of a check-in in index order (day, service, person): no sorting
        events = f"SELECT {col}, person_id, day FROM {src.table} INDEXED BY {src.by_day} WHERE {where}" + \
            (f" GROUP BY day, {col}, person_id" if src.per_day else "")
        counts: dict[tuple[str, str], int] = {}
        info: dict[str, tuple[str | None, str | None, int | None]] = {}
        for service, person_id, n, sex, born, year in db.execute(
                f"SELECT e.{col}, e.person_id, e.n, p.sex, p.birth_date, p.birth_year FROM"
                f" (SELECT {col}, person_id, count(*) AS n FROM ({events}) GROUP BY {col}, person_id) e"
                " LEFT JOIN person p INDEXED BY person_report ON p.id = e.person_id", span):
            counts[(service, person_id)] = n
            info[person_id] = (sex, born, year)
        for service, day in db.execute(f"SELECT DISTINCT {col}, day FROM {src.table} INDEXED BY {src.by_day}"
                                       f" WHERE {where}", span):
            out[service].days.add(day)
        extra = [e for e in corrected.get(src.table, []) if span[0] <= e[2] <= span[1]]
        if extra:
            known = _known(db, src, extra, *span) if src.per_day else set()
            for service, person_id, day in extra:
                if src.per_day:
                    if (service, person_id, day) in known:
                        continue
                    known.add((service, person_id, day))   # a second corrected stay of that day
                counts[(service, person_id)] = counts.get((service, person_id), 0) + 1
                out[service].days.add(day)
            info |= _people(db, {p for _, p, _ in extra} - set(info))
        for (service, person_id), n in counts.items():
            sex, born, year = info.get(person_id, (None, None, None))
            key = (sex or "", band_of(born, year, ages_on))
            b = out[service]
            b.persons[key] += 1
            b.attendances[key] += n
            b.people[person_id] = sex or ""
    return {service: b for service, b in out.items() if b.people}


def span_totals(db: sqlite_utils.Database, spans: dict[str, tuple[date, date]],
                corrected: dict[str, list[Corrected]] | None = None) -> dict[str, dict[str, tuple[int, int]]]:
    """Per span (the previous month, the year to date...) and per service, the distinct persons
    and the attendances, with the rules of `service_breakdowns` (without the bands).

    One pass per table for every span at once, in SQL over the person-ordered indexes of
    migration 0130: per (service, person) the days or sessions in each span, then per service
    the persons with at least one and their sum; a year of a large center's events never sits
    in Python. The few corrected events are added where their person (or day) is not counted
    yet. ``corrected`` must cover every span (from `corrected_events` over their union)."""
    names = list(spans)
    lo = min(f for f, _ in spans.values()).isoformat()
    hi = max(last for _, last in spans.values()).isoformat()
    params: dict[str, str] = {"lo": lo, "hi": hi}
    for i, name in enumerate(names):
        params[f"f{i}"], params[f"l{i}"] = spans[name][0].isoformat(), spans[name][1].isoformat()
    if corrected is None:
        corrected = corrected_events(db, date.fromisoformat(lo), date.fromisoformat(hi))
    persons: dict[str, dict[str, int]] = {n: defaultdict(int) for n in names}
    attendances: dict[str, dict[str, int]] = {n: defaultdict(int) for n in names}
    outer = ", ".join(f"count(CASE WHEN n{i} > 0 THEN 1 END), coalesce(sum(n{i}), 0)" for i in range(len(names)))
    # the person-ordered indexes read every day of the table's history: over a short span
    # (a January or February report) the span's own days, sorted by person, are fewer
    short = (date.fromisoformat(hi) - date.fromisoformat(lo)).days <= SHORT_SPAN_DAYS
    for src in _SOURCES:
        col = src.column
        # per person: distinct days in each span (check-ins, in day order within the person),
        # or marks in each span (sessions)
        inner = ", ".join((f"count(DISTINCT CASE WHEN day BETWEEN :f{i} AND :l{i} THEN day END)" if src.per_day
                           else f"sum(day BETWEEN :f{i} AND :l{i})") + f" AS n{i}" for i in range(len(names)))
        for service, *counts in db.execute(
                f"SELECT {col}, {outer} FROM (SELECT {col}, person_id, {inner} FROM {src.table}"
                f" INDEXED BY {src.by_day if short else src.by_person} WHERE day BETWEEN :lo AND :hi AND ({src.keep}) AND {_UNCORRECTED}"
                f" GROUP BY {col}, person_id) GROUP BY {col}", params):
            for i, name in enumerate(names):
                persons[name][service] += counts[2 * i]
                attendances[name][service] += counts[2 * i + 1]
        extra = [e for e in corrected.get(src.table, []) if lo <= e[2] <= hi]
        if not extra:
            continue
        known = _known(db, src, extra, lo, hi)
        for i, name in enumerate(names):
            first, last = params[f"f{i}"], params[f"l{i}"]
            held = {e for e in known if first <= e[2] <= last}
            held_persons = {(s, p) for s, p, _ in held}
            mine = [e for e in extra if first <= e[2] <= last]
            for service, _person in {(s, p) for s, p, _ in mine} - held_persons:
                persons[name][service] += 1
            for service, _, _ in (set(mine) - held if src.per_day else mine):
                attendances[name][service] += 1
    visit_sql = ", ".join(f"count(CASE WHEN n{i} > 0 THEN 1 END), coalesce(sum(n{i}), 0)" for i in range(len(names)))
    visit_inner = ", ".join(f"sum(day BETWEEN :f{i} AND :l{i}) AS n{i}" for i in range(len(names)))
    row = db.execute(f"SELECT {visit_sql} FROM (SELECT person_id, {visit_inner} FROM visit INDEXED BY"
                     f" {'visit_month' if short else 'visit_tally'} WHERE day BETWEEN :lo AND :hi GROUP BY person_id)",
                     params).fetchone()
    for i, name in enumerate(names):
        persons[name]["visit"] += row[2 * i]
        attendances[name]["visit"] += row[2 * i + 1]
        (reached,) = db.execute(
            "SELECT coalesce(sum(k.count), 0) FROM campaign_count k JOIN campaign c ON c.id = k.campaign_id"
            " WHERE c.deleted = 0 AND k.deleted = 0 AND c.day BETWEEN ? AND ?",
            [params[f"f{i}"], params[f"l{i}"]]).fetchone()
        persons[name]["campaign"] += reached
        attendances[name]["campaign"] += reached
    return {name: {s: (persons[name][s], attendances[name][s]) for s in persons[name]
                   if persons[name][s] or attendances[name][s]} for name in names}


def visit_figures(db: sqlite_utils.Database, first: date, last: date,
                  ages_on: date | None = None) -> tuple[Breakdown, list[ProgramLine]]:
    """Reception visits of the month (append-only, never corrected): by sex and age band on
    ``ages_on`` (default ``last``), and by the public program people were oriented to
    (catalogue order): visits, and distinct persons (all, women and girls, men and boys).
    Counted in SQL per program and person over the covering index of migration 0130."""
    ages_on = ages_on or last
    span = [first.isoformat(), last.isoformat()]
    out = Breakdown()
    by_person: dict[str, list[Any]] = {}
    by_program: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])   # visits, persons, women, men
    for program, person_id, n, sex, born, year in db.execute(
            "SELECT v.program_code, v.person_id, v.n, p.sex, p.birth_date, p.birth_year FROM"
            " (SELECT program_code, person_id, count(*) AS n FROM visit INDEXED BY visit_month"
            " WHERE day BETWEEN ? AND ? GROUP BY program_code, person_id) v"
            " LEFT JOIN person p INDEXED BY person_report ON p.id = v.person_id", span):
        counts = by_program[program]
        counts[0] += n
        counts[1] += 1
        counts[2] += sex == "F"
        counts[3] += sex == "M"
        seen = by_person.get(person_id)
        if seen is None:
            by_person[person_id] = [sex, born, year, n]
        else:
            seen[3] += n
    for person_id, (sex, born, year, n) in by_person.items():
        key = (sex or "", band_of(born, year, ages_on))
        out.persons[key] += 1
        out.attendances[key] += n
        out.people[person_id] = sex or ""
    out.days.update(d for (d,) in db.execute("SELECT DISTINCT day FROM visit INDEXED BY visit_month"
                                              " WHERE day BETWEEN ? AND ?", span))
    catalogue = db.execute("SELECT code, name_ar, name_fr FROM program ORDER BY position, code").fetchall()
    known = {c for c, _, _ in catalogue}

    def line(code: str, ar: str, fr: str) -> ProgramLine:
        visits, persons, women, men = by_program.get(code, [0, 0, 0, 0])
        return ProgramLine(code, ar, fr, visits, persons, women, men)

    lines = [line(c, ar, fr) for c, ar, fr in catalogue]
    lines += [line(c, c, c) for c in sorted(by_program) if c not in known]
    return out, lines


def visit_outcome_counts(db: sqlite_utils.Database, first: date,
                         last: date) -> list[tuple[str, dict[str, int], int]]:
    """Reception visits of the span per outcome: (outcome, visits by channel, distinct persons),
    in SQL over the covering index of migration 0130."""
    span = [first.isoformat(), last.isoformat()]
    channels: dict[str, dict[str, int]] = defaultdict(dict)
    for outcome, channel, n in db.execute("SELECT outcome, channel, count(*) FROM visit INDEXED BY visit_month"
                                          " WHERE day BETWEEN ? AND ? GROUP BY outcome, channel", span):
        channels[outcome][channel] = n
    persons = dict(db.execute("SELECT outcome, count(DISTINCT person_id) FROM visit INDEXED BY visit_month"
                              " WHERE day BETWEEN ? AND ? GROUP BY outcome", span).fetchall())
    return [(o, c, persons.get(o, 0)) for o, c in channels.items()]


@dataclass(frozen=True)
class ProgramLine:
    code: str
    name_ar: str
    name_fr: str
    visits: int
    persons: int    # distinct persons oriented to the program
    women: int      # of whom women and girls (persons, not visits)
    men: int        # of whom men and boys

    def name(self, lang: str) -> str:
        return self.name_ar if lang == "ar" else self.name_fr


@dataclass(frozen=True)
class WorkshopLine:
    workshop_id: str
    title: str
    end_date: date
    participants: int
    completed: int
    not_completed: int


def _marks(db: sqlite_utils.Database, session_ids: list[str], person_ids: list[str]) -> dict[tuple[str, str], str]:
    """Live marks (after corrections) of these people in these sessions: (session, person) -> status."""
    params = [json.dumps(session_ids), json.dumps(person_ids)]
    where = ("session_id IN (SELECT value FROM json_each(?)) AND person_id IN (SELECT value FROM json_each(?))")
    fixes = _corrections(db, "attendance", where, params, few_events=True)
    out: dict[tuple[str, str], str] = {}
    for r in query(db, f"SELECT * FROM attendance WHERE {where} ORDER BY at, id", params):
        current = effective(r, fixes[r["id"]]) if r["id"] in fixes else r
        if current is not None:
            out[(current["session_id"], current["person_id"])] = current["status"]
    return out


def workshop_completions(db: sqlite_utils.Database, first: date, last: date) -> list[WorkshopLine]:
    """Workshops whose last session fell in the month: who completed them (every session has
    been held, so completion is final)."""
    out = []
    for w in query(db, "SELECT w.id, w.title, w.completion_threshold, max(substr(s.starts_at, 1, 10)) AS ended"
                      " FROM workshop w JOIN workshop_session s ON s.workshop_id = w.id AND s.deleted = 0"
                      " WHERE w.deleted = 0 GROUP BY w.id HAVING ended BETWEEN ? AND ? ORDER BY ended, w.title",
                  [first.isoformat(), last.isoformat()]):
        session_ids = [r[0] for r in db.execute(
            "SELECT id FROM workshop_session WHERE workshop_id = ? AND deleted = 0", [w["id"]])]
        enrolled = [r[0] for r in db.execute(
            "SELECT DISTINCT person_id FROM enrollment WHERE service = 'workshop' AND workshop_id = ?"
            " AND status != 'waitlisted' AND deleted = 0", [w["id"]])]
        marks = _marks(db, session_ids, enrolled) if enrolled else {}
        done = 0
        for pid in enrolled:
            result = completion([marks.get((s, pid)) for s in session_ids],
                                sessions_total=len(session_ids), threshold=w["completion_threshold"])
            done += result.status == Completion.COMPLETED
        out.append(WorkshopLine(w["id"], w["title"], date.fromisoformat(w["ended"]), len(enrolled), done,
                                len(enrolled) - done))
    return out


@dataclass(frozen=True)
class CampaignReach:
    campaigns: int
    breakdown: Breakdown
    topics: list[tuple[date, str, str, int]]   # (day, topic, place, people reached)


def campaign_reach(db: sqlite_utils.Database, first: date, last: date) -> CampaignReach:
    """Awareness campaigns of the month and the people they reached (their head counts)."""
    span = [first.isoformat(), last.isoformat()]
    topics = [(date.fromisoformat(d), t, pl, n or 0) for d, t, pl, n in db.execute(
        "SELECT c.day, c.topic, c.place, (SELECT sum(count) FROM campaign_count k"
        " WHERE k.campaign_id = c.id AND k.deleted = 0) FROM campaign c"
        " WHERE c.deleted = 0 AND c.day BETWEEN ? AND ? ORDER BY c.day, c.topic", span)]
    breakdown = Breakdown()
    for sex, band, n in db.execute(
            "SELECT k.sex, k.age_band, sum(k.count) FROM campaign_count k JOIN campaign c ON c.id = k.campaign_id"
            " WHERE c.deleted = 0 AND k.deleted = 0 AND c.day BETWEEN ? AND ? GROUP BY 1, 2", span):
        if n:
            key = (sex, band if band in BAND_CODES else UNKNOWN_BAND)
            breakdown.persons[key] += n
            breakdown.attendances[key] += n
    return CampaignReach(len(topics), breakdown, topics)


# --- Registry and attendance exports ---------------------------------------------------------

PERSON_EXPORT_COLUMNS = ("file_no", "given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat",
                         "sex", "birth_date", "birth_year", "cin", "phone", "phone2", "address",
                         "province_code", "created_at")


def persons_for_export(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every live person of the registry (merged and deleted ones left out), by file number."""
    return query(db, f"SELECT {', '.join(PERSON_EXPORT_COLUMNS)} FROM person"
                    " WHERE deleted = 0 AND merged_into IS NULL ORDER BY file_no, id")


def attendance_for_export(db: sqlite_utils.Database, first: date | None = None,
                          last: date | None = None) -> list[dict[str, Any]]:
    """Check-ins (with their check-out time) and session marks, corrected, oldest first."""
    where, params = "1", []
    if first and last:
        where, params = "day BETWEEN ? AND ?", [first.isoformat(), last.isoformat()]
    outs = {o["check_in_id"]: o for o in effective_events(db, "check_out", where, params)}
    out: list[dict[str, Any]] = []
    for e in effective_events(db, "check_in", where, params):
        o = outs.get(e["id"])
        out.append({"day": e["day"], "service": e["service"], "person_id": e["person_id"], "status": "present",
                    "time_in": e["at"], "time_out": o["at"] if o else "", "session_id": "",
                    "by_name": e["by_name"] or ""})
    for m in effective_events(db, "attendance", where, params):
        out.append({"day": m["day"], "service": m["context"], "person_id": m["person_id"], "status": m["status"],
                    "time_in": m["at"], "time_out": "", "session_id": m["session_id"], "by_name": ""})
    names = {r["id"]: r for r in query(db, "SELECT id, file_no, given_name_ar, family_name_ar, given_name_lat,"
                                          " family_name_lat FROM person WHERE id IN (SELECT value FROM json_each(?))",
                                      [json.dumps(sorted({r["person_id"] for r in out}))])}
    for r in out:
        p = names.get(r["person_id"], {})
        r["file_no"] = p.get("file_no", "")
        r["name_ar"] = " ".join(x for x in (p.get("given_name_ar"), p.get("family_name_ar")) if x)
        r["name_lat"] = " ".join(x for x in (p.get("given_name_lat"), p.get("family_name_lat")) if x)
    out.sort(key=lambda r: (r["day"], r["service"], r["time_in"], r["person_id"]))
    return out


# --- Sessions and cards ---------------------------------------------------------------------

def sessions_on(db: sqlite_utils.Database, day: date) -> list[dict[str, Any]]:
    """Workshop sessions starting on ``day`` (local date of their start), with the workshop."""
    found = query(db, "SELECT s.id, s.workshop_id, s.starts_at, s.ends_at, s.topic, w.title FROM workshop_session s"
                     " JOIN workshop w ON w.id = s.workshop_id WHERE s.deleted = 0 AND w.deleted = 0"
                     " AND substr(s.starts_at, 1, 10) BETWEEN ? AND ? ORDER BY s.starts_at, w.title",
                 [date.fromordinal(day.toordinal() - 1).isoformat(), date.fromordinal(day.toordinal() + 1).isoformat()])
    return [r for r in found if datetime.fromisoformat(r["starts_at"]).astimezone().date() == day]


@dataclass(frozen=True)
class CardLine:
    code: str
    service: str
    person_id: str
    name_ar: str
    name_lat: str
    file_no: str


def live_cards(db: sqlite_utils.Database, service: str | None = None,
               person_ids: list[str] | None = None) -> list[CardLine]:
    """Live (not revoked) member cards of active enrollments, by name."""
    where, params = ["c.revoked_at IS NULL", "c.deleted = 0"], []
    if service:
        where.append("c.service = ?")
        params.append(service)
    if person_ids is not None:
        where.append("c.person_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(person_ids))
    found = db.execute(
        "SELECT c.code, c.service, c.person_id, p.given_name_ar, p.family_name_ar, p.given_name_lat,"
        " p.family_name_lat, p.file_no FROM member_card c JOIN person p ON p.id = c.person_id"
        f" WHERE {' AND '.join(where)} AND EXISTS (SELECT 1 FROM enrollment e WHERE e.person_id = c.person_id"
        " AND e.service = c.service AND e.status = 'active' AND e.deleted = 0)"
        " ORDER BY c.service, p.family_name_ar, p.given_name_ar, p.family_name_lat, c.code", params).fetchall()
    return [CardLine(code, svc, pid, " ".join(x for x in (g_ar, f_ar) if x), " ".join(x for x in (g_l, f_l) if x),
                     file_no or "") for code, svc, pid, g_ar, f_ar, g_l, f_l, file_no in found]
