"""The synced entities: which tables travel, how each merges and who may pull or write it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from uuid import UUID

LIFE = "_deleted"
"""The pseudo-field whose clock orders a record's delete and restore (HQ, pull-apply and the
conflict labels all name it)."""


@dataclass(frozen=True)
class EntitySpec:
    """What HQ needs to know about one synced entity.

    `family` picks the conflict rule (records merge per field, events are insert-only);
    `partition` decides who may pull it (the center's devices, or counsellors only). Its
    fields and their values are in `jisr_protocol.schema.FIELDS`.
    """

    name: str
    family: Literal["record", "event"]
    partition: Literal["center", "counselling"] = "center"
    schema_v: int = 1
    write_roles: frozenset[str] | None = None


RECORD_ENTITIES = (
    "person",
    "household",
    "household_member",
    "enrollment",
    "pickup_authorisation",
    "workshop",
    "workshop_session",
    "club_activity",
    "member_card",
    "campaign",
    "campaign_count",
    "campaign_participant",
    "counselling_note",
    "mediation_note",
    "followup_case",
    "followup_action",
    "referral",
    "followup_sealed",
    "consent",
)
"""Desktop record tables (merge per field; `rev`, `dirty`, `deleted` columns): the outbox
(`capture_dirty`, `pending_count`) and pull-apply treat every one of them alike."""
COUNSELLING_ENTITIES = ("counselling_note", "mediation_note", "followup_sealed")
"""The record tables of the counselling partition (case notes, and the sealed plan and session
notes of counselling, mediation and psychological follow-up cases): their `EntitySpec` below keeps
partition "counselling" and write role counsellor."""
EVENT_ENTITIES = (
    "check_in",
    "check_out",
    "alert_ack",
    "attendance",
    "event_correction",
    "visit",
)
"""Desktop event tables (insert only; a correction is a new `event_correction`)."""

ENTITIES: dict[str, EntitySpec] = {
    spec.name: spec
    for spec in (
        *(EntitySpec(name, "record") for name in RECORD_ENTITIES
          if name not in COUNSELLING_ENTITIES),
        *(EntitySpec(name, "event") for name in EVENT_ENTITIES),
        EntitySpec("conflict_resolution", "event"),
        *(
            EntitySpec(
                name, "record", partition="counselling", write_roles=frozenset({"counsellor"})
            )
            for name in COUNSELLING_ENTITIES
        ),
    )
}
"""Entities a desktop may push: the desktop's record and event tables (same names), the
coordinator's conflict resolutions and the counselling partition (case notes).
Every field of every entity is pinned by `jisr_protocol.schema.FIELDS`; a desktop that adds a
column raises the entity's `schema_v`, and HQ refuses what it does not know yet.
Reference entities (``ref.*``) and ``sync.conflict`` flow down only, in pull."""

EntityName = Literal[
    "person",
    "household",
    "household_member",
    "enrollment",
    "pickup_authorisation",
    "workshop",
    "workshop_session",
    "club_activity",
    "member_card",
    "campaign",
    "campaign_count",
    "campaign_participant",
    "check_in",
    "check_out",
    "alert_ack",
    "attendance",
    "event_correction",
    "visit",
    "conflict_resolution",
    "counselling_note",
    "mediation_note",
    "followup_case",
    "followup_action",
    "referral",
    "followup_sealed",
    "consent",
]


RESOLUTION_CHOICES = ("keep_winner", "keep_loser")
"""A `conflict_resolution` event: {conflict_id, choice}. Its id is
uuid5(RESOLUTION_NS, conflict_id) so two coordinators resolving one conflict converge; the
data change for `keep_loser` is an ordinary upsert pushed with it."""
RESOLUTION_NS = UUID("0b1f6a52-6c1e-4d59-9a49-3a4c0f7d2e61")
