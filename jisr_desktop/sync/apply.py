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
import logging
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

import jisr_protocol as p
from jisr_desktop import ledger
from jisr_desktop.db import meta
from jisr_desktop.db import rows as db_rows
from jisr_desktop.db.center import MAX_NURSERY_CAPACITY
from jisr_desktop.db.connection import transaction
from jisr_desktop.domain.person import search_columns

log = logging.getLogger("jisr.sync")

CHUNK = 500
"""Rows of one table looked up (and written) together: ids per `IN (...)` list."""
_NONE: frozenset[str] = frozenset()
_BATCHED = frozenset(p.RECORD_ENTITIES) | frozenset(p.EVENT_ENTITIES)
PULLED_ROLES = frozenset({"receptionist", "coordinator", "counsellor"})
"""Roles a pulled staff account may have: a desktop's administrators are its own accounts."""


@dataclass
class Applied:
    rows: int = 0
    records: int = 0
    events: int = 0
    reference: int = 0
    conflicts: int = 0
    quarantined: int = 0
    """Rows that did not fit the synced schema: kept in `sync_quarantine`, not written."""
    new_conflicts: list[str] = field(default_factory=list)
    max_clock: str = ""


class PageApplier:
    """Applies pages of one pull; caches table columns."""

    def __init__(self, db: sqlite_utils.Database, now_iso: str) -> None:
        self.db = db
        self.now = now_iso
        self._cols: dict[str, list[str]] = {}
        self._colsets: dict[str, frozenset[str]] = {}

    def cols(self, table: str) -> list[str]:
        if table not in self._cols:
            self._cols[table] = ledger.table_columns(self.db, table)
        return self._cols[table]

    def colset(self, table: str) -> frozenset[str]:
        if table not in self._colsets:
            self._colsets[table] = frozenset(self.cols(table))
        return self._colsets[table]

    def apply(self, page: p.PullResponse, result: Applied) -> None:
        """The page and its cursor in one transaction. Record and event rows are applied
        set-based (`_flush`: one look-up per table and chunk, `executemany` writes); a
        conflict or reference row first flushes the rows before it, so every row still sees
        the state the rows before it left, as if the page were applied row by row."""
        with transaction(self.db):
            pending = ledger.unacked_fields(self.db)
            batch: list[tuple[p.Row, str]] = []
            keys: set[tuple[str, str]] = set()
            for row in page.rows:
                if row.clocks:
                    top = max(row.clocks.values())
                    if top > result.max_clock:
                        result.max_clock = top
                entity = row.entity
                if entity in _BATCHED:
                    if self._quarantined(row, result):
                        continue
                    entity_id = str(row.entity_id)
                    key = (entity, entity_id)
                    if key in keys:  # never in one page today; kept in order if it happens
                        self._flush(batch, pending, result)
                        batch, keys = [], set()
                    batch.append((row, entity_id))
                    keys.add(key)
                    continue
                if batch:
                    self._flush(batch, pending, result)
                    batch, keys = [], set()
                self._row(row, result)
            self._flush(batch, pending, result)
            self.db.execute("UPDATE sync_state SET cursor = ? WHERE id = 1", [page.next_cursor])

    def _quarantined(self, row: p.Row, out: Applied) -> bool:
        """Keep aside a record or event row that does not fit the synced schema
        (jisr_protocol/schema.py): fields this desktop does not know are ignored on apply, so
        only the known ones are judged; an event must carry its required fields."""
        problems = p.check_values(row.entity, row.fields, newer=True,
                                  whole=row.entity in p.EVENT_ENTITIES)
        if not problems:
            return False
        out.rows += 1
        self._keep_aside(row, problems, out)
        return True

    def _keep_aside(self, row: p.Row, problems: list[p.FieldProblem], out: Applied) -> None:
        out.quarantined += 1
        text = "; ".join(str(x) for x in problems)
        log.warning("pulled %s %s kept aside: %s", row.entity, row.entity_id, text)
        self.db.execute(
            "INSERT INTO sync_quarantine(entity, entity_id, fields, clocks, problems, received_at)"
            " VALUES (?,?,?,?,?,?)",
            [row.entity, str(row.entity_id), json.dumps(row.fields, ensure_ascii=False),
             json.dumps(row.clocks), text, self.now])

    def _row(self, row: p.Row, out: Applied) -> None:
        """A reference or conflict row (other entities, e.g. conflict_resolution events,
        have no local table)."""
        out.rows += 1
        entity, entity_id = row.entity, str(row.entity_id)
        if entity == "ref.staff" and (problems := self._staff_problems(entity_id, row)):
            # never applied: kept aside for the Sync screen, without its password hash
            fields = {k: v for k, v in row.fields.items() if k != "password_hash"}
            self._keep_aside(row.model_copy(update={"fields": fields}), problems, out)
        elif entity.startswith("ref."):
            out.reference += 1
            self._reference(entity[4:], entity_id, row)
        elif entity == "sync.conflict":
            if self._conflict(entity_id, row.fields):
                out.new_conflicts.append(entity_id)
                self._revert_lost_edit(row.fields)
            out.conflicts += 1

    def _flush(self, rows: list[tuple[p.Row, str]], pending: dict[tuple[str, str], set[str]],
               out: Applied) -> None:
        by_table: dict[str, list[tuple[p.Row, str]]] = {}
        for row, entity_id in rows:
            by_table.setdefault(row.entity, []).append((row, entity_id))
        for table, group in by_table.items():
            out.rows += len(group)
            if table in p.RECORD_ENTITIES:
                # center records and, pulled only while a counsellor is signed in on a
                # counselling desktop, the case notes of the counselling partition: same
                # per-field rules
                out.records += len(group)
                for part in _chunks(group):
                    self._records(table, part, pending, out)
            else:
                out.events += len(group)
                for part in _chunks(group):
                    self._events(table, part)

    # -- center rows -----------------------------------------------------------------------

    def _local_rows(self, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        cur = self.db.execute(f"SELECT * FROM {table} WHERE id IN ({', '.join('?' * len(ids))})",
                              ids)
        return {r["id"]: r for r in db_rows.dicts(cur)}

    def _records(self, table: str, rows: list[tuple[p.Row, str]],
                 pending: dict[tuple[str, str], set[str]], out: Applied) -> None:
        cols = self.colset(table)
        ids = [entity_id for _row, entity_id in rows]
        local_rows = self._local_rows(table, ids)
        known: dict[tuple[str, str], str] = {
            (entity_id, name): hlc for entity_id, name, hlc in self.db.execute(
                "SELECT entity_id, field, hlc FROM field_clock WHERE entity = ? AND entity_id IN"
                f" ({', '.join('?' * len(ids))})", [table, *ids]).fetchall()}

        def local_wins(entity_id: str, name: str, incoming: str) -> bool:
            # A local edit HQ has not acknowledged yet against HQ's value: the later clock
            # wins, as it will at HQ (HQ's effective clock of our op is later than any value
            # it held before receiving it, and our clock is merged with every value we pulled).
            ours = known.get((entity_id, name))
            return ours is not None and (not incoming or ours > incoming)

        inserts: dict[tuple[str, ...], list[list[Any]]] = {}
        updates: dict[tuple[str, ...], list[list[Any]]] = {}
        clock_rows: list[tuple[str, str, str, str]] = []
        outside: list[tuple[str, str]] = []
        for row, entity_id in rows:
            mine = pending.get((table, entity_id), _NONE)
            if "*" in mine and not row.deleted:
                # Written outside the services: its full-row op (made at the next sync, with
                # a clock past everything pulled) will win every field at HQ. Only a delete
                # at HQ is taken now, with HQ's fields (an edit of a deleted row never comes
                # back).
                continue
            values: dict[str, Any] = {}
            clocks: dict[str, str] = {}
            for name, value in row.fields.items():
                if name not in cols or name in ledger.NOT_SYNCED:
                    continue
                incoming = row.clocks.get(name, "")
                if name in mine and local_wins(entity_id, name, incoming):
                    continue
                values[name] = value
                if incoming:
                    clocks[name] = incoming
            life = row.clocks.get(p.LIFE, "")
            if "deleted" not in mine or not local_wins(entity_id, "deleted", life):
                values["deleted"] = int(row.deleted)
                if life:
                    clocks["deleted"] = life
            if "*" in mine:  # a deleted row: HQ's state replaces the outside write
                values["dirty"] = 0
            local = local_rows.get(entity_id)
            if local is None and (missing := [
                    p.FieldProblem(table, name, "is missing", "missing")
                    for name, spec in p.FIELDS[table].items()
                    if spec.required and name in cols and values.get(name) is None]):
                self._keep_aside(row, missing, out)  # a new row needs its required fields
                continue
            if table == "person":
                merged = {**(local or {}), **values}
                values |= search_columns(merged, merged.get("file_no") or "")
            if local is None:
                full = {"id": entity_id, **values, "rev": 1, "dirty": 0,
                        "created_at": self.now, "updated_at": self.now}
                inserts.setdefault(tuple(full), []).append(list(full.values()))
            else:
                changed = {k: v for k, v in values.items() if local.get(k) != v}
                if changed:
                    changed["updated_at"] = self.now
                    updates.setdefault(tuple(changed), []).append([*changed.values(), entity_id])
            if known:  # a clock already held is not written again
                clock_rows.extend((table, entity_id, name, hlc) for name, hlc in clocks.items()
                                  if known.get((entity_id, name)) != hlc)
            else:
                clock_rows.extend((table, entity_id, name, hlc) for name, hlc in clocks.items())
            if "*" in mine:
                outside.append((table, entity_id))
        # rev moves on (the dirty trigger stays quiet: this is not an outside write)
        self._write(table, inserts, updates, ", rev = rev + 1")
        conn = self.db.conn
        if clock_rows:
            ledger.set_field_clocks(self.db, clock_rows)
        if outside:
            conn.executemany("DELETE FROM sync_dirty WHERE entity = ? AND entity_id = ?", outside)

    def _events(self, table: str, rows: list[tuple[p.Row, str]]) -> None:
        cols = self.colset(table) - {"rid", "id"}
        local_rows = self._local_rows(table, [entity_id for _row, entity_id in rows])
        inserts: dict[tuple[str, ...], list[list[Any]]] = {}
        updates: dict[tuple[str, ...], list[list[Any]]] = {}
        for row, entity_id in rows:
            values = {k: v for k, v in row.fields.items() if k in cols}
            local = local_rows.get(entity_id)
            if local is not None:
                # Insert only: HQ's copy is the first one recorded. The same fact recorded
                # here with other details (a deterministic id) was refused by HQ; take HQ's
                # version. The same details (our own event coming back): nothing to write.
                if any(local.get(k) != v for k, v in values.items()):
                    updates.setdefault(tuple(values), []).append([*values.values(), entity_id])
                continue
            if "created_at" in cols and not values.get("created_at"):
                values["created_at"] = self.now
            full = {"id": entity_id, **values}
            inserts.setdefault(tuple(full), []).append(list(full.values()))
        self._write(table, inserts, updates)

    def _write(self, table: str, inserts: dict[tuple[str, ...], list[list[Any]]],
               updates: dict[tuple[str, ...], list[list[Any]]], also_set: str = "") -> None:
        """One executemany per column set: inserts of whole rows, updates by id (the id last
        in each parameter list) plus `also_set`."""
        conn = self.db.conn
        for names, params in inserts.items():
            conn.executemany(f"INSERT INTO {table} ({', '.join(names)})"
                             f" VALUES ({', '.join('?' * len(names))})", params)
        for names, params in updates.items():
            sets = ", ".join(f"{k} = ?" for k in names)
            conn.executemany(f"UPDATE {table} SET {sets}{also_set} WHERE id = ?", params)

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
                or name in ledger.NOT_SYNCED:
            return
        ours = self.db.execute("SELECT hlc FROM outbox WHERE op_id = ?", [f.get("op_id")]).fetchone()
        device = meta.get(self.db, "device_id")
        if not ours or not device or p.device_of(f.get("loser_clock") or "") != device:
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
            row = ledger.current_row(self.db, "person", str(entity_id))
            assert row is not None  # updated just above
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
            places = f.get("nursery_capacity")  # absent from an HQ older than this field
            if isinstance(places, int) and not isinstance(places, bool) \
                    and 0 <= places <= MAX_NURSERY_CAPACITY:
                self.db.execute("UPDATE center SET nursery_capacity = ? WHERE id = ?",
                                [places, entity_id])
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

    def _staff_problems(self, staff_id: str, row: p.Row) -> list[p.FieldProblem]:
        """Why a pulled staff row must not be applied (docs/sync.md, "Apply rules"): it would
        take over a local account (its id, or its user name), or give a role HQ never hands
        to a desktop. Rows of HQ's own accounts are applied in place."""
        f = row.fields
        problems: list[p.FieldProblem] = []

        def problem(name: str, text: str) -> None:
            problems.append(p.FieldProblem("ref.staff", name, text))

        username, role = f.get("username"), f.get("role")
        if not isinstance(username, str) or not username.strip():
            problem("username", "is missing")
        else:
            taken = self.db.execute("SELECT source FROM user_account WHERE username = ?"
                                    " AND id != ?", [username, staff_id]).fetchone()
            if taken is not None:
                problem("username", "belongs to a local account of this desktop"
                        if taken[0] != "hq" else "belongs to another HQ account here")
        if role not in PULLED_ROLES:
            problem("role", f"{role} is never given to a desktop by HQ")
        same = self.db.execute("SELECT source FROM user_account WHERE id = ?",
                               [staff_id]).fetchone()
        if same is not None and same[0] != "hq":
            problem("id", "is a local account of this desktop")
        center = meta.get(self.db, "center_id")
        if center and row.center_id is not None and str(row.center_id) != center:
            problem("center_id", "is another center")
        return problems

    def _staff(self, staff_id: str, center_id: Any, f: dict[str, Any]) -> None:
        # HQ's account (checked by _staff_problems: no local account is touched). A role this
        # desktop may not sign in with (a counsellor on a desktop not enrolled for
        # counselling) comes without its password hash and stays inactive.
        may_sign_in = f["role"] != "counsellor" or bool(self.db.execute(
            "SELECT counselling FROM sync_state WHERE id = 1").fetchone()[0])
        password_hash = (f.get("password_hash") or None) if may_sign_in else None
        active = int(bool(f.get("active", True)) and may_sign_in and password_hash is not None)
        self.db.execute(
            "INSERT INTO user_account(id, username, display_name, role, password_hash, center_id,"
            " active, source, created_at) VALUES (?,?,?,?,?,?,?, 'hq', ?) ON CONFLICT(id) DO UPDATE"
            " SET username = excluded.username, display_name = excluded.display_name,"
            " role = excluded.role, password_hash = excluded.password_hash,"
            " center_id = excluded.center_id, active = excluded.active, source = 'hq'",
            [staff_id, f["username"], f.get("full_name") or f["username"], f["role"],
             password_hash, str(center_id) if center_id else None, active, self.now])


def _chunks(rows: list[tuple[p.Row, str]]) -> list[list[tuple[p.Row, str]]]:
    return [rows[i:i + CHUNK] for i in range(0, len(rows), CHUNK)]


