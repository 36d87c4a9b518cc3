"""Retention periods per data category and the rule of what a purge may remove
(docs/privacy.md, "Retention").

A record may go once its category's period has passed since the end of the relationship (the
last activity, the closing of a case), and never while an open case or a legal hold needs it.
Only these rules exist yet: the settings, the purge preview and the purge are not built.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class Category(StrEnum):
    REGISTRATION = "registration"
    VISITS = "visits"
    FOLLOWUP = "followup"
    SEALED = "sealed"
    NURSERY = "nursery"
    ATTENDANCE = "attendance"
    PHOTOS = "photos"
    AUDIT = "audit"


DEFAULT_MONTHS: dict[Category, int] = {
    Category.REGISTRATION: 60,
    Category.VISITS: 36,
    Category.FOLLOWUP: 60,
    Category.SEALED: 60,
    Category.NURSERY: 12,
    Category.ATTENDANCE: 36,
    Category.PHOTOS: 12,
    Category.AUDIT: 120,
}
"""The defaults written in docs/privacy.md (a test keeps the two the same)."""


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when that day does not exist)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def may_purge(category: str, *, ended_on: date | None, today: date, open_case: bool = False,
              legal_hold: bool = False, months: dict[Category, int] | None = None) -> bool:
    """Whether a record of `category` whose relationship ended on `ended_on` may be purged."""
    if open_case or legal_hold or ended_on is None:
        return False
    period = (months or DEFAULT_MONTHS)[Category(category)]
    return add_months(ended_on, period) <= today
