"""Reads of follow-up cases and referrals that services and reports share.

Rows come with what a list shows of their person (names, file number) so that who a line is
for is always explicit. Nothing here reads the sealed partition (`followup_sealed`): the
counts (`case_counts`, `referral_outcomes`) are what reports may show of every service.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from jisr_desktop.db import rows


@dataclass(frozen=True)
class CaseRow:
    id: str
    service: str
    person_id: str | None
    household_id: str | None
    opened_on: date
    closed_on: date | None
    staff_id: str
    staff_name: str
    status: str
    outcome: str
    situation: str
    goals: tuple[str, ...]
    person_name_ar: str
    person_name_lat: str
    file_no: str
    household_name: str

    def who(self, lang: str) -> str:
        first, second = ((self.person_name_ar, self.person_name_lat) if lang == "ar"
                         else (self.person_name_lat, self.person_name_ar))
        return first or second or self.household_name


@dataclass(frozen=True)
class ActionRow:
    id: str
    case_id: str
    kind: str
    day: date
    note: str
    staff_id: str
    staff_name: str


@dataclass(frozen=True)
class ReferralRow:
    id: str
    person_id: str
    visit_id: str | None
    case_id: str | None
    case_service: str | None
    program_code: str
    body: str
    referred_on: date
    due_on: date
    outcome: str | None
    outcome_on: date | None
    note: str
    staff_id: str
    person_name_ar: str
    person_name_lat: str
    file_no: str

    def person_name(self, lang: str) -> str:
        first, second = ((self.person_name_ar, self.person_name_lat) if lang == "ar"
                         else (self.person_name_lat, self.person_name_ar))
        return first or second


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _names(r: dict[str, Any]) -> tuple[str, str]:
    return (" ".join(x for x in (r["given_name_ar"], r["family_name_ar"]) if x),
            " ".join(x for x in (r["given_name_lat"], r["family_name_lat"]) if x))


def _goals(text: str) -> tuple[str, ...]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


_CASE_SQL = (
    "SELECT c.*, p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat,"
    " coalesce(p.file_no, '') AS file_no, coalesce(h.name, '') AS household_name,"
    " coalesce(u.display_name, '') AS staff_name"
    " FROM followup_case c LEFT JOIN person p ON p.id = c.person_id"
    " LEFT JOIN household h ON h.id = c.household_id"
    " LEFT JOIN user_account u ON u.id = c.staff_id")


def _case(r: dict[str, Any]) -> CaseRow:
    ar, lat = _names(r)
    return CaseRow(
        id=r["id"], service=r["service"], person_id=r["person_id"],
        household_id=r["household_id"], opened_on=_day(r["opened_on"]) or date.min,
        closed_on=_day(r["closed_on"]), staff_id=r["staff_id"], staff_name=r["staff_name"],
        status=r["status"], outcome=r["outcome"], situation=r["situation"],
        goals=_goals(r["goals"]), person_name_ar=ar, person_name_lat=lat, file_no=r["file_no"],
        household_name=r["household_name"])


def get_case(db: sqlite_utils.Database, case_id: str) -> CaseRow | None:
    found = rows.query(db, f"{_CASE_SQL} WHERE c.id = ? AND c.deleted = 0", [case_id])
    return _case(found[0]) if found else None


def cases(db: sqlite_utils.Database, *, person_id: str | None = None,
          status: str | None = None) -> list[CaseRow]:
    """Cases, newest opened first: one person's (and of records merged into them, and of the
    households they belong to), or all; optionally only open or closed ones."""
    where, params = ["c.deleted = 0"], []
    if person_id is not None:
        where.append(
            "(c.person_id IN (WITH RECURSIVE same(id) AS (SELECT ? UNION SELECT q.id FROM"
            " person q JOIN same s ON q.merged_into = s.id) SELECT id FROM same)"
            " OR c.household_id IN (SELECT household_id FROM household_member"
            " WHERE person_id = ? AND deleted = 0))")
        params += [person_id, person_id]
    if status is not None:
        where.append("c.status = ?")
        params.append(status)
    found = rows.query(db, f"{_CASE_SQL} WHERE {' AND '.join(where)}"
                       " ORDER BY c.opened_on DESC, c.rid DESC", params)
    return [_case(r) for r in found]


def actions(db: sqlite_utils.Database, case_id: str) -> list[ActionRow]:
    """A case's sessions and actions, oldest first."""
    found = rows.query(
        db, "SELECT a.*, coalesce(u.display_name, '') AS staff_name FROM followup_action a"
        " LEFT JOIN user_account u ON u.id = a.staff_id"
        " WHERE a.case_id = ? AND a.deleted = 0 ORDER BY a.day, a.rid", [case_id])
    return [ActionRow(r["id"], r["case_id"], r["kind"], _day(r["day"]) or date.min, r["note"],
                      r["staff_id"], r["staff_name"]) for r in found]


