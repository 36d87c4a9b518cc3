"""Person rows: reading them and searching them (FTS5 over normalised columns)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from jisr_desktop.db.rows import query
from jisr_desktop.domain import normalize, translit
from jisr_desktop.domain.person import Person


def row_to_person(row: dict[str, Any]) -> Person:
    values = {k: row[k] for k in Person.field_names() if k in row}
    for key in ("id", "file_no", "center_id", "merged_into", "created_at", "updated_at"):
        if key in row:
            values[key] = row[key]
    if values.get("birth_date"):
        values["birth_date"] = date.fromisoformat(values["birth_date"])
    values["disability"] = bool(row.get("disability"))
    values["deleted"] = bool(row.get("deleted"))
    return Person(**values)


def get(db: sqlite_utils.Database, person_id: str) -> Person | None:
    rows = query(db, "SELECT * FROM person WHERE id = ?", [person_id])
    return row_to_person(rows[0]) if rows else None


def get_many(db: sqlite_utils.Database, ids: list[str]) -> dict[str, Person]:
    out: dict[str, Person] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in query(db, f"SELECT * FROM person WHERE id IN ({marks})", chunk):
            out[row["id"]] = row_to_person(row)
    return out


def active_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM person WHERE deleted = 0 AND merged_into IS NULL").fetchone()[0]


# --- Search ------------------------------------------------------------------------------

TIER_EXACT, TIER_PREFIX, TIER_APPROX, TIER_CROSS = 0, 1, 2, 3


@dataclass(frozen=True)
class Hit:
    person_id: str
    tier: int


def _phrase(term: str, prefix: bool) -> str:
    return '"' + term.replace('"', "") + '"' + ("*" if prefix else "")


def _is_identifier(token: str) -> bool:
    return bool(re.search(r"\d", token))


def build_queries(text: str) -> list[tuple[int, str]]:
    """The FTS5 match expressions of a typed query, best tier first."""
    # A CIN typed with a space ("AB 123456") is one identifier.
    text = re.sub(r"(?<![A-Za-z])([A-Za-z]{1,2})\s+(\d)", r"\1\2", text.strip())
    raw = [t for t in re.split(r"\s+", text) if t]
    ident_parts: list[str] = []
    name_text: list[str] = []
    # A phone typed with spaces ("06 12 34 56 78") is one identifier: join digit runs.
    for tok in raw:
        if _is_identifier(tok) or (tok.startswith("+") and len(tok) > 1):
            if ident_parts and ident_parts[-1][-1:].isdigit() and tok[:1].isdigit():
                ident_parts[-1] += tok
            else:
                ident_parts.append(tok)
        else:
            name_text.append(tok)
    ids = [normalize.query_digits(t) for t in ident_parts]
    ids = [re.sub(r"[^0-9a-z]", "", i) for i in ids]
    folded = normalize.tokens(" ".join(name_text))
    if len(folded) > 1 and normalize.is_article_prefix(folded[-1]):
        folded = folded[:-1]  # "Samira El" while typing "El Idrissi"
    names = [normalize.query_token(t) for t in folded]
    raws = normalize.raw_tokens(" ".join(name_text))
    raw_by_fold = dict(zip([normalize.fold_token(r) for r in raws], raws, strict=True))
    ids = [i for i in ids if i]
    if not ids and not names:
        return []
    id_clause = [f"search_ids : {_phrase(i, True)}" for i in ids]
    queries: list[tuple[int, str]] = []
    if names:
        exact = [f"search_names : {_phrase(n, False)}" for n in names]
        prefix: list[str] = []
        for n in names:
            spelled = raw_by_fold.get(n)
            if spelled and spelled != n:
                prefix.append(f"(search_names : {_phrase(n, True)} OR search_names : {_phrase(spelled, True)})")
            else:
                prefix.append(f"search_names : {_phrase(n, True)}")
        approx = [f"search_approx : {_phrase(normalize.skeleton(n), i == len(names) - 1)}"
                  for i, n in enumerate(names)]
        queries.append((TIER_EXACT, " AND ".join(exact + id_clause)))
        queries.append((TIER_PREFIX, " AND ".join(prefix + id_clause)))
        queries.append((TIER_APPROX, " AND ".join(approx + id_clause)))
        cross = _cross_clauses(" ".join(name_text))
        if cross:
            queries.append((TIER_CROSS, " AND ".join(cross + id_clause)))
    else:
        queries.append((TIER_EXACT, " AND ".join(f"search_ids : {_phrase(i, False)}" for i in ids)))
        queries.append((TIER_PREFIX, " AND ".join(id_clause)))
    return queries


def _cross_clauses(text: str) -> list[str]:
    """The cross-script tier: each name word's key (a joining prefix glued to the next
    word, so Ben Ali meets Benali and بنعلي), whole words only. A word too short to say
    much (fewer than 3 letters, or a one-letter key from fewer than 4) makes no tier."""
    words = [t for t in normalize.tokens(text) if t]
    joined: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if i + 1 < len(words) and (word in normalize.AR_JOINING_PREFIXES
                                   or word in normalize.LAT_JOINING_FOLDED):
            word = word + words[i + 1]
            i += 1
        joined.append(word)
        i += 1
    clauses = []
    for word in joined:
        key = translit.cross_key(word)
        if len(word) < 3 or not key or (len(key) < 2 and len(word) < 4):
            return []
        clauses.append(f"search_approx : {_phrase(translit.MARK + key, False)}")
    return clauses


def search(db: sqlite_utils.Database, text: str, *, limit: int = 50,
           include_merged: bool = False) -> list[Hit]:
    """People matching `text`: exact matches first, then prefix, then approximate, then
    the other script (a Latin query finding a name written only in Arabic, and the reverse)."""
    hits: list[Hit] = []
    seen: set[str] = set()
    alive = "" if include_merged else " AND p.deleted = 0 AND p.merged_into IS NULL"
    for tier, expr in build_queries(text):
        if len(hits) >= limit:
            break
        sql = ("SELECT p.id FROM person_fts JOIN person p ON p.rid = person_fts.rowid "
               f"WHERE person_fts MATCH ?{alive} LIMIT ?")
        for (pid,) in db.execute(sql, [expr, limit + len(seen)]).fetchall():
            if pid not in seen:
                seen.add(pid)
                hits.append(Hit(pid, tier))
                if len(hits) >= limit:
                    break
    return hits
