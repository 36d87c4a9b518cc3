"""Reading the append-only attendance events (check-in, check-out, alert acknowledgement,
attendance marks) as they stand after their corrections.

Events are never edited: a correction (`event_correction`) voids or amends one, and every
reader goes through `effective_events`, which applies them (`domain.attendance.effective`).
Recording events and corrections is `services.attendance`'s job; the services and the reports
both read here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from jisr_desktop.db.rows import query
from jisr_desktop.domain.attendance import Correction, effective


def corrections_for(db: sqlite_utils.Database, ids: list[str]) -> dict[str, list[Correction]]:
    out: dict[str, list[Correction]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for r in query(db, "SELECT id, target_id, kind, at, patch, reason FROM event_correction"
                          f" WHERE target_id IN ({','.join('?' * len(chunk))})", chunk):
            out.setdefault(r["target_id"], []).append(
                Correction(id=r["id"], target_id=r["target_id"], kind=r["kind"], at=r["at"],
                           patch=json.loads(r["patch"]), reason=r["reason"]))
    return out


def effective_events(db: sqlite_utils.Database, table: str, where: str,
                     params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """Events of `table` matching `where`, corrected, voided ones left out."""
    found = query(db, f"SELECT * FROM {table} WHERE {where} ORDER BY at, id", params)
    corr = corrections_for(db, [r["id"] for r in found])
    out = []
    for r in found:
        current = effective(r, corr.get(r["id"], [])) if r["id"] in corr else r
        if current is not None:
            out.append(current)
    return out


def acknowledged(db: sqlite_utils.Database, check_in_ids: list[str]) -> set[str]:
    out: set[str] = set()
    for start in range(0, len(check_in_ids), 500):
        chunk = check_in_ids[start:start + 500]
        out |= {r[0] for r in db.execute(
            f"SELECT check_in_id FROM alert_ack WHERE check_in_id IN ({','.join('?' * len(chunk))})", chunk)}
    return out


@dataclass(frozen=True)
class Stay:
    """One stay of a day: in, and out if the person left."""

    check_in: dict[str, Any]
    check_out: dict[str, Any] | None


@dataclass(frozen=True)
class Visit:
    """One person's day at a service: its latest stay (the check-in, its check-out if any,
    acknowledged or not) and the earlier stays of the day (left and came back), oldest first."""

    check_in: dict[str, Any]
    check_out: dict[str, Any] | None
    acknowledged: bool
    earlier: tuple[Stay, ...] = ()


def visits(db: sqlite_utils.Database, service: str, day: date) -> dict[str, Visit]:
    """The day's live visits of a service, by person id (derived from events)."""
    ins = effective_events(db, "check_in", "day = ? AND service = ?", [day.isoformat(), service])
    outs = {o["check_in_id"]: o for o in
            effective_events(db, "check_out", "day = ? AND service = ?", [day.isoformat(), service])}
    acks = acknowledged(db, [i["id"] for i in ins])
    stays: dict[str, list[dict[str, Any]]] = {}
    for i in sorted(ins, key=lambda e: (e["at"], e["id"])):
        stays.setdefault(i["person_id"], []).append(i)
    out = {}
    for person_id, day_ins in stays.items():
        last = day_ins[-1]
        out[person_id] = Visit(last, outs.get(last["id"]), last["id"] in acks,
                               tuple(Stay(i, outs.get(i["id"])) for i in day_ins[:-1]))
    return out


def marks_of(db: sqlite_utils.Database, session_ids: list[str]) -> dict[tuple[str, str], dict[str, Any]]:
    """Live marks keyed by (session id, person id)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for start in range(0, len(session_ids), 500):
        chunk = session_ids[start:start + 500]
        for m in effective_events(db, "attendance", f"session_id IN ({','.join('?' * len(chunk))})", chunk):
            out[(m["session_id"], m["person_id"])] = m
    return out
