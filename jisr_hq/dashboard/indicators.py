"""Indicators kept up to date by pushes (docs/hq.md, "Dashboard").

A push's accepted events that serve a person (a check-in at the nursery or the elderly club,
a workshop attendance marked present, a guidance visit) each add one `ServedFact` (center,
month, service, person): distinct by its unique key; a workshop attendance also adds one for
`workshop:<category>` and a visit one for `guidance:<program>`, so the pages can break the
services down without reading the events. In the same transaction the push marks
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
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import models, transaction

from jisr_hq.models import Event, IndicatorCell, IndicatorStale, Record, ServedDay, ServedFact
from jisr_protocol import Op

SERVICES = ("nursery", "club", "workshop", "guidance")
"""What a person is served by, in the order the pages show them."""
ANY = "any"
DETAIL_MAX = 40
"""A workshop category or program code longer than a catalogue code is not broken down."""
DAY_SERVICES = ("nursery", "club")
"""The services whose days open and average daily attendance the center sheet shows."""
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


def facts_of(
    center_id: uuid.UUID, entity: str, fields: dict[str, Any], categories: Mapping[str, str]
) -> list[ServedFact]:
    """The facts one event adds: its service and, for a workshop attendance, the workshop's
    category (`categories`: session id → category code) or, for a visit, its program."""
    svc = service_of(entity, fields)
    person, day = fields.get("person_id"), fields.get("day")
    person_id = _uuid(person) if person else None
    if not svc or person_id is None or not isinstance(day, str) or len(day) < 7:
        return []
    month = day[:7]
    services = [svc]
    detail = None
    if svc == "workshop":
        detail = categories.get(str(fields.get("session_id")))
    elif svc == "guidance":
        detail = fields.get("program_code")
    if isinstance(detail, str) and detail and len(detail) <= DETAIL_MAX:
        services.append(f"{svc}:{detail}")
    return [
        ServedFact(center_id=center_id, month=month, service=s, person_id=person_id)
        for s in services
    ]


def day_of(center_id: uuid.UUID, entity: str, fields: dict[str, Any]) -> ServedDay | None:
    """A nursery or club check-in as one person present on one day (for days open and the
    average daily attendance)."""
    if entity != "check_in" or fields.get("service") not in DAY_SERVICES:
        return None
    person_id, day = _uuid(fields.get("person_id")), fields.get("day")
    if person_id is None or not isinstance(day, str) or len(day) != 10:
        return None
    return ServedDay(center_id=center_id, day=day, service=fields["service"], person_id=person_id)


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _uuids(values: Iterable[object]) -> list[uuid.UUID]:
    """The distinct values that are ids (a malformed one is left out)."""
    return [u for u in map(_uuid, set(values)) if u is not None]


def session_categories(
    center_id: uuid.UUID, session_ids: Iterable[str] | None = None
) -> dict[str, str]:
    """Workshop session id → its workshop's category code, from the center's synced records
    (`session_ids` None: every session of the center)."""
    sessions = Record.objects.filter(
        center_id=center_id, partition="center", entity="workshop_session"
    )
    if session_ids is not None:
        wanted = _uuids(session_ids)
        if not wanted:
            return {}
        sessions = sessions.filter(entity_id__in=wanted)
    workshop_of = {
        str(sid): str((f or {}).get("workshop_id")) for sid, f in sessions.values_list(
            "entity_id", "fields")
    }
    ids = _uuids(workshop_of.values())
    category = {
        str(wid): (f or {}).get("category_code")
        for wid, f in Record.objects.filter(
            center_id=center_id, partition="center", entity="workshop", entity_id__in=ids
        ).values_list("entity_id", "fields")
    }
    return {
        sid: cat for sid, wid in workshop_of.items()
        if isinstance(cat := category.get(wid), str) and cat
    }


def after_push(center_id: uuid.UUID, ops: Iterable[Op], rejected: dict[str, str]) -> None:
    """Update the indicators for the accepted ops of one batch (inside its transaction)."""
    facts: list[ServedFact] = []
    persons: set[uuid.UUID] = set()
    accepted = [op for op in ops if str(op.seq) not in rejected]
    sessions = [
        str(op.patch.get("session_id"))
        for op in accepted
        if op.entity == "attendance" and op.kind == "event"
    ]
    categories = session_categories(center_id, sessions) if sessions else {}
    days: list[ServedDay] = []
    for op in accepted:
        if op.entity in EVENT_ENTITIES and op.kind == "event":
            fields = dict(op.patch)
            facts.extend(facts_of(center_id, op.entity, fields, categories))
            if (present := day_of(center_id, op.entity, fields)) is not None:
                days.append(present)
        elif op.entity == "person":
            persons.add(op.entity_id)
    if not facts and not persons:
        return
    ServedFact.objects.bulk_create(facts, ignore_conflicts=True)
    ServedDay.objects.bulk_create(days, ignore_conflicts=True)
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
    _count_days(counts, center_id, month)
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


def _count_days(counts: Counter[tuple[str, str]], center_id: uuid.UUID, month: str) -> None:
    """Days open (a day with at least one check-in) and person-days present, per service and
    for the center (`days_open`, `present_days`; the page divides one by the other)."""
    open_days: set[str] = set()
    for day, service, n in (
        ServedDay.objects.filter(center_id=center_id, day__startswith=month + "-")
        .values("day", "service")
        .annotate(n=models.Count("person_id"))
        .values_list("day", "service", "n")
    ):
        open_days.add(day)
        counts[("days_open", f"service:{service}")] += 1
        counts[("present_days", f"service:{service}")] += n
    if open_days:
        counts[("days_open", "all")] = len(open_days)


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
            ServedDay.objects.all().delete()
            IndicatorCell.objects.all().delete()
        else:
            ServedFact.objects.filter(center_id__in=list(center_ids)).delete()
            ServedDay.objects.filter(center_id__in=list(center_ids)).delete()
            IndicatorCell.objects.filter(center_id__in=list(center_ids)).delete()
        batch: list[ServedFact] = []
        present: list[ServedDay] = []
        categories: dict[uuid.UUID, dict[str, str]] = {}
        for center_id, entity, fields in events.values_list(
            "center_id", "entity", "fields"
        ).order_by("center_id").iterator(chunk_size=5000):
            if center_id not in categories:
                categories = {center_id: session_categories(center_id)}  # one center at a time
            batch.extend(facts_of(center_id, entity, fields or {}, categories[center_id]))
            if (day := day_of(center_id, entity, fields or {})) is not None:
                present.append(day)
            if len(present) >= 5000:
                ServedDay.objects.bulk_create(present, ignore_conflicts=True)
                present = []
            if len(batch) >= 5000:
                ServedFact.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        ServedFact.objects.bulk_create(batch, ignore_conflicts=True)
        ServedDay.objects.bulk_create(present, ignore_conflicts=True)
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
