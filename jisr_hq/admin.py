"""HQ admin site (Arabic, French, English; Django's admin turns right to left in Arabic).

Synced rows are read-only here: they change only through pushes, so that every change has a
clock, a counter and an audit entry. Reference data is edited here and flows down in pull.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jisr_hq import models as m


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NoDeleteAdmin(admin.ModelAdmin):
    """Reference rows are deactivated, never deleted, so desktops learn about the change."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(m.Center)
class CenterAdmin(NoDeleteAdmin):
    list_display = ("code", "name_fr", "name_ar", "province_code", "active")
    search_fields = ("code", "name_fr", "name_ar")


@admin.register(m.Program, m.WorkshopCategory)
class CatalogueAdmin(NoDeleteAdmin):
    list_display = ("code", "name_fr", "name_ar", "name_en", "active", "sort_order")


@admin.register(m.StaffAccount)
class StaffAdmin(NoDeleteAdmin):
    list_display = ("username", "full_name", "role", "center", "active")
    list_filter = ("role", "center", "active")
    search_fields = ("username", "full_name")


@admin.register(m.Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = (
        "name", "id", "center", "counselling", "revoked", "created", "last_seen", "app_version",
        "kept_aside",
    )
    list_filter = ("center", "revoked")
    readonly_fields = ("id", "center", "created", "last_seen", "app_version", "kept_aside")
    fields = (
        "id", "name", "center", "counselling", "revoked", "created", "last_seen", "app_version",
        "kept_aside",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(m.PushAudit)
class PushAuditAdmin(ReadOnlyAdmin):
    list_display = ("created", "center", "device", "status", "received", "applied", "rejected")
    list_filter = ("status", "center")


@admin.register(m.Conflict)
class ConflictAdmin(ReadOnlyAdmin):
    list_display = ("created", "center", "entity", "field", "reason")
    list_filter = ("reason", "center")

    def get_queryset(self, request: HttpRequest) -> Any:
        # Counselling conflicts hold case-note text: never listed in HQ's aggregate views.
        return super().get_queryset(request).filter(partition="center")


@admin.register(m.Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = ("entity", "entity_id", "center", "deleted", "counter", "updated")
    list_filter = ("entity", "center", "deleted")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(partition="center")


@admin.register(m.CaseKey)
class CaseKeyAdmin(NoDeleteAdmin):
    """Counsellors' public keys for sealed notes (docs/security.md): revoke one here."""

    list_display = ("staff", "device", "key_id", "revoked", "created")
    list_filter = ("revoked",)
    readonly_fields = ("staff", "device", "key_id", "public_key", "created")
