"""Applying a push batch: the algorithm of docs/sync.md ("Push rules"), in one database transaction.

Before any lock: check the batch's shape and prepare its ops (`merge.prepare`: the checks
that need no database, canonical JSON, digests). Then, in one transaction: lock the (device,
epoch) stream; refuse a gap (409 with the expected seq); skip ops at or below the high-water
mark, refusing a reused seq whose content changed; lock the device's daily counters and cut
the batch at its quotas (jisr_hq/limits.py); lock the center's change counters (so commit
order equals counter order, and pushes of one center serialise); merge each new op; write the
batch's receipt; move the high-water mark; commit. A batch cut at a quota commits what it
took, then answers `429 quota_exceeded` for the rest.

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

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db import connection as db_connection

from jisr_hq import clock, limits, store, testhooks
from jisr_hq.dashboard import indicators
from jisr_hq.errors import ApiError
from jisr_hq.merge import BatchMerger, Prepared, prepare
from jisr_hq.models import BatchReceipt, Device, PushAudit, Stream
from jisr_hq.own_rows import note_push
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

GAP_WAIT_SECONDS = float(getattr(settings, "JISR_HQ_GAP_WAIT_SECONDS", 3.0))
"""How long a pipelined batch that arrived before its predecessor waits for it."""
WATCH_FIRST_SECONDS = 0.002
WATCH_MAX_SECONDS = 0.01
"""A held batch is woken at once when its predecessor commits in this process. For a
predecessor committed by another worker process, one watcher per process reads the
high-water marks of every stream that has a held batch, in one query: after 2 ms, then twice
as long each time, at most every 10 ms (at 50 ms a batch whose predecessor committed in the other
worker waited some 25 ms on average: the first push of 10,000 persons took 2-4 s longer). One
query per process every 10 ms while batches are held is still far below what the old way cost:
each held batch used to run a whole push attempt (a
transaction taking the stream's lock; on SQLite the write lock) every 2-50 ms, and all held
batches of a stream retried at every commit: 96 held batches slowed other centers' pushes."""

_marks: dict[tuple[uuid.UUID, int], int] = {}
"""High-water marks of streams as this process last saw them commit (event loop only)."""
_held: dict[tuple[uuid.UUID, int], list[tuple[int, asyncio.Event]]] = {}
"""Held batches by stream: (the mark their predecessor makes, their event)."""
_watcher: asyncio.Task[None] | None = None
_watch_reset = False


def committed(device_id: uuid.UUID, epoch: int, high_water: int) -> None:
    """A batch of this stream committed up to `high_water`: wake the batches held for it
    (event loop only)."""
    key = (device_id, epoch)
    if high_water > _marks.get(key, 0):
        _marks[key] = high_water
    _wake(key, _marks.get(key, high_water))  # an empty first batch (mark 0) sets none


def _wake(key: tuple[uuid.UUID, int], high_water: int) -> None:
    waiting = _held.get(key)
    if not waiting:
        return
    still = []
    for target, event in waiting:
        if target <= high_water:
            event.set()
        else:
            still.append((target, event))
    if still:
        _held[key] = still
    else:
        _held.pop(key, None)


async def wait_for_predecessor(device_id: uuid.UUID, epoch: int, mark: int,
                               timeout: float) -> None:
    """Until the stream's high-water mark reaches `mark` (the predecessor committed, in this
    process or another), or `timeout`. Costs no query of its own (see WATCH_*)."""
    global _watcher, _watch_reset
    key = (device_id, epoch)
    if _marks.get(key, 0) >= mark:
        return
    event = asyncio.Event()
    _held.setdefault(key, []).append((mark, event))
    _watch_reset = True
    if _watcher is None or _watcher.done():
        _watcher = asyncio.get_running_loop().create_task(_watch())
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)
    finally:
        waiting = [w for w in _held.get(key, []) if w[1] is not event]
        if waiting:
            _held[key] = waiting
        else:
            _held.pop(key, None)


async def _watch() -> None:
    """While batches are held: read their streams' marks (one query), wake those whose
    predecessor committed elsewhere."""
    global _watch_reset
    pause = WATCH_FIRST_SECONDS
    while _held:
        await asyncio.sleep(pause)
        if _watch_reset:
            _watch_reset, pause = False, WATCH_FIRST_SECONDS
        else:
            pause = min(pause * 2, WATCH_MAX_SECONDS)
        keys = list(_held)
        if not keys:
            break
        try:
            marks = await sync_to_async(_read_marks, thread_sensitive=False)(keys)
        except DatabaseError:
            log.warning("could not read high-water marks for held batches", exc_info=True)
            continue
        for key, high_water in marks.items():
            committed(key[0], key[1], high_water)


