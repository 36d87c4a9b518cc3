"""Enrolling a desktop again after HQ revoked it, against a real HQ subprocess.

The revoked desktop keeps its work; enrolled again with a new code of its center, every change
HQ had not acknowledged reaches HQ exactly once under the new identity (including ops HQ did
apply but whose answer was lost), nothing delivered before is lost or doubled, and another
desktop of the center pulls it all. A code of another center is refused and changes nothing.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jisr_desktop import ledger
from jisr_desktop.context import SYSTEM_USER, Context
from jisr_desktop.db import meta
from jisr_desktop.db.connection import open_database, transaction
from jisr_desktop.services import registry, visits
from jisr_desktop.sync import client as sync_client
from jisr_desktop.sync.client import SyncFailed, WrongCenter
from tests.hq.hqkit import REPO, HqServer
from tests.sync.deskkit import Desk, assert_same_as_hq, differences, hq_content


def _register(desk: Desk, given: str) -> str:
    return registry.register_person(ctx=desk.ctx(), data={
        "given_name_lat": given, "family_name_lat": desk.name}).id


def _new_code(hq: HqServer, center_code: str) -> str:
    return hq.cli("enrollment-code", "--center", center_code).stdout.split()[0]


def _center_id(desk: Desk) -> str:
    return str(meta.get(desk.db, "center_id"))


def _hq_rows(hq: HqServer, center_id: str) -> dict[tuple[str, str], int]:
    """How many HQ rows (records and events) each (entity, id) of the center has."""
    out: dict[tuple[str, str], int] = {}
    for table in ("jisr_hq_record", "jisr_hq_event"):
        for entity, entity_id, n in hq.query(
                f"SELECT entity, entity_id, count(*) FROM {table} WHERE center_id = ?"
                " GROUP BY entity, entity_id", hq.uid(center_id)):
            key = (entity, str(uuid.UUID(str(entity_id))))
            out[key] = out.get(key, 0) + n
    return out


def _local_state(desk: Desk) -> dict[str, Any]:
    """Everything enrolling must not touch when it is refused."""
    db = desk.db
    return {
        "sync_state": db.execute("SELECT * FROM sync_state").fetchall(),
        "acked": db.execute("SELECT * FROM sync_acked ORDER BY epoch").fetchall(),
        "outbox": db.execute("SELECT * FROM outbox ORDER BY epoch, seq").fetchall(),
        "meta": db.execute("SELECT key, value FROM meta WHERE key != 'hlc' ORDER BY key").fetchall(),
        "center": db.execute("SELECT * FROM center ORDER BY id").fetchall(),
        "content": desk.content(),
    }


def test_revoked_desktop_enrolls_again_and_every_change_reaches_hq_once(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    center_code, codes = hq.new_center(codes=2)
    a, b = desks("A"), desks("B", local_center=False)
    a.enroll(hq, codes[0])
    b.enroll(hq, codes[1])
    center_id = _center_id(a)
    old_device = sync_client.state(a.db).device_id

    delivered = {_register(a, f"Synced{i}") for i in range(3)}
    a.sync()
    # Two more persons reach HQ, but the answer is "lost": the desktop still counts them as
    # pending, so they are sent again under the new identity and must not double.
    answer_lost = {_register(a, "AnswerLost1"), _register(a, "AnswerLost2")}
    a.sync()
    (epoch, through), = a.db.execute("SELECT epoch, acked_through FROM sync_acked").fetchall()
    a.db.execute("UPDATE sync_acked SET acked_through = ? WHERE epoch = ?", [through - 2, epoch])

    # work HQ never saw: new persons, an edit of a delivered one, a delete, a visit (event),
    # and a row written outside the services (dirty)
    pending = {_register(a, "Pending1"), _register(a, "Pending2")}
    edited = sorted(delivered)[0]
    registry.update_person(ctx=a.ctx(), person_id=edited, data={"phone": "0612345678"})
    gone = sorted(delivered)[1]
    with transaction(a.db):
        ledger.tombstone(a.coord, "person", gone, action="delete_person")
    visit = visits.log_visit(ctx=a.ctx(), data={"person_id": sorted(pending)[0],
                                               "program_code": "rsu", "channel": "in_person",
                                               "outcome": "informed"})
    a.db.execute("UPDATE person SET notes = 'written outside' WHERE id = ?", [sorted(pending)[1]])
    waiting = ledger.pending_count(a.db)
    assert waiting >= 2 + 2 + 1 + 1 + 1 + 1

    hq.cli("revoke-device", old_device)
    with pytest.raises(SyncFailed) as failed:
        a.sync()
    assert failed.value.code == "device_revoked"
    kept = a.content()
    assert set(kept["person"]) == delivered | answer_lost | pending
    assert ledger.pending_count(a.db) == waiting  # the dirty row became an op, nothing was sent

    # the same code path refuses without a reason to enroll again ...
    c = desks("C")
    c.enroll(hq, _new_code(hq, center_code))
    with pytest.raises(SyncFailed) as refused:
        c.client().enroll(hq.base_url, _new_code(hq, center_code))
    assert refused.value.code == "already_enrolled"

    # ... and accepts it after the revocation
    answer = a.client(a.coordinator).enroll(hq.base_url, _new_code(hq, center_code), "A again")
    st = sync_client.state(a.db)
    assert st.device_id == str(answer.device_id) != old_device
    assert st.cursor == "" and st.last_error_code == "" and _center_id(a) == center_id
    assert a.content() == kept  # enrolling again changed no data
    report = a.sync()
    assert not report.rejected and report.open_conflicts == 0
    assert ledger.pending_count(a.db) == 0

    # HQ: every row once, the same content as the desktop, no conflict made by the resend
    rows = _hq_rows(hq, center_id)
    assert set(rows.values()) == {1}
    local = {(t, i) for t, r in a.content().items() for i in r}
    assert local <= set(rows)
    assert {k for k in rows if k[0] == "person"} == {("person", i) for i in kept["person"]}
    assert rows[("visit", visit.id)] == 1
    assert_same_as_hq(a, hq, set(rows))
    assert hq.scalar("SELECT count(*) FROM jisr_hq_conflict WHERE center_id = ?",
                     hq.uid(center_id)) == 0
    at_hq = hq_content(hq)
    assert at_hq[("person", edited)][0]["phone"] == "+212612345678"
    assert at_hq[("person", gone)][1] is True
    assert at_hq[("person", sorted(pending)[1])][0]["notes"] == "written outside"
    # the re-sent ops went under the new device, in a fresh stream from seq 1
    streams = hq.query("SELECT epoch, high_water FROM jisr_hq_stream WHERE device_id = ?",
                       hq.uid(st.device_id))
    new_ops = {r[0] for r in a.db.execute("SELECT op_id FROM outbox WHERE epoch = ?", [epoch + 1])}
    assert [(e, h) for e, h in streams] == [(epoch + 1, waiting)] and len(new_ops) == waiting

    # later work keeps flowing in the new epoch; the other desktop of the center gets it all
    later = _register(a, "Later")
    a.sync()
    b.sync()
    assert differences(a, b) == []
    assert later in b.content()["person"] and gone in b.content()["person"]
    assert b.db.execute("SELECT deleted FROM person WHERE id = ?", [gone]).fetchone()[0] == 1
    assert visit.id in b.content()["visit"]
    assert set(_hq_rows(hq, center_id).values()) == {1}


def test_a_code_of_another_center_is_refused_and_changes_nothing(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    center_code, codes = hq.new_center(codes=1)
    other_code, other_codes = hq.new_center(codes=1)
    a = desks("A")
    a.enroll(hq, codes[0])
    _register(a, "Synced")
    a.sync()
    _register(a, "Pending")
    hq.cli("revoke-device", sync_client.state(a.db).device_id)
    with pytest.raises(SyncFailed):
        a.sync()
    before = _local_state(a)

    with pytest.raises(WrongCenter) as refused:
        a.client().enroll(hq.base_url, other_codes[0], again=True)
    assert refused.value.code == "wrong_center"
    text = refused.value.message()
    assert other_code in text and center_code in text and "Nothing was changed" in text
    assert _local_state(a) == before
    # HQ refused it before spending it: no stray device, the code still usable
    other_center = hq.scalar("SELECT id FROM jisr_hq_center WHERE code = ?", other_code)
    assert hq.scalar("SELECT count(*) FROM jisr_hq_device WHERE center_id = ?", other_center) == 0
    assert hq.scalar("SELECT count(*) FROM jisr_hq_enrollmentcode WHERE center_id = ?"
                     " AND used_at IS NULL", other_center) == 1

    # a right code still works afterwards, and the pending person arrives
    a.client().enroll(hq.base_url, _new_code(hq, center_code))
    a.sync()
    assert ledger.pending_count(a.db) == 0
    assert_same_as_hq(a, hq, set(_hq_rows(hq, _center_id(a))))


def _jisr(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang", "en",
                           *args], capture_output=True, text=True, timeout=120, cwd=REPO)


def test_cli_enroll_again(hq: HqServer, tmp_path: Path) -> None:
    center_code, codes = hq.new_center(codes=1)
    home = tmp_path / "cli"
    done = _jisr(home, "enroll", "--server", hq.base_url, "--code", codes[0])
    assert done.returncode == 0, done.stderr
    db = open_database(home)
    try:
        person = registry.register_person(ctx=Context(db=db, user=SYSTEM_USER), data={
            "given_name_lat": "Karima", "family_name_lat": "Cli"}).id
        old_device = sync_client.state(db).device_id
    finally:
        db.close()

    # still accepted by HQ: enrolling again needs the coordinator's explicit --again
    plain = _jisr(home, "enroll", "--server", hq.base_url, "--code", _new_code(hq, center_code))
    assert plain.returncode == 3 and "--again" in plain.stderr
    again = _jisr(home, "enroll", "--server", hq.base_url, "--code", _new_code(hq, center_code),
                  "--again")
    assert again.returncode == 0, again.stderr
    assert "Sent 1 change to HQ." in again.stdout and center_code in again.stdout
    db = open_database(home)
    try:
        assert sync_client.state(db).device_id != old_device
        assert ledger.pending_count(db) == 0
    finally:
        db.close()
    fields, deleted = hq_content(hq)[("person", person)]
    assert fields["given_name_lat"] == "Karima" and not deleted
