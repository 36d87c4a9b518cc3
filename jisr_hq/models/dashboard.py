"""The dashboard's tables: who may see what (scopes) and the indicators kept up to date by
pushes (docs/hq.md, "Dashboard"). Both indicator tables are keyed by center first, like every
HQ table, so that they shard by center with the rest."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SCOPE_LEVELS = [
    ("national", _("national")),
    ("region", _("region")),
    ("province", _("province")),
    ("center", _("center")),
]


class DashboardScope(models.Model):
    """The part of the country one HQ account sees on the dashboard."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dashboard_scope"
    )
    level = models.CharField(_("scope"), max_length=20, choices=SCOPE_LEVELS)
    code = models.CharField(_("code"), max_length=20, blank=True, default="")
    """Region code (`04`), province code (`04.281`) or center code; empty when national."""

    class Meta:
        verbose_name = _("dashboard scope")
        verbose_name_plural = _("dashboard scopes")


class ServedFact(models.Model):
    """One person served by one service in one month at one center (distinct by construction:
    the unique key makes a second check-in of the month a no-op). Written by the push that
    brings the event, never from the counselling partition."""

    center_id = models.UUIDField()
    month = models.CharField(max_length=7)  # YYYY-MM
    service = models.CharField(max_length=60)  # "workshop:<category>", "guidance:<program>"
    person_id = models.UUIDField()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["center_id", "month", "service", "person_id"], name="served_fact_key"
            ),
        )
        indexes = (models.Index(fields=["center_id", "person_id"], name="served_fact_person"),)


class ServedDay(models.Model):
    """One person checked in at the nursery or the elderly club on one day at one center
    (distinct by its key): gives the days open and the average daily attendance."""

    center_id = models.UUIDField()
    day = models.CharField(max_length=10)  # YYYY-MM-DD
    service = models.CharField(max_length=20)
    person_id = models.UUIDField()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["center_id", "day", "service", "person_id"], name="served_day_key"
            ),
        )


class IndicatorCell(models.Model):
    """A count of persons for one (center, month, indicator, breakdown): what every page and
    export reads. Recomputed for the (center, month) pairs a push touches."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    center_id = models.UUIDField()
    month = models.CharField(max_length=7)
    indicator = models.CharField(max_length=80)  # "served:workshop:<category code>"
    breakdown = models.CharField(max_length=40)
    value = models.IntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["center_id", "month", "indicator", "breakdown"], name="indicator_cell_key"
            ),
        )
        indexes = (models.Index(fields=["month", "indicator"], name="indicator_month"),)


class IndicatorStale(models.Model):
    """A (center, month) whose cells a push has made out of date: recomputed once, by the next
    page that reads them (so a 10,000-person first push does not recompute a month per batch)."""

    center_id = models.UUIDField()
    month = models.CharField(max_length=7)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["center_id", "month"], name="indicator_stale_key"),
        )
