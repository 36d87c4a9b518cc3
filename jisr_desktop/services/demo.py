"""Deterministic demo data: families with plausible ages and relationships (`jisr demo`)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from jisr_desktop import ledger
from jisr_desktop.context import Context
from jisr_desktop.db import meta
from jisr_desktop.db.connection import transaction
from jisr_desktop.domain.person import Relationship, search_columns
from jisr_desktop.services.demo_names import DISABILITY_TYPES, FAMILY, FEMALE, MALE, STREETS
from jisr_desktop.services.households import set_membership


def _spell(rng: random.Random, names: list[str]) -> str:
    # The first spelling is the usual one; variants appear as they do in real registers.
    return names[0] if rng.random() < 0.7 or len(names) == 1 else rng.choice(names[1:])


def _birth(rng: random.Random, today: date, age_min: int, age_max: int) -> date:
    days = rng.randint(age_min * 365, age_max * 365 + 364)
    return today - timedelta(days=days)


def _phone(rng: random.Random) -> str:
    return f"+212{rng.choice('67')}{rng.randint(0, 99_999_999):08d}"


def _cin(rng: random.Random) -> str:
    letters = rng.choice(["A", "B", "BE", "BK", "C", "CD", "D", "E", "EE", "F", "G", "H", "I", "J",
                          "JA", "K", "L", "M", "N", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z"])
    return f"{letters}{rng.randint(1000, 999_999)}"


def make_demo(*, ctx: Context, persons: int, seed: int = 1, batch: int = 2000,
              progress: Callable[[int], None] | None = None) -> int:
    """Register about `persons` persons in families; returns how many were made. The same
    seed on an empty database gives the same names, dates and households."""
    rng = random.Random(seed)
    today = ctx.today()
    provinces = [r[0] for r in ctx.db.execute(
        "SELECT code FROM admin_division WHERE kind != 'region' ORDER BY code")]
    center_id = meta.get(ctx.db, "center_id")
    center_code = meta.get(ctx.db, "center_code", "DEMO")
    made = 0
    pending: list[list[dict[str, Any]]] = []

    def flush() -> None:
        nonlocal made
        with transaction(ctx.db):
            for family in pending:
                _write_family(ctx, family, center_id)
                made += len(family)
        pending.clear()
        if progress:
            progress(made)

    queued = 0
    while made + queued < persons:
        family = _family(rng, today, provinces, min(persons - made - queued, 9))
        for person in family:
            person["file_no"] = f"{center_code}-DEMO-{made + queued + 1:06d}"
            queued += 1
        pending.append(family)
        if queued >= batch:
            flush()
            queued = 0
    if pending:
        flush()
    return made


def _person(rng: random.Random, today: date, sex: str, family: tuple[str, list[str]],
            born: date, province: str, address: str) -> dict[str, Any]:
    given = rng.choice(MALE if sex == "M" else FEMALE)
    adult = (today - born).days >= 18 * 365
    person: dict[str, Any] = {
        "given_name_ar": given[0], "family_name_ar": family[0],
        "given_name_lat": _spell(rng, given[1]), "family_name_lat": _spell(rng, family[1]),
        "sex": sex, "province_code": province, "address": address,
    }
    if rng.random() < 0.85:
        person["birth_date"] = born
    else:
        person["birth_year"] = born.year
    if adult:
        if rng.random() < 0.9:
            person["cin"] = _cin(rng)
        if rng.random() < 0.8:
            person["phone"] = _phone(rng)
    if rng.random() < 0.04:
        person["disability"] = True
        person["disability_type"] = rng.choice(DISABILITY_TYPES)
    if rng.random() < 0.05 and not adult:
        person.pop("given_name_lat")  # some children are registered in Arabic only
    return person


def _family(rng: random.Random, today: date, provinces: list[str], size_cap: int) -> list[dict[str, Any]]:
    family = rng.choice(FAMILY)
    province = rng.choice(provinces)
    address = f"{rng.choice(STREETS)} {rng.randint(1, 250)}"
    head_age = rng.randint(25, 75)
    head_sex = "M" if rng.random() < 0.8 else "F"
    members = [(_person(rng, today, head_sex, family, _birth(rng, today, head_age, head_age), province, address),
                Relationship.HEAD)]
    if rng.random() < 0.75 and size_cap > 1:
        spouse_age = max(18, head_age + rng.randint(-8, 3))
        spouse_family = rng.choice(FAMILY) if head_sex == "M" else family
        members.append((_person(rng, today, "F" if head_sex == "M" else "M", spouse_family,
                                _birth(rng, today, spouse_age, spouse_age), province, address),
                        Relationship.SPOUSE))
    children = rng.randint(0, 5)
    for _ in range(children):
        if len(members) >= size_cap:
            break
        age = rng.randint(0, max(0, min(head_age - 18, 30)))
        members.append((_person(rng, today, rng.choice("FM"), family, _birth(rng, today, age, age),
                                province, address), Relationship.CHILD))
    if rng.random() < 0.15 and head_age < 55 and len(members) < size_cap:
        age = head_age + rng.randint(20, 30)
        members.append((_person(rng, today, rng.choice("FM"), family, _birth(rng, today, age, age),
                                province, address), Relationship.PARENT))
    out = []
    for person, rel in members[:size_cap]:
        person["_relationship"] = rel
        out.append(person)
    return out


def _write_family(ctx: Context, family: list[dict[str, Any]], center_id: str | None) -> None:
    ids = []
    for person in family:
        rel = person.pop("_relationship")
        pid = ledger.new_id()
        file_no = person.pop("file_no")
        row = person | {"center_id": center_id, "file_no": file_no}
        ledger.write_record(ctx, "person", pid, row, action="demo_person",
                             extra=search_columns(person, file_no))
        ids.append((pid, rel))
    if len(ids) > 1:
        household_id = ledger.new_id()
        head = ids[0][0]
        ledger.write_record(ctx, "household", household_id, {
            "name": family[0]["family_name_ar"], "head_person_id": head,
            "address": family[0]["address"], "province_code": family[0]["province_code"],
            "center_id": center_id}, action="demo_household")
        for pid, rel in ids:
            set_membership(ctx, household_id, pid, rel, action="demo_household")
