"""The change ledger refuses, before anything is written, a value the synced schema does not
allow (jisr_protocol/schema.py): HQ would refuse the op and every other desktop the row. The
message names the field and is translated; the row, its clocks, the outbox and the audit log
stay as they were."""

from __future__ import annotations

import pytest

from jisr_desktop import errors, i18n, ledger
from jisr_desktop.context import Context
from jisr_desktop.services import registry


def _counts(ctx: Context) -> tuple[int, ...]:
    return tuple(ctx.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("person", "field_clock", "outbox", "audit_log", "visit"))


@pytest.mark.parametrize(("field", "value"), [
    ("sex", "X"), ("given_name_ar", None), ("birth_year", 2**62), ("notes", "a\x00b"),
    ("favourite_colour", "blue"),
])
def test_a_value_outside_the_schema_is_refused_and_nothing_is_written(
        ctx: Context, field: str, value: object) -> None:
    person = registry.register_person(ctx=ctx, data={"given_name_ar": "أمينة",
                                                     "family_name_ar": "العلوي"})
    before = _counts(ctx)
    row = ledger.current_row(ctx.db, "person", person.id)
    with pytest.raises(errors.InvalidValue) as caught:
        ledger.write_record(ctx, "person", person.id, {field: value}, action="edit_person")
    assert caught.value.field == field
    assert field in caught.value.message("fr") and caught.value.message("fr") != \
        caught.value.message("en")
    assert _counts(ctx) == before and ledger.current_row(ctx.db, "person", person.id) == row


def test_an_event_without_its_required_fields_is_refused(ctx: Context) -> None:
    before = _counts(ctx)
    with pytest.raises(errors.InvalidValue) as caught:
        ledger.append_event(ctx, "visit", ledger.new_id(), {"person_id": ledger.new_id()},
                            action="log_visit")
    assert caught.value.field in ("visited_at", "day", "program_code", "channel", "outcome")
    assert _counts(ctx) == before
    assert i18n.translate(errors.InvalidValue.msgid, "ar", name="x") != errors.InvalidValue.msgid
