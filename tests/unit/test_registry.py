"""Registry services on a real encrypted database: register, update, audit, sync capture,
duplicates, merge and undo, households, permissions."""

from __future__ import annotations

import json
from datetime import date

import pytest

from jisr_desktop import errors
from jisr_desktop.context import Context
from jisr_desktop.services import households, registry

AHMED = {"given_name_ar": "أحمد", "family_name_ar": "العلوي", "given_name_lat": "Ahmed",
         "family_name_lat": "Alaoui", "sex": "M", "birth_date": "1980-05-17", "cin": "ab123456",
         "phone": "06 12 34 56 78", "province_code": "04.421"}


def _outbox(ctx: Context) -> list[dict]:
    cur = ctx.db.execute("SELECT seq, entity, entity_id, kind, patch, base FROM outbox ORDER BY seq")
    return [{"seq": s, "entity": e, "entity_id": i, "kind": k, "patch": json.loads(p),
             "base": json.loads(b)} for s, e, i, k, p, b in cur.fetchall()]


def test_register_normalises_and_records_everything(ctx: Context) -> None:
    person = registry.register_person(ctx=ctx, data=AHMED)
    assert person.cin == "AB123456"
    assert person.phone == "+212612345678"
    assert person.birth_date == date(1980, 5, 17)
    assert person.file_no.startswith("TST01-")
    (op,) = [o for o in _outbox(ctx) if o["entity"] == "person"]
    assert op["kind"] == "upsert" and op["entity_id"] == person.id
    assert op["patch"]["cin"] == "AB123456" and "search_names" not in op["patch"]
    (entry,) = registry.history(ctx=ctx, entity="person", entity_id=person.id)
    assert entry["user_id"] == ctx.user.id and entry["changes"]["cin"] == [None, "AB123456"]
    clocks = ctx.db.execute("SELECT count(*) FROM field_clock WHERE entity_id = ?", [person.id]).fetchone()[0]
    assert clocks == len(op["patch"])


