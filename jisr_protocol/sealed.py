"""Sealed notes: what a counsellor's key signs (docs/security.md, "Sealed notes").

Case notes (the counselling partition) are written and read only with proof that the named
counsellor is at the keyboard. When a counsellor signs in on a counselling desktop while
online, the desktop makes an Ed25519 key pair for her, and HQ registers its public key for
that (device, counsellor) after checking her user name and password. From then on:

- every case-note op (and every resolution of a case-note conflict) carries `Op.proof`:
  ``"<key_id>.<signature>"`` over `op_message(op)`;
- a pull that asks for the counselling partition carries the header `USER_PROOF_HEADER`:
  ``"<key_id>.<unix ms>.<signature>"`` over `pull_message(device, user, ms)`.

Signatures are base64url without padding. The message forms are canonical JSON
(`jisr_protocol/canonical.py`), so both sides make the same bytes. The op message leaves out
the device, epoch and seq: those move when a desktop enrolls again, the key does not.
"""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING

from jisr_protocol.canonical import canonical_json
from jisr_protocol.entities import COUNSELLING_ENTITIES

if TYPE_CHECKING:
    from jisr_protocol.wire import Op

USER_PROOF_HEADER = "X-Jisr-User-Proof"
"""On pull: the signed-in counsellor's proof (`pull_message`), needed for case notes."""

PROOF_ENTITIES = frozenset({*COUNSELLING_ENTITIES, "conflict_resolution"})
"""Ops a desktop signs when their author holds a key (HQ asks for the proof on case notes and
on resolutions of case-note conflicts)."""

PULL_PROOF_MAX_AGE_MS = 15 * 60 * 1000
"""A pull proof older (or further in the future) than this is not accepted."""

MAX_PROOF_CHARS = 200


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(public_key: bytes) -> str:
    """The short name of a public key: 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def op_message(op: Op) -> bytes:
    return op_message_of(
        op_id=str(op.op_id), entity=op.entity, entity_id=str(op.entity_id), kind=op.kind,
        patch=dict(op.patch), base=dict(op.base), schema_v=op.schema_v, user_id=op.user_id,
        hlc=op.hlc)


def op_message_of(*, op_id: str, entity: str, entity_id: str, kind: str, patch: dict[str, object],
                  base: dict[str, object], schema_v: int, user_id: str | None,
                  hlc: str) -> bytes:
    """What an op's proof signs: everything of the op but its place in the outbox."""
    return b"jisr-op-v1|" + canonical_json({
        "op_id": op_id, "entity": entity, "entity_id": entity_id, "kind": kind,
        "patch": patch, "base": base, "schema_v": schema_v, "user_id": user_id, "hlc": hlc,
    })


def pull_message(device_id: str, user: str, at_ms: int) -> bytes:
    return b"jisr-pull-v1|" + canonical_json([device_id, user, at_ms])


def split_proof(text: str, parts: int) -> list[str] | None:
    """The dot-separated parts of a proof, or None when it has not that shape."""
    if not text or len(text) > MAX_PROOF_CHARS:
        return None
    out = text.split(".")
    return out if len(out) == parts and all(out) else None
