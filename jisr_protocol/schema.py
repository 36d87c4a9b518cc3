"""The field schema of every synced entity, written once for the desktop and HQ.

For each entity: its fields, and for each field its type, whether it may be null, whether a
new record or an event must carry it, its allowed values, its longest text and its integer
range. The desktop's change ledger checks every op before it enters the outbox, HQ checks
every pushed op before it merges it (a bad op is refused alone, as ``invalid_value`` or
``unknown_field``), and pull-apply checks every pulled row before it is written. A test ties the
desktop's tables to this schema (``tests/unit/test_protocol_schema.py``): every synced column
is here with a compatible type, so the two cannot drift.

Values are as the desktop stores them and the wire carries them: dates and times as ISO text,
booleans as 0/1 (``True``/``False`` accepted), ids as UUID text, JSON documents as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from jisr_protocol.entities import EVENT_ENTITIES, RECORD_ENTITIES

SCHEMA_V = 1
"""The entity schema version `FIELDS` describes (every entity is at version 1 today)."""

FieldType = Literal["text", "id", "date", "datetime", "int", "real", "bool", "json"]

INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
"""SQLite's and PostgreSQL's bigint range: no integer outside it is ever stored."""

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of one entity."""

    type: FieldType
    nullable: bool = True
    """False: the value may never be null (the desktop column is NOT NULL)."""
    required: bool = False
    """True: a new record and every event carries it (the desktop column has no default)."""
    choices: frozenset[str] | None = None
    max_length: int | None = None
    min: int | None = None
    max: int | None = None

    def problem(self, value: Any) -> str | None:
        """Why `value` does not fit this field, as a short English phrase, or None."""
        if value is None:
            return None if self.nullable else "must not be empty"
        kind = self.type
        if kind == "bool":
            return None if value in (0, 1) and type(value) in (int, bool) else "must be 0 or 1"
        if kind in ("int", "real"):
            if type(value) is bool or not isinstance(value, int | float):
                return "must be a number"
            if kind == "int" and not isinstance(value, int):
                return "must be a whole number"
            if value != value or value in (float("inf"), float("-inf")):
                return "must be a finite number"
            low = INT_MIN if self.min is None else self.min
            high = INT_MAX if self.max is None else self.max
            if not low <= value <= high:
                return f"must be between {low} and {high}"
            return None
        if not isinstance(value, str):
            return "must be text"
        if "\x00" in value:
            return "must not contain a NUL character"
        if not value.isascii() and not _is_utf8(value):
            return "must not contain an unpaired surrogate"
        limit = self.max_length
        if limit is not None and len(value) > limit:
            return f"must be at most {limit} characters"
        if kind == "id" and not _UUID.match(value):
            return "must be an id"
        if kind == "date" and not (_DATE.match(value) and _valid_date(value)):
            return "must be a date (YYYY-MM-DD)"
        if kind == "datetime" and not _DATETIME.match(value):
            return "must be a date and time"
        if kind == "json":
            try:
                json.loads(value)
            except ValueError:
                return "must be JSON text"
        if self.choices is not None and value not in self.choices:
            return "must be one of " + ", ".join(sorted(self.choices))
        return None


def _is_utf8(text: str) -> bool:
    """False for text holding an unpaired surrogate (neither UTF-8 nor PostgreSQL can store it)."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def text_problem(value: str) -> str | None:
    """What no stored text may hold, whatever its field: a NUL character (PostgreSQL refuses
    it) or an unpaired surrogate (not UTF-8)."""
    if "\x00" in value:
        return "must not contain a NUL character"
    if not value.isascii() and not _is_utf8(value):
        return "must not contain an unpaired surrogate"
    return None


def _valid_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One field of one op or row that does not fit the schema."""

    entity: str
    field: str
    problem: str
    kind: Literal["unknown", "missing", "invalid"] = "invalid"
    """unknown: not a field of the entity; missing: a required field is absent."""

    def __str__(self) -> str:
        return f"{self.entity}.{self.field} {self.problem}"


def _text(limit: int, *, nullable: bool = False, required: bool = False,
          choices: tuple[str, ...] | None = None) -> FieldSpec:
    return FieldSpec("text", nullable=nullable, required=required, max_length=limit,
                     choices=frozenset(choices) if choices else None)


def _id(*, nullable: bool = True, required: bool = False) -> FieldSpec:
    return FieldSpec("id", nullable=nullable, required=required, max_length=36)


def _day(*, nullable: bool = True, required: bool = False) -> FieldSpec:
    return FieldSpec("date", nullable=nullable, required=required, max_length=10)


def _at(*, nullable: bool = True, required: bool = False) -> FieldSpec:
    return FieldSpec("datetime", nullable=nullable, required=required, max_length=40)


