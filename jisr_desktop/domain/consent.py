"""Consent per purpose, with expiry and withdrawal (docs/privacy.md, "Purpose").

A person (or, for a minor, her guardian) consents to one purpose at a time: registration, a
service, photos, sharing with HQ for indicators, sharing with a partner. A consent is *valid* on
a day from the day it was given until the day before it expires, unless it was withdrawn on or
before that day. `blocking` tells, in plain words, why a processing may not go on: nothing is
recorded for the purpose, the consent expired, or it was withdrawn.

Only these rules exist yet: storing consents, the printed receipt and the check-in hook are not
built (docs/privacy.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from jisr_desktop.errors import JisrError
from jisr_desktop.i18n import N_

ADULT_AGE = 18


class Purpose(StrEnum):
    REGISTRATION = "registration"
    SERVICE = "service"
    PHOTOS = "photos"
    HQ_INDICATORS = "hq_indicators"
    PARTNER = "partner"


PURPOSE_LABELS: dict[Purpose, str] = {
    Purpose.REGISTRATION: N_("Registration"),
    Purpose.SERVICE: N_("Taking part in the service"),
    Purpose.PHOTOS: N_("Photos"),
    Purpose.HQ_INDICATORS: N_("Sharing counts with HQ for indicators"),
    Purpose.PARTNER: N_("Sharing with a partner"),
}


class State(StrEnum):
    VALID = "valid"
    MISSING = "missing"
    NOT_YET = "not_yet"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Consent:
    purpose: str
    given_on: date
    expires_on: date | None = None
    withdrawn_on: date | None = None
    guardian_id: str | None = None

    def state(self, on: date) -> State:
        if self.withdrawn_on is not None and self.withdrawn_on <= on:
            return State.WITHDRAWN
        if on < self.given_on:
            return State.NOT_YET
        if self.expires_on is not None and self.expires_on <= on:
            return State.EXPIRED
        return State.VALID


def check(consent: Consent, *, person_age: int | None) -> Consent:
    """A consent as recorded: a known purpose, coherent dates, a guardian for a minor."""
    if consent.purpose not in set(Purpose):
        raise JisrError(N_("Choose the purpose of the consent from the list."), field="purpose")
    if consent.expires_on is not None and consent.expires_on <= consent.given_on:
        raise JisrError(N_("A consent must expire after the day it was given."),
                        field="expires_on")
    if consent.withdrawn_on is not None and consent.withdrawn_on < consent.given_on:
        raise JisrError(N_("A consent cannot be withdrawn before it was given."),
                        field="withdrawn_on")
    if person_age is not None and person_age < ADULT_AGE and not consent.guardian_id:
        raise JisrError(N_("A minor's consent is given by a guardian: choose the guardian."),
                        field="guardian_id")
    return consent


_SENTENCES: dict[State, str] = {
    State.MISSING: N_("No consent is recorded for: {purpose}. Ask for it before going on."),
    State.NOT_YET: N_("No consent is recorded for: {purpose}. Ask for it before going on."),
    State.EXPIRED: N_("The consent for {purpose} expired on {day}. Ask for it again before "
                      "going on."),
    State.WITHDRAWN: N_("The consent for {purpose} was withdrawn on {day}: this cannot go on."),
}


@dataclass(frozen=True)
class Blocker:
    purpose: str
    state: State
    sentence: str  # an untranslated msgid, with {purpose} and {day}
    day: date | None


def state_of(consents: list[Consent], purpose: str, on: date) -> tuple[State, Consent | None]:
    """The state of a purpose on a day: the newest consent given for it decides."""
    mine = sorted((c for c in consents if c.purpose == purpose), key=lambda c: c.given_on)
    given = [c for c in mine if c.given_on <= on]
    if not given:
        return State.MISSING, None
    newest = given[-1]
    return newest.state(on), newest


def blocking(consents: list[Consent], purposes: list[str], on: date) -> list[Blocker]:
    """Why the purposes may not be processed on `on` (empty: all of them may)."""
    found = []
    for purpose in purposes:
        state, consent = state_of(consents, purpose, on)
        if state == State.VALID:
            continue
        day = None
        if consent is not None:
            day = consent.withdrawn_on if state == State.WITHDRAWN else consent.expires_on
        found.append(Blocker(purpose, state, _SENTENCES[state], day))
    return found
