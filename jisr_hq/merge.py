"""Merging validated ops into HQ state, per the conflict rules of docs/sync.md.

Records: last writer wins per field by effective clock; when the stored clock of a field is
neither the op's `base` nor the client clock that wrote it, the edits were concurrent and the
loser goes to the conflicts table. Deletes are sticky tombstones: an edit of a deleted row is
kept as a conflict and only an explicit restore brings the row back. Events are insert-only.

Work on a batch is split in two. `prepare` needs no database: the checks that depend on the op
alone, schema upgrades, canonical event JSON and digests; it runs before any lock is taken, so
one batch's preparation overlaps another's merge. A BatchMerger then works in memory for one
batch (the caller holds the center's counter locks, so no other push of this center runs
meanwhile) and writes everything in `flush()`.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone

from jisr_hq import clock, references, sealed, store
from jisr_hq.models import Conflict, Device, StaffAccount
from jisr_hq.store import EventState, RecState
from jisr_hq.testhooks import schema_overrides as _schema_overrides
from jisr_protocol import (
    ENTITIES,
    LIFE,
    RESOLUTION_CHOICES,
    EntitySpec,
    Op,
    canonical_json,
    check_values,
    device_of,
)
from jisr_protocol.schema import SCHEMA_V, text_problem

log = logging.getLogger(__name__)

CENTER_FIELDS = ("center_id",)
"""Patch fields that claim a center; they must name the device's own center."""

UPGRADES: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""(entity, from_schema_v) → function upgrading a patch one version. Patches only carry the
fields a desktop changed, so an old desktop cannot blank fields it does not know."""

Key = tuple[str, uuid.UUID]

PARTITION_NAMES = ("center", "counselling")


_OVERRIDES = _schema_overrides()


def entity_spec(name: str) -> EntitySpec:
    spec = ENTITIES[name]
    version = _OVERRIDES.get(name)
    return replace(spec, schema_v=version) if version else spec


@dataclass(slots=True)
class Prepared:
    """One op with everything about it that needs no database."""

    op: Op
    spec: EntitySpec
    op_digest: bytes
    reason: str | None = None
    patch: dict[str, Any] | None = None
    canonical: str = ""
    content_digest: str = ""
    problem: str = ""
    """Why the op was refused as invalid, naming the field (logged and kept in PushAudit)."""


def prepare(ops: list[Op], center_id: uuid.UUID) -> list[Prepared]:
    """Checks that depend on the op alone, the upgraded patch and, for events, the canonical
    JSON and its digest; plus each op's receipt digest."""
    center = str(center_id)
    out: list[Prepared] = []
    for op in ops:
        spec = entity_spec(op.entity)
        prep = Prepared(op, spec, op.digest())
        prep.reason = _text_reason(prep) or _static_reason(op, spec, center)
        if prep.reason is None:
            patch = _upgrade(spec, op.schema_v, dict(op.patch))
            prep.reason = _value_reason(prep, spec, patch)
        if prep.reason is None:
            prep.patch = patch
            if spec.family == "event":
                raw = canonical_json(patch)
                prep.canonical = raw.decode()
                prep.content_digest = hashlib.sha256(raw).hexdigest()  # == content_digest(patch)
        out.append(prep)
    return out


def _static_reason(op: Op, spec: EntitySpec, center: str) -> str | None:
    if op.schema_v > spec.schema_v:
        return "schema_too_new"
    if (spec.family == "event") != (op.kind == "event"):
        return "wrong_kind"
    for name in CENTER_FIELDS:
        if name in op.patch and op.patch[name] != center:
            return "wrong_center"
    return None


def _text_reason(prep: Prepared) -> str | None:
    """Text no database can store anywhere in the op (a NUL, an unpaired surrogate): in a
    value, even of a field a newer schema has, in a base clock, the op's clock or its author.
    Checked first, so it never reaches PostgreSQL (which refuses the whole statement)."""
    op = prep.op
    texts: list[tuple[str, object]] = [("hlc", op.hlc), ("user_id", op.user_id), ("proof", op.proof)]
    texts += [(name, value) for name, value in op.patch.items()]
    texts += [(f"base.{name}", value) for name, value in op.base.items()]
    for name, value in texts:
        if isinstance(value, str) and (problem := text_problem(value)):
            prep.problem = f"{op.entity}.{name} {problem}"
            log.info("op %s refused: %s", op.op_id, prep.problem)
            return "invalid_value"
    return None


def _value_reason(prep: Prepared, spec: EntitySpec, patch: dict[str, Any]) -> str | None:
    """The schema's verdict on the (upgraded) patch: every field known and every value fitting
    (jisr_protocol/schema.py). An event carries every required field; a record patch carries
    only what changed, so requiredness is not checked for it. Only the reason travels back
    (the wire's `Rejected` has no room for more); the field is logged."""
    op = prep.op
    problems = check_values(op.entity, patch, whole=op.kind == "event",
                            newer=spec.schema_v > SCHEMA_V)
    if not problems:
        return None
    prep.problem = "; ".join(str(p) for p in problems[:5])
    log.info("op %s refused: %s", op.op_id, prep.problem)
    unknown = any(p.kind == "unknown" for p in problems)
    return "unknown_field" if unknown else "invalid_value"


