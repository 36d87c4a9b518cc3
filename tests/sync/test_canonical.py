"""Canonical JSON and op digests: what HQ's receipts and event dedup compare."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

import jisr_protocol as p

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(values)
def test_canonical_json_is_byte_for_byte_json_dumps(value: object) -> None:
    """Stored event digests were made with json.dumps: the fast path must not change them."""
    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert p.canonical_json(value) == expected.encode()


OP = {
    "op_id": "0b7c8a8e-1c53-4d3e-9a52-3d0e2f1c0a11",
    "device_id": "5f2d3c1b-8a9e-4b7c-a6d5-e4f3a2b1c0d9",
    "epoch": 2,
    "seq": 17,
    "entity": "person",
    "entity_id": "c1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b",
    "kind": "upsert",
    "patch": {"given_name_ar": "فاطمة", "phone": "0612345678", "sex": "F", "household_id": None},
    "base": {"phone": "1733000000000:0000:5f2d3c1b-8a9e-4b7c-a6d5-e4f3a2b1c0d9"},
    "schema_v": 1,
    "user_id": None,
    "hlc": "1733000000001:0000:5f2d3c1b-8a9e-4b7c-a6d5-e4f3a2b1c0d9",
}


def test_digest_v1_is_unchanged() -> None:
    """Receipts written before version 2 hold this digest (computed by the original code)."""
    op = p.Op.model_validate_json(json.dumps(OP))
    assert op.digest_v1() == "889bd850268d7b49f128f2b091028e176ca8a22e7d90f14d3b30a21dd92ff7ac"


def test_digest_ignores_key_order_and_sees_every_field() -> None:
    op = p.Op.model_validate_json(json.dumps(OP))
    patch: dict[str, object] = dict(OP["patch"])  # type: ignore[call-overload]
    reordered = dict(OP, patch=dict(reversed(list(patch.items()))))
    assert p.Op.model_validate_json(json.dumps(reordered)).digest() == op.digest()
    assert len(op.digest()) == 32
    for name, other in [
        ("seq", 18),
        ("epoch", 3),
        ("kind", "delete"),
        ("entity_id", "c1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5c"),
        ("op_id", "0b7c8a8e-1c53-4d3e-9a52-3d0e2f1c0a12"),
        ("patch", {"phone": "0612345679"}),
        ("base", {}),
        ("user_id", "u1"),
        ("hlc", "1733000000002:0000:5f2d3c1b-8a9e-4b7c-a6d5-e4f3a2b1c0d9"),
    ]:
        changed = p.Op.model_validate_json(json.dumps(dict(OP, **{name: other})))
        assert changed.digest() != op.digest(), name
