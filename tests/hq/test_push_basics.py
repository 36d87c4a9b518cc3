"""SYNC.md tests 1, 4, 17, 16 and the shape of push answers."""

from __future__ import annotations

import uuid

from jisr_protocol import PullResponse
from tests.hq.hqkit import HqServer, SimDesktop


def test_first_push_applies_and_pull_returns_state(hq: HqServer, desk: SimDesktop) -> None:
    pid = uuid.uuid4()
    r = desk.push([desk.op("person", pid, patch={"first_name": "Amina", "age": 7})])
    assert r.status_code == 200, r.text
    assert r.json()["acked_through"] == 1 and r.json()["rejected"] == []
    answer = desk.pull_page()
    assert PullResponse.model_validate_json(answer.content).rows  # the protocol model, strictly
    rows = desk.pull_all()
    kinds = [row["entity"] for row in rows]
    assert kinds.index("ref.program") < kinds.index("person")  # reference data first
    person = desk.row("person", pid)
    assert person is not None and person["fields"] == {"first_name": "Amina", "age": 7}
    assert person["center_id"] == desk.center_id


def test_replayed_batch_is_a_noop(hq: HqServer, desk: SimDesktop) -> None:  # SYNC 1
    ops = [desk.op("person", uuid.uuid4(), patch={"first_name": f"P{i}"}) for i in range(3)]
    first = desk.push(ops)
    assert first.status_code == 200
    desk.pull_all()
    cursor = desk.cursor
    again = desk.push(ops)
    assert again.status_code == 200
    assert again.json()["acked_through"] == 3
    assert desk.pull_page().json()["rows"] == []  # nothing changed at HQ: no new counter
    assert desk.cursor == cursor
    n = hq.scalar(
        "SELECT count(*) FROM jisr_hq_record r JOIN jisr_hq_device d ON d.center_id = r.center_id"
        " WHERE d.id = ?",
        hq.uid(desk.device_id),
    )
    assert n == 3
    statuses = hq.query(
        "SELECT applied, skipped FROM jisr_hq_pushaudit WHERE device_id = ? ORDER BY id",
        hq.uid(desk.device_id),
    )
    assert statuses == [(3, 0), (0, 3)]


def test_gap_is_answered_with_expected_seq(hq: HqServer, desk: SimDesktop) -> None:  # SYNC 4
    ops = [desk.op("person", uuid.uuid4(), patch={"first_name": "A"}) for _ in range(4)]
    assert desk.push(ops[:2]).status_code == 200
    r = desk.push(ops[3:])
    assert r.status_code == 409
    assert r.json()["code"] == "seq_gap" and r.json()["expected_seq"] == 3
    assert desk.push(ops[2:]).json()["acked_through"] == 4


def test_reused_seq_with_other_content_is_refused(hq: HqServer, desk: SimDesktop) -> None:
    op = desk.op("person", uuid.uuid4(), patch={"first_name": "A"})
    assert desk.push([op]).status_code == 200
    forged = dict(op, patch={"first_name": "B"})
    r = desk.push([forged])
    assert r.status_code == 409 and r.json()["code"] == "seq_reused"


def test_same_event_id_other_content_rejected(hq: HqServer, desk: SimDesktop) -> None:  # 16
    eid = uuid.uuid4()
    a = desk.op("visit", eid, "event", {"person_id": str(uuid.uuid4()), "reason": "info"})
    b = desk.op("visit", eid, "event", {"person_id": str(uuid.uuid4()), "reason": "other"})
    r = desk.push([a, b])
    assert r.status_code == 200
    assert [(x["seq"], x["reason"]) for x in r.json()["rejected"]] == [(2, "event_conflict")]
    rows = [x for x in desk.pull_all() if x["entity"] == "visit"]
    assert len(rows) == 1 and rows[0]["fields"]["reason"] == "info"


def test_same_attendance_from_two_desktops_is_one_row(
    hq: HqServer, desk: SimDesktop, desk2: SimDesktop
) -> None:  # SYNC 17
    ns = uuid.UUID("6f1c1f9e-0000-4000-8000-000000000017")
    session, person = uuid.uuid4(), uuid.uuid4()
    att = uuid.uuid5(ns, f"attendance|{session}|{person}")
    fact = {"session_id": str(session), "person_id": str(person), "status": "present"}
    r1 = desk.push([desk.op("attendance", att, "event", fact)])
    r2 = desk2.push([desk2.op("attendance", att, "event", fact)])
    assert r1.json()["rejected"] == [] and r2.json()["rejected"] == []
    rows = [x for x in desk2.pull_all() if x["entity"] == "attendance"]
    assert [x["entity_id"] for x in rows] == [str(att)]
    assert hq.scalar("SELECT count(*) FROM jisr_hq_event WHERE entity_id = ?", hq.uid(att)) == 1