def _flag() -> FieldSpec:
    return FieldSpec("bool", nullable=False)


NAME = 80
"""Longest name part (the desktop's form refuses longer)."""
LINE = 200
"""Longest one-line text (titles, places, partners, referrals)."""
CODE = 64
"""Longest code (file numbers, categories, programs, card codes)."""
PHONE = 32
CIN = 20
NOTE = 2000
"""Longest note of the desk forms."""
CASE_NOTE = 10_000
"""Longest counselling or mediation note."""

SEXES = ("F", "M")
RELATIONSHIPS = ("head", "spouse", "child", "parent", "sibling", "grandchild", "grandparent",
                 "other_relative", "other")
SERVICES = ("nursery", "club", "workshop")
ENROLLMENT_STATUSES = ("waitlisted", "active", "ended")
ATTENDANCE_CONTEXTS = ("workshop", "club_activity")
MARKS = ("present", "absent", "late", "excused")
CORRECTION_KINDS = ("void", "amend")
CORRECTABLE = ("check_in", "check_out", "attendance", "visit", "alert_ack")
VISIT_CHANNELS = ("in_person", "phone")
VISIT_OUTCOMES = ("informed", "helped", "referred", "follow_up")
ACTIVITY_KINDS = ("medical_awareness", "medical_campaign", "outing", "other")
AGE_BANDS = ("0-2", "3-5", "6-11", "12-17", "18-29", "30-59", "60+", "unknown")
COUNSELLING_TOPICS = ("pre_marriage", "marital", "parenting", "psychological", "social", "other")
MEDIATION_STAGES = ("opened", "session", "agreement", "closed")
FOLLOWUP_SERVICES = ("incubator", "disability", "youth", "pre_marriage", "family_counselling",
                     "family_mediation", "psychosocial", "parenting")
FOLLOWUP_STATUSES = ("open", "closed")
FOLLOWUP_ACTIONS = ("session", "action")
REFERRAL_OUTCOMES = ("obtained", "refused", "pending", "unreachable")
CONSENT_PURPOSES = ("registration", "service", "photos", "hq_indicators", "partner")
CONSENT_SERVICES = (*SERVICES, *FOLLOWUP_SERVICES)

_CENTER = {"center_id": _id()}
_DELETED = {"deleted": _flag()}

