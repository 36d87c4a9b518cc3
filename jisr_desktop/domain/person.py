"""Persons and households: the registry's records and their validation rules (pure)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Any

import phonenumbers

from jisr_desktop.domain import normalize
from jisr_desktop.domain.messages import FieldMessage
from jisr_desktop.i18n import N_

MAX_NAME = 80
MAX_TEXT = 2000
EARLIEST_BIRTH_YEAR = 1900

TEXT_FIELD_NAMES = {
    "given_name_ar": N_("Given name (Arabic)"), "family_name_ar": N_("Family name (Arabic)"),
    "given_name_lat": N_("Given name (Latin letters)"),
    "family_name_lat": N_("Family name (Latin letters)"), "cin": N_("CIN"),
    "address": N_("Address"), "disability_type": N_("Type of disability"), "notes": N_("Notes"),
}
"""The person's free-text fields and their names in messages (the form's labels)."""
MULTILINE_FIELDS = frozenset({"notes"})


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"


class Relationship(StrEnum):
    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    GRANDCHILD = "grandchild"
    GRANDPARENT = "grandparent"
    OTHER_RELATIVE = "other_relative"
    OTHER = "other"


RELATIONSHIP_LABELS = {
    Relationship.HEAD: N_("Head of household"),
    Relationship.SPOUSE: N_("Spouse"),
    Relationship.CHILD: N_("Child"),
    Relationship.PARENT: N_("Parent"),
    Relationship.SIBLING: N_("Brother or sister"),
    Relationship.GRANDCHILD: N_("Grandchild"),
    Relationship.GRANDPARENT: N_("Grandparent"),
    Relationship.OTHER_RELATIVE: N_("Other relative"),
    Relationship.OTHER: N_("Other"),
}


@dataclass
class PersonData:
    """What a receptionist enters about a person (already cleaned by `clean_person`)."""

    given_name_ar: str = ""
    family_name_ar: str = ""
    given_name_lat: str = ""
    family_name_lat: str = ""
    sex: str | None = None
    birth_date: date | None = None
    birth_year: int | None = None
    cin: str | None = None
    phone: str | None = None
    phone2: str | None = None
    address: str = ""
    province_code: str | None = None
    disability: bool = False
    disability_type: str = ""
    notes: str = ""

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass
class Person(PersonData):
    id: str = ""
    file_no: str = ""
    center_id: str | None = None
    merged_into: str | None = None
    deleted: bool = False
    created_at: str = ""
    updated_at: str = ""

    @property
    def display_name_ar(self) -> str:
        return " ".join(p for p in (self.given_name_ar, self.family_name_ar) if p)

    @property
    def display_name_lat(self) -> str:
        return " ".join(p for p in (self.given_name_lat, self.family_name_lat) if p)

    def display_name(self, lang: str = "ar") -> str:
        first, second = ((self.display_name_ar, self.display_name_lat) if lang == "ar"
                         else (self.display_name_lat, self.display_name_ar))
        return first or second

    def age_on(self, day: date) -> int | None:
        return age_on(self.birth_date, self.birth_year, day)


def age_on(birth_date: date | None, birth_year: int | None, day: date) -> int | None:
    if birth_date:
        years = day.year - birth_date.year
        return years - ((day.month, day.day) < (birth_date.month, birth_date.day))
    if birth_year:
        return day.year - birth_year
    return None


def parse_phone(text: str | None) -> str | None:
    """A phone number typed in any usual Moroccan form, as E.164; raises ValueError if invalid."""
    if text is None or not text.strip():
        return None
    try:
        number = phonenumbers.parse(text, "MA")
    except phonenumbers.NumberParseException:
        raise ValueError(text) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str | None) -> str:
    """A stored number in the national form a Moroccan reads (06 12 34 56 78)."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, "MA")
    if number.country_code == 212:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _parse_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in (r"(\d{4})-(\d{1,2})-(\d{1,2})", r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"):
        m = re.fullmatch(pattern, text)
        if m:
            a, b, c = (int(g) for g in m.groups())
            return date(a, b, c) if pattern.startswith("(\\d{4})") else date(c, b, a)
    raise ValueError(text)


def clean_person(raw: dict[str, Any], *, today: date,
                 provinces: set[str] | None = None) -> tuple[dict[str, Any], list[FieldMessage]]:
    """Normalise what was typed and check it. Returns the cleaned values (only the fields
    given) and the messages; the caller saves only when no message is an error."""
    out: dict[str, Any] = {}
    msgs: list[FieldMessage] = []

    def err(field: str, msgid: str, **params: Any) -> None:
        msgs.append(FieldMessage(field, "error", msgid, params))

    def warn(field: str, msgid: str, **params: Any) -> None:
        msgs.append(FieldMessage(field, "warning", msgid, params))

    for name in ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat"):
        if name not in raw:
            continue
        value = " ".join(str(raw[name] or "").split())
        out[name] = value
        if len(value) > MAX_NAME:
            err(name, N_("This name is too long (at most {max} characters)."), max=MAX_NAME)
        elif name.endswith("_ar") and value and re.search(r"[A-Za-z]", value):
            err(name, N_("Write this name in Arabic letters; the Latin spelling has its own field."))
        elif name.endswith("_lat") and value and normalize.is_arabic(value):
            err(name, N_("Write this name in Latin letters; the Arabic spelling has its own field."))

    if "sex" in raw:
        sex = raw["sex"] or None
        if sex not in (None, "F", "M"):
            err("sex", N_("Choose female or male."))
        out["sex"] = sex

    if "birth_date" in raw:
        value = raw["birth_date"]
        if value in (None, ""):
            out["birth_date"] = None
        else:
            try:
                born = _parse_date(value)
            except ValueError:
                err("birth_date", N_("This is not a date; write it as day/month/year."))
            else:
                out["birth_date"] = born
                if born > today:
                    err("birth_date", N_("The birth date is in the future."))
                elif born.year < EARLIEST_BIRTH_YEAR:
                    err("birth_date", N_("The birth date is before {year}."), year=EARLIEST_BIRTH_YEAR)
    if "birth_year" in raw:
        value = raw["birth_year"]
        if value in (None, ""):
            out["birth_year"] = None
        else:
            try:
                year = int(value)
            except (TypeError, ValueError):
                err("birth_year", N_("The estimated birth year must be a year such as 1980."))
            else:
                out["birth_year"] = year
                if year > today.year or year < EARLIEST_BIRTH_YEAR:
                    err("birth_year", N_("The estimated birth year must be between {first} and {last}."),
                        first=EARLIEST_BIRTH_YEAR, last=today.year)
    if out.get("birth_date") and "birth_year" not in raw:
        out["birth_year"] = None  # an exact date replaces an estimated year

    if "cin" in raw:
        cin = normalize.normalize_cin(raw["cin"])
        out["cin"] = cin
        if cin and not normalize.cin_looks_valid(cin):
            warn("cin", N_("This CIN looks unusual (expected one or two letters then digits, e.g. AB123456). Check it; it will be saved as typed."))

    for name in ("phone", "phone2"):
        if name in raw:
            try:
                out[name] = parse_phone(raw[name])
            except ValueError:
                err(name, N_("This is not a valid phone number (e.g. 06 12 34 56 78)."))

    for name in ("address", "notes", "disability_type"):
        if name in raw:
            value = str(raw[name] or "").strip()
            out[name] = value
            if len(value) > MAX_TEXT:
                err(name, N_("This text is too long (at most {max} characters)."), max=MAX_TEXT)

    if "province_code" in raw:
        code = raw["province_code"] or None
        out["province_code"] = code
        if code and provinces is not None and code not in provinces:
            err("province_code", N_("Choose a province from the list."))

    if "disability" in raw:
        out["disability"] = bool(raw["disability"])
        if not out["disability"] and out.get("disability_type"):
            warn("disability_type", N_("A disability type was given but “disability” is not ticked."))

    # NUL and the other control characters: HQ refuses them, so the form does first.
    typed = {name: raw[name] for name in TEXT_FIELD_NAMES if name in raw}  # before any folding
    msgs[:0] = normalize.control_messages(typed, TEXT_FIELD_NAMES, multiline=MULTILINE_FIELDS)
    return out, msgs


def check_names_present(values: dict[str, Any]) -> list[FieldMessage]:
    """A person needs a name in at least one script (given or family name)."""
    if any(values.get(n) for n in ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat")):
        return []
    return [FieldMessage("given_name_ar", "error", N_("Enter the name in Arabic or in Latin letters."))]


def search_columns(values: dict[str, Any], file_no: str = "") -> dict[str, str]:
    """The normalised search columns of a person row."""
    terms: dict[str, None] = {}
    skeletons: dict[str, None] = {}
    for name in (values.get("given_name_ar", ""), values.get("family_name_ar", ""),
                 values.get("given_name_lat", ""), values.get("family_name_lat", "")):
        # the same as name_terms/approx_terms over the four names (both keep the first
        # occurrence of each term), one name at a time through a cache: names repeat a lot
        # (a pulled page of a center holds thousands of persons)
        name_terms, name_skeletons = _name_part(name)
        terms.update(dict.fromkeys(name_terms))
        skeletons.update(dict.fromkeys(name_skeletons))
    ids: list[str] = []
    if values.get("cin"):
        ids.append(str(values["cin"]).lower())
    for key in ("phone", "phone2"):
        ids.extend(normalize.phone_search_terms(values.get(key)))
    if file_no:
        ids.append(re.sub(r"[^0-9a-z]", "", file_no.lower()))
    return {
        "search_names": " ".join(terms),
        "search_approx": " ".join(skeletons),
        "search_ids": " ".join(ids),
    }


@functools.lru_cache(maxsize=65536)
def _name_part(name: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Index terms of one name and their skeletons (pure, so cached)."""
    terms = normalize.name_terms(name or "")
    return tuple(terms), tuple(normalize.approx_terms(terms))
