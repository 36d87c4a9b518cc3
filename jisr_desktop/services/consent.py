"""Consents per purpose, stored and synced (rules in `domain/consent.py`; docs/privacy.md,
"Purpose").

A consent is a `consent` record, written through the ledger (row, clocks, outbox op, audit entry)
and synced in the center partition. Giving a consent again after a withdrawal or an expiry is a
new record; withdrawing sets `withdrawn_on` on the newest one. Reception (`EDIT_PERSON`) records
and withdraws them. A minor's consent names a guardian, a registered adult who is not the child.

`blocking` is what the check-in asks: for a service consent that was withdrawn or has expired it
returns the plain sentence shown to reception, and the check-in does not happen. A purpose with
no consent recorded does not block a check-in (a center may not have recorded consents yet); the
person's panel and the receipt show it as missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import consent as reads
from jisr_desktop.db import meta, persons
from jisr_desktop.db.connection import transaction
from jisr_desktop.db.consent import ConsentRow
from jisr_desktop.domain import consent as rules
from jisr_desktop.domain.attendance import Alert, Arrival
from jisr_desktop.domain.consent import Consent, Purpose, State
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_, format_date, translate

__all__ = ["CHECK_IN_BLOCKS", "ConsentRow", "blocking", "check_in_refusal", "consents_of",
           "give", "label", "withdraw"]

CHECK_IN_BLOCKS = frozenset({State.EXPIRED, State.WITHDRAWN})
"""The states of a service consent that stop a check-in."""


def consents_of(*, ctx: Context, person_id: str, on: date | None = None) -> list[ConsentRow]:
    """Every consent recorded for the person, oldest first, with its state on `on` (today)."""
    return reads.of_person(ctx.db, person_id, on or ctx.today())


def _person(ctx: Context, person_id: str, field: str = "person_id") -> Any:
    person = persons.get(ctx.db, person_id)
    if person is None or person.deleted or person.merged_into:
        raise errors.JisrError(N_("Find the person in the registry first."), field=field)
    return person


def give(*, ctx: Context, person_id: str, purpose: str, service: str = "",
         given_on: date | None = None, expires_on: date | None = None,
         guardian_id: str | None = None, consent_id: str | None = None) -> ConsentRow:
    """Record a consent the person (or her guardian) just gave."""
    ctx.require(Permission.EDIT_PERSON)
    person = _person(ctx, person_id)
    day = given_on or ctx.today()
    if purpose == Purpose.SERVICE and not service:
        raise errors.JisrError(N_("Choose the service the consent covers from the list."),
                               field="service")
    rule = rules.check(Consent(purpose, given_on=day, expires_on=expires_on,
                               guardian_id=guardian_id or None, service=service),
                       person_age=person.age_on(day))
    if rule.guardian_id:
        if rule.guardian_id == person_id:
            raise errors.JisrError(N_("A minor's consent is given by a guardian: choose the "
                                      "guardian."), field="guardian_id")
        guardian = _person(ctx, rule.guardian_id, field="guardian_id")
        age = guardian.age_on(day)
        if age is not None and age < rules.ADULT_AGE:
            raise errors.JisrError(N_("The guardian who gives a consent must be an adult."),
                                   field="guardian_id")
    new_id = consent_id or ledger.new_id()
    with transaction(ctx.db):
        ledger.write_record(ctx, "consent", new_id, {
            "center_id": meta.get(ctx.db, "center_id"), "person_id": person_id,
            "purpose": rule.purpose, "service": rule.service or None, "given_on": day,
            "expires_on": expires_on, "withdrawn_on": None, "guardian_id": rule.guardian_id,
            "recorded_by": ctx.user.id,
        }, action="give_consent")
    [row] = [c for c in consents_of(ctx=ctx, person_id=person_id) if c.id == new_id]
    return row


def withdraw(*, ctx: Context, person_id: str, purpose: str, service: str = "",
             on: date | None = None) -> ConsentRow:
    """Withdraw the person's consent to a purpose (for "service", to one service) from `on`."""
    ctx.require(Permission.EDIT_PERSON)
    _person(ctx, person_id)
    day = on or ctx.today()
    mine = [c for c in consents_of(ctx=ctx, person_id=person_id, on=day)
            if c.purpose == purpose and c.service == service and c.given_on <= day]
    if not mine:
        raise errors.JisrError(N_("No consent is recorded for this purpose: there is nothing to "
                                  "withdraw."), field="purpose")
    newest = mine[-1]
    if newest.withdrawn_on is not None:
        raise errors.JisrError(N_("This consent was already withdrawn on {day}."),
                               field="purpose", day=format_date(newest.withdrawn_on, fmt="short"))
    with transaction(ctx.db):
        ledger.write_record(ctx, "consent", newest.id,
                            {"withdrawn_on": day, "withdrawn_by": ctx.user.id},
                            action="withdraw_consent")
    [row] = [c for c in consents_of(ctx=ctx, person_id=person_id, on=day) if c.id == newest.id]
    return row


