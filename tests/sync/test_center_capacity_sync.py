"""The nursery's places come with the center from HQ, so every desktop of the center admits
and waitlists against the same number (issue 11, "nursery capacity stored with the center";
docs/sync.md, reference rows). HQ runs on SQLite and on PostgreSQL (the `hq` fixture)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from jisr_desktop.db.center import current_center
from jisr_desktop.services import nursery, registry
from tests.hq.hqkit import HqServer
from tests.sync.deskkit import Desk


def _center(hq: HqServer, places: int) -> tuple[str, list[str]]:
    code = "N" + uuid.uuid4().hex[:8].upper()
    out = hq.cli("create-center", "--code", code, "--name-fr", f"Centre {code}",
                 "--name-ar", f"مركز {code}", "--province", "CAS",
                 "--nursery-capacity", str(places), "--codes", "2").stdout.split()
    return code, out[1:]


def _kid(desk: Desk, name: str) -> str:
    return registry.register_person(ctx=desk.ctx(), data={
        "given_name_lat": name, "family_name_lat": "Alaoui", "birth_date": date(2025, 3, 10)}).id


def test_every_desktop_of_a_center_counts_against_hq_places(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    code, codes = _center(hq, 1)
    a = desks("A")
    b = desks("B", local_center=False)
    a.enroll(hq, codes[0])
    b.enroll(hq, codes[1])
    a.sync()
    b.sync()
    assert current_center(a.db).nursery_capacity == 1  # type: ignore[union-attr]
    assert current_center(b.db).nursery_capacity == 1  # type: ignore[union-attr]

    first = nursery.enroll_child(ctx=a.coord, child_id=_kid(a, "Ilyas"))
    a.sync()
    b.sync()
    second = nursery.enroll_child(ctx=b.coord, child_id=_kid(b, "Nour"))
    assert not first.waitlisted and second.waitlisted

    # the ministry raises the places at HQ: both desktops take the new number on their next pull
    hq.cli("shell", "-c", "from jisr_hq.models import Center; "
           f"c = Center.objects.get(code='{code}'); c.nursery_capacity = 2; c.save()")
    a.sync()
    b.sync()
    assert current_center(a.db).nursery_capacity == 2  # type: ignore[union-attr]
    assert current_center(b.db).nursery_capacity == 2  # type: ignore[union-attr]
    assert [e.person_id for e in nursery.promote_waitlist(ctx=b.coord)] == [second.person_id]