def _read_marks(keys: list[tuple[uuid.UUID, int]]) -> dict[tuple[uuid.UUID, int], int]:
    wanted = set(keys)
    try:
        rows = Stream.objects.filter(device_id__in={d for d, _ in keys}).values_list(
            "device_id", "epoch", "high_water")
        return {(d, e): hw for d, e, hw in rows if (d, e) in wanted}
    finally:
        db_connection.close()


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


def op_sizes(req: PushRequest) -> list[int]:
    """Each op's size in bytes as JSON, for the bytes quotas (no database, any thread)."""
    return [len(op.model_dump_json()) for op in req.ops]


def push_once(
    device: Device, req: PushRequest, prepared: list[Prepared], sizes: list[int] | None = None
) -> PushResponse:
    """One attempt in one transaction; raises Gap, or ApiError for refusals (audited). A
    batch cut at a quota raises its `quota_exceeded` ApiError after its prefix committed."""
    try:
        with transaction.atomic():
            answer, refused = _apply(device, req, prepared, sizes or op_sizes(req))
    except ApiError as exc:
        audit_refusal(device, req, exc)
        raise
    if refused is not None:  # the prefix is committed; the rest is refused
        audit_refusal(device, req, refused)
        raise refused
    return answer


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


def _apply(
    device: Device, req: PushRequest, prepared: list[Prepared], sizes: list[int]
) -> tuple[PushResponse, ApiError | None]:
    """The answer, and the `quota_exceeded` refusal of the rest when the batch was cut."""
    stream_pk, hwm = store.lock_stream(device.center_id, device.id, req.epoch)
    if req.first_seq > hwm + 1:
        raise Gap(hwm + 1)
    old = [prep for prep in prepared if prep.op.seq <= hwm]
    new = [prep for prep in prepared if prep.op.seq > hwm]
    new_sizes = sizes[len(old):]
    rejected = _check_replayed(device, req.epoch, old, hwm)

    cut: limits.Cut | None = None
    usage = limits.lock_day(device.id) if new else None
    if usage is not None:
        cut = limits.admit_ops(usage, new_sizes)
        if cut is not None:
            if cut.keep == 0:
                raise cut.error(new[0].op.seq)  # nothing taken: the transaction rolls back
            new = new[: cut.keep]
        room, room_reason = limits.conflict_room(usage)
        verdicts, conflicts, taken = _merge(device, new, room)
        if taken < len(new):
            cut = limits.Cut(taken, room_reason)
            if taken == 0:
                raise cut.error(new[0].op.seq)
            new = new[:taken]
        limits.record(usage, len(new), sum(new_sizes[: len(new)]), conflicts)
    else:
        verdicts, conflicts = [], 0
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
        note_push(device, req.epoch, [prep.op for prep in new])  # own rows: jisr_hq/own_rows.py
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
    answer = PushResponse(
        acked_through=max(hwm, new[-1].op.seq if new else 0),
        server_hlc=clock.now_text(),
        rejected=rejected,
    )
    return answer, cut.error(new[-1].op.seq + 1) if cut is not None else None


class _OverConflicts(Exception):
    """The op at index `at` took the batch over its conflict room (rolls its savepoint back)."""

    def __init__(self, at: int) -> None:
        super().__init__(at)
        self.at = at


def _merge(
    device: Device, new: list[Prepared], room: int | None = None
) -> tuple[list[str | None], int, int]:
    """Merge the batch's new ops: each op's rejection reason (None: accepted), the number of
    conflicts logged, and how many ops were taken: all of them, or those before the op whose
    conflicts go over `room` (the conflicts quota; None: no bound). The whole batch is merged
    and written at once, in a savepoint (merged again up to the cut when it goes over the
    room); if the database refuses anything in it, the batch is merged again one op per
    savepoint, and an op the database still refuses is rejected alone (`invalid_value`,
    logged): one bad op never fails the batch or blocks the device's stream."""
    merger = BatchMerger(device)
    try:
        with transaction.atomic():
            merger.preload([prep.op for prep in new])
            verdicts = []
            for i, prep in enumerate(new):
                verdicts.append(merger.apply(prep))
                if room is not None and merger.conflict_count > room:
                    raise _OverConflicts(i)
            merger.flush()
        return verdicts, merger.conflict_count, len(new)
    except _OverConflicts as over:
        if over.at == 0:
            return [], 0, 0
        verdicts, conflicts, _ = _merge(device, new[: over.at])  # within the room by construction
        return verdicts, conflicts, over.at
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
                if room is not None and conflicts + one.conflict_count > room:
                    raise _OverConflicts(len(verdicts))
                one.flush()
        except _OverConflicts:
            break
        except DatabaseError as exc:
            log.warning("op %s refused by the database: %s", prep.op.op_id, exc)
            prep.problem = f"{prep.op.entity}: refused by the database"
            reason = "invalid_value"
        else:
            conflicts += one.conflict_count
        verdicts.append(reason)
    return verdicts, conflicts, len(verdicts)


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
