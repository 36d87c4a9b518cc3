"""Quotas and rate limits (docs/security.md, "Quotas and rate limits").

Per device and per push batch, and per device and per day (UTC), HQ bounds the ops it takes,
their bytes and the conflicts they log (one request once logged 60,000 conflicts). A batch
that would go over a bound is cut before the op that goes over: the ops before it are applied
and acknowledged in HQ's books as usual, the rest of the batch is refused with
`429 quota_exceeded` (`expected_seq` names the first op refused; `Retry-After` the next UTC
day when a daily bound is reached). Nothing stored is lost: the desktop keeps the refused ops
and sends them again at a later sync, where the prefix already taken is a harmless replay.

Enrollment attempts that fail are counted per client address; over the bound, enrollment is
refused (`429 rate_limited`, `Retry-After`) before the code is even looked at.

The counters are rows in the database (`DeviceDay`, `RateWindow`), locked in the transaction
that uses them, so the bounds hold across HQ's worker processes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jisr_hq.errors import ApiError
from jisr_hq.models import DeviceDay, RateWindow

BOUND_WORDS = {
    "ops_per_batch": "ops in one batch",
    "bytes_per_batch": "bytes in one batch",
    "conflicts_per_batch": "conflicts in one batch",
    "ops_per_day": "ops a day",
    "bytes_per_day": "bytes a day",
    "conflicts_per_day": "conflicts a day",
}


def bound(name: str) -> int | None:
    """The configured bound (settings.JISR_HQ_QUOTAS), None when it is 0 (no bound)."""
    value = int(settings.JISR_HQ_QUOTAS.get(name, 0))
    return value if value > 0 else None


def _today() -> datetime:
    return timezone.now().astimezone(UTC)


def seconds_to_next_day(now: datetime | None = None) -> int:
    now = (now or _today()).astimezone(UTC)
    tomorrow = datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)
    return max(1, int((tomorrow - now).total_seconds()) + 1)


def lock_day(device_id: uuid.UUID) -> DeviceDay:
    """Today's counters of the device, locked until the end of the transaction (created on
    the day's first push)."""
    day = _today().date()
    DeviceDay.objects.bulk_create([DeviceDay(device_id=device_id, day=day)],
                                  ignore_conflicts=True)
    return DeviceDay.objects.select_for_update().get(device_id=device_id, day=day)


@dataclass
class Cut:
    """Where and why a batch is cut: `keep` ops are taken, the rest is refused."""

    keep: int
    reason: str

    def error(self, first_refused_seq: int) -> ApiError:
        limit = bound(self.reason)
        daily = self.reason.endswith("_per_day")
        when = ("; the rest is taken tomorrow (UTC)" if daily
                else "; send the rest in a later batch")
        return ApiError(
            "quota_exceeded",
            f"This desktop reached HQ's bound of {limit} {BOUND_WORDS[self.reason]}: ops from "
            f"seq {first_refused_seq} on are refused{when}. Nothing already sent is lost.",
            expected_seq=first_refused_seq,
            detail=[{"bound": self.reason, "limit": limit}],
            retry_after=seconds_to_next_day() if daily else None,
        )


def admit_ops(usage: DeviceDay, sizes: list[int]) -> Cut | None:
    """How many of the batch's new ops (their sizes in bytes, in seq order) fit the ops and
    bytes bounds; None when all do."""
    n = len(sizes)
    cut: Cut | None = None

    def tighten(keep: int, reason: str) -> None:
        nonlocal cut
        keep = max(0, keep)
        if keep < n and (cut is None or keep < cut.keep):
            cut = Cut(keep, reason)

    if (limit := bound("ops_per_batch")) is not None:
        tighten(limit, "ops_per_batch")
    if (limit := bound("ops_per_day")) is not None:
        tighten(limit - usage.ops, "ops_per_day")
    for name, room in (("bytes_per_batch", bound("bytes_per_batch")),
                       ("bytes_per_day", _left(bound("bytes_per_day"), usage.bytes))):
        if room is None:
            continue
        total = 0
        for i, size in enumerate(sizes):
            total += size
            if total > room:
                tighten(i, name)
                break
    return cut


def _left(limit: int | None, used: int) -> int | None:
    return None if limit is None else max(0, limit - used)


def conflict_room(usage: DeviceDay) -> tuple[int | None, str]:
    """The conflicts this batch may log, and the bound that gives it (None: no bound)."""
    per_batch = bound("conflicts_per_batch")
    per_day = _left(bound("conflicts_per_day"), usage.conflicts)
    if per_day is not None and (per_batch is None or per_day < per_batch):
        return per_day, "conflicts_per_day"
    return per_batch, "conflicts_per_batch"


def record(usage: DeviceDay, ops: int, size: int, conflicts: int) -> None:
    """Count what the batch took (in its transaction, the row locked by `lock_day`)."""
    if not (ops or conflicts):
        return
    usage.ops += ops
    usage.bytes += size
    usage.conflicts += conflicts
    usage.save(update_fields=["ops", "bytes", "conflicts"])


# -- rate limits -------------------------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """The client's address: the peer's, or behind a reverse proxy (JISR_HQ_BEHIND_PROXY) the
    last address the proxy added to X-Forwarded-For."""
    if getattr(settings, "JISR_HQ_BEHIND_PROXY", False):
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()[:60]
    return str(request.META.get("REMOTE_ADDR") or "unknown")[:60]


def _window(key: str, seconds: int) -> RateWindow:
    now = timezone.now()
    RateWindow.objects.bulk_create([RateWindow(key=key, started=now)], ignore_conflicts=True)
    row = RateWindow.objects.select_for_update().get(key=key)
    if now - row.started >= timedelta(seconds=seconds):
        row.started, row.hits = now, 0
    return row


def _retry_after(row: RateWindow, seconds: int) -> int:
    end = row.started + timedelta(seconds=seconds)
    return max(1, int((end - timezone.now()).total_seconds()) + 1)


def check_enroll_rate(address: str) -> None:
    """Refuse (429 rate_limited) an address that failed too many enrollments lately."""
    limit, seconds = settings.JISR_HQ_ENROLL_ATTEMPTS, settings.JISR_HQ_ENROLL_WINDOW_SECONDS
    if limit <= 0:
        return
    row = RateWindow.objects.filter(key=f"enroll:{address}").first()
    if row is None or timezone.now() - row.started >= timedelta(seconds=seconds):
        return
    if row.hits >= limit:
        raise ApiError(
            "rate_limited",
            f"Too many failed enrollment attempts from this address; try again in "
            f"{_retry_after(row, seconds)} seconds.",
            retry_after=_retry_after(row, seconds),
        )


def count_enroll_failure(address: str) -> None:
    """One more failed enrollment from `address` (its own transaction)."""
    seconds = settings.JISR_HQ_ENROLL_WINDOW_SECONDS
    if settings.JISR_HQ_ENROLL_ATTEMPTS <= 0:
        return
    with transaction.atomic():
        row = _window(f"enroll:{address}", seconds)
        row.hits += 1
        row.save()
