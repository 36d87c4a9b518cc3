"""Conflict rules at HQ: docs/sync.md, guarantees 9, 10, 12 and 14."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from jisr_protocol import RESOLUTION_NS
from jisr_protocol.hlc import Timestamp
from tests.hq.hqkit import YEAR_MS, HqServer, SimDesktop, wall_ms


def _conflicts(hq: HqServer, entity_id: uuid.UUID) -> list[tuple[str, str]]:
    return hq.query(
        "SELECT field, reason FROM jisr_hq_conflict WHERE entity_id = ? ORDER BY counter",
        hq.uid(entity_id),
    )


def _shared_person(desk: SimDesktop, desk2: SimDesktop) -> uuid.UUID:
    pid = uuid.uuid4()
    assert (
        desk.push(
            [desk.op("person", pid, patch={"given_name_lat": "Amina", "phone": "0600"})]
        ).status_code
        == 200
    )
    desk.pull_all()
    desk2.pull_all()
    return pid


def test_different_fields_both_survive(
    hq: HqServer, desk: SimDesktop, desk2: SimDesktop
) -> None:  # 9
    pid = _shared_person(desk, desk2)
    desk.push([desk.op("person", pid, patch={"given_name_lat": "Aminata"})])
    desk2.push([desk2.op("person", pid, patch={"phone": "0611"})])
    desk.pull_all()
    desk2.pull_all()
    row = desk.row("person", pid)
    assert row is not None and row["fields"] == {"given_name_lat": "Aminata", "phone": "0611"}
    assert desk2.row("person", pid) == row
    assert _conflicts(hq, pid) == []


def test_same_field_converges_with_one_conflict(
    hq: HqServer, desk: SimDesktop, desk2: SimDesktop
) -> None:  # 10
    pid = _shared_person(desk, desk2)
    a = desk.op("person", pid, patch={"given_name_lat": "Mine"})
    b = desk2.op("person", pid, patch={"given_name_lat": "Theirs"})
    assert desk.push([a]).json()["rejected"] == []
    assert desk2.push([b]).json()["rejected"] == []
    desk.pull_all()
    desk2.pull_all()
    assert desk.row("person", pid) == desk2.row("person", pid)
    winner = desk.row("person", pid)["fields"]["given_name_lat"]  # type: ignore[index]
    expected = "Theirs" if b["hlc"] > a["hlc"] else "Mine"
    assert winner == expected
    assert _conflicts(hq, pid) == [("given_name_lat", "concurrent_edit")]
    conflicts = [r for r in desk.state.values() if r["entity"] == "sync.conflict"]
    assert len(conflicts) == 1
    assert {conflicts[0]["fields"]["winner_value"], conflicts[0]["fields"]["loser_value"]} == {
        "Mine",
        "Theirs",
    }


def test_clock_a_year_fast_cannot_dominate(
    hq: HqServer, desk: SimDesktop, desk2: SimDesktop
) -> None:  # 12
    pid = _shared_person(desk, desk2)
    desk.clock_offset_ms = YEAR_MS
    fast = desk.op("person", pid, patch={"given_name_lat": "FromTheFuture"})
    assert desk.push([fast]).status_code == 200
    # desk2 has not seen that edit; its clock is right. It learns HQ's time from a ping only.
    ping = desk2.http.get("/ping").json()["server_hlc"]
    desk2.hlc.merge(Timestamp.parse(ping), wall_ms())
    assert desk2.push([desk2.op("person", pid, patch={"given_name_lat": "Now"})]).status_code == 200
    desk.pull_all()
    row = desk.row("person", pid)
    assert row is not None and row["fields"]["given_name_lat"] == "Now"
    stored = Timestamp.parse(row["clocks"]["given_name_lat"])
    assert stored.device_id == desk2.device_id
    assert Timestamp.parse(fast["hlc"]).wall_ms - stored.wall_ms > YEAR_MS // 2
    assert _conflicts(hq, pid) == [("given_name_lat", "concurrent_edit")]


def test_delete_vs_concurrent_edit_then_restore(
    hq: HqServer, desk: SimDesktop, desk2: SimDesktop
) -> None:  # 14
    pid = _shared_person(desk, desk2)
    assert desk2.push([desk2.op("person", pid, "delete")]).status_code == 200
    edit = desk.op("person", pid, patch={"given_name_lat": "Edited offline"})
    assert desk.push([edit]).json()["rejected"] == []
    desk.pull_all()
    row = desk.row("person", pid)
    assert row is not None and row["deleted"] is True
    assert row["fields"]["given_name_lat"] == "Amina"  # the edit did not resurrect or change it
    assert _conflicts(hq, pid) == [("given_name_lat", "edit_of_deleted")]
    assert desk.push([desk.op("person", pid, "restore")]).status_code == 200
    desk2.pull_all()
    row = desk2.row("person", pid)
    assert row is not None and row["deleted"] is False and row["fields"]["phone"] == "0600"


def test_edit_then_delete_keeps_the_tombstone(
    hq: HqServer, desk: SimDesktop, desk2: SimDesktop
) -> None:
    pid = _shared_person(desk, desk2)
    desk.push([desk.op("person", pid, patch={"given_name_lat": "Edited"})])
    desk2.push([desk2.op("person", pid, "delete")])
    desk.push([desk.op("person", pid, patch={"phone": "0700"})])
    desk2.pull_all()
    row = desk2.row("person", pid)
    assert row is not None and row["deleted"] is True and row["fields"]["phone"] == "0600"
    assert _conflicts(hq, pid) == [("phone", "edit_of_deleted")]


def test_slow_clock_still_orders_after_pulled_edits(
    hq: HqServer, desk: SimDesktop, desk2: SimDesktop
) -> None:  # 13 (the protocol side: pulled clocks let a slow desktop's next edit win)
    pid = _shared_person(desk, desk2)
    assert desk.push([desk.op("person", pid, patch={"given_name_lat": "Seen"})]).status_code == 200
    desk2.clock_offset_ms = -YEAR_MS  # a year slow
    desk2.pull_all()  # merges the pulled clocks into its HLC
    assert (
        desk2.push([desk2.op("person", pid, patch={"given_name_lat": "After"})]).json()["rejected"]
        == []
    )
    desk.pull_all()
    assert desk.row("person", pid)["fields"]["given_name_lat"] == "After"  # type: ignore[index]
    assert _conflicts(hq, pid) == []


def test_new_epoch_after_restore_loses_nothing(hq: HqServer, desk: SimDesktop) -> None:  # 8
    first = [desk.op("person", uuid.uuid4(), patch={"given_name_lat": f"e1-{i}"}) for i in range(3)]
    assert desk.push(first).json()["acked_through"] == 3
    desk.epoch, desk.next_seq = 2, 1  # restored from a backup: seqs start again, new epoch
    second = [desk.op("person", uuid.uuid4(), patch={"given_name_lat": f"e2-{i}"}) for i in range(3)]
    r = desk.push(second)
    assert r.status_code == 200 and r.json()["acked_through"] == 3
    names = {row["fields"]["given_name_lat"] for row in desk.pull_all() if row["entity"] == "person"}
    # the old epoch's rows come back (a restored desktop may lack them), the new epoch's own
    # rows do not (docs/sync.md, "Own rows"): the desktop holds all six
    assert names == {"e1-0", "e1-1", "e1-2"}
    held = {r["fields"]["given_name_lat"] for r in desk.state.values() if r["entity"] == "person"}
    assert held == {"e1-0", "e1-1", "e1-2", "e2-0", "e2-1", "e2-2"}
    desk.epoch = 1  # the same seqs in the old epoch with new content would be refused
    reused = dict(first[0], op_id=str(uuid.uuid4()))
    assert desk.push([reused], first_seq=1).status_code == 409


def test_conflict_resolution_reaches_the_other_desktops(
    hq: HqServer, desk: SimDesktop, desk2: SimDesktop, enroll: Callable[..., SimDesktop]
) -> None:
    pid = _shared_person(desk, desk2)
    desk.push([desk.op("person", pid, patch={"given_name_lat": "Mine"})])
    desk2.push([desk2.op("person", pid, patch={"given_name_lat": "Theirs"})])
    desk.pull_all()
    (conflict,) = [r for r in desk.state.values() if r["entity"] == "sync.conflict"]
    assert conflict["fields"]["resolution"] is None
    rid = uuid.uuid5(RESOLUTION_NS, conflict["entity_id"])
    loser = conflict["fields"]["loser_value"]
    r = desk.push(
        [
            desk.op("person", pid, patch={"given_name_lat": loser}),
            desk.op(
                "conflict_resolution",
                rid,
                "event",
                {"conflict_id": conflict["entity_id"], "choice": "keep_loser"},
            ),
            desk.op(
                "conflict_resolution",
                uuid.uuid4(),
                "event",
                {"conflict_id": conflict["entity_id"], "choice": "whatever"},
            ),
            desk.op(
                "conflict_resolution",
                uuid.uuid4(),
                "event",
                {"conflict_id": str(uuid.uuid4()), "choice": "keep_winner"},
            ),
        ]
    )
    assert [x["reason"] for x in r.json()["rejected"]] == ["invalid_value", "unknown_conflict"]
    desk2.pull_all()
    row = desk2.row("sync.conflict", conflict["entity_id"])
    assert row is not None and row["fields"]["resolution"] == "keep_loser"
    assert desk2.row("person", pid)["fields"]["given_name_lat"] == loser  # type: ignore[index]
    _, other_codes = hq.new_center(codes=1)
    stranger = enroll(other_codes[0])
    r = stranger.push(
        [
            stranger.op(
                "conflict_resolution",
                uuid.uuid4(),
                "event",
                {"conflict_id": conflict["entity_id"], "choice": "keep_winner"},
            )
        ]
    )
    assert [x["reason"] for x in r.json()["rejected"]] == ["wrong_center"]
