"""NUL and the other control characters are refused where text is typed, with a translated
message naming the field; a line break stays allowed in notes, and the invisible marks
Arabic text needs (U+200F, U+200D) are not control characters."""

from __future__ import annotations

from datetime import date

import pytest

from jisr_desktop import errors
from jisr_desktop.context import Context
from jisr_desktop.domain import campaigns, club, nursery, visits, workshops
from jisr_desktop.domain.normalize import has_control
from jisr_desktop.services import accounts, households, registry

TODAY = date(2026, 11, 2)
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85", "\ud800"]


def test_has_control() -> None:
    for char in CONTROLS:
        assert has_control(f"Sa{char}ra") and has_control(f"Sa{char}ra", multiline=True)
    assert has_control("a\nb") and has_control("a\tb")
    assert not has_control("a\nb\r\nc\td", multiline=True)
    assert not has_control("عبد\u200fالله\u200d") and not has_control("Sára Ñ €")


def _person_messages(ctx: Context, data: dict) -> list:  # type: ignore[type-arg]
    with pytest.raises(errors.ValidationFailed) as caught:
        registry.register_person(ctx=ctx, data=data)
    return [m for m in caught.value.messages if m.is_error]


@pytest.mark.parametrize("char", CONTROLS)
def test_register_person_refuses_a_control_character_naming_the_field(ctx: Context, char: str) -> None:
    (message,) = _person_messages(ctx, {"given_name_ar": "سارة", "given_name_lat": f"Sa{char}ra"})
    assert message.field == "given_name_lat"
    assert message.text("en") == ("“Given name (Latin letters)” contains an invisible control character"
                                  " (often pasted from another program): remove it.")
    assert message.text("fr").startswith("« Prénom (en lettres latines) » contient un caractère de contrôle")
    assert message.text("ar").startswith("يحتوي “الاسم الشخصي (بالحروف اللاتينية)” على حرف تحكم")
    assert ctx.db.execute("SELECT count(*) FROM person").fetchone()[0] == 0
    assert ctx.db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0


def test_every_free_text_field_of_a_person_is_checked(ctx: Context) -> None:
    data = {"given_name_ar": "سا\x00رة", "family_name_ar": "ا\x01", "given_name_lat": "S\x02",
            "family_name_lat": "B\x03", "cin": "AB\x00123456", "address": "Rue 1\nRabat",
            "disability_type": "x\x1b", "notes": "nul \x00 here"}
    fields = {m.field for m in _person_messages(ctx, data)}
    assert fields == set(data)


def test_a_line_break_in_notes_is_kept(ctx: Context) -> None:
    person = registry.register_person(ctx=ctx, data={"given_name_lat": "Sara",
                                                     "notes": "first line\nsecond\tline"})
    assert person.notes == "first line\nsecond\tline"
    updated = registry.update_person(ctx=ctx, person_id=person.id, data={"notes": "a\r\nb"})
    assert updated.notes == "a\r\nb"
    with pytest.raises(errors.ValidationFailed):
        registry.update_person(ctx=ctx, person_id=person.id, data={"address": "x\x00"})


def test_the_other_forms_refuse_control_characters(ctx: Context) -> None:
    _, msgs = visits.clean_visit({"notes": "ok\nok", "referral_to": "Hôpital\x00"}, programs=set())
    assert next(m.text("en") for m in msgs if m.field == "referral_to").startswith("“Referred to”")
    assert not any(m.field == "notes" for m in msgs)
    _, msgs = club.clean_membership({"start_date": TODAY, "health_notes": "a\x07"})
    assert "“Health notes”" in next(m for m in msgs if m.field == "health_notes").text("en")
    assert nursery.check_notes({"allergies": "lait\x00", "notes": "ok\nok"})[0].field == "allergies"
    _, msgs = nursery.clean_authorisation({"name": "Ali\x00", "cin": "AB1", "phone": "0612345678",
                                           "relationship": "oncle"})
    assert [m.field for m in msgs if m.is_error] == ["name"]
    _, msgs = workshops.clean_workshop({"title": "Couture\x00"}, set())
    assert "“Title”" in msgs[0].text("en")
    _, msgs = campaigns.clean_campaign({"topic": "Eau\x1b", "day": TODAY, "place": "Salle"})
    assert msgs[0].field == "topic" and msgs[0].text("fr").startswith("« ")


def test_households_and_accounts_refuse_them_with_one_error_naming_the_field(
        coord_ctx: Context, ctx: Context) -> None:
    head = registry.register_person(ctx=ctx, data={"given_name_lat": "Sara"})
    with pytest.raises(errors.JisrError) as caught:
        households.create_household(ctx=ctx, head_person_id=head.id, name="Famille\x00")
    assert caught.value.field == "name"
    assert caught.value.message("fr").startswith("« Nom » contient un caractère de contrôle")
    with pytest.raises(errors.JisrError) as caught:
        accounts.create_account(ctx=coord_ctx, username="new\x00user", display_name="N",
                                role="receptionist", password="long enough 1")
    assert caught.value.field == "username" and "“User name”" in caught.value.message("en")
    assert coord_ctx.db.execute("SELECT count(*) FROM household").fetchone()[0] == 0
