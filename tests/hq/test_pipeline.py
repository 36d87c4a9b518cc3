"""A pipelined push (header X-Jisr-Pipeline): a batch that reaches HQ before the one it
follows waits for it instead of failing, within bounds. Real HQ subprocess, both backends."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import httpx

import jisr_protocol as p
from tests.hq.hqkit import HqServer, SimDesktop, visit

PIPELINED = {p.PIPELINE_HEADER: "1"}


def _persons(desk: SimDesktop, n: int) -> list[dict[str, Any]]:
    return [desk.op("person", uuid.uuid4(), patch={"given_name_lat": f"P{i}"}) for i in range(n)]


def _statuses(hq: HqServer, desk: SimDesktop) -> list[tuple[int, str]]:
    return hq.query(
        "SELECT first_seq, status FROM jisr_hq_pushaudit WHERE device_id = ? ORDER BY id",
        hq.uid(desk.device_id),
    )


def test_an_early_pipelined_batch_waits_for_its_predecessor(hq: HqServer, desk: SimDesktop) -> None:
    ops = _persons(desk, 6)
    answers: dict[str, httpx.Response] = {}
    second = threading.Thread(
        target=lambda: answers.update(second=desk.push(ops[3:], headers=PIPELINED))
    )
    second.start()  # seqs 4-6 leave a gap until seqs 1-3 commit
    time.sleep(0.5)  # let it reach HQ first (held up to 3 s; without the hold it gets a 409)
    first = desk.push(ops[:3], headers=PIPELINED)
    second.join(60)
    assert first.status_code == 200, first.text
    assert answers["second"].status_code == 200, answers["second"].text
    assert answers["second"].json()["acked_through"] == 6
    n = hq.scalar(
        "SELECT count(*) FROM jisr_hq_record r JOIN jisr_hq_device d ON d.center_id = r.center_id"
        " WHERE d.id = ?",
        hq.uid(desk.device_id),
    )
    assert n == 6
    assert [s for _, s in _statuses(hq, desk)] == ["ok", "ok"]  # no refusal on the way


def test_without_the_header_a_gap_is_refused_at_once(hq: HqServer, desk: SimDesktop) -> None:
    ops = _persons(desk, 4)
    r = desk.push(ops[2:])
    assert r.status_code == 409
    assert r.json()["code"] == "seq_gap" and r.json()["expected_seq"] == 1
    assert _statuses(hq, desk) == [(3, "seq_gap")]
    assert desk.push(ops).status_code == 200  # the stream itself is fine


def test_a_batch_further_ahead_than_the_pipeline_is_refused_at_once(
    hq: HqServer, desk: SimDesktop
) -> None:
    """Only PIPELINE_DEPTH batches may be in flight: a batch starting more than one full batch
    past HQ's mark cannot be a pipelined successor, so it is not held."""
    ops = _persons(desk, 3)
    ahead = 1 + (p.PIPELINE_DEPTH - 1) * p.MAX_OPS_PER_BATCH + 1
    for i, op in enumerate(ops):
        op["seq"] = ahead + i
    r = desk.push(ops, headers=PIPELINED)
    assert r.status_code == 409 and r.json()["expected_seq"] == 1
    assert _statuses(hq, desk) == [(ahead, "seq_gap")]


AWKWARD = [
    "tab\there",
    "line\nbreak\r\nend",
    'back\\slash \\N \\t and "quotes"',
    "عائشة \u200f(أم) — Zoë",
    "",
]


def test_awkward_text_survives_the_bulk_writes(
    hq: HqServer, desk: SimDesktop, desk2: SimDesktop
) -> None:
    """Records and events are written in bulk (COPY text on PostgreSQL): escapes, tabs,
    newlines, backslashes and bidi marks come back byte for byte."""
    person = uuid.uuid4()
    event = uuid.uuid4()
    names = ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat", "address")
    patch = dict(zip(names, AWKWARD, strict=True))
    fact = visit(person, notes=AWKWARD[1], referral_to=AWKWARD[3])
    ops = [desk.op("person", person, patch=patch), desk.op("visit", event, "event", fact)]
    assert desk.push(ops).status_code == 200
    rows = {(r["entity"], r["entity_id"]): r for r in desk2.pull_all()}
    assert rows[("person", str(person))]["fields"] == patch
    assert rows[("visit", str(event))]["fields"] == fact
