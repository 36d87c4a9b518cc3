"""Issue 12, points 2 and 9: every answer under /api/ is JSON of the error shape (404, 405),
a NUL never reaches PostgreSQL, and one bad op is rejected alone while the rest syncs."""

from __future__ import annotations

import uuid

from jisr_protocol import ErrorBody
from tests.hq.hqkit import HqServer, SimDesktop


def test_unknown_path_is_json_404(hq: HqServer, desk: SimDesktop) -> None:
    r = desk.http.get("/no-such-thing", headers=desk.headers)
    assert r.status_code == 404, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert ErrorBody.model_validate_json(r.content).code == "not_found"


def test_wrong_method_is_json_405(hq: HqServer, desk: SimDesktop) -> None:
    r = desk.http.get("/push", headers=desk.headers)
    assert r.status_code == 405, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert ErrorBody.model_validate_json(r.content).code == "method_not_allowed"
    assert "POST" in r.headers.get("allow", "")


def test_nul_op_rejected_alone_rest_syncs(hq: HqServer, desk: SimDesktop) -> None:
    good, bad, after = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    ops = [
        desk.op("person", good, patch={"given_name_lat": "Amina"}),
        desk.op("person", bad, patch={"given_name_lat": "Ami\x00na"}),
        desk.op("person", after, patch={"given_name_lat": "Yassine"}),
    ]
    r = desk.push(ops)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["acked_through"] == 3
    assert [(x["seq"], x["reason"]) for x in body["rejected"]] == [(2, "invalid_value")]
    desk.pull_all()
    assert desk.row("person", good) is not None and desk.row("person", after) is not None
    assert desk.row("person", bad) is None
    assert hq.scalar("SELECT count(*) FROM jisr_hq_record WHERE entity_id = ?", hq.uid(bad)) == 0
    # the stream moves on: the next batch is accepted
    nxt = desk.push([desk.op("person", uuid.uuid4(), patch={"given_name_lat": "Sara"})])
    assert nxt.status_code == 200 and nxt.json()["rejected"] == [], nxt.text


def test_nul_in_unknown_field_or_author_never_500(hq: HqServer, desk: SimDesktop) -> None:
    op = desk.op("person", uuid.uuid4(), patch={"given_name_lat": "A"})
    op["user_id"] = "coord\x00inator"
    r = desk.push([op])
    assert r.status_code in (200, 422), r.text
    assert r.headers["content-type"].startswith("application/json")
    if r.status_code == 200:
        assert r.json()["rejected"][0]["reason"] == "invalid_value"


def test_openapi_document_is_valid(hq: HqServer, desk: SimDesktop) -> None:
    from openapi_spec_validator import validate

    r = desk.http.get("/openapi.json")
    assert r.status_code == 200, r.text
    validate(r.json())
