"""Follow-up of a person's path through a service, and referrals that are followed up (pure).

One engine for every service the centers offer (docs/domain.md, "Follow-up"): a **case**
belongs to a person (or a household, for family mediation), names its service, opens and
closes on dates, has a responsible staff member, a status, goals from the service's list, dated
sessions or actions, and an outcome from the service's list. The services whose content is
intimate (`SEALED_SERVICES`: family counselling, family mediation, psychological and social
support) keep their plan and session notes in the sealed counselling partition; the case row
itself (who, which service, dates, staff, status, outcome) stays countable for reports.

A **referral** names the program or body a person was sent to, from a reception visit or a
case, and gets a follow-up due date; it is *due* from that date until an outcome other than
"pending" is recorded (a pending answer sets the next due date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from jisr_desktop.errors import JisrError
from jisr_desktop.i18n import N_

MAX_TEXT = 2000
MAX_BODY = 200
MAX_SEALED = 10_000
DEFAULT_FOLLOW_UP_DAYS = 14
"""A referral's follow-up is due two weeks after it was made unless a date is given."""


class Service(StrEnum):
    INCUBATOR = "incubator"
    DISABILITY = "disability"
    YOUTH = "youth"
    PRE_MARRIAGE = "pre_marriage"
    COUNSELLING = "family_counselling"
    MEDIATION = "family_mediation"
    PSYCHOSOCIAL = "psychosocial"
    PARENTING = "parenting"


SEALED_SERVICES = frozenset({Service.COUNSELLING, Service.MEDIATION, Service.PSYCHOSOCIAL})
"""Services whose plan and session notes are sealed (counsellors only)."""

SERVICE_LABELS: dict[str, str] = {
    Service.INCUBATOR: N_("Social incubator"),
    Service.DISABILITY: N_("Disability guidance"),
    Service.YOUTH: N_("Youth accompaniment"),
    Service.PRE_MARRIAGE: N_("Pre-marriage preparation"),
    Service.COUNSELLING: N_("Family counselling"),
    Service.MEDIATION: N_("Family mediation"),
    Service.PSYCHOSOCIAL: N_("Psychological and social support"),
    Service.PARENTING: N_("Positive parenting"),
}

GOALS: dict[str, tuple[str, ...]] = {
    Service.INCUBATOR: ("training", "job", "income_activity", "childcare"),
    Service.DISABILITY: ("orientation", "documents", "specialised_center", "child_protection"),
    Service.YOUTH: ("training", "forsa", "intelaka", "awrach", "employment_service"),
    Service.PRE_MARRIAGE: (),
    Service.COUNSELLING: (),
    Service.MEDIATION: (),
    Service.PSYCHOSOCIAL: (),
    Service.PARENTING: (),
}
"""The goals a case of each service may set (sealed services keep their plan sealed)."""

GOAL_LABELS: dict[str, str] = {
    "training": N_("Training"),
    "job": N_("A job"),
    "income_activity": N_("An income-generating activity"),
    "childcare": N_("Childcare"),
    "orientation": N_("Orientation"),
    "documents": N_("Documents (disability card, file)"),
    "specialised_center": N_("A specialised center"),
    "child_protection": N_("A child-protection center"),
    "forsa": N_("Forsa"),
    "intelaka": N_("Intelaka"),
    "awrach": N_("Awrach"),
    "employment_service": N_("Employment services"),
}

OUTCOMES: dict[str, tuple[str, ...]] = {
    Service.INCUBATOR: ("job", "income_activity", "training", "none"),
    Service.DISABILITY: ("oriented", "referred", "documents_obtained", "none"),
    Service.YOUTH: ("job", "training", "self_employment", "none"),
    Service.PRE_MARRIAGE: ("completed", "dropped"),
    Service.COUNSELLING: ("improved", "referred", "dropped"),
    Service.MEDIATION: ("agreement", "partial", "none", "referred"),
    Service.PSYCHOSOCIAL: ("improved", "referred", "dropped"),
    Service.PARENTING: ("completed", "dropped"),
}
"""The outcomes a case of each service may close with."""

OUTCOME_LABELS: dict[str, str] = {
    "job": N_("Found a job"),
    "income_activity": N_("Started an income-generating activity"),
    "training": N_("In or done with a training"),
    "none": N_("No result"),
    "oriented": N_("Oriented"),
    "referred": N_("Referred elsewhere"),
    "documents_obtained": N_("Documents obtained"),
    "self_employment": N_("Self-employed"),
    "completed": N_("Completed"),
    "dropped": N_("Stopped coming"),
    "improved": N_("Situation improved"),
    "agreement": N_("Agreement"),
    "partial": N_("Partial agreement"),
}


