"""A forged `ref.staff` row in a pull answer (a proxy on the path, or a broken HQ) never takes
over a local account and never grants a role the desktop may not receive (docs/sync.md,
guarantee 27; docs/security.md, "Sealed notes"). Until this was fixed, such a row added an
administrator to the desktop and renamed the real local `coordinator` to `coordinator.local`.

The forged rows are added to HQ's real answer by the transport (where a proxy would add
them) and go through the real sync and pull-apply path, against a real HQ subprocess."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, ClassVar

import pytest

import jisr_protocol as p
from jisr_desktop.services import accounts
from jisr_desktop.sync.client import SyncClient
from jisr_desktop.sync.transport import SyncTransport
from tests.hq.hqkit import HqServer
from tests.sync.deskkit import Desk

ATTACKER = "attacker-password"


class InjectingTransport(SyncTransport):
    """The real transport, with rows added to every pull answer."""

    inject: ClassVar[list[dict[str, Any]]] = []

    def pull(self, cursor: str, limit: int = p.DEFAULT_PULL_LIMIT) -> p.PullResponse:
        page = super().pull(cursor, limit)
        rows = [p.Row.model_validate(row) for row in self.inject]
        return page.model_copy(update={"rows": [*rows, *page.rows]})


def _staff_row(center_id: str, username: str, role: str, *, staff_id: str | None = None,
               counter: int = 10**9) -> dict[str, Any]:
    return {"entity": "ref.staff", "entity_id": uuid.UUID(staff_id or str(uuid.uuid4())),
            "center_id": uuid.UUID(center_id), "clocks": {}, "deleted": False,
            "counter": counter,
            "fields": {"username": username, "full_name": "Forged", "role": role,
                       "password_hash": accounts.hash_password(ATTACKER), "active": True}}


def _accounts(desk: Desk) -> dict[str, tuple[str, str, str, int]]:
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in desk.db.execute(
        "SELECT username, id, role, source, active FROM user_account").fetchall()}


@pytest.fixture
def injecting() -> Callable[[list[dict[str, Any]]], type[InjectingTransport]]:
    def make(rows: list[dict[str, Any]]) -> type[InjectingTransport]:
        return type("Injecting", (InjectingTransport,), {"inject": rows})

    return make


def test_a_forged_staff_row_never_takes_over_a_local_account(
        hq: HqServer, desks: Callable[..., Desk],
        injecting: Callable[[list[dict[str, Any]]], type[InjectingTransport]]) -> None:
    code, codes = hq.new_center(codes=1)  # a reception desktop (not enrolled for counselling)
    hq_coord = f"hqcoord-{uuid.uuid4().hex[:6]}"
    hq.cli("add-staff", "--username", hq_coord, "--role", "coordinator", "--center", code,
           "--password", "hq-password-1")
    desk = desks("A")  # made locally first: its own center and coordinator
    local = accounts.create_account(ctx=desk.coord, username="coordinator", display_name="Local",
                                    role="coordinator", password="local-password")
    desk.enroll(hq, codes[0])
    center_id = str(desk.db.execute("SELECT value FROM meta WHERE key = 'center_id'").fetchone()[0])
    forged = [
        _staff_row(center_id, "coordinator", "admin"),  # takes the local name, as admin
        _staff_row(center_id, "root", "admin"),  # a new administrator
        _staff_row(center_id, "intruder", "coordinator", staff_id=local.id),  # the local id
        _staff_row(center_id, "sealed", "counsellor"),  # a counsellor's hash on reception
    ]
    report = SyncClient(desk.db, user=desk.receptionist, clock=desk.clock,
                        transport_factory=injecting(forged)).sync()

    seen = _accounts(desk)
    assert seen["coordinator"] == (local.id, "coordinator", "local", 1)
    assert "coordinator.local" not in seen and "root" not in seen and "intruder" not in seen
    assert not any(role == "admin" and source == "hq" for _id, role, source, _a in seen.values())
    assert accounts.sign_in(ctx=desk.ctx(), username="coordinator",
                            password="local-password").id == local.id
    for name in ("coordinator", "root", "intruder"):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(ctx=desk.ctx(), username=name, password=ATTACKER)
    # a counsellor's account comes without its hash and cannot sign in here
    assert seen["sealed"][2:] == ("hq", 0)
    assert desk.db.execute("SELECT password_hash FROM user_account WHERE username = 'sealed'"
                           ).fetchone()[0] in (None, "")
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(ctx=desk.ctx(), username="sealed", password=ATTACKER)
    # HQ's real accounts still arrive and work
    assert seen[hq_coord][2] == "hq"
    assert accounts.sign_in(ctx=desk.ctx(), username=hq_coord, password="hq-password-1")

    # the refused rows are kept aside with a reason the Sync screen can show, without hashes
    kept = desk.db.execute("SELECT entity, fields, problems FROM sync_quarantine ORDER BY id"
                           ).fetchall()
    assert [(e, problems) for e, _f, problems in kept] == [
        ("ref.staff", "ref.staff.username belongs to a local account of this desktop;"
                      " ref.staff.role admin is never given to a desktop by HQ"),
        ("ref.staff", "ref.staff.role admin is never given to a desktop by HQ"),
        ("ref.staff", "ref.staff.id is a local account of this desktop"),
    ]
    assert all("argon2" not in fields for _e, fields, _p in kept)
    assert report.quarantined == 3
