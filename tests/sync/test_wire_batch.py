"""The push body SQLite writes (`ledger.load_wire_batch`) is the PushRequest the pydantic
path builds from the same outbox rows: same ops, same cuts."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import jisr_protocol as p
from jisr_desktop import ledger
from jisr_desktop.services import registry
from tests.sync.deskkit import Desk

DEVICE = str(uuid.UUID(int=42))


def _expected(desk: Desk, after: int, limit: int) -> list[p.Op]:
    return ledger.load_ops(desk.db, DEVICE, 1, after, limit=limit)


def test_wire_batches_equal_the_pydantic_batches(desks: Callable[..., Desk]) -> None:
    desk = desks("A")
    ctx = desk.coord
    names = ["فاطمة الزهراء", "Zoë \"Z\" O'Neil", "Aït Ben\\Haddou", "Ḥamza\u200f", "Omar"]
    ids = [
        registry.register_person(ctx=ctx, data={
            "given_name_ar" if "\u0600" <= n[0] <= "\u06ff" else "given_name_lat": n,
            "family_name_lat": f"F{i}", "sex": "F" if i % 2 else "M"}).id
        for i, n in enumerate(names * 3)
    ]
    registry.update_person(ctx=ctx, person_id=ids[0], data={"phone": "0612345678"})
    # an op whose patch holds a list (older rows; sent as JSON text, like the ledger's outbox)
    seq = desk.db.execute("SELECT max(seq) + 1 FROM outbox WHERE epoch = 1").fetchone()[0]
    desk.db.execute(
        "INSERT INTO outbox(epoch, seq, op_id, entity, entity_id, kind, patch, base, schema_v,"
        " user_id, hlc, created_at) SELECT epoch, ?, ?, entity, entity_id, kind, ?, '{}',"
        " schema_v, user_id, hlc, created_at FROM outbox WHERE epoch = 1 AND seq = 1",
        [seq, str(uuid.uuid4()), json.dumps({"tags": ["a", "ب"], "n": 1.5, "ok": True})])
    total = desk.db.execute("SELECT count(*) FROM outbox WHERE epoch = 1").fetchone()[0]
    assert total > 16

    after = 0
    while True:
        wire = ledger.load_wire_batch(desk.db, DEVICE, 1, after, max_ops=7)
        if wire is None:
            break
        got = p.PushRequest.model_validate_json(wire.body, strict=True)
        ops = _expected(desk, after, 7)
        assert got == p.PushRequest(protocol_v=p.PROTOCOL_VERSION, device_id=uuid.UUID(DEVICE),
                                    epoch=1, first_seq=after + 1, ops=ops)
        assert (wire.first_seq, wire.last_seq, wire.count) == (after + 1, ops[-1].seq, len(ops))
        after = wire.last_seq
    assert after == total


def test_wire_batches_are_cut_at_the_size_bound(desks: Callable[..., Desk]) -> None:
    desk = desks("B")
    ctx = desk.coord
    for i in range(30):
        registry.register_person(ctx=ctx, data={"given_name_lat": "N" * (i + 1),
                                               "family_name_lat": "Cut"})
    ops = _expected(desk, 0, 1000)
    bound = 3 * len(ops[0].model_dump_json())
    after, cuts = 0, []
    while (wire := ledger.load_wire_batch(desk.db, DEVICE, 1, after,
                                          max_json_bytes=bound)) is not None:
        cuts.append(wire.count)
        body = json.loads(wire.body)
        assert sum(len(json.dumps(op, separators=(",", ":"), ensure_ascii=False))
                   for op in body["ops"][:-1]) <= bound
        after = wire.last_seq
    assert sum(cuts) == len(ops) and len(cuts) > 5
    assert ledger.load_wire_batch(desk.db, DEVICE, 1, after) is None