class BatchMerger:
    def __init__(self, device: Device) -> None:
        self.device = device
        self.center_id = device.center_id
        self.records: dict[Key, RecState] = {}
        self.events: dict[Key, EventState] = {}
        self.foreign: set[uuid.UUID] = set()
        self.dirty: dict[Key, RecState] = {}
        self.new_events: list[tuple[object, ...]] = []
        self.conflicts: list[Conflict] = []
        self.resolutions: list[tuple[Conflict, str]] = []
        self.staff: dict[str, StaffAccount | None] = {}
        self.counters = store.lock_counters(self.center_id, PARTITION_NAMES)
        self.loaded: set[uuid.UUID] = set()
        self.verifier = sealed.Verifier(device)  # case notes' proofs (jisr_hq/sealed.py)
        self.refs = references.References(self.center_id)

    @property
    def conflict_count(self) -> int:
        return len(self.conflicts)

    # -- loading ---------------------------------------------------------------------------

    def preload(self, ops: list[Op]) -> None:
        """Fetch every row the batch touches in two queries (any center, to spot foreign ids)."""
        self.refs.preload(ops)
        ids = {op.entity_id for op in ops} - self.loaded
        if not ids:
            return
        self.loaded |= ids
        for rec in store.load_records(ids):
            if rec.center_id == self.center_id:
                self.records[(rec.entity, rec.entity_id)] = rec
            else:
                self.foreign.add(rec.entity_id)
        for ev in store.load_events(ids):
            if ev.center_id == self.center_id:
                self.events[(ev.entity, ev.entity_id)] = ev
            else:
                self.foreign.add(ev.entity_id)

    # -- one op ----------------------------------------------------------------------------

    def apply(self, prep: Prepared) -> str | None:
        """Merge one prepared op; return a rejection reason, or None when accepted (even if
        it lost)."""
        op = prep.op
        self.preload([op])
        reason = (
            prep.reason
            or self._dynamic_reason(op, prep.spec)
            or references.op_reason(self, prep)
        )
        if reason:
            return reason
        assert prep.patch is not None
        if prep.spec.family == "event":
            return self._apply_event(prep, prep.patch)
        self._apply_record(op, prep.spec, prep.patch)
        return None

    def _dynamic_reason(self, op: Op, spec: EntitySpec) -> str | None:
        if op.entity_id in self.foreign:
            return "entity_of_other_center"
        return self._check_author(op.user_id, spec)

    def _check_author(self, user_id: str | None, spec: EntitySpec) -> str | None:
        staff = self._staff(user_id) if user_id else None
        if staff is not None and (staff.center_id != self.center_id or not staff.active):
            return "author_not_member"
        if spec.write_roles is not None:
            if staff is None:
                return "author_not_member"
            if staff.role not in spec.write_roles:
                return "author_role"
        return None

    def _staff(self, user_id: str) -> StaffAccount | None:
        if user_id not in self.staff:
            query = StaffAccount.objects.all()
            try:
                found = query.filter(id=uuid.UUID(user_id)).first()
            except ValueError:
                found = query.filter(username=user_id).first()
            self.staff[user_id] = found
        return self.staff[user_id]

    def _apply_event(self, prep: Prepared, patch: dict[str, Any]) -> str | None:
        op = prep.op
        resolved: Conflict | None = None
        if op.entity == "conflict_resolution":
            resolved, reason = self._check_resolution(op, patch)
            if reason:
                return reason
        key = (op.entity, op.entity_id)
        canonical, digest = prep.canonical, prep.content_digest
        existing = self.events.get(key)
        if existing is not None:
            return None if existing.digest == digest else "event_conflict"
        self.events[key] = EventState(self.center_id, op.entity, op.entity_id, digest)
        self.new_events.append(
            store.event_row(
                self.center_id,
                op.entity,
                op.entity_id,
                op.op_id,
                self.device.id,
                canonical,
                digest,
                op.hlc,
                self._next("center"),
            )
        )
        if resolved is not None:
            self.resolutions.append((resolved, str(patch["choice"])))
        return None

    def _check_resolution(
        self, op: Op, patch: dict[str, Any]
    ) -> tuple[Conflict | None, str | None]:
        """A coordinator's choice on a conflict of this center (HQ records it; the data
        change itself, for keep_loser, is an ordinary upsert)."""
        if patch.get("choice") not in RESOLUTION_CHOICES:
            return None, "invalid_value"
        try:
            conflict_id = uuid.UUID(str(patch.get("conflict_id")))
        except ValueError:
            return None, "invalid_value"
        conflict = Conflict.objects.filter(id=conflict_id).first()
        if conflict is None:
            return None, "unknown_conflict"
        if conflict.center_id != self.center_id:
            return None, "wrong_center"
        if conflict.partition == "counselling":  # case-note conflicts: counsellors only
            reason = self._check_author(op.user_id, ENTITIES["counselling_note"])
            reason = reason or self.verifier.op_reason(op, self._staff(str(op.user_id)))
            if reason:
                return None, reason
        return conflict, None

    def _apply_record(self, op: Op, spec: EntitySpec, patch: dict[str, Any]) -> None:
        key = (op.entity, op.entity_id)
        rec = self.records.get(key)
        if rec is None:
            rec = RecState(self.center_id, spec.partition, op.entity, op.entity_id)
            self.records[key] = rec
        eff = clock.effective(op.hlc, clock.now())
        changed = False
        life = rec.clocks.get(LIFE)
        if op.kind == "delete":
            if not rec.deleted and (life is None or eff > life):
                rec.deleted, rec.deleted_at = True, timezone.now()
                rec.clocks[LIFE] = eff
                changed = True
            elif not rec.deleted:  # a restore with a later clock already won
                self._conflict(rec, op, LIFE, "delete_lost", None, True, eff)
            patch = {}
        elif op.kind == "restore":
            if rec.deleted and (life is None or eff > life):
                rec.deleted, rec.deleted_at = False, None
                rec.clocks[LIFE] = eff
                changed = True
        elif rec.deleted:  # sticky tombstone: keep the edit for review, do not resurrect
            for name, value in patch.items():
                self._conflict(rec, op, name, "edit_of_deleted", rec.fields.get(name), value, eff)
            patch = {}
        for name, value in patch.items():
            changed |= self._merge_field(rec, op, name, value, eff)
        if changed or rec.pk is None:
            rec.counter = self._next(spec.partition)
            self.dirty[key] = rec

    def _merge_field(self, rec: RecState, op: Op, name: str, value: Any, eff: str) -> bool:
        stored = rec.clocks.get(name)
        base = op.base.get(name)
        concurrent = stored is not None and base not in (stored, rec.origins.get(name))
        if stored is None or eff > stored:
            if concurrent:
                self._conflict(
                    rec,
                    op,
                    name,
                    "concurrent_edit",
                    value,
                    rec.fields.get(name),
                    eff,
                    loser_clock=stored,
                    op_won=True,
                )
            rec.fields[name] = value
            rec.clocks[name] = eff
            rec.origins[name] = op.hlc
            return True
        if eff == stored:
            return False
        reason = "concurrent_edit" if concurrent else "stale_edit"
        self._conflict(rec, op, name, reason, rec.fields.get(name), value, eff)
        return False

    def _conflict(
        self,
        rec: RecState,
        op: Op,
        name: str,
        reason: str,
        winner: Any,
        loser: Any,
        eff: str,
        *,
        loser_clock: str | None = None,
        op_won: bool = False,
    ) -> None:
        """Record a loser. By default the op lost; with `op_won` the stored value lost."""
        if op_won:
            winner_clock, lost_clock = eff, loser_clock or ""
            loser_device = _uuid_or_none(device_of(lost_clock)) if lost_clock else None
        else:
            winner_clock, lost_clock = rec.clocks.get(name, ""), eff
            loser_device = op.device_id
        self.conflicts.append(
            Conflict(
                center_id=self.center_id,
                partition=rec.partition,
                entity=rec.entity,
                entity_id=rec.entity_id,
                field=name,
                reason=reason,
                winner_value=winner,
                winner_clock=winner_clock,
                loser_value=loser,
                loser_clock=lost_clock,
                loser_device=loser_device,
                op_id=op.op_id,
                counter=self._next(rec.partition),
            )
        )

    # -- writing ---------------------------------------------------------------------------

    def _next(self, partition: str) -> int:
        counter = self.counters[partition]
        counter.value += 1
        return counter.value

    def flush(self) -> None:
        """Write the batch's rows, events, conflicts and the advanced counters."""
        store.write_records(self.dirty.values())
        store.write_events(self.new_events)
        Conflict.objects.bulk_create(self.conflicts, batch_size=500)
        now = timezone.now()
        for conflict, choice in self.resolutions:
            Conflict.objects.filter(id=conflict.id).update(
                resolution=choice, resolved_at=now, counter=self._next(conflict.partition)
            )
        store.save_counters(self.counters.values())


def _upgrade(spec: EntitySpec, schema_v: int, patch: dict[str, Any]) -> dict[str, Any]:
    for version in range(schema_v, spec.schema_v):
        step = UPGRADES.get((spec.name, version))
        if step is not None:
            patch = step(patch)
    return patch


def _uuid_or_none(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None
