"""Network and process faults: a lost response retried applies once (docs/sync.md, guarantee 2), a duplicated
request applies once, and HQ killed with SIGKILL mid-apply leaves nothing half-applied (3)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.hq.hqkit import HqServer, SimDesktop, visit
from tests.sync.faultproxy import Fault, FaultProxy


def _via(proxy: FaultProxy, desk: SimDesktop) -> SimDesktop:
    desk.http.close()
    desk.http = httpx.Client(
        base_url=proxy.url + "/api/sync",
        timeout=30,
        limits=httpx.Limits(max_keepalive_connections=0),
    )
    return desk


def _count_center_rows(hq: HqServer, desk: SimDesktop) -> int:
    return int(
        hq.scalar(
            "SELECT count(*) FROM jisr_hq_record r JOIN jisr_hq_device d ON d.center_id = r.center_id"
            " WHERE d.id = ?",
            hq.uid(desk.device_id),
        )
    )


def _audit(hq: HqServer, desk: SimDesktop) -> list[tuple[int, int]]:
    return hq.query(
        "SELECT applied, skipped FROM jisr_hq_pushaudit WHERE device_id = ? ORDER BY id",
        hq.uid(desk.device_id),
    )


def test_lost_response_retried_applies_once(hq: HqServer, desk: SimDesktop) -> None:  # 2
    ops = [desk.op("person", uuid.uuid4(), patch={"given_name_lat": f"n{i}"}) for i in range(5)]
    with FaultProxy(hq.port) as proxy:
        _via(proxy, desk)
        proxy.plan.append(Fault(cut_response_after=0))
        with pytest.raises(httpx.HTTPError):
            desk.push(ops)
        r = desk.push(ops)  # the client retries the same batch
    assert r.status_code == 200 and r.json()["acked_through"] == 5
    assert _count_center_rows(hq, desk) == 5
    assert _audit(hq, desk) == [(5, 0), (0, 5)]


def test_duplicated_request_applies_once(hq: HqServer, desk: SimDesktop) -> None:
    ops = [desk.op("person", uuid.uuid4(), patch={"given_name_lat": "d"}) for _ in range(3)]
    with FaultProxy(hq.port) as proxy:
        _via(proxy, desk)
        proxy.plan.append(Fault(duplicate_request=True))
        r = desk.push(ops)
    assert r.status_code == 200 and r.json()["acked_through"] == 3
    assert _count_center_rows(hq, desk) == 3
    assert _audit(hq, desk) == [(3, 0), (0, 3)]


def test_sigkill_mid_apply_leaves_nothing_half_applied(
    hq: HqServer, center: tuple[str, list[str]], enroll: Callable[..., SimDesktop], tmp_path: Path
) -> None:  # 3
    desk = enroll(center[1][0])
    ops = [desk.op("person", uuid.uuid4(), patch={"given_name_lat": "k"}) for _ in range(50)]
    ops.append(desk.op("visit", uuid.uuid4(), "event", visit(uuid.uuid4(), notes="k")))
    marker = tmp_path / "paused"
    hq.stop()
    hq.start_with_test_hooks(
        JISR_HQ_FAULT_PAUSE_FILE=str(marker), JISR_HQ_FAULT_PAUSE_SECONDS="120"
    )
    try:
        outcome: list[object] = []
        pusher = threading.Thread(target=lambda: outcome.append(_try_push(desk, ops)))
        pusher.start()
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the push never reached the pause point"
        hq.kill()  # every op applied in the transaction, nothing committed yet
        pusher.join(30)
        assert outcome and isinstance(outcome[0], Exception)
    finally:
        hq.start()
    assert _count_center_rows(hq, desk) == 0
    assert (
        hq.scalar("SELECT count(*) FROM jisr_hq_event WHERE op_id = ?", hq.uid(ops[-1]["op_id"]))
        == 0
    )
    assert (
        hq.scalar(
            "SELECT count(*) FROM jisr_hq_batchreceipt WHERE device_id = ?",
            hq.uid(desk.device_id),
        )
        == 0
    )
    assert _audit(hq, desk) == []
    r = desk.push(ops)  # the desktop retries after HQ is back
    assert r.status_code == 200 and r.json()["acked_through"] == 51
    assert _count_center_rows(hq, desk) == 50
    assert _audit(hq, desk) == [(51, 0)]


def _try_push(desk: SimDesktop, ops: list[dict[str, object]]) -> object:
    try:
        return desk.push(ops)
    except httpx.HTTPError as exc:
        return exc
