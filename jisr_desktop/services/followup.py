"""Follow-up cases of every service, and referrals that are followed up (docs/domain.md,
"Follow-up"; rules in `domain/followup.py`, reads in `db/followup.py`).

Who may do what:

- a coordinator (`MANAGE_ENROLLMENTS`) opens, follows and closes the cases of the ordinary
  services (incubator, disability guidance, youth, pre-marriage, parenting);
- a counsellor (`CASE_NOTES`) alone opens, follows, closes and even sees the cases of the sealed
  services (family counselling, mediation, psychological support): the case row is an ordinary
  center record, countable for reports, but its plan, parties and session notes are written to
  `followup_sealed`, in the counselling partition, with her proof, and their audit entries
  hold no values (the ledger redacts them);
- reception (`LOG_VISIT`) logs referrals, sees the follow-ups due and records their outcomes,
  except for referrals made from a sealed case, which are the counsellor's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import followup as reads
from jisr_desktop.db import meta, persons
from jisr_desktop.db.connection import transaction
from jisr_desktop.db.followup import ActionRow, CaseRow, ReferralRow
from jisr_desktop.domain import followup as rules
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_
from jisr_desktop.sync import sealed

__all__ = ["ActionRow", "CaseFile", "CaseRow", "ReferralRow", "add_action", "case_counts",
           "cases_of_person", "close_case", "followups_due", "get_case_file", "open_case",
           "open_cases", "openable_services", "record_referral_outcome", "refer", "referral_outcomes",
           "referrals_of", "save_sealed_plan"]

referral_outcomes = reads.referral_outcomes
case_counts = reads.case_counts


# --- permissions ------------------------------------------------------------------------------

def _may_write(ctx: Context, service: str) -> bool:
    return ctx.user.can(Permission.CASE_NOTES if rules.is_sealed(service)
                        else Permission.MANAGE_ENROLLMENTS)


def _may_read(ctx: Context, service: str) -> bool:
    if rules.is_sealed(service):
        return ctx.user.can(Permission.CASE_NOTES)
    return ctx.user.can(Permission.MANAGE_ENROLLMENTS) or ctx.user.can(Permission.CASE_NOTES)


def may_open(*, ctx: Context, service: str) -> bool:
    """Whether the signed-in user may open (and follow) a case of `service` (the screen
    offers only those)."""
    return _may_write(ctx, service)


def openable_services(*, ctx: Context) -> list[str]:
    """The services the signed-in user may open cases of, in the catalogue's order."""
    return [str(s) for s in rules.Service if _may_write(ctx, s)]


def _writable_case(ctx: Context, case_id: str) -> CaseRow:
    case = reads.get_case(ctx.db, case_id)
    if case is None or not _may_read(ctx, case.service):
        raise errors.NotFound()
    if not _may_write(ctx, case.service):
        raise errors.PermissionDenied()
    return case


def _alive_person(ctx: Context, person_id: str) -> None:
    person = persons.get(ctx.db, person_id)
    if person is None or person.deleted or person.merged_into:
        raise errors.JisrError(N_("Find the person in the registry first."), field="person_id")


def _alive_household(ctx: Context, household_id: str) -> None:
    if not ctx.db.execute("SELECT 1 FROM household WHERE id = ? AND deleted = 0",
                          [household_id]).fetchone():
        raise errors.JisrError(N_("Choose the household first."), field="household_id")


# --- cases ------------------------------------------------------------------------------------

def open_case(*, ctx: Context, service: str, person_id: str | None = None,
              household_id: str | None = None, opened_on: date | None = None,
              situation: str = "", goals: list[str] | tuple[str, ...] = (),
              case_id: str | None = None) -> CaseRow:
    """Open a case of one service for a person (or, for a mediation, a household); the user
    opening it is its responsible staff."""
    if service in rules.SERVICE_LABELS and not _may_write(ctx, service):
        raise errors.PermissionDenied()
    draft = rules.check_new_case(service=service, person_id=person_id,
                                 household_id=household_id,
                                 opened_on=opened_on or ctx.today(), situation=situation,
                                 goals=list(goals), today=ctx.today())
    if draft.person_id:
        _alive_person(ctx, draft.person_id)
    if draft.household_id:
        _alive_household(ctx, draft.household_id)
    new_id = case_id or ledger.new_id()
    with transaction(ctx.db):
        ledger.write_record(ctx, "followup_case", new_id, {
            "center_id": meta.get(ctx.db, "center_id"), "person_id": draft.person_id,
            "household_id": draft.household_id, "service": draft.service,
            "opened_on": draft.opened_on, "staff_id": ctx.user.id, "status": rules.Status.OPEN.value,
            "outcome": "", "situation": draft.situation, "goals": json.dumps(list(draft.goals)),
        }, action="open_followup_case")
    found = reads.get_case(ctx.db, new_id)
    assert found is not None
    return found


