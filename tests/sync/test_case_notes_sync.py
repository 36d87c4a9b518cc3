"""Case notes through a real HQ subprocess (docs/sync.md, guarantee 20): a counsellor
with an HQ account writes a note on a counselling desktop; a second counselling desktop of the
center receives it only while its counsellor is signed in; a reception desktop of the center
never does; concurrent edits give exactly one conflict; a local-only counsellor's note is
refused by HQ, reported, and kept on the desktop."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date

import pytest

from jisr_desktop import ledger
from jisr_desktop.context import User
from jisr_desktop.services import accounts, case_keys, case_notes, registry
from tests.hq.hqkit import HqServer
from tests.sync.deskkit import Desk, _json

PASSWORD = "hq-password-1"
SECRET = "Wife reports threats; plan a second session with both spouses"


def _staff(hq: HqServer, code: str, role: str) -> tuple[str, str]:
    username = f"{role[:5]}-{uuid.uuid4().hex[:6]}"
    staff_id = hq.cli("add-staff", "--username", username, "--role", role, "--center", code,
                      "--full-name", f"HQ {role}", "--password", PASSWORD).stdout.strip()
    return username, staff_id


def _sign_in(desk: Desk, username: str) -> User:
    """Sign in as the sign-in screen does: the password, then the sealed-notes key
    (docs/security.md, "Sealed notes")."""
    user = accounts.sign_in(ctx=desk.ctx(), username=username, password=PASSWORD)
    case_keys.after_sign_in(ctx=desk.ctx(user), password=PASSWORD)
    return user


def _note_rows(desk: Desk) -> dict[str, tuple[str, str, int]]:
    return {r[0]: (r[1], r[2], r[3]) for r in desk.db.execute(
        "SELECT id, note, topic, deleted FROM counselling_note").fetchall()}


def test_case_notes_reach_counsellors_only_and_conflict_once(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    code, codes = hq.new_center(codes=2, counselling=True)
    plain_code = hq.cli("enrollment-code", "--center", code).stdout.strip()
    couns_name, couns_id = _staff(hq, code, "counsellor")

    a = desks("A", local_center=False)
    b = desks("B", local_center=False)
    c = desks("C", local_center=False)
    for desk, enrol in ((a, codes[0]), (b, codes[1]), (c, plain_code)):
        desk.enroll(hq, enrol)
        desk.sync()  # the center's staff accounts come down
    couns_a, couns_b = _sign_in(a, couns_name), _sign_in(b, couns_name)
    assert couns_a.id == couns_b.id == couns_id and couns_a.role == "counsellor"
    # a reception desktop holds no counsellor's password hash: she cannot sign in there; a
    # desktop claiming her (a bare id, as a modified program would) gets nothing either
    with pytest.raises(accounts.SignInFailed):
        _sign_in(c, couns_name)
    couns_c = User(couns_id, couns_name, "HQ counsellor", "counsellor", couns_a.center_id)
    assert case_notes.sync_warning(ctx=a.ctx(couns_a)) is None  # an HQ account

    # A: the receptionist registers Khadija; the counsellor writes a note. The receptionist's
    # sync pushes it (the op names its author, the counsellor) and HQ accepts it.
    khadija = registry.register_person(ctx=a.ctx(), data={
        "given_name_lat": "Khadija", "family_name_lat": "Amrani", "sex": "F"})
    note = case_notes.save_counselling_note(ctx=a.ctx(couns_a), person_id=khadija.id,
                                            session_date=date(2026, 11, 2), topic="marital",
                                            note=SECRET)
    assert a.db.execute("SELECT user_id FROM outbox WHERE entity_id = ?",
                        [note.id]).fetchone() == (couns_id,)
    pushed = a.sync()
    assert not pushed.rejected and ledger.pending_count(a.db) == 0
    stored = hq.query("SELECT partition, fields FROM jisr_hq_record WHERE entity = 'counselling_note'"
                      " AND entity_id = ?", hq.uid(note.id))
    assert len(stored) == 1 and stored[0][0] == "counselling"
    assert _json(stored[0][1])["note"] == SECRET

    # B, same center, counselling desktop: nothing while the receptionist syncs ...
    b.sync()
    assert b.db.execute("SELECT count(*) FROM person WHERE id = ?", [khadija.id]).fetchone() == (1,)
    assert _note_rows(b) == {}
    # ... the note as soon as the counsellor syncs
    b.client(couns_b).sync()
    assert _note_rows(b) == {note.id: (SECRET, "marital", 0)}
    seen = case_notes.notes_of_person(ctx=b.ctx(couns_b), person_id=khadija.id)
    assert [(n.id, n.note, n.counsellor_name) for n in seen] == [(note.id, SECRET, "HQ counsellor")]
    # the receptionist syncing again does not take it away
    b.sync()
    assert note.id in _note_rows(b)

    # C, a reception desktop of the center: never, even with the counsellor signed in
    c.sync()
    c.client(couns_c).sync()
    assert c.db.execute("SELECT count(*) FROM person WHERE id = ?", [khadija.id]).fetchone() == (1,)
    assert _note_rows(c) == {}
    assert c.db.execute("SELECT count(*) FROM conflict").fetchone() == (0,)

    # Both counsellors correct the note offline; B's edit is later and wins; A's is kept as
    # the one conflict, on both counselling desktops.
    a.clock.advance(hours=1)
    b.clock.advance(hours=2)
    case_notes.save_counselling_note(ctx=a.ctx(couns_a), note_id=note.id, person_id=khadija.id,
                                     session_date=date(2026, 11, 2), topic="marital",
                                     note="Edited on A")
    case_notes.save_counselling_note(ctx=b.ctx(couns_b), note_id=note.id, person_id=khadija.id,
                                     session_date=date(2026, 11, 2), topic="marital",
                                     note="Edited on B", follow_up_date=date(2026, 11, 16))
    a.client(couns_a).sync()
    b.client(couns_b).sync()
    a.client(couns_a).sync()
    b.client(couns_b).sync()
    assert _note_rows(a) == _note_rows(b) == {note.id: ("Edited on B", "marital", 0)}
    for desk, user in ((a, couns_a), (b, couns_b)):
        assert case_notes.get_note(ctx=desk.ctx(user), kind="counselling_note",
                                   note_id=note.id).follow_up_date == date(2026, 11, 16)
        conflicts = list(desk.conflicts().values())
        assert conflicts == [("counselling_note", note.id, "note", "concurrent_edit",
                              json.dumps("Edited on B"), json.dumps("Edited on A"), None)]
    assert hq.scalar("SELECT count(*) FROM jisr_hq_conflict WHERE entity = 'counselling_note'"
                     " AND partition = 'counselling'") == 1
    # A's counsellor takes A's version back: an ordinary edit plus the resolution, accepted
    # at HQ from a counsellor; both desktops end with it and the conflict closed.
    [open_conflict] = case_notes.note_conflicts(ctx=a.ctx(couns_a), kind="counselling_note",
                                                note_id=note.id)
    assert (open_conflict.field, open_conflict.kept, open_conflict.other) == (
        "note", "Edited on B", "Edited on A")
    case_notes.resolve_note_conflict(ctx=a.ctx(couns_a), conflict_id=open_conflict.id,
                                     keep_other=True)
    assert not a.client(couns_a).sync().rejected
    b.client(couns_b).sync()
    assert _note_rows(a) == _note_rows(b) == {note.id: ("Edited on A", "marital", 0)}
    for desk, user in ((a, couns_a), (b, couns_b)):
        assert case_notes.note_conflicts(ctx=desk.ctx(user), kind="counselling_note",
                                         note_id=note.id) == []
    assert hq.scalar("SELECT resolution FROM jisr_hq_conflict WHERE entity = 'counselling_note'"
                     ) == "keep_loser"
    audit = json.dumps(a.db.execute("SELECT changes FROM audit_log WHERE entity_id = ?",
                                    [note.id]).fetchall())
    assert "Edited on" not in audit and SECRET not in audit

    # C still holds nothing of it: neither the note nor its conflict
    c.client(couns_c).sync()
    assert _note_rows(c) == {} and c.db.execute("SELECT count(*) FROM conflict").fetchone() == (0,)

    # A delete on B sticks everywhere the note is.
    case_notes.delete_note(ctx=b.ctx(couns_b), kind="counselling_note", note_id=note.id)
    b.client(couns_b).sync()
    a.client(couns_a).sync()
    assert _note_rows(a)[note.id][2] == 1 and case_notes.notes_of_person(
        ctx=a.ctx(couns_a), person_id=khadija.id) == []


def test_a_local_only_counsellor_is_refused_by_hq_and_keeps_the_note(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    _code, codes = hq.new_center(codes=1, counselling=True)
    a = desks("A", local_center=False)
    a.enroll(hq, codes[0])
    a.sync()
    local = accounts.create_account(ctx=a.coord, username="local-couns", display_name="Local",
                                    role="counsellor", password="correct horse")
    ctx = a.ctx(local)
    assert case_notes.sync_warning(ctx=ctx) is not None  # told before writing
    person = registry.register_person(ctx=a.ctx(), data={"given_name_lat": "Zineb",
                                                         "family_name_lat": "Idrissi"})
    note = case_notes.save_counselling_note(ctx=ctx, person_id=person.id,
                                            session_date=date(2026, 11, 2), topic="parenting",
                                            note=SECRET)
    report = a.client(local).sync()
    assert [reason for _seq, reason in report.rejected] == ["author_not_member"]
    assert ledger.pending_count(a.db) == 0  # acknowledged: the stream is not blocked
    assert hq.scalar("SELECT count(*) FROM jisr_hq_record WHERE entity_id = ?", hq.uid(note.id)) == 0
    kept = case_notes.get_note(ctx=ctx, kind="counselling_note", note_id=note.id)
    assert (kept.note, kept.refused) == (SECRET, "author_not_member")
    assert "kept on this desktop" in case_notes.refusal_text(kept.refused)
    # the person registered in the same sync reached HQ all the same
    assert hq.scalar("SELECT count(*) FROM jisr_hq_record WHERE entity_id = ?", hq.uid(person.id)) == 1
