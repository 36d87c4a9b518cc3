"""Versions: an older desktop's push is accepted and cannot blank newer fields (docs/sync.md, guarantee 23);
a desktop too old to pull is told to update; a push newer than HQ is rejected per op."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from tests.hq.hqkit import HqServer, SimDesktop


def test_please_update_for_too_old_protocol(hq: HqServer, desk: SimDesktop) -> None:
    r = desk.http.get("/pull", headers={**desk.headers, "X-Jisr-Protocol": "0"})
    assert r.status_code == 426 and r.json()["code"] == "please_update"
    assert "update" in r.json()["message"]


def test_schema_newer_than_hq_is_rejected_and_acked(hq: HqServer, desk: SimDesktop) -> None:
    r = desk.push([desk.op("person", uuid.uuid4(), patch={"given_name_lat": "x"}, schema_v=99)])
    assert r.status_code == 200
    assert r.json()["acked_through"] == 1
    assert [x["reason"] for x in r.json()["rejected"]] == ["schema_too_new"]


def test_older_schema_push_does_not_clobber_newer_fields(
    hq: HqServer, center: tuple[str, list[str]], enroll: Callable[..., SimDesktop]
) -> None:  # guarantee 23
    hq.stop()
    hq.start_with_test_hooks(JISR_HQ_SCHEMA_OVERRIDE="person=2")  # HQ knows person v2
    try:
        new, old = enroll(center[1][0]), enroll(center[1][1])
        pid = uuid.uuid4()
        first = new.op(
            "person", pid, patch={"given_name_lat": "Sara", "preferred_language": "ar"}, schema_v=2
        )
        assert new.push([first]).json()["rejected"] == []
        old.pull_all()
        r = old.push([old.op("person", pid, patch={"given_name_lat": "Sarah"}, schema_v=1)])
        assert r.status_code == 200 and r.json()["rejected"] == []
        new.pull_all()
        row = new.row("person", pid)
        assert row is not None
        assert row["fields"] == {"given_name_lat": "Sarah", "preferred_language": "ar"}
    finally:
        hq.stop()
        hq.start()
