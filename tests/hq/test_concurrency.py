"""docs/sync.md, guarantee 6: a puller misses no row while three pushers of its center commit concurrently.

Every pushed row is new (one counter each), so a cursor that ever jumped past a row that
committed later would leave that row out of the puller's union for good."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

from tests.hq.hqkit import HqServer, SimDesktop

BATCHES, PER_BATCH = 12, 8


def test_puller_misses_nothing_while_three_pushers_commit(
    hq: HqServer, enroll: Callable[..., SimDesktop]
) -> None:
    _, codes = hq.new_center(codes=4)
    pushers = [enroll(code) for code in codes[:3]]
    puller = enroll(codes[3])
    puller.pull_all()
    expected: set[str] = set()
    errors: list[str] = []
    done = threading.Event()

    def push_all(desk: SimDesktop) -> None:
        try:
            for _ in range(BATCHES):
                ids = [str(uuid.uuid4()) for _ in range(PER_BATCH)]
                ops = [desk.op("person", i, patch={"given_name_lat": "c"}) for i in ids]
                r = desk.push(ops)
                if r.status_code != 200:
                    errors.append(r.text)
                    return
                expected.update(ids)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(repr(exc))

    threads = [threading.Thread(target=push_all, args=(d,)) for d in pushers]
    for t in threads:
        t.start()
    seen: list[str] = []
    pages_during = 0

    def wait_for_pushers() -> None:
        for t in threads:
            t.join()
        done.set()

    watcher = threading.Thread(target=wait_for_pushers)
    watcher.start()
    while not done.is_set():
        body = puller.pull_page(limit=7).json()
        seen += [r["entity_id"] for r in body["rows"] if r["entity"] == "person"]
        puller.apply_page(body)
        pages_during += 1
    watcher.join()
    while True:  # catch up after the pushers stopped: must bring exactly the rest
        body = puller.pull_page(limit=7).json()
        seen += [r["entity_id"] for r in body["rows"] if r["entity"] == "person"]
        puller.apply_page(body)
        if not body["more"]:
            break
    assert errors == []
    assert len(expected) == 3 * BATCHES * PER_BATCH
    assert sorted(seen) == sorted(expected)  # none missed, none twice
    assert pages_during > 1
