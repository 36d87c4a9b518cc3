"""Household use cases: create a household, add and remove members, choose the head."""

from __future__ import annotations

from dataclasses import dataclass

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import meta, persons
from jisr_desktop.db.connection import transaction
from jisr_desktop.domain.person import Person, Relationship
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_
from jisr_desktop.services.text import refuse_control


@dataclass
class Member:
    person: Person
    relationship: str
    is_head: bool


@dataclass
class Household:
    id: str
    name: str
    head_person_id: str | None
    rsu_ref: str
    address: str
    province_code: str | None
    members: list[Member]


def member_id(ctx: Context, household_id: str, person_id: str, *, alive_only: bool = False) -> str | None:
    sql = "SELECT id FROM household_member WHERE household_id = ? AND person_id = ?"
    if alive_only:
        sql += " AND deleted = 0"
    row = ctx.db.execute(sql, [household_id, person_id]).fetchone()
    return row[0] if row else None


def set_membership(ctx: Context, household_id: str, person_id: str, relationship: str, *,
                   action: str) -> str:
    """Add (or bring back) a membership; its id is deterministic so that two desktops adding
    the same person to the same household converge on one row."""
    mid = ledger.deterministic_id("household_member", household_id, person_id)
    ledger.write_record(ctx, "household_member", mid,
                         {"household_id": household_id, "person_id": person_id,
                          "relationship": relationship, "deleted": 0,
                          "center_id": meta.get(ctx.db, "center_id")}, action=action)
    return mid


def _check_relationship(relationship: str) -> str:
    try:
        return Relationship(relationship).value
    except ValueError:
        raise errors.JisrError(N_("Choose the relationship from the list."), field="relationship") from None


def _alive_person(ctx: Context, person_id: str) -> Person:
    person = persons.get(ctx.db, person_id)
    if person is None or person.deleted or person.merged_into:
        raise errors.NotFound()
    return person


def create_household(*, ctx: Context, head_person_id: str, name: str = "", rsu_ref: str = "",
                     address: str = "", province_code: str | None = None) -> Household:
    """A new household with its head as first member."""
    ctx.require(Permission.MANAGE_HOUSEHOLDS)
    refuse_control({"name": name, "rsu_ref": rsu_ref, "address": address},
                   {"name": N_("Name"), "rsu_ref": N_("RSU number"), "address": N_("Address")})
    head = _alive_person(ctx, head_person_id)
    household_id = ledger.new_id()
    with transaction(ctx.db):
        ledger.write_record(ctx, "household", household_id, {
            "name": name.strip() or head.family_name_ar or head.family_name_lat,
            "head_person_id": head_person_id, "rsu_ref": rsu_ref.strip(),
            "address": address.strip() or head.address,
            "province_code": province_code or head.province_code,
            "center_id": meta.get(ctx.db, "center_id")}, action="create_household")
        set_membership(ctx, household_id, head_person_id, Relationship.HEAD, action="add_member")
    return get_household(ctx=ctx, household_id=household_id)


def add_member(*, ctx: Context, household_id: str, person_id: str, relationship: str) -> Household:
    ctx.require(Permission.MANAGE_HOUSEHOLDS)
    rel = _check_relationship(relationship)
    _alive_person(ctx, person_id)
    get_household(ctx=ctx, household_id=household_id)
    with transaction(ctx.db):
        set_membership(ctx, household_id, person_id, rel, action="add_member")
    return get_household(ctx=ctx, household_id=household_id)


def remove_member(*, ctx: Context, household_id: str, person_id: str) -> Household:
    """Take a person out of a household (a tombstone: the history stays)."""
    ctx.require(Permission.MANAGE_HOUSEHOLDS)
    mid = member_id(ctx, household_id, person_id, alive_only=True)
    if mid is None:
        raise errors.NotFound()
    with transaction(ctx.db):
        ledger.tombstone(ctx, "household_member", mid, action="remove_member")
        head = ctx.db.execute("SELECT head_person_id FROM household WHERE id = ?", [household_id]).fetchone()
        if head and head[0] == person_id:
            ledger.write_record(ctx, "household", household_id, {"head_person_id": None},
                                 action="remove_member")
    return get_household(ctx=ctx, household_id=household_id)


def set_head(*, ctx: Context, household_id: str, person_id: str) -> Household:
    ctx.require(Permission.MANAGE_HOUSEHOLDS)
    if member_id(ctx, household_id, person_id, alive_only=True) is None:
        raise errors.JisrError(N_("The head of household must be a member of it."), field="head")
    with transaction(ctx.db):
        ledger.write_record(ctx, "household", household_id, {"head_person_id": person_id},
                             action="set_head")
        set_membership(ctx, household_id, person_id, Relationship.HEAD, action="set_head")
    return get_household(ctx=ctx, household_id=household_id)


def get_household(*, ctx: Context, household_id: str) -> Household:
    row = ctx.db.execute(
        "SELECT id, name, head_person_id, rsu_ref, address, province_code FROM household"
        " WHERE id = ? AND deleted = 0", [household_id]).fetchone()
    if row is None:
        raise errors.NotFound()
    members_rows = ctx.db.execute(
        "SELECT person_id, relationship FROM household_member WHERE household_id = ? AND deleted = 0"
        " ORDER BY rid", [household_id]).fetchall()
    people = persons.get_many(ctx.db, [r[0] for r in members_rows])
    members = [Member(people[pid], rel, pid == row[2]) for pid, rel in members_rows if pid in people]
    return Household(row[0], row[1], row[2], row[3], row[4], row[5], members)


def households_of(*, ctx: Context, person_id: str) -> list[Household]:
    rows = ctx.db.execute(
        "SELECT household_id FROM household_member WHERE person_id = ? AND deleted = 0", [person_id])
    return [get_household(ctx=ctx, household_id=r[0]) for r in rows.fetchall()]