class Status(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


STATUS_LABELS = {Status.OPEN: N_("Open"), Status.CLOSED: N_("Closed")}


class ActionKind(StrEnum):
    SESSION = "session"
    ACTION = "action"


ACTION_LABELS = {ActionKind.SESSION: N_("Session"), ActionKind.ACTION: N_("Action")}


class ReferralOutcome(StrEnum):
    OBTAINED = "obtained"
    REFUSED = "refused"
    PENDING = "pending"
    UNREACHABLE = "unreachable"


REFERRAL_OUTCOME_LABELS = {
    ReferralOutcome.OBTAINED: N_("Obtained"),
    ReferralOutcome.REFUSED: N_("Refused"),
    ReferralOutcome.PENDING: N_("Still pending"),
    ReferralOutcome.UNREACHABLE: N_("Person unreachable"),
}
FINAL_REFERRAL_OUTCOMES = frozenset({ReferralOutcome.OBTAINED, ReferralOutcome.REFUSED,
                                     ReferralOutcome.UNREACHABLE})
"""Outcomes that end a referral's follow-up ("pending" sets the next due date instead)."""


def is_sealed(service: str) -> bool:
    return service in SEALED_SERVICES


def _text(value: object, field: str, limit: int = MAX_TEXT, *, one_line: bool = False) -> str:
    text = str(value or "")
    text = " ".join(text.split()) if one_line else text.strip()
    if len(text) > limit:
        raise JisrError(N_("This text is too long (at most {max} characters)."), field=field,
                        max=limit)
    if any(ord(c) < 32 and c not in "\n\t" for c in text) or "\x7f" in text:
        raise JisrError(N_("This text holds a control character; type it again."), field=field)
    return text


@dataclass(frozen=True)
class CaseDraft:
    """A checked new case."""

    service: str
    person_id: str | None
    household_id: str | None
    opened_on: date
    situation: str
    goals: tuple[str, ...]


def check_new_case(*, service: str, person_id: str | None, household_id: str | None,
                   opened_on: date | None, situation: str, goals: list[str] | tuple[str, ...],
                   today: date) -> CaseDraft:
    """Refuse, naming the field, what a new case cannot be opened with."""
    if service not in SERVICE_LABELS:
        raise JisrError(N_("Choose the service from the list."), field="service")
    if service == Service.MEDIATION:
        if not household_id:
            raise JisrError(N_("A family mediation is about a household: choose it."),
                            field="household_id")
    elif not person_id:
        raise JisrError(N_("Find or register the person first."), field="person_id")
    if not isinstance(opened_on, date):
        raise JisrError(N_("Enter the date the case was opened."), field="opened_on")
    if opened_on > today:
        raise JisrError(N_("This date cannot be in the future."), field="opened_on")
    unique = tuple(dict.fromkeys(g for g in goals if g))
    allowed = GOALS[service]
    if any(g not in allowed for g in unique):
        raise JisrError(N_("Choose the goals from the service's list."), field="goals")
    text = _text(situation, "situation")
    if is_sealed(service) and text:
        raise JisrError(N_("The situation of this service is confidential: write it in the "
                           "sealed plan."), field="situation")
    return CaseDraft(service, person_id or None, household_id or None, opened_on, text, unique)


def check_close(*, service: str, outcome: str, closed_on: date | None, opened_on: date,
                today: date) -> None:
    if outcome not in OUTCOMES.get(service, ()):
        raise JisrError(N_("Choose the outcome from the list."), field="outcome")
    if not isinstance(closed_on, date):
        raise JisrError(N_("Enter the date the case was closed."), field="closed_on")
    if closed_on > today:
        raise JisrError(N_("This date cannot be in the future."), field="closed_on")
    if closed_on < opened_on:
        raise JisrError(N_("A case cannot close before it opened."), field="closed_on")


def check_action(*, kind: str, day: date | None, opened_on: date, today: date, note: str,
                 sealed: bool) -> str:
    """The note of a session or action, checked (sealed notes may be longer)."""
    if kind not in ACTION_LABELS:
        raise JisrError(N_("Choose a session or an action."), field="kind")
    if not isinstance(day, date):
        raise JisrError(N_("Enter the date of the session."), field="day")
    if day > today:
        raise JisrError(N_("The session date cannot be in the future."), field="day")
    if day < opened_on:
        raise JisrError(N_("A session cannot be before the case was opened."), field="day")
    text = _text(note, "note", MAX_SEALED if sealed else MAX_TEXT)
    if not text:
        raise JisrError(N_("Write what was done."), field="note")
    return text


def check_sealed_plan(plan: str) -> str:
    """The sealed plan of a confidential case (may be empty)."""
    return _text(plan, "plan", MAX_SEALED)


def check_referral(*, program_code: str, body: str, referred_on: date, due_on: date | None,
                   programs: set[str], note: str = "") -> tuple[str, str, date, str]:
    """(program code, body, due date, note) of a new referral, checked; the due date defaults
    to `DEFAULT_FOLLOW_UP_DAYS` after the referral."""
    code = str(program_code or "")
    name = _text(body, "body", MAX_BODY, one_line=True)
    if code and code not in programs:
        raise JisrError(N_("Choose the program from the list."), field="program_code")
    if not code and not name:
        raise JisrError(N_("Name the program or the body the person is referred to."),
                        field="body")
    due = due_on or referred_on + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
    if due < referred_on:
        raise JisrError(N_("The follow-up cannot be before the referral."), field="due_on")
    return code, name, due, _text(note, "note")


def check_referral_outcome(*, outcome: str, today: date, next_due: date | None,
                           note: str = "") -> tuple[date | None, str]:
    """(next due date or None, note): "pending" needs a later follow-up date (two weeks by
    default), the other outcomes end the follow-up."""
    if outcome not in REFERRAL_OUTCOME_LABELS:
        raise JisrError(N_("Choose the outcome of the referral."), field="outcome")
    text = _text(note, "note")
    if outcome != ReferralOutcome.PENDING:
        return None, text
    due = next_due or today + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
    if due <= today:
        raise JisrError(N_("The next follow-up must be after today."), field="due_on")
    return due, text


def referral_is_due(*, outcome: str | None, due_on: date, today: date) -> bool:
    """A referral is due on and after its follow-up date until a final outcome is recorded."""
    return outcome not in FINAL_REFERRAL_OUTCOMES and due_on <= today
