"""Checks of a pushed op against what HQ knows of the device's center: the proof on case
notes (jisr_hq/sealed.py) and the ids an op refers to (docs/sync.md, "Push rules", 4).

- An id an op refers to (`household_member.person_id`, a visit's person, a case note's
  person or household …) that HQ holds for another center: `unknown_reference`.
- A membership or a case note must name a person and household of the device's own center
  that HQ holds (or that an earlier op of the same batch creates): `unknown_reference`.
- A case note's `counsellor_id` must be its author, a staff account of the center.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from jisr_hq import store
from jisr_protocol import Op

if TYPE_CHECKING:
    from jisr_hq.merge import BatchMerger, Prepared

REF_FIELDS = (
    "person_id",
    "household_id",
    "head_person_id",
    "by_person_id",
    "merged_into",
    "workshop_id",
    "enrollment_id",
    "campaign_id",
    "session_id",
    "pickup_authorisation_id",
)
"""Fields that name another synced record (by its uuid)."""

STRICT: dict[str, dict[str, str]] = {
    "household_member": {"household_id": "household", "person_id": "person"},
    "counselling_note": {"person_id": "person", "household_id": "household"},
    "mediation_note": {"household_id": "household"},
}
"""entity → field → the entity it names, which must exist in the device's center."""


class References:
    """Where the ids a batch refers to live (one query per batch)."""

    def __init__(self, center_id: uuid.UUID) -> None:
        self.center_id = center_id
        self.own: set[uuid.UUID] = set()
        self.foreign: set[uuid.UUID] = set()
        self.loaded: set[uuid.UUID] = set()

    def preload(self, ops: list[Op]) -> None:
        wanted = {ref for op in ops for _name, ref in _refs(op.patch)} - self.loaded
        if not wanted:
            return
        self.loaded |= wanted
        for entity_id, center_id in store.record_centers(wanted):
            if center_id == self.center_id:
                self.own.add(entity_id)
            else:
                self.foreign.add(entity_id)
        self.foreign -= self.own


def op_reason(merger: BatchMerger, prep: Prepared) -> str | None:
    """Why an op that passed the other checks is refused here, or None."""
    op = prep.op
    staff = merger._staff(op.user_id) if op.user_id else None
    if prep.spec.partition == "counselling":
        reason = merger.verifier.op_reason(op, staff)
        if reason:
            return reason
    patch = prep.patch or {}
    refs = merger.refs
    refs.preload([op])
    if any(ref in refs.foreign for _name, ref in _refs(patch)):
        return "unknown_reference"
    for name, target in STRICT.get(op.entity, {}).items():
        named = _uuid(patch.get(name))
        if named is not None and named not in refs.own and (target, named) not in merger.records:
            return "unknown_reference"
    author = patch.get("counsellor_id")
    if prep.spec.partition == "counselling" and author is not None and (
        staff is None or str(staff.id) != str(author)
    ):
        return "unknown_reference"
    return None


def _refs(patch: dict[str, Any]) -> list[tuple[str, uuid.UUID]]:
    out = []
    for name in REF_FIELDS:
        ref = _uuid(patch.get(name))
        if ref is not None:
            out.append((name, ref))
    return out


def _uuid(value: Any) -> uuid.UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
