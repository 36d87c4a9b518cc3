"""Tombstone retention: old tombstones are dropped, and the horizon is remembered so that a
desktop whose cursor predates it is told to re-bootstrap instead of silently keeping rows
that were deleted while it was away."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jisr_hq.models import ChangeCounter, Record


def purge_tombstones(*, older_than_days: float | None = None) -> int:
    days = settings.TOMBSTONE_DAYS if older_than_days is None else older_than_days
    limit = timezone.now() - timedelta(days=days)
    total = 0
    for counter in ChangeCounter.objects.all():
        with transaction.atomic():
            locked = ChangeCounter.objects.select_for_update().get(pk=counter.pk)
            doomed = Record.objects.filter(
                center_id=locked.center_id,
                partition=locked.partition,
                deleted=True,
                deleted_at__lte=limit,
            )
            top = doomed.aggregate(top=Max("counter"))["top"]
            if top is None:
                continue
            total += doomed.count()
            doomed.delete()
            locked.purged_through = max(locked.purged_through, top)
            locked.save(update_fields=["purged_through"])
    return total