def add_action(*, ctx: Context, case_id: str, kind: str, day: date | None, note: str,
               action_id: str | None = None) -> ActionRow:
    """A dated session or action of an open case. For a sealed service the row (countable)
    holds no words: the note goes to the sealed partition."""
    case = _writable_case(ctx, case_id)
    if case.status != rules.Status.OPEN:
        raise errors.JisrError(N_("This case is closed."), field="case_id")
    secret = rules.is_sealed(case.service)
    text = rules.check_action(kind=kind, day=day, opened_on=case.opened_on, today=ctx.today(),
                              note=note, sealed=secret)
    assert day is not None
    new_id = action_id or ledger.new_id()
    with transaction(ctx.db):
        ledger.write_record(ctx, "followup_action", new_id, {
            "case_id": case_id, "kind": kind, "day": day, "note": "" if secret else text,
            "staff_id": ctx.user.id}, action="add_followup_action")
        if secret:
            _write_sealed(ctx, case_id, new_id, text=text, parties=[])
    return next(a for a in reads.actions(ctx.db, case_id) if a.id == new_id)


def save_sealed_plan(*, ctx: Context, case_id: str, plan: str,
                     parties: list[str] | tuple[str, ...] = ()) -> None:
    """The plan of a sealed case (and, for a mediation, the parties: members of the
    household), counsellors only."""
    ctx.require(Permission.CASE_NOTES)
    case = _writable_case(ctx, case_id)
    if not rules.is_sealed(case.service):
        raise errors.JisrError(N_("Only a confidential service has a sealed plan."),
                               field="plan")
    text = rules.check_sealed_plan(plan)
    unique = list(dict.fromkeys(p for p in parties if p))
    for pid in unique:
        _alive_person(ctx, pid)
    if case.household_id and unique:
        members = {r[0] for r in ctx.db.execute(
            "SELECT person_id FROM household_member WHERE household_id = ? AND deleted = 0",
            [case.household_id]).fetchall()}
        if any(pid not in members for pid in unique):
            raise errors.JisrError(N_("The parties must be members of the household."),
                                   field="parties")
    with transaction(ctx.db):
        _write_sealed(ctx, case_id, None, text=text, parties=unique)


def _write_sealed(ctx: Context, case_id: str, action_id: str | None, *, text: str,
                  parties: list[str]) -> None:
    sealed_id = ledger.deterministic_id("followup_sealed", case_id, action_id or "plan")
    exists = ctx.db.execute("SELECT 1 FROM followup_sealed WHERE id = ?", [sealed_id]).fetchone()
    values = {"case_id": case_id, "action_id": action_id, "text": text,
              "parties": json.dumps(parties)}
    if not exists:
        values |= {"center_id": meta.get(ctx.db, "center_id"), "counsellor_id": ctx.user.id}
    ledger.write_record(ctx, "followup_sealed", sealed_id, values,
                        action="write_followup_sealed")
    sealed.sign_pending(ctx.db, ctx.user.id)  # her proof (docs/security.md)


def close_case(*, ctx: Context, case_id: str, outcome: str,
               closed_on: date | None = None) -> CaseRow:
    """Close a case with an outcome from its service's list."""
    case = _writable_case(ctx, case_id)
    if case.status != rules.Status.OPEN:
        raise errors.JisrError(N_("This case is closed."), field="case_id")
    day = closed_on or ctx.today()
    rules.check_close(service=case.service, outcome=outcome, closed_on=day,
                      opened_on=case.opened_on, today=ctx.today())
    with transaction(ctx.db):
        ledger.write_record(ctx, "followup_case", case_id, {
            "status": rules.Status.CLOSED.value, "outcome": outcome, "closed_on": day},
            action="close_followup_case")
    found = reads.get_case(ctx.db, case_id)
    assert found is not None
    return found


@dataclass(frozen=True)
class CaseFile:
    """One case with its sessions and referrals; `plan`, `parties` and `notes` (action id →
    note) are filled for a sealed case only, and only for a counsellor."""

    case: CaseRow
    actions: list[ActionRow]
    referrals: list[ReferralRow]
    plan: str = ""
    parties: tuple[str, ...] = ()
    notes: dict[str, str] | None = None


def get_case_file(*, ctx: Context, case_id: str) -> CaseFile:
    case = reads.get_case(ctx.db, case_id)
    if case is None or not _may_read(ctx, case.service):
        raise errors.NotFound()
    acts = reads.actions(ctx.db, case_id)
    refs = reads.referrals(ctx.db, case_id=case_id)
    if not rules.is_sealed(case.service):
        return CaseFile(case, acts, refs)
    plan, notes = "", {}
    parties: tuple[str, ...] = ()
    for action_id, text, party_text in ctx.db.execute(
            "SELECT action_id, text, parties FROM followup_sealed WHERE case_id = ?"
            " AND deleted = 0", [case_id]).fetchall():
        if action_id is None:
            plan = text
            try:
                parties = tuple(str(x) for x in json.loads(party_text or "[]"))
            except (ValueError, TypeError):
                parties = ()
        else:
            notes[action_id] = text
    return CaseFile(case, acts, refs, plan, parties, notes)


