"""Sealed notes at HQ (docs/security.md, "Sealed notes"; docs/sync.md, guarantees 20 and 26):
case notes are accepted only from a counselling device and only signed by a key the named
counsellor registered there with her password; the counselling partition is pulled only with
her fresh signature; a device receives password hashes only of staff who may sign in on it;
ids an op refers to must be of the device's center."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import jisr_protocol as p
from jisr_protocol import sealed as ps
from tests.hq.hqkit import HqServer, SimDesktop
from tests.hq.sealkit import PASSWORD, Counsellor


def _staff(hq: HqServer, code: str, role: str) -> tuple[str, str]:
    username = f"{role[:5]}-{uuid.uuid4().hex[:6]}"
    staff_id = hq.cli("add-staff", "--username", username, "--role", role, "--center", code,
                      "--password", PASSWORD).stdout.strip()
    return username, staff_id


def _pull_notes(desk: SimDesktop, proof: str | None) -> list[dict[str, Any]]:
    headers = {**desk.headers, **({ps.USER_PROOF_HEADER: proof} if proof else {})}
    r = desk.http.get("/pull", params={"cursor": "", "limit": 2000}, headers=headers)
    assert r.status_code == 200, r.text
    return [row for row in r.json()["rows"] if row["entity"] in p.COUNSELLING_ENTITIES]


def _person(desk: SimDesktop) -> str:
    person = str(uuid.uuid4())
    r = desk.push([desk.op("person", person, patch={"given_name_ar": "خديجة", "sex": "F"})])
    assert r.status_code == 200 and not r.json()["rejected"], r.text
    return person


def test_a_reception_device_s_forged_case_note_is_refused(
    hq: HqServer, enroll: Callable[..., SimDesktop]
) -> None:
    """Today's defect: a bare user_id claim let any device of the center write notes in a
    counsellor's name. Now: refused per op (acknowledged, so the stream moves on)."""
    code, _codes = hq.new_center(codes=1, counselling=True)
    plain_code = hq.cli("enrollment-code", "--center", code).stdout.strip()
    couns_name, couns_id = _staff(hq, code, "counsellor")
    reception = enroll(plain_code)
    person = _person(reception)
    note = str(uuid.uuid4())
    forged = reception.op("counselling_note", note, patch={
        "person_id": person, "session_date": "2026-11-02", "note": "forged",
        "counsellor_id": couns_id}, user_id=couns_id)
    after = reception.op("person", person, patch={"notes": "still syncing"})
    r = reception.push([forged, after])
    assert r.status_code == 200
    assert r.json()["acked_through"] == after["seq"]
    assert [(x["seq"], x["reason"]) for x in r.json()["rejected"]] == [
        (forged["seq"], "device_not_counselling")]
    assert hq.scalar("SELECT count(*) FROM jisr_hq_record WHERE entity_id = ?", hq.uid(note)) == 0
    # ... and a reception device cannot register a key either
    assert Counsellor(reception, couns_name, couns_id).register().json()["code"] == "not_counselling"


