"""Dates on paper as each language writes them."""

from __future__ import annotations

from datetime import date

from jisr_desktop.reports.formatting import format_day


def test_the_first_of_the_month_is_written_1er_in_french() -> None:
    assert format_day(date(2026, 11, 1), "fr") == "1er novembre 2026"
    assert format_day(date(2026, 11, 1), "fr", "full") == "dimanche 1er novembre 2026"
    # other days, other years' 1s and other languages are untouched
    assert format_day(date(2026, 11, 2), "fr") == "2 novembre 2026"
    assert format_day(date(2021, 1, 11), "fr") == "11 janvier 2021"
    assert format_day(date(2026, 11, 1), "ar") == "1 نونبر 2026"
