"""Everything held about one person (law 09-08, right of access; docs/privacy.md, "Rights of
access and correction"): `collect` gathers it, `write_json` writes it whole as a JSON file and
`build_person_export` prints it as a readable PDF in Arabic or French.

What is gathered: the registration, the households she belongs to (or heads), her enrolments and the people
authorised to pick a child up (and the children she may pick up), her member cards, check-ins,
check-outs (hers, and those of the children she brought or took home), attendance marks, visits
and the corrections of those events, campaigns, consents
(her own and those she gave as a guardian), follow-up cases with their sessions and referrals,
and the audit history of every one of these records (corrections keep their history).

Sealed counselling content (counselling and mediation notes, the sealed plans and session notes
of follow-up cases) is only included when the caller proved a counsellor signed in
(`with_sealed`); otherwise the export says how many such entries exist and who may give them.
The audit entries of sealed records never hold values (the ledger redacts them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

import sqlite_utils
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from jisr_desktop import errors
from jisr_desktop.db import rows as db_rows
from jisr_desktop.db.center import current_center
from jisr_desktop.domain.consent import SERVICE_NAMES, purpose_text
from jisr_desktop.domain.followup import ACTION_LABELS as CASE_ACTIONS
from jisr_desktop.domain.followup import REFERRAL_OUTCOME_LABELS as REFERRAL_OUTCOMES
from jisr_desktop.domain.followup import SERVICE_LABELS as CASE_SERVICES
from jisr_desktop.domain.followup import STATUS_LABELS as CASE_STATUS
from jisr_desktop.domain.visits import OUTCOME_LABELS as VISIT_OUTCOMES
from jisr_desktop.domain.waitlist import STATUS_LABELS as WAITLIST_STATUS
from jisr_desktop.i18n import N_, format_date, translate
from jisr_desktop.reports.document import build_pdf
from jisr_desktop.reports.flowables import RosterTable, TextBlock, heading
from jisr_desktop.reports.formatting import format_day, is_rtl
from jisr_desktop.reports.text import mark_value
from jisr_protocol.schema import FIELDS

FORMAT = "jisr-person-export"
VERSION = 1
INTERNAL = frozenset({"rid", "rev", "dirty", "search_names", "search_approx", "search_ids"})
SEALED_TABLES = ("counselling_note", "mediation_note", "followup_sealed")


@dataclass
class PersonExport:
    """What `collect` found: the sections as lists of rows (column → value), in order."""

    person_id: str
    exported_on: date
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sealed_counts: dict[str, int] = field(default_factory=dict)
    sealed_included: bool = False
    audit: list[dict[str, Any]] = field(default_factory=list)

    @property
    def person(self) -> dict[str, Any]:
        return self.sections["person"][0]

    def as_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "person_id": self.person_id,
                "exported_on": self.exported_on.isoformat(), "sections": self.sections,
                "sealed": {"included": self.sealed_included, "counts": self.sealed_counts},
                "audit": self.audit}

    def record_count(self) -> int:
        return sum(len(v) for v in self.sections.values())


def _select(db: sqlite_utils.Database, sql: str, params: Iterable[Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in INTERNAL}
            for r in db_rows.dicts(db.execute(sql, list(params)))]


def _marks(ids: list[str]) -> str:
    return ", ".join("?" * len(ids)) or "NULL"


def collect(db: sqlite_utils.Database, person_id: str, *, today: date,
            with_sealed: bool) -> PersonExport:
    """Everything held about the person `person_id` (id or file number)."""
    found = _select(db, "SELECT * FROM person WHERE (id = ? OR file_no = ?) AND deleted = 0",
                    [person_id, person_id])
    if not found:
        raise errors.NotFound(N_("No person has the id or file number “{id}”: nothing was "
                                 "exported."), id=person_id)
    person = found[0]
    pid = person["id"]
    out = PersonExport(pid, today, sealed_included=with_sealed)
    s = out.sections
    s["person"] = [person]
    s["household_member"] = _select(
        db, "SELECT m.*, h.name AS household_name FROM household_member m"
            " LEFT JOIN household h ON h.id = m.household_id WHERE m.person_id = ?"
            " ORDER BY m.created_at", [pid])
    households = [m["household_id"] for m in s["household_member"] if not m["deleted"]]
    s["household"] = _select(
        db, f"SELECT * FROM household WHERE id IN ({_marks(households)}) OR head_person_id = ?",
        [*households, pid])
    s["enrollment"] = _select(db, "SELECT * FROM enrollment WHERE person_id = ?"
                                  " ORDER BY requested_at", [pid])
    enrolments = [e["id"] for e in s["enrollment"]]
    s["pickup_authorisation"] = _select(
        db, f"SELECT * FROM pickup_authorisation WHERE enrollment_id IN ({_marks(enrolments)})"
            " OR person_id = ? ORDER BY created_at", [*enrolments, pid])
    s["member_card"] = _select(db, "SELECT * FROM member_card WHERE person_id = ?"
                                   " ORDER BY issued_at", [pid])
    for table, order in (("check_in", "at"), ("check_out", "at"), ("attendance", "at"),
                         ("alert_ack", "at"), ("visit", "visited_at")):
        also = " OR by_person_id = ?" if table in ("check_in", "check_out") else ""
        s[table] = _select(db, f"SELECT * FROM {table} WHERE person_id = ?{also} ORDER BY {order}",
                           [pid, pid] if also else [pid])
    events = [e["id"] for t in ("check_in", "check_out", "attendance", "visit", "alert_ack")
              for e in s[t]]
    s["event_correction"] = _select(
        db, f"SELECT * FROM event_correction WHERE target_id IN ({_marks(events)}) ORDER BY at",
        events)
    s["campaign_participant"] = _select(
        db, "SELECT cp.*, c.topic AS campaign_topic, c.day AS campaign_day"
            " FROM campaign_participant cp LEFT JOIN campaign c ON c.id = cp.campaign_id"
            " WHERE cp.person_id = ? ORDER BY c.day", [pid])
    s["consent"] = _select(db, "SELECT * FROM consent WHERE person_id = ? OR guardian_id = ?"
                               " ORDER BY given_on, created_at", [pid, pid])
    s["followup_case"] = _select(db, "SELECT * FROM followup_case WHERE person_id = ?"
                                     " ORDER BY opened_on", [pid])
    cases = [c["id"] for c in s["followup_case"]]
    s["followup_action"] = _select(
        db, f"SELECT * FROM followup_action WHERE case_id IN ({_marks(cases)}) ORDER BY day",
        cases)
    s["referral"] = _select(db, "SELECT * FROM referral WHERE person_id = ?"
                                " ORDER BY referred_on", [pid])
    sealed = {
        "counselling_note": ("SELECT * FROM counselling_note WHERE person_id = ?"
                             " ORDER BY session_date", [pid]),
        "mediation_note": (f"SELECT * FROM mediation_note WHERE household_id IN"
                           f" ({_marks(households)}) OR instr(parties, ?) > 0"
                           " ORDER BY session_date", [*households, pid]),
        "followup_sealed": (f"SELECT * FROM followup_sealed WHERE case_id IN ({_marks(cases)})"
                            " ORDER BY created_at", cases),
    }
    for table, (sql, params) in sealed.items():
        found_rows = _select(db, sql, params)
        out.sealed_counts[table] = len(found_rows)
        if with_sealed:
            s[table] = found_rows
    ids = [r["id"] for rows in s.values() for r in rows]
    ids += [r["id"] for table, (sql, params) in sealed.items() if not with_sealed
            for r in _select(db, sql, params)]
    out.audit = _audit(db, ids)
    return out


def _audit(db: sqlite_utils.Database, ids: list[str]) -> list[dict[str, Any]]:
    found = []
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        found += _select(
            db, "SELECT a.id, a.at, a.user_id, coalesce(u.display_name, a.user_id) AS user_name,"
                " a.action, a.entity, a.entity_id, a.changes FROM audit_log a"
                f" LEFT JOIN user_account u ON u.id = a.user_id WHERE a.entity_id IN ({_marks(part)})",
            part)
    for entry in found:
        entry["changes"] = json.loads(entry["changes"] or "{}")
    return sorted(found, key=lambda e: e["id"])


def write_json(target: Path, export: PersonExport) -> None:
    target.write_text(json.dumps(export.as_json(), ensure_ascii=False, indent=2, sort_keys=False),
                      encoding="utf-8")


# --- the readable PDF -------------------------------------------------------------------------

TITLES: dict[str, str] = {
    "person": N_("Registration"),
    "household_member": N_("Households"),
    "enrollment": N_("Enrolments"),
    "pickup_authorisation": N_("Pick-up authorisations"),
    "member_card": N_("Member cards"),
    "check_in": N_("Check-ins"),
    "check_out": N_("Check-outs"),
    "attendance": N_("Attendance"),
    "alert_ack": N_("Alerts acknowledged at check-in"),
    "visit": N_("Visits"),
    "event_correction": N_("Corrections of these events"),
    "campaign_participant": N_("Campaigns"),
    "consent": N_("Consents"),
    "followup_case": N_("Follow-up cases"),
    "followup_action": N_("Sessions and actions of the cases"),
    "referral": N_("Referrals"),
    "counselling_note": N_("Counselling notes (sealed)"),
    "mediation_note": N_("Mediation notes (sealed)"),
    "followup_sealed": N_("Sealed plans and session notes"),
}

LABELS: dict[str, str] = {
    "file_no": N_("File number"), "given_name_ar": N_("Given name (Arabic)"),
    "family_name_ar": N_("Family name (Arabic)"), "given_name_lat": N_("Given name (Latin)"),
    "family_name_lat": N_("Family name (Latin)"), "sex": N_("Sex"),
    "birth_date": N_("Date of birth"), "birth_year": N_("Year of birth"), "cin": N_("CIN"),
    "phone": N_("Phone"), "phone2": N_("Second phone"), "address": N_("Address"),
    "province_code": N_("Province code"), "disability": N_("Disability"),
    "disability_type": N_("Kind"), "notes": N_("Notes"), "note": N_("Note"),
    "created_at": N_("Registered on"), "household_name": N_("Household"),
    "relationship": N_("Relationship"), "service": N_("Service"), "status": N_("Status"),
    "start_date": N_("Date"), "allergies": N_("Allergies"), "medical_notes": N_("Medical notes"),
    "health_notes": N_("Health notes"), "name": N_("Name"), "code": N_("Code"),
    "day": N_("Date"), "at": N_("Time in"), "by_name": N_("Dropped off by"),
    "program_code": N_("Program"), "outcome": N_("Outcome"), "referral_to": N_("Referred to"),
    "campaign_topic": N_("Campaign"), "campaign_day": N_("Date"), "purpose": N_("Consent"),
    "given_on": N_("Date"), "opened_on": N_("Opened on"), "kind": N_("Kind"),
    "body": N_("Program"), "referred_on": N_("Date"), "topic": N_("Topic"),
    "session_date": N_("Session"), "text": N_("Note"),
}
"""Field labels of the PDF (many are the registry export's); other fields are in the JSON."""

SHOWN: dict[str, tuple[str, ...]] = {
    "household_member": ("household_name", "relationship"),
    "enrollment": ("service", "status", "start_date", "allergies", "medical_notes",
                   "health_notes"),
    "pickup_authorisation": ("name", "relationship", "phone"),
    "member_card": ("service", "code"),
    "check_in": ("day", "service", "by_name"),
    "check_out": ("day", "service", "by_name"),
    "attendance": ("day", "status"),
    "alert_ack": ("at",),
    "visit": ("day", "program_code", "outcome", "referral_to", "notes"),
    "event_correction": ("at", "kind", "reason"),
    "campaign_participant": ("campaign_day", "campaign_topic"),
    "followup_case": ("service", "opened_on", "status", "outcome"),
    "followup_action": ("day", "kind", "note"),
    "referral": ("referred_on", "program_code", "body", "outcome"),
    "counselling_note": ("session_date", "topic", "note"),
    "mediation_note": ("session_date", "stage", "note"),
    "followup_sealed": ("text",),
}

SEALED_WITHHELD = N_("{count} sealed counselling entries exist about this person. Their content "
                     "is only given by a counsellor, who signs in to export it.")
NOTHING = N_("Nothing is recorded in: {kinds}.")
HISTORY = N_("History of changes")
HISTORY_LINE = N_("{day} — {user}: {fields}")
INTRO = N_("This document lists everything the center holds about {name} on {day} (law 09-08, "
           "right of access). A JSON file made with it holds the same records whole.")
TITLE = N_("Personal data held about a person")


CODE_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("enrollment", "status"): {str(k): v for k, v in WAITLIST_STATUS.items()},
    ("visit", "outcome"): {str(k): v for k, v in VISIT_OUTCOMES.items()},
    ("followup_case", "status"): {str(k): v for k, v in CASE_STATUS.items()},
    ("followup_case", "service"): {str(k): v for k, v in CASE_SERVICES.items()},
    ("followup_action", "kind"): {str(k): v for k, v in CASE_ACTIONS.items()},
    ("referral", "outcome"): {str(k): v for k, v in REFERRAL_OUTCOMES.items()},
}
"""Codes printed in words (the JSON file keeps the codes)."""


