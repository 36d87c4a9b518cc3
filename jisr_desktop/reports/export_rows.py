"""The rows of the registry and attendance exports, as a coordinator reads them in Excel.

Every value is what the printouts show, not what the tables store (issue 14, point 6):

* dates are ``date`` values and moments are wall-clock ``datetime`` values in the center's
  time, Africa/Casablanca (`exports.local_time`), so that Excel gets real date cells and the
  times match the rosters, Ramadan's clock change included;
* codes are translated into the export's language: sex, service, attendance mark, and for
  reception visits the public program, the channel and the outcome;
* a session is named by its workshop (or club activity) and its start, not by its id;
* the attendance export carries each person's sex and age band on the day, who dropped a
  child off and who picked the child up.

Nothing here writes; `exports.write_xlsx` and `exports.write_csv` write the rows.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlite_utils

from jisr_desktop.db.attendance import effective_events
from jisr_desktop.db.rows import query
from jisr_desktop.domain.visits import CHANNEL_LABELS, OUTCOME_LABELS
from jisr_desktop.domain.workshops import MARK_LABELS, Mark
from jisr_desktop.i18n import N_, translate
from jisr_desktop.reports.common import BAND_LABELS, SERVICE_LABELS
from jisr_desktop.reports.exports import local_time
from jisr_desktop.reports.queries import band_of, persons_for_export

PERSON_HEADERS = {
    "file_no": N_("File number"), "given_name_ar": N_("Given name (Arabic)"),
    "family_name_ar": N_("Family name (Arabic)"), "given_name_lat": N_("Given name (Latin)"),
    "family_name_lat": N_("Family name (Latin)"), "sex": N_("Sex"), "birth_date": N_("Date of birth"),
    "birth_year": N_("Year of birth"), "cin": N_("CIN"), "phone": N_("Phone"), "phone2": N_("Second phone"),
    "address": N_("Address"), "province_code": N_("Province code"), "created_at": N_("Registered on"),
}
ATTENDANCE_HEADERS = {
    "day": N_("Date"), "service": N_("Service"), "session": N_("Session"), "file_no": N_("File number"),
    "name_ar": N_("Name (Arabic)"), "name_lat": N_("Name (Latin)"), "sex": N_("Sex"),
    "age_band": N_("Age band"), "status": N_("Attendance"), "time_in": N_("Time in"),
    "time_out": N_("Time out"), "by_name": N_("Dropped off by"), "picked_up_by": N_("Picked up by"),
    "person_id": N_("Person id"),
}
VISIT_HEADERS = {
    "day": N_("Date"), "visited_at": N_("Time"), "file_no": N_("File number"), "name_ar": N_("Name (Arabic)"),
    "name_lat": N_("Name (Latin)"), "sex": N_("Sex"), "age_band": N_("Age band"), "program": N_("Program"),
    "channel": N_("Channel"), "outcome": N_("Outcome"), "referral_to": N_("Referred to"),
}
SEX_CELLS = {"F": N_("Female"), "M": N_("Male")}
PRESENT = "present"  # a check-in's mark


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def sex_cell(code: str | None, lang: str) -> str:
    return translate(SEX_CELLS[code], lang) if code in SEX_CELLS else ""


def mark_cell(code: str, lang: str) -> str:
    return translate(MARK_LABELS[Mark(code)], lang) if code in set(Mark) else code


def person_rows(db: sqlite_utils.Database, lang: str) -> list[dict[str, Any]]:
    """The live registry with typed dates and the sex in words."""
    out = []
    for r in persons_for_export(db):
        out.append(r | {"sex": sex_cell(r["sex"], lang), "birth_date": _day(r["birth_date"]),
                        "created_at": local_time(r["created_at"])})
    return out


def _name(given: str | None, family: str | None) -> str:
    return " ".join(x for x in (given, family) if x)


def session_names(db: sqlite_utils.Database, ids: set[str]) -> dict[str, str]:
    """A readable name per workshop session or club activity id: its title and local start."""
    wanted = json.dumps(sorted(ids))
    names: dict[str, str] = {}
    for r in query(db, "SELECT s.id, s.starts_at, s.topic, w.title FROM workshop_session s JOIN workshop w"
                       " ON w.id = s.workshop_id WHERE s.id IN (SELECT value FROM json_each(?))", [wanted]):
        start = local_time(r["starts_at"])
        when = f"{start:%d/%m/%Y %H:%M}" if start else ""
        names[r["id"]] = " — ".join(x for x in (r["title"], r["topic"], when) if x)
    for r in query(db, "SELECT id, title, day FROM club_activity WHERE id IN (SELECT value FROM json_each(?))",
                   [wanted]):
        day = _day(r["day"])
        names[r["id"]] = " — ".join(x for x in (r["title"], f"{day:%d/%m/%Y}" if day else "") if x)
    return names


def attendance_rows(db: sqlite_utils.Database, lang: str, first: date | None = None,
                    last: date | None = None) -> list[dict[str, Any]]:
    """Check-ins (with their check-out) and session marks, corrected, oldest first."""
    where, params = "1", []
    if first and last:
        where, params = "day BETWEEN ? AND ?", [first.isoformat(), last.isoformat()]
    outs = {o["check_in_id"]: o for o in effective_events(db, "check_out", where, params)}
    out: list[dict[str, Any]] = []
    for e in effective_events(db, "check_in", where, params):
        o = outs.get(e["id"])
        out.append({"day": e["day"], "service": e["service"], "person_id": e["person_id"], "status": PRESENT,
                    "at": e["at"], "time_out": o["at"] if o else None, "session_id": "",
                    "by_name": e["by_name"] or "", "by_person_id": e.get("by_person_id"),
                    "picked_up_by": (o["by_name"] or "") if o else "",
                    "picked_up_by_id": o.get("by_person_id") if o else None})
    for m in effective_events(db, "attendance", where, params):
        out.append({"day": m["day"], "service": m["context"], "person_id": m["person_id"], "status": m["status"],
                    "at": m["at"], "time_out": None, "session_id": m["session_id"], "by_name": "",
                    "by_person_id": None, "picked_up_by": "", "picked_up_by_id": None})
    ids = {r["person_id"] for r in out} | {r[k] for r in out for k in ("by_person_id", "picked_up_by_id") if r[k]}
    people = {r["id"]: r for r in query(
        db, "SELECT id, file_no, given_name_ar, family_name_ar, given_name_lat, family_name_lat, sex, birth_date,"
            " birth_year FROM person WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(sorted(ids))])}
    sessions = session_names(db, {r["session_id"] for r in out if r["session_id"]})
    out.sort(key=lambda r: (r["day"], r["service"], r["at"], r["person_id"]))
    rows = []
    for r in out:
        p = people.get(r["person_id"], {})
        day = date.fromisoformat(r["day"])
        band = band_of(p.get("birth_date"), p.get("birth_year"), day)
        rows.append({
            "day": day, "service": translate(SERVICE_LABELS.get(r["service"], r["service"]), lang),
            "session": sessions.get(r["session_id"], r["session_id"]), "file_no": p.get("file_no", ""),
            "name_ar": _name(p.get("given_name_ar"), p.get("family_name_ar")),
            "name_lat": _name(p.get("given_name_lat"), p.get("family_name_lat")),
            "sex": sex_cell(p.get("sex"), lang), "age_band": translate(BAND_LABELS[band], lang),
            "status": mark_cell(r["status"], lang), "time_in": local_time(r["at"]),
            "time_out": local_time(r["time_out"]),
            "by_name": _who(r["by_name"], people.get(r["by_person_id"] or ""), lang),
            "picked_up_by": _who(r["picked_up_by"], people.get(r["picked_up_by_id"] or ""), lang),
            "person_id": r["person_id"],
        })
    return rows


def _who(typed: str, person: dict[str, Any] | None, lang: str) -> str:
    """Who brought or took a child: the registered person's name in the export's script when
    the desk linked one, else the name as typed (or as written on the authorisation)."""
    if person is not None:
        ar = _name(person.get("given_name_ar"), person.get("family_name_ar"))
        lat = _name(person.get("given_name_lat"), person.get("family_name_lat"))
        first, second = (ar, lat) if lang == "ar" else (lat, ar)
        return first or second or typed
    return typed


def visit_rows(db: sqlite_utils.Database, lang: str, first: date | None = None,
               last: date | None = None) -> list[dict[str, Any]]:
    """Reception visits (append-only), oldest first, with the program, channel and outcome in
    words; the visit's notes stay out of the export (they may hold what a person confided)."""
    where, params = "1", []
    if first and last:
        where, params = "v.day BETWEEN ? AND ?", [first.isoformat(), last.isoformat()]
    column = "name_ar" if lang == "ar" else "name_fr"
    found = query(db, f"SELECT v.day, v.visited_at, v.channel, v.outcome, v.referral_to, v.program_code,"
                      f" g.{column} AS program, p.file_no, p.given_name_ar, p.family_name_ar, p.given_name_lat,"
                      " p.family_name_lat, p.sex, p.birth_date, p.birth_year FROM visit v"
                      " LEFT JOIN person p ON p.id = v.person_id LEFT JOIN program g ON g.code = v.program_code"
                      f" WHERE {where} ORDER BY v.visited_at, v.id", params)
    rows = []
    for r in found:
        day = date.fromisoformat(r["day"])
        rows.append({
            "day": day, "visited_at": local_time(r["visited_at"]), "file_no": r["file_no"] or "",
            "name_ar": _name(r["given_name_ar"], r["family_name_ar"]),
            "name_lat": _name(r["given_name_lat"], r["family_name_lat"]), "sex": sex_cell(r["sex"], lang),
            "age_band": translate(BAND_LABELS[band_of(r["birth_date"], r["birth_year"], day)], lang),
            "program": r["program"] or r["program_code"],
            "channel": translate(CHANNEL_LABELS[r["channel"]], lang) if r["channel"] in CHANNEL_LABELS
            else r["channel"],
            "outcome": translate(OUTCOME_LABELS[r["outcome"]], lang) if r["outcome"] in OUTCOME_LABELS
            else r["outcome"],
            "referral_to": r["referral_to"] or "",
        })
    return rows