def cases_of_person(*, ctx: Context, person_id: str) -> list[CaseRow]:
    """The person's cases the user may see (sealed services: counsellors only)."""
    return [c for c in reads.cases(ctx.db, person_id=person_id) if _may_read(ctx, c.service)]


def open_cases(*, ctx: Context) -> list[CaseRow]:
    return [c for c in reads.cases(ctx.db, status=rules.Status.OPEN) if _may_read(ctx, c.service)]


# --- referrals --------------------------------------------------------------------------------

def _programs(ctx: Context) -> set[str]:
    return {r[0] for r in ctx.db.execute("SELECT code FROM program").fetchall()}


def refer(*, ctx: Context, person_id: str, program_code: str = "", body: str = "",
          due_on: date | None = None, visit_id: str | None = None, case_id: str | None = None,
          note: str = "", referral_id: str | None = None) -> ReferralRow:
    """Refer a person to a program or body, from a visit or a case; the follow-up is due on
    `due_on` (two weeks by default)."""
    ctx.require(Permission.LOG_VISIT)
    if case_id is not None:
        case = _writable_case(ctx, case_id)
        if person_id != case.person_id and not (case.household_id and ctx.db.execute(
                "SELECT 1 FROM household_member WHERE household_id = ? AND person_id = ?"
                " AND deleted = 0", [case.household_id, person_id]).fetchone()):
            raise errors.JisrError(N_("The referral must be for the person of the case."),
                                   field="person_id")
    _alive_person(ctx, person_id)
    with transaction(ctx.db):
        made = write_referral(ctx, person_id=person_id, program_code=program_code, body=body,
                              due_on=due_on, visit_id=visit_id, case_id=case_id, note=note,
                              referral_id=referral_id)
    return made


def write_referral(ctx: Context, *, person_id: str, program_code: str, body: str,
                   due_on: date | None, visit_id: str | None, case_id: str | None,
                   note: str = "", referral_id: str | None = None) -> ReferralRow:
    """The write of `refer`, inside the caller's transaction (a visit logged as "referred"
    makes its referral with it: `services/visits.py`); its id derives from the visit's, so
    one visit makes one referral."""
    today = ctx.today()
    code, name, due, text = rules.check_referral(
        program_code=program_code, body=body, referred_on=today, due_on=due_on,
        programs=_programs(ctx), note=note)
    new_id = referral_id or (ledger.deterministic_id("referral", visit_id) if visit_id
                             else ledger.new_id())
    ledger.write_record(ctx, "referral", new_id, {
        "center_id": meta.get(ctx.db, "center_id"), "person_id": person_id,
        "visit_id": visit_id, "case_id": case_id, "program_code": code, "body": name,
        "referred_on": today, "due_on": due, "note": text, "staff_id": ctx.user.id},
        action="refer")
    found = reads.get_referral(ctx.db, new_id)
    assert found is not None
    return found


def _referral_visible(ctx: Context, referral: ReferralRow) -> bool:
    if referral.case_service and rules.is_sealed(referral.case_service):
        return ctx.user.can(Permission.CASE_NOTES)
    return True


def record_referral_outcome(*, ctx: Context, referral_id: str, outcome: str, note: str = "",
                            next_due: date | None = None) -> ReferralRow:
    """What came of a referral: obtained, refused, person unreachable (the follow-up ends), or
    still pending (the next follow-up is due on `next_due`, two weeks by default)."""
    ctx.require(Permission.LOG_VISIT)
    referral = reads.get_referral(ctx.db, referral_id)
    if referral is None or not _referral_visible(ctx, referral):
        raise errors.NotFound()
    if referral.outcome in rules.FINAL_REFERRAL_OUTCOMES:
        raise errors.JisrError(N_("The outcome of this referral is already recorded."),
                               field="outcome")
    due, text = rules.check_referral_outcome(outcome=outcome, today=ctx.today(),
                                             next_due=next_due, note=note)
    values: dict[str, object] = {"outcome": str(outcome), "outcome_on": ctx.today()}
    if due is not None:
        values["due_on"] = due
    if text:
        values["note"] = text
    with transaction(ctx.db):
        ledger.write_record(ctx, "referral", referral_id, values, action="referral_outcome")
    found = reads.get_referral(ctx.db, referral_id)
    assert found is not None
    return found


def followups_due(*, ctx: Context, day: date | None = None) -> list[ReferralRow]:
    """The "Follow-ups due" list: referrals due by `day` (today) without a final outcome,
    oldest due first (those of sealed cases: counsellors only)."""
    ctx.require(Permission.LOG_VISIT)
    return [r for r in reads.referrals_due(ctx.db, day or ctx.today())
            if _referral_visible(ctx, r)]


def referrals_of(*, ctx: Context, person_id: str) -> list[ReferralRow]:
    ctx.require(Permission.LOG_VISIT)
    return [r for r in reads.referrals(ctx.db, person_id=person_id) if _referral_visible(ctx, r)]