_REFERRAL_SQL = (
    "SELECT r.*, c.service AS case_service, p.given_name_ar, p.family_name_ar,"
    " p.given_name_lat, p.family_name_lat, coalesce(p.file_no, '') AS file_no"
    " FROM referral r LEFT JOIN person p ON p.id = r.person_id"
    " LEFT JOIN followup_case c ON c.id = r.case_id")


def _referral(r: dict[str, Any]) -> ReferralRow:
    ar, lat = _names(r)
    return ReferralRow(
        id=r["id"], person_id=r["person_id"], visit_id=r["visit_id"], case_id=r["case_id"],
        case_service=r["case_service"], program_code=r["program_code"], body=r["body"],
        referred_on=_day(r["referred_on"]) or date.min, due_on=_day(r["due_on"]) or date.min,
        outcome=r["outcome"], outcome_on=_day(r["outcome_on"]), note=r["note"],
        staff_id=r["staff_id"], person_name_ar=ar, person_name_lat=lat, file_no=r["file_no"])


def get_referral(db: sqlite_utils.Database, referral_id: str) -> ReferralRow | None:
    found = rows.query(db, f"{_REFERRAL_SQL} WHERE r.id = ? AND r.deleted = 0", [referral_id])
    return _referral(found[0]) if found else None


def referrals(db: sqlite_utils.Database, *, person_id: str | None = None,
              case_id: str | None = None) -> list[ReferralRow]:
    where, params = ["r.deleted = 0"], []
    if person_id is not None:
        where.append("r.person_id IN (WITH RECURSIVE same(id) AS (SELECT ? UNION SELECT q.id"
                     " FROM person q JOIN same s ON q.merged_into = s.id) SELECT id FROM same)")
        params.append(person_id)
    if case_id is not None:
        where.append("r.case_id = ?")
        params.append(case_id)
    found = rows.query(db, f"{_REFERRAL_SQL} WHERE {' AND '.join(where)}"
                       " ORDER BY r.referred_on DESC, r.rid DESC", params)
    return [_referral(r) for r in found]


def referrals_due(db: sqlite_utils.Database, day: date) -> list[ReferralRow]:
    """Referrals whose follow-up is due on or before `day` and has no final outcome, the
    oldest due first (`domain.followup.referral_is_due`)."""
    found = rows.query(
        db, f"{_REFERRAL_SQL} WHERE r.deleted = 0 AND r.due_on <= ?"
        " AND (r.outcome IS NULL OR r.outcome = 'pending')"
        " ORDER BY r.due_on, r.referred_on, r.rid", [day.isoformat()])
    return [_referral(r) for r in found]


def referral_outcomes(db: sqlite_utils.Database, start: date,
                      end: date) -> dict[str, dict[str, int]]:
    """Referrals made from `start` to `end` (inclusive), counted per program (its code, or
    the body's name when no program was chosen) and outcome (``"open"`` for none yet): what
    the monthly report and HQ's indicators show. Reads no sealed content."""
    out: dict[str, dict[str, int]] = {}
    for program, outcome, count in db.execute(
            "SELECT CASE WHEN program_code != '' THEN program_code ELSE body END,"
            " coalesce(outcome, 'open'), count(*) FROM referral WHERE deleted = 0"
            " AND referred_on BETWEEN ? AND ? GROUP BY 1, 2 ORDER BY 1, 2",
            [start.isoformat(), end.isoformat()]).fetchall():
        out.setdefault(program, {})[outcome] = count
    return out


def case_counts(db: sqlite_utils.Database, start: date, end: date) -> dict[str, dict[str, int]]:
    """Per service: cases opened in the period, cases closed in it, open at its end, and the
    closed ones per outcome (``"outcome:<code>"``). Countable without sealed content."""
    out: dict[str, dict[str, int]] = {}
    s, e = start.isoformat(), end.isoformat()
    for service, opened, closed, open_at_end in db.execute(
            "SELECT service, sum(opened_on BETWEEN ? AND ?),"
            " sum(closed_on IS NOT NULL AND closed_on BETWEEN ? AND ?),"
            " sum(opened_on <= ? AND (closed_on IS NULL OR closed_on > ?))"
            " FROM followup_case WHERE deleted = 0 GROUP BY service ORDER BY service",
            [s, e, s, e, e, e]).fetchall():
        out[service] = {"opened": opened or 0, "closed": closed or 0, "open": open_at_end or 0}
    for service, outcome, count in db.execute(
            "SELECT service, outcome, count(*) FROM followup_case WHERE deleted = 0"
            " AND status = 'closed' AND closed_on BETWEEN ? AND ? GROUP BY 1, 2",
            [s, e]).fetchall():
        out.setdefault(service, {})[f"outcome:{outcome}"] = count
    return out
