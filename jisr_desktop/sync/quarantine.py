"""Pulled rows kept aside (docs/sync.md, "Pull"): what the Sync screen tells a coordinator about
them, and their retry once a newer program is installed.

Pull-apply keeps a record or event row that does not fit the synced schema in `sync_quarantine`
(jisr_desktop/db/schema/m0070_quarantine.py) and applies the rest. A newer program may know
the value (a new choice, a longer text): the first sync after an upgrade applies again every
row kept aside by an older version, through the same apply path; a row that still does not fit
is kept aside again. Staff rows refused for this device (`ref.staff`) are not retried: their
reason is this desktop's accounts, not the program's version.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass

import sqlite_utils

import jisr_protocol as p
from jisr_desktop import __version__
from jisr_desktop.db import meta
from jisr_desktop.db.connection import transaction
from jisr_desktop.i18n import N_, translate
from jisr_desktop.sync import apply, labels

log = logging.getLogger("jisr.sync")

RETRIED_FOR = "quarantine_retried_for"
"""meta key: the program version that last retried the rows kept aside."""


@dataclass(frozen=True)
class KeptAside:
    """One row kept aside, told in the words a coordinator reads (in any language)."""

    entity: str
    entity_id: str
    field_names: tuple[str, ...]
    """The synced fields whose values did not fit."""
    received_at: str

    def what(self, lang: str | None = None) -> str:
        """The kind of record, e.g. "Person"."""
        return labels.entity_label(self.entity.removeprefix("ref."), lang)

    def fields(self, lang: str | None = None) -> tuple[str, ...]:
        return tuple(labels.field_label(f, lang) for f in self.field_names)

    def sentence(self, lang: str | None = None) -> str:
        """What it is, what did not fit, that nothing else was held up."""
        return translate(
            N_("A record ({what}) from HQ has a value this program cannot accept ({fields}). It is"
               " kept aside; everything else synced. It is tried again after the next update."),
            lang, what=self.what(lang), fields=", ".join(self.fields(lang)) or "?")


def _fields_of(problems: str) -> tuple[str, ...]:
    """Field names of the stored problem text (`entity.field problem; ...`)."""
    out: list[str] = []
    for part in problems.split("; "):
        head = part.split(" ", 1)[0]
        name = head.rsplit(".", 1)[-1] if "." in head else head
        if name and name not in out:
            out.append(name)
    return tuple(out)


def kept_aside(db: sqlite_utils.Database) -> list[KeptAside]:
    """The rows kept aside, newest first."""
    return [KeptAside(entity, entity_id, _fields_of(problems), received)
            for entity, entity_id, problems, received in db.execute(
                "SELECT entity, entity_id, problems, received_at FROM sync_quarantine"
                " ORDER BY id DESC").fetchall()]


def count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM sync_quarantine").fetchone()[0])


def rows_to_retry(db: sqlite_utils.Database) -> list[tuple[int, p.Row]]:
    """Record and event rows kept aside, rebuilt as pulled rows (oldest first)."""
    batched = set(p.RECORD_ENTITIES) | set(p.EVENT_ENTITIES)
    out = []
    for qid, entity, entity_id, fields, clocks in db.execute(
            "SELECT id, entity, entity_id, fields, clocks FROM sync_quarantine ORDER BY id").fetchall():
        if entity not in batched:
            continue
        values = json.loads(fields)
        center = values.get("center_id")
        try:
            center_id = uuid.UUID(str(center)) if center else None
        except ValueError:
            center_id = None
        out.append((qid, p.Row(entity=entity, entity_id=uuid.UUID(entity_id), center_id=center_id,
                               fields=values, clocks=json.loads(clocks),
                               deleted=bool(values.get(p.LIFE)), counter=0)))
    return out


def due(db: sqlite_utils.Database) -> bool:
    """Whether rows kept aside wait for this program version's retry."""
    return meta.get(db, RETRIED_FOR) != __version__ and count(db) > 0


def mark_retried(db: sqlite_utils.Database) -> None:
    meta.put(db, RETRIED_FOR, __version__)


def retry(db: sqlite_utils.Database, applier: apply.PageApplier) -> apply.Applied:
    """Apply again, in one transaction, the rows an older program kept aside; those that still
    do not fit are kept aside again. The pull cursor does not move."""
    result = apply.Applied()
    rows = rows_to_retry(db)
    with transaction(db):
        if rows:
            db.conn.executemany("DELETE FROM sync_quarantine WHERE id = ?", [[qid] for qid, _ in rows])
            cursor = db.execute("SELECT cursor FROM sync_state WHERE id = 1").fetchone()[0]
            page = p.PullResponse(rows=[row for _, row in rows], next_cursor=cursor, more=False,
                                  server_hlc="")
            applier.apply(page, result)
            log.info("%d rows kept aside retried by version %s: %d applied, %d kept aside again",
                     len(rows), __version__, len(rows) - result.quarantined, result.quarantined)
        mark_retried(db)
    return result
