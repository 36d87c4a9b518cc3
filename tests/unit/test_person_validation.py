"""Validation of what a receptionist types: errors block, warnings never do."""

from __future__ import annotations

from datetime import date

import pytest

from jisr_desktop.domain.person import clean_person, format_phone, parse_phone

TODAY = date(2026, 11, 2)


def _clean(**raw: object):  # type: ignore[no-untyped-def]
    return clean_person(dict(raw), today=TODAY, provinces={"04.421"})


@pytest.mark.parametrize("typed", ["0612345678", "06 12 34 56 78", "06.12.34.56.78", "06-12-34-56-78",
                                   "+212 6 12 34 56 78", "00212 612345678", "+212612345678"])
def test_phones_are_stored_e164(typed: str) -> None:
    assert parse_phone(typed) == "+212612345678"


def test_fixed_line_and_foreign_numbers() -> None:
    assert parse_phone("0537 12 34 56") == "+212537123456"
    assert parse_phone("+33 6 12 34 56 78") == "+33612345678"
    assert format_phone("+212612345678") == "06 12 34 56 78"


@pytest.mark.parametrize("typed", ["12345", "0612", "06123456789", "abc", "+212 1 23 45 67 89"])
def test_bad_phones_are_errors_naming_the_field(typed: str) -> None:
    _, msgs = _clean(phone=typed)
    assert [(m.field, m.severity) for m in msgs] == [("phone", "error")]


@pytest.mark.parametrize("cin", ["A123456", "BE123456", "K45678", "ab 123456"])
def test_valid_cin(cin: str) -> None:
    values, msgs = _clean(cin=cin)
    assert msgs == []
    assert values["cin"] == cin.replace(" ", "").upper()


@pytest.mark.parametrize("cin", ["123456", "ABC123", "A1234567", "12AB"])
def test_odd_cin_warns_but_never_blocks(cin: str) -> None:
    values, msgs = _clean(cin=cin)
    assert [(m.field, m.severity) for m in msgs] == [("cin", "warning")]
    assert values["cin"]


def test_dates() -> None:
    values, msgs = _clean(birth_date="2024-02-29")
    assert msgs == [] and values["birth_date"] == date(2024, 2, 29)
    values, msgs = _clean(birth_date="29/02/2024")
    assert msgs == [] and values["birth_date"] == date(2024, 2, 29)
    for bad, field in [("2027-01-01", "birth_date"), ("31/02/2020", "birth_date"),
                       ("yesterday", "birth_date"), ("1850-01-01", "birth_date")]:
        _, msgs = _clean(birth_date=bad)
        assert [(m.field, m.severity) for m in msgs] == [(field, "error")], bad
    _, msgs = _clean(birth_year="2030")
    assert [(m.field, m.severity) for m in msgs] == [("birth_year", "error")]
    values, msgs = _clean(birth_year="1975")
    assert msgs == [] and values["birth_year"] == 1975


def test_names_in_the_wrong_script_are_errors() -> None:
    _, msgs = _clean(given_name_ar="Ahmed")
    assert [(m.field, m.severity) for m in msgs] == [("given_name_ar", "error")]
    _, msgs = _clean(given_name_lat="أحمد")
    assert [(m.field, m.severity) for m in msgs] == [("given_name_lat", "error")]


def test_unknown_province_is_an_error() -> None:
    _, msgs = _clean(province_code="99.999")
    assert [(m.field, m.severity) for m in msgs] == [("province_code", "error")]


def test_messages_are_translated_in_three_languages() -> None:
    _, msgs = _clean(birth_date="2027-01-01")
    (msg,) = msgs
    assert msg.text("en") == "The birth date is in the future."
    assert msg.text("fr") == "La date de naissance est dans le futur."
    assert msg.text("ar") == "تاريخ الازدياد في المستقبل."