def _value(name: str, value: Any, lang: str, table: str | None = None) -> str:
    if value is None or value == "":
        return ""
    if name in ("given_on", "expires_on", "withdrawn_on", "birth_date", "day", "start_date",
                "opened_on", "referred_on", "session_date", "campaign_day") and isinstance(value, str):
        try:
            return mark_value(format_date(date.fromisoformat(value[:10]), lang, fmt="short"))
        except ValueError:
            return str(value)
    if name == "service" and value in SERVICE_NAMES:
        return translate(SERVICE_NAMES[value], lang)
    if table is not None and (table, name) in CODE_LABELS:
        labels = CODE_LABELS[(table, name)]
        return translate(labels[value], lang) if value in labels else str(value)
    if name in ("at", "created_at") and isinstance(value, str):
        return mark_value(value[:16].replace("T", " "))
    return mark_value(value) if not isinstance(value, str) else value


def _consent_rows(rows: list[dict[str, Any]], lang: str) -> list[list[str]]:
    out = []
    for r in rows:
        dates = [_value("given_on", r["given_on"], lang)]
        if r["expires_on"]:
            dates.append(translate(N_("valid until {day}"), lang,
                                   day=_value("given_on", r["expires_on"], lang)))
        if r["withdrawn_on"]:
            dates.append(translate(N_("withdrawn on {day}"), lang,
                                   day=_value("given_on", r["withdrawn_on"], lang)))
        out.append([purpose_text(r["purpose"], r["service"] or "", lang),
                    ("، " if is_rtl(lang) else ", ").join(dates)])
    return out


