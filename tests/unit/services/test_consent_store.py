"""Consents stored per purpose (issue 17, point 3): given, expiring and withdrawn on a real
database, a guardian for a minor, written through the ledger (outbox op, audit entry), and the
check-in of the nursery and the club blocked in plain words by a withdrawn or expired consent."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from pypdf import PdfReader

from jisr_desktop import errors, i18n
from jisr_desktop.domain.consent import Purpose, State
from jisr_desktop.reports.person_consent import build_person_consent
from jisr_desktop.services import club, nursery
from jisr_desktop.services import consent as consents
from tests.unit.services.conftest import TODAY


def test_a_consent_is_stored_synced_and_audited(ctx, person) -> None:  # type: ignore[no-untyped-def]
    amina = person("Amina", birth_date=date(1990, 5, 1))
    given = consents.give(ctx=ctx, person_id=amina.id, purpose=Purpose.PHOTOS,
                          expires_on=date(2027, 11, 2))
    assert (given.state, given.given_on) == (State.VALID, TODAY)
    [(entity, kind, patch)] = ctx.db.execute(
        "SELECT entity, kind, patch FROM outbox WHERE entity = 'consent'").fetchall()
    assert (entity, kind) == ("consent", "upsert")
    assert json.loads(patch)["purpose"] == "photos"
    assert ctx.db.execute("SELECT action FROM audit_log WHERE entity = 'consent'"
                          ).fetchall() == [("give_consent",)]
    [row] = consents.consents_of(ctx=ctx, person_id=amina.id, on=date(2027, 11, 2))
    assert row.state == State.EXPIRED


def test_withdrawal_is_recorded_on_the_newest_consent_and_a_new_one_counts_again(ctx, person, clock) -> None:  # type: ignore[no-untyped-def]
    amina = person("Amina", birth_date=date(1990, 5, 1))
    consents.give(ctx=ctx, person_id=amina.id, purpose=Purpose.PARTNER)
    gone = consents.withdraw(ctx=ctx, person_id=amina.id, purpose=Purpose.PARTNER)
    assert gone.state == State.WITHDRAWN and gone.withdrawn_on == TODAY
    assert consents.blocking(ctx, amina.id, Purpose.PARTNER) == (
        "The consent for Sharing with a partner was withdrawn on 02/11/2026: this cannot go on.")
    with pytest.raises(errors.JisrError) as err:
        consents.withdraw(ctx=ctx, person_id=amina.id, purpose=Purpose.PARTNER)
    assert err.value.field == "purpose"
    clock.advance(days=3)
    consents.give(ctx=ctx, person_id=amina.id, purpose=Purpose.PARTNER)
    assert consents.blocking(ctx, amina.id, Purpose.PARTNER) is None


def test_a_minor_consents_through_an_adult_guardian(ctx, person, child) -> None:  # type: ignore[no-untyped-def]
    kid = child("Adam")
    mother = person("Khadija", birth_date=date(1992, 1, 1))
    with pytest.raises(errors.JisrError) as err:
        consents.give(ctx=ctx, person_id=kid.id, purpose=Purpose.SERVICE, service="nursery")
    assert err.value.field == "guardian_id"
    with pytest.raises(errors.JisrError) as err:
        consents.give(ctx=ctx, person_id=kid.id, purpose=Purpose.SERVICE, service="nursery",
                      guardian_id=child("Sami").id)
    assert err.value.field == "guardian_id"
    assert "adult" in err.value.message()
    with pytest.raises(errors.JisrError) as err:
        consents.give(ctx=ctx, person_id=kid.id, purpose=Purpose.SERVICE, service="dancing",
                      guardian_id=mother.id)
    assert err.value.field == "service"
    row = consents.give(ctx=ctx, person_id=kid.id, purpose=Purpose.SERVICE, service="nursery",
                        guardian_id=mother.id)
    assert row.guardian_id == mother.id and row.service == "nursery"


def test_a_withdrawn_nursery_consent_blocks_the_check_in_in_plain_words(ctx, coord_ctx, person, child) -> None:  # type: ignore[no-untyped-def]
    mother = person("Khadija", birth_date=date(1992, 1, 1))
    lina, adam = child("Lina"), child("Adam")
    for kid in (lina, adam):
        nursery.enroll_child(ctx=coord_ctx, child_id=kid.id)
        consents.give(ctx=ctx, person_id=kid.id, purpose=Purpose.SERVICE, service="nursery",
                      guardian_id=mother.id, given_on=date(2026, 9, 1))
    consents.withdraw(ctx=ctx, person_id=lina.id, purpose=Purpose.SERVICE, service="nursery",
                      on=TODAY)
    assert nursery.check_in_child(ctx=ctx, child_id=adam.id).checked_in  # her consent holds
    arrival = nursery.check_in_child(ctx=ctx, child_id=lina.id)
    assert not arrival.checked_in
    [alert] = arrival.alerts
    assert alert.blocks and alert.kind == "consent"
    assert alert.text("en") == ("The consent for Taking part in: Nursery was withdrawn on "
                                "02/11/2026: this cannot go on.")
    assert alert.text("fr") != alert.text("en") and "02/11/2026" in alert.text("fr")
    assert ctx.db.execute("SELECT person_id FROM check_in").fetchall() == [(adam.id,)]


def test_an_expired_club_consent_blocks_the_club_but_another_service_does_not(ctx, coord_ctx, person) -> None:  # type: ignore[no-untyped-def]
    fatima, zohra = person("Fatima", birth_date=date(1950, 1, 1)), person("Zohra",
                                                                          birth_date=date(1948, 1, 1))
    for member in (fatima, zohra):
        club.enroll_member(ctx=coord_ctx, person_id=member.id)
    consents.give(ctx=ctx, person_id=zohra.id, purpose=Purpose.SERVICE, service="nursery",
                  given_on=date(2025, 1, 1), expires_on=date(2025, 6, 1))
    assert club.check_in_member(ctx=ctx, person_id=zohra.id).checked_in  # another service's
    consents.give(ctx=ctx, person_id=fatima.id, purpose=Purpose.SERVICE, service="club",
                  given_on=date(2025, 1, 1), expires_on=date(2026, 10, 1))
    arrival = club.check_in_member(ctx=ctx, person_id=fatima.id)
    assert not arrival.checked_in
    assert [a.text("en") for a in arrival.alerts] == [
        "The consent for Taking part in: Elderly club expired on 01/10/2026. Ask for it again "
        "before going on."]
    assert ctx.db.execute("SELECT person_id FROM check_in").fetchall() == [(zohra.id,)]


def test_the_printed_receipt_lists_the_purposes_and_their_state(ctx, person) -> None:  # type: ignore[no-untyped-def]
    amina = person("Amina", birth_date=date(1990, 5, 1))
    consents.give(ctx=ctx, person_id=amina.id, purpose=Purpose.REGISTRATION)
    consents.give(ctx=ctx, person_id=amina.id, purpose=Purpose.PHOTOS)
    consents.withdraw(ctx=ctx, person_id=amina.id, purpose=Purpose.PHOTOS)
    buffer = io.BytesIO()
    build_person_consent(buffer, ctx=ctx, person_id=amina.id, lang="fr")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(buffer.getvalue())).pages)
    text = " ".join(text.split())
    photos = i18n.translate("Consent recorded for {purpose}: given on {given}, withdrawn on {day}.",
                            "fr", purpose=i18n.translate("Photos", "fr"), given="02/11/2026",
                            day="02/11/2026")
    registration = i18n.translate("Consent recorded for {purpose}: given on {given}.", "fr",
                                  purpose=i18n.translate("Registration", "fr"),
                                  given="02/11/2026")
    assert photos in text and registration in text
