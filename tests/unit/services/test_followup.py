"""Follow-up cases of every service and referrals that are followed up (docs/domain.md,
"Follow-up"): each kind of case opens, takes sessions and closes with an outcome of its own
list; sealed services keep their words out of the countable rows and the audit log; referrals
from a visit or a case stay in the "Follow-ups due" list until a final outcome."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from jisr_desktop import errors
from jisr_desktop.context import Context, User
from jisr_desktop.domain import followup as rules
from jisr_desktop.services import accounts, households, registry, visits
from jisr_desktop.services import followup as fu
from tests.fixtures import FakeClock

TODAY = date(2026, 11, 2)
SECRET = "He shouts at the children every night"


@pytest.fixture
def couns_ctx(system_ctx: Context) -> Context:
    user: User = accounts.create_account(ctx=system_ctx, username="couns", display_name="Salma",
                                         role="counsellor", password="correct horse")
    return Context(db=system_ctx.db, user=user, clock=system_ctx.clock)


@pytest.fixture
def amina(system_ctx: Context):  # type: ignore[no-untyped-def]
    return registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Amina", "family_name_lat": "Alaoui", "sex": "F"})


@pytest.fixture
def family(system_ctx: Context, amina):  # type: ignore[no-untyped-def]
    husband = registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Karim", "family_name_lat": "Alaoui", "sex": "M"})
    home = households.create_household(ctx=system_ctx, head_person_id=husband.id, name="Alaoui")
    households.add_member(ctx=system_ctx, household_id=home.id, person_id=amina.id,
                          relationship="spouse")
    return amina, husband, home


ORDINARY = [
    (rules.Service.INCUBATOR, ["training", "childcare"], "income_activity"),
    (rules.Service.DISABILITY, ["orientation", "documents"], "documents_obtained"),
    (rules.Service.YOUTH, ["forsa", "training"], "self_employment"),
    (rules.Service.PRE_MARRIAGE, [], "completed"),
    (rules.Service.PARENTING, [], "completed"),
]


@pytest.mark.parametrize(("service", "goals", "outcome"), ORDINARY)
def test_an_ordinary_case_opens_takes_sessions_and_closes(coord_ctx, amina, service, goals,  # type: ignore[no-untyped-def]
                                                          outcome) -> None:
    case = fu.open_case(ctx=coord_ctx, service=service, person_id=amina.id,
                        opened_on=TODAY - timedelta(days=30), situation="Single mother, 2 kids",
                        goals=goals)
    assert (case.status, case.staff_id, case.goals, case.file_no) == (
        "open", coord_ctx.user.id, tuple(goals), amina.file_no)
    fu.add_action(ctx=coord_ctx, case_id=case.id, kind="session",
                  day=TODAY - timedelta(days=7), note="First interview")
    fu.add_action(ctx=coord_ctx, case_id=case.id, kind="action", day=TODAY,
                  note="Called the training center")
    with pytest.raises(errors.JisrError) as bad:
        fu.close_case(ctx=coord_ctx, case_id=case.id, outcome="agreement")  # mediation's
    assert bad.value.field == "outcome"
    closed = fu.close_case(ctx=coord_ctx, case_id=case.id, outcome=outcome)
    assert (closed.status, closed.outcome, closed.closed_on) == ("closed", outcome, TODAY)
    file = fu.get_case_file(ctx=coord_ctx, case_id=case.id)
    assert [a.note for a in file.actions] == ["First interview", "Called the training center"]
    with pytest.raises(errors.JisrError):
        fu.add_action(ctx=coord_ctx, case_id=case.id, kind="session", day=TODAY, note="late")
    counts = fu.case_counts(coord_ctx.db, TODAY.replace(day=1), TODAY)
    assert counts[service] == {"opened": 0, "closed": 1, "open": 0, f"outcome:{outcome}": 1}


def test_ordinary_case_rules_name_the_field(coord_ctx, amina) -> None:  # type: ignore[no-untyped-def]
    for kwargs, field in (
            ({"service": "astrology", "person_id": amina.id}, "service"),
            ({"service": "youth"}, "person_id"),
            ({"service": "youth", "person_id": amina.id, "goals": ["childcare"]}, "goals"),
            ({"service": "youth", "person_id": amina.id,
              "opened_on": TODAY + timedelta(days=1)}, "opened_on")):
        with pytest.raises(errors.JisrError) as bad:
            fu.open_case(ctx=coord_ctx, **kwargs)  # type: ignore[arg-type]
        assert bad.value.field == field, kwargs
    case = fu.open_case(ctx=coord_ctx, service="youth", person_id=amina.id,
                        opened_on=TODAY - timedelta(days=3))
    with pytest.raises(errors.JisrError) as bad:
        fu.add_action(ctx=coord_ctx, case_id=case.id, kind="session",
                      day=TODAY - timedelta(days=4), note="before")
    assert bad.value.field == "day"


def test_roles_receptionist_coordinator_counsellor(ctx, coord_ctx, couns_ctx, family) -> None:  # type: ignore[no-untyped-def]
    amina, _husband, _home = family
    with pytest.raises(errors.PermissionDenied):
        fu.open_case(ctx=ctx, service="incubator", person_id=amina.id)
    with pytest.raises(errors.PermissionDenied):  # a coordinator never opens a sealed case
        fu.open_case(ctx=coord_ctx, service="psychosocial", person_id=amina.id)
    with pytest.raises(errors.PermissionDenied):
        fu.open_case(ctx=couns_ctx, service="incubator", person_id=amina.id)
    sealed_case = fu.open_case(ctx=couns_ctx, service="psychosocial", person_id=amina.id)
    ordinary = fu.open_case(ctx=coord_ctx, service="incubator", person_id=amina.id)
    # the coordinator does not even see that the sealed case exists, the counsellor sees both
    assert [c.id for c in fu.cases_of_person(ctx=coord_ctx, person_id=amina.id)] == [ordinary.id]
    assert {c.id for c in fu.cases_of_person(ctx=couns_ctx, person_id=amina.id)} == {
        ordinary.id, sealed_case.id}
    with pytest.raises(errors.NotFound):
        fu.get_case_file(ctx=coord_ctx, case_id=sealed_case.id)
    with pytest.raises(errors.NotFound):
        fu.close_case(ctx=coord_ctx, case_id=sealed_case.id, outcome="improved")
    assert fu.open_cases(ctx=ctx) == []  # reception sees no case
    assert fu.may_open(ctx=couns_ctx, service="family_mediation")
    assert not fu.may_open(ctx=coord_ctx, service="family_mediation")


@pytest.mark.parametrize("service", ["family_counselling", "psychosocial", "family_mediation"])
def test_a_sealed_case_keeps_its_words_out_of_the_countable_rows(couns_ctx, coord_ctx, family,  # type: ignore[no-untyped-def]
                                                                 service) -> None:
    amina, husband, home = family
    with pytest.raises(errors.JisrError) as bad:
        fu.open_case(ctx=couns_ctx, service="family_mediation", person_id=amina.id)
    assert bad.value.field == "household_id"
    who = ({"household_id": home.id} if service == "family_mediation"
           else {"person_id": amina.id, "household_id": home.id})
    with pytest.raises(errors.JisrError) as bad:
        fu.open_case(ctx=couns_ctx, service=service, situation=SECRET, **who)
    assert bad.value.field == "situation"
    case = fu.open_case(ctx=couns_ctx, service=service, opened_on=TODAY - timedelta(days=10),
                        **who)
    fu.save_sealed_plan(ctx=couns_ctx, case_id=case.id, plan="Plan: " + SECRET,
                        parties=[amina.id, husband.id] if service == "family_mediation" else [])
    session = fu.add_action(ctx=couns_ctx, case_id=case.id, kind="session",
                            day=TODAY - timedelta(days=2), note=SECRET)
    assert session.note == ""  # the countable row holds no words
    file = fu.get_case_file(ctx=couns_ctx, case_id=case.id)
    assert file.plan == "Plan: " + SECRET and file.notes == {session.id: SECRET}
    if service == "family_mediation":
        assert file.parties == (amina.id, husband.id)
    outcome = rules.OUTCOMES[service][0]
    fu.close_case(ctx=couns_ctx, case_id=case.id, outcome=outcome)
    db = couns_ctx.db
    for table in ("followup_case", "followup_action", "audit_log"):
        dump = json.dumps(db.execute(f"SELECT * FROM {table}").fetchall())
        assert "shouts" not in dump, table
    ops = db.execute("SELECT entity, patch FROM outbox WHERE patch LIKE '%shouts%'").fetchall()
    assert {entity for entity, _patch in ops} == {"followup_sealed"}  # only sealed ops
    # the proof partition: sealed content is a counselling entity, the case row is not
    import jisr_protocol as p
    assert p.ENTITIES["followup_sealed"].partition == "counselling"
    assert p.ENTITIES["followup_case"].partition == "center"
    # what a coordinator's report may count
    assert fu.case_counts(coord_ctx.db, TODAY.replace(day=1), TODAY)[service][
        f"outcome:{outcome}"] == 1
    with pytest.raises(errors.JisrError) as bad:
        fu.save_sealed_plan(ctx=couns_ctx, case_id=case.id, plan="x", parties=["stranger"])
    assert bad.value.field == "person_id"


def test_mediation_parties_are_members_of_the_household(couns_ctx, system_ctx, family) -> None:  # type: ignore[no-untyped-def]
    amina, _husband, home = family
    stranger = registry.register_person(ctx=system_ctx, data={"given_name_lat": "Zineb"})
    case = fu.open_case(ctx=couns_ctx, service="family_mediation", household_id=home.id)
    with pytest.raises(errors.JisrError) as bad:
        fu.save_sealed_plan(ctx=couns_ctx, case_id=case.id, plan="", parties=[amina.id, stranger.id])
    assert bad.value.field == "parties"
    assert fu.cases_of_person(ctx=couns_ctx, person_id=amina.id)[0].household_name == "Alaoui"


def test_a_visit_referred_elsewhere_is_followed_up_until_its_outcome(ctx, amina, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    visit = visits.log_visit(ctx=ctx, data={
        "person_id": amina.id, "program_code": "amo_tadamon", "channel": "in_person",
        "outcome": "referred", "referral_to": "Centre de santé Hay Salam"})
    informed = visits.log_visit(ctx=ctx, data={
        "person_id": amina.id, "program_code": "rsu", "channel": "phone", "outcome": "informed"})
    assert informed.id != visit.id
    [referral] = fu.referrals_of(ctx=ctx, person_id=amina.id)
    assert (referral.visit_id, referral.program_code, referral.body, referral.due_on) == (
        visit.id, "amo_tadamon", "Centre de santé Hay Salam", TODAY + timedelta(days=14))
    assert fu.followups_due(ctx=ctx) == []  # not due yet
    clock.advance(days=14)
    [due] = fu.followups_due(ctx=ctx)
    assert (due.id, due.file_no) == (referral.id, amina.file_no)
    # still pending: the next follow-up is due later, and it leaves the list until then
    pending = fu.record_referral_outcome(ctx=ctx, referral_id=referral.id, outcome="pending",
                                         note="File at the office")
    assert pending.due_on == TODAY + timedelta(days=28) and pending.outcome == "pending"
    assert fu.followups_due(ctx=ctx) == []
    with pytest.raises(errors.JisrError) as bad:
        fu.record_referral_outcome(ctx=ctx, referral_id=referral.id, outcome="pending",
                                   next_due=ctx.today())
    assert bad.value.field == "due_on"
    clock.advance(days=15)
    assert [r.id for r in fu.followups_due(ctx=ctx)] == [referral.id]
    done = fu.record_referral_outcome(ctx=ctx, referral_id=referral.id, outcome="obtained")
    assert done.outcome == "obtained" and done.note == "File at the office"
    assert fu.followups_due(ctx=ctx) == []
    with pytest.raises(errors.JisrError):
        fu.record_referral_outcome(ctx=ctx, referral_id=referral.id, outcome="refused")
    assert fu.referral_outcomes(ctx.db, TODAY.replace(day=1), TODAY.replace(day=30)) == {
        "amo_tadamon": {"obtained": 1}}


def test_a_visit_can_set_the_follow_up_date(ctx, amina) -> None:  # type: ignore[no-untyped-def]
    visits.log_visit(ctx=ctx, data={
        "person_id": amina.id, "program_code": "forsa", "channel": "in_person",
        "outcome": "referred", "referral_to": "ANAPEC", "follow_up_on": TODAY.isoformat()})
    [due] = fu.followups_due(ctx=ctx)
    assert due.body == "ANAPEC" and due.due_on == TODAY


def test_referrals_from_a_case_and_their_outcomes_per_program(ctx, coord_ctx, couns_ctx, amina) -> None:  # type: ignore[no-untyped-def]
    youth = fu.open_case(ctx=coord_ctx, service="youth", person_id=amina.id, goals=["awrach"])
    r1 = fu.refer(ctx=coord_ctx, person_id=amina.id, program_code="awrach", case_id=youth.id,
                  due_on=TODAY)
    r2 = fu.refer(ctx=ctx, person_id=amina.id, body="Association Al Amal", due_on=TODAY)
    psy = fu.open_case(ctx=couns_ctx, service="psychosocial", person_id=amina.id)
    r3 = fu.refer(ctx=couns_ctx, person_id=amina.id, body="Hôpital psychiatrique",
                  case_id=psy.id, due_on=TODAY)
    with pytest.raises(errors.JisrError) as bad:
        fu.refer(ctx=ctx, person_id=amina.id)
    assert bad.value.field == "body"
    with pytest.raises(errors.JisrError) as bad:
        fu.refer(ctx=ctx, person_id=amina.id, program_code="lottery")
    assert bad.value.field == "program_code"
    with pytest.raises(errors.NotFound):  # reception does not see cases, nor refers from one
        fu.refer(ctx=ctx, person_id=amina.id, body="x", case_id=youth.id)
    # reception sees the ordinary referrals due; the sealed case's is the counsellor's
    assert [r.id for r in fu.followups_due(ctx=ctx)] == [r1.id, r2.id]
    assert {r.id for r in fu.followups_due(ctx=couns_ctx)} == {r1.id, r2.id, r3.id}
    with pytest.raises(errors.NotFound):
        fu.record_referral_outcome(ctx=ctx, referral_id=r3.id, outcome="obtained")
    fu.record_referral_outcome(ctx=ctx, referral_id=r1.id, outcome="refused")
    fu.record_referral_outcome(ctx=ctx, referral_id=r2.id, outcome="unreachable")
    assert [r.id for r in fu.get_case_file(ctx=coord_ctx, case_id=youth.id).referrals] == [r1.id]
    assert fu.referral_outcomes(ctx.db, TODAY, TODAY) == {
        "awrach": {"refused": 1}, "Association Al Amal": {"unreachable": 1},
        "Hôpital psychiatrique": {"open": 1}}
