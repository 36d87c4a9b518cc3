"""Quotas and rate limits at HQ (docs/security.md, "Quotas and rate limits"; issue 12 point 5).

A real HQ (two worker processes, so the counters must live in the database) on each backend,
with small bounds; the held-batch test counts the SQL statements HQ runs (the test hook of
jisr_hq/querylog.py) rather than timing anything."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

import jisr_protocol as p
from tests.hq.conftest import BACKENDS, unmigrated_server
from tests.hq.hqkit import TEST_HOOKS, HqServer, SimDesktop

PIPELINED = {p.PIPELINE_HEADER: "1"}
LIMITS = {
    "JISR_HQ_QUOTA_OPS_PER_BATCH": "20",
    "JISR_HQ_QUOTA_BYTES_PER_BATCH": "12000",
    "JISR_HQ_QUOTA_CONFLICTS_PER_BATCH": "5",
    "JISR_HQ_QUOTA_CONFLICTS_PER_DAY": "8",
    "JISR_HQ_QUOTA_OPS_PER_DAY": "60",
    "JISR_HQ_ENROLL_ATTEMPTS": "3",
    "JISR_HQ_GAP_WAIT_SECONDS": "1.5",
}
HELD = 50


@pytest.fixture(scope="module", params=BACKENDS)
def lhq(request: pytest.FixtureRequest) -> Iterator[HqServer]:
    with unmigrated_server(request.param, request) as server:
        server.migrate()
        server.start("--workers", "2", **TEST_HOOKS, **LIMITS,
                     JISR_HQ_QUERY_LOG=str(server.home / "queries.log"))
        yield server


@pytest.fixture
def desks(lhq: HqServer) -> Iterator[list[SimDesktop]]:
    _, codes = lhq.new_center(codes=2)
    made = [SimDesktop.enroll(lhq.base_url, code) for code in codes]
    yield made
    for d in made:
        d.close()


def _persons(desk: SimDesktop, n: int, **fields: Any) -> list[dict[str, Any]]:
    return [desk.op("person", uuid.uuid4(), patch={"given_name_lat": f"P{i}", **fields})
            for i in range(n)]


def _stored(hq: HqServer, desk: SimDesktop) -> int:
    return int(hq.scalar(
        "SELECT count(*) FROM jisr_hq_record r JOIN jisr_hq_device d ON d.center_id = r.center_id"
        " WHERE d.id = ?", hq.uid(desk.device_id)))


def _high_water(hq: HqServer, desk: SimDesktop) -> int:
    rows = hq.query("SELECT high_water FROM jisr_hq_stream WHERE device_id = ?",
                    hq.uid(desk.device_id))
    return int(rows[0][0]) if rows else 0


def _quota(r: httpx.Response, bound: str, expected_seq: int) -> dict[str, Any]:
    assert r.status_code == 429, r.text
    body = r.json()
    assert body["code"] == "quota_exceeded"
    assert body["expected_seq"] == expected_seq
    assert body["detail"][0]["bound"] == bound
    assert "Nothing already sent is lost" in body["message"]
    return body


def test_a_batch_over_the_ops_bound_is_taken_up_to_it(lhq: HqServer, desks: list[SimDesktop]):
    desk = desks[0]
    ops = _persons(desk, 30)
    r = desk.push(ops)
    _quota(r, "ops_per_batch", 21)
    assert "Retry-After" not in r.headers  # a later batch may go on at once
    assert _stored(lhq, desk) == 20 and _high_water(lhq, desk) == 20
    again = desk.push(ops)  # as the desktop does: from its last acknowledgement
    assert again.status_code == 200, again.text
    assert again.json()["acked_through"] == 30
    assert _stored(lhq, desk) == 30
    status = lhq.query("SELECT status FROM jisr_hq_pushaudit WHERE device_id = ? ORDER BY id",
                       lhq.uid(desk.device_id))
    # the prefix taken is audited as a push, the rest as refused
    assert [s for (s,) in status] == ["ok", "quota_exceeded", "ok"]


def test_a_batch_over_the_bytes_bound_is_cut_where_it_goes_over(
    lhq: HqServer, desks: list[SimDesktop]
) -> None:
    desk = desks[0]
    ops = _persons(desk, 15, address="Douar " + "x" * 900)
    r = desk.push(ops)
    body = _quota(r, "bytes_per_batch", r.json().get("expected_seq") or 0)
    taken = body["expected_seq"] - 1
    assert 1 <= taken < 15
    # HQ counts each op's JSON: the cut is where the ops' JSON goes over the 12,000 bytes
    total, over = 0, len(ops)
    for i, op in enumerate(ops):
        total += len(json.dumps(op, separators=(",", ":"), ensure_ascii=False))
        if total > 12000:
            over = i
            break
    assert abs(taken - over) <= 1, (taken, over)
    assert _stored(lhq, desk) == taken == _high_water(lhq, desk)


def _conflicting_edits(desk: SimDesktop, other: SimDesktop, n: int) -> list[dict[str, Any]]:
    """n persons both desktops know, edited on `desk` first: `other`'s edits of the same field
    (its base is the old value) each log one conflict at HQ; the 9th of `other`'s ops is a new
    person instead (no conflict)."""
    created = _persons(desk, n)
    assert desk.push(created).status_code == 200
    other.pull_all()
    first = [desk.op("person", op["entity_id"], patch={"given_name_lat": "Mine"},
                     base={"given_name_lat": op["hlc"]}) for op in created]
    assert desk.push(first).status_code == 200
    edits = []
    for i, op in enumerate(created):
        if i == 8:
            edits.extend(_persons(other, 1))
        edits.append(other.op("person", op["entity_id"], patch={"given_name_lat": "Theirs"}))
    return edits


def test_conflicts_are_bounded_per_batch_and_per_day(
    lhq: HqServer, desks: list[SimDesktop]
) -> None:
    desk, other = desks
    edits = _conflicting_edits(desk, other, 10)  # seqs 1-8 and 10-11 conflict, 9 does not

    def conflicts() -> int:
        return int(lhq.scalar(
            "SELECT count(*) FROM jisr_hq_conflict c JOIN jisr_hq_device d"
            " ON d.center_id = c.center_id WHERE d.id = ?", lhq.uid(other.device_id)))

    r = other.push(edits)
    _quota(r, "conflicts_per_batch", 6)
    assert conflicts() == 5 and _high_water(lhq, other) == 5
    r = other.push(edits)  # the 5 taken are a replay; 3 more fit today's 8, and seq 9
    body = _quota(r, "conflicts_per_day", 10)
    assert 0 < int(r.headers["Retry-After"]) <= 24 * 3600 + 1
    assert "tomorrow" in body["message"]
    assert conflicts() == 8 and _high_water(lhq, other) == 9
    r = other.push(edits[9:])  # the next conflicting op is refused at once, nothing written
    _quota(r, "conflicts_per_day", 10)
    assert conflicts() == 8 and _high_water(lhq, other) == 9
    assert _stored(lhq, other) == 11  # what was stored is all there


def test_the_daily_ops_bound_holds_across_worker_processes(
    lhq: HqServer, desks: list[SimDesktop]
) -> None:
    """Three batches of 20 on fresh connections (either worker may take each), then more."""
    desk = desks[0]
    for _ in range(3):
        desk.http.close()
        desk.http = httpx.Client(base_url=lhq.base_url + "/api/sync", timeout=30,
                                 verify=lhq.verify())
        assert desk.push(_persons(desk, 20)).status_code == 200
    assert lhq.scalar("SELECT ops FROM jisr_hq_deviceday WHERE device_id = ?",
                      lhq.uid(desk.device_id)) == 60
    r = desk.push(_persons(desk, 3))
    body = _quota(r, "ops_per_day", 61)
    assert int(r.headers["Retry-After"]) > 0
    assert body["detail"][0]["limit"] == 60
    assert _stored(lhq, desk) == 60 and _high_water(lhq, desk) == 60


def test_failed_enrollments_are_rate_limited_per_address(lhq: HqServer) -> None:
    _, codes = lhq.new_center(codes=1)
    http = httpx.Client(base_url=lhq.base_url + "/api/sync", timeout=30, verify=lhq.verify())
    try:
        def enroll(code: str) -> httpx.Response:
            return http.post("/enroll", json={"protocol_v": 1, "code": code, "device_name": "t"})

        for _ in range(3):
            assert enroll("AAAA-BBBB-CCCC").json()["code"] == "bad_code"
        r = enroll(codes[0].partition(".")[0])  # even a good code: the address is refused
        assert r.status_code == 429, r.text
        assert r.json()["code"] == "rate_limited"
        assert 0 < int(r.headers["Retry-After"]) <= 601
        assert lhq.scalar("SELECT count(*) FROM jisr_hq_enrollmentcode WHERE used_at IS NULL"
                          " AND device_id IS NULL") >= 1  # the code is not spent
    finally:
        http.close()
        lhq.execute("DELETE FROM jisr_hq_ratewindow")  # the other tests enroll from here too
    SimDesktop.enroll(lhq.base_url, codes[0]).close()  # the window reset, the code works


def _queries(hq: HqServer) -> int:
    log = Path(hq.home / "queries.log")
    return len(log.read_bytes().splitlines()) if log.exists() else 0


def _held_pushes(desk: SimDesktop, batches: list[list[dict[str, Any]]]) -> list[httpx.Response]:
    with ThreadPoolExecutor(max_workers=len(batches)) as pool:
        return list(pool.map(lambda b: desk.push(b, headers=PIPELINED), batches))


def test_held_batches_do_not_poll_the_database(lhq: HqServer, desks: list[SimDesktop]) -> None:
    """50 pipelined batches whose predecessor never comes are held for the whole wait (1.5 s)
    and then refused with 409. Each used to run a push attempt (a transaction with the
    stream's lock) every 2-50 ms: hundreds of statements per held batch. Now a held batch
    costs its own few statements, and one watcher per process reads the marks of all."""
    desk = desks[0]
    ops = _persons(desk, HELD + 1)
    before = _queries(lhq)
    answers = _held_pushes(desk, [[op] for op in ops[1:]])
    assert {a.status_code for a in answers} == {409}
    assert {a.json()["expected_seq"] for a in answers} == {1}
    spent = _queries(lhq) - before
    assert spent >= HELD  # the log works: each batch authenticates at least
    # about 11 each (authentication, two attempts, the audit) and the watchers' reads; the
    # old polling ran 6,000-8,500 statements here
    assert spent <= HELD * 16, f"{spent} statements for {HELD} held batches"


def test_held_batches_go_in_once_their_predecessor_commits(lhq: HqServer) -> None:
    """25 desktops each send their second batch with their first, as a pipelining desktop
    does: every batch is taken, and a held one is woken by its own predecessor's commit."""
    _, codes = lhq.new_center(codes=HELD // 2)
    desks = [SimDesktop.enroll(lhq.base_url, code) for code in codes]
    try:
        pairs = [(d, _persons(d, 2)) for d in desks]
        before = _queries(lhq)
        with ThreadPoolExecutor(max_workers=HELD) as pool:
            futures = [pool.submit(d.push, [op], headers=PIPELINED)
                       for d, ops in pairs for op in reversed(ops)]
            answers = [f.result() for f in futures]
        assert [a.status_code for a in answers] == [200] * HELD, [a.text for a in answers][:3]
        assert [_high_water(lhq, d) for d in desks] == [2] * len(desks)
        spent = _queries(lhq) - before
        assert spent <= HELD * 40, f"{spent} statements for {HELD} pipelined batches"
    finally:
        for d in desks:
            d.close()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_desktop_says_it_in_plain_translated_words(lang: str) -> None:
    from jisr_desktop import i18n
    from jisr_desktop.sync.client import MESSAGES, SyncFailed

    before = i18n.current_language()
    i18n.set_language(lang)
    try:
        for code in ("quota_exceeded", "rate_limited"):
            text = SyncFailed(code, "This desktop reached HQ's bound of 60 ops a day").message()
            assert text != MESSAGES[code] and "{" not in text  # translated, not the raw detail
            assert "60 ops" not in text and text != i18n.translate(MESSAGES["other"], lang)
    finally:
        i18n.set_language(before)
