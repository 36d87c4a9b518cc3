"""Sending one epoch's unacknowledged ops to HQ: contiguous batches, pipelined.

Up to `protocol.PIPELINE_DEPTH` batches are in flight at once (HTTP on worker threads; the
database is only touched on the calling thread), so building the next batch, the network and
HQ's parsing overlap HQ's work on the previous one. Answers are handled strictly in seq order.

HQ applies a batch only when it follows its stream's high-water mark, so a later batch never
commits before an earlier one. When a batch fails, the ones sent after it are waited for and
their answers ignored: a 409 gap resumes from HQ's expected seq (replays are idempotent and
HQ returns the rejections of replayed ops), any other failure ends the push and the next sync
resends from the last recorded acknowledgement.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

import sqlite_utils

import jisr_protocol as p
from jisr_desktop import ledger
from jisr_desktop.sync import sealed
from jisr_desktop.sync.transport import HqError, SyncTransport

MAX_GAPS = 5
"""Consecutive 409 gap answers tolerated before giving up (HQ keeps moving its mark)."""

OnAnswer = Callable[[ledger.WireBatch, p.PushResponse], None]


def push_epoch(
    db: sqlite_utils.Database,
    t: SyncTransport,
    device_id: str,
    epoch: int,
    acked: int,
    on_answer: OnAnswer,
    *,
    depth: int = p.PIPELINE_DEPTH,
) -> None:
    """Push every op of `epoch` after `acked`; `on_answer(batch, answer)` runs on this thread,
    in seq order, once per acknowledged batch. Raises HqError / HqUnreachable."""
    sent = acked  # last seq handed to HQ (answered or in flight)
    gaps = 0
    inflight: deque[tuple[ledger.WireBatch, Future[p.PushResponse]]] = deque()
    with ThreadPoolExecutor(max_workers=max(1, depth), thread_name_prefix="jisr-push") as pool:
        try:
            while True:
                while len(inflight) < depth:
                    batch = ledger.load_wire_batch(db, device_id, epoch, sent)
                    if batch is None:
                        break
                    body = sealed.with_proofs(db, batch.body)  # case notes' proofs
                    future = pool.submit(t.push_body, body, pipelined=depth > 1)
                    inflight.append((batch, future))
                    sent = batch.last_seq
                if not inflight:
                    return
                batch, future = inflight.popleft()
                try:
                    answer = future.result()
                except HqError as exc:
                    _settle(inflight)
                    gaps += 1
                    if exc.code != "seq_gap" or exc.expected_seq is None or gaps > MAX_GAPS:
                        raise
                    sent = exc.expected_seq - 1  # HQ's mark: resend from there
                    continue
                gaps = 0
                on_answer(batch, answer)
        finally:
            _settle(inflight)


def _settle(inflight: deque[tuple[ledger.WireBatch, Future[p.PushResponse]]]) -> None:
    """Wait for the batches still in flight and forget their answers."""
    wait([future for _, future in inflight])
    inflight.clear()
