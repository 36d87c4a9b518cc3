"""Words for the coordinator's conflict review: entity, field and reason labels, readable values.

Conflicts arrive from HQ with raw names (`person`, `phone`, `_deleted`, `concurrent_edit`).
The labels below are gettext msgids (marked with `N_`, translated where shown); a field label
reuses the msgid the person form or the services screens already show for that column, so it
reads the same everywhere. Anything unknown falls back to its raw name.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from jisr_desktop.domain.person import RELATIONSHIP_LABELS, format_phone
from jisr_desktop.i18n import N_, format_date, translate
from jisr_protocol import LIFE

ENTITY_LABELS: dict[str, str] = {
    "person": N_("Person"),
    "household": N_("Household"),
    "household_member": N_("Household member"),
    "enrollment": N_("Enrollment"),
    "pickup_authorisation": N_("Pick-up authorisation"),
    "workshop": N_("Workshop"),
    "workshop_session": N_("Workshop session"),
    "club_activity": N_("Club activity"),
    "member_card": N_("Member card"),
    "campaign": N_("Campaign"),
    "campaign_count": N_("Campaign count"),
    "campaign_participant": N_("Campaign participant"),
    "counselling_note": N_("Counselling note"),
}

FIELD_LABELS: dict[str, str] = {
    LIFE: N_("Deleted"),
    "deleted": N_("Deleted"),
    "center_id": N_("Center"),
    "file_no": N_("File number"),
    "given_name_ar": N_("Given name (Arabic)"),
    "family_name_ar": N_("Family name (Arabic)"),
    "given_name_lat": N_("Given name (Latin letters)"),
    "family_name_lat": N_("Family name (Latin letters)"),
    "sex": N_("Sex"),
    "birth_date": N_("Birth date"),
    "birth_year": N_("Estimated birth year"),
    "cin": N_("CIN"),
    "phone": N_("Phone"),
    "phone2": N_("Second phone"),
    "address": N_("Address"),
    "province_code": N_("Province"),
    "disability": N_("Disability"),
    "disability_type": N_("Type of disability"),
    "notes": N_("Notes"),
    "merged_into": N_("Merged into"),
    "name": N_("Name"),
    "head_person_id": N_("Head of household"),
    "rsu_ref": N_("RSU number"),
    "household_id": N_("Household"),
    "person_id": N_("Person"),
    "relationship": N_("Relationship"),
    "service": N_("Service"),
    "workshop_id": N_("Workshop"),
    "status": N_("Status"),
    "requested_at": N_("Asked on"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "ended_on": N_("Ended on"),
    "end_reason": N_("Reason"),
    "allergies": N_("Allergies"),
    "medical_notes": N_("Medical notes"),
    "emergency_name": N_("Emergency contact"),
    "emergency_phone": N_("Emergency phone"),
    "emergency_relationship": N_("Emergency contact's relationship"),
    "health_notes": N_("Health notes"),
    "enrollment_id": N_("Enrollment"),
    "is_guardian": N_("Guardian"),
    "category_code": N_("Category"),
    "title": N_("Title"),
    "trainer": N_("Trainer"),
    "capacity": N_("Capacity"),
    "completion_threshold": N_("Attendance needed to complete"),
    "starts_at": N_("Starts at"),
    "ends_at": N_("Ends at"),
    "topic": N_("Topic"),
    "kind": N_("Kind"),
    "day": N_("Date"),
    "place": N_("Location"),
    "partner": N_("Partner"),
    "code": N_("Code"),
    "issued_at": N_("Issued on"),
    "revoked_at": N_("Revoked on"),
    "campaign_id": N_("Campaign"),
    "age_band": N_("Age group"),
    "count": N_("Number"),
}

REASON_LABELS: dict[str, str] = {
    "concurrent_edit": N_("Changed on two desktops at the same time"),
    "stale_edit": N_("Changed here with an older value"),
    "edit_of_deleted": N_("Changed after it was deleted"),
    "delete_lost": N_("Deleted here, but restored elsewhere"),
}

SEX_LABELS = {"F": N_("Female"), "M": N_("Male")}
SERVICE_LABELS = {"nursery": N_("Nursery"), "club": N_("Elderly club"), "workshop": N_("Workshops")}
YES_NO = {True: N_("Yes"), False: N_("No")}

DATE_FIELDS = frozenset({"birth_date", "start_date", "end_date", "ended_on", "day", "issued_at",
                         "revoked_at", "requested_at"})
BOOLEAN_FIELDS = frozenset({LIFE, "deleted", "disability", "is_guardian"})
PHONE_FIELDS = frozenset({"phone", "phone2", "emergency_phone"})
PERSON_FIELDS = frozenset({"person_id", "head_person_id", "merged_into"})
"""Fields holding a person's id: the review shows the person's name instead."""


def entity_label(entity: str, lang: str | None = None) -> str:
    return translate(ENTITY_LABELS[entity], lang) if entity in ENTITY_LABELS else entity


def field_label(field: str, lang: str | None = None) -> str:
    return translate(FIELD_LABELS[field], lang) if field in FIELD_LABELS else field


def reason_label(reason: str, lang: str | None = None) -> str:
    return translate(REASON_LABELS[reason], lang) if reason in REASON_LABELS else reason


def value_text(field: str, raw: str | None, lang: str | None = None,
               persons: dict[str, str] | None = None) -> str:
    """A conflict's value (JSON text as HQ sent it) in words: dates as dates, yes/no, sex,
    relationship and service in words, phones formatted, a person's id as the person's name
    (from `persons`, id → name). Anything else as it is."""
    if raw is None:
        return ""
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    if value is None or value == "":
        return ""
    if field in BOOLEAN_FIELDS and isinstance(value, bool | int):
        return translate(YES_NO[bool(value)], lang)
    if field in PERSON_FIELDS and persons and str(value) in persons:
        return persons[str(value)]
    if isinstance(value, str):
        if field in DATE_FIELDS:
            return _date_text(value, lang)
        if field == "sex" and value in SEX_LABELS:
            return translate(SEX_LABELS[value], lang)
        if field == "service" and value in SERVICE_LABELS:
            return translate(SERVICE_LABELS[value], lang)
        if field == "relationship":
            label = next((m for r, m in RELATIONSHIP_LABELS.items() if r.value == value), None)
            return translate(label, lang) if label else value
        if field in PHONE_FIELDS:
            return _phone_text(value)
    if isinstance(value, bool):
        return translate(YES_NO[value], lang)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _phone_text(value: str) -> str:
    try:
        return format_phone(value) or value
    except Exception:  # not a number phonenumbers can read: show it as it was typed
        return value


def _date_text(value: str, lang: str | None) -> str:
    try:
        if len(value) == 10:
            return format_date(date.fromisoformat(value), lang, fmt="medium")
        return format_date(datetime.fromisoformat(value), lang, fmt="medium")
    except ValueError:
        return value


def person_ids(field: str, *raws: str | None) -> list[str]:
    """The person ids among a conflict's values (to look their names up)."""
    if field not in PERSON_FIELDS:
        return []
    out = []
    for raw in raws:
        try:
            value = json.loads(raw) if raw is not None else None
        except ValueError:
            continue
        if isinstance(value, str) and value:
            out.append(value)
    return out
