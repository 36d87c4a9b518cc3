"""Retention and purge (rules in `domain/retention.py`; docs/privacy.md, "Retention").

`preview` tells a coordinator what a purge would remove today, by data category and count, and
what it keeps and why; `purge` removes exactly that, in one transaction, and writes one audit
entry per record and one for the whole purge.

Removing a record erases it, it does not only hide it: its personal fields are blanked (names,
phones, notes, health information …; the structural ones a reference or a count needs stay:
ids, service, dates) by an ordinary synced change, then the record is deleted. Both travel to
HQ through the existing sync, so HQ keeps a tombstone without the personal data, and every
other desktop of the center applies the same removal. The audit entry of the erasure names the
fields erased, never their values.

What a purge never touches:

- anything of a person under a legal hold (`set_hold`; local to this desktop, in `legal_hold`),
- anything of a person with an open follow-up case, an active or waitlisted enrolment, or a
  referral still waiting for its outcome,
- sealed counselling content (counselling and mediation notes, sealed plans and session notes),
  nor a person or case that still has some on this desktop: only a counsellor removes it, with
  `purge_sealed` (same rules, her ops signed with her key),
- events (check-ins, check-outs, attendance marks, visits): the protocol has no removal of an
  event yet, so they are counted in the preview and kept,
- the audit log, kept for its own period because it proves what was done.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import jisr_protocol as p
from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import rows
from jisr_desktop.db.connection import transaction
from jisr_desktop.domain import retention
from jisr_desktop.domain.retention import Category
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_

__all__ = ["CATEGORY_LABELS", "KEPT_LABELS", "Doomed", "Preview", "holds", "lift_hold",
           "periods", "preview", "preview_sealed", "purge", "purge_sealed", "set_hold"]

CATEGORY_LABELS: dict[str, str] = {
    Category.REGISTRATION: N_("Registration of a person and household"),
    Category.VISITS: N_("Referrals recorded at reception"),
    Category.FOLLOWUP: N_("Follow-up cases, their sessions and referrals"),
    Category.SEALED: N_("Sealed counselling content"),
    Category.NURSERY: N_("Nursery enrolments with health and allergy information"),
    Category.ATTENDANCE: N_("Elderly club, workshop and campaign participation"),
    Category.PHOTOS: N_("Photos"),
    Category.AUDIT: N_("Audit log"),
}

HOLD, OPEN, SEALED, EVENTS = "legal_hold", "open_case", "sealed", "events"
KEPT_LABELS: dict[str, str] = {
    HOLD: N_("Kept: a legal hold"),
    OPEN: N_("Kept: an open case, enrolment or referral"),
    SEALED: N_("Kept: sealed content, which only a counsellor may remove"),
    EVENTS: N_("Kept: past events (check-ins, attendance, visits), which cannot be removed "
               "from HQ yet"),
}

SEARCH_COLUMNS = {"search_names": "", "search_approx": "", "search_ids": ""}
EVENT_TABLES = ("check_in", "check_out", "attendance", "alert_ack", "visit")


@dataclass(frozen=True)
class Doomed:
    """One record a purge removes."""

    category: str
    table: str
    id: str
    person_id: str | None = None


@dataclass
class Preview:
    """What a purge on `on` removes (`doomed`), and what it keeps past its period and why
    (`kept`: reason → records)."""

    on: date
    doomed: list[Doomed] = field(default_factory=list)
    kept: Counter[str] = field(default_factory=Counter)

    def counts(self) -> dict[str, int]:
        """Records removed per data category, in the order of `CATEGORY_LABELS`."""
        found = Counter(d.category for d in self.doomed)
        return {c: found[c] for c in CATEGORY_LABELS if found[c]}

    def persons(self) -> int:
        return sum(1 for d in self.doomed if d.table == "person")


# --- legal holds ------------------------------------------------------------------------------

def set_hold(*, ctx: Context, person_id: str, reason: str) -> None:
    """Keep every record of the person out of any purge until the hold is lifted."""
    ctx.require(Permission.MANAGE_SETTINGS)
    if len(reason.strip()) < 3:
        raise errors.JisrError(N_("Write the reason (a few words at least)."), field="reason")
    if not ctx.db.execute("SELECT 1 FROM person WHERE id = ? AND deleted = 0",
                          [person_id]).fetchone():
        raise errors.JisrError(N_("Find the person in the registry first."), field="person_id")
    with transaction(ctx.db):
        ctx.db.execute("INSERT OR REPLACE INTO legal_hold(person_id, reason, set_by, set_at)"
                       " VALUES (?, ?, ?, ?)", [person_id, reason.strip(), ctx.user.id,
                                                ctx.now().isoformat()])
        ledger.audit(ctx, "legal_hold", "person", person_id, {"reason": [None, reason.strip()]})


def lift_hold(*, ctx: Context, person_id: str) -> bool:
    ctx.require(Permission.MANAGE_SETTINGS)
    with transaction(ctx.db):
        gone = ctx.db.execute("DELETE FROM legal_hold WHERE person_id = ?", [person_id]).rowcount
        if gone:
            ledger.audit(ctx, "lift_legal_hold", "person", person_id, {})
    return bool(gone)


def holds(*, ctx: Context) -> set[str]:
    return {r[0] for r in ctx.db.execute("SELECT person_id FROM legal_hold").fetchall()}


# --- what may go ------------------------------------------------------------------------------

def _day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _latest(*values: Any) -> date | None:
    days = [d for d in (_day(v) for v in values) if d is not None]
    return max(days) if days else None


def _all(ctx: Context, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    return rows.dicts(ctx.db.execute(sql, params or []))


class _Planner:
    def __init__(self, ctx: Context, on: date, months: dict[Category, int] | None) -> None:
        self.ctx, self.on, self.months = ctx, on, months
        self.out = Preview(on)
        self.taken: set[tuple[str, str]] = set()
        db = ctx.db
        self.held = holds(ctx=ctx)
        self.busy = {r[0] for r in db.execute(
            "SELECT person_id FROM followup_case WHERE deleted = 0 AND status != 'closed'"
            " AND person_id IS NOT NULL"
            " UNION SELECT person_id FROM enrollment WHERE deleted = 0 AND status != 'ended'"
            " UNION SELECT person_id FROM referral WHERE deleted = 0 AND outcome IS NULL"
        ).fetchall()}
        sealed_cases = {r[0] for r in db.execute(
            "SELECT case_id FROM followup_sealed WHERE deleted = 0").fetchall()}
        self.sealed_cases = sealed_cases
        self.sealed_persons = {r[0] for r in db.execute(
            "SELECT person_id FROM counselling_note WHERE deleted = 0"
            " UNION SELECT c.person_id FROM followup_case c WHERE c.deleted = 0 AND c.id IN"
            " (SELECT case_id FROM followup_sealed WHERE deleted = 0)").fetchall()}
        self.sealed_households = {r[0] for r in db.execute(
            "SELECT household_id FROM mediation_note WHERE deleted = 0").fetchall()}

    def due(self, category: Category, ended: date | None) -> bool:
        return retention.may_purge(category, ended_on=ended, today=self.on, months=self.months)

    def blocked(self, person_id: str | None, *, count: int = 1) -> bool:
        """Whether the person's records must stay (counted in `kept`)."""
        if person_id in self.held:
            self.out.kept[HOLD] += count
            return True
        if person_id in self.busy:
            self.out.kept[OPEN] += count
            return True
        return False

    def take(self, category: str, table: str, entity_id: str, person_id: str | None) -> None:
        if (table, entity_id) not in self.taken:
            self.taken.add((table, entity_id))
            self.out.doomed.append(Doomed(category, table, entity_id, person_id))

    # each category's records, past their period

    def enrolments(self) -> None:
        for e in _all(self.ctx, "SELECT id, person_id, service, ended_on, end_date FROM enrollment"
                                " WHERE deleted = 0 AND status = 'ended'"):
            category = Category.NURSERY if e["service"] == "nursery" else Category.ATTENDANCE
            if not self.due(category, _latest(e["ended_on"], e["end_date"])):
                continue
            pickups = _all(self.ctx, "SELECT id FROM pickup_authorisation WHERE deleted = 0"
                                     " AND enrollment_id = ?", [e["id"]])
            if self.blocked(e["person_id"], count=1 + len(pickups)):
                continue
            self.take(category, "enrollment", e["id"], e["person_id"])
            for a in pickups:
                self.take(category, "pickup_authorisation", a["id"], e["person_id"])

    def campaigns(self) -> None:
        for cp in _all(self.ctx, "SELECT cp.id, cp.person_id, c.day FROM campaign_participant cp"
                                 " JOIN campaign c ON c.id = cp.campaign_id WHERE cp.deleted = 0"):
            if self.due(Category.ATTENDANCE, _day(cp["day"])) and not self.blocked(cp["person_id"]):
                self.take(Category.ATTENDANCE, "campaign_participant", cp["id"], cp["person_id"])

    def visit_referrals(self) -> None:
        for r in _all(self.ctx, "SELECT id, person_id, outcome_on, referred_on FROM referral"
                                " WHERE deleted = 0 AND case_id IS NULL AND outcome IS NOT NULL"):
            ended = _latest(r["outcome_on"], r["referred_on"])
            if self.due(Category.VISITS, ended) and not self.blocked(r["person_id"]):
                self.take(Category.VISITS, "referral", r["id"], r["person_id"])

    def cases(self) -> None:
        for c in _all(self.ctx, "SELECT id, person_id, closed_on FROM followup_case"
                                " WHERE deleted = 0 AND status = 'closed'"):
            if not self.due(Category.FOLLOWUP, _day(c["closed_on"])):
                continue
            actions = _all(self.ctx, "SELECT id FROM followup_action WHERE deleted = 0"
                                     " AND case_id = ?", [c["id"]])
            refs = _all(self.ctx, "SELECT id FROM referral WHERE deleted = 0 AND case_id = ?",
                        [c["id"]])
            count = 1 + len(actions) + len(refs)
            if c["id"] in self.sealed_cases:
                self.out.kept[SEALED] += count
                continue
            if self.blocked(c["person_id"], count=count):
                continue
            self.take(Category.FOLLOWUP, "followup_case", c["id"], c["person_id"])
            for a in actions:
                self.take(Category.FOLLOWUP, "followup_action", a["id"], c["person_id"])
            for r in refs:
                self.take(Category.FOLLOWUP, "referral", r["id"], c["person_id"])

    def sealed(self) -> None:
        for table in p.COUNSELLING_ENTITIES:
            self.out.kept[SEALED] += self.ctx.db.execute(
                f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()[0]

    def persons(self) -> None:
        db = self.ctx.db
        last: dict[str, date | None] = {}
        for pid, created, updated in db.execute(
                "SELECT id, created_at, updated_at FROM person WHERE deleted = 0"
                " AND merged_into IS NULL").fetchall():
            last[pid] = _latest(created, updated)
        sources = (
            "SELECT person_id, max(day) FROM visit GROUP BY person_id",
            "SELECT person_id, max(day) FROM check_in GROUP BY person_id",
            "SELECT person_id, max(day) FROM attendance GROUP BY person_id",
            "SELECT person_id, max(coalesce(ended_on, end_date, start_date, requested_at))"
            " FROM enrollment WHERE deleted = 0 GROUP BY person_id",
            "SELECT person_id, max(coalesce(closed_on, opened_on)) FROM followup_case"
            " WHERE deleted = 0 GROUP BY person_id",
            "SELECT person_id, max(coalesce(outcome_on, referred_on)) FROM referral"
            " WHERE deleted = 0 GROUP BY person_id",
            "SELECT person_id, max(coalesce(withdrawn_on, given_on)) FROM consent"
            " WHERE deleted = 0 GROUP BY person_id",
            "SELECT cp.person_id, max(c.day) FROM campaign_participant cp JOIN campaign c"
            " ON c.id = cp.campaign_id WHERE cp.deleted = 0 GROUP BY cp.person_id",
        )
        for sql in sources:
            for pid, day in db.execute(sql).fetchall():
                if pid in last:
                    last[pid] = _latest(last[pid], day)
        households: set[str] = set()
        for pid, ended in last.items():
            if not self.due(Category.REGISTRATION, ended):
                continue
            if self.blocked(pid):
                continue
            member_of = [r[0] for r in db.execute(
                "SELECT household_id FROM household_member WHERE deleted = 0 AND person_id = ?",
                [pid]).fetchall()]
            if pid in self.sealed_persons or set(member_of) & self.sealed_households:
                self.out.kept[SEALED] += 1
                continue
            self.take(Category.REGISTRATION, "person", pid, pid)
            for table, column in (("household_member", "person_id"), ("member_card", "person_id"),
                                  ("consent", "person_id"), ("campaign_participant", "person_id"),
                                  ("enrollment", "person_id"), ("referral", "person_id"),
                                  ("followup_case", "person_id"),
                                  ("pickup_authorisation", "person_id")):
                for (rid,) in db.execute(f"SELECT id FROM {table} WHERE deleted = 0"
                                         f" AND {column} = ?", [pid]).fetchall():
                    self.take(Category.REGISTRATION, table, rid, pid)
            for (rid,) in db.execute(
                    "SELECT a.id FROM pickup_authorisation a JOIN enrollment e"
                    " ON e.id = a.enrollment_id WHERE a.deleted = 0 AND e.person_id = ?",
                    [pid]).fetchall():
                self.take(Category.REGISTRATION, "pickup_authorisation", rid, pid)
            for (rid,) in db.execute(
                    "SELECT a.id FROM followup_action a JOIN followup_case c ON c.id = a.case_id"
                    " WHERE a.deleted = 0 AND c.person_id = ?", [pid]).fetchall():
                self.take(Category.REGISTRATION, "followup_action", rid, pid)
            households.update(member_of)
        doomed_people = {d.id for d in self.out.doomed if d.table == "person"}
        for hid in sorted(households):
            left = [r[0] for r in db.execute(
                "SELECT person_id FROM household_member WHERE deleted = 0 AND household_id = ?",
                [hid]).fetchall()]
            if set(left) <= doomed_people:
                self.take(Category.REGISTRATION, "household", hid, None)
        people = {d.id for d in self.out.doomed if d.table == "person"}
        if people:
            marks = ", ".join("?" * len(people))
            for table in EVENT_TABLES:
                self.out.kept[EVENTS] += db.execute(
                    f"SELECT count(*) FROM {table} WHERE person_id IN ({marks})",
                    sorted(people)).fetchone()[0]

    def plan(self) -> Preview:
        self.enrolments()
        self.campaigns()
        self.visit_referrals()
        self.cases()
        self.sealed()
        self.persons()
        return self.out


def preview(*, ctx: Context, on: date | None = None,
            months: dict[Category, int] | None = None) -> Preview:
    """What a purge on `on` (today) would remove, and what it keeps."""
    ctx.require(Permission.MANAGE_SETTINGS)
    return _Planner(ctx, on or ctx.today(), months).plan()


# --- sealed content: a counsellor's purge ------------------------------------------------------

def _sealed_plan(ctx: Context, on: date, months: dict[Category, int] | None) -> Preview:
    """The sealed rows past their period: a person's counselling notes together (from her
    latest session or follow-up date), a household's mediation notes together, and the sealed
    plan and session notes of a closed case (from its closing)."""
    planner = _Planner(ctx, on, months)
    out = planner.out
    db = ctx.db
    for pid, last, n in db.execute(
            "SELECT person_id, max(max(session_date, coalesce(follow_up_date, ''))), count(*)"
            " FROM counselling_note WHERE deleted = 0 GROUP BY person_id").fetchall():
        if not planner.due(Category.SEALED, _day(last)) or planner.blocked(pid, count=n):
            continue
        for (rid,) in db.execute("SELECT id FROM counselling_note WHERE deleted = 0"
                                 " AND person_id = ?", [pid]).fetchall():
            planner.take(Category.SEALED, "counselling_note", rid, pid)
    for hid, last in db.execute(
            "SELECT household_id, max(max(session_date, coalesce(follow_up_date, '')))"
            " FROM mediation_note WHERE deleted = 0 GROUP BY household_id").fetchall():
        members = [r[0] for r in db.execute(
            "SELECT person_id FROM household_member WHERE deleted = 0 AND household_id = ?",
            [hid]).fetchall()]
        if not planner.due(Category.SEALED, _day(last)):
            continue
        if any(planner.blocked(m, count=0) for m in members):
            out.kept[HOLD if set(members) & planner.held else OPEN] += 1
            continue
        for (rid,) in db.execute("SELECT id FROM mediation_note WHERE deleted = 0"
                                 " AND household_id = ?", [hid]).fetchall():
            planner.take(Category.SEALED, "mediation_note", rid, None)
    for rid, pid, closed in db.execute(
            "SELECT s.id, c.person_id, c.closed_on FROM followup_sealed s JOIN followup_case c"
            " ON c.id = s.case_id WHERE s.deleted = 0 AND c.status = 'closed'").fetchall():
        if planner.due(Category.SEALED, _day(closed)) and not planner.blocked(pid):
            planner.take(Category.SEALED, "followup_sealed", rid, pid)
    return out


def preview_sealed(*, ctx: Context, on: date | None = None,
                   months: dict[Category, int] | None = None) -> Preview:
    """What a counsellor's purge of sealed content on `on` (today) would remove."""
    ctx.require(Permission.CASE_NOTES)
    return _sealed_plan(ctx, on or ctx.today(), months)


def purge_sealed(*, ctx: Context, on: date | None = None,
                 months: dict[Category, int] | None = None) -> Preview:
    """A counsellor removes the sealed content past its period, as `purge` does the rest:
    blanked, deleted, audited without values, synced; the ops are signed with her key when it
    is unlocked (else at her next sign-in, like her notes)."""
    from jisr_desktop.sync import sealed

    ctx.require(Permission.CASE_NOTES)
    with transaction(ctx.db):
        plan = _sealed_plan(ctx, on or ctx.today(), months)
        for doomed in plan.doomed:
            _erase(ctx, doomed)
        sealed.sign_pending(ctx.db, ctx.user.id)
        ledger.audit(ctx, "purge_sealed_run", "operation", "purge", {
            "on": [None, plan.on.isoformat()], "counts": [None, plan.counts()],
            "kept": [None, dict(plan.kept)]})
    return plan


def periods(settings: Any) -> dict[Category, int]:
    """The retention period of each category from `settings` (a `Settings`, or a dict:
    ``retention_<category>_months``),
    never longer than the default of docs/privacy.md: a center may shorten a period only."""
    return {c: min(int(settings[f"retention_{c}_months"]), default)
            for c, default in retention.DEFAULT_MONTHS.items()}


# --- erasure ----------------------------------------------------------------------------------

def blank_values(table: str) -> dict[str, Any]:
    """The values that erase a record's personal fields while keeping it valid for the synced
    schema: every field that is not an id, required, the center or the deletion flag."""
    out: dict[str, Any] = {}
    for name, spec in p.FIELDS[table].items():
        if name in ("deleted", "center_id") or spec.required or spec.type == "id":
            continue
        if spec.nullable:
            out[name] = None
        elif spec.type in ("text", "date", "datetime"):
            out[name] = ""
        elif spec.type == "json":
            out[name] = "[]"
        elif spec.type == "bool":
            out[name] = 0
    return out


def _erase(ctx: Context, doomed: Doomed) -> None:
    table, entity_id = doomed.table, doomed.id
    old = ledger.current_row(ctx.db, table, entity_id)
    if old is None or old["deleted"]:
        return
    at = ctx.now().isoformat()
    blanks = {k: v for k, v in blank_values(table).items() if k in old and old[k] != v}
    extra = SEARCH_COLUMNS if table == "person" else {}
    rev = old["rev"]
    if blanks:
        ts = ledger.next_hlc(ctx)
        base = {k: ledger.field_clock(ctx.db, table, entity_id, k) for k in blanks}
        rev += 1
        columns = blanks | extra | {"rev": rev, "dirty": 0, "updated_at": at}
        ctx.db.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in columns)}"
                       " WHERE id = ?", [*columns.values(), entity_id])
        ledger.set_field_clocks(ctx.db, [(table, entity_id, k, str(ts)) for k in blanks])
        ledger.add_op(ctx, table, entity_id, "upsert", blanks, base, ts, at)
    ts = ledger.next_hlc(ctx)
    base = {"deleted": ledger.field_clock(ctx.db, table, entity_id, "deleted")}
    ctx.db.execute(f"UPDATE {table} SET deleted = 1, rev = ?, dirty = 0, updated_at = ?"
                   " WHERE id = ?", [rev + 1, at, entity_id])
    ledger.set_field_clocks(ctx.db, [(table, entity_id, "deleted", str(ts))])
    ledger.add_op(ctx, table, entity_id, "delete", {"deleted": 1}, base, ts, at)
    ledger.audit(ctx, "purge", table, entity_id, {
        "deleted": [0, 1], "erased": [None, sorted(blanks)],
        "category": [None, doomed.category]})


def purge(*, ctx: Context, on: date | None = None,
          months: dict[Category, int] | None = None) -> Preview:
    """Remove what `preview` shows (computed again inside the transaction), audited."""
    ctx.require(Permission.MANAGE_SETTINGS)
    with transaction(ctx.db):
        plan = _Planner(ctx, on or ctx.today(), months).plan()
        for doomed in plan.doomed:
            _erase(ctx, doomed)
        gone = sorted({d.id for d in plan.doomed if d.table == "person"})
        for start in range(0, len(gone), 500):  # a household that stays loses a purged head
            part = gone[start:start + 500]
            for (hid,) in ctx.db.execute(
                    "SELECT id FROM household WHERE deleted = 0 AND head_person_id IN"
                    f" ({', '.join('?' * len(part))})", part).fetchall():
                ledger.write_record(ctx, "household", hid, {"head_person_id": None},
                                    action="purge_head")
        ledger.audit(ctx, "purge_run", "operation", "purge", {
            "on": [None, plan.on.isoformat()], "counts": [None, plan.counts()],
            "kept": [None, dict(plan.kept)]})
    return plan
