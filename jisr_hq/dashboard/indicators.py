"""Indicators kept up to date by pushes (docs/hq.md, "Dashboard").

A push's accepted events that serve a person (a check-in at the nursery or the elderly club,
a workshop attendance marked present, a guidance visit) each add one `ServedFact` (center,
month, service, person): distinct by its unique key. In the same transaction the push marks
every (center, month) it touched as stale (`IndicatorStale`); the first page that reads those
centers recomputes the `IndicatorCell` counts of the stale pairs only, from their facts and the
persons' sex and age, once: the work is bounded by one center-month, never the whole country,
a push stays cheap however many batches it has, and pages without new pushes compute nothing.
A person's edit (sex, birth date) touches the months that person was served. `jisr-hq rebuild-indicators` recomputes everything from the
synced rows.

The counselling partition never enters: only the events above and `person` records of the
center partition are read.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from jisr_hq.models import Event, IndicatorCell, IndicatorStale, Record, ServedFact
from jisr_protocol import Op

SERVICES = ("nursery", "club", "workshop", "guidance")
"""What a person is served by, in the order the pages show them."""
ANY = "any"
AGE_BANDS = ((0, 5, "0-5"), (6, 17, "6-17"), (18, 59, "18-59"), (60, 200, "60+"))
EVENT_ENTITIES = ("check_in", "attendance", "visit")


def service_of(entity: str, fields: dict[str, Any]) -> str | None:
    """The service an event serves a person by, or None (an absence, another context)."""
    if entity == "check_in":
        svc = fields.get("service")
        return svc if svc in ("nursery", "club") else None
    if entity == "attendance":
        ok = fields.get("context") == "workshop" and fields.get("status") in ("present", "late")
        return "workshop" if ok else None
    if entity == "visit":
        return "guidance"
    return None


def fact_of(center_id: uuid.UUID, entity: str, fields: dict[str, Any]) -> ServedFact | None:
    svc = service_of(entity, fields)
    person, day = fields.get("person_id"), fields.get("day")
    if not svc or not person or not isinstance(day, str) or len(day) < 7:
        return None
    try:
        person_id = uuid.UUID(str(person))
    except ValueError:
        return None
    return ServedFact(center_id=center_id, month=day[:7], service=svc, person_id=person_id)


def after_push(center_id: uuid.UUID, ops: Iterable[Op], rejected: dict[str, str]) -> None:
    """Update the indicators for the accepted ops of one batch (inside its transaction)."""
    facts: list[ServedFact] = []
    persons: set[uuid.UUID] = set()
    for op in ops:
        if str(op.seq) in rejected:
            continue
        if op.entity in EVENT_ENTITIES and op.kind == "event":
            fact = fact_of(center_id, op.entity, dict(op.patch))
            if fact:
                facts.append(fact)
        elif op.entity == "person":
            persons.add(op.entity_id)
    if not facts and not persons:
        return
    ServedFact.objects.bulk_create(facts, ignore_conflicts=True)
    months = {f.month for f in facts}
    if persons:
        months |= set(
            ServedFact.objects.filter(center_id=center_id, person_id__in=persons)
            .values_list("month", flat=True)
            .distinct()
        )
    IndicatorStale.objects.bulk_create(
        [IndicatorStale(center_id=center_id, month=m) for m in sorted(months)],
        ignore_conflicts=True,
    )


def refresh_stale(center_ids: Iterable[uuid.UUID]) -> int:
    """Recompute the cells of these centers that pushes made out of date; returns how many
    (center, month) pairs were recomputed. A pair marked again by a push while it is being
    recomputed stays marked for the next reader."""
    done = 0
    stale = IndicatorStale.objects.filter(center_id__in=list(center_ids))
    for pk, center_id, month in stale.values_list("pk", "center_id", "month"):
        with transaction.atomic():
            if IndicatorStale.objects.filter(pk=pk).delete()[0]:
                refresh(center_id, month)
                done += 1
    return done


def _age_band(person: dict[str, Any], month: str) -> str:
    year = None
    birth = person.get("birth_date")
    if isinstance(birth, str) and len(birth) >= 4 and birth[:4].isdigit():
        year = int(birth[:4])
    elif isinstance(person.get("birth_year"), int):
        year = person["birth_year"]
    if year is None:
        return "unknown"
    age = int(month[:4]) - year
    for low, high, name in AGE_BANDS:
        if low <= age <= high:
            return name
    return "unknown"


def _sex(person: dict[str, Any]) -> str:
    sex = person.get("sex")
    return sex if sex in ("F", "M") else "unknown"


def refresh(center_id: uuid.UUID, month: str) -> None:
    """Recompute the cells of one (center, month) from its facts."""
    facts = list(
        ServedFact.objects.filter(center_id=center_id, month=month).values_list(
            "service", "person_id"
        )
    )
    ids = {pid for _, pid in facts}
    people: dict[uuid.UUID, dict[str, Any]] = {}
    for chunk in _chunks(sorted(ids), 2000):
        for pid, fields in Record.objects.filter(
            center_id=center_id, partition="center", entity="person", entity_id__in=chunk
        ).values_list("entity_id", "fields"):
            people[pid] = fields or {}
    counts: Counter[tuple[str, str]] = Counter()
    by_any: dict[uuid.UUID, None] = {}
    for service, pid in facts:
        by_any[pid] = None
        _count(counts, service, people.get(pid, {}), month)
    for pid in by_any:
        _count(counts, ANY, people.get(pid, {}), month)
    with transaction.atomic():
        IndicatorCell.objects.filter(center_id=center_id, month=month).delete()
        IndicatorCell.objects.bulk_create(
            IndicatorCell(center_id=center_id, month=month, indicator=ind, breakdown=brk, value=n)
            for (ind, brk), n in counts.items()
        )


def _count(
    counts: Counter[tuple[str, str]], service: str, person: dict[str, Any], month: str
) -> None:
    indicator = f"served:{service}"
    counts[(indicator, "all")] += 1
    counts[(indicator, "sex:" + _sex(person))] += 1
    counts[(indicator, "age:" + _age_band(person, month))] += 1


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for at in range(0, len(items), size):
        yield items[at : at + size]


def rebuild(center_ids: Iterable[uuid.UUID] | None = None) -> int:
    """Recompute every fact and cell from the synced events; returns the cells written."""
    events = Event.objects.filter(entity__in=EVENT_ENTITIES)
    if center_ids is not None:
        events = events.filter(center_id__in=list(center_ids))
    with transaction.atomic():
        if center_ids is None:
            ServedFact.objects.all().delete()
            IndicatorCell.objects.all().delete()
        else:
            ServedFact.objects.filter(center_id__in=list(center_ids)).delete()
            IndicatorCell.objects.filter(center_id__in=list(center_ids)).delete()
        batch: list[ServedFact] = []
        for center_id, entity, fields in events.values_list(
            "center_id", "entity", "fields"
        ).iterator(chunk_size=5000):
            fact = fact_of(center_id, entity, fields or {})
            if fact:
                batch.append(fact)
            if len(batch) >= 5000:
                ServedFact.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        ServedFact.objects.bulk_create(batch, ignore_conflicts=True)
        stale = IndicatorStale.objects.all()
        if center_ids is not None:
            stale = stale.filter(center_id__in=list(center_ids))
        stale.delete()
        pairs = set(ServedFact.objects.values_list("center_id", "month").distinct())
        for center_id, month in sorted(pairs):
            refresh(center_id, month)
    return IndicatorCell.objects.count()


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
