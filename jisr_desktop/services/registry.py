"""Registry use cases: register and update persons, find duplicates, merge and undo, search.

Each function runs in one transaction, checks the acting user's permission, and records the
change (row, field clocks, outbox op, audit entry) through `ledger.write_record`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import meta, persons
from jisr_desktop.db.connection import transaction
from jisr_desktop.domain import normalize
from jisr_desktop.domain.messages import FieldMessage, errors_of
from jisr_desktop.domain.person import Person, check_names_present, clean_person, search_columns
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_
from jisr_desktop.services.households import member_id as _member_id
from jisr_desktop.services.households import set_membership as _set_membership

# Record tables whose rows point at a person: a merge re-points them. Events keep the id
# they were recorded with (they are never edited); readers follow `person.merged_into`.
PERSON_REFERENCES: tuple[tuple[str, str], ...] = (
    ("household", "head_person_id"), ("enrollment", "person_id"),
    ("pickup_authorisation", "person_id"), ("member_card", "person_id"),
    ("campaign_participant", "person_id"))
MERGE_FILLABLE = ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat", "sex",
                  "birth_date", "birth_year", "cin", "phone", "phone2", "address",
                  "province_code", "disability_type")
NULLABLE = frozenset({"sex", "birth_date", "birth_year", "cin", "phone", "phone2", "province_code"})


def provinces(ctx: Context) -> set[str]:
    return {r[0] for r in ctx.db.execute("SELECT code FROM admin_division WHERE kind != 'region'")}


def validate_person(ctx: Context, raw: dict[str, Any], *,
                    existing: Person | None = None) -> tuple[dict[str, Any], list[FieldMessage]]:
    """Clean `raw` and return (values, messages) without saving anything."""
    values, messages = clean_person(raw, today=ctx.today(), provinces=provinces(ctx))
    merged = {k: getattr(existing, k) for k in Person.field_names()} if existing else {}
    merged.update(values)
    return values, messages + check_names_present(merged)


def _next_file_no(ctx: Context) -> str:
    center = meta.get(ctx.db, "center_code", "JISR")
    device = ledger.device_id(ctx.db)[:4].upper()
    return f"{center}-{device}-{meta.next_counter(ctx.db, 'file_counter'):06d}"


def register_person(*, ctx: Context, data: dict[str, Any], file_no: str | None = None) -> Person:
    """Register a new person. Raises `ValidationFailed` when a field is in error; warnings
    (an odd CIN) do not block."""
    ctx.require(Permission.REGISTER_PERSON)
    values, messages = validate_person(ctx, data)
    if errors_of(messages):
        raise errors.ValidationFailed(messages)
    person_id = ledger.new_id()
    with transaction(ctx.db):
        number = file_no or _next_file_no(ctx)
        row = {k: v for k, v in values.items() if v not in (None, "")}
        row["center_id"] = meta.get(ctx.db, "center_id")
        row["file_no"] = number
        ledger.write_record(ctx, "person", person_id, row, action="register_person",
                             extra=search_columns(values, number))
    person = persons.get(ctx.db, person_id)
    assert person is not None
    return person


def update_person(*, ctx: Context, person_id: str, data: dict[str, Any]) -> Person:
    """Change some fields of a person; only the fields in `data` are touched."""
    ctx.require(Permission.EDIT_PERSON)
    existing = _get_alive(ctx, person_id)
    values, messages = validate_person(ctx, data, existing=existing)
    if errors_of(messages):
        raise errors.ValidationFailed(messages)
    with transaction(ctx.db):
        _write_person(ctx, existing, values, action="update_person")
    updated = persons.get(ctx.db, person_id)
    assert updated is not None
    return updated


def _write_person(ctx: Context, existing: Person, values: dict[str, Any], *, action: str) -> dict[str, Any]:
    full = {k: getattr(existing, k) for k in Person.field_names()} | values
    return ledger.write_record(ctx, "person", existing.id, values, action=action,
                                extra=search_columns(full, existing.file_no))


def _get_alive(ctx: Context, person_id: str) -> Person:
    person = persons.get(ctx.db, person_id)
    if person is None or person.deleted:
        raise errors.NotFound()
    return person


def get_person(*, ctx: Context, person_id: str) -> Person:
    person = persons.get(ctx.db, person_id)
    if person is None:
        raise errors.NotFound()
    return person


def search_persons(*, ctx: Context, text: str, limit: int = 50) -> list[Person]:
    """People matching what was typed (names in either script, CIN, phone, file number),
    exact matches first, then prefix matches, then approximate ones."""
    hits = persons.search(ctx.db, text, limit=limit)
    found = persons.get_many(ctx.db, [h.person_id for h in hits])
    return [found[h.person_id] for h in hits if h.person_id in found]


def person_rows(db: Any, ids: list[str]) -> dict[str, Person]:
    """The records of `ids` that exist, by id (a pure read on an open connection: the UI's
    database worker calls it with the connection it owns)."""
    return persons.get_many(db, ids)


def matching_ids(db: Any, text: str, *, limit: int = 50) -> list[str]:
    """The ids of the people matching `text`, best first, as `search_persons` orders them
    (a pure read on an open connection, for the UI's lazily filled search model)."""
    return [h.person_id for h in persons.search(db, text, limit=limit)]


# --- Duplicates --------------------------------------------------------------------------

@dataclass
class DuplicateMatch:
    person: Person
    reasons: list[str] = field(default_factory=list)  # "cin", "phone", "name_birth"


REASON_LABELS = {
    "cin": N_("Same CIN"),
    "phone": N_("Same phone number"),
    "name_birth": N_("Same name and birth date"),
}


def find_duplicates(*, ctx: Context, data: dict[str, Any], exclude_id: str | None = None,
                    limit: int = 10) -> list[DuplicateMatch]:
    """Persons who may be the one described by `data`: same CIN, same phone, or same
    normalised name (in either script) with the same birth date or birth year."""
    values, _ = clean_person(data, today=ctx.today())
    found: dict[str, DuplicateMatch] = {}

    def add(pid: str, reason: str) -> None:
        if pid == exclude_id:
            return
        match = found.setdefault(pid, DuplicateMatch(person=Person()))
        if reason not in match.reasons:
            match.reasons.append(reason)

    alive = "deleted = 0 AND merged_into IS NULL"
    if values.get("cin"):
        for (pid,) in ctx.db.execute(f"SELECT id FROM person WHERE cin = ? AND {alive}", [values["cin"]]):
            add(pid, "cin")
    phones = [p for p in (values.get("phone"), values.get("phone2")) if p]
    for phone in phones:
        for (pid,) in ctx.db.execute(
                f"SELECT id FROM person WHERE (phone = ? OR phone2 = ?) AND {alive}", [phone, phone]):
            add(pid, "phone")
    for script in ("ar", "lat"):
        given, family = values.get(f"given_name_{script}", ""), values.get(f"family_name_{script}", "")
        key = normalize.name_key(given, family)
        if not key or not (values.get("birth_date") or values.get("birth_year")):
            continue
        born = values.get("birth_date")
        year = born.year if isinstance(born, date) else values.get("birth_year")
        terms = [normalize.query_token(t) for t in normalize.tokens(f"{given} {family}")]
        expr = " AND ".join(f'search_names : "{t}"' for t in terms)
        rows = ctx.db.execute(
            "SELECT p.id, p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat,"
            " p.birth_date, p.birth_year FROM person_fts JOIN person p ON p.rid = person_fts.rowid"
            f" WHERE person_fts MATCH ? AND p.{alive.replace(' AND ', ' AND p.')} LIMIT 200", [expr])
        for pid, g_ar, f_ar, g_lat, f_lat, b_date, b_year in rows:
            other = normalize.name_key(*( (g_ar, f_ar) if script == "ar" else (g_lat, f_lat)))
            if other != key:
                continue
            same_birth = (b_date == born.isoformat()) if isinstance(born, date) and b_date else (
                year is not None and (b_year == year or (b_date or "")[:4] == str(year)))
            if same_birth:
                add(pid, "name_birth")
    people = persons.get_many(ctx.db, list(found))
    out = []
    for pid, match in found.items():
        if pid in people:
            match.person = people[pid]
            out.append(match)
    out.sort(key=lambda m: (-len(m.reasons), m.person.display_name()))
    return out[:limit]


# --- Merge -------------------------------------------------------------------------------

def merge_persons(*, ctx: Context, survivor_id: str, merged_id: str) -> str:
    """Merge `merged_id` into `survivor_id`: empty fields of the survivor are filled from
    the other record, household memberships and references move over, and the other record
    is marked as merged (never deleted). Returns the merge id, for `undo_merge`."""
    ctx.require(Permission.MERGE_PERSONS)
    if survivor_id == merged_id:
        raise errors.JisrError(N_("A person cannot be merged with themselves."))
    survivor = _get_alive(ctx, survivor_id)
    merged = _get_alive(ctx, merged_id)
    if survivor.merged_into or merged.merged_into:
        raise errors.JisrError(N_("One of these persons has already been merged."))
    undo: dict[str, Any] = {"filled": {}, "memberships_added": [], "memberships_removed": [],
                            "references": []}
    with transaction(ctx.db):
        fill = {}
        for name in MERGE_FILLABLE:
            mine, theirs = getattr(survivor, name), getattr(merged, name)
            if mine in (None, "") and theirs not in (None, ""):
                fill[name] = theirs
                undo["filled"][name] = ledger.to_db(theirs)
        if fill:
            _write_person(ctx, survivor, fill, action="merge_fill")
        for mid, hid, rel in ctx.db.execute(
                "SELECT id, household_id, relationship FROM household_member"
                " WHERE person_id = ? AND deleted = 0", [merged_id]).fetchall():
            ledger.tombstone(ctx, "household_member", mid, action="merge_move_member")
            undo["memberships_removed"].append(mid)
            if not _member_id(ctx, hid, survivor_id, alive_only=True):
                new = _set_membership(ctx, hid, survivor_id, rel, action="merge_move_member")
                undo["memberships_added"].append(new)
        for table, column in PERSON_REFERENCES:
            for (rid,) in ctx.db.execute(
                    f"SELECT id FROM {table} WHERE {column} = ?", [merged_id]).fetchall():
                ledger.write_record(ctx, table, rid, {column: survivor_id}, action="merge_repoint")
                undo["references"].append([table, column, rid])
        ledger.write_record(ctx, "person", merged_id, {"merged_into": survivor_id}, action="merge_person")
        merge_id = ledger.new_id()
        ctx.db.execute(
            "INSERT INTO person_merge(id, survivor_id, merged_id, at, user_id, undo) VALUES (?,?,?,?,?,?)",
            [merge_id, survivor_id, merged_id, ctx.now().isoformat(), ctx.user.id, json.dumps(undo)])
    return merge_id


def undo_merge(*, ctx: Context, merge_id: str) -> None:
    """Reverse a merge: the merged record comes back, memberships and references return,
    and survivor fields that the merge filled are emptied again if nobody changed them since."""
    ctx.require(Permission.MERGE_PERSONS)
    row = ctx.db.execute("SELECT survivor_id, merged_id, undo, undone_at FROM person_merge WHERE id = ?",
                         [merge_id]).fetchone()
    if row is None:
        raise errors.NotFound()
    survivor_id, merged_id, undo_json, undone_at = row
    if undone_at:
        raise errors.JisrError(N_("This merge has already been undone."))
    undo = json.loads(undo_json)
    with transaction(ctx.db):
        ledger.write_record(ctx, "person", merged_id, {"merged_into": None}, action="undo_merge")
        survivor = _get_alive(ctx, survivor_id)
        restore = {name: None if name in NULLABLE else ""
                   for name, value in undo["filled"].items()
                   if ledger.to_db(getattr(survivor, name)) == value}
        if restore:
            _write_person(ctx, survivor, restore, action="undo_merge")
        for mid in undo["memberships_added"]:
            ledger.tombstone(ctx, "household_member", mid, action="undo_merge")
        for mid in undo["memberships_removed"]:
            ledger.write_record(ctx, "household_member", mid, {"deleted": 0}, action="undo_merge")
        for table, column, rid in undo["references"]:
            ledger.write_record(ctx, table, rid, {column: merged_id}, action="undo_merge")
        ctx.db.execute("UPDATE person_merge SET undone_at = ?, undone_by = ? WHERE id = ?",
                       [ctx.now().isoformat(), ctx.user.id, merge_id])


def history(*, ctx: Context, entity: str, entity_id: str) -> list[dict[str, Any]]:
    """The audit entries of one record, oldest first."""
    cur = ctx.db.execute(
        "SELECT at, user_id, action, changes FROM audit_log WHERE entity = ? AND entity_id = ?"
        " ORDER BY id", [entity, entity_id])
    return [{"at": at, "user_id": uid, "action": action, "changes": json.loads(ch)}
            for at, uid, action, ch in cur.fetchall()]

