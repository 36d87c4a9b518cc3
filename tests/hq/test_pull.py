"""Pull: interrupted pulls resume (docs/sync.md, guarantee 5), stale cursors re-bootstrap (15), no crafted
cursor or parameter reaches another center (19), a no-op sync is cheap (24)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
import pytest

from tests.hq.hqkit import HqServer, SimDesktop
from tests.sync.faultproxy import Fault, FaultProxy


def test_interrupted_pull_resumes_from_its_cursor(
    hq: HqServer, center: tuple[str, list[str]], enroll: Callable[..., SimDesktop]
) -> None:  # 5
    writer = enroll(center[1][0])
    ids = {str(uuid.uuid4()) for _ in range(25)}
    assert (
        writer.push([writer.op("person", i, patch={"given_name_lat": "x"}) for i in ids]).status_code
        == 200
    )
    with FaultProxy(hq.port) as proxy:
        reader = enroll(center[1][1], keepalive=False)
        reader.http.close()
        reader.http = httpx.Client(
            base_url=proxy.url + "/api/sync", limits=httpx.Limits(max_keepalive_connections=0)
        )
        seen: list[str] = []
        first = reader.pull_page(limit=10)
        reader.apply_page(first.json())
        seen += [r["entity_id"] for r in first.json()["rows"]]
        saved = reader.cursor
        proxy.plan.append(Fault(cut_response_after=60))
        with pytest.raises(httpx.HTTPError):
            reader.pull_page(limit=10)  # lost on the way: nothing applied, cursor unchanged
        assert reader.cursor == saved
        while True:
            page = reader.pull_page(limit=10).json()
            seen += [r["entity_id"] for r in page["rows"]]
            reader.apply_page(page)
            if not page["more"]:
                break
    persons = [i for i in seen if i in ids]
    assert sorted(persons) == sorted(ids)  # every row once: none missed, none twice
    assert len(seen) == len(set(seen))


def test_stale_cursor_is_told_to_rebootstrap(
    hq: HqServer, center: tuple[str, list[str]], enroll: Callable[..., SimDesktop]
) -> None:  # 15
    desk, away = enroll(center[1][0]), enroll(center[1][1])
    p1, p2 = uuid.uuid4(), uuid.uuid4()
    desk.push([desk.op("person", p, patch={"given_name_lat": "x"}) for p in (p1, p2)])
    away.pull_all()
    stale = away.cursor
    desk.push([desk.op("person", p1, "delete")])
    desk.pull_all()
    assert "purged" in hq.cli("purge-tombstones", "--older-than-days", "0").stdout
    r = away.pull_page()
    assert r.status_code == 410 and r.json()["code"] == "rebootstrap"
    assert away.cursor == stale
    assert desk.pull_page().status_code == 200  # a cursor past the horizon is fine
    fresh = away.pull_page(cursor="")
    assert fresh.status_code == 200
    ids = {row["entity_id"] for row in fresh.json()["rows"]}
    assert str(p2) in ids and str(p1) not in ids


def test_no_crafted_cursor_or_param_returns_another_centers_rows(
    hq: HqServer, center: tuple[str, list[str]], enroll: Callable[..., SimDesktop]
) -> None:  # 19
    other_code, other_codes = hq.new_center(codes=1)
    mine, theirs = enroll(center[1][0]), enroll(other_codes[0])
    secret_row = uuid.uuid4()
    theirs.push([theirs.op("person", secret_row, patch={"given_name_lat": "private"})])
    mine.push([mine.op("person", uuid.uuid4(), patch={"given_name_lat": "ours"})])
    attempts: list[dict[str, str]] = [
        {"cursor": "1.0.0.0"},
        {"cursor": "1.0.0.0", "center_id": theirs.center_id},
        {"cursor": "1.0.0.0", "center": other_code, "partition": "counselling"},
        {"cursor": "1.0.0.0", "device_id": theirs.device_id},
        {"cursor": "1.0.0.999999", "limit": "2000"},
    ]
    for params in attempts:
        r = mine.http.get("/pull", params=params, headers=mine.headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert all(row["center_id"] in (None, mine.center_id) for row in body["rows"])
        assert str(secret_row) not in {row["entity_id"] for row in body["rows"]}
    spoofed = {**mine.headers, "X-Jisr-User": "anyone"}
    for bad in ["abc", "1.-1.0.0", "2.0.0.0", "1.0.0.0' OR '1'='1", "1." + "9" * 40 + ".0.0"]:
        r = mine.http.get("/pull", params={"cursor": bad}, headers=spoofed)
        assert r.status_code == 400 and r.json()["code"] == "bad_cursor", bad
    for limit in ["0", "100000", "x"]:
        r = mine.http.get("/pull", params={"limit": limit}, headers=mine.headers)
        assert r.status_code == 400 and r.json()["code"] == "invalid", limit


def test_noop_sync_costs_at_most_two_small_requests(
    hq: HqServer, center: tuple[str, list[str]], enroll: Callable[..., SimDesktop]
) -> None:  # 24
    with FaultProxy(hq.port) as proxy:
        desk = enroll(center[1][0])
        desk.http.close()
        desk.http = httpx.Client(base_url=proxy.url + "/api/sync")
        desk.push([desk.op("person", uuid.uuid4(), patch={"given_name_lat": "x"})])
        desk.pull_all()
        proxy.reset_counts()
        before = desk.requests
        rows = desk.pull_all()  # outbox empty: the client skips push entirely
        assert rows == []
        assert desk.requests - before <= 2
        assert proxy.bytes_up + proxy.bytes_down <= 4096, (proxy.bytes_up, proxy.bytes_down)
