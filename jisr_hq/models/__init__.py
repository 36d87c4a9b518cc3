"""HQ tables. Every synced table carries its center so that it can be sharded by center."""

from __future__ import annotations

from jisr_hq.models.reference import (
    Center,
    Program,
    RefCounter,
    StaffAccount,
    WorkshopCategory,
)
from jisr_hq.models.sync import (
    ChangeCounter,
    Conflict,
    Device,
    EnrollmentCode,
    Event,
    OpReceipt,
    PushAudit,
    Record,
    Stream,
)

__all__ = [
    "Center",
    "ChangeCounter",
    "Conflict",
    "Device",
    "EnrollmentCode",
    "Event",
    "OpReceipt",
    "Program",
    "PushAudit",
    "Record",
    "RefCounter",
    "StaffAccount",
    "Stream",
    "WorkshopCategory",
]
