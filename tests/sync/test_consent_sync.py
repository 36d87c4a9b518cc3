"""Consents travel through the existing sync (issue 17, point 3): one desktop records a consent,
HQ keeps it as a center record, the other desktop of the center pulls it, withdraws it, and the
first one then refuses the processing in plain words. HQ runs on SQLite and on PostgreSQL (the
`hq` fixture)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from jisr_desktop.domain.consent import Purpose, State
from jisr_desktop.services import consent, registry
from tests.hq.hqkit import HqServer
from tests.sync.deskkit import Desk, hq_content


def _center(hq: HqServer) -> list[str]:
    code = "C" + uuid.uuid4().hex[:8].upper()
    out = hq.cli("create-center", "--code", code, "--name-fr", f"Centre {code}",
                 "--name-ar", f"مركز {code}", "--province", "CAS", "--codes", "2").stdout.split()
    return out[1:]


def test_a_consent_and_its_withdrawal_reach_hq_and_the_other_desktop(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    codes = _center(hq)
    a = desks("A")
    b = desks("B", local_center=False)
    a.enroll(hq, codes[0])
    b.enroll(hq, codes[1])
    a.sync()
    b.sync()

    amina = registry.register_person(ctx=a.ctx(), data={
        "given_name_lat": "Amina", "family_name_lat": "Alaoui", "birth_date": date(1990, 5, 1)})
    given = consent.give(ctx=a.ctx(), person_id=amina.id, purpose=Purpose.HQ_INDICATORS,
                         expires_on=date(2028, 1, 1))
    a.sync()
    fields, deleted = hq_content(hq)[("consent", given.id)]
    assert not deleted
    assert (fields["person_id"], fields["purpose"], fields["given_on"], fields["expires_on"]) == (
        amina.id, "hq_indicators", given.given_on.isoformat(), "2028-01-01")

    b.sync()
    [seen] = consent.consents_of(ctx=b.ctx(), person_id=amina.id)
    assert (seen.id, seen.state) == (given.id, State.VALID)
    consent.withdraw(ctx=b.ctx(), person_id=amina.id, purpose=Purpose.HQ_INDICATORS)
    b.sync()
    assert hq_content(hq)[("consent", given.id)][0]["withdrawn_on"] == a.clock().date().isoformat()

    a.sync()
    [back] = consent.consents_of(ctx=a.ctx(), person_id=amina.id)
    assert back.state == State.WITHDRAWN
    sentence = consent.blocking(a.ctx(), amina.id, Purpose.HQ_INDICATORS)
    assert sentence is not None and "withdrawn" in sentence


def test_a_purge_reaches_hq_as_removals_without_the_personal_data(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    from jisr_desktop.services import purge

    codes = _center(hq)
    a = desks("A")
    b = desks("B", local_center=False)
    a.enroll(hq, codes[0])
    b.enroll(hq, codes[1])
    old = registry.register_person(ctx=a.ctx(), data={
        "given_name_lat": "Oldname", "family_name_lat": "Gone", "phone": "0611111111"})
    given = consent.give(ctx=a.ctx(), person_id=old.id, purpose=Purpose.PHOTOS)
    a.sync()
    b.sync()
    assert hq_content(hq)[("person", old.id)][0]["given_name_lat"] == "Oldname"

    done = purge.purge(ctx=a.coord, on=date(2031, 11, 2))
    assert {(d.table, d.id) for d in done.doomed} == {("person", old.id), ("consent", given.id)}
    a.sync()
    fields, deleted = hq_content(hq)[("person", old.id)]
    assert deleted and fields["given_name_lat"] == "" and fields["phone"] is None
    assert hq_content(hq)[("consent", given.id)][1]
    b.sync()
    row = b.db.execute("SELECT deleted, given_name_lat, phone FROM person WHERE id = ?",
                       [old.id]).fetchone()
    assert row == (1, "", None)
