"""Awareness campaigns (pure): what a campaign records and how participants are counted.

Most participants of a street campaign are never registered: they are counted by sex and
age band; named participants are optional.
"""

from __future__ import annotations

from typing import Any

from jisr_desktop.domain.attendance import BAND_CODES
from jisr_desktop.domain.messages import FieldMessage
from jisr_desktop.domain.normalize import control_messages
from jisr_desktop.i18n import N_

SEXES = ("F", "M")
MAX_COUNT = 100_000
TOPIC_SUGGESTIONS = (N_("Disease prevention"), N_("Violence"), N_("Environment"), N_("Water"))


def clean_campaign(raw: dict[str, Any]) -> tuple[dict[str, Any], list[FieldMessage]]:
    msgs: list[FieldMessage] = []
    out: dict[str, Any] = {k: " ".join(str(raw.get(k) or "").split()) for k in ("topic", "place", "partner")}
    out["notes"] = str(raw.get("notes") or "").strip()
    out["day"] = raw.get("day")
    if not out["topic"]:
        msgs.append(FieldMessage("topic", "error", N_("Enter the topic.")))
    if out["day"] is None:
        msgs.append(FieldMessage("day", "error", N_("Enter the date.")))
    if not out["place"]:
        msgs.append(FieldMessage("place", "error", N_("Enter the place.")))
    msgs[:0] = control_messages(raw, {"topic": N_("Topic"), "place": N_("Location"),
                                      "partner": N_("Partner"), "notes": N_("Notes")},
                                multiline={"notes"})
    return out, msgs


def check_counts(counts: dict[tuple[str, str], int]) -> list[FieldMessage]:
    """Counts keyed by (sex, age band): whole numbers from 0."""
    msgs: list[FieldMessage] = []
    for (sex, band), value in counts.items():
        if sex not in SEXES or band not in BAND_CODES:
            msgs.append(FieldMessage("counts", "error", N_("Unknown sex or age band in the counts.")))
        elif not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
            msgs.append(FieldMessage("counts", "error", N_("A count must be a whole number from 0.")))
    return msgs
