"""The foundation: device metadata, reference data, accounts, registry, audit, sync capture."""

from __future__ import annotations

import csv

import sqlite_utils

from jisr_desktop import paths
from jisr_desktop.db.migrations import MIGRATIONS
from jisr_desktop.db.schema.common import SYNC_COLUMNS, track_external_writes


@MIGRATIONS(name="0001_foundation")
def foundation(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("""
        CREATE TABLE admin_division (
            code TEXT PRIMARY KEY, kind TEXT NOT NULL, name_fr TEXT NOT NULL,
            name_ar TEXT NOT NULL, parent_code TEXT, capital_fr TEXT, capital_ar TEXT)""")
    db.execute("""
        CREATE TABLE center (
            id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name_fr TEXT NOT NULL,
            name_ar TEXT NOT NULL, province_code TEXT REFERENCES admin_division(code))""")
    db.execute("""
        CREATE TABLE user_account (
            id TEXT PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('receptionist','coordinator','counsellor','admin','system')),
            password_hash TEXT,
            center_id TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            source TEXT NOT NULL DEFAULT 'local',
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            last_failed_at TEXT,
            created_at TEXT NOT NULL)""")
    db.execute(f"""
        CREATE TABLE person (
            rid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            center_id TEXT,
            file_no TEXT NOT NULL DEFAULT '',
            given_name_ar TEXT NOT NULL DEFAULT '',
            family_name_ar TEXT NOT NULL DEFAULT '',
            given_name_lat TEXT NOT NULL DEFAULT '',
            family_name_lat TEXT NOT NULL DEFAULT '',
            sex TEXT CHECK (sex IN ('F','M')),
            birth_date TEXT,
            birth_year INTEGER,
            cin TEXT,
            phone TEXT,
            phone2 TEXT,
            address TEXT NOT NULL DEFAULT '',
            province_code TEXT,
            disability INTEGER NOT NULL DEFAULT 0,
            disability_type TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            merged_into TEXT,
            search_names TEXT NOT NULL DEFAULT '',
            search_approx TEXT NOT NULL DEFAULT '',
            search_ids TEXT NOT NULL DEFAULT '',
            {SYNC_COLUMNS})""")
    db.execute("CREATE INDEX person_cin ON person(cin) WHERE cin IS NOT NULL")
    db.execute("CREATE INDEX person_phone ON person(phone) WHERE phone IS NOT NULL")
    db.execute("CREATE INDEX person_phone2 ON person(phone2) WHERE phone2 IS NOT NULL")
    db.execute("CREATE INDEX person_birth ON person(birth_date)")
    db.execute("CREATE INDEX person_dirty ON person(dirty) WHERE dirty = 1")
    # External-content full-text index over the normalised search columns; rows are keyed by
    # the explicit integer `rid`, which VACUUM never renumbers.
    db.execute("""
        CREATE VIRTUAL TABLE person_fts USING fts5(
            search_names, search_approx, search_ids,
            content='person', content_rowid='rid', prefix='1 2 3',
            tokenize='unicode61 remove_diacritics 0')""")
    db.execute("""
        CREATE TRIGGER person_fts_insert AFTER INSERT ON person BEGIN
            INSERT INTO person_fts(rowid, search_names, search_approx, search_ids)
            VALUES (NEW.rid, NEW.search_names, NEW.search_approx, NEW.search_ids);
        END""")
    db.execute("""
        CREATE TRIGGER person_fts_delete AFTER DELETE ON person BEGIN
            INSERT INTO person_fts(person_fts, rowid, search_names, search_approx, search_ids)
            VALUES ('delete', OLD.rid, OLD.search_names, OLD.search_approx, OLD.search_ids);
        END""")
    db.execute("""
        CREATE TRIGGER person_fts_update AFTER UPDATE OF search_names, search_approx, search_ids
        ON person BEGIN
            INSERT INTO person_fts(person_fts, rowid, search_names, search_approx, search_ids)
            VALUES ('delete', OLD.rid, OLD.search_names, OLD.search_approx, OLD.search_ids);
            INSERT INTO person_fts(rowid, search_names, search_approx, search_ids)
            VALUES (NEW.rid, NEW.search_names, NEW.search_approx, NEW.search_ids);
        END""")
    track_external_writes(db, "person")
    db.execute(f"""
        CREATE TABLE household (
            rid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            center_id TEXT,
            name TEXT NOT NULL DEFAULT '',
            head_person_id TEXT,
            rsu_ref TEXT NOT NULL DEFAULT '',
            address TEXT NOT NULL DEFAULT '',
            province_code TEXT,
            {SYNC_COLUMNS})""")
    track_external_writes(db, "household")
    db.execute(f"""
        CREATE TABLE household_member (
            rid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            center_id TEXT,
            household_id TEXT NOT NULL,
            person_id TEXT NOT NULL,
            relationship TEXT NOT NULL,
            {SYNC_COLUMNS})""")
    db.execute("CREATE INDEX household_member_household ON household_member(household_id)")
    db.execute("CREATE INDEX household_member_person ON household_member(person_id)")
    track_external_writes(db, "household_member")
    db.execute("""
        CREATE TABLE person_merge (
            id TEXT PRIMARY KEY, survivor_id TEXT NOT NULL, merged_id TEXT NOT NULL,
            at TEXT NOT NULL, user_id TEXT NOT NULL, undo TEXT NOT NULL,
            undone_at TEXT, undone_by TEXT)""")
    db.execute("""
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, user_id TEXT NOT NULL,
            action TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
            changes TEXT NOT NULL)""")
    db.execute("CREATE INDEX audit_entity ON audit_log(entity, entity_id)")
    # Sync capture (see docs/sync.md): the clock of each field and the outbox of operations.
    db.execute("""
        CREATE TABLE field_clock (
            entity TEXT NOT NULL, entity_id TEXT NOT NULL, field TEXT NOT NULL, hlc TEXT NOT NULL,
            PRIMARY KEY (entity, entity_id, field)) WITHOUT ROWID""")
    db.execute("""
        CREATE TABLE outbox (
            epoch INTEGER NOT NULL, seq INTEGER NOT NULL, op_id TEXT NOT NULL UNIQUE,
            entity TEXT NOT NULL, entity_id TEXT NOT NULL, kind TEXT NOT NULL,
            patch TEXT NOT NULL, base TEXT NOT NULL, schema_v INTEGER NOT NULL,
            user_id TEXT, hlc TEXT NOT NULL, created_at TEXT NOT NULL,
            PRIMARY KEY (epoch, seq))""")
    _load_admin_divisions(db)


def _load_admin_divisions(db: sqlite_utils.Database) -> None:
    with paths.resource("reference", "morocco_admin.csv").open(encoding="utf-8", newline="") as fh:
        rows = [{k: (v or None) for k, v in row.items()} for row in csv.DictReader(fh)]
    db.table("admin_division").insert_all(rows)
