"""Retention and purge (issue 17, point 5) on a real database: the preview counts by category
what is past its period, the purge by a coordinator erases exactly that (personal fields
blanked, then deleted, both as synced ops), audited without the values, and never touches a
person under a legal hold, with an open case, or with sealed counselling content."""

from __future__ import annotations

import json
from datetime import date

import pytest

from jisr_desktop import errors
from jisr_desktop.context import Context
from jisr_desktop.services import accounts, case_notes, followup, nursery, purge, registry
from jisr_desktop.services.purge import EVENTS, HOLD, OPEN, SEALED

FIVE_YEARS = date(2031, 11, 2)  # the fixtures' clock starts on 2026-11-02


@pytest.fixture
def town(system_ctx, ctx, coord_ctx, person, child):  # type: ignore[no-untyped-def]
    old = person("Oldname", family="Gone", phone="0611111111", address="1 rue X")
    held = person("Heldname", family="Kept")
    busy = person("Busyname", family="Kept")
    followup.open_case(ctx=coord_ctx, service="incubator", person_id=busy.id)
    secret = person("Sealedname", family="Kept")
    counsellor = accounts.create_account(ctx=system_ctx, username="couns", display_name="C",
                                         role="counsellor", password="correct horse")
    case_notes.save_counselling_note(ctx=Context(db=ctx.db, user=counsellor, clock=ctx.clock),
                                     person_id=secret.id, session_date=date(2026, 11, 2),
                                     topic="marital", note="private")
    kid = child("Kidname", family="Young")
    place = nursery.enroll_child(ctx=coord_ctx, child_id=kid.id, allergies="eggs")
    nursery.end_enrollment(ctx=coord_ctx, enrollment_id=place.id)
    purge.set_hold(ctx=coord_ctx, person_id=held.id, reason="asked by the court")
    return {"old": old, "held": held, "busy": busy, "secret": secret, "kid": kid,
            "place": place}


def test_only_a_coordinator_previews_or_purges(ctx, town) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.PermissionDenied):
        purge.preview(ctx=ctx)
    with pytest.raises(errors.PermissionDenied):
        purge.purge(ctx=ctx)


def test_the_preview_counts_by_category_what_is_past_its_period(coord_ctx, town) -> None:  # type: ignore[no-untyped-def]
    assert purge.preview(ctx=coord_ctx).counts() == {}
    a_year = purge.preview(ctx=coord_ctx, on=date(2027, 11, 2))
    assert a_year.counts() == {"nursery": 1}  # the child's place and its allergy note
    assert [(d.table, d.id) for d in a_year.doomed] == [("enrollment", town["place"].id)]
    plan = purge.preview(ctx=coord_ctx, on=FIVE_YEARS)
    people = {d.person_id for d in plan.doomed if d.table == "person"}
    assert people == {town["old"].id, town["kid"].id}
    assert plan.kept[HOLD] >= 1 and plan.kept[OPEN] >= 1 and plan.kept[SEALED] >= 1
    assert purge.preview(ctx=coord_ctx, on=date(2031, 11, 1)).counts() == {"nursery": 1}
    # a preview removes nothing
    assert coord_ctx.db.execute("SELECT count(*) FROM person WHERE deleted = 1").fetchone() == (0,)


def test_the_purge_erases_then_deletes_as_synced_ops_and_audits_without_values(coord_ctx, town) -> None:  # type: ignore[no-untyped-def]
    db = coord_ctx.db
    old = town["old"]
    done = purge.purge(ctx=coord_ctx, on=FIVE_YEARS)
    assert done.persons() == 2
    row = db.execute("SELECT deleted, given_name_lat, family_name_lat, phone, address,"
                     " search_names FROM person WHERE id = ?", [old.id]).fetchone()
    assert row == (1, "", "", None, "", "")
    assert registry.search_persons(ctx=coord_ctx, text="Oldname") == []
    ops = db.execute("SELECT kind, patch FROM outbox WHERE entity = 'person' AND entity_id = ?"
                     " ORDER BY seq", [old.id]).fetchall()
    assert [k for k, _ in ops][-2:] == ["upsert", "delete"]
    assert json.loads(ops[-2][1])["given_name_lat"] == ""
    [entry] = db.execute("SELECT changes FROM audit_log WHERE action = 'purge' AND entity_id = ?",
                         [old.id]).fetchall()
    assert "Oldname" not in entry[0] and "0611111111" not in entry[0]
    assert "given_name_lat" in json.loads(entry[0])["erased"][1]
    [run] = db.execute("SELECT changes FROM audit_log WHERE action = 'purge_run'").fetchall()
    assert json.loads(run[0])["counts"][1] == done.counts()
    allergy = db.execute("SELECT deleted, allergies FROM enrollment WHERE id = ?",
                         [town["place"].id]).fetchone()
    assert allergy == (1, "")
    # what it must not touch
    for kept in ("held", "busy", "secret"):
        assert db.execute("SELECT deleted, given_name_lat FROM person WHERE id = ?",
                          [town[kept].id]).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM counselling_note WHERE deleted = 0").fetchone() == (1,)
    assert db.execute("SELECT count(*) FROM followup_case WHERE deleted = 0").fetchone() == (1,)
    # a second purge finds nothing more
    assert purge.purge(ctx=coord_ctx, on=FIVE_YEARS).doomed == []


