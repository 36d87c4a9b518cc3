"""docs/sync.md, guarantees 1, 4, 17, 16 and the shape of push answers."""

from __future__ import annotations

import uuid

from jisr_protocol import PullResponse
from tests.hq.hqkit import HqServer, SimDesktop, attendance, visit


def test_first_push_applies_and_pull_returns_state(hq: HqServer, desk: SimDesktop) -> None:
    pid = uuid.uuid4()
    r = desk.push([desk.op("person", pid, patch={"given_name_lat": "Amina", "birth_year": 2019})])
    assert r.status_code == 200, r.text
    assert r.json()["acked_through"] == 1 and r.json()["rejected"] == []
    answer = desk.pull_page()
    assert PullResponse.model_validate_json(answer.content).rows  # the protocol model, strictly
    rows = desk.pull_all()
    kinds = [row["entity"] for row in rows]
    assert kinds.index("ref.program") < kinds.index("person")  # reference data first
    person = desk.row("person", pid)
    assert person is not None and person["fields"] == {"given_name_lat": "Amina", "birth_year": 2019}
    assert person["center_id"] == desk.center_id


def test_replayed_batch_is_a_noop(hq: HqServer, desk: SimDesktop) -> None:  # guarantee 1
    ops = [desk.op("person", uuid.uuid4(), patch={"given_name_lat": f"P{i}"}) for i in range(3)]
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


def test_gap_is_answered_with_expected_seq(hq: HqServer, desk: SimDesktop) -> None:  # guarantee 4
    ops = [desk.op("person", uuid.uuid4(), patch={"given_name_lat": "A"}) for _ in range(4)]
    assert desk.push(ops[:2]).status_code == 200
    r = desk.push(ops[3:])
    assert r.status_code == 409
    assert r.json()["code"] == "seq_gap" and r.json()["expected_seq"] == 3
    assert desk.push(ops[2:]).json()["acked_through"] == 4


def test_reused_seq_with_other_content_is_refused(hq: HqServer, desk: SimDesktop) -> None:
    op = desk.op("person", uuid.uuid4(), patch={"given_name_lat": "A"})
    assert desk.push([op]).status_code == 200
    forged = dict(op, patch={"given_name_lat": "B"})
    r = desk.push([forged])
    assert r.status_code == 409 and r.json()["code"] == "seq_reused"


def test_same_event_id_other_content_rejected(
    hq: HqServer, desk: SimDesktop, desk2: SimDesktop
) -> None:  # 16
    eid = uuid.uuid4()
    a = desk.op("visit", eid, "event", visit(uuid.uuid4(), notes="info"))
    b = desk.op("visit", eid, "event", visit(uuid.uuid4(), notes="other"))
    r = desk.push([a, b])
    assert r.status_code == 200
    assert [(x["seq"], x["reason"]) for x in r.json()["rejected"]] == [(2, "event_conflict")]
    # read back by the center's other desktop (HQ does not send a device its own events)
    rows = [x for x in desk2.pull_all() if x["entity"] == "visit"]
    assert len(rows) == 1 and rows[0]["fields"]["notes"] == "info"


def test_same_attendance_from_two_desktops_is_one_row(
    hq: HqServer, desk: SimDesktop, desk2: SimDesktop
) -> None:  # guarantee 17
    ns = uuid.UUID("6f1c1f9e-0000-4000-8000-000000000017")
    session, person = uuid.uuid4(), uuid.uuid4()
    att = uuid.uuid5(ns, f"attendance|{session}|{person}")
    fact = attendance(session, person)
    r1 = desk.push([desk.op("attendance", att, "event", fact)])
    r2 = desk2.push([desk2.op("attendance", att, "event", fact)])
    assert r1.json()["rejected"] == [] and r2.json()["rejected"] == []
    rows = [x for x in desk2.pull_all() if x["entity"] == "attendance"]
    assert [x["entity_id"] for x in rows] == [str(att)]
    assert hq.scalar("SELECT count(*) FROM jisr_hq_event WHERE entity_id = ?", hq.uid(att)) == 1


def test_values_that_do_not_fit_the_schema_are_refused_one_by_one(
    hq: HqServer, desk: SimDesktop, desk2: SimDesktop
) -> None:
    """jisr_protocol/schema.py at HQ: each bad op is refused alone, the good ones merge."""
    good = uuid.uuid4()
    bad = [
        ("person", {"sex": "X"}, "invalid_value"),
        ("person", {"given_name_ar": None}, "invalid_value"),
        ("person", {"birth_year": 2**62}, "invalid_value"),
        ("person", {"notes": "nul\x00here"}, "invalid_value"),
        ("household_member", {"relationship": None}, "invalid_value"),
        ("person", {"favourite_colour": "blue"}, "unknown_field"),
    ]
    ops = [desk.op(entity, uuid.uuid4(), patch=patch) for entity, patch, _ in bad]
    ops.append(desk.op("visit", uuid.uuid4(), "event", {"person_id": str(good)}))  # incomplete
    ops.append(desk.op("person", good, patch={"given_name_ar": "أمينة", "sex": "F"}))
    r = desk.push(ops)
    assert r.status_code == 200 and r.json()["acked_through"] == len(ops)
    reasons = [(x["seq"], x["reason"]) for x in r.json()["rejected"]]
    assert reasons == [(i + 1, reason) for i, (_, _, reason) in enumerate(bad)] + [
        (len(bad) + 1, "invalid_value")
    ]
    rows = [x for x in desk2.pull_all() if x["entity"] in ("person", "household_member", "visit")]
    assert [(x["entity"], x["entity_id"]) for x in rows] == [("person", str(good))]
