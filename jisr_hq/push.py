"""Applying a push batch: the algorithm of docs/sync.md ("Push rules"), in one database transaction.

Before any lock: check the batch's shape and prepare its ops (`merge.prepare`: the checks
that need no database, canonical JSON, digests). Then, in one transaction: lock the (device,
epoch) stream; refuse a gap (409 with the expected seq); skip ops at or below the high-water
mark, refusing a reused seq whose content changed; lock the center's change counters (so
commit order equals counter order, and pushes of one center serialise); merge each new op;
write the batch's receipt; move the high-water mark; commit.

A client may keep up to `PIPELINE_DEPTH` batches in flight (header `X-Jisr-Pipeline`): its
next batch can then reach HQ before the one it follows. Such a batch does not get its 409 at
once: `push_once` reports the gap and the caller waits a little for the predecessor to commit
(`GAP_WAIT_SECONDS`, without holding a database connection or a thread) before answering 409.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

from django.db import DatabaseError, transaction

from jisr_hq import clock, store, testhooks
from jisr_hq.dashboard import indicators
from jisr_hq.errors import ApiError
from jisr_hq.merge import BatchMerger, Prepared, prepare
from jisr_hq.models import BatchReceipt, Device, PushAudit
from jisr_protocol import (
    MAX_OPS_PER_BATCH,
    PIPELINE_DEPTH,
    PROTOCOL_VERSION,
    Op,
    PushRequest,
    PushResponse,
    Rejected,
)

log = logging.getLogger(__name__)

GAP_WAIT_SECONDS = 3.0
"""How long a pipelined batch that arrived before its predecessor waits for it."""
GAP_FIRST_POLL_SECONDS = 0.002
GAP_POLL_SECONDS = 0.05
"""A held batch is woken at once when its device's predecessor commits in this process;
otherwise (a predecessor committed by another worker process) it looks at the database again
after 2 ms, then twice as long each time, at most every 50 ms. It used to poll every 2 ms for
as long as it waited, and 96 held batches slowed other centers; a fixed 50 ms made every
batch held behind another worker wait that long."""

_commits: dict[tuple[uuid.UUID, int], int] = {}
_wakers: dict[tuple[uuid.UUID, int], asyncio.Event] = {}


def commits_of(device_id: uuid.UUID, epoch: int) -> int:
    """How many batches of this (device, epoch) committed in this process (event loop only)."""
    return _commits.get((device_id, epoch), 0)


def committed(device_id: uuid.UUID, epoch: int) -> None:
    """A batch of this stream committed: wake the batches held behind it (event loop only)."""
    key = (device_id, epoch)
    _commits[key] = _commits.get(key, 0) + 1
    waker = _wakers.pop(key, None)
    if waker is not None:
        waker.set()


async def wait_for_commit(device_id: uuid.UUID, epoch: int, seen: int, timeout: float) -> None:
    """Until a batch of this stream commits after `seen` (see `commits_of`), or `timeout`."""
    key = (device_id, epoch)
    if _commits.get(key, 0) != seen:
        return
    waker = _wakers.setdefault(key, asyncio.Event())
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(waker.wait(), timeout)


class Gap(Exception):
    """The batch starts past the stream's next seq (the predecessor has not committed)."""

    def __init__(self, expected: int) -> None:
        super().__init__(expected)
        self.expected = expected

    def may_wait(self, req: PushRequest) -> bool:
        """A predecessor that may still be in flight: at most PIPELINE_DEPTH batches back."""
        return req.first_seq - self.expected <= (PIPELINE_DEPTH - 1) * MAX_OPS_PER_BATCH

    def error(self) -> ApiError:
        return ApiError(
            "seq_gap",
            f"Expected seq {self.expected}, got a batch starting later.",
            expected_seq=self.expected,
        )


def prepare_batch(device: Device, req: PushRequest) -> list[Prepared]:
    """The work that needs no database or lock (safe in any thread); raises ApiError for a
    malformed batch, which the caller audits with `audit_refusal`."""
    _check_batch_shape(device, req)
    return prepare(req.ops, device.center_id)


def push_once(device: Device, req: PushRequest, prepared: list[Prepared]) -> PushResponse:
    """One attempt in one transaction; raises Gap, or ApiError for refusals (audited)."""
    try:
        with transaction.atomic():
            return _apply(device, req, prepared)
    except ApiError as exc:
        audit_refusal(device, req, exc)
        raise


def _check_batch_shape(device: Device, req: PushRequest) -> None:
    if req.protocol_v > PROTOCOL_VERSION:
        raise ApiError("invalid", f"This HQ speaks protocol {PROTOCOL_VERSION} at most.")
    if req.device_id != device.id:
        raise ApiError("device_mismatch", "The batch names another device.")
    for i, op in enumerate(req.ops):
        if op.seq != req.first_seq + i or op.epoch != req.epoch or op.device_id != device.id:
            raise ApiError(
                "batch_not_contiguous",
                "Ops must be this device's, of this epoch, with seqs first_seq, first_seq+1, …",
                detail=[{"index": i, "seq": op.seq}],
            )


