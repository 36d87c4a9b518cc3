"""Sending one epoch's unacknowledged ops to HQ: contiguous batches, pipelined.

Up to `protocol.PIPELINE_DEPTH` batches are in flight at once (HTTP on worker threads; the
database is only touched on the calling thread), so building the next batch, the network and
HQ's parsing overlap HQ's work on the previous one. Answers are handled strictly in seq order.

HQ applies a batch only when it follows its stream's high-water mark, so a later batch never
commits before an earlier one. When a batch fails, the ones sent after it are waited for and
their answers ignored: a 409 gap resumes from HQ's expected seq (replays are idempotent and
HQ returns the rejections of replayed ops), any other failure ends the push and the next sync
resends from the last recorded acknowledgement.

Batches are cut by size as well as by count (≤ `MAX_OPS_PER_BATCH` ops): at about
`target_bytes` on the wire once compressed (default `TARGET_BATCH_COMPRESSED_BYTES`, 256 KiB:
some five seconds of a 384 kbit/s link), so that one batch lost to a cut costs a few seconds.
The JSON size allowed is `target_bytes` ÷ the compression ratio the transport measured on the
body before (`SyncTransport.body_ratio`; 1 before any), never more than the wire's bound.
Each batch is still one contiguous seq range HQ acknowledges as a whole, so acknowledgements
and resuming after a cut are unchanged.
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
FIRST_RATIO = 1.0
"""Compressed ÷ JSON size assumed before the transport has measured one: none, so that the
first batches fit the target whatever they hold."""
MIN_BATCH_JSON = 8 * 1024
MAX_BATCH_JSON = min(p.MAX_WIRE_BODY_BYTES, p.MAX_DECOMPRESSED_BYTES) - 64 * 1024
"""Even a body that does not compress at all fits HQ's bounds (2 MiB on the wire)."""


def batch_json_bytes(ratio: float, target_bytes: int) -> int:
    """The JSON size of the next batch for `target_bytes` compressed at `ratio`."""
    ratio = ratio if ratio > 0 else FIRST_RATIO
    return int(min(MAX_BATCH_JSON, max(MIN_BATCH_JSON, target_bytes / ratio)))

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
    target_bytes: int = p.TARGET_BATCH_COMPRESSED_BYTES,
) -> None:
    """Push every op of `epoch` after `acked` in batches of about `target_bytes` compressed;
    `on_answer(batch, answer)` runs on this thread, in seq order, once per acknowledged batch.
    Raises HqError / HqUnreachable."""
    sent = acked  # last seq handed to HQ (answered or in flight)
    gaps = 0
    inflight: deque[tuple[ledger.WireBatch, Future[p.PushResponse]]] = deque()
    with ThreadPoolExecutor(max_workers=max(1, depth), thread_name_prefix="jisr-push") as pool:
        try:
            while True:
                while len(inflight) < depth:
                    batch = ledger.load_wire_batch(
                        db, device_id, epoch, sent,
                        max_json_bytes=batch_json_bytes(t.body_ratio, target_bytes))
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
