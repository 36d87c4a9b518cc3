"""Trust: enrollment, revocation (docs/sync.md, guarantee 21), other-center pushes (18), the counselling
partition (20) and malicious payloads (22)."""

from __future__ import annotations

import gzip
import json
import uuid
from collections.abc import Callable, Iterator

import httpx

from jisr_protocol.sealed import USER_PROOF_HEADER
from tests.hq.hqkit import HqServer, SimDesktop
from tests.hq.sealkit import PASSWORD, Counsellor


def _records(hq: HqServer, center_code: str) -> int:
    return int(
        hq.scalar(
            "SELECT count(*) FROM jisr_hq_record r JOIN jisr_hq_center c ON c.id = r.center_id"
            " WHERE c.code = ?",
            center_code,
        )
    )


def test_enrollment_code_is_single_use_and_expires(
    hq: HqServer, center: tuple[str, list[str]]
) -> None:
    code = center[1][0]
    with httpx.Client(base_url=hq.base_url + "/api/sync") as client:
        body = {"protocol_v": 1, "code": code, "device_name": "reception"}
        assert client.post("/enroll", json=body).status_code == 200
        again = client.post("/enroll", json=body)
        assert again.status_code == 403 and again.json()["code"] == "bad_code"
        expired = hq.cli("enrollment-code", "--center", center[0], "--hours", "0").stdout.strip()
        r = client.post("/enroll", json={**body, "code": expired})
        assert r.status_code == 403
        assert client.post("/enroll", json={**body, "code": "NOPE-NOPE-NOPE"}).status_code == 403


def test_revoked_device_is_refused(hq: HqServer, desk: SimDesktop) -> None:  # 21
    assert (
        desk.push([desk.op("person", uuid.uuid4(), patch={"given_name_lat": "x"})]).status_code == 200
    )
    hq.cli("revoke-device", desk.device_id)
    r = desk.push([desk.op("person", uuid.uuid4(), patch={"given_name_lat": "y"})])
    assert r.status_code == 403 and r.json()["code"] == "device_revoked"
    assert desk.pull_page().status_code == 403
    # (the desktop keeps its data: HQ has no way to reach into it; its rows stay at HQ too)
    assert (
        hq.scalar(
            "SELECT high_water FROM jisr_hq_stream WHERE device_id = ?", hq.uid(desk.device_id)
        )
        == 1
    )


def test_wrong_or_missing_credentials(hq: HqServer, desk: SimDesktop) -> None:
    for headers in (
        {},
        {"X-Jisr-Device": desk.device_id, "X-Jisr-Secret": "guess"},
        {"X-Jisr-Device": "not-a-uuid", "X-Jisr-Secret": desk.secret},
    ):
        r = desk.http.get("/pull", headers={"X-Jisr-Protocol": "1", **headers})
        assert r.status_code == 401 and r.json()["code"] == "unauthenticated"


def test_push_for_another_center_is_refused_and_audited(
    hq: HqServer, center: tuple[str, list[str]], enroll: Callable[..., SimDesktop]
) -> None:  # 18
    other_code, other_codes = hq.new_center(codes=1)
    mine, theirs = enroll(center[1][0]), enroll(other_codes[0])
    their_row = uuid.uuid4()
    theirs.push([theirs.op("person", their_row, patch={"given_name_lat": "theirs"})])
    before_other = _records(hq, other_code)
    r = mine.push(
        [
            mine.op(
                "person", uuid.uuid4(), patch={"given_name_lat": "x", "center_id": theirs.center_id}
            ),
            mine.op("person", their_row, patch={"given_name_lat": "hijacked"}),
        ]
    )
    assert r.status_code == 200
    assert [x["reason"] for x in r.json()["rejected"]] == ["wrong_center", "entity_of_other_center"]
    assert _records(hq, center[0]) == 0 and _records(hq, other_code) == before_other
    theirs.pull_all()
    assert theirs.row("person", their_row)["fields"]["given_name_lat"] == "theirs"  # type: ignore[index]
    audit = hq.query(
        "SELECT status, applied, rejected FROM jisr_hq_pushaudit WHERE device_id = ?",
        hq.uid(mine.device_id),
    )
    assert audit == [("ok", 0, 2)]
    # a batch naming another device is refused whole, and audited too
    forged = mine.batch([mine.op("person", uuid.uuid4(), patch={"given_name_lat": "x"})])
    forged["device_id"] = theirs.device_id
    r = mine.post("/push", forged)
    assert r.status_code == 403 and r.json()["code"] == "device_mismatch"
    statuses = [
        s
        for (s,) in hq.query(
            "SELECT status FROM jisr_hq_pushaudit WHERE device_id = ?", hq.uid(mine.device_id)
        )
    ]
    assert statuses == ["ok", "device_mismatch"]


