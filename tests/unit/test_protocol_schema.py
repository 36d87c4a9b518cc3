"""The per-entity field schema of `jisr_protocol` is tied to the desktop's tables, and it says
plainly why a value does not fit."""

from __future__ import annotations

import pytest

import jisr_protocol as p
from jisr_desktop import ledger
from jisr_protocol import schema

COMPATIBLE = {
    "TEXT": {"text", "id", "date", "datetime", "json"},
    "INTEGER": {"int", "bool"},
    "REAL": {"real"},
}


def _columns(db, table: str) -> dict[str, tuple[str, bool, bool]]:  # type: ignore[no-untyped-def]
    """synced column → (declared type, NOT NULL, has a default)."""
    return {name: (kind, bool(notnull), default is not None)
            for _, name, kind, notnull, default, _ in db.execute(
                f"PRAGMA table_info({table})").fetchall()
            if name not in ledger.SYSTEM_FIELDS}


@pytest.mark.parametrize("table", [*p.RECORD_ENTITIES, *p.EVENT_ENTITIES])
def test_every_synced_column_is_in_the_schema_with_a_compatible_type(db, table: str) -> None:  # type: ignore[no-untyped-def]
    columns = _columns(db, table)
    fields = schema.FIELDS[table]
    assert set(columns) == set(fields), "desktop table and protocol schema differ"
    for name, (kind, notnull, has_default) in columns.items():
        spec = fields[name]
        assert spec.type in COMPATIBLE[kind], f"{table}.{name}: {kind} vs {spec.type}"
        assert spec.nullable is not notnull, f"{table}.{name}: NOT NULL must match nullable"
        if notnull and not has_default:
            assert spec.required, f"{table}.{name} has no default: a new row must carry it"
        if spec.required:
            assert not spec.nullable, f"{table}.{name}: required fields are never null"


@pytest.mark.parametrize(("entity", "values", "expected"), [
    ("person", {"sex": "X"}, "person.sex must be one of F, M"),
    ("person", {"given_name_ar": None}, "person.given_name_ar must not be empty"),
    ("person", {"birth_year": 2**70}, "person.birth_year must be between 1880 and 2200"),
    ("person", {"birth_year": "1990"}, "person.birth_year must be a number"),
    ("person", {"birth_year": True}, "person.birth_year must be a number"),
    ("person", {"notes": "a\x00b"}, "person.notes must not contain a NUL character"),
    ("person", {"given_name_ar": "x" * 81}, "person.given_name_ar must be at most 80 characters"),
    ("person", {"birth_date": "1990-02-30"}, "person.birth_date must be a date (YYYY-MM-DD)"),
    ("person", {"disability": 2}, "person.disability must be 0 or 1"),
    ("person", {"merged_into": "not-an-id"}, "person.merged_into must be an id"),
    ("person", {"shoe_size": 41}, "person.shoe_size is not a field of person"),
    ("household_member", {"relationship": None}, "household_member.relationship must not be empty"),
    ("workshop", {"completion_threshold": float("nan")},
     "workshop.completion_threshold must be a finite number"),
    ("mediation_note", {"parties": "[1,"}, "mediation_note.parties must be JSON text"),
])
def test_a_bad_value_is_named_with_its_field(entity: str, values: dict, expected: str) -> None:  # type: ignore[type-arg]
    assert [str(x) for x in schema.check_values(entity, values, whole=False)] == [expected]


def test_whole_rows_must_carry_required_fields() -> None:
    problems = schema.check_values("household_member", {"household_id": ledger.new_id()},
                                   whole=True)
    assert sorted(x.field for x in problems) == ["person_id", "relationship"]
    assert schema.check_values("household_member", {"relationship": "child"}, whole=False) == []


def test_good_values_pass() -> None:
    good = {"given_name_ar": "فاطمة", "sex": "F", "birth_year": 1990, "birth_date": "1990-05-12",
            "disability": 1, "cin": None, "merged_into": ledger.new_id()}
    assert schema.check_values("person", good, whole=True) == []
    assert schema.check_values("person", {"disability": True}, whole=False) == []
    assert schema.check_values("check_in", {"at": "2026-11-02T08:01:02.123456+00:00"},
                               whole=False) == []
