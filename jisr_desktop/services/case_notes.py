"""Confidential case notes: counselling sessions of a person, mediation sessions of a household.

Only counsellors (`Permission.CASE_NOTES`) read or write them; coordinators and admins do not.
Notes are records written through `changes` (row, clocks, outbox op), synced in HQ's
"counselling" partition. Their audit entries keep who changed which fields and when, never
the values (`_redact_audit`), since the audit log is readable by record id. HQ refuses a note
whose author it does not know as a counsellor of the center (a local-only account): the note
stays here and `CaseNote.refused` says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import meta, persons, rows
from jisr_desktop.db.connection import transaction
from jisr_desktop.domain.person import Person
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_
from jisr_desktop.services import conflicts
from jisr_desktop.sync import sealed

COUNSELLING = "counselling_note"
MEDIATION = "mediation_note"
KINDS = (COUNSELLING, MEDIATION)

TOPICS: dict[str, str] = {
    "pre_marriage": N_("Pre-marriage preparation"),
    "marital": N_("Marital counselling"),
    "parenting": N_("Parenting"),
    "psychological": N_("Psychological support"),
    "social": N_("Social support"),
    "other": N_("Other"),
}
"""Counselling topics (docs/domain.md, "Families") and their labels (msgids)."""

STAGES: dict[str, str] = {
    "opened": N_("Case opened"),
    "session": N_("Mediation session"),
    "agreement": N_("Agreement reached"),
    "closed": N_("Case closed"),
}
"""Stages of a family mediation and their labels (msgids)."""

MAX_NOTE = 10_000
MAX_OUTCOME = 500
REDACTED = "[redacted]"

REFUSALS: dict[str, str] = {
    "author_not_member": N_("HQ refused this note: your account is not an HQ counsellor account of "
                            "this center. The note is kept on this desktop only."),
    "author_role": N_("HQ refused this note: HQ does not know your account as a counsellor. "
                      "The note is kept on this desktop only."),
    "device_not_counselling": N_("HQ refused this note: this desktop is not enrolled for "
                                 "counselling. The note is kept on this desktop only."),
    "author_unproven": N_("HQ refused this note: it was written before you signed in on this "
                          "desktop while HQ could be reached. The note is kept on this desktop "
                          "only."),
    "unknown_reference": N_("HQ refused this note: HQ does not know the person or family it "
                            "is about in this center. The note is kept on this desktop only."),
}
"""Why HQ refused a note, in plain words (other reasons use `REFUSED_OTHER`)."""
REFUSED_OTHER = N_("HQ refused this note ({reason}). The note is kept on this desktop only.")


@dataclass(frozen=True)
class CaseNote:
    """One note of either kind (fields of the other kind stay empty)."""

    kind: str
    id: str
    session_date: date
    note: str
    follow_up_date: date | None
    counsellor_id: str
    counsellor_name: str
    updated_at: str
    person_id: str = ""
    household_id: str | None = None
    topic: str = ""
    parties: tuple[str, ...] = ()
    stage: str = ""
    outcome: str = ""
    refused: str | None = None  # the reason HQ refused one of its changes, if it did

    @property
    def label(self) -> str:
        """The msgid naming the topic (counselling) or stage (mediation)."""
        if self.kind == COUNSELLING:
            return TOPICS.get(self.topic, TOPICS["other"])
        return STAGES.get(self.stage, self.stage)


# --- writing --------------------------------------------------------------------------------

def save_counselling_note(*, ctx: Context, person_id: str, session_date: date, topic: str,
                          note: str, household_id: str | None = None,
                          follow_up_date: date | None = None,
                          note_id: str | None = None) -> CaseNote:
    """Record (or, with `note_id`, correct) a counselling session of one person."""
    ctx.require(Permission.CASE_NOTES)
    _alive_person(ctx, person_id, field="person_id")
    if household_id:
        _alive_household(ctx, household_id)
    if topic not in TOPICS:
        raise errors.JisrError(N_("Choose a topic from the list."), field="topic")
    values = {"person_id": person_id, "household_id": household_id or None, "topic": topic,
              **_common(ctx, session_date, note, follow_up_date)}
    return _save(ctx, COUNSELLING, note_id, values)


def save_mediation_note(*, ctx: Context, household_id: str, parties: list[str],
                        session_date: date, stage: str, note: str, outcome: str = "",
                        follow_up_date: date | None = None,
                        note_id: str | None = None) -> CaseNote:
    """Record (or correct) a mediation session between members of one household."""
    ctx.require(Permission.CASE_NOTES)
    if not household_id:
        raise errors.JisrError(N_("Choose the household first."), field="household_id")
    _alive_household(ctx, household_id)
    unique = list(dict.fromkeys(p for p in parties if p))
    if not unique:
        raise errors.JisrError(N_("Name at least one party to the mediation."), field="parties")
    for pid in unique:
        _alive_person(ctx, pid, field="parties")
    if stage not in STAGES:
        raise errors.JisrError(N_("Choose a stage from the list."), field="stage")
    outcome = " ".join(outcome.split())
    if len(outcome) > MAX_OUTCOME:
        raise errors.JisrError(N_("This text is too long (at most {max} characters)."),
                               field="outcome", max=MAX_OUTCOME)
    values = {"household_id": household_id, "parties": json.dumps(unique), "stage": stage,
              "outcome": outcome, **_common(ctx, session_date, note, follow_up_date)}
    return _save(ctx, MEDIATION, note_id, values)


def delete_note(*, ctx: Context, kind: str, note_id: str) -> None:
    """Delete a note (a tombstone: it stays deleted on every desktop and at HQ)."""
    ctx.require(Permission.CASE_NOTES)
    table = _table(kind)
    with transaction(ctx.db):
        _live_row(ctx, table, note_id)
        changed = ledger.tombstone(ctx, table, note_id, action=f"delete_{table}")
        _redact_audit(ctx, table, note_id, changed)
        sealed.sign_pending(ctx.db, ctx.user.id)  # her proof (docs/security.md)


def _common(ctx: Context, session_date: date | None, note: str,
            follow_up_date: date | None) -> dict[str, Any]:
    if not isinstance(session_date, date):
        raise errors.JisrError(N_("Enter the date of the session."), field="session_date")
    if session_date > ctx.today():
        raise errors.JisrError(N_("The session date cannot be in the future."), field="session_date")
    text = note.strip()
    if not text:
        raise errors.JisrError(N_("Write the note."), field="note")
    if len(text) > MAX_NOTE:
        raise errors.JisrError(N_("This text is too long (at most {max} characters)."),
                               field="note", max=MAX_NOTE)
    if follow_up_date is not None and follow_up_date < session_date:
        raise errors.JisrError(N_("The follow-up cannot be before the session."),
                               field="follow_up_date")
    return {"session_date": session_date, "note": text, "follow_up_date": follow_up_date}


def _save(ctx: Context, table: str, note_id: str | None, values: dict[str, Any]) -> CaseNote:
    with transaction(ctx.db):
        if note_id is None:
            note_id = ledger.new_id()
            values |= {"center_id": meta.get(ctx.db, "center_id"), "counsellor_id": ctx.user.id}
            action = f"add_{table}"
        else:
            _live_row(ctx, table, note_id)
            action = f"edit_{table}"
        changed = ledger.write_record(ctx, table, note_id, values, action=action)
        _redact_audit(ctx, table, note_id, changed)
        sealed.sign_pending(ctx.db, ctx.user.id)  # her proof (docs/security.md)
    return get_note(ctx=ctx, kind=table, note_id=note_id)


@dataclass(frozen=True)
class NoteConflict:
    """An edit of a note that lost at HQ against a concurrent one (docs/sync.md, "Conflicts, by kind of table"): the
    kept value and the other one, both shown to the counsellor, who keeps one."""

    id: str
    field: str
    reason: str
    kept: Any
    other: Any


def note_conflicts(*, ctx: Context, kind: str, note_id: str) -> list[NoteConflict]:
    """The open conflicts of one note (counsellors resolve them: `resolve_note_conflict`)."""
    ctx.require(Permission.CASE_NOTES)
    table = _table(kind)
    found = ctx.db.execute(
        "SELECT id, field, reason, winner_value, loser_value FROM conflict WHERE entity = ?"
        " AND entity_id = ? AND resolution IS NULL AND resolved_locally IS NULL"
        " ORDER BY received_at, id", [table, note_id]).fetchall()
    return [NoteConflict(cid, field, reason, _loads(winner), _loads(loser))
            for cid, field, reason, winner, loser in found]


def resolve_note_conflict(*, ctx: Context, conflict_id: str, keep_other: bool) -> None:
    """Keep the value HQ kept, or take the other one back (an ordinary edit of the note); the
    choice goes to HQ, which accepts it from counsellors only."""
    ctx.require(Permission.CASE_NOTES)
    found = ctx.db.execute("SELECT entity, entity_id FROM conflict WHERE id = ?",
                           [conflict_id]).fetchone()
    if found is None or found[0] not in KINDS:
        raise errors.NotFound()
    with transaction(ctx.db):
        conflicts.record_resolution(ctx, conflict_id, "keep_loser" if keep_other else "keep_winner")
        _redact_all(ctx, found[0], found[1])
        sealed.sign_pending(ctx.db, ctx.user.id)


def _loads(text: str | None) -> Any:
    try:
        return json.loads(text) if text is not None else None
    except ValueError:
        return text


def _redact_all(ctx: Context, table: str, note_id: str) -> None:
    """Every audit entry of a note, values left out (entries written by other paths)."""
    for audit_id, text in ctx.db.execute(
            "SELECT id, changes FROM audit_log WHERE entity = ? AND entity_id = ?",
            [table, note_id]).fetchall():
        try:
            entry = json.loads(text)
        except ValueError:
            entry = {}
        kept = {name: (pair if name == "deleted" else [REDACTED, REDACTED])
                for name, pair in (entry.items() if isinstance(entry, dict) else [])}
        ctx.db.execute("UPDATE audit_log SET changes = ? WHERE id = ?",
                       [json.dumps(kept), audit_id])


def _redact_audit(ctx: Context, table: str, note_id: str, changed: dict[str, Any]) -> None:
    """Keep the audit entry `write_record` just made, without the values: which fields
    changed, by whom, when (a delete keeps its flag)."""
    if not changed:
        return
    kept = {name: (pair if name == "deleted" else [REDACTED, REDACTED])
            for name, pair in changed.items()}
    ctx.db.execute(
        "UPDATE audit_log SET changes = ? WHERE id = (SELECT max(id) FROM audit_log"
        " WHERE entity = ? AND entity_id = ?)", [json.dumps(kept), table, note_id])


def _table(kind: str) -> str:
    if kind not in KINDS:
        raise errors.NotFound()
    return kind


def _alive_person(ctx: Context, person_id: str, *, field: str) -> None:
    person = persons.get(ctx.db, person_id) if person_id else None
    if person is None or person.deleted or person.merged_into:
        raise errors.JisrError(N_("Find the person in the registry first."), field=field)


def _alive_household(ctx: Context, household_id: str) -> None:
    if not ctx.db.execute("SELECT 1 FROM household WHERE id = ? AND deleted = 0",
                          [household_id]).fetchone():
        raise errors.JisrError(N_("Choose the household first."), field="household_id")


def _live_row(ctx: Context, table: str, note_id: str) -> None:
    if not ctx.db.execute(f"SELECT 1 FROM {table} WHERE id = ? AND deleted = 0",
                          [note_id]).fetchone():
        raise errors.NotFound()


# --- reading --------------------------------------------------------------------------------

def get_note(*, ctx: Context, kind: str, note_id: str) -> CaseNote:
    ctx.require(Permission.CASE_NOTES)
    table = _table(kind)
    found = _notes(ctx, table, "n.id = ? AND n.deleted = 0", [note_id])
    if not found:
        raise errors.NotFound()
    return found[0]


def notes_of_person(*, ctx: Context, person_id: str) -> list[CaseNote]:
    """A person's counselling notes and the mediations they are a party to, newest first."""
    ctx.require(Permission.CASE_NOTES)
    found = _notes(ctx, COUNSELLING, f"n.person_id IN ({_SAME_PERSON}) AND n.deleted = 0",
                   [person_id])
    found += _notes(ctx, MEDIATION, "n.deleted = 0 AND EXISTS (SELECT 1 FROM json_each("
                    "CASE WHEN json_valid(n.parties) THEN n.parties ELSE '[]' END)"
                    f" WHERE value IN ({_SAME_PERSON}))", [person_id])
    return _newest_first(found)


