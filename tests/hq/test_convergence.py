"""Property: whatever the interleaving of three devices' batches, and whatever batches are
replayed, HQ ends with each field holding the value of the edit with the highest clock, and
each device's stream is acknowledged exactly through its last op (Hypothesis, real server)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hq.hqkit import HqServer, SimDesktop

RECORDS = [uuid.UUID(int=(7 << 120) + i) for i in range(2)]
FIELDS = ["given_name_lat", "phone", "address"]

edit = st.tuples(st.integers(0, 1), st.sampled_from(FIELDS), st.integers(0, 999))
device_edits = st.lists(edit, min_size=1, max_size=8)


@settings(
    max_examples=8,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.tuples(device_edits, device_edits, device_edits),
    skews=st.tuples(*[st.integers(-60_000, 60_000)] * 3),
    schedule=st.lists(
        st.tuples(st.integers(0, 2), st.integers(1, 4), st.booleans()), min_size=3, max_size=20
    ),
)
def test_any_order_with_replays_converges(
    hq: HqServer,
    enroll: Callable[..., SimDesktop],
    edits: tuple[list[tuple[int, str, int]], ...],
    skews: tuple[int, int, int],
    schedule: list[tuple[int, int, bool]],
) -> None:
    _, codes = hq.new_center(codes=4)
    desks = [enroll(code) for code in codes[:3]]
    entity_ids = [uuid.uuid5(uuid.UUID(desks[0].center_id), str(r)) for r in RECORDS]
    queues: list[list[dict[str, Any]]] = [[], [], []]
    for d, desk in enumerate(desks):  # clocks an hour in HQ's past, skewed by up to a minute
        desk.clock_offset_ms = -3_600_000 + skews[d]
    for k in range(max(len(e) for e in edits)):  # devices edit in turns
        for d, desk in enumerate(desks):
            if k < len(edits[d]):
                rec, field, value = edits[d][k]
                queues[d].append(desk.op("person", entity_ids[rec], patch={field: f"{d}:{value}"}))
    sent = [0, 0, 0]
    last_batch: list[list[dict[str, Any]]] = [[], [], []]
    for d, size, replay in schedule + [(d, 99, False) for d in range(3)]:
        if replay and last_batch[d]:
            r = desks[d].push(last_batch[d])
            assert r.status_code == 200, r.text
            continue
        batch = queues[d][sent[d] : sent[d] + size]
        if not batch:
            continue
        r = desks[d].push(batch)
        assert r.status_code == 200 and r.json()["acked_through"] == batch[-1]["seq"], r.text
        sent[d] += len(batch)
        last_batch[d] = batch
    expected: dict[tuple[str, str], tuple[str, Any]] = {}
    for ops in queues:
        for op in ops:
            for field, value in op["patch"].items():
                key = (op["entity_id"], field)
                if key not in expected or op["hlc"] > expected[key][0]:
                    expected[key] = (op["hlc"], value)
    reader = enroll(codes[3])
    reader.pull_all()
    got = {
        (row["entity_id"], field): (row["clocks"][field], value)
        for row in reader.state.values()
        if row["entity"] == "person"
        for field, value in row["fields"].items()
    }
    assert got == expected
