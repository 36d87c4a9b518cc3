"""Elderly day club rules (pure): membership dates, expiry, activities."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from jisr_desktop.domain.messages import FieldMessage
from jisr_desktop.domain.normalize import control_messages
from jisr_desktop.domain.person import parse_phone
from jisr_desktop.i18n import N_

MAX_NOTE = 2000


class ActivityKind(StrEnum):
    MEDICAL_AWARENESS = "medical_awareness"
    MEDICAL_CAMPAIGN = "medical_campaign"
    OUTING = "outing"
    OTHER = "other"


ACTIVITY_LABELS = {
    ActivityKind.MEDICAL_AWARENESS: N_("Medical awareness session"),
    ActivityKind.MEDICAL_CAMPAIGN: N_("On-site medical campaign"),
    ActivityKind.OUTING: N_("Outing"),
    ActivityKind.OTHER: N_("Other activity"),
}


def membership_expired(end_date: date | None, day: date) -> bool:
    """A membership without an end date runs until it is ended; one is valid on its end day."""
    return end_date is not None and day > end_date


def clean_membership(raw: dict[str, Any]) -> tuple[dict[str, Any], list[FieldMessage]]:
    msgs: list[FieldMessage] = []
    out: dict[str, Any] = {}
    start, end = raw.get("start_date"), raw.get("end_date")
    if start is None:
        msgs.append(FieldMessage("start_date", "error", N_("Enter the start date.")))
    if start is not None and end is not None and end < start:
        msgs.append(FieldMessage("end_date", "error", N_("The end date is before the start date.")))
    out["start_date"], out["end_date"] = start, end
    out["emergency_name"] = " ".join(str(raw.get("emergency_name") or "").split())
    out["emergency_relationship"] = str(raw.get("emergency_relationship") or "").strip()
    try:
        out["emergency_phone"] = parse_phone(raw.get("emergency_phone"))
    except ValueError:
        msgs.append(FieldMessage("emergency_phone", "error",
                                 N_("This is not a valid phone number (e.g. 06 12 34 56 78).")))
    if not out["emergency_name"] or not raw.get("emergency_phone"):
        msgs.append(FieldMessage("emergency_name", "warning",
                                 N_("No emergency contact: add a name and a phone number.")))
    out["health_notes"] = str(raw.get("health_notes") or "").strip()
    if len(out["health_notes"]) > MAX_NOTE:
        msgs.append(FieldMessage("health_notes", "error",
                                 N_("This text is too long (at most {max} characters)."), {"max": MAX_NOTE}))
    msgs[:0] = control_messages(raw, {"emergency_name": N_("Emergency contact"),
                                      "emergency_relationship": N_("Emergency contact's relationship"),
                                      "health_notes": N_("Health notes")}, multiline={"health_notes"})
    return out, msgs
