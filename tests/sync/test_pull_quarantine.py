"""A pulled row that does not fit the synced schema (jisr_protocol/schema.py) is kept aside in
`sync_quarantine`, and the rest of the pull applies: one bad value stored at HQ (by an older
HQ that checked nothing, or a bug) no longer stops every desktop of the center. Real HQ
subprocess on SQLite and PostgreSQL (the `hq` fixture); the bad values are written into
HQ's database directly, as an older HQ would have stored them."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from jisr_desktop.services import households, registry
from tests.hq.hqkit import HqServer
from tests.sync.deskkit import Desk

BAD = [
    ("sex", "X"),
    ("given_name_ar", None),
    ("birth_year", 2**62),
    ("notes", "a\x00b"),
]


@pytest.mark.parametrize(("field", "value"), BAD)
def test_a_bad_pulled_row_is_kept_aside_and_the_rest_applies(
        hq: HqServer, desks: Callable[..., Desk], field: str, value: object) -> None:
    _code, codes = hq.new_center(codes=2)
    a, b = desks("A", local_center=False), desks("B", local_center=False)
    a.enroll(hq, codes[0])
    good = registry.register_person(ctx=a.ctx(), data={"given_name_ar": "أمينة",
                                                       "family_name_ar": "العلوي"})
    bad = registry.register_person(ctx=a.ctx(), data={"given_name_ar": "سارة",
                                                      "family_name_ar": "العلوي"})
    house = households.create_household(ctx=a.ctx(), head_person_id=good.id)
    assert not a.sync().rejected
    if hq.backend == "postgres" and value == "a\x00b":
        pytest.skip("PostgreSQL's jsonb cannot hold NUL: no HQ on PostgreSQL stored one")
    stored = hq.scalar("SELECT fields FROM jisr_hq_record WHERE entity_id = ?", hq.uid(bad.id))
    fields = stored if isinstance(stored, dict) else json.loads(stored)
    hq.execute("UPDATE jisr_hq_record SET fields = ? WHERE entity_id = ?",
               json.dumps({**fields, field: value}), hq.uid(bad.id))

    b.enroll(hq, codes[1])
    report = b.sync()
    assert report.quarantined == 1
    persons = {r[0] for r in b.db.execute("SELECT id FROM person").fetchall()}
    assert good.id in persons and bad.id not in persons
    assert b.db.execute("SELECT count(*) FROM household WHERE id = ?", [house.id]).fetchone()[0]
    kept = b.db.execute("SELECT entity, entity_id, fields, problems FROM sync_quarantine").fetchall()
    assert [(e, i) for e, i, _f, _p in kept] == [("person", bad.id)]
    assert json.loads(kept[0][2])[field] == value and field in kept[0][3]

    # later syncs go on, and nothing else is held back
    registry.register_person(ctx=a.ctx(), data={"given_name_ar": "هند", "family_name_ar": "ب"})
    assert not a.sync().rejected
    again = b.sync()
    assert again.quarantined == 0 and again.pulled >= 1
    # Each sync tells HQ's sync health the program's version and the rows it keeps aside.
    from jisr_desktop import __version__

    device = b.db.execute("SELECT device_id FROM sync_state WHERE id = 1").fetchone()[0]
    assert hq.query("SELECT app_version, kept_aside FROM jisr_hq_device WHERE id = ?",
                    hq.uid(device)) == [(__version__, 1)]
    from jisr_desktop.db import meta
    from jisr_desktop.sync.client import REPORTED_KEY

    assert json.loads(meta.get(b.db, REPORTED_KEY))["X-Jisr-Kept-Aside"] == "1"  # sent once
    assert b.db.execute("SELECT count(*) FROM person").fetchone()[0] == 2


def test_rows_kept_aside_by_an_older_program_are_retried_once_after_an_upgrade(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    """An older program kept two rows aside; after the upgrade the first sync applies the one
    this version accepts and keeps the other aside again, once (docs/sync.md, "Pull")."""
    from jisr_desktop import __version__
    from jisr_desktop.db import meta
    from jisr_desktop.sync import quarantine

    _code, codes = hq.new_center(codes=1)
    b = desks("B", local_center=False)
    b.enroll(hq, codes[0])
    b.sync()
    center = b.db.execute("SELECT value FROM meta WHERE key = 'center_id'").fetchone()[0]
    fits, still_bad = "0b0c6a4e-7a41-4c8e-9a57-5a3f1d2e9b10", "5d2f8a1c-3e4b-4f6a-8c9d-0e1f2a3b4c5d"
    clock = "1700000000000:0000:" + "0" * 32
    for entity_id, sex in ((fits, "F"), (still_bad, "X")):
        fields = {"center_id": center, "given_name_ar": "ليلى", "family_name_ar": "ب", "sex": sex}
        b.db.execute(
            "INSERT INTO sync_quarantine(entity, entity_id, fields, clocks, problems, received_at)"
            " VALUES ('person', ?, ?, ?, 'person.sex invalid', '2026-01-01T00:00:00+00:00')",
            [entity_id, json.dumps(fields), json.dumps({k: clock for k in fields})])
    meta.put(b.db, quarantine.RETRIED_FOR, "0.0.1")
    assert quarantine.due(b.db)

    b.sync()
    assert b.db.execute("SELECT sex FROM person WHERE id = ?", [fits]).fetchone() == ("F",)
    assert b.db.execute("SELECT count(*) FROM person WHERE id = ?", [still_bad]).fetchone()[0] == 0
    kept = quarantine.kept_aside(b.db)
    assert [k.entity_id for k in kept] == [still_bad]
    assert kept[0].fields("en") == ("Sex",) and "Sex" in kept[0].sentence("en")
    assert "الجنس" in kept[0].sentence("ar")
    assert meta.get(b.db, quarantine.RETRIED_FOR) == __version__ and not quarantine.due(b.db)