def test_counselling_partition_needs_the_role(
    hq: HqServer, enroll: Callable[..., SimDesktop]
) -> None:  # 20 (the proofs themselves: tests/hq/test_sealed.py)
    code, codes = hq.new_center(codes=2, counselling=True)
    plain_code = hq.cli("enrollment-code", "--center", code).stdout.strip()
    ids, names = {}, {}
    for name, role in (("couns", "counsellor"), ("recep", "receptionist")):
        names[name] = f"{name}-{uuid.uuid4().hex[:6]}"
        ids[name] = hq.cli(
            "add-staff",
            "--username",
            names[name],
            "--role",
            role,
            "--center",
            code,
            "--password",
            PASSWORD,
        ).stdout.strip()
    couns_desk = enroll(codes[0], user=ids["couns"])
    her = Counsellor(couns_desk, names["couns"], ids["couns"])
    assert her.register().status_code == 200
    note = uuid.uuid4()
    r = couns_desk.push(
        [
            her.sign(
                couns_desk.op(
                    "counselling_note", note, patch={"note": "confidential"}, user_id=ids["couns"]
                )
            ),
            couns_desk.op(
                "counselling_note", uuid.uuid4(), patch={"note": "x"}, user_id=ids["recep"]
            ),
            couns_desk.op("counselling_note", uuid.uuid4(), patch={"note": "x"}, user_id=None),
        ]
    )
    assert [x["reason"] for x in r.json()["rejected"]] == ["author_role", "author_not_member"]
    rows = couns_desk.http.get(
        "/pull",
        params={"cursor": "", "limit": 2000},
        headers={**couns_desk.headers, USER_PROOF_HEADER: her.pull_proof()},
    ).json()["rows"]
    couns_desk.apply_page({"rows": rows, "next_cursor": ""})
    assert couns_desk.row("counselling_note", note) is not None
    staff = [r for r in couns_desk.state.values() if r["entity"] == "ref.staff"]
    assert {s["fields"]["role"] for s in staff} == {"counsellor", "receptionist"}
    assert all(s["fields"]["password_hash"].startswith("$argon2") for s in staff)
    # the counsellor named without her proof: no case notes
    couns_desk.cursor = ""
    couns_desk.state.clear()
    couns_desk.pull_all()
    assert couns_desk.row("counselling_note", note) is None
    # same counselling device, receptionist signed in: no case notes
    recep_view = enroll(codes[1], user=ids["recep"])
    recep_view.pull_all()
    assert recep_view.row("counselling_note", note) is None
    # a reception device, even claiming the counsellor: no case notes, no counsellor's hash
    plain = enroll(plain_code, user=ids["couns"])
    plain.pull_all()
    assert plain.row("counselling_note", note) is None
    couns_row = plain.row("ref.staff", ids["couns"])
    assert couns_row is not None and couns_row["fields"]["password_hash"] == ""


def _chunks(total: int) -> Iterator[bytes]:
    block = b" " * 65536
    for _ in range(total // len(block)):
        yield block


def test_malicious_payloads_are_refused_and_hq_stays_healthy(
    hq: HqServer, desk: SimDesktop
) -> None:  # 22
    good_op = desk.op("person", uuid.uuid4(), patch={"given_name_lat": "ok"})
    desk.next_seq = 1
    batch = desk.batch([good_op])
    deep: str = "[" * 5000 + "]" * 5000
    cases: list[tuple[bytes, dict[str, str], int, str]] = [
        (b"{not json", {}, 400, "bad_json"),
        (json.dumps({**batch, "ops": [{**good_op, "evil": 1}]}).encode(), {}, 400, "invalid"),
        (json.dumps({**batch, "extra": 1}).encode(), {}, 400, "invalid"),
        (
            json.dumps({**batch, "ops": [{**good_op, "entity_id": "../../etc"}]}).encode(),
            {},
            400,
            "invalid",
        ),
        (json.dumps({**batch, "ops": [{**good_op, "seq": "1"}]}).encode(), {}, 400, "invalid"),
        (
            json.dumps({**batch, "ops": [{**good_op, "patch": {"a": {"b": [1]}}}]}).encode(),
            {},
            400,
            "invalid",
        ),
        (
            json.dumps({**batch, "ops": [{**good_op, "patch": {"a": "x" * 30000}}]}).encode(),
            {},
            400,
            "invalid",
        ),
        (json.dumps({**batch, "ops": [good_op] * 501}).encode(), {}, 400, "invalid"),
        (('{"ops": ' + deep + "}").encode(), {}, 400, "bad_json"),
        (b"\x1f\x8b garbage", {"Content-Encoding": "gzip"}, 415, "bad_encoding"),
        (b"{}", {"Content-Encoding": "br"}, 415, "bad_encoding"),
        (gzip.compress(b" " * (20 * 1024 * 1024)), {"Content-Encoding": "gzip"}, 413, "too_large"),
        (b" " * (3 * 1024 * 1024), {}, 413, "too_large"),
    ]
    for raw, headers, status, code in cases:
        r = desk.post("/push", raw, gzip_body=False, headers=headers)
        assert (r.status_code, r.json()["code"]) == (status, code), (raw[:60], r.text[:200])
    # a chunked body with no length is cut off while streaming
    r = desk.http.post("/push", content=_chunks(4 * 1024 * 1024), headers=desk.headers)
    assert r.status_code == 413
    assert _records_of(hq, desk) == 0
    assert desk.push([good_op]).json() | {"server_hlc": ""} == {
        "acked_through": 1,
        "server_hlc": "",
        "rejected": [],
    }
    assert desk.http.get("/ping").status_code == 200
    assert _records_of(hq, desk) == 1


def _records_of(hq: HqServer, desk: SimDesktop) -> int:
    return int(
        hq.scalar(
            "SELECT count(*) FROM jisr_hq_record r JOIN jisr_hq_device d ON d.center_id = r.center_id"
            " WHERE d.id = ?",
            hq.uid(desk.device_id),
        )
    )