label = rules.purpose_text


def _sentence(blocker: rules.Blocker, service: str, lang: str | None) -> str:
    day = format_date(blocker.day, lang, fmt="short") if blocker.day else ""
    return translate(blocker.sentence, lang, purpose=label(blocker.purpose, service, lang),
                     day=day)


def blocking(ctx: Context, person_id: str, purpose: str, service: str = "", *,
             on: date | None = None, lang: str | None = None) -> str | None:
    """Why the processing `purpose` (for "service": of `service`) may not go on for the person,
    as one translated sentence, or None. Only an expired or withdrawn consent blocks; a purpose
    with nothing recorded does not (see the module docstring)."""
    day = on or ctx.today()
    consents = [c.rule() for c in consents_of(ctx=ctx, person_id=person_id, on=day)]
    for blocker in rules.blocking(consents, [purpose], day, service=service):
        if blocker.state in CHECK_IN_BLOCKS:
            return _sentence(blocker, service, lang)
    return None


CONSENT_ALERT = "consent"


def check_in_refusal(ctx: Context, person: Any, service: str) -> Arrival | None:
    """The check-in hook of the nursery and the club: an Arrival that did not happen, whose
    blocking alert says why in plain words, when the person's consent to `service` was
    withdrawn or has expired; None when the check-in may go on."""
    day = ctx.today()
    consents = [c.rule() for c in consents_of(ctx=ctx, person_id=person.id, on=day)]
    for blocker in rules.blocking(consents, [Purpose.SERVICE], day, service=service):
        if blocker.state in CHECK_IN_BLOCKS:
            plain = {"purpose": label(blocker.purpose, service, "en"),
                     "day": blocker.day.isoformat() if blocker.day else ""}
            alert = _ConsentAlert(CONSENT_ALERT, blocker.sentence, plain, blocks=True,
                                  blocker=blocker, service=service)
            return Arrival(person_id=person.id, name_ar=person.display_name_ar,
                           name_lat=person.display_name_lat, service=service, checked_in=False,
                           alerts=[alert])
    return None


@dataclass(frozen=True)
class _ConsentAlert(Alert):
    """An alert whose parameters (the purpose's name, the day) are translated in the language
    it is shown in."""

    blocker: rules.Blocker | None = None
    service: str = ""

    def text(self, lang: str | None = None) -> str:
        assert self.blocker is not None
        return _sentence(self.blocker, self.service, lang)


def choices() -> list[tuple[str, str]]:
    """Every (purpose, service) a consent may be recorded for, in the order a screen offers
    them: registration, each service, photos, sharing with HQ, sharing with a partner."""
    out = [(str(Purpose.REGISTRATION), "")]
    out += [(str(Purpose.SERVICE), service) for service in rules.SERVICE_NAMES]
    out += [(str(p), "") for p in (Purpose.PHOTOS, Purpose.HQ_INDICATORS, Purpose.PARTNER)]
    return out


def is_minor(*, ctx: Context, person_id: str) -> bool:
    age = _person(ctx, person_id).age_on(ctx.today())
    return age is not None and age < rules.ADULT_AGE


def guardian_choices(*, ctx: Context, person_id: str) -> list[Any]:
    """The adults of the person's households, who may consent for her (a minor)."""
    found = ctx.db.execute(
        "SELECT DISTINCT o.person_id FROM household_member m JOIN household_member o"
        " ON o.household_id = m.household_id AND o.deleted = 0 AND o.person_id != m.person_id"
        " WHERE m.person_id = ? AND m.deleted = 0", [person_id]).fetchall()
    people = persons.get_many(ctx.db, [r[0] for r in found])
    day = ctx.today()
    return [p for p in people.values()
            if not p.deleted and not p.merged_into
            and ((age := p.age_on(day)) is None or age >= rules.ADULT_AGE)]
