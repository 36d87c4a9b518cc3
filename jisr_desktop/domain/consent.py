"""Consent per purpose, with expiry and withdrawal (docs/privacy.md, "Purpose").

A person (or, for a minor, her guardian) consents to one purpose at a time: registration, a
service, photos, sharing with HQ for indicators, sharing with a partner. A consent is *valid* on
a day from the day it was given until the day before it expires, unless it was withdrawn on or
before that day. `blocking` tells, in plain words, why a processing may not go on: nothing is
recorded for the purpose, the consent expired, or it was withdrawn.

The purpose "service" names the service it covers (`Consent.service`: nursery, club, workshop or a
follow-up service): a consent to the nursery does not cover the elderly club. Consents are stored
and synced by `services/consent.py`; the check-in of the nursery and the club asks it
(docs/privacy.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from jisr_desktop.errors import JisrError
from jisr_desktop.i18n import N_, translate

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

SERVICE_NAMES: dict[str, str] = {
    "nursery": N_("Nursery"),
    "club": N_("Elderly club"),
    "workshop": N_("Workshops"),
    "incubator": N_("Social incubator"),
    "disability": N_("Disability guidance"),
    "youth": N_("Youth accompaniment"),
    "pre_marriage": N_("Pre-marriage preparation"),
    "family_counselling": N_("Family counselling"),
    "family_mediation": N_("Family mediation"),
    "psychosocial": N_("Psychological and social support"),
    "parenting": N_("Positive parenting"),
}
"""The services a "service" consent may cover (desk services and follow-up services), as the
synced schema lists them (`jisr_protocol.schema.CONSENT_SERVICES`)."""
SERVICE_PURPOSE = N_("Taking part in: {service}")


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
    service: str = ""
    """The service a "service" consent covers ('' for the other purposes)."""

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
    if consent.purpose == Purpose.SERVICE and consent.service and \
            consent.service not in SERVICE_NAMES:
        raise JisrError(N_("Choose the service the consent covers from the list."),
                        field="service")
    if consent.purpose != Purpose.SERVICE and consent.service:
        raise JisrError(N_("Only a consent to take part in a service names a service."),
                        field="service")
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


def state_of(consents: list[Consent], purpose: str, on: date,
             service: str = "") -> tuple[State, Consent | None]:
    """The state of a purpose (for "service": of one service) on a day: the newest consent
    given for it decides."""
    mine = sorted((c for c in consents if c.purpose == purpose and c.service == service),
                  key=lambda c: c.given_on)
    given = [c for c in mine if c.given_on <= on]
    if not given:
        return State.MISSING, None
    newest = given[-1]
    return newest.state(on), newest


def blocking(consents: list[Consent], purposes: list[str], on: date,
             service: str = "") -> list[Blocker]:
    """Why the purposes may not be processed on `on` (empty: all of them may); `service` is
    the service the "service" purpose is asked for."""
    found = []
    for purpose in purposes:
        state, consent = state_of(consents, purpose, on,
                                  service if purpose == Purpose.SERVICE else "")
        if state == State.VALID:
            continue
        day = None
        if consent is not None:
            day = consent.withdrawn_on if state == State.WITHDRAWN else consent.expires_on
        found.append(Blocker(purpose, state, _SENTENCES[state], day))
    return found


def purpose_label(purpose: str, service: str = "") -> tuple[str, dict[str, str]]:
    """The msgid naming a purpose and, for a service consent, the msgid of its service as a
    parameter (the caller translates both in one language)."""
    if purpose == Purpose.SERVICE and service:
        return SERVICE_PURPOSE, {"service": SERVICE_NAMES.get(service, service)}
    return PURPOSE_LABELS.get(Purpose(purpose), purpose) if purpose in set(Purpose) else purpose, {}


def purpose_text(purpose: str, service: str = "", lang: str | None = None) -> str:
    """The purpose in plain words, in `lang`."""
    msgid, params = purpose_label(purpose, service)
    return translate(msgid, lang, **{k: translate(v, lang) for k, v in params.items()})
