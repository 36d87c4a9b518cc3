"""docs/sync.md, guarantee 11: random work on three real desktops of one center, random sync order with
duplicated requests and lost answers; after everyone has synced, all replicas and HQ hold
identical content and the same conflicts. Examples are few and small (real databases, a real
HQ subprocess), with HQ on SQLite and on PostgreSQL (the `hq` fixture)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

import jisr_protocol as p
from jisr_desktop import errors, ledger
from jisr_desktop.services import registry, visits
from jisr_desktop.sync.client import SyncClient, SyncFailed
from jisr_desktop.sync.transport import HqUnreachable, SyncTransport
from tests.hq.hqkit import HqServer
from tests.sync.deskkit import Desk, assert_same_as_hq, differences, hq_content

DESKS = 3
FIELDS = ("phone", "address", "notes", "given_name_lat")
VALUES = {"phone": ("0611111111", "0622222222", "0633333333"),
          "address": ("Derb 1", "Derb 2", "Hay 3"),
          "notes": ("a", "b", "c"),
          "given_name_lat": ("Amina", "Sara", "Nadia")}


class FaultyTransport(SyncTransport):
    """Loses the answer of a push or a pull after HQ has acted, or sends a push twice."""

    def __init__(self, *args: Any, fault: str = "", **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fault = fault

    def push(self, req: p.PushRequest, *, pipelined: bool = False) -> p.PushResponse:
        answer = super().push(req, pipelined=pipelined)
        if self.fault == "duplicate":
            answer = super().push(req, pipelined=pipelined)
        if self.fault == "lose_push":
            self.fault = ""
            raise HqUnreachable("answer lost")
        return answer

    def pull(self, cursor: str, limit: int = p.DEFAULT_PULL_LIMIT) -> p.PullResponse:
        answer = super().pull(cursor, 3)  # small pages: more cursors to resume from
        if self.fault == "lose_pull":
            self.fault = ""
            raise HqUnreachable("answer lost")
        return answer


class ThreeDesktops(RuleBasedStateMachine):
    hq: HqServer

    @initialize()
    def setup(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="jisr-sync-stateful-"))
        _code, codes = self.hq.new_center(codes=DESKS)
        self.desks = [Desk.create(self.folder / f"d{i}", f"d{i}", local_center=i == 0)
                      for i in range(DESKS)]
        for desk, code in zip(self.desks, codes, strict=True):
            desk.enroll(self.hq, code)
        self.desks[0].sync()

    def teardown(self) -> None:
        for desk in getattr(self, "desks", []):
            desk.close()
        if hasattr(self, "folder"):
            shutil.rmtree(self.folder, ignore_errors=True)

    def _person(self, desk: Desk, pick: int) -> str | None:
        ids = sorted(desk.content()["person"])
        return ids[pick % len(ids)] if ids else None

    @rule(d=st.integers(0, DESKS - 1), given=st.sampled_from(("Ali", "Hind", "Omar")))
    def register(self, d: int, given: str) -> None:
        registry.register_person(ctx=self.desks[d].ctx(), data={
            "given_name_lat": given, "family_name_lat": f"D{d}"})

    @rule(d=st.integers(0, DESKS - 1), pick=st.integers(0, 9), field=st.sampled_from(FIELDS),
          v=st.integers(0, 2), minutes=st.integers(0, 30))
    def edit(self, d: int, pick: int, field: str, v: int, minutes: int) -> None:
        desk = self.desks[d]
        desk.clock.advance(minutes=minutes)
        person = self._person(desk, pick)
        if person is not None:
            with contextlib.suppress(errors.NotFound):
                registry.update_person(ctx=desk.ctx(), person_id=person,
                                       data={field: VALUES[field][v]})

    @rule(d=st.integers(0, DESKS - 1), pick=st.integers(0, 9), delete=st.booleans())
    def delete_or_restore(self, d: int, pick: int, delete: bool) -> None:
        desk = self.desks[d]
        person = self._person(desk, pick)
        if person is not None:
            ledger.write_record(desk.ctx(), "person", person, {"deleted": int(delete)},
                                 action="test_delete")

    @rule(d=st.integers(0, DESKS - 1), pick=st.integers(0, 9), text=st.sampled_from("xyz"))
    def outside_write(self, d: int, pick: int, text: str) -> None:
        """A row written outside the services: the trigger marks it dirty, sync sends it."""
        desk = self.desks[d]
        person = self._person(desk, pick)
        if person is not None:
            desk.db.execute("UPDATE person SET notes = ? WHERE id = ?", [text, person])

    @rule(d=st.integers(0, DESKS - 1), pick=st.integers(0, 9))
    def visit(self, d: int, pick: int) -> None:
        """The same visit id on two desktops (other details): HQ keeps the first."""
        desk = self.desks[d]
        person = self._person(desk, pick)
        if person is not None:
            with contextlib.suppress(errors.NotFound):
                visits.log_visit(ctx=desk.ctx(), visit_id=ledger.deterministic_id("v", person),
                                 data={"person_id": person, "program_code": "rsu",
                                       "channel": "in_person", "outcome": "informed"})

    @rule(d=st.integers(0, DESKS - 1),
          fault=st.sampled_from(("", "", "duplicate", "lose_push", "lose_pull")))
    def sync(self, d: int, fault: str) -> None:
        desk = self.desks[d]
        client = SyncClient(desk.db, user=desk.receptionist, clock=desk.clock,
                            transport_factory=lambda *a, **k: FaultyTransport(*a, fault=fault, **k))
        try:
            client.sync()
        except SyncFailed as exc:
            assert exc.code == "unreachable" and fault.startswith("lose")

    def converge(self) -> None:
        for _round in range(2):
            for desk in self.desks:
                desk.sync()
        first = self.desks[0]
        for desk in self.desks[1:]:
            assert differences(first, desk) == []
            assert desk.conflicts() == first.conflicts()
        ids = {(t, i) for t, rows in first.content().items() for i in rows}
        keys = {k for k in hq_content(self.hq) if k in ids}
        assert keys == ids
        for desk in self.desks:
            assert_same_as_hq(desk, self.hq, keys)


def test_three_desktops_converge(hq: HqServer) -> None:
    class Machine(ThreeDesktops):
        def teardown(self) -> None:
            try:
                if hasattr(self, "desks"):
                    self.converge()
            finally:
                super().teardown()

    Machine.hq = hq
    run_state_machine_as_test(Machine, settings=settings(
        max_examples=6, stateful_step_count=14, deadline=None, derandomize=True,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=list(HealthCheck)))
