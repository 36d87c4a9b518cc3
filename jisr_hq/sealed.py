"""Sealed notes at HQ: counsellors' keys, the proof on case-note ops and on counselling pulls,
and which staff accounts a device may receive (docs/security.md, "Sealed notes").

A case note is accepted only from a device enrolled for counselling, and only signed by a key
its author registered on that very device with her HQ password. HQ stores public keys only.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from jisr_hq.errors import ApiError
from jisr_hq.models import CaseKey, Device, StaffAccount
from jisr_protocol import Op
from jisr_protocol import sealed as ps

log = logging.getLogger(__name__)

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-password-of-anyone")
"""Verified against when the user name is unknown, so both answers take the same time."""

SIGN_IN_ROLES = {
    False: ("receptionist", "coordinator"),
    True: ("receptionist", "coordinator", "counsellor"),
}
"""Roles whose password hash a device receives, by `Device.counselling`. Administrators of a
desktop are its own local accounts: no HQ account becomes one."""


def register_key(device: Device, username: str, password: str, public_key: str) -> CaseKey:
    """A counsellor signing in on a counselling device: check her HQ password, register her
    public key for (device, counsellor). Refusals are one plain ApiError."""
    if not device.counselling:
        raise ApiError("not_counselling", "This desktop is not enrolled for counselling.")
    staff = StaffAccount.objects.filter(username=username).first()
    try:
        _hasher.verify(staff.password_hash if staff else _DUMMY_HASH, password)
        ok = staff is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if (not ok or staff is None or staff.center_id != device.center_id or not staff.active
            or staff.role != "counsellor"):
        raise ApiError("bad_credentials",
                       "Wrong user name or password, or not a counsellor of this center.")
    try:
        raw = ps.unb64(public_key)
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise ApiError("invalid", "public_key is not an Ed25519 public key.") from exc
    key, _ = CaseKey.objects.update_or_create(
        device=device, staff=staff, key_id=ps.key_id(raw),
        defaults={"public_key": ps.b64(raw), "revoked": False})
    log.info("case key %s registered for %s on device %s", key.key_id, staff.username, device.id)
    return key


class Verifier:
    """Checks proofs for one device (keys cached for a batch)."""

    def __init__(self, device: Device) -> None:
        self.device = device
        self._keys: dict[tuple[uuid.UUID, str], Ed25519PublicKey | None] = {}

    def _key(self, staff: StaffAccount, key_id: str) -> Ed25519PublicKey | None:
        slot = (staff.id, key_id)
        if slot not in self._keys:
            row = CaseKey.objects.filter(device=self.device, staff=staff, key_id=key_id,
                                         revoked=False).first()
            self._keys[slot] = (Ed25519PublicKey.from_public_bytes(ps.unb64(row.public_key))
                                if row else None)
        return self._keys[slot]

    def _verify(self, staff: StaffAccount, key_id: str, signature: str, message: bytes) -> bool:
        key = self._key(staff, key_id)
        if key is None:
            return False
        try:
            key.verify(ps.unb64(signature), message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def op_reason(self, op: Op, staff: StaffAccount | None) -> str | None:
        """Why a case-note op (its author already known as an active counsellor of the
        center) is refused, or None."""
        if not self.device.counselling:
            return "device_not_counselling"
        parts = ps.split_proof(op.proof or "", 2)
        if staff is None or parts is None:
            return "author_unproven"
        if not self._verify(staff, parts[0], parts[1], ps.op_message(op)):
            return "author_unproven"
        return None

    def pull_allowed(self, user: str | None, proof: str | None) -> bool:
        """Whether this pull may carry the counselling partition: a counselling device, an
        active counsellor of its center, and her fresh signature over this request."""
        if not self.device.counselling or not user:
            return False
        staff = staff_named(user, self.device.center_id)
        if staff is None or staff.role != "counsellor" or not staff.active:
            return False
        parts = ps.split_proof(proof or "", 3)
        if parts is None or not parts[1].isdigit():
            return False
        at_ms = int(parts[1])
        if abs(time.time() * 1000 - at_ms) > ps.PULL_PROOF_MAX_AGE_MS:
            return False
        return self._verify(staff, parts[0], parts[2],
                            ps.pull_message(str(self.device.id), user, at_ms))


def staff_named(user: str, center_id: uuid.UUID) -> StaffAccount | None:
    query = StaffAccount.objects.filter(center_id=center_id)
    try:
        return query.filter(id=uuid.UUID(user)).first()
    except ValueError:
        return query.filter(username=user).first()


def may_sign_in(device: Device, staff: StaffAccount) -> bool:
    return staff.role in SIGN_IN_ROLES[bool(device.counselling)]


def sync_fields_for(device: Device, staff: StaffAccount) -> dict[str, Any]:
    """A staff row as `device` receives it: the password hash only of staff allowed to sign
    in there; the others come without it, inactive, so a role change still reaches the
    desktop and their old hash stops working there."""
    fields = staff.sync_fields()
    if not may_sign_in(device, staff):
        fields.update(password_hash="", active=False)
    return fields
