"""Helpers for the service tests: registering people of a given age on the test clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from jisr_desktop.context import Context
from jisr_desktop.domain.person import Person
from jisr_desktop.services.registry import register_person

TODAY = date(2026, 11, 2)  # the fixtures' clock starts on 2026-11-02 08:30 UTC

Register = Callable[..., Person]


@pytest.fixture
def person(system_ctx: Context) -> Register:
    """`person("Amina", birth_date=..., sex="F", cin=...)` registers someone for real."""
    counter = iter(range(1, 10_000))

    def make(given: str = "", *, family: str = "Test", **data: Any) -> Person:
        return register_person(ctx=system_ctx, data={
            "given_name_lat": given or f"Person{next(counter)}", "family_name_lat": family, **data})
    return make


@pytest.fixture
def child(person: Register) -> Register:
    def make(given: str = "", *, birth_date: date = date(2025, 3, 10), **data: Any) -> Person:
        return person(given, birth_date=birth_date, **data)
    return make
