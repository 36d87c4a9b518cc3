"""Reception visits: channels, outcomes and the checks on a visit before it is logged (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from jisr_desktop.domain.messages import FieldMessage
from jisr_desktop.domain.normalize import control_messages
from jisr_desktop.i18n import N_

MAX_NOTES = 2000
MAX_REFERRAL = 200


class Channel(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"


class Outcome(StrEnum):
    INFORMED = "informed"
    HELPED = "helped"
    REFERRED = "referred"
    FOLLOW_UP = "follow_up"


CHANNEL_LABELS = {
    Channel.IN_PERSON: N_("In person"),
    Channel.PHONE: N_("By phone"),
}
OUTCOME_LABELS = {
    Outcome.INFORMED: N_("Information given"),
    Outcome.HELPED: N_("Helped with the application"),
    Outcome.REFERRED: N_("Referred elsewhere"),
    Outcome.FOLLOW_UP: N_("Follow-up needed"),
}


@dataclass(frozen=True)
class Program:
    code: str
    name_ar: str
    name_fr: str
    name_en: str

    def name(self, lang: str) -> str:
        return {"ar": self.name_ar, "fr": self.name_fr}.get(lang, self.name_en)


@dataclass(frozen=True)
class Visit:
    id: str
    person_id: str
    visited_at: str
    day: str
    program_code: str
    channel: str
    outcome: str
    referral_to: str
    notes: str
    user_id: str | None


def clean_visit(raw: dict[str, Any], *, programs: set[str]) -> tuple[dict[str, Any], list[FieldMessage]]:
    """Normalise and check a visit typed at the reception desk; errors block logging it."""
    msgs: list[FieldMessage] = []

    def err(field: str, msgid: str, **params: Any) -> None:
        msgs.append(FieldMessage(field, "error", msgid, params))

    out = {
        "person_id": str(raw.get("person_id") or ""),
        "program_code": str(raw.get("program_code") or ""),
        "channel": str(raw.get("channel") or ""),
        "outcome": str(raw.get("outcome") or ""),
        "referral_to": " ".join(str(raw.get("referral_to") or "").split()),
        "notes": str(raw.get("notes") or "").strip(),
    }
    if not out["person_id"]:
        err("person_id", N_("Find or register the person first."))
    if out["program_code"] not in programs:
        err("program_code", N_("Choose what the visit was about from the list."))
    if out["channel"] not in {c.value for c in Channel}:
        err("channel", N_("Choose in person or by phone."))
    if out["outcome"] not in {o.value for o in Outcome}:
        err("outcome", N_("Choose the outcome of the visit."))
    if out["outcome"] == Outcome.REFERRED and not out["referral_to"]:
        err("referral_to", N_("Say where the person was referred."))
    if len(out["referral_to"]) > MAX_REFERRAL:
        err("referral_to", N_("This text is too long (at most {max} characters)."), max=MAX_REFERRAL)
    if len(out["notes"]) > MAX_NOTES:
        err("notes", N_("This text is too long (at most {max} characters)."), max=MAX_NOTES)
    msgs[:0] = control_messages(raw, {"referral_to": N_("Referred to"), "notes": N_("Notes")},
                                multiline={"notes"})
    return out, msgs
