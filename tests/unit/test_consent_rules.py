"""Consent per purpose (issue 17, point 3): expiry, withdrawal, a guardian for a minor, and the
plain-words reason a processing is blocked (jisr_desktop/domain/consent.py)."""

from __future__ import annotations

from datetime import date

import pytest

from jisr_desktop.domain import consent as rules
from jisr_desktop.domain.consent import Consent, Purpose, State
from jisr_desktop.errors import JisrError

DAY = date(2026, 3, 10)


def test_a_consent_is_valid_until_the_day_it_expires() -> None:
    c = Consent(Purpose.PHOTOS, given_on=DAY, expires_on=date(2026, 9, 10))
    assert c.state(DAY) == State.VALID
    assert c.state(date(2026, 9, 9)) == State.VALID
    assert c.state(date(2026, 9, 10)) == State.EXPIRED


def test_a_withdrawn_consent_blocks_from_the_day_of_withdrawal() -> None:
    c = Consent(Purpose.PARTNER, given_on=DAY, withdrawn_on=date(2026, 4, 1))
    assert c.state(date(2026, 3, 31)) == State.VALID
    [blocker] = rules.blocking([c], [Purpose.PARTNER], date(2026, 4, 1))
    assert (blocker.state, blocker.day) == (State.WITHDRAWN, date(2026, 4, 1))
    assert "withdrawn" in blocker.sentence


def test_blocking_names_each_purpose_missing_or_expired_and_lets_the_valid_ones_go() -> None:
    consents = [Consent(Purpose.REGISTRATION, given_on=DAY),
                Consent(Purpose.SERVICE, given_on=DAY, expires_on=date(2026, 6, 1))]
    on = date(2026, 7, 1)
    found = {b.purpose: b for b in rules.blocking(
        consents, [Purpose.REGISTRATION, Purpose.SERVICE, Purpose.PHOTOS], on)}
    assert set(found) == {Purpose.SERVICE, Purpose.PHOTOS}
    assert found[Purpose.SERVICE].state == State.EXPIRED
    assert found[Purpose.SERVICE].day == date(2026, 6, 1)
    assert found[Purpose.PHOTOS].state == State.MISSING


def test_a_consent_given_again_after_a_withdrawal_counts() -> None:
    consents = [Consent(Purpose.PHOTOS, given_on=DAY, withdrawn_on=date(2026, 4, 1)),
                Consent(Purpose.PHOTOS, given_on=date(2026, 5, 1))]
    assert rules.blocking(consents, [Purpose.PHOTOS], date(2026, 5, 2)) == []
    assert rules.blocking(consents, [Purpose.PHOTOS], date(2026, 4, 15))[0].state == State.WITHDRAWN


def test_a_minor_needs_a_guardian_and_dates_must_be_coherent() -> None:
    with pytest.raises(JisrError) as err:
        rules.check(Consent(Purpose.SERVICE, given_on=DAY), person_age=12)
    assert err.value.field == "guardian_id"
    assert rules.check(Consent(Purpose.SERVICE, given_on=DAY, guardian_id="g1"), person_age=12)
    assert rules.check(Consent(Purpose.SERVICE, given_on=DAY), person_age=30)
    with pytest.raises(JisrError) as err:
        rules.check(Consent(Purpose.SERVICE, given_on=DAY, expires_on=DAY), person_age=30)
    assert err.value.field == "expires_on"
    with pytest.raises(JisrError) as err:
        rules.check(Consent(Purpose.SERVICE, given_on=DAY, withdrawn_on=date(2026, 1, 1)),
                    person_age=30)
    assert err.value.field == "withdrawn_on"
    with pytest.raises(JisrError) as err:
        rules.check(Consent("newsletter", given_on=DAY), person_age=30)
    assert err.value.field == "purpose"
