"""The shared wire models: strict, bounded, and consistent with the entity registry."""

from __future__ import annotations

import json
import typing
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import jisr_protocol as p
from jisr_protocol.hlc import Timestamp

DEV = str(uuid.uuid4())


def _op(**kw: object) -> dict[str, object]:
    op: dict[str, object] = {
        "op_id": str(uuid.uuid4()),
        "device_id": DEV,
        "epoch": 1,
        "seq": 1,
        "entity": "person",
        "entity_id": str(uuid.uuid4()),
        "kind": "upsert",
        "patch": {"first_name": "A"},
        "base": {"first_name": None},
        "schema_v": 1,
        "user_id": None,
        "hlc": f"1790000000000:0000:{DEV}",
    }
    op.update(kw)
    return op


def test_entity_literal_matches_registry() -> None:
    assert set(typing.get_args(p.EntityName)) == set(p.ENTITIES)


def test_valid_op_round_trips_and_digest_is_stable() -> None:
    op = p.Op.model_validate_json(json.dumps(_op()))
    again = p.Op.model_validate_json(op.model_dump_json())
    assert op == again and op.digest() == again.digest()
    assert (
        op.digest() != p.Op.model_validate_json(json.dumps(_op(patch={"first_name": "B"}))).digest()
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"extra": 1},
        {"seq": 0},
        {"seq": "1"},
        {"epoch": True},
        {"entity": "payroll"},
        {"kind": "merge"},
        {"entity_id": "not-a-uuid"},
        {"patch": {"Bad-Name": 1}},
        {"patch": {"a": [1, 2]}},
        {"patch": {"a": "x" * (p.MAX_STRING_CHARS + 1)}},
        {"patch": {f"f{i}": 1 for i in range(p.MAX_FIELDS_PER_OP + 1)}},
        {"base": {"a": "yesterday"}},
        {"hlc": "12:34"},
        {"user_id": "u" * 65},
    ],
)
def test_bad_ops_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        p.Op.model_validate_json(json.dumps(_op(**bad)))


def test_batch_size_is_bounded() -> None:
    body = {
        "protocol_v": 1,
        "device_id": DEV,
        "epoch": 1,
        "first_seq": 1,
        "ops": [_op(seq=i + 1) for i in range(p.MAX_OPS_PER_BATCH + 1)],
    }
    with pytest.raises(ValidationError):
        p.PushRequest.model_validate_json(json.dumps(body))


def test_nan_and_deep_json_are_refused() -> None:
    with pytest.raises(ValidationError):
        p.Op.model_validate_json(json.dumps(_op(patch={"x": 1.5})).replace("1.5", "NaN"))
    with pytest.raises(ValidationError):
        p.Op.model_validate_json('{"patch":' + "[" * 1000 + "]" * 1000 + "}")


def test_cursor_round_trip_and_refusals() -> None:
    c = p.Cursor(3, 14, 0)
    assert p.Cursor.parse(str(c)) == c and p.Cursor.parse("") == p.Cursor()
    for bad in ["x", "1.2.3", "1.-1.0.0", "2.0.0.0", "1.0.0.0 ", "1." + "9" * 19 + ".0.0"]:
        with pytest.raises(ValueError):
            p.Cursor.parse(bad)


@given(
    wall=st.integers(0, 9_999_999_999_999),
    counter=st.integers(0, 0xFFFF),
    device=st.uuids().map(str) | st.sampled_from(["hq"]),
)
def test_every_hlc_timestamp_is_accepted_on_the_wire(wall: int, counter: int, device: str) -> None:
    text = str(Timestamp(wall, counter, device))
    op = p.Op.model_validate_json(json.dumps(_op(hlc=text, base={"first_name": text})))
    assert Timestamp.parse(op.hlc) == Timestamp(wall, counter, device)
