"""Read-only queries the printouts and exports need that the services do not offer.

Everything here reads the services' tables (after corrections: voided events are left out,
amended ones count as amended) and writes nothing. The monthly figures are aggregated with
SQL over the month's events so that a month of a large center stays well under a second;
the few events that carry a correction are re-read and corrected in Python.
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


def _add(per_service: dict[str, dict[tuple[str, str], set[str]]], counts: dict[str, Counter[tuple[str, str]]],
         seen: dict[str, Breakdown], service: str, person_id: str, sex: str | None, band: str, day: str,
         stays: set[tuple[str, str, str]] | None) -> None:
    """Count one event; ``stays`` (check-ins) makes the attendance a day: a child who left at
    noon and came back is one day, not two."""
    key = (sex or "", band or UNKNOWN_BAND)
    per_service[service].setdefault(key, set()).add(person_id)
    if stays is None:
        counts[service][key] += 1
    elif (service, person_id, day) not in stays:
        stays.add((service, person_id, day))
        counts[service][key] += 1
    b = seen[service]
    b.people[person_id] = sex or ""
    b.days.add(day)


# The person lookups use the covering index of migration 0050 (sex and birth date without
# reading the wide person rows); SQLite would otherwise pick the unique index on id.
def service_breakdowns(db: sqlite_utils.Database, first: date, last: date,
                       ages_on: date | None = None) -> dict[str, Breakdown]:
    """Nursery and club days (days with a check-in), workshop sessions and club activities
    attended (marks present or late), per service, by sex and age band on ``ages_on``
    (default ``last``)."""
    span = [first.isoformat(), last.isoformat()]
    ages_on = ages_on or last
    people: dict[str, dict[tuple[str, str], set[str]]] = defaultdict(dict)
    counts: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    seen: dict[str, Breakdown] = defaultdict(Breakdown)
    attended = ",".join(f"'{m}'" for m in sorted(ATTENDED))
    sources = (("check_in", "e.service", "1"), ("attendance", "e.context", f"e.status IN ({attended})"))
    for table, service_col, keep in sources:
        stays: set[tuple[str, str, str]] | None = set() if table == "check_in" else None
        fixes = _corrections(db, table, "day BETWEEN ? AND ?", span)
        cur = db.execute(f"SELECT e.id, {service_col}, e.person_id, p.sex, p.birth_date, p.birth_year, e.day"
                         f" FROM {table} e LEFT JOIN person p INDEXED BY person_report ON p.id = e.person_id"
                         f" WHERE e.day BETWEEN ? AND ? AND ({keep})", span)
        for event_id, service, person_id, sex, born, year, day in cur:
            if event_id not in fixes:
                _add(people, counts, seen, service, person_id, sex, band_of(born, year, ages_on), day, stays)
        ids = sorted(fixes)  # corrected events: apply their corrections, then count them if still in
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for r in query(db, f"SELECT e.*, p.sex AS p_sex, p.birth_date AS p_born, p.birth_year AS p_year"
                              f" FROM {table} e LEFT JOIN person p ON p.id = e.person_id"
                              f" WHERE e.id IN ({','.join('?' * len(chunk))})", chunk):
                current = effective(r, fixes[r["id"]])
                if current is None or (table == "attendance" and current["status"] not in ATTENDED):
                    continue
                service = current["service"] if table == "check_in" else current["context"]
                _add(people, counts, seen, service, current["person_id"], r["p_sex"],
                     band_of(r["p_born"], r["p_year"], ages_on), current["day"], stays)
    return {service: Breakdown(Counter({k: len(v) for k, v in people[service].items()}), counts[service],
                               seen[service].people, seen[service].days)
            for service in people}


def visit_figures(db: sqlite_utils.Database, first: date, last: date,
                  ages_on: date | None = None) -> tuple[Breakdown, list[ProgramLine]]:
    """Reception visits of the month (append-only, never corrected): by sex and age band on
    ``ages_on`` (default ``last``), and by the public program people were oriented to
    (catalogue order): visits, and distinct persons (all, women and girls, men and boys)."""
    ages_on = ages_on or last
    out = Breakdown()
    people: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_program: dict[str, tuple[list[int], set[str], set[str], set[str]]] = defaultdict(
        lambda: ([0], set(), set(), set()))
    for program, person_id, sex, born, year, day in db.execute(
            "SELECT v.program_code, v.person_id, p.sex, p.birth_date, p.birth_year, v.day FROM visit v"
            " LEFT JOIN person p INDEXED BY person_report ON p.id = v.person_id WHERE v.day BETWEEN ? AND ?",
            [first.isoformat(), last.isoformat()]):
        key = (sex or "", band_of(born, year, ages_on))
        people[key].add(person_id)
        out.attendances[key] += 1
        out.people[person_id] = sex or ""
        out.days.add(day)
        visits, persons, women, men = by_program[program]
        visits[0] += 1
        persons.add(person_id)
        if sex == "F":
            women.add(person_id)
        elif sex == "M":
            men.add(person_id)
    out.persons.update({k: len(v) for k, v in people.items()})
    catalogue = db.execute("SELECT code, name_ar, name_fr FROM program ORDER BY position, code").fetchall()
    known = {c for c, _, _ in catalogue}

    def line(code: str, ar: str, fr: str) -> ProgramLine:
        visits, persons, women, men = by_program.get(code, ([0], set(), set(), set()))
        return ProgramLine(code, ar, fr, visits[0], len(persons), len(women), len(men))

    lines = [line(c, ar, fr) for c, ar, fr in catalogue]
    lines += [line(c, c, c) for c in sorted(by_program) if c not in known]
    return out, lines


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
