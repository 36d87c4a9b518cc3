"""The change ledger: the one place that records what sync must send and what it was sent.

It sits below `services` and `sync` (docs/architecture.md). Services write synced rows only
through it (`write_record`, `tombstone`, `append_event`), which stores the row, its field
clocks, the outbox op and the audit entry together; sync reads the outbox and acknowledges
it through it (`load_wire_batch`, `set_acked` …). It owns the device identity, the epoch and
the persisted hybrid logical clock.
"""

from __future__ import annotations

from jisr_desktop.ledger.clocks import field_clock, set_field_clocks
from jisr_desktop.ledger.outbox import (
    NOT_SYNCED,
    WireBatch,
    acked,
    acked_marks,
    capture_dirty,
    epochs_with_pending,
    load_ops,
    load_wire_batch,
    pending_count,
    set_acked,
    synced_columns,
    table_columns,
    unacked_fields,
)
from jisr_desktop.ledger.writes import (
    SCHEMA_VERSION,
    SYSTEM_FIELDS,
    add_op,
    append_event,
    audit,
    current_row,
    deterministic_id,
    device_id,
    epoch,
    merge_remote_clock,
    new_id,
    next_hlc,
    start_new_epoch,
    to_db,
    tombstone,
    write_record,
)

__all__ = [
    "NOT_SYNCED",
    "SCHEMA_VERSION",
    "SYSTEM_FIELDS",
    "WireBatch",
    "acked",
    "acked_marks",
    "add_op",
    "append_event",
    "audit",
    "capture_dirty",
    "current_row",
    "deterministic_id",
    "device_id",
    "epoch",
    "epochs_with_pending",
    "field_clock",
    "load_ops",
    "load_wire_batch",
    "merge_remote_clock",
    "new_id",
    "next_hlc",
    "pending_count",
    "set_acked",
    "set_field_clocks",
    "start_new_epoch",
    "synced_columns",
    "table_columns",
    "to_db",
    "tombstone",
    "unacked_fields",
    "write_record",
]
