"""Awareness campaigns: topic, date, place, partner, participants counted by sex and age
band, and optionally named participants from the registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import meta, persons
from jisr_desktop.db.connection import transaction
from jisr_desktop.db.rows import query
from jisr_desktop.domain import campaigns as rules
from jisr_desktop.domain.messages import errors_of
from jisr_desktop.domain.roles import Permission


@dataclass
class Campaign:
    id: str
    topic: str
    day: date
    place: str
    partner: str
    notes: str
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (sex, age band) -> count
    participant_ids: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def save_campaign(*, ctx: Context, topic: str, day: date, place: str, partner: str = "",
                  notes: str = "", campaign_id: str | None = None) -> Campaign:
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    values, msgs = rules.clean_campaign({"topic": topic, "day": day, "place": place,
                                         "partner": partner, "notes": notes})
    if errors_of(msgs):
        raise errors.ValidationFailed(msgs)
    with transaction(ctx.db):
        if campaign_id is None:
            campaign_id = ledger.new_id()
            values["center_id"] = meta.get(ctx.db, "center_id")
        else:
            get_campaign(ctx=ctx, campaign_id=campaign_id)
        ledger.write_record(ctx, "campaign", campaign_id, values, action="save_campaign")
    return get_campaign(ctx=ctx, campaign_id=campaign_id)


def set_counts(*, ctx: Context, campaign_id: str, counts: dict[tuple[str, str], int]) -> Campaign:
    """Set the participant counts given (others unchanged). One record per (sex, band) with
    a deterministic id, so two desktops entering the same cell edit the same record."""
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    if msgs := rules.check_counts(counts):
        raise errors.ValidationFailed(msgs)
    with transaction(ctx.db):
        get_campaign(ctx=ctx, campaign_id=campaign_id)
        for (sex, band), value in counts.items():
            ledger.write_record(ctx, "campaign_count", ledger.deterministic_id("campaign_count", campaign_id, sex, band),
                                 {"campaign_id": campaign_id, "sex": sex, "age_band": band, "count": value},
                                 action="set_campaign_count")
    return get_campaign(ctx=ctx, campaign_id=campaign_id)


def add_participant(*, ctx: Context, campaign_id: str, person_id: str) -> Campaign:
    """Name a registered participant (optional: counts stay the campaign's figures)."""
    ctx.require(Permission.MANAGE_ENROLLMENTS)
    if persons.get(ctx.db, person_id) is None:
        raise errors.NotFound()
    with transaction(ctx.db):
        get_campaign(ctx=ctx, campaign_id=campaign_id)
        ledger.write_record(ctx, "campaign_participant",
                             ledger.deterministic_id("campaign_participant", campaign_id, person_id),
                             {"campaign_id": campaign_id, "person_id": person_id, "deleted": 0},
                             action="add_campaign_participant")
    return get_campaign(ctx=ctx, campaign_id=campaign_id)


def get_campaign(*, ctx: Context, campaign_id: str) -> Campaign:
    found = query(ctx.db, "SELECT * FROM campaign WHERE id = ? AND deleted = 0", [campaign_id])
    if not found:
        raise errors.NotFound()
    r = found[0]
    counts = {(c["sex"], c["age_band"]): c["count"] for c in query(
        ctx.db, "SELECT sex, age_band, count FROM campaign_count WHERE campaign_id = ? AND deleted = 0",
        [campaign_id])}
    named = [p["person_id"] for p in query(
        ctx.db, "SELECT person_id FROM campaign_participant WHERE campaign_id = ? AND deleted = 0"
                " ORDER BY created_at", [campaign_id])]
    return Campaign(id=r["id"], topic=r["topic"], day=date.fromisoformat(r["day"]), place=r["place"],
                    partner=r["partner"], notes=r["notes"], counts=counts, participant_ids=named)


def campaigns_between(*, ctx: Context, first: date, last: date) -> list[Campaign]:
    ids = [r["id"] for r in query(ctx.db, "SELECT id FROM campaign WHERE day BETWEEN ? AND ? AND deleted = 0"
                                          " ORDER BY day, id", [first.isoformat(), last.isoformat()])]
    return [get_campaign(ctx=ctx, campaign_id=i) for i in ids]


def save_with_counts(*, ctx: Context, campaign_id: str | None, fields: dict[str, object],
                     counts: dict[tuple[str, str], int]) -> Campaign:
    """Save the campaign (`fields` as `save_campaign` takes them) and, when given, its changed
    counts, in one transaction: both are kept or neither."""
    with transaction(ctx.db):
        saved = save_campaign(ctx=ctx, campaign_id=campaign_id, **fields)  # type: ignore[arg-type]
        if counts:
            saved = set_counts(ctx=ctx, campaign_id=saved.id, counts=counts)
    return saved