def _section(title: str, rtl: bool) -> list[Flowable]:
    return [CondPageBreak(25 * mm), Spacer(1, 3 * mm), heading(title, rtl=rtl, size=12)]


def _story(export: PersonExport, lang: str) -> list[Flowable]:
    rtl = is_rtl(lang)
    p = export.person
    name_ar = " ".join(x for x in (p["given_name_ar"], p["family_name_ar"]) if x)
    name_lat = " ".join(x for x in (p["given_name_lat"], p["family_name_lat"]) if x)
    name = (name_ar or name_lat) if rtl else (name_lat or name_ar)
    story: list[Flowable] = [TextBlock(translate(INTRO, lang, name=name,
                                                 day=format_day(export.exported_on, lang)),
                                       rtl=rtl, size=10.5)]
    story += _section(translate(TITLES["person"], lang), rtl)
    identity = [[translate(LABELS[k], lang), _value(k, p[k], lang)] for k in LABELS
                if k in p and p[k] not in (None, "", 0) and k != "note"]
    story.append(RosterTable([("", 1.0), ("", 2.4)], identity, rtl=rtl, size=10, header=False,
                             bold_first_column=True, zebra=False))
    empty: list[str] = []
    for table in TITLES:
        if table == "person" or table not in export.sections:
            continue
        found = [r for r in export.sections[table] if not r.get("deleted")]
        if not found:
            empty.append(translate(TITLES[table], lang))
            continue
        story += _section(translate(TITLES[table], lang), rtl)
        if table == "consent":
            story.append(RosterTable([(translate(N_("Consent"), lang), 1.6),
                                      (translate(N_("Date"), lang), 1.4)],
                                     _consent_rows(found, lang), rtl=rtl, size=9.5))
            continue
        columns = SHOWN[table]
        story.append(RosterTable(
            [(translate(LABELS.get(c, c), lang), 1.0) for c in columns],
            [[_value(c, r.get(c), lang, table) for c in columns] for r in found], rtl=rtl,
            size=9.5))
    withheld = sum(export.sealed_counts.values())
    if not export.sealed_included and withheld:
        story += _section(translate(N_("Sealed counselling content"), lang), rtl)
        story.append(TextBlock(translate(SEALED_WITHHELD, lang, count=withheld), rtl=rtl,
                               size=10))
    if empty:
        story += [Spacer(1, 3 * mm), TextBlock(translate(NOTHING, lang, kinds="، ".join(empty)
                                                         if rtl else ", ".join(empty)),
                                               rtl=rtl, size=10)]
    person_fields = set(FIELDS["person"])
    changes = [e for e in export.audit  # corrections of her registration, not other actions
               if e["entity"] == "person" and e["action"] != "register_person"
               and e["changes"] and set(e["changes"]) <= person_fields]
    if changes:
        story += _section(translate(HISTORY, lang), rtl)
        for e in changes:
            fields = ", ".join(translate(LABELS[f], lang) if f in LABELS else f
                               for f in e["changes"])
            story.append(TextBlock(translate(HISTORY_LINE, lang, day=mark_value(e["at"][:16]
                                                                                .replace("T", " ")),
                                             user=e["user_name"], fields=fields),
                                   rtl=rtl, size=9.5))
    return story


def build_person_export(target: str | Path | IO[bytes], *, db: sqlite_utils.Database,
                        export: PersonExport, lang: str) -> int:
    """Write the readable PDF of `export` in `lang` (ar or fr); returns the page count."""
    center = current_center(db)
    center_name = (center.name_ar if is_rtl(lang) else center.name_fr) if center else ""
    return build_pdf(target, lang=lang, center_name=center_name, title=translate(TITLE, lang),
                     date=export.exported_on, story=_story(export, lang))


def person_language(export: PersonExport) -> str:
    """The language of the person's own papers: Arabic when her name is written in Arabic,
    else French."""
    p = export.person
    return "ar" if (p.get("given_name_ar") or p.get("family_name_ar")) else "fr"