def test_update_writes_only_changed_fields_with_their_base_clock(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    person = registry.register_person(ctx=ctx, data=AHMED)
    first_clock = ctx.db.execute("SELECT hlc FROM field_clock WHERE entity_id = ? AND field = 'phone'",
                                 [person.id]).fetchone()[0]
    clock.advance(minutes=5)
    registry.update_person(ctx=ctx, person_id=person.id, data={"phone": "0700000000", "cin": "AB123456"})
    last = _outbox(ctx)[-1]
    assert last["patch"] == {"phone": "+212700000000"}
    assert last["base"] == {"phone": first_clock}
    entry = registry.history(ctx=ctx, entity="person", entity_id=person.id)[-1]
    assert entry["changes"] == {"phone": ["+212612345678", "+212700000000"]}
    assert registry.search_persons(ctx=ctx, text="0700000000")[0].id == person.id
    assert registry.search_persons(ctx=ctx, text="0612345678") == []


def test_an_error_blocks_and_saves_nothing(ctx: Context) -> None:
    with pytest.raises(errors.ValidationFailed) as info:
        registry.register_person(ctx=ctx, data={**AHMED, "birth_date": "2099-01-01"})
    assert [m.field for m in info.value.messages] == ["birth_date"]
    assert ctx.db.execute("SELECT count(*) FROM person").fetchone()[0] == 0
    assert ctx.db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0


def test_empty_name_in_both_scripts_is_an_error(ctx: Context) -> None:
    with pytest.raises(errors.ValidationFailed) as info:
        registry.register_person(ctx=ctx, data={"sex": "F", "given_name_ar": "  "})
    assert [m.field for m in info.value.messages] == ["given_name_ar"]


def test_a_failed_update_leaves_the_record_as_it_was(ctx: Context) -> None:
    person = registry.register_person(ctx=ctx, data=AHMED)
    with pytest.raises(errors.ValidationFailed):
        registry.update_person(ctx=ctx, person_id=person.id, data={"phone": "12", "address": "x"})
    assert registry.get_person(ctx=ctx, person_id=person.id) == person


def test_duplicates_by_cin_phone_and_name_with_birth_date(ctx: Context) -> None:
    ahmed = registry.register_person(ctx=ctx, data=AHMED)
    by_cin = registry.find_duplicates(ctx=ctx, data={"cin": "AB 123456"})
    assert [(m.person.id, m.reasons) for m in by_cin] == [(ahmed.id, ["cin"])]
    by_phone = registry.find_duplicates(ctx=ctx, data={"phone": "+212612345678"})
    assert [(m.person.id, m.reasons) for m in by_phone] == [(ahmed.id, ["phone"])]
    by_name = registry.find_duplicates(ctx=ctx, data={"given_name_ar": "احمد", "family_name_ar": "العلوى",
                                                      "birth_date": "17/05/1980"})
    assert [(m.person.id, m.reasons) for m in by_name] == [(ahmed.id, ["name_birth"])]
    latin = registry.find_duplicates(ctx=ctx, data={"given_name_lat": "Ahmad", "family_name_lat": "El Alaoui",
                                                    "birth_date": "1980-05-17"})
    assert [m.person.id for m in latin] == [ahmed.id]
    assert registry.find_duplicates(ctx=ctx, data={"given_name_ar": "أحمد", "family_name_ar": "العلوي",
                                                   "birth_date": "1981-05-17"}) == []
    assert registry.find_duplicates(ctx=ctx, data=AHMED, exclude_id=ahmed.id) == []
    all_three = registry.find_duplicates(ctx=ctx, data=AHMED)
    assert sorted(all_three[0].reasons) == ["cin", "name_birth", "phone"]


def test_merge_moves_memberships_fills_fields_and_undo_restores(ctx: Context, coord_ctx: Context) -> None:
    a = registry.register_person(ctx=ctx, data={**AHMED, "phone": None, "address": ""})
    b = registry.register_person(ctx=ctx, data={**AHMED, "cin": None, "address": "دوار أولاد علي"})
    wife = registry.register_person(ctx=ctx, data={"given_name_ar": "فاطمة", "sex": "F"})
    home = households.create_household(ctx=ctx, head_person_id=b.id)
    households.add_member(ctx=ctx, household_id=home.id, person_id=wife.id, relationship="spouse")
    with pytest.raises(errors.PermissionDenied):
        registry.merge_persons(ctx=ctx, survivor_id=a.id, merged_id=b.id)
    merge_id = registry.merge_persons(ctx=coord_ctx, survivor_id=a.id, merged_id=b.id)
    survivor = registry.get_person(ctx=ctx, person_id=a.id)
    assert survivor.phone == "+212612345678" and survivor.address == "دوار أولاد علي"
    assert registry.get_person(ctx=ctx, person_id=b.id).merged_into == a.id
    home_now = households.get_household(ctx=ctx, household_id=home.id)
    assert home_now.head_person_id == a.id
    assert {m.person.id for m in home_now.members} == {a.id, wife.id}
    assert [p.id for p in registry.search_persons(ctx=ctx, text="AB123456")] == [a.id]

    registry.undo_merge(ctx=coord_ctx, merge_id=merge_id)
    assert registry.get_person(ctx=ctx, person_id=b.id).merged_into is None
    restored = registry.get_person(ctx=ctx, person_id=a.id)
    assert restored.phone is None and restored.address == ""
    home_back = households.get_household(ctx=ctx, household_id=home.id)
    assert home_back.head_person_id == b.id
    assert {m.person.id for m in home_back.members} == {b.id, wife.id}
    with pytest.raises(errors.JisrError):
        registry.undo_merge(ctx=coord_ctx, merge_id=merge_id)
    actions = [h["action"] for h in registry.history(ctx=ctx, entity="person", entity_id=b.id)]
    assert actions == ["register_person", "merge_person", "undo_merge"]


def test_undo_keeps_fields_edited_after_the_merge(ctx: Context, coord_ctx: Context) -> None:
    a = registry.register_person(ctx=ctx, data={**AHMED, "phone": None})
    b = registry.register_person(ctx=ctx, data={**AHMED, "cin": None})
    merge_id = registry.merge_persons(ctx=coord_ctx, survivor_id=a.id, merged_id=b.id)
    registry.update_person(ctx=ctx, person_id=a.id, data={"phone": "0711111111"})
    registry.undo_merge(ctx=coord_ctx, merge_id=merge_id)
    assert registry.get_person(ctx=ctx, person_id=a.id).phone == "+212711111111"


def test_household_members_and_head(ctx: Context) -> None:
    father = registry.register_person(ctx=ctx, data=AHMED)
    child = registry.register_person(ctx=ctx, data={"given_name_ar": "سلمى", "sex": "F",
                                                    "birth_date": "2024-03-01"})
    home = households.create_household(ctx=ctx, head_person_id=father.id, rsu_ref="RSU-77")
    assert home.name == "العلوي" and home.rsu_ref == "RSU-77"
    home = households.add_member(ctx=ctx, household_id=home.id, person_id=child.id, relationship="child")
    assert [(m.person.id, m.relationship, m.is_head) for m in home.members] == [
        (father.id, "head", True), (child.id, "child", False)]
    with pytest.raises(errors.JisrError) as info:
        households.add_member(ctx=ctx, household_id=home.id, person_id=child.id, relationship="cousin?")
    assert info.value.field == "relationship"
    home = households.remove_member(ctx=ctx, household_id=home.id, person_id=father.id)
    assert home.head_person_id is None and [m.person.id for m in home.members] == [child.id]
    home = households.set_head(ctx=ctx, household_id=home.id, person_id=child.id)
    assert home.head_person_id == child.id
    # re-adding a removed member brings back the same row (deterministic id)
    home = households.add_member(ctx=ctx, household_id=home.id, person_id=father.id, relationship="parent")
    rows = ctx.db.execute("SELECT count(*) FROM household_member WHERE person_id = ?", [father.id]).fetchone()[0]
    assert rows == 1


def test_rows_written_outside_the_services_are_marked_dirty(ctx: Context) -> None:
    person = registry.register_person(ctx=ctx, data=AHMED)
    assert ctx.db.execute("SELECT dirty FROM person WHERE id = ?", [person.id]).fetchone()[0] == 0
    ctx.db.execute("UPDATE person SET notes = 'edited by hand' WHERE id = ?", [person.id])
    assert ctx.db.execute("SELECT dirty FROM person WHERE id = ?", [person.id]).fetchone()[0] == 1


def test_outbox_sequence_is_gap_free(ctx: Context) -> None:
    for i in range(5):
        registry.register_person(ctx=ctx, data={"given_name_ar": "سعيد", "family_name_ar": f"ب{i}"})
    with pytest.raises(errors.ValidationFailed):
        registry.register_person(ctx=ctx, data={"given_name_ar": "x"})
    registry.register_person(ctx=ctx, data={"given_name_ar": "سعاد"})
    seqs = [o["seq"] for o in _outbox(ctx)]
    assert seqs == list(range(1, len(seqs) + 1))
