"""Reception use cases: the program catalogue, logging a visit, the visits of a day.

A visit is an append-only event (`ledger.append_event`): it is written with its outbox op
and audit entry in one transaction and never updated afterwards. A visit whose outcome is
"referred" makes a referral with it (`services/followup.py`), followed up until its outcome is
recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import meta, persons
from jisr_desktop.db.connection import transaction
from jisr_desktop.domain.messages import errors_of
from jisr_desktop.domain.roles import Permission
from jisr_desktop.domain.visits import Outcome, Program, Visit, clean_visit
from jisr_desktop.i18n import N_
from jisr_desktop.services import followup

_VISIT_COLUMNS = ("id, person_id, visited_at, day, program_code, channel, outcome, referral_to,"
                  " notes, user_id")


@dataclass(frozen=True)
class VisitRow:
    """A visit with what the day's list shows of its person and program."""

    visit: Visit
    person_name_ar: str
    person_name_lat: str
    file_no: str
    program: Program | None

    def person_name(self, lang: str) -> str:
        first, second = ((self.person_name_ar, self.person_name_lat) if lang == "ar"
                         else (self.person_name_lat, self.person_name_ar))
        return first or second


def list_programs(*, ctx: Context) -> list[Program]:
    rows = ctx.db.execute("SELECT code, name_ar, name_fr, name_en FROM program WHERE active = 1"
                          " ORDER BY position, code").fetchall()
    return [Program(*r) for r in rows]


def log_visit(*, ctx: Context, data: dict[str, Any], visit_id: str | None = None) -> Visit:
    """Record that a person came (or phoned) and what for. Raises `ValidationFailed`."""
    ctx.require(Permission.LOG_VISIT)
    programs = {p.code for p in list_programs(ctx=ctx)}
    values, messages = clean_visit(data, programs=programs)
    if not errors_of(messages) and not _alive(ctx, values["person_id"]):
        raise errors.NotFound()
    if errors_of(messages):
        raise errors.ValidationFailed(messages)
    now = ctx.now()
    row = {**values, "visited_at": now.isoformat(), "day": ctx.today().isoformat(),
           "center_id": meta.get(ctx.db, "center_id"), "user_id": ctx.user.id}
    event_id = visit_id or ledger.new_id()
    with transaction(ctx.db):
        new = ledger.append_event(ctx, "visit", event_id, row, action="log_visit")
        if new and values["outcome"] == Outcome.REFERRED:  # followed up until its outcome is known
            followup.write_referral(ctx, person_id=values["person_id"],
                                    program_code=values["program_code"],
                                    body=values["referral_to"],
                                    due_on=_follow_up_on(data.get("follow_up_on")),
                                    visit_id=event_id, case_id=None)
    visit = _get(ctx, event_id)
    assert visit is not None
    return visit


def _follow_up_on(value: Any) -> date | None:
    """The referral's follow-up date typed with the visit (a date or ISO text), if any."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        raise errors.JisrError(N_("Enter the follow-up date as a date."),
                               field="follow_up_on") from None


def _alive(ctx: Context, person_id: str) -> bool:
    person = persons.get(ctx.db, person_id)
    return person is not None and not person.deleted and not person.merged_into


def _get(ctx: Context, visit_id: str) -> Visit | None:
    row = ctx.db.execute(f"SELECT {_VISIT_COLUMNS} FROM visit WHERE id = ?", [visit_id]).fetchone()
    return Visit(*row) if row else None


def visits_on(*, ctx: Context, day: date) -> list[VisitRow]:
    """The visits of one day, latest first, with the person's names and the program."""
    programs = {p.code: p for p in list_programs(ctx=ctx)}
    rows = ctx.db.execute(
        f"SELECT {', '.join('v.' + c.strip() for c in _VISIT_COLUMNS.split(','))},"
        " p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat, p.file_no"
        " FROM visit v LEFT JOIN person p ON p.id = v.person_id"
        " WHERE v.day = ? ORDER BY v.visited_at DESC, v.id DESC", [day.isoformat()]).fetchall()
    out = []
    for r in rows:
        visit = Visit(*r[:10])
        g_ar, f_ar, g_lat, f_lat, file_no = r[10:]
        out.append(VisitRow(
            visit=visit,
            person_name_ar=" ".join(x for x in (g_ar, f_ar) if x),
            person_name_lat=" ".join(x for x in (g_lat, f_lat) if x),
            file_no=file_no or "", program=programs.get(visit.program_code)))
    return out


def visits_of(*, ctx: Context, person_id: str) -> list[Visit]:
    """A person's visits, latest first, including those of records merged into this one.

    Visits are events and are never re-pointed by a merge; they are followed through
    `merged_into` when read, so that undoing a merge gives them back at once."""
    rows = ctx.db.execute(
        "WITH RECURSIVE same(id) AS (SELECT ? UNION SELECT p.id FROM person p"
        " JOIN same s ON p.merged_into = s.id)"
        f" SELECT {_VISIT_COLUMNS} FROM visit WHERE person_id IN (SELECT id FROM same)"
        " ORDER BY visited_at DESC", [person_id]).fetchall()
    return [Visit(*r) for r in rows]
