"""Compact, negotiated transfers (docs/sync.md, "Compact transfers"; issue 16, point 2).

Against a real HQ on loopback (SQLite and PostgreSQL): a desktop of today offers zstd and
HQ chooses it, both ways; an older gzip-only desktop keeps working against the same HQ; a
client offering no coding gets identity; corrupt, truncated and bomb bodies are refused with
a JSON error naming the coding; push batches are cut by compressed bytes. What crossed the
wire is read from the HTTP messages themselves (httpx's event hooks on the real transport).
"""

from __future__ import annotations

import gzip
import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import httpx
import pytest
import zstandard

from jisr_desktop import ledger
from jisr_desktop.services import registry
from jisr_desktop.sync.client import SyncClient
from jisr_desktop.sync.transport import SyncTransport
from tests.hq.hqkit import HqServer, SimDesktop
from tests.sync.deskkit import Desk, assert_same_as_hq, hq_content


@dataclass(frozen=True)
class Seen:
    """One HTTP exchange as it was on the wire."""

    path: str
    body_coding: str
    body_bytes: int
    answer_coding: str
    status: int


class Recording(SyncTransport):
    """The real transport; every exchange's codings and body size are noted in `wire`."""

    def __init__(self, *args: Any, wire: list[Seen], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wire = wire
        self._client.event_hooks = {"request": [], "response": [self._seen]}

    def _seen(self, response: httpx.Response) -> None:
        request = response.request
        self._wire.append(Seen(
            request.url.path.rsplit("/", 1)[-1],
            request.headers.get("Content-Encoding", "identity"),
            len(request.content),
            response.headers.get("Content-Encoding", "identity"),
            response.status_code,
        ))


def _client(desk: Desk, wire: list[Seen], **transport: Any) -> SyncClient:
    return SyncClient(desk.db, user=desk.receptionist, clock=desk.clock,
                      transport_factory=partial(Recording, wire=wire, **transport))


def _register(desk: Desk, name: str, count: int, notes: Callable[[int], str] | None = None
              ) -> list[str]:
    return [registry.register_person(ctx=desk.coord, data={
        "given_name_lat": f"{name}{i}", "family_name_lat": name, "sex": "F" if i % 2 else "M",
        **({"notes": notes(i)} if notes else {})}).id for i in range(count)]


def _center_entities(hq: HqServer, desk: Desk) -> set[tuple[str, str]]:
    center = desk.db.execute("SELECT value FROM meta WHERE key = 'center_id'").fetchone()[0]
    return {(entity, str(uuid.UUID(str(entity_id)))) for table in ("record", "event")
            for entity, entity_id in hq.query(
                f"SELECT entity, entity_id FROM jisr_hq_{table} WHERE center_id = ?",
                hq.uid(center))}


def test_zstd_and_gzip_desktops_against_the_same_hq(hq: HqServer, desks: Callable[..., Desk]
                                                    ) -> None:
    _code, codes = hq.new_center(codes=2)
    new, old = desks("New"), desks("Old")
    new_wire: list[Seen] = []
    old_wire: list[Seen] = []
    _client(new, new_wire).enroll(hq.base_url, codes[0], device_name="new", pin=hq.pin)
    _client(old, old_wire, codings=("gzip",)).enroll(hq.base_url, codes[1], device_name="old",
                                                      pin=hq.pin)
    _register(new, "Zed", 40)
    _register(old, "Gee", 40)
    assert _client(new, new_wire).sync().pushed == 40
    old_first = _client(old, old_wire, codings=("gzip",)).sync()
    assert (old_first.pushed, old_first.pulled >= 40) == (40, True)  # gets the new one's 40
    assert _client(new, new_wire).sync().pulled >= 40  # and the new one the old one's

    # today's desktop: pushes in zstd from its first batch (HQ said so at enrollment) and
    # receives zstd; the old one sends and receives gzip only, and HQ reads both
    assert {(s.path, s.body_coding) for s in new_wire if s.path == "push"} == {("push", "zstd")}
    assert {s.answer_coding for s in new_wire if s.path == "pull"} == {"zstd"}
    assert {s.body_coding for s in old_wire if s.path in ("push", "enroll")} == {"gzip"}
    assert {s.answer_coding for s in old_wire if s.path == "pull"} == {"gzip"}
    assert all(s.status == 200 for s in new_wire + old_wire)
    assert ledger.pending_count(new.db) == ledger.pending_count(old.db) == 0
    entities = _center_entities(hq, new)
    assert len([k for k in entities if k[0] == "person"]) == 80
    assert_same_as_hq(new, hq, entities)
    assert_same_as_hq(old, hq, entities)


@pytest.fixture(scope="module")
def sim_codes(hq: HqServer) -> list[str]:
    """Codes of one center for the protocol-level tests (they share it: each its own ids)."""
    return hq.new_center(codes=5)[1]


def _written_by_another(hq: HqServer, code: str, prefix: str, count: int) -> None:
    """Persons pushed by another desktop of the center (a device's own rows may not come back
    in its own pull)."""
    other = SimDesktop.enroll(hq.base_url, code)
    try:
        ops = [other.op("person", f"{prefix}{i:04d}-0000-7000-8000-000000000000",
                        patch={"given_name_lat": f"P{i}", "family_name_lat": prefix})
               for i in range(count)]
        assert other.push(ops).status_code == 200
    finally:
        other.close()


def test_a_client_offering_no_coding_gets_identity(hq: HqServer, sim_codes: list[str]) -> None:
    _written_by_another(hq, sim_codes[3], "0190", 20)
    desk = SimDesktop.enroll(hq.base_url, sim_codes[0])
    try:
        answers = {}
        for accept in ("identity", "gzip;q=0, zstd;q=0", "zstd;q=0.5, gzip", "*", "zstd, gzip"):
            with desk.http.stream("GET", "/pull", params={"cursor": "", "limit": 50},
                                  headers={**desk.headers, "Accept-Encoding": accept}) as r:
                raw = b"".join(r.iter_raw())
                assert r.status_code == 200
                answers[accept] = r.headers.get("Content-Encoding", "identity")
                # HQ says which codings it reads in bodies (RFC 7694), whatever it answered in
                assert r.headers["Accept-Encoding"] == "zstd, gzip"
            if answers[accept] == "identity":
                assert len(json.loads(raw)["rows"]) >= 20
        assert answers == {"identity": "identity", "gzip;q=0, zstd;q=0": "identity",
                           "zstd;q=0.5, gzip": "gzip", "*": "zstd", "zstd, gzip": "zstd"}
    finally:
        desk.close()


def _zstd(data: bytes, **params: Any) -> bytes:
    return zstandard.ZstdCompressor(**params).compress(data)


def _streamed_zstd(data: bytes, **params: Any) -> bytes:
    """A zstd frame that does not say its size in its header (as a stream writes it)."""
    return _zstd(data, write_content_size=False, **params)


def test_bad_bodies_are_refused_in_plain_words(hq: HqServer, sim_codes: list[str]) -> None:
    desk = SimDesktop.enroll(hq.base_url, sim_codes[1])
    try:
        good = json.dumps(desk.batch([desk.op(
            "person", "01900000-0000-7000-8000-0000000000aa",
            patch={"given_name_lat": "Good", "family_name_lat": "Body"})])).encode()
        bomb = b" " * (20 * 1024 * 1024)
        streaming = zstandard.ZstdCompressor(compression_params=zstandard.ZstdCompressionParameters(
            window_log=27)).compressobj()  # a stream of unknown size keeps its 128 MiB window
        wide = streaming.compress(good) + streaming.flush()
        cases = [
            (b"(\xb5/\xfd garbage that is no frame", "zstd", 415, "bad_encoding", "not valid zstd"),
            (_zstd(good)[:-6], "zstd", 415, "bad_encoding", "truncated zstd"),
            (_zstd(good) + b"tail", "zstd", 415, "bad_encoding", "after its zstd frame"),
            (_zstd(good) + _zstd(good), "zstd", 415, "bad_encoding", "after its zstd frame"),
            (_zstd(bomb), "zstd", 413, "too_large", "zstd"),
            (_streamed_zstd(bomb), "zstd", 413, "too_large", "zstd"),
            (wide, "zstd", 415, "bad_encoding", "window"),
            (gzip.compress(good) + b"tail", "gzip", 415, "bad_encoding", "after its gzip stream"),
            (gzip.compress(bomb), "gzip", 413, "too_large", "gzip"),
            (good, "br", 415, "bad_encoding", "HQ reads zstd, gzip"),
        ]
        for body, coding, status, code, words in cases:
            r = desk.post("/push", body, gzip_body=False, headers={"Content-Encoding": coding})
            assert (r.status_code, r.json()["code"]) == (status, code), (coding, words, r.text)
            assert words in r.json()["message"], (coding, r.json())
        # nothing of the above was applied, HQ is well, and it reads a sound zstd body
        assert not _good(hq)
        r = desk.post("/push", _streamed_zstd(good), gzip_body=False,
                      headers={"Content-Encoding": "zstd"})
        assert r.status_code == 200, r.text
        assert r.json()["acked_through"] == 1
        assert _good(hq)
    finally:
        desk.close()


def _good(hq: HqServer) -> bool:
    return ("person", "01900000-0000-7000-8000-0000000000aa") in hq_content(hq)


def test_push_batches_are_cut_by_compressed_bytes(hq: HqServer, desks: Callable[..., Desk]
                                                  ) -> None:
    _code, codes = hq.new_center(codes=1)
    desk = desks("Big")
    wire: list[Seen] = []
    _client(desk, wire).enroll(hq.base_url, codes[0], device_name="big", pin=hq.pin)
    rng = random.Random(16)
    # notes that compress badly (random hex): ~1 KB each once compressed
    ids = _register(desk, "Heavy", 60, lambda i: f"{rng.getrandbits(4 * 1900):01900x}")
    ops = ledger.load_ops(desk.db, str(uuid.UUID(int=1)), ledger.epoch(desk.db), 0, limit=1000)
    one_op = max(len(_zstd(op.model_dump_json().encode(), level=9)) for op in ops)
    client = _client(desk, wire)
    client.push_batch_bytes = target = 12 * 1024
    report = client.sync()
    pushes = [s for s in wire if s.path == "push"]
    assert report.pushed == len(ops) >= len(ids) and not report.rejected
    assert all(s.status == 200 and s.body_coding == "zstd" for s in pushes)
    sizes = [s.body_bytes for s in pushes]
    # each batch about the target (the ratio is measured on the batch before): a 500-op
    # (or 1 MiB JSON) batch would be ~60 KB
    assert max(sizes) <= target * 1.25 + one_op, sizes
    assert len(pushes) >= sum(sizes) // (target + one_op) >= 4, sizes
    # acknowledgements are per batch as before: everything acknowledged, nothing sent again
    assert ledger.pending_count(desk.db) == 0
    wire.clear()
    again = _client(desk, wire).sync()
    assert (again.pushed, [s.path for s in wire]) == (0, ["pull"])
    entities = _center_entities(hq, desk)
    assert {i for e, i in entities if e == "person"} == set(ids)
    assert_same_as_hq(desk, hq, entities)


def test_answers_in_each_coding_decode_to_the_same_page(hq: HqServer, sim_codes: list[str]
                                                         ) -> None:
    """HQ's zstd and gzip answers carry the very page it sends uncompressed."""
    _written_by_another(hq, sim_codes[4], "0191", 30)
    desk = SimDesktop.enroll(hq.base_url, sim_codes[2])
    try:
        pages = {}
        for coding in ("zstd", "gzip", "identity"):
            with desk.http.stream("GET", "/pull", params={"cursor": "", "limit": 100},
                                  headers={**desk.headers, "Accept-Encoding": coding}) as r:
                raw = b"".join(r.iter_raw())
                assert r.headers.get("Content-Encoding", "identity") == coding
            decoded = (zstandard.ZstdDecompressor().decompressobj().decompress(raw)
                       if coding == "zstd" else gzip.decompress(raw) if coding == "gzip" else raw)
            page = json.loads(decoded)
            page.pop("server_hlc")
            pages[coding] = page
        assert pages["zstd"] == pages["gzip"] == pages["identity"]
        assert len(pages["zstd"]["rows"]) >= 10
    finally:
        desk.close()


def test_an_hq_that_no_longer_reads_zstd_gets_gzip_again(hq: HqServer,
                                                         desks: Callable[..., Desk]) -> None:
    """A desktop that learnt zstd, against an HQ speaking gzip only (rolled back, or
    JISR_HQ_NO_ZSTD=1): the refused body goes again in gzip, once, and nothing is lost."""
    _code, codes = hq.new_center(codes=1)
    desk = desks("Back")
    wire: list[Seen] = []
    _client(desk, wire).enroll(hq.base_url, codes[0], device_name="back", pin=hq.pin)
    ids = _register(desk, "Back", 5)
    hq.stop()
    hq.start(JISR_HQ_NO_ZSTD="1")
    try:
        wire.clear()
        report = _client(desk, wire).sync()
        assert [(s.body_coding, s.status) for s in wire if s.path == "push"] == [
            ("zstd", 415), ("gzip", 200)]
        assert {s.answer_coding for s in wire if s.path == "pull"} <= {"gzip", "identity"}
        assert report.pushed == len(ids) and ledger.pending_count(desk.db) == 0
        wire.clear()
        ids += _register(desk, "Later", 2)
        assert _client(desk, wire).sync().pushed == 2
        assert [(s.body_coding, s.status) for s in wire if s.path == "push"] == [("gzip", 200)]
    finally:
        hq.stop()
        hq.start()
    assert {i for e, i in _center_entities(hq, desk) if e == "person"} == set(ids)