# The person and the records merged into them. A merge (a coordinator's act) does not re-point
# case notes, which only counsellors may write: readers follow `merged_into`, as for visits.
_SAME_PERSON = ("WITH RECURSIVE same(id) AS (SELECT ? UNION SELECT p.id FROM person p"
                " JOIN same s ON p.merged_into = s.id) SELECT id FROM same")


def notes_of_household(*, ctx: Context, household_id: str) -> list[CaseNote]:
    """A household's mediations and its members' counselling notes filed under it, newest
    first."""
    ctx.require(Permission.CASE_NOTES)
    found = _notes(ctx, COUNSELLING, "n.household_id = ? AND n.deleted = 0", [household_id])
    found += _notes(ctx, MEDIATION, "n.household_id = ? AND n.deleted = 0", [household_id])
    return _newest_first(found)


def households_of(*, ctx: Context, person_id: str) -> list[tuple[str, str]]:
    """(id, name) of the households a person belongs to, for the note form."""
    ctx.require(Permission.CASE_NOTES)
    return [(r[0], r[1]) for r in ctx.db.execute(
        "SELECT h.id, h.name FROM household h JOIN household_member m ON m.household_id = h.id"
        " WHERE m.person_id = ? AND m.deleted = 0 AND h.deleted = 0 ORDER BY h.name, h.id",
        [person_id]).fetchall()]


