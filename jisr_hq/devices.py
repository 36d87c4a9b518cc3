"""Enrollment codes, device secrets and request authentication.

Codes and secrets are random tokens with full entropy, so HQ stores only their SHA-256:
a leaked database does not let anyone act as a device, and checking a request costs one hash.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jisr_hq.errors import ApiError
from jisr_hq.models import Center, Device, EnrollmentCode
from jisr_protocol import APP_VERSION_HEADER, DEVICE_HEADER, KEPT_ASIDE_HEADER, SECRET_HEADER

_SEEN_EVERY = timedelta(hours=1)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _normalise_code(code: str) -> str:
    # A code may carry HQ's pin after a dot (jisr_protocol/pins.py): only the part before counts.
    return code.partition(".")[0].replace("-", "").replace(" ", "").upper()


def issue_code(center: Center, *, hours: float = 48, counselling: bool = False) -> str:
    """Create a single-use code bound to `center`; the clear code is returned once."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    EnrollmentCode.objects.create(
        center=center,
        code_hash=_digest(raw),
        counselling=counselling,
        expires_at=timezone.now() + timedelta(hours=hours),
    )
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def redeem_code(
    code: str, *, device_name: str, expect_center: uuid.UUID | None = None
) -> tuple[Device, str]:
    """Turn a valid code into a new device and its secret; the code is then spent. With
    `expect_center` (a desktop enrolling again), a code of another center is refused unspent."""
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        row = (
            EnrollmentCode.objects.select_for_update()
            .select_related("center")
            .filter(code_hash=_digest(_normalise_code(code)))
            .first()
        )
        if row is None or row.used_at is not None or row.expires_at <= timezone.now():
            raise ApiError("bad_code", "This enrollment code is unknown, used or expired.")
        if expect_center is not None and row.center_id != expect_center:
            raise ApiError(
                "wrong_center",
                f"This code is for the center {row.center.code}; the desktop belongs to another.",
                detail=[{"center": row.center.code}],
            )
        device = Device.objects.create(
            center=row.center,
            name=device_name,
            secret_hash=_digest(secret),
            counselling=row.counselling,
        )
        row.used_at = timezone.now()
        row.device = device
        row.save(update_fields=["used_at", "device"])
    return device, secret


def authenticate(request: HttpRequest) -> Device:
    """The device named by the request headers, or an ApiError (401 unknown, 403 revoked)."""
    device_id = request.headers.get(DEVICE_HEADER, "")
    secret = request.headers.get(SECRET_HEADER, "")
    try:
        key = uuid.UUID(device_id)
    except ValueError as exc:
        raise ApiError("unauthenticated", "Missing or malformed device credentials.") from exc
    device = Device.objects.select_related("center").filter(id=key).first()
    if device is None or not hmac.compare_digest(device.secret_hash, _digest(secret[:200])):
        raise ApiError("unauthenticated", "Unknown device or wrong secret.")
    if device.revoked:
        raise ApiError("device_revoked", "This device has been revoked by HQ.")
    now = timezone.now()
    changes: dict[str, Any] = reported(request, device)
    if device.last_seen is None or now - device.last_seen > _SEEN_EVERY:
        changes["last_seen"] = now  # at most one write per hour, or when a report changes
    if changes:
        Device.objects.filter(id=device.id).update(**changes)
    return device


_VERSION = re.compile(r"[0-9A-Za-z.+_-]{1,40}")


def reported(request: HttpRequest, device: Device) -> dict[str, Any]:
    """What the desktop's headers report for the sync health (its version, the pulled rows it
    keeps aside) when it differs from what HQ holds; malformed values are ignored."""
    changes: dict[str, Any] = {}
    version = request.headers.get(APP_VERSION_HEADER, "")
    if _VERSION.fullmatch(version) and version != device.app_version:
        changes["app_version"] = version
    kept = request.headers.get(KEPT_ASIDE_HEADER, "")
    if kept.isascii() and kept.isdigit() and len(kept) <= 9 and int(kept) != device.kept_aside:
        changes["kept_aside"] = int(kept)
    return changes


def revoke(device_id: str) -> Device:
    device = Device.objects.get(id=uuid.UUID(device_id))
    device.revoked = True
    device.save(update_fields=["revoked"])
    return device
