"""Tables written by pushes: devices, streams, synced rows, events, conflicts, audit."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from jisr_hq.models.reference import Center
from jisr_protocol import Op

PARTITIONS = [("center", _("center")), ("counselling", _("counselling"))]


class Device(models.Model):
    """An enrolled desktop. Only a SHA-256 of its random 256-bit secret is stored: the secret
    has full entropy, so a slow password hash would only cost CPU on every request."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="devices")
    name = models.CharField(_("name"), max_length=120)
    secret_hash = models.CharField(max_length=64, editable=False)
    counselling = models.BooleanField(_("counselling device"), default=False)
    revoked = models.BooleanField(_("revoked"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    app_version = models.CharField(_("program version"), max_length=40, blank=True, default="")
    kept_aside = models.PositiveIntegerField(_("rows kept aside"), default=0)
    """Pulled rows the desktop could not apply and keeps aside, as it last reported."""

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"


class EnrollmentCode(models.Model):
    """Single-use, expiring code bound to one center; only its hash is stored."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    counselling = models.BooleanField(default=False)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrollment code")
        verbose_name_plural = _("enrollment codes")


class Stream(models.Model):
    """High-water mark of one (device, epoch) outbox stream; locked for every push."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT)
    device = models.ForeignKey(Device, on_delete=models.PROTECT)
    epoch = models.BigIntegerField()
    high_water = models.BigIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["device", "epoch"], name="stream_device_epoch"),
        )


class BatchReceipt(models.Model):
    """One row per applied batch: the digests of its ops, in seq order, tell a harmless
    replay from a reused seq. A row per batch rather than per op: a first push of 600,000 ops
    writes 1,200 rows, not 600,000."""

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, db_constraint=False, db_index=False
    )
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, db_constraint=False, db_index=False
    )
    epoch = models.BigIntegerField()
    first_seq = models.BigIntegerField()
    last_seq = models.BigIntegerField()
    digests = models.BinaryField()
    """SHA-256 of each op (`Op.digest()`), 32 raw bytes per seq from first_seq to last_seq."""
    digest_v = models.PositiveSmallIntegerField(default=2)
    """Version of `Op.digest` the digests were made with (1: receipts from before batches)."""
    rejected = models.JSONField(default=dict)
    """{seq: reason} of the ops of this batch that were rejected."""

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["device", "epoch", "first_seq"], name="receipt_device_epoch_first"
            ),
        )

    DIGEST_BYTES = 32

    def matches(self, op: Op) -> bool:
        """Whether `op` is, byte for byte, the op this receipt recorded under its seq."""
        at = (op.seq - self.first_seq) * self.DIGEST_BYTES
        stored = bytes(self.digests[at : at + self.DIGEST_BYTES])
        return stored == (op.digest() if self.digest_v == 2 else bytes.fromhex(op.digest_v1()))


