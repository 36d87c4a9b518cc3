"""Applying a pulled page to the local database, in ONE transaction with its cursor.

HQ is the authority on merged state: it has already run field-level last-writer-wins over
every desktop's ops and logged the losers of concurrent edits. So a pulled record field
replaces the local one (value and clock), except a field this desktop has changed and HQ has
not acknowledged yet: that local edit is kept and HQ decides when it arrives. Events are
insert-only; tombstones stick (a row deleted at HQ is deleted here, unless a local
delete/restore is on its way). Applied rows bump `rev` (so the dirty trigger stays quiet) and
write no outbox op. Reference rows land in `center`, `program`, `workshop_category` and
`user_account` (source 'hq'); `sync.conflict` rows in `conflict`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from jisr_desktop.db import meta
from jisr_desktop.db.connection import transaction
from jisr_desktop.domain.person import search_columns
from jisr_desktop.sync import outbox
from jisr_desktop.sync import protocol as p
from jisr_desktop.sync.hlc import Timestamp

LIFE = "_deleted"


@dataclass
class Applied:
    rows: int = 0
    records: int = 0
    events: int = 0
    reference: int = 0
    conflicts: int = 0
    new_conflicts: list[str] = field(default_factory=list)
    max_clock: str = ""


class PageApplier:
    """Applies pages of one pull; caches table columns."""

    def __init__(self, db: sqlite_utils.Database, now_iso: str) -> None:
        self.db = db
        self.now = now_iso
        self._cols: dict[str, list[str]] = {}

    def cols(self, table: str) -> list[str]:
        if table not in self._cols:
            self._cols[table] = outbox.table_columns(self.db, table)
        return self._cols[table]

    def apply(self, page: p.PullResponse, result: Applied) -> None:
        with transaction(self.db):
            pending = outbox.unacked_fields(self.db)
            for row in page.rows:
                self._row(row, pending, result)
                for c in row.clocks.values():
                    if c > result.max_clock:
                        result.max_clock = c
            self.db.execute("UPDATE sync_state SET cursor = ? WHERE id = 1", [page.next_cursor])

    def _row(self, row: p.Row, pending: dict[tuple[str, str], set[str]], out: Applied) -> None:
        out.rows += 1
        entity, entity_id = row.entity, str(row.entity_id)
        if entity.startswith("ref."):
            out.reference += 1
            self._reference(entity[4:], entity_id, row)
        elif entity == "sync.conflict":
            if self._conflict(entity_id, row.fields):
                out.new_conflicts.append(entity_id)
                self._revert_lost_edit(row.fields)
            out.conflicts += 1
        elif entity in p.RECORD_ENTITIES:
            # center records and, pulled only while a counsellor is signed in on a counselling
            # desktop, the case notes of the counselling partition: same per-field rules
            out.records += 1
            self._record(entity, entity_id, row, pending.get((entity, entity_id), set()))
        elif entity in p.EVENT_ENTITIES:
            out.events += 1
            self._event(entity, entity_id, row.fields)
        # other entities (conflict_resolution events) have no local table

    # -- center rows -----------------------------------------------------------------------

    def _record(self, table: str, entity_id: str, row: p.Row, pending: set[str]) -> None:
        if "*" in pending and not row.deleted:
            # Written outside the services: its full-row op (made at the next sync, with a
            # clock past everything pulled) will win every field at HQ. Only a delete at HQ
            # is taken now, with HQ's fields (an edit of a deleted row never comes back).
            return
        cols = set(self.cols(table))
        values: dict[str, Any] = {}
        clocks: dict[str, str] = {}
        for name, value in row.fields.items():
            if name not in cols or name in outbox.NOT_SYNCED:
                continue
            incoming = row.clocks.get(name, "")
            if name in pending and self._local_wins(table, entity_id, name, incoming):
                continue
            values[name] = value
            if incoming:
                clocks[name] = incoming
        life = row.clocks.get(LIFE, "")
        if "deleted" not in pending or not self._local_wins(table, entity_id, "deleted", life):
            values["deleted"] = int(row.deleted)
            if life:
                clocks["deleted"] = life
        if "*" in pending:  # a deleted row: HQ's state replaces the outside write
            values["dirty"] = 0
        current = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", [entity_id])
        names = [c[0] for c in current.description]
        found = current.fetchone()
        local = dict(zip(names, found, strict=True)) if found else None
        if table == "person":
            merged = {**(local or {}), **values}
            values |= search_columns(merged, merged.get("file_no") or "")
        if local is None:
            full = {"id": entity_id, **values, "rev": 1, "dirty": 0,
                    "created_at": self.now, "updated_at": self.now}
            self.db.execute(
                f"INSERT INTO {table} ({', '.join(full)}) VALUES ({', '.join('?' * len(full))})",
                list(full.values()))
        else:
            changed = {k: v for k, v in values.items() if local.get(k) != v}
            if changed:
                changed |= {"rev": local["rev"] + 1, "updated_at": self.now}
                sets = ", ".join(f"{k} = ?" for k in changed)
                self.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?",
                                [*changed.values(), entity_id])
        for name, hlc in clocks.items():
            self.db.execute(
                "INSERT INTO field_clock(entity, entity_id, field, hlc) VALUES (?,?,?,?)"
                " ON CONFLICT(entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc",
                [table, entity_id, name, hlc])
        if "*" in pending:
            self.db.execute("DELETE FROM sync_dirty WHERE entity = ? AND entity_id = ?",
                            [table, entity_id])

    def _local_wins(self, table: str, entity_id: str, name: str, incoming: str) -> bool:
        """A local edit HQ has not acknowledged yet against HQ's value: the later clock
        wins, as it will at HQ (HQ's effective clock of our op is later than any value it
        held before receiving it, and our clock is merged with every value we pulled)."""
        row = self.db.execute(
            "SELECT hlc FROM field_clock WHERE entity = ? AND entity_id = ? AND field = ?",
            [table, entity_id, name]).fetchone()
        return bool(row) and (not incoming or row[0] > incoming)

    def _event(self, table: str, entity_id: str, fields: dict[str, Any]) -> None:
        cols = set(self.cols(table)) - {"rid", "id"}
        values = {k: v for k, v in fields.items() if k in cols}
        if self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [entity_id]).fetchone():
            # Insert only: HQ's copy is the first one recorded. The same fact recorded here
            # with other details (a deterministic id) was refused by HQ; take HQ's version.
            if values:
                sets = ", ".join(f"{k} = ?" for k in values)
                self.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?",
                                [*values.values(), entity_id])
            return
        if "created_at" in cols and not values.get("created_at"):
            values["created_at"] = self.now
        full = {"id": entity_id, **values}
        self.db.execute(
            f"INSERT INTO {table} ({', '.join(full)}) VALUES ({', '.join('?' * len(full))})",
            list(full.values()))

    def _conflict(self, conflict_id: str, f: dict[str, Any]) -> bool:
        """Store HQ's conflict row; True when it is new here."""
        new = self.db.execute("SELECT 1 FROM conflict WHERE id = ?", [conflict_id]).fetchone() is None
        self.db.execute(
            "INSERT INTO conflict(id, entity, entity_id, field, reason, winner_value, winner_clock,"
            " loser_value, loser_clock, loser_device, op_id, resolution, received_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
            " resolution = excluded.resolution",
            [conflict_id, f.get("entity"), f.get("entity_id"), f.get("field"), f.get("reason"),
             json.dumps(f.get("winner_value"), ensure_ascii=False), f.get("winner_clock") or "",
             json.dumps(f.get("loser_value"), ensure_ascii=False), f.get("loser_clock") or "",
             f.get("loser_device"), f.get("op_id"), f.get("resolution"), self.now])
        return new

    def _revert_lost_edit(self, f: dict[str, Any]) -> None:
        """HQ kept another value than one of OUR edits (stale, concurrent, or an edit of a
        deleted row): put HQ's value back here unless the field changed since."""
        table, entity_id, name = f.get("entity"), f.get("entity_id"), f.get("field")
        if table not in p.RECORD_ENTITIES or name not in set(self.cols(str(table))) \
                or name in outbox.NOT_SYNCED:
            return
        ours = self.db.execute("SELECT hlc FROM outbox WHERE op_id = ?", [f.get("op_id")]).fetchone()
        device = meta.get(self.db, "device_id")
        if not ours or not device or _device_of(f.get("loser_clock") or "") != device:
            return
        clock = self.db.execute(
            "SELECT hlc FROM field_clock WHERE entity = ? AND entity_id = ? AND field = ?",
            [table, entity_id, name]).fetchone()
        if not clock or clock[0] != ours[0]:
            return
        value = f.get("winner_value")
        if value is None:
            value = self._default(str(table), str(name))
        local = self.db.execute(f"SELECT rev FROM {table} WHERE id = ?", [entity_id]).fetchone()
        if local is None:
            return
        self.db.execute(f"UPDATE {table} SET {name} = ?, rev = rev + 1 WHERE id = ?",
                        [value, entity_id])
        if table == "person":
            cur = self.db.execute("SELECT * FROM person WHERE id = ?", [entity_id])
            row = dict(zip([c[0] for c in cur.description], cur.fetchone(), strict=True))
            search = search_columns(row, row.get("file_no") or "")
            self.db.execute(f"UPDATE person SET {', '.join(f'{k} = ?' for k in search)},"
                            " rev = rev + 1 WHERE id = ?", [*search.values(), entity_id])
        winner_clock = f.get("winner_clock") or ""
        if winner_clock:
            self.db.execute("UPDATE field_clock SET hlc = ? WHERE entity = ? AND entity_id = ?"
                            " AND field = ?", [winner_clock, table, entity_id, name])
        else:
            self.db.execute("DELETE FROM field_clock WHERE entity = ? AND entity_id = ?"
                            " AND field = ?", [table, entity_id, name])

    def _default(self, table: str, name: str) -> Any:
        for _cid, col, _type, notnull, default, _pk in self.db.execute(
                f"PRAGMA table_info({table})").fetchall():
            if col == name:
                if default is None:
                    return None
                text = str(default)
                if text.startswith("'"):
                    return text[1:-1].replace("''", "'")
                try:
                    return float(text) if "." in text else int(text)
                except ValueError:
                    return None if not notnull else text
        return None

    # -- reference rows --------------------------------------------------------------------

    def _reference(self, kind: str, entity_id: str, row: p.Row) -> None:
        f = row.fields
        if kind == "center":
            province = f.get("province_code")
            if not self.db.execute("SELECT 1 FROM admin_division WHERE code = ?",
                                   [province]).fetchone():
                province = None
            self.db.execute("DELETE FROM center WHERE code = ? AND id != ?", [f["code"], entity_id])
            self.db.execute(
                "INSERT INTO center(id, code, name_fr, name_ar, province_code) VALUES (?,?,?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET code = excluded.code, name_fr = excluded.name_fr,"
                " name_ar = excluded.name_ar, province_code = excluded.province_code",
                [entity_id, f["code"], f["name_fr"], f["name_ar"], province])
        elif kind == "program":
            self.db.execute(
                "INSERT INTO program(code, name_ar, name_fr, name_en, position, active)"
                " VALUES (?,?,?,?,?,?) ON CONFLICT(code) DO UPDATE SET name_ar = excluded.name_ar,"
                " name_fr = excluded.name_fr, name_en = excluded.name_en,"
                " position = excluded.position, active = excluded.active",
                [f["code"], f["name_ar"], f["name_fr"], f["name_en"], f.get("sort_order", 0),
                 int(bool(f.get("active", True)))])
        elif kind == "workshop_category":
            self.db.execute(
                "INSERT INTO workshop_category(code, name_ar, name_fr, name_en, sort, active)"
                " VALUES (?,?,?,?,?,?) ON CONFLICT(code) DO UPDATE SET"
                " name_ar = excluded.name_ar, name_fr = excluded.name_fr,"
                " name_en = excluded.name_en, sort = excluded.sort, active = excluded.active",
                [f["code"], f["name_ar"], f["name_fr"], f["name_en"], f.get("sort_order", 0),
                 int(bool(f.get("active", True)))])
        elif kind == "staff":
            self._staff(entity_id, row.center_id, f)

    def _staff(self, staff_id: str, center_id: Any, f: dict[str, Any]) -> None:
        # A local account holding the same name steps aside: HQ's account is the real one.
        self.db.execute(
            "UPDATE user_account SET username = username || '.local' WHERE username = ?"
            " AND id != ?", [f["username"], staff_id])
        self.db.execute(
            "INSERT INTO user_account(id, username, display_name, role, password_hash, center_id,"
            " active, source, created_at) VALUES (?,?,?,?,?,?,?, 'hq', ?) ON CONFLICT(id) DO UPDATE"
            " SET username = excluded.username, display_name = excluded.display_name,"
            " role = excluded.role, password_hash = excluded.password_hash,"
            " center_id = excluded.center_id, active = excluded.active, source = 'hq'",
            [staff_id, f["username"], f.get("full_name") or f["username"], f["role"],
             f.get("password_hash"), str(center_id) if center_id else None,
             int(bool(f.get("active", True))), self.now])


def _device_of(clock: str) -> str:
    parts = clock.split(":", 2)
    return parts[2] if len(parts) == 3 else ""


def newest(a: str, b: str) -> str:
    """The later of two HLC strings ('' counts as none)."""
    if not a:
        return b
    if not b:
        return a
    return a if Timestamp.parse(a) >= Timestamp.parse(b) else b
