"""Visits: the program catalogue, logging a visit as an event, the day's list, permissions."""

from __future__ import annotations

import json

import pytest

from jisr_desktop import errors
from jisr_desktop.context import Context
from jisr_desktop.services import registry, visits


@pytest.fixture
def person(ctx: Context):  # type: ignore[no-untyped-def]
    return registry.register_person(ctx=ctx, data={"given_name_ar": "فاطمة", "family_name_ar": "العلوي"})


def test_catalogue_is_seeded_in_three_languages(ctx: Context) -> None:
    programs = visits.list_programs(ctx=ctx)
    assert [p.code for p in programs] == ["rsu", "amo_tadamon", "forsa", "intelaka", "awrach",
                                          "direct_support", "other"]
    assert all(p.name_ar and p.name_fr and p.name_en for p in programs)
    assert programs[0].name("fr").startswith("Registre social")


def test_log_visit_writes_event_outbox_and_audit(ctx: Context, person) -> None:  # type: ignore[no-untyped-def]
    visit = visits.log_visit(ctx=ctx, data={"person_id": person.id, "program_code": "rsu",
                                            "channel": "in_person", "outcome": "helped"})
    assert visit.day == ctx.today().isoformat()
    assert visit.user_id == ctx.user.id
    op = ctx.db.execute("SELECT kind, patch FROM outbox WHERE entity = 'visit' AND entity_id = ?",
                        [visit.id]).fetchone()
    assert op[0] == "event" and json.loads(op[1])["program_code"] == "rsu"
    assert registry.history(ctx=ctx, entity="visit", entity_id=visit.id)[0]["action"] == "log_visit"
    day = visits.visits_on(ctx=ctx, day=ctx.today())
    assert [r.visit.id for r in day] == [visit.id]
    assert day[0].person_name("ar") == "فاطمة العلوي"
    assert day[0].program is not None and day[0].program.code == "rsu"


def test_same_visit_id_is_logged_once(ctx: Context, person) -> None:  # type: ignore[no-untyped-def]
    data = {"person_id": person.id, "program_code": "forsa", "channel": "phone", "outcome": "informed"}
    visits.log_visit(ctx=ctx, data=data, visit_id="v-1")
    visits.log_visit(ctx=ctx, data=data, visit_id="v-1")
    assert len(visits.visits_of(ctx=ctx, person_id=person.id)) == 1


def test_validation_messages_name_the_fields(ctx: Context, person) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.ValidationFailed) as caught:
        visits.log_visit(ctx=ctx, data={"person_id": person.id, "program_code": "nope",
                                        "channel": "fax", "outcome": "referred"})
    fields = {m.field for m in caught.value.messages}
    assert fields == {"program_code", "channel", "referral_to"}
    assert all(m.text("ar") != m.msgid for m in caught.value.messages)


def test_unknown_person_is_refused(ctx: Context) -> None:
    with pytest.raises(errors.NotFound):
        visits.log_visit(ctx=ctx, data={"person_id": "ghost", "program_code": "rsu",
                                        "channel": "phone", "outcome": "informed"})


def test_visits_of_other_days_are_not_listed(ctx: Context, person, clock) -> None:  # type: ignore[no-untyped-def]
    visits.log_visit(ctx=ctx, data={"person_id": person.id, "program_code": "rsu",
                                    "channel": "phone", "outcome": "informed"})
    clock.advance(days=1)
    assert visits.visits_on(ctx=ctx, day=ctx.today()) == []


def test_a_role_without_log_visit_is_refused(system_ctx: Context, person) -> None:  # type: ignore[no-untyped-def]
    from jisr_desktop.context import User

    outsider = Context(db=system_ctx.db, user=User("x", "x", "X", "nobody"), clock=system_ctx.clock)
    with pytest.raises(errors.PermissionDenied):
        visits.log_visit(ctx=outsider, data={"person_id": person.id, "program_code": "rsu",
                                             "channel": "phone", "outcome": "informed"})


def test_visits_follow_a_merge_and_its_undo(ctx: Context, coord_ctx: Context, person) -> None:  # type: ignore[no-untyped-def]
    twin = registry.register_person(ctx=ctx, data={"given_name_lat": "Fatima", "family_name_lat": "Alaoui"})
    visits.log_visit(ctx=ctx, data={"person_id": twin.id, "program_code": "rsu",
                                    "channel": "phone", "outcome": "informed"})
    assert visits.visits_of(ctx=ctx, person_id=person.id) == []
    merge_id = registry.merge_persons(ctx=coord_ctx, survivor_id=person.id, merged_id=twin.id)
    assert [v.person_id for v in visits.visits_of(ctx=ctx, person_id=person.id)] == [twin.id]
    registry.undo_merge(ctx=coord_ctx, merge_id=merge_id)
    assert visits.visits_of(ctx=ctx, person_id=person.id) == []
    assert len(visits.visits_of(ctx=ctx, person_id=twin.id)) == 1