def _apply(device: Device, req: PushRequest, prepared: list[Prepared]) -> PushResponse:
    stream_pk, hwm = store.lock_stream(device.center_id, device.id, req.epoch)
    if req.first_seq > hwm + 1:
        raise Gap(hwm + 1)
    old = [prep for prep in prepared if prep.op.seq <= hwm]
    new = [prep for prep in prepared if prep.op.seq > hwm]
    rejected = _check_replayed(device, req.epoch, old, hwm)

    verdicts, conflicts = _merge(device, new)
    reasons: dict[str, int] = {}
    rejected_new: dict[str, str] = {}
    invalid: list[dict[str, object]] = []
    for prep, reason in zip(new, verdicts, strict=True):
        op = prep.op
        if reason:
            rejected.append(Rejected(seq=op.seq, op_id=op.op_id, reason=reason))
            reasons[reason] = reasons.get(reason, 0) + 1
            rejected_new[str(op.seq)] = reason
            if prep.problem and len(invalid) < 20:
                invalid.append({"seq": op.seq, "problem": prep.problem[:300]})
    store.write_receipt(
        device.center_id,
        device.id,
        req.epoch,
        [prep.op.seq for prep in new],
        b"".join(prep.op_digest for prep in new),
        rejected_new,
    )
    if new:
        store.set_high_water(stream_pk, new[-1].op.seq)
    n_rejected_new = sum(reasons.values())
    store.write_audit(
        device.center_id,
        device.id,
        req.epoch,
        req.first_seq,
        (len(req.ops), len(new) - n_rejected_new, len(old), n_rejected_new),
        {"reasons": reasons, "conflicts": conflicts, "invalid": invalid},
    )
    indicators.after_push(device.center_id, [prep.op for prep in new], rejected_new)
    testhooks.pause_before_commit()
    return PushResponse(
        acked_through=max(hwm, new[-1].op.seq if new else 0),
        server_hlc=clock.now_text(),
        rejected=rejected,
    )


def _merge(device: Device, new: list[Prepared]) -> tuple[list[str | None], int]:
    """Merge the batch's new ops: each op's rejection reason (None: accepted) and the
    number of conflicts logged. The whole batch is merged and written at once, in a
    savepoint; if the database refuses anything in it, the batch is merged again one op per
    savepoint, and an op the database still refuses is rejected alone (`invalid_value`,
    logged): one bad op never fails the batch or blocks the device's stream."""
    merger = BatchMerger(device)
    try:
        with transaction.atomic():
            merger.preload([prep.op for prep in new])
            verdicts = [merger.apply(prep) for prep in new]
            merger.flush()
        return verdicts, merger.conflict_count
    except DatabaseError:
        log.warning("batch of %s refused by the database; merging op by op", device.id,
                    exc_info=True)
    verdicts = []
    conflicts = 0
    for prep in new:
        one = BatchMerger(device)
        try:
            with transaction.atomic():
                reason = one.apply(prep)
                one.flush()
        except DatabaseError as exc:
            log.warning("op %s refused by the database: %s", prep.op.op_id, exc)
            prep.problem = f"{prep.op.entity}: refused by the database"
            reason = "invalid_value"
        else:
            conflicts += one.conflict_count
        verdicts.append(reason)
    return verdicts, conflicts


def _check_replayed(device: Device, epoch: int, old: list[Prepared], hwm: int) -> list[Rejected]:
    """Ops already applied: a harmless replay if identical, 409 if the seq was reused."""
    if not old:
        return []
    first, last = old[0].op.seq, old[-1].op.seq
    receipts = list(
        BatchReceipt.objects.filter(
            device=device, epoch=epoch, first_seq__lte=last, last_seq__gte=first
        )
    )
    rejected: list[Rejected] = []
    for prep in old:
        op: Op = prep.op
        receipt = next((r for r in receipts if r.first_seq <= op.seq <= r.last_seq), None)
        if receipt is None or not receipt.matches(op):
            raise ApiError(
                "seq_reused",
                f"Seq {op.seq} of epoch {epoch} was already used for different content; "
                "start a new epoch.",
                expected_seq=hwm + 1,
            )
        reason = receipt.rejected.get(str(op.seq))
        if reason:
            rejected.append(Rejected(seq=op.seq, op_id=op.op_id, reason=reason))
    return rejected


def audit_refusal(device: Device, req: PushRequest, exc: ApiError) -> None:
    """Refused pushes are audited too, in their own transaction (the batch rolled back)."""
    try:
        PushAudit.objects.create(
            center_id=device.center_id,
            device=device,
            epoch=req.epoch,
            first_seq=req.first_seq,
            received=len(req.ops),
            status=exc.code,
            detail={"message": str(exc)},
        )
    except Exception:  # auditing must not hide the real answer
        log.exception("could not audit refused push from %s", device.id)
