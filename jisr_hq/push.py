"""Applying a push batch: the algorithm of SYNC.md, in one database transaction.

Lock the (device, epoch) stream; refuse a gap (409 with the expected seq); skip ops at or
below the high-water mark, refusing a reused seq whose content changed; lock the center's
change counters (so commit order equals counter order, and pushes of one center serialise);
validate and merge each new op; write receipts; move the high-water mark; commit.
"""

from __future__ import annotations

import logging
import uuid

from django.db import transaction

from jisr_desktop.sync.protocol import (
    PROTOCOL_VERSION,
    Op,
    PushRequest,
    PushResponse,
    Rejected,
)
from jisr_hq import clock, faults, store
from jisr_hq.errors import ApiError
from jisr_hq.merge import BatchMerger
from jisr_hq.models import Device, OpReceipt, PushAudit, Stream

log = logging.getLogger(__name__)


def push(device: Device, req: PushRequest) -> PushResponse:
    """Apply `req` for the authenticated `device`; raises ApiError for refusals."""
    try:
        _check_batch_shape(device, req)
        with transaction.atomic():
            return _apply(device, req)
    except ApiError as exc:
        _audit_refusal(device, req, exc)
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


def _lock_stream(device: Device, epoch: int) -> Stream:
    Stream.objects.bulk_create(
        [Stream(center_id=device.center_id, device=device, epoch=epoch)], ignore_conflicts=True
    )
    return Stream.objects.select_for_update().get(device=device, epoch=epoch)


def _apply(device: Device, req: PushRequest) -> PushResponse:
    stream = _lock_stream(device, req.epoch)
    hwm = stream.high_water
    if req.first_seq > hwm + 1:
        raise ApiError(
            "seq_gap", f"Expected seq {hwm + 1}, got {req.first_seq}.", expected_seq=hwm + 1
        )
    old = [op for op in req.ops if op.seq <= hwm]
    new = [op for op in req.ops if op.seq > hwm]
    rejected = _check_replayed(device, req.epoch, old, hwm)

    merger = BatchMerger(device)
    merger.preload(new)
    receipts: list[tuple[int, uuid.UUID, str, str]] = []
    reasons: dict[str, int] = {}
    for op in new:
        reason = merger.apply(op)
        if reason:
            rejected.append(Rejected(seq=op.seq, op_id=op.op_id, reason=reason))
            reasons[reason] = reasons.get(reason, 0) + 1
        receipts.append((op.seq, op.op_id, op.digest(), reason or ""))
    merger.flush()
    store.write_receipts(device.center_id, device.id, req.epoch, receipts)
    if new:
        stream.high_water = new[-1].seq
        stream.save(update_fields=["high_water"])
    n_rejected_new = sum(reasons.values())
    PushAudit.objects.create(
        center_id=device.center_id,
        device=device,
        epoch=req.epoch,
        first_seq=req.first_seq,
        received=len(req.ops),
        applied=len(new) - n_rejected_new,
        skipped=len(old),
        rejected=n_rejected_new,
        status="ok",
        detail={"reasons": reasons, "conflicts": merger.conflict_count},
    )
    faults.pause_before_commit()
    return PushResponse(
        acked_through=max(hwm, new[-1].seq if new else 0),
        server_hlc=clock.now_text(),
        rejected=rejected,
    )


def _check_replayed(device: Device, epoch: int, old: list[Op], hwm: int) -> list[Rejected]:
    """Ops already applied: a harmless replay if identical, 409 if the seq was reused."""
    if not old:
        return []
    receipts = {
        r.seq: r
        for r in OpReceipt.objects.filter(
            device=device, epoch=epoch, seq__gte=old[0].seq, seq__lte=old[-1].seq
        )
    }
    rejected: list[Rejected] = []
    for op in old:
        receipt = receipts.get(op.seq)
        if receipt is None or receipt.digest != op.digest():
            raise ApiError(
                "seq_reused",
                f"Seq {op.seq} of epoch {epoch} was already used for different content; "
                "start a new epoch.",
                expected_seq=hwm + 1,
            )
        if receipt.rejected:
            rejected.append(Rejected(seq=op.seq, op_id=op.op_id, reason=receipt.rejected))
    return rejected


def _audit_refusal(device: Device, req: PushRequest, exc: ApiError) -> None:
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
