"""Reference data: written at HQ only (admin, CLI), read-only on desktops, pulled first.

Every save takes the next value of one global reference counter under a row lock, so a pull
can page through reference rows by counter exactly like center rows. Rows are never deleted
(deactivate instead) so that no desktop misses a removal.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from jisr_protocol import ROLES


class RefCounter(models.Model):
    """Single row (id=1): the last counter value given to a reference row."""

    value = models.BigIntegerField(default=0)


def next_ref_counter() -> int:
    """Advance the reference counter; caller must be inside a transaction."""
    RefCounter.objects.get_or_create(id=1)
    row = RefCounter.objects.select_for_update().get(id=1)
    row.value += 1
    row.save(update_fields=["value"])
    return row.value


class RefModel(models.Model):
    """Base of reference tables: uuid id, change counter advanced on every save."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    counter = models.BigIntegerField(default=0, editable=False, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            self.counter = next_ref_counter()
            super().save(*args, **kwargs)

    def sync_fields(self) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError


class Center(RefModel):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    province_code = models.CharField(_("province code"), max_length=20)
    active = models.BooleanField(_("active"), default=True)
    # Places in the center's social nursery: beyond them enrollments wait. Every desktop of the
    # center promotes its waitlist against this one number (docs/domain.md, "Nursery").
    nursery_capacity = models.PositiveSmallIntegerField(
        _("nursery places"), default=30, validators=[MaxValueValidator(500)]
    )

    class Meta:
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name_fr}"

    def sync_fields(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name_fr": self.name_fr,
            "name_ar": self.name_ar,
            "province_code": self.province_code,
            "active": self.active,
            "nursery_capacity": self.nursery_capacity,
        }


class _Catalogue(RefModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.IntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = (
            "sort_order",
            "code",
        )

    def __str__(self) -> str:
        return self.code

    def sync_fields(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name_fr": self.name_fr,
            "name_ar": self.name_ar,
            "name_en": self.name_en,
            "active": self.active,
            "sort_order": self.sort_order,
        }


class Program(_Catalogue):
    """Public-program catalogue (RSU, AMO Tadamon, Forsa, …)."""

    class Meta(_Catalogue.Meta):
        verbose_name = _("public program")
        verbose_name_plural = _("public programs")


class WorkshopCategory(_Catalogue):
    class Meta(_Catalogue.Meta):
        verbose_name = _("workshop category")
        verbose_name_plural = _("workshop categories")


class StaffAccount(RefModel):
    """A center staff member. The argon2 hash goes down so staff can sign in offline."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="staff")
    username = models.CharField(_("username"), max_length=64, unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=[(r, r) for r in ROLES])
    password_hash = models.CharField(max_length=200, editable=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")
        ordering = ("username",)

    def __str__(self) -> str:
        return f"{self.username} ({self.role})"

    def set_password(self, raw: str) -> None:
        from argon2 import PasswordHasher

        self.password_hash = PasswordHasher().hash(raw)

    def sync_fields(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "full_name": self.full_name,
            "role": self.role,
            "password_hash": self.password_hash,
            "active": self.active,
        }