@dataclass(frozen=True)
class PersonFile:
    """What the case-notes screen shows of one person, read in one go: the notes (newest
    first), the person's households with their members (mediation parties), and the people
    those notes name."""

    person: Person
    notes: list[CaseNote]
    households: list[tuple[str, str]]
    members: dict[str, list[Person]]
    people: dict[str, Person]
    warning: str | None
    conflicts: dict[str, list[NoteConflict]] = field(default_factory=dict)


def person_file(*, ctx: Context, person_id: str) -> PersonFile:
    ctx.require(Permission.CASE_NOTES)
    person = persons.get(ctx.db, person_id)
    if person is None or person.deleted:
        raise errors.NotFound()
    notes = notes_of_person(ctx=ctx, person_id=person_id)
    homes = households_of(ctx=ctx, person_id=person_id)
    member_ids = {h: [r[0] for r in ctx.db.execute(
        "SELECT person_id FROM household_member WHERE household_id = ? AND deleted = 0"
        " ORDER BY rid", [h]).fetchall()] for h, _name in homes}
    wanted = {person_id, *(i for ids in member_ids.values() for i in ids),
              *(i for n in notes for i in n.parties)}
    people = persons.get_many(ctx.db, sorted(wanted))
    members = {h: [people[i] for i in ids if i in people and not people[i].deleted]
               for h, ids in member_ids.items()}
    conflicts = {n.id: found for n in notes
                 if (found := note_conflicts(ctx=ctx, kind=n.kind, note_id=n.id))}
    return PersonFile(person, notes, homes, members, people, sync_warning(ctx=ctx), conflicts)


