"""Search ranking and formats on a real FTS5 index."""

from __future__ import annotations

from jisr_desktop.context import Context
from jisr_desktop.db import persons
from jisr_desktop.services import registry


def _reg(ctx: Context, **data: object) -> str:
    return registry.register_person(ctx=ctx, data=dict(data)).id


def test_exact_then_prefix_then_approximate(ctx: Context) -> None:
    exact = _reg(ctx, given_name_lat="Karim", family_name_lat="Bennani")
    prefix = _reg(ctx, given_name_lat="Karima", family_name_lat="Tazi")
    approx = _reg(ctx, given_name_lat="Krimou", family_name_lat="Fassi")
    _reg(ctx, given_name_lat="Samira", family_name_lat="Alaoui")
    hits = persons.search(ctx.db, "karim")
    assert [(h.person_id, h.tier) for h in hits] == [
        (exact, persons.TIER_EXACT), (prefix, persons.TIER_PREFIX), (approx, persons.TIER_APPROX)]


def test_arabic_prefix_as_the_receptionist_types(ctx: Context) -> None:
    fatima = _reg(ctx, given_name_ar="فاطمة", family_name_ar="الزهراء")
    _reg(ctx, given_name_ar="فتيحة", family_name_ar="بناني")
    for typed in ["ف", "فا", "فاط", "فاطم", "فاطمه", "فاطمة الزهرا", "فاطِمَة"]:
        ids = [p.id for p in registry.search_persons(ctx=ctx, text=typed)]
        assert ids and ids[0] == fatima, typed


def test_cin_phone_and_file_number_in_any_format(ctx: Context) -> None:
    pid = _reg(ctx, given_name_ar="سعيد", cin="BK 123456", phone="0661-23-45-67")
    file_no = registry.get_person(ctx=ctx, person_id=pid).file_no
    for typed in ["BK123456", "bk 123456", "bk12", "0661234567", "06 61 23 45 67", "+212661234567",
                  "00212 661 23 45 67", "0661 23", file_no, file_no.lower()]:
        assert [p.id for p in registry.search_persons(ctx=ctx, text=typed)] == [pid], typed


def test_name_and_identifier_together_narrow_the_result(ctx: Context) -> None:
    a = _reg(ctx, given_name_lat="Ahmed", cin="A111111")
    _reg(ctx, given_name_lat="Ahmed", cin="B222222")
    assert [p.id for p in registry.search_persons(ctx=ctx, text="ahmad A111")] == [a]


def test_merged_and_nonsense_queries(ctx: Context, coord_ctx: Context) -> None:
    a = _reg(ctx, given_name_lat="Nadia", family_name_lat="Amrani", cin="C1")
    b = _reg(ctx, given_name_lat="Nadia", family_name_lat="Amrani", cin="C2")
    registry.merge_persons(ctx=coord_ctx, survivor_id=a, merged_id=b)
    assert [p.id for p in registry.search_persons(ctx=ctx, text="nadia amrani")] == [a]
    for junk in ["", "   ", '"', "*", "AND OR NOT", "(", "'; DROP TABLE person; --", "ال"]:
        registry.search_persons(ctx=ctx, text=junk)  # never raises


def test_limit_is_respected(ctx: Context) -> None:
    for i in range(12):
        _reg(ctx, given_name_lat="Omar", family_name_lat=f"Test{i}")
    assert len(registry.search_persons(ctx=ctx, text="omar", limit=5)) == 5