FIELDS: dict[str, dict[str, FieldSpec]] = {
    "person": {
        **_CENTER,
        "file_no": _text(CODE),
        "given_name_ar": _text(NAME),
        "family_name_ar": _text(NAME),
        "given_name_lat": _text(NAME),
        "family_name_lat": _text(NAME),
        "sex": _text(1, nullable=True, choices=SEXES),
        "birth_date": _day(),
        "birth_year": FieldSpec("int", min=1880, max=2200),
        "cin": _text(CIN, nullable=True),
        "phone": _text(PHONE, nullable=True),
        "phone2": _text(PHONE, nullable=True),
        "address": _text(NOTE),
        "province_code": _text(CODE, nullable=True),
        "disability": _flag(),
        "disability_type": _text(LINE),
        "notes": _text(NOTE),
        "merged_into": _id(),
        **_DELETED,
    },
    "household": {
        **_CENTER,
        "name": _text(LINE),
        "head_person_id": _id(),
        "rsu_ref": _text(CODE),
        "address": _text(NOTE),
        "province_code": _text(CODE, nullable=True),
        **_DELETED,
    },
    "household_member": {
        **_CENTER,
        "household_id": _id(nullable=False, required=True),
        "person_id": _id(nullable=False, required=True),
        "relationship": _text(CODE, required=True, choices=RELATIONSHIPS),
        **_DELETED,
    },
    "enrollment": {
        **_CENTER,
        "service": _text(CODE, required=True, choices=SERVICES),
        "workshop_id": _id(),
        "person_id": _id(nullable=False, required=True),
        "status": _text(CODE, required=True, choices=ENROLLMENT_STATUSES),
        "requested_at": _at(nullable=False, required=True),
        "start_date": _day(),
        "end_date": _day(),
        "ended_on": _day(),
        "end_reason": _text(LINE),
        "allergies": _text(NOTE),
        "medical_notes": _text(NOTE),
        "emergency_name": _text(LINE),
        "emergency_phone": _text(PHONE, nullable=True),
        "emergency_relationship": _text(LINE),
        "health_notes": _text(NOTE),
        "notes": _text(NOTE),
        **_DELETED,
    },
    "pickup_authorisation": {
        "enrollment_id": _id(nullable=False, required=True),
        "person_id": _id(),
        "name": _text(LINE),
        "cin": _text(CIN, nullable=True),
        "phone": _text(PHONE, nullable=True),
        "relationship": _text(LINE),
        "is_guardian": _flag(),
        **_DELETED,
    },
    "workshop": {
        **_CENTER,
        "category_code": _text(CODE, required=True),
        "title": _text(LINE, required=True),
        "trainer": _text(LINE),
        "capacity": FieldSpec("int", min=0, max=100_000),
        "completion_threshold": FieldSpec("real", nullable=False, min=0, max=1),
        "start_date": _day(),
        "end_date": _day(),
        "notes": _text(NOTE),
        **_DELETED,
    },
    "workshop_session": {
        "workshop_id": _id(nullable=False, required=True),
        "starts_at": _at(nullable=False, required=True),
        "ends_at": _at(nullable=False, required=True),
        "topic": _text(LINE),
        **_DELETED,
    },
    "club_activity": {
        **_CENTER,
        "kind": _text(CODE, required=True, choices=ACTIVITY_KINDS),
        "title": _text(LINE, required=True),
        "day": _day(nullable=False, required=True),
        "place": _text(LINE),
        "partner": _text(LINE),
        **_DELETED,
    },
    "member_card": {
        "person_id": _id(nullable=False, required=True),
        "service": _text(CODE, required=True, choices=SERVICES),
        "code": _text(CODE, required=True),
        "issued_at": _at(nullable=False, required=True),
        "revoked_at": _at(),
        **_DELETED,
    },
    "campaign": {
        **_CENTER,
        "topic": _text(LINE, required=True),
        "day": _day(nullable=False, required=True),
        "place": _text(LINE),
        "partner": _text(LINE),
        "notes": _text(NOTE),
        **_DELETED,
    },
    "campaign_count": {
        "campaign_id": _id(nullable=False, required=True),
        "sex": _text(1, required=True, choices=SEXES),
        "age_band": _text(CODE, required=True, choices=AGE_BANDS),
        "count": FieldSpec("int", nullable=False, min=0, max=100_000),
        **_DELETED,
    },
    "campaign_participant": {
        "campaign_id": _id(nullable=False, required=True),
        "person_id": _id(nullable=False, required=True),
        **_DELETED,
    },
    "counselling_note": {
        **_CENTER,
        "person_id": _id(nullable=False),
        "household_id": _id(),
        "session_date": _day(nullable=False),
        "topic": _text(CODE),
        "note": _text(CASE_NOTE),
        "follow_up_date": _day(),
        "counsellor_id": _text(CODE),
        **_DELETED,
    },
    "mediation_note": {
        **_CENTER,
        "household_id": _id(nullable=False),
        "parties": FieldSpec("json", nullable=False, max_length=CASE_NOTE),
        "session_date": _day(nullable=False),
        "stage": _text(CODE),
        "outcome": _text(NOTE),
        "note": _text(CASE_NOTE),
        "follow_up_date": _day(),
        "counsellor_id": _text(CODE),
        **_DELETED,
    },
    "followup_case": {
        **_CENTER,
        "person_id": _id(),
        "household_id": _id(),
        "service": _text(CODE, required=True, choices=FOLLOWUP_SERVICES),
        "opened_on": _day(nullable=False, required=True),
        "closed_on": _day(),
        "staff_id": _text(CODE),
        "status": _text(CODE, required=True, choices=FOLLOWUP_STATUSES),
        "outcome": _text(CODE),
        "situation": _text(NOTE),
        "goals": FieldSpec("json", nullable=False, max_length=NOTE),
        **_DELETED,
    },
    "followup_action": {
        "case_id": _id(nullable=False, required=True),
        "kind": _text(CODE, required=True, choices=FOLLOWUP_ACTIONS),
        "day": _day(nullable=False, required=True),
        "note": _text(NOTE),
        "staff_id": _text(CODE),
        **_DELETED,
    },
    "referral": {
        **_CENTER,
        "person_id": _id(nullable=False, required=True),
        "visit_id": _id(),
        "case_id": _id(),
        "program_code": _text(CODE),
        "body": _text(LINE),
        "referred_on": _day(nullable=False, required=True),
        "due_on": _day(nullable=False, required=True),
        "outcome": _text(CODE, nullable=True, choices=REFERRAL_OUTCOMES),
        "outcome_on": _day(),
        "note": _text(NOTE),
        "staff_id": _text(CODE),
        **_DELETED,
    },
    "followup_sealed": {
        **_CENTER,
        "case_id": _id(nullable=False, required=True),
        "action_id": _id(),
        "text": _text(CASE_NOTE),
        "parties": FieldSpec("json", nullable=False, max_length=CASE_NOTE),
        "counsellor_id": _text(CODE),
        **_DELETED,
    },
    "consent": {
        **_CENTER,
        "person_id": _id(nullable=False, required=True),
        "purpose": _text(CODE, required=True, choices=CONSENT_PURPOSES),
        "service": _text(CODE, nullable=True, choices=CONSENT_SERVICES),
        "given_on": _day(nullable=False, required=True),
        "expires_on": _day(),
        "withdrawn_on": _day(),
        "guardian_id": _id(),
        "recorded_by": _text(CODE),
        "withdrawn_by": _text(CODE),
        **_DELETED,
    },
    "check_in": {
        "service": _text(CODE, required=True, choices=SERVICES),
        "person_id": _id(nullable=False, required=True),
        "enrollment_id": _id(),
        "day": _day(nullable=False, required=True),
        "at": _at(nullable=False, required=True),
        "by_person_id": _id(),
        "by_name": _text(LINE),
        "card_code": _text(CODE),
        "previous_id": _id(),
        "recorded_by": _text(CODE),
    },
    "check_out": {
        "check_in_id": _id(nullable=False, required=True),
        "service": _text(CODE, required=True, choices=SERVICES),
        "person_id": _id(nullable=False, required=True),
        "day": _day(nullable=False, required=True),
        "at": _at(nullable=False, required=True),
        "pickup_authorisation_id": _id(),
        "by_person_id": _id(),
        "by_name": _text(LINE),
        "by_cin": _text(CIN, nullable=True),
        "override_by": _text(CODE, nullable=True),
        "override_reason": _text(NOTE),
        "previous_id": _id(),
        "recorded_by": _text(CODE),
    },
    "alert_ack": {
        "check_in_id": _id(nullable=False, required=True),
        "person_id": _id(nullable=False, required=True),
        "alerts": _text(NOTE * 4, required=True),
        "at": _at(nullable=False, required=True),
        "recorded_by": _text(CODE),
    },
    "attendance": {
        "context": _text(CODE, required=True, choices=ATTENDANCE_CONTEXTS),
        "session_id": _id(nullable=False, required=True),
        "person_id": _id(nullable=False, required=True),
        "status": _text(CODE, required=True, choices=MARKS),
        "reason": _text(NOTE),
        "day": _day(nullable=False, required=True),
        "at": _at(nullable=False, required=True),
        "recorded_by": _text(CODE),
    },
    "event_correction": {
        "target_table": _text(CODE, required=True, choices=CORRECTABLE),
        "target_id": _id(nullable=False, required=True),
        "kind": _text(CODE, required=True, choices=CORRECTION_KINDS),
        "patch": FieldSpec("json", nullable=False, max_length=NOTE * 4),
        "reason": _text(NOTE),
        "at": _at(nullable=False, required=True),
        "recorded_by": _text(CODE),
    },
    "visit": {
        **_CENTER,
        "person_id": _id(nullable=False, required=True),
        "visited_at": _at(nullable=False, required=True),
        "day": _day(nullable=False, required=True),
        "program_code": _text(CODE, required=True),
        "channel": _text(CODE, required=True, choices=VISIT_CHANNELS),
        "outcome": _text(CODE, required=True, choices=VISIT_OUTCOMES),
        "referral_to": _text(LINE),
        "notes": _text(NOTE),
        "user_id": _text(CODE, nullable=True),
    },
    "conflict_resolution": {
        "conflict_id": _id(nullable=False, required=True),
        "choice": _text(CODE, required=True, choices=("keep_winner", "keep_loser")),
    },
}
"""entity → field → spec. Record entities list `deleted`, which travels as the op kind."""