class ChangeCounter(models.Model):
    """Per (center, partition) counter, advanced under a row lock so commit order equals
    counter order; `purged_through` is the tombstone horizon (older cursors re-bootstrap)."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT)
    partition = models.CharField(max_length=20, choices=PARTITIONS)
    value = models.BigIntegerField(default=0)
    purged_through = models.BigIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["center", "partition"], name="counter_center_part"),
        )


# Bulk tables (records, events, receipts) keep their center and device as keys without
# database foreign-key constraints or single-column indexes: both values come from the
# authenticated device, never from a request body, and PostgreSQL's deferred constraint checks
# plus the extra indexes cost about a sixth of a first push. Centers and devices are never
# deleted (devices are revoked).


class Record(models.Model):
    """Current state of one record: fields, per-field clocks (effective) and origins
    (the client clock that wrote each field), tombstone flag, counter of the last change."""

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, db_constraint=False, db_index=False
    )
    partition = models.CharField(max_length=20, choices=PARTITIONS, default="center")
    entity = models.CharField(max_length=40)
    entity_id = models.UUIDField()
    fields = models.JSONField(default=dict)
    clocks = models.JSONField(default=dict)
    origins = models.JSONField(default=dict)
    deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    counter = models.BigIntegerField()
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        # entity_id first: a push looks records up by id alone (to spot another center's).
        constraints = (
            models.UniqueConstraint(
                fields=["entity_id", "entity", "center"], name="record_entity_center"
            ),
        )
        indexes = (models.Index(fields=["center", "partition", "counter"], name="record_pull"),)


class Event(models.Model):
    """Insert-only fact with a (usually deterministic) id; never updated, never deleted."""

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, db_constraint=False, db_index=False
    )
    entity = models.CharField(max_length=40)
    entity_id = models.UUIDField()
    op_id = models.UUIDField()
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, db_constraint=False, db_index=False
    )
    fields = models.JSONField(default=dict)
    digest = models.CharField(max_length=64)
    hlc = models.CharField(max_length=100)
    counter = models.BigIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["entity_id", "entity", "center"], name="event_entity_center"
            ),
        )
        indexes = (models.Index(fields=["center", "counter"], name="event_pull"),)


class Conflict(models.Model):
    """A concurrent edit that lost (or an edit of a deleted row), kept for review."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    center = models.ForeignKey(Center, on_delete=models.PROTECT)
    partition = models.CharField(max_length=20, choices=PARTITIONS, default="center")
    entity = models.CharField(max_length=40)
    entity_id = models.UUIDField()
    field = models.CharField(max_length=64)
    reason = models.CharField(max_length=40)
    winner_value = models.JSONField(null=True)
    winner_clock = models.CharField(max_length=100, blank=True)
    loser_value = models.JSONField(null=True)
    loser_clock = models.CharField(max_length=100, blank=True)
    loser_device = models.UUIDField(null=True)
    op_id = models.UUIDField()
    counter = models.BigIntegerField()
    created = models.DateTimeField(auto_now_add=True)
    resolution = models.CharField(max_length=20, blank=True, default="")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicts")
        indexes = (models.Index(fields=["center", "partition", "counter"], name="conflict_pull"),)


class PushAudit(models.Model):
    """One row per push attempt that reached HQ authenticated, whatever its outcome."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT)
    device = models.ForeignKey(Device, on_delete=models.PROTECT)
    epoch = models.BigIntegerField(default=0)
    first_seq = models.BigIntegerField(default=0)
    received = models.IntegerField(default=0)
    applied = models.IntegerField(default=0)
    skipped = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    status = models.CharField(max_length=30)
    detail = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("push audit entry")
        verbose_name_plural = _("push audit")



class EpochClock(models.Model):
    """Which HLC clock a device's ops carry in one epoch, and the lowest and highest of them
    (docs/sync.md, "Own rows"). A field's origin names the desktop's clock (`meta.device_id`),
    not HQ's device id, and a restored desktop keeps its clock in a new epoch: the range of
    each epoch tells the current epoch's writes from the older ones. `clock` is empty when an
    epoch's ops carried more than one clock (nothing is then skipped for it)."""

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, db_constraint=False, db_index=False
    )
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, db_constraint=False, db_index=False
    )
    epoch = models.BigIntegerField()
    clock = models.CharField(max_length=100, blank=True)
    hlc_min = models.CharField(max_length=130)
    hlc_max = models.CharField(max_length=130)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["device", "epoch"], name="epoch_clock_device"),
        )
        indexes = (models.Index(fields=["center", "clock"], name="epoch_clock_center"),)


class PullMark(models.Model):
    """What HQ last handed out to a device's pull (docs/sync.md, "Own rows"): the recent
    cursors with the stream heads they were cut at, and the counter bands in which the
    device's own rows are never skipped (a desktop that came back with an older cursor, as
    after a restore, may lack its own rows pushed since)."""

    device = models.OneToOneField(
        Device, on_delete=models.CASCADE, primary_key=True, db_constraint=False
    )
    handed = models.JSONField(default=list)
    """[[ref, center, counselling, center head, counselling head], …], newest last."""
    bands = models.JSONField(default=dict)
    """{"center": [[after, through], …], "counselling": […]}: no own row skipped there."""
