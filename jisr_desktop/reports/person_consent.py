"""The personal-data notice and consent receipt of one registered person (law 09-08).

Wires `reports.consent` (layout only) to the registry: the center, the person's names, CIN,
birth date and file number, and for a minor the person who signs (the nursery guardian, else
the head of the household). The receipt code is the file number and the date, so the signed
paper can be filed with the person's record.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO

import sqlite_utils

from jisr_desktop import errors
from jisr_desktop.context import Context
from jisr_desktop.db import consent as consents
from jisr_desktop.db import persons
from jisr_desktop.db.center import current_center
from jisr_desktop.domain.consent import purpose_text
from jisr_desktop.i18n import N_, format_date, translate
from jisr_desktop.reports.consent import (
    ConsentCenter,
    ConsentPerson,
    build_consent_receipt,
    default_terms,
)
from jisr_desktop.settings import Settings

ADULT_AGE = 18


def guardian_of(db: sqlite_utils.Database, person_id: str, lang: str = "ar") -> str | None:
    """Who signs for a minor: a nursery guardian, else the household head (never the child);
    a registered guardian's name in the script of the paper (Latin on a French one when she
    has a Latin name), a guardian known by name only as the name was written."""
    found = db.execute(
        "SELECT a.name, p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat"
        " FROM enrollment e JOIN pickup_authorisation a ON a.enrollment_id = e.id AND a.deleted = 0"
        " LEFT JOIN person p ON p.id = a.person_id"
        " WHERE e.person_id = ? AND e.service = 'nursery' AND e.deleted = 0 AND a.is_guardian = 1"
        " ORDER BY e.status = 'active' DESC, a.created_at LIMIT 1", [person_id]).fetchone()
    if found is None:
        found = db.execute(
            "SELECT '', p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat"
            " FROM household_member m JOIN household h ON h.id = m.household_id AND h.deleted = 0"
            " JOIN person p ON p.id = h.head_person_id"
            " WHERE m.person_id = ? AND m.deleted = 0 AND h.head_person_id != ? LIMIT 1",
            [person_id, person_id]).fetchone()
    if found is None:
        return None
    name, g_ar, f_ar, g_lat, f_lat = found
    arabic, latin = " ".join(x for x in (g_ar, f_ar) if x), " ".join(x for x in (g_lat, f_lat) if x)
    first, second = (latin, arabic) if lang == "fr" else (arabic, latin)
    return first or second or name or None


def center_place(db: sqlite_utils.Database, province_code: str | None, lang: str) -> str | None:
    """Where the receipt is signed: the city of the center's province or prefecture (its
    capital, else its own name — a prefecture is its city), in the paper's script."""
    if not province_code:
        return None
    row = db.execute("SELECT capital_ar, capital_fr, name_ar, name_fr FROM admin_division WHERE code = ?",
                     [province_code]).fetchone()
    if row is None:
        return None
    capital_ar, capital_fr, name_ar, name_fr = row
    found = (capital_ar or name_ar) if lang == "ar" else (capital_fr or name_fr)
    return str(found) if found else None


def cndp_setting(db: sqlite_utils.Database) -> str:
    """The `cndp_declaration` setting of the data root holding this database (the desktop keeps
    `settings.json` beside `jisr.db`, `paths.py`); empty for an in-memory database."""
    row = db.execute("PRAGMA database_list").fetchone()
    if row is None or not row[2]:
        return ""
    return str(Settings(Path(row[2]).parent)["cndp_declaration"]).strip()


def build_person_consent(target: str | Path | IO[bytes], *, ctx: Context, person_id: str, lang: str,
                         day: date | None = None, cndp_declaration: str | None = None) -> int:
    """Write the notice and receipt (the person's copy and the center's) for the person with
    ``person_id``; returns the page count. ``cndp_declaration`` defaults to the data root's
    setting; the place is the city of the center's province."""
    person = persons.get(ctx.db, person_id)
    if person is None or person.deleted or person.merged_into:
        raise errors.NotFound()
    day = day or ctx.today()
    center = current_center(ctx.db)
    cndp = cndp_setting(ctx.db) if cndp_declaration is None else cndp_declaration.strip()
    consent_center = ConsentCenter(name_ar=center.name_ar if center else "",
                                   name_fr=center.name_fr if center else "", cndp_reference=cndp)
    age = person.age_on(day)
    guardian = guardian_of(ctx.db, person.id, lang) if age is not None and age < ADULT_AGE else None
    subject = ConsentPerson(name_ar=person.display_name_ar, name_latin=person.display_name_lat, cin=person.cin,
                            birth_date=person.birth_date, guardian_name=guardian, file_code=person.file_no or None)
    code = f"{person.file_no or person.id[:8]}-{day:%Y%m%d}"
    terms = default_terms(lang)
    terms = replace(terms, recorded=recorded_consents(ctx, person.id, lang, day),
                    recorded_title=translate(N_("Consents recorded"), lang))
    place = center_place(ctx.db, center.province_code, lang) if center else None
    return build_consent_receipt(target, lang=lang, center=consent_center, person=subject, day=day,
                                 receipt_code=code, terms=terms, place=place)


def recorded_consents(ctx: Context, person_id: str, lang: str, day: date) -> list[str]:
    """One line per purpose the person (or her guardian) answered, newest consent of each:
    given on, valid until, or withdrawn on (services/consent.py)."""
    lines = []
    for row in consents.newest_per_purpose(ctx.db, person_id, day):
        params = {"purpose": purpose_text(row.purpose, row.service, lang),
                  "given": format_date(row.given_on, lang, fmt="short")}
        if row.withdrawn_on is not None:
            msgid = N_("Consent recorded for {purpose}: given on {given}, withdrawn on {day}.")
            params["day"] = format_date(row.withdrawn_on, lang, fmt="short")
        elif row.expires_on is not None:
            msgid = N_("Consent recorded for {purpose}: given on {given}, valid until {day}.")
            params["day"] = format_date(row.expires_on, lang, fmt="short")
        else:
            msgid = N_("Consent recorded for {purpose}: given on {given}.")
        lines.append(translate(msgid, lang, **params))
    return lines
