"""Real desktops for the sync tests: an encrypted database in its own data root, local staff
accounts, a hand-moved clock, and the real `SyncClient` talking to a real HQ subprocess."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

import jisr_protocol as p
from jisr_desktop.context import SYSTEM_USER, Context, User
from jisr_desktop.db.connection import open_database
from jisr_desktop.services import accounts
from jisr_desktop.services.center import create_center
from jisr_desktop.sync.client import SyncClient, SyncReport
from tests.fixtures import START, FakeClock
from tests.hq.hqkit import HqServer

SKIP_COLUMNS = {"rid", "rev", "dirty", "created_at", "updated_at"}


@dataclass
class Desk:
    name: str
    home: Path
    db: sqlite_utils.Database
    clock: FakeClock
    coordinator: User
    receptionist: User

    @classmethod
    def create(cls, home: Path, name: str, *, local_center: bool = True,
               start: datetime = START) -> Desk:
        home.mkdir(parents=True, exist_ok=True)
        db = open_database(home, create=True)
        clock = FakeClock(start)
        system = Context(db=db, user=SYSTEM_USER, clock=clock)
        if local_center:
            create_center(ctx=system, code="LOC01", name_fr="Centre local", name_ar="مركز محلي",
                          province_code="04.421")
        coord = accounts.create_account(ctx=system, username=f"coord-{name}",
                                        display_name="Coord", role="coordinator",
                                        password="correct horse")
        recep = accounts.create_account(ctx=system, username=f"recep-{name}",
                                        display_name="Recep", role="receptionist",
                                        password="correct horse")
        return cls(name, home, db, clock, coord, recep)

    def ctx(self, user: User | None = None) -> Context:
        return Context(db=self.db, user=user or self.receptionist, clock=self.clock)

    @property
    def coord(self) -> Context:
        return self.ctx(self.coordinator)

    def client(self, user: User | None = None) -> SyncClient:
        return SyncClient(self.db, user=user or self.receptionist, clock=self.clock)

    def enroll(self, hq: HqServer, code: str) -> None:
        """Enroll with HQ's pin (HQ's codes carry it too; a bare code works as well)."""
        self.client().enroll(hq.base_url, code, device_name=self.name, pin=hq.pin)

    def sync(self) -> SyncReport:
        return self.client().sync()

    def close(self) -> None:
        self.db.close()

    # -- content ---------------------------------------------------------------------------

    def content(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Every synced table as {id: {column: value}} (local bookkeeping columns left out)."""
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for table in (*p.RECORD_ENTITIES, *p.EVENT_ENTITIES):
            cur = self.db.execute(f"SELECT * FROM {table} ORDER BY id")
            names = [c[0] for c in cur.description]
            out[table] = {}
            for r in cur.fetchall():
                row = {k: v for k, v in zip(names, r, strict=True) if k not in SKIP_COLUMNS}
                out[table][row.pop("id")] = row
        return out

    def conflicts(self) -> dict[str, tuple[Any, ...]]:
        return {r[0]: tuple(r[1:]) for r in self.db.execute(
            "SELECT id, entity, entity_id, field, reason, winner_value, loser_value, resolution"
            " FROM conflict ORDER BY id").fetchall()}


def hq_content(hq: HqServer) -> dict[tuple[str, str], tuple[dict[str, Any], bool]]:
    """HQ's records and events as {(entity, id): (fields, deleted)}."""
    out: dict[tuple[str, str], tuple[dict[str, Any], bool]] = {}
    for entity, entity_id, fields, deleted in hq.query(
            "SELECT entity, entity_id, fields, deleted FROM jisr_hq_record"):
        out[(entity, str(_uuid(entity_id)))] = (_json(fields), bool(deleted))
    for entity, entity_id, fields in hq.query("SELECT entity, entity_id, fields FROM jisr_hq_event"):
        out[(entity, str(_uuid(entity_id)))] = (_json(fields), False)
    return out


def hq_execute(hq: HqServer, sql: str, *params: Any) -> None:
    """Write to HQ's database behind its back (SQLite or PostgreSQL; `?` placeholders)."""
    if hq.backend == "sqlite":
        con = sqlite3.connect(hq.home / "hq.sqlite3", timeout=30)
        try:
            con.execute(sql, params)
            con.commit()
        finally:
            con.close()
        return
    import psycopg

    with psycopg.connect(hq.database_url) as pg:
        pg.execute(sql.replace("?", "%s"), params)  # type: ignore[arg-type]


def _uuid(value: Any) -> str:
    import uuid

    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


def _json(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value)


def assert_same_as_hq(desk: Desk, hq: HqServer, center_entities: set[tuple[str, str]]) -> None:
    """Every HQ row of the center is on the desktop with the same values, and back."""
    content = desk.content()
    at_hq = {k: v for k, v in hq_content(hq).items() if k in center_entities}
    local = {(t, i) for t, rows in content.items() for i in rows}
    assert local == set(at_hq), f"{desk.name}: rows differ from HQ"
    for (entity, entity_id), (fields, deleted) in at_hq.items():
        row = content[entity][entity_id]
        for name, value in fields.items():
            if name == "deleted" or name not in row:
                continue
            assert row[name] == value, f"{desk.name}: {entity}.{name} of {entity_id}"
        if "deleted" in row:
            assert bool(row["deleted"]) == deleted, f"{desk.name}: {entity} {entity_id} deleted"


def differences(a: Desk, b: Desk) -> list[str]:
    """Readable differences between two desktops' content (empty when identical)."""
    out: list[str] = []
    ca, cb = a.content(), b.content()
    for table in ca:
        for entity_id in sorted(set(ca[table]) | set(cb[table])):
            ra, rb = ca[table].get(entity_id), cb[table].get(entity_id)
            if ra is None or rb is None:
                out.append(f"{table} {entity_id}: only on {a.name if rb is None else b.name}")
                continue
            out += [f"{table} {entity_id}.{k}: {a.name}={ra[k]!r} {b.name}={rb.get(k)!r}"
                    for k in ra if ra[k] != rb.get(k)]
    return out
