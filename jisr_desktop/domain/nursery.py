"""Social nursery rules (pure): the 0–3 age rule, the third-birthday warning, pick-up.

Children are enrolled from birth until 36 months (their third birthday); the program warns
ahead of that birthday so that the family can plan. Only people on a child's authorised list
may take the child home; anyone else is refused unless a coordinator overrides in writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from jisr_desktop.domain import normalize
from jisr_desktop.domain.messages import FieldMessage
from jisr_desktop.domain.person import parse_phone
from jisr_desktop.i18n import N_

MAX_AGE_MONTHS = 36
WARN_DAYS_BEFORE_THREE = 30
MAX_NOTE = 2000


def age_in_months(birth: date, day: date) -> int:
    """Completed months between `birth` and `day` (negative before birth)."""
    months = (day.year - birth.year) * 12 + (day.month - birth.month)
    if day.day < birth.day:
        months -= 1
    return months


def third_birthday(birth: date) -> date:
    try:
        return birth.replace(year=birth.year + 3)
    except ValueError:  # born on 29 February
        return date(birth.year + 3, 3, 1)


def turns_three_soon(birth: date, day: date, warn_days: int = WARN_DAYS_BEFORE_THREE) -> bool:
    """True from `warn_days` before the third birthday until the day before it."""
    birthday = third_birthday(birth)
    return day < birthday <= day + timedelta(days=warn_days)


def is_of_nursery_age(birth: date | None, day: date) -> bool:
    return birth is not None and birth <= day < third_birthday(birth)


def check_age(birth: date | None, day: date, *,
              warn_days: int = WARN_DAYS_BEFORE_THREE) -> list[FieldMessage]:
    """Messages about a child's age on the day of enrollment (errors block it)."""
    if birth is None:
        return [FieldMessage("birth_date", "error",
                             N_("The nursery needs the child's exact birth date."))]
    if birth > day:
        return [FieldMessage("birth_date", "error", N_("The birth date is in the future."))]
    if day >= third_birthday(birth):
        return [FieldMessage("birth_date", "error",
                             N_("The nursery takes children under 3 years (36 months); this child is {months} months old."),
                             {"months": age_in_months(birth, day)})]
    if turns_three_soon(birth, day, warn_days):
        return [FieldMessage("birth_date", "warning",
                             N_("This child turns 3 on {date}: the nursery place ends then."),
                             {"date": third_birthday(birth).isoformat()})]
    return []


def check_notes(values: dict[str, Any]) -> list[FieldMessage]:
    notes = {"allergies": N_("Allergies"), "medical_notes": N_("Medical notes"), "notes": N_("Notes")}
    return normalize.control_messages(values, notes, multiline=notes) + [
        FieldMessage(name, "error", N_("This text is too long (at most {max} characters)."),
                     {"max": MAX_NOTE})
        for name in ("allergies", "medical_notes", "notes")
        if len(str(values.get(name) or "")) > MAX_NOTE]


# --- Pick-up -------------------------------------------------------------------------------

@dataclass(frozen=True)
class PickupAuthorisation:
    """Someone allowed to take a child home: a registered person, or a name with CIN, phone
    and relationship. Guardians are authorised by being guardians."""

    id: str
    person_id: str | None = None
    name: str = ""
    cin: str | None = None
    phone: str | None = None
    relationship: str = ""
    is_guardian: bool = False


def clean_authorisation(raw: dict[str, Any]) -> tuple[dict[str, Any], list[FieldMessage]]:
    """Normalise an authorisation; without a person it needs name, CIN, phone, relationship."""
    msgs: list[FieldMessage] = []
    out: dict[str, Any] = {
        "person_id": raw.get("person_id") or None,
        "name": " ".join(str(raw.get("name") or "").split()),
        "cin": normalize.normalize_cin(raw.get("cin")),
        "relationship": str(raw.get("relationship") or "").strip(),
        "is_guardian": bool(raw.get("is_guardian")),
        "phone": None,
    }
    try:
        out["phone"] = parse_phone(raw.get("phone"))
    except ValueError:
        msgs.append(FieldMessage("phone", "error", N_("This is not a valid phone number (e.g. 06 12 34 56 78).")))
    if out["person_id"] is None:
        for name, msgid in (("name", N_("Enter the name of the person.")),
                            ("cin", N_("Enter the CIN of the person.")),
                            ("phone", N_("Enter the phone number of the person.")),
                            ("relationship", N_("Enter the relationship to the child."))):
            if not out[name] and not any(m.field == name for m in msgs):
                msgs.append(FieldMessage(name, "error", msgid))
    if out["cin"] and not normalize.cin_looks_valid(out["cin"]):
        msgs.append(FieldMessage("cin", "warning", N_("This CIN looks unusual (expected one or two letters then digits, e.g. AB123456). Check it; it will be saved as typed.")))
    msgs[:0] = normalize.control_messages(raw, {"name": N_("Name"), "cin": N_("CIN"),
                                                "relationship": N_("Relationship")})
    return out, msgs


@dataclass(frozen=True)
class PickupClaim:
    """Who is at the desk to take the child: chosen from the list, a registered person, or
    someone typed in (name and CIN)."""

    authorisation_id: str | None = None
    person_id: str | None = None
    name: str = ""
    cin: str | None = None


def find_authorised(claim: PickupClaim,
                    authorised: list[PickupAuthorisation]) -> PickupAuthorisation | None:
    """The authorisation that covers `claim`, if any. A name alone never matches: names are
    shared and misspelt; a CIN or a registered person identifies someone."""
    cin = normalize.normalize_cin(claim.cin)
    for auth in authorised:
        if claim.authorisation_id and auth.id == claim.authorisation_id:
            return auth
        if claim.person_id and auth.person_id == claim.person_id:
            return auth
        if cin and auth.cin and normalize.normalize_cin(auth.cin) == cin:
            return auth
    return None


def describe_claim(claim: PickupClaim) -> bool:
    """A claim must say who it is (for the record), even when refused."""
    return bool(claim.authorisation_id or claim.person_id or claim.name.strip())
