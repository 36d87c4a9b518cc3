"""Sealed notes end to end: real desktop databases, a real HQ subprocess on SQLite and on
PostgreSQL (docs/security.md, "Sealed notes"; docs/sync.md, guarantees 20 and 26).

A counsellor's key is obtained at her first sign-in on a counselling desktop while HQ can be
reached; later sign-ins unlock it offline; her notes carry her proof whoever's sync sends
them; a reception desktop's note in her name is refused, op by op, and kept on it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import pytest

from jisr_desktop import ledger
from jisr_desktop.context import User
from jisr_desktop.services import accounts, case_keys, case_notes, registry
from jisr_desktop.sync import sealed
from jisr_desktop.sync.client import SyncFailed
from tests.hq.hqkit import HqServer
from tests.sync.deskkit import Desk

PASSWORD = "hq-password-1"


def _counsellor(hq: HqServer, code: str) -> tuple[str, str]:
    username = f"couns-{uuid.uuid4().hex[:6]}"
    staff_id = hq.cli("add-staff", "--username", username, "--role", "counsellor", "--center",
                      code, "--full-name", "HQ counsellor", "--password", PASSWORD).stdout.strip()
    return username, staff_id


def _note(desk: Desk, user: User, person_id: str, text: str) -> str:
    return case_notes.save_counselling_note(ctx=desk.ctx(user), person_id=person_id,
                                            session_date=date(2026, 11, 2), topic="marital",
                                            note=text).id


def _at_hq(hq: HqServer, note_id: str) -> int:
    return int(hq.scalar("SELECT count(*) FROM jisr_hq_record WHERE entity_id = ?",
                         hq.uid(note_id)))


def test_a_reception_desktop_s_case_note_is_refused_and_kept_there(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    code, _codes = hq.new_center(codes=1, counselling=True)
    plain = hq.cli("enrollment-code", "--center", code).stdout.strip()
    name, staff_id = _counsellor(hq, code)
    desk = desks("R", local_center=False)
    desk.enroll(hq, plain)
    desk.sync()
    # her account is there without its hash: she cannot sign in on a reception desktop ...
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(ctx=desk.ctx(), username=name, password=PASSWORD)
    # ... and a note written in her name there (a bare id, as a modified program would) is
    # refused by HQ, acknowledged so that the rest syncs, and kept on the desktop
    her = User(staff_id, name, "HQ counsellor", "counsellor", None)
    person = registry.register_person(ctx=desk.ctx(), data={"given_name_lat": "Khadija",
                                                            "family_name_lat": "Amrani"})
    note = _note(desk, her, person.id, "forged on reception")
    report = desk.sync()
    assert [reason for _seq, reason in report.rejected] == ["device_not_counselling"]
    assert ledger.pending_count(desk.db) == 0
    assert _at_hq(hq, note) == 0 and _at_hq(hq, person.id) == 1
    kept = case_notes.get_note(ctx=desk.ctx(her), kind="counselling_note", note_id=note)
    assert kept.refused == "device_not_counselling"
    assert "not enrolled for counselling" in case_notes.refusal_text(kept.refused)
    assert case_keys.after_sign_in(ctx=desk.ctx(her), password=PASSWORD) == case_keys.NOT_NEEDED


def test_the_key_is_obtained_online_then_unlocked_offline(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    code, codes = hq.new_center(codes=2, counselling=True)
    name, staff_id = _counsellor(hq, code)
    desk = desks("A", local_center=False)
    desk.enroll(hq, codes[0])
    desk.sync()
    her = accounts.sign_in(ctx=desk.ctx(), username=name, password=PASSWORD)
    assert case_keys.after_sign_in(ctx=desk.ctx(her), password="wrong") == case_keys.REFUSED
    assert case_keys.after_sign_in(ctx=desk.ctx(her), password=PASSWORD) == case_keys.REGISTERED
    stored = desk.db.execute("SELECT public_key, wrapped FROM case_key WHERE user_id = ?",
                             [staff_id]).fetchone()
    assert stored is not None and hq.scalar(
        "SELECT public_key FROM jisr_hq_casekey WHERE staff_id = ?", hq.uid(staff_id)) == stored[0]
    person = registry.register_person(ctx=desk.ctx(), data={"given_name_lat": "Zineb",
                                                            "family_name_lat": "Idrissi"})
    first = _note(desk, her, person.id, "written online")

    # signed out; HQ out of reach; she signs in again: her key opens without HQ
    case_keys.signed_out()
    assert sealed.signer(desk.db, staff_id) is None
    server = desk.db.execute("SELECT server_url FROM sync_state").fetchone()[0]
    desk.db.execute("UPDATE sync_state SET server_url = 'http://127.0.0.1:9' WHERE id = 1")
    assert case_keys.after_sign_in(ctx=desk.ctx(her), password=PASSWORD) == case_keys.UNLOCKED
    second = _note(desk, her, person.id, "written offline")
    desk.db.execute("UPDATE sync_state SET server_url = ? WHERE id = 1", [server])
    # signed out again: the receptionist's sync sends both notes, with her proofs
    case_keys.signed_out()
    assert not desk.sync().rejected
    assert _at_hq(hq, first) == 1 and _at_hq(hq, second) == 1

    # a note written while her key was not open (signed out) is refused, not sent unsigned
    # as hers: a wrong password does not open the key
    assert sealed.unlock(desk.db, staff_id, "not hers") is False
    third = _note(desk, her, person.id, "no key open")
    assert [reason for _s, reason in desk.sync().rejected] == ["author_unproven"]
    assert _at_hq(hq, third) == 0

    # the counselling partition: with her signed in, her notes come down to a second
    # counselling desktop; the receptionist's sync there gets none
    other = desks("B", local_center=False)
    other.enroll(hq, codes[1])
    other.sync()
    there = accounts.sign_in(ctx=other.ctx(), username=name, password=PASSWORD)
    assert other.db.execute("SELECT count(*) FROM counselling_note").fetchone() == (0,)
    assert case_keys.after_sign_in(ctx=other.ctx(there), password=PASSWORD) == \
        case_keys.REGISTERED
    other.client(there).sync()
    assert {r[0] for r in other.db.execute("SELECT id FROM counselling_note")} == {first, second}

    # revoking the staff account at HQ ends it: her notes are refused, none come down
    hq.execute("UPDATE jisr_hq_staffaccount SET active = ? WHERE id = ?", False, hq.uid(staff_id))
    fourth = _note(other, there, person.id, "after revocation")
    assert [reason for _s, reason in other.client(there).sync().rejected] == ["author_not_member"]
    assert _at_hq(hq, fourth) == 0


def test_enrolled_again_her_key_is_registered_again(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    code, codes = hq.new_center(codes=2, counselling=True)
    name, staff_id = _counsellor(hq, code)
    desk = desks("A", local_center=False)
    desk.enroll(hq, codes[0])
    desk.sync()
    her = accounts.sign_in(ctx=desk.ctx(), username=name, password=PASSWORD)
    assert case_keys.after_sign_in(ctx=desk.ctx(her), password=PASSWORD) == case_keys.REGISTERED
    person = registry.register_person(ctx=desk.ctx(), data={"given_name_lat": "Sara",
                                                            "family_name_lat": "Alaoui"})
    desk.sync()
    note = _note(desk, her, person.id, "before re-enrollment")
    old_device = desk.db.execute("SELECT device_id FROM sync_state").fetchone()[0]
    hq.cli("revoke-device", old_device)
    with pytest.raises(SyncFailed) as refused:  # revoked: the desktop may enroll again
        desk.sync()
    assert refused.value.code == "device_revoked"
    desk.client().enroll(hq.base_url, codes[1], device_name="A")
    # her next sign-in, online, registers the same key for the new device: her pending
    # note, signed before, is accepted
    assert case_keys.after_sign_in(ctx=desk.ctx(her), password=PASSWORD) == case_keys.REGISTERED
    assert not desk.sync().rejected
    assert _at_hq(hq, note) == 1
    assert hq.scalar("SELECT count(DISTINCT key_id) FROM jisr_hq_casekey WHERE staff_id = ?",
                     hq.uid(staff_id)) == 1