def test_case_notes_need_the_counsellor_s_key_on_that_device(
    hq: HqServer, enroll: Callable[..., SimDesktop]
) -> None:
    code, codes = hq.new_center(codes=2, counselling=True)
    couns_name, couns_id = _staff(hq, code, "counsellor")
    desk = enroll(codes[0])
    other = enroll(codes[1])
    person = _person(desk)
    her = Counsellor(desk, couns_name, couns_id)
    # a wrong password registers nothing; the same answer as an unknown user name
    wrong = her.register("not her password")
    assert (wrong.status_code, wrong.json()["code"]) == (403, "bad_credentials")
    assert Counsellor(desk, "nobody-" + uuid.uuid4().hex[:6], couns_id).register().json()[
        "code"] == "bad_credentials"
    # a bare claim, as today: refused
    fields = {"person_id": person, "session_date": "2026-11-02", "note": "confidential",
              "counsellor_id": couns_id}
    unsigned = desk.op("counselling_note", uuid.uuid4(), patch=fields, user_id=couns_id)
    r = desk.push([unsigned])
    assert [x["reason"] for x in r.json()["rejected"]] == ["author_unproven"]
    # registered with her password: signed notes pass, a changed or unsigned one does not
    r = her.register()
    assert r.status_code == 200, r.text
    assert r.json() == {"key_id": her.key_id, "staff_id": couns_id}
    note = str(uuid.uuid4())
    good = her.sign(desk.op("counselling_note", note, patch=fields, user_id=couns_id))
    tampered = her.sign(desk.op("counselling_note", uuid.uuid4(), patch=fields, user_id=couns_id))
    tampered["patch"] = {**fields, "note": "changed on the way"}
    r = desk.push([good, tampered])
    assert [x["reason"] for x in r.json()["rejected"]] == ["author_unproven"], r.text
    # her key signs only on the device it was registered for
    elsewhere = Counsellor(other, couns_name, couns_id)
    elsewhere.key, elsewhere.key_id = her.key, her.key_id
    r = other.push([elsewhere.sign(other.op("counselling_note", uuid.uuid4(), patch=fields,
                                            user_id=couns_id))])
    assert [x["reason"] for x in r.json()["rejected"]] == ["author_unproven"]
    # the author named inside the note must be the signer
    fake_author = {**fields, "counsellor_id": str(uuid.uuid4())}
    r = desk.push([her.sign(desk.op("counselling_note", uuid.uuid4(), patch=fake_author,
                                    user_id=couns_id))])
    assert [x["reason"] for x in r.json()["rejected"]] == ["unknown_reference"]

    # pull: naming her is not enough any more; her fresh signature is
    desk.user = couns_id
    assert _pull_notes(desk, None) == []
    assert _pull_notes(desk, her.pull_proof(time.time_ns() // 1_000_000 - 3_600_000)) == []
    assert _pull_notes(desk, "x" + her.pull_proof()[1:]) == []
    assert [row["entity_id"] for row in _pull_notes(desk, her.pull_proof())] == [note]
    other.user = couns_id
    assert _pull_notes(other, elsewhere.pull_proof()) == []

    # revoking the staff account ends it: writes and reads
    hq.execute("UPDATE jisr_hq_staffaccount SET active = ? WHERE id = ?", False, hq.uid(couns_id))
    r = desk.push([her.sign(desk.op("counselling_note", uuid.uuid4(), patch=fields,
                                    user_id=couns_id))])
    assert [x["reason"] for x in r.json()["rejected"]] == ["author_not_member"]
    assert _pull_notes(desk, her.pull_proof()) == []


def test_staff_hashes_only_for_staff_who_may_sign_in_there(
    hq: HqServer, enroll: Callable[..., SimDesktop]
) -> None:
    code, codes = hq.new_center(codes=1, counselling=True)
    plain_code = hq.cli("enrollment-code", "--center", code).stdout.strip()
    ids = {role: _staff(hq, code, role)[1] for role in ("counsellor", "receptionist", "admin")}

    def staff(desk: SimDesktop) -> dict[str, dict[str, Any]]:
        return {row["entity_id"]: row["fields"] for row in desk.pull_all()
                if row["entity"] == "ref.staff"}

    reception = staff(enroll(plain_code))
    counselling = staff(enroll(codes[0]))
    assert reception[ids["receptionist"]]["password_hash"].startswith("$argon2")
    assert counselling[ids["counsellor"]]["password_hash"].startswith("$argon2")
    for role, seen in (("counsellor", reception), ("admin", reception), ("admin", counselling)):
        assert (seen[ids[role]]["password_hash"], seen[ids[role]]["active"]) == ("", False), role


def test_referenced_ids_must_be_of_the_device_s_center(
    hq: HqServer, enroll: Callable[..., SimDesktop]
) -> None:
    _code, codes = hq.new_center(codes=1)
    _other_code, other_codes = hq.new_center(codes=1)
    desk = enroll(codes[0])
    foreign = enroll(other_codes[0])
    theirs = _person(foreign)
    mine = _person(desk)
    household = str(uuid.uuid4())
    ops = [
        desk.op("household", household, patch={"name": "Amrani"}),
        desk.op("household_member", uuid.uuid4(), patch={
            "household_id": household, "person_id": theirs, "relationship": "head"}),
        desk.op("household_member", uuid.uuid4(), patch={
            "household_id": household, "person_id": str(uuid.uuid4()), "relationship": "child"}),
        desk.op("visit", uuid.uuid4(), "event", {
            "person_id": theirs, "visited_at": "2026-03-02T10:15:00+00:00", "day": "2026-03-02",
            "program_code": "rsu", "channel": "in_person", "outcome": "informed"}),
        desk.op("household_member", uuid.uuid4(), patch={
            "household_id": household, "person_id": mine, "relationship": "head"}),
    ]
    r = desk.push(ops)
    assert r.status_code == 200 and r.json()["acked_through"] == ops[-1]["seq"]
    assert [(x["seq"], x["reason"]) for x in r.json()["rejected"]] == [
        (ops[1]["seq"], "unknown_reference"), (ops[2]["seq"], "unknown_reference"),
        (ops[3]["seq"], "unknown_reference")]
    assert p.REJECT_REASONS[-1] == "unknown_reference"
