"""HQ tables. Every synced table carries its center so that it can be sharded by center."""

from __future__ import annotations

from jisr_hq.models.dashboard import (
    DashboardScope,
    IndicatorCell,
    IndicatorStale,
    ServedDay,
    ServedFact,
)
from jisr_hq.models.limits import DeviceDay, RateWindow
from jisr_hq.models.reference import (
    Center,
    Program,
    RefCounter,
    StaffAccount,
    WorkshopCategory,
)
from jisr_hq.models.sealed import CaseKey
from jisr_hq.models.sync import (
    BatchReceipt,
    ChangeCounter,
    Conflict,
    Device,
    EnrollmentCode,
    Event,
    PushAudit,
    Record,
    Stream,
)

__all__ = [
    "BatchReceipt",
    "CaseKey",
    "Center",
    "ChangeCounter",
    "Conflict",
    "DashboardScope",
    "Device",
    "DeviceDay",
    "EnrollmentCode",
    "Event",
    "IndicatorCell",
    "IndicatorStale",
    "Program",
    "PushAudit",
    "RateWindow",
    "Record",
    "RefCounter",
    "ServedDay",
    "ServedFact",
    "StaffAccount",
    "Stream",
    "WorkshopCategory",
]
