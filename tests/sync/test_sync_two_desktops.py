"""Two real desktops of one center, offline work through the services, syncing in various
orders with a real HQ subprocess: at the end both desktops and HQ hold identical content,
with exactly the expected conflicts (docs/sync.md, guarantees 9, 10, 17; issue 6 "two-desktop end-to-end").
HQ runs on SQLite and on PostgreSQL (the `hq` fixture)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

from jisr_desktop import ledger
from jisr_desktop.services import conflicts, nursery, registry, visits
from jisr_desktop.sync import client as sync_client
from tests.hq.hqkit import HqServer
from tests.sync.deskkit import Desk, assert_same_as_hq, hq_content


def _center_keys(hq: HqServer, *desks: Desk) -> set[tuple[str, str]]:
    """The rows of the desktops' center at HQ (the server is shared by the module's tests)."""
    ids = {(t, i) for d in desks for t, rows in d.content().items() for i in rows}
    return {k for k in hq_content(hq) if k in ids}


def _last_hlc(desk: Desk, entity_id: str, field: str) -> str:
    rows = desk.db.execute("SELECT patch, hlc FROM outbox WHERE entity_id = ? ORDER BY epoch, seq",
                           [entity_id]).fetchall()
    return [hlc for patch, hlc in rows if field in json.loads(patch)][-1]


@pytest.mark.parametrize("order", ["AB", "BA"])
def test_two_desktops_converge_with_one_conflict(
        hq: HqServer, desks: Callable[..., Desk], order: str) -> None:
    _code, codes = hq.new_center(codes=2)
    a = desks("A")  # installed before enrollment: its local center is re-keyed to HQ's
    b = desks("B", local_center=False)  # a fresh install, enrolled at once

    # A works before it is enrolled
    amina = registry.register_person(ctx=a.ctx(), data={
        "given_name_lat": "Amina", "family_name_lat": "Alaoui", "phone": "0612345678"})
    kid = registry.register_person(ctx=a.ctx(), data={
        "given_name_lat": "Adam", "family_name_lat": "Alaoui", "birth_date": date(2025, 3, 10)})
    nursery.enroll_child(ctx=a.coord, child_id=kid.id)
    a.enroll(hq, codes[0])
    assert a.db.execute("SELECT count(*) FROM person WHERE center_id != "
                        "(SELECT value FROM meta WHERE key = 'center_id')").fetchone()[0] == 0
    first = a.sync()
    assert first.pushed > 0 and ledger.pending_count(a.db) == 0 and not first.rejected
    b.enroll(hq, codes[1])
    b.sync()
    assert b.content()["person"].keys() == a.content()["person"].keys()
    assert b.db.execute("SELECT search_names FROM person WHERE id = ?",
                        [amina.id]).fetchone()[0], "search columns refreshed on apply"

    # both offline: A and B edit Amina's phone (same field) and B her address (other field);
    # both check the child in (one fact, one deterministic id); each registers someone.
    a.clock.advance(hours=1)
    b.clock.advance(hours=1)
    registry.update_person(ctx=a.ctx(), person_id=amina.id, data={"phone": "0611111111"})
    registry.update_person(ctx=b.ctx(), person_id=amina.id, data={"phone": "0622222222"})
    registry.update_person(ctx=b.ctx(), person_id=amina.id, data={"address": "Derb 5, Fès"})
    a_in = nursery.check_in_child(ctx=a.ctx(), child_id=kid.id, dropped_off_by_name="Mother")
    b_in = nursery.check_in_child(ctx=b.ctx(), child_id=kid.id, dropped_off_by_name="Mother")
    assert a_in.event_id == b_in.event_id
    registry.register_person(ctx=a.ctx(), data={"given_name_lat": "Salma", "family_name_lat": "A"})
    registry.register_person(ctx=b.ctx(), data={"given_name_lat": "Youssef", "family_name_lat": "B"})
    visits.log_visit(ctx=b.ctx(), data={"person_id": amina.id, "program_code": "rsu",
                                        "channel": "in_person", "outcome": "informed"})
    a_phone, b_phone = _last_hlc(a, amina.id, "phone"), _last_hlc(b, amina.id, "phone")

    first_desk, second = (a, b) if order == "AB" else (b, a)
    first_desk.sync()
    second.sync()
    first_desk.sync()
    second.sync()

    # identical everywhere
    assert a.content() == b.content()
    keys = _center_keys(hq, a, b)
    assert_same_as_hq(a, hq, keys)
    assert_same_as_hq(b, hq, keys)
    person = a.content()["person"][amina.id]
    a_val, b_val = "+212611111111", "+212622222222"  # as the registry stores them
    winner, loser = (a_val, b_val) if a_phone > b_phone else (b_val, a_val)
    assert person["phone"] == winner and person["address"] == "Derb 5, Fès"
    assert len(a.content()["check_in"]) == 1

    # exactly one conflict, the phone, everywhere
    assert a.conflicts() == b.conflicts()
    (conflict_id, conflict), = a.conflicts().items()
    assert conflict[:4] == ("person", amina.id, "phone", "concurrent_edit")
    assert json.loads(conflict[4]) == winner and json.loads(conflict[5]) == loser
    assert hq.scalar("SELECT count(*) FROM jisr_hq_conflict WHERE entity_id = ?",
                     hq.uid(amina.id)) == 1

    # the coordinator keeps the losing value: recorded through the protocol, seen everywhere
    assert [c["id"] for c in sync_client.open_conflicts(a.db)] == [conflict_id]
    conflicts.resolve_conflict(a.coord, conflict_id, "keep_loser")
    assert sync_client.open_conflicts(a.db) == []
    a.sync()
    b.sync()
    a.sync()
    assert a.content() == b.content()
    assert a.content()["person"][amina.id]["phone"] == loser
    assert a.conflicts()[conflict_id][-1] == "keep_loser" == b.conflicts()[conflict_id][-1]
    assert sync_client.open_conflicts(b.db) == []
    assert_same_as_hq(b, hq, _center_keys(hq, a, b))
    # nothing left to send; a no-op sync is one request
    assert ledger.pending_count(a.db) == 0
    assert a.sync().requests == 1
