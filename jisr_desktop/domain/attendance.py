"""Append-only events and their corrections, and the age bands of the counts (pure).

An event (check-in, check-out, attendance mark) is never edited. A correction is a new
event: `void` cancels its target, `amend` replaces some of its fields. The state shown is
the event with its corrections applied in order, so every desktop derives the same state
from the same events whatever order they arrived in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from jisr_desktop.domain.messages import FieldMessage
from jisr_desktop.i18n import N_, translate

MIN_REASON = 3


class CorrectionKind(StrEnum):
    VOID = "void"
    AMEND = "amend"


@dataclass(frozen=True)
class Correction:
    id: str
    target_id: str
    kind: str
    at: str
    patch: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


def effective(event: dict[str, Any], corrections: Iterable[Correction]) -> dict[str, Any] | None:
    """`event` as corrected, or None when voided. Corrections apply in (time, id) order;
    a void is final."""
    current = dict(event)
    for corr in sorted(corrections, key=lambda c: (c.at, c.id)):
        if corr.target_id != event.get("id"):
            continue
        if corr.kind == CorrectionKind.VOID:
            return None
        current.update({k: v for k, v in corr.patch.items() if k not in ("id", "created_at")})
    return current


def check_reason(reason: str | None, field_name: str = "reason") -> list[FieldMessage]:
    """Corrections and overrides need a written reason a reviewer can read later."""
    if len((reason or "").strip()) < MIN_REASON:
        return [FieldMessage(field_name, "error", N_("Write the reason (a few words at least)."))]
    return []


# Age bands of the monthly counts and of campaign counts (years, inclusive).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-2", 0, 2), ("3-5", 3, 5), ("6-11", 6, 11), ("12-17", 12, 17),
    ("18-29", 18, 29), ("30-59", 30, 59), ("60+", 60, None),
)
UNKNOWN_BAND = "unknown"
BAND_CODES = tuple(b[0] for b in AGE_BANDS) + (UNKNOWN_BAND,)


def age_band(age: int | None) -> str:
    if age is None or age < 0:
        return UNKNOWN_BAND
    for code, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return code
    return UNKNOWN_BAND


@dataclass(frozen=True)
class Alert:
    """Something reception must see when a person arrives. `needs_ack` alerts (allergies,
    medical notes) must be acknowledged by the staff member, and that is recorded."""

    kind: str
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)
    needs_ack: bool = False
    blocks: bool = False  # the person was not checked in because of it

    def text(self, lang: str | None = None) -> str:
        return translate(self.msgid, lang, **self.params)


@dataclass
class Arrival:
    """What the reception screen shows after a check-in (by card or by hand)."""

    person_id: str
    name_ar: str
    name_lat: str
    service: str
    checked_in: bool          # an event exists for today (new or earlier)
    already: bool = False     # the person had already been checked in today
    event_id: str | None = None
    alerts: list[Alert] = field(default_factory=list)
    title: str = ""           # workshop and session, for a workshop check-in
    photo: bytes | None = None

    def name(self, lang: str = "ar") -> str:
        first, second = (self.name_ar, self.name_lat) if lang == "ar" else (self.name_lat, self.name_ar)
        return first or second

    @property
    def needs_ack(self) -> bool:
        return any(a.needs_ack for a in self.alerts)


# --- The day's list: status of a person, and finding her by name -----------------------------

class DayStatus(StrEnum):
    """Where a person of a service's list stands today."""

    HERE = "here"       # checked in, not checked out
    GONE = "gone"       # checked out (may come back: a new stay)
    ABSENT = "absent"   # enrolled, not come today


def day_status(time_in: object | None, time_out: object | None) -> DayStatus:
    if time_in is None:
        return DayStatus.ABSENT
    return DayStatus.GONE if time_out is not None else DayStatus.HERE


def name_matches(query: str, *names: str) -> bool:
    """Whether every word typed in `query` starts a word of one of `names` (as spelled, folded,
    or across scripts: "moh" finds محمد, "خديجة" finds Khadija). An empty query matches."""
    from jisr_desktop.domain import normalize, translit  # translit builds on normalize

    folded, raw = normalize.tokens(query), normalize.raw_tokens(query)
    if not folded and not raw:
        return not (query or "").strip()
    terms = normalize.name_terms(*names)
    keys = [k for k in (translit.cross_key(t) for t in terms) if k]

    def found(word: str) -> bool:
        if any(t.startswith(word) for t in terms):
            return True
        key = translit.cross_key(word)
        return len(key) >= 2 and any(k.startswith(key) for k in keys)

    return any(words and all(found(w) for w in words) for words in (folded, raw))