assert set(FIELDS) == {*RECORD_ENTITIES, *EVENT_ENTITIES, "conflict_resolution"}


def field_names(entity: str) -> frozenset[str]:
    """The fields an op of `entity` may carry (records: without `deleted`, the op kind)."""
    return frozenset(name for name in FIELDS[entity] if name != "deleted")


def check_values(entity: str, values: Mapping[str, Any], *, whole: bool,
                 newer: bool = False) -> list[FieldProblem]:
    """Every way `values` (a patch, an event or a full row) does not fit `entity`'s schema.

    `whole`: the values are a new record, an event or a full pulled row, so every required
    field must be there. Unknown fields are problems too ("is not a field of …") unless
    `newer`: the values follow a later schema version than `SCHEMA_V`, whose new fields this
    schema cannot judge (the known ones are still checked)."""
    fields = FIELDS.get(entity)
    if fields is None:
        return [FieldProblem(entity, "*", "is not a synced entity", "unknown")]
    out: list[FieldProblem] = []
    for name, value in values.items():
        spec = fields.get(name)
        if spec is None:
            if newer:
                continue
            out.append(FieldProblem(entity, name, f"is not a field of {entity}", "unknown"))
            continue
        problem = spec.problem(value)
        if problem is not None:
            out.append(FieldProblem(entity, name, problem))
    if whole:
        out.extend(FieldProblem(entity, name, "is missing", "missing")
                   for name, spec in fields.items()
                   if spec.required and name not in values)
    return out
