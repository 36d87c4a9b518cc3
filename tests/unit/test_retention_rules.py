"""Retention (issue 17, point 5, rules only): the default periods are those docs/privacy.md
states, and a purge never removes what an open case or a legal hold needs."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from jisr_desktop.domain import retention as rules
from jisr_desktop.domain.retention import Category

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"
ROWS = {  # the first words of each row of the doc's table, per category
    Category.REGISTRATION: "Registration of a person", Category.VISITS: "Reception visits",
    Category.FOLLOWUP: "Follow-up cases", Category.SEALED: "Sealed content",
    Category.NURSERY: "Nursery enrolment", Category.ATTENDANCE: "Elderly club",
    Category.PHOTOS: "Photos", Category.AUDIT: "Audit log",
}


def test_the_defaults_are_those_of_the_privacy_document() -> None:
    text = DOC.read_text(encoding="utf-8")
    for category, start in ROWS.items():
        [row] = [line for line in text.splitlines() if line.startswith(f"| {start}")]
        amount, unit = re.search(r"\| (\d+) (year|years|month|months)", row).groups()  # type: ignore[union-attr]
        months = int(amount) * (12 if unit.startswith("year") else 1)
        assert rules.DEFAULT_MONTHS[category] == months, category
    assert set(ROWS) == set(Category)


def test_a_record_goes_only_once_its_period_has_passed() -> None:
    ended = date(2021, 3, 15)
    assert not rules.may_purge("visits", ended_on=ended, today=date(2024, 3, 14))
    assert rules.may_purge("visits", ended_on=ended, today=date(2024, 3, 15))
    assert not rules.may_purge("registration", ended_on=ended, today=date(2024, 3, 15))


def test_an_open_case_or_a_legal_hold_keeps_everything() -> None:
    old = date(2000, 1, 1)
    today = date(2026, 1, 1)
    assert rules.may_purge("followup", ended_on=old, today=today)
    assert not rules.may_purge("followup", ended_on=old, today=today, open_case=True)
    assert not rules.may_purge("sealed", ended_on=old, today=today, legal_hold=True)
    assert not rules.may_purge("followup", ended_on=None, today=today)  # never ended: an open case


def test_months_are_added_on_the_calendar() -> None:
    assert rules.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert rules.add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert rules.add_months(date(2025, 12, 1), 12) == date(2026, 12, 1)
