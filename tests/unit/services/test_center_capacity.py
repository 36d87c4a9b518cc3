"""The nursery's places belong to the center, not to one PC (issue 11, "small mends"): every
desktop of a center promotes its waitlist against the number stored with the center."""

from __future__ import annotations

import json

import pytest

from jisr_desktop import errors, paths
from jisr_desktop.context import Context
from jisr_desktop.db.center import current_center
from jisr_desktop.services import nursery
from jisr_desktop.settings import Settings
from tests.unit.services.conftest import Register


def test_the_center_holds_the_places_and_enrollment_counts_against_them(
        coord_ctx: Context, child: Register) -> None:
    assert current_center(coord_ctx.db).nursery_capacity == 30  # type: ignore[union-attr]
    nursery.set_nursery_capacity(ctx=coord_ctx, places=1)
    assert current_center(coord_ctx.db).nursery_capacity == 1  # type: ignore[union-attr]
    first = nursery.enroll_child(ctx=coord_ctx, child_id=child("Ilyas").id)
    second = nursery.enroll_child(ctx=coord_ctx, child_id=child("Nour").id)
    assert not first.waitlisted and second.waitlisted
    audit = coord_ctx.db.execute(
        "SELECT changes FROM audit_log WHERE action = 'set_nursery_capacity'").fetchone()
    assert json.loads(audit[0]) == {"nursery_capacity": [30, 1]}


def test_raising_the_places_lets_the_first_child_waiting_in(coord_ctx: Context, child: Register) -> None:
    nursery.set_nursery_capacity(ctx=coord_ctx, places=0)
    waiting = nursery.enroll_child(ctx=coord_ctx, child_id=child("Nour").id)
    assert waiting.waitlisted
    promoted = nursery.set_nursery_capacity(ctx=coord_ctx, places=1)
    assert [e.id for e in promoted] == [waiting.id]
    assert nursery.waitlist(ctx=coord_ctx) == []


def test_a_per_pc_setting_no_longer_decides(home, coord_ctx: Context, child: Register) -> None:  # type: ignore[no-untyped-def]
    # An old settings.json with the retired per-PC value is read without error and ignored.
    paths.settings_path(home).write_text(json.dumps({"nursery_capacity": 0}), encoding="utf-8")
    Settings(home)
    assert not nursery.enroll_child(ctx=coord_ctx, child_id=child().id).waitlisted


@pytest.mark.parametrize("places", [-1, 501, True, "3"])
def test_places_out_of_range_are_refused_naming_the_field(coord_ctx: Context, places: object) -> None:
    with pytest.raises(errors.JisrError) as info:
        nursery.set_nursery_capacity(ctx=coord_ctx, places=places)  # type: ignore[arg-type]
    assert info.value.field == "nursery_capacity"
    assert current_center(coord_ctx.db).nursery_capacity == 30  # type: ignore[union-attr]


def test_only_a_coordinator_sets_the_places(ctx: Context) -> None:
    with pytest.raises(errors.PermissionDenied):
        nursery.set_nursery_capacity(ctx=ctx, places=5)


def test_an_enrolled_center_takes_its_places_from_hq(coord_ctx: Context) -> None:
    coord_ctx.db.execute("UPDATE sync_state SET device_id = 'd1', device_secret = 's' WHERE id = 1")
    with pytest.raises(nursery.EnrolledCapacity) as info:
        nursery.set_nursery_capacity(ctx=coord_ctx, places=5)
    assert info.value.field == "nursery_capacity"
    assert "HQ" in info.value.message("en")