def test_lifting_a_hold_lets_the_records_go(coord_ctx, town) -> None:  # type: ignore[no-untyped-def]
    held = town["held"].id
    assert held not in {d.person_id for d in purge.preview(ctx=coord_ctx, on=FIVE_YEARS).doomed}
    assert purge.lift_hold(ctx=coord_ctx, person_id=held)
    assert held in {d.person_id for d in purge.preview(ctx=coord_ctx, on=FIVE_YEARS).doomed}
    with pytest.raises(errors.JisrError) as err:
        purge.set_hold(ctx=coord_ctx, person_id=held, reason="")
    assert err.value.field == "reason"


def test_events_of_a_purged_person_are_counted_as_kept(coord_ctx, ctx, town) -> None:  # type: ignore[no-untyped-def]
    from jisr_desktop.services import visits

    visits.log_visit(ctx=ctx, data={"person_id": town["old"].id, "program_code": "rsu",
                                    "channel": "in_person", "outcome": "helped"})
    plan = purge.preview(ctx=coord_ctx, on=FIVE_YEARS)
    assert plan.kept[EVENTS] == 1


def test_jisr_purge_previews_then_removes(home, coord_ctx, person, clock) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    def jisr(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang",
                               "en", "purge", *args], capture_output=True, text=True,
                              timeout=180, input="correct horse\n",
                              env={**os.environ, "JISR_NO_KEYRING": "1"})

    clock.advance(days=-3000)  # registered in 2018: past five years on the real calendar
    ancient = person("Ancientname", family="Gone")
    clock.advance(days=3000)
    shown = jisr("--preview", "--user", "coord")
    assert shown.returncode == 0, shown.stderr
    assert "Registration of a person and household: 1" in shown.stdout
    assert coord_ctx.db.execute("SELECT deleted FROM person WHERE id = ?",
                                [ancient.id]).fetchone() == (0,)
    done = jisr("--yes", "--user", "coord")
    assert done.returncode == 0, done.stderr
    assert "Removed 1 record past its retention period." in done.stdout
    assert coord_ctx.db.execute("SELECT deleted, given_name_lat FROM person WHERE id = ?",
                                [ancient.id]).fetchone() == (1, "")


def test_the_settings_may_shorten_a_period_not_lengthen_it(home, coord_ctx, town) -> None:  # type: ignore[no-untyped-def]
    from jisr_desktop.settings import Settings

    settings = Settings(home)
    settings.set("retention_nursery_months", 6)
    shorter = purge.periods(settings)
    assert purge.preview(ctx=coord_ctx, on=date(2027, 5, 2), months=shorter).counts() == {
        "nursery": 1}
    settings.set("retention_nursery_months", 100)
    assert purge.periods(settings)["nursery"] == 12
    assert purge.preview(ctx=coord_ctx, on=date(2027, 5, 2),
                         months=purge.periods(settings)).counts() == {}


def test_a_household_that_stays_loses_its_purged_head(coord_ctx, ctx, person, clock) -> None:  # type: ignore[no-untyped-def]
    from jisr_desktop.services import households

    head = person("Headname", family="Gone")
    clock.advance(days=800)
    child = person("Childname", family="Stays")  # registered later: still within her period
    home = households.create_household(ctx=ctx, head_person_id=head.id)
    households.add_member(ctx=ctx, household_id=home.id, person_id=child.id, relationship="child")
    plan = purge.preview(ctx=coord_ctx, on=date(2032, 6, 1))
    assert {d.id for d in plan.doomed if d.table == "person"} == {head.id}
    purge.purge(ctx=coord_ctx, on=date(2032, 6, 1))
    assert ctx.db.execute("SELECT deleted, head_person_id FROM household WHERE id = ?",
                          [home.id]).fetchone() == (0, None)


def test_a_counsellor_purges_the_sealed_content_then_the_person_may_go(system_ctx, coord_ctx, town) -> None:  # type: ignore[no-untyped-def]
    db = coord_ctx.db
    counsellor = accounts.sign_in(ctx=system_ctx, username="couns", password="correct horse")
    couns = Context(db=db, user=counsellor, clock=coord_ctx.clock)
    with pytest.raises(errors.PermissionDenied):
        purge.purge_sealed(ctx=coord_ctx, on=FIVE_YEARS)
    assert purge.preview_sealed(ctx=couns, on=date(2031, 11, 1)).counts() == {}
    assert purge.preview_sealed(ctx=couns, on=FIVE_YEARS).counts() == {"sealed": 1}
    done = purge.purge_sealed(ctx=couns, on=FIVE_YEARS)
    [note] = [d.id for d in done.doomed]
    assert db.execute("SELECT deleted, note FROM counselling_note WHERE id = ?",
                      [note]).fetchone() == (1, "")
    kinds = [k for (k,) in db.execute("SELECT kind FROM outbox WHERE entity = 'counselling_note'"
                                      " AND entity_id = ? ORDER BY seq", [note]).fetchall()]
    assert kinds[-2:] == ["upsert", "delete"]
    assert all("private" not in c for (c,) in db.execute(
        "SELECT changes FROM audit_log WHERE entity_id = ? AND action = 'purge'", [note]))
    # the sealed content gone, the coordinator's purge may now remove her registration
    after = purge.preview(ctx=coord_ctx, on=FIVE_YEARS)
    assert town["secret"].id in {d.person_id for d in after.doomed if d.table == "person"}
