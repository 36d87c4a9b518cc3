"""Counters behind HQ's quotas and rate limits (jisr_hq/limits.py, docs/security.md "Quotas
and rate limits"). Kept in the database so that every worker process sees the same counts."""

from __future__ import annotations

from django.db import models

from jisr_hq.models.sync import Device


class DeviceDay(models.Model):
    """What one device pushed on one day (UTC): ops taken, their bytes, conflicts logged."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE)
    day = models.DateField()
    ops = models.BigIntegerField(default=0)
    bytes = models.BigIntegerField(default=0)
    conflicts = models.BigIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["device", "day"], name="device_day_key"),
        )


class RateWindow(models.Model):
    """Attempts counted under a key (`enroll:<address>`) in the window that started at
    `started`; a fixed window, reset when it is over."""

    key = models.CharField(max_length=120, unique=True)
    started = models.DateTimeField()
    hits = models.IntegerField(default=0)
