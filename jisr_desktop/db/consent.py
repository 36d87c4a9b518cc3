"""Reads of the stored consents (`consent`, migration 0100; written by `services/consent.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from jisr_desktop.db import rows
from jisr_desktop.domain.consent import Consent, State


@dataclass(frozen=True)
class ConsentRow:
    """One stored consent, with its state on the day it was read."""

    id: str
    person_id: str
    purpose: str
    service: str
    given_on: date
    expires_on: date | None
    withdrawn_on: date | None
    guardian_id: str | None
    recorded_by: str
    state: State

    def rule(self) -> Consent:
        return Consent(self.purpose, given_on=self.given_on, expires_on=self.expires_on,
                       withdrawn_on=self.withdrawn_on, guardian_id=self.guardian_id,
                       service=self.service)


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _row(found: dict[str, Any], on: date) -> ConsentRow:
    given = date.fromisoformat(found["given_on"])
    expires, withdrawn = _day(found["expires_on"]), _day(found["withdrawn_on"])
    rule = Consent(found["purpose"], given_on=given, expires_on=expires, withdrawn_on=withdrawn)
    return ConsentRow(id=found["id"], person_id=found["person_id"], purpose=found["purpose"],
                      service=found["service"] or "", given_on=given, expires_on=expires,
                      withdrawn_on=withdrawn, guardian_id=found["guardian_id"],
                      recorded_by=found["recorded_by"], state=rule.state(on))


def of_person(db: sqlite_utils.Database, person_id: str, on: date) -> list[ConsentRow]:
    """Every live consent recorded for the person, oldest first, with its state on `on`."""
    found = rows.dicts(db.execute(
        "SELECT * FROM consent WHERE person_id = ? AND deleted = 0"
        " ORDER BY given_on, created_at, id", [person_id]))
    return [_row(r, on) for r in found]


def newest_per_purpose(db: sqlite_utils.Database, person_id: str, on: date) -> list[ConsentRow]:
    """The newest consent given for each (purpose, service), in the order first given."""
    newest: dict[tuple[str, str], ConsentRow] = {}
    for row in of_person(db, person_id, on):
        if row.given_on <= on:
            newest[(row.purpose, row.service)] = row
    return list(newest.values())
