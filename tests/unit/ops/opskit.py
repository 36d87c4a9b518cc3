"""Helpers of the operations tests: file fingerprints and a table-by-table content dump."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

PERSONS = [
    {"given_name_ar": "أحمد", "family_name_ar": "العلوي", "given_name_lat": "Ahmed",
     "family_name_lat": "Alaoui", "sex": "M", "birth_date": "1980-05-17", "cin": "AB123456",
     "phone": "0612345678", "province_code": "04.421"},
    {"given_name_ar": "فاطمة", "family_name_ar": "بناني", "given_name_lat": "Fatima",
     "family_name_lat": "Bennani", "sex": "F", "birth_date": "1991-02-03"},
    {"given_name_ar": "مريم", "family_name_ar": "الإدريسي", "given_name_lat": "Meryem",
     "family_name_lat": "Idrissi", "sex": "F", "birth_date": "2022-09-30"},
]


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def dump(conn: Any, *, skip_meta: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """All rows of all ordinary tables, sorted (meta keys in `skip_meta` left out)."""
    tables = [r[1] for r in conn.execute("PRAGMA table_list").fetchall()
              if r[0] == "main" and r[2] == "table" and not r[1].startswith("sqlite_")]
    out = {}
    for table in sorted(tables):
        rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
        if table == "meta":
            rows = [r for r in rows if r[0] not in skip_meta]
        out[table] = sorted(rows, key=repr)
    return out
