"""Capacity and waitlists, shared by the nursery, the elderly club and workshops (pure).

A place is given in the order people asked for it (`requested_at`, then id so that two
desktops agree on ties); when a place frees, the first eligible person waiting moves up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from jisr_desktop.i18n import N_


class EnrollmentStatus(StrEnum):
    WAITLISTED = "waitlisted"
    ACTIVE = "active"
    ENDED = "ended"


STATUS_LABELS = {
    EnrollmentStatus.WAITLISTED: N_("On the waitlist"),
    EnrollmentStatus.ACTIVE: N_("Enrolled"),
    EnrollmentStatus.ENDED: N_("Ended"),
}


@dataclass(frozen=True)
class WaitlistEntry:
    enrollment_id: str
    person_id: str
    requested_at: str


def has_place(active_count: int, capacity: int | None) -> bool:
    """None means no limit."""
    return capacity is None or active_count < capacity


def admission_status(active_count: int, capacity: int | None) -> EnrollmentStatus:
    return EnrollmentStatus.ACTIVE if has_place(active_count, capacity) else EnrollmentStatus.WAITLISTED


def waitlist_order(entries: Iterable[WaitlistEntry]) -> list[WaitlistEntry]:
    return sorted(entries, key=lambda e: (e.requested_at, e.enrollment_id))


def promotions(entries: Iterable[WaitlistEntry], *, active_count: int, capacity: int | None,
               eligible: Callable[[WaitlistEntry], bool] = lambda e: True) -> list[WaitlistEntry]:
    """Who moves up now: the first eligible entries, as many as there are free places.
    Ineligible entries (a child who turned three while waiting) keep their place in line
    but are skipped, so one blocked entry never blocks the others."""
    ordered = waitlist_order(entries)
    free = len(ordered) if capacity is None else max(0, capacity - active_count)
    chosen: list[WaitlistEntry] = []
    for entry in ordered:
        if len(chosen) >= free:
            break
        if eligible(entry):
            chosen.append(entry)
    return chosen


def position(entries: Iterable[WaitlistEntry], enrollment_id: str) -> int | None:
    """1-based place in line, or None when not waiting."""
    for i, entry in enumerate(waitlist_order(entries), start=1):
        if entry.enrollment_id == enrollment_id:
            return i
    return None