def sync_warning(*, ctx: Context) -> str | None:
    """A msgid when notes written now would be refused by HQ: this desktop is enrolled and
    the signed-in counsellor's account was made here, not at HQ."""
    ctx.require(Permission.CASE_NOTES)
    enrolled = ctx.db.execute("SELECT device_id != '' FROM sync_state WHERE id = 1").fetchone()
    source = ctx.db.execute("SELECT source FROM user_account WHERE id = ?", [ctx.user.id]).fetchone()
    if enrolled and enrolled[0] and (source is None or source[0] != "hq"):
        return N_("Your account exists on this desktop only: HQ will refuse your notes, which "
                  "stay here. Ask HQ for a counsellor account and sign in with it.")
    return None


def refusal_text(reason: str) -> str:
    """The msgid explaining one of HQ's refusal reasons (format `REFUSED_OTHER` with it)."""
    return REFUSALS.get(reason, REFUSED_OTHER)


def _newest_first(notes: list[CaseNote]) -> list[CaseNote]:
    return sorted(notes, key=lambda n: (n.session_date, n.updated_at, n.id), reverse=True)


def _notes(ctx: Context, table: str, where: str, params: list[Any]) -> list[CaseNote]:
    cur = ctx.db.execute(
        f"SELECT n.*, coalesce(u.display_name, '') AS counsellor_name,"
        " (SELECT r.reason FROM outbox o JOIN sync_rejected r ON r.op_id = o.op_id"
        f"   WHERE o.entity = '{table}' AND o.entity_id = n.id"
        "   ORDER BY o.epoch DESC, o.seq DESC LIMIT 1) AS refused"
        f" FROM {table} n LEFT JOIN user_account u ON u.id = n.counsellor_id WHERE {where}",
        params)
    out = []
    for r in rows.dicts(cur):
        common: dict[str, Any] = {
            "kind": table, "id": r["id"], "session_date": _day(r["session_date"]) or date.min,
            "note": r["note"], "follow_up_date": _day(r["follow_up_date"]),
            "counsellor_id": r["counsellor_id"], "counsellor_name": r["counsellor_name"],
            "updated_at": r["updated_at"], "refused": r["refused"]}
        if table == COUNSELLING:
            out.append(CaseNote(**common, person_id=r["person_id"],
                                household_id=r["household_id"], topic=r["topic"]))
        else:
            out.append(CaseNote(**common, household_id=r["household_id"],
                                parties=tuple(_parties(r["parties"])), stage=r["stage"],
                                outcome=r["outcome"]))
    return out


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _parties(text: str) -> list[str]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []
