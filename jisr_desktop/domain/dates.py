"""Calendar arithmetic shared by the services and the reports."""

from __future__ import annotations

from datetime import date, timedelta


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and the last day of a month."""
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)
