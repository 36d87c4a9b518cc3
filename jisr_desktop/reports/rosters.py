"""The day's rosters: nursery (drop-off and pick-up), elderly club attendance, workshop
session sign-in sheets, each filled from the day's events or blank ("paper fallback": the
enrolled names with empty time and signature cells, for days when the PC is down).

All strings come from the gettext catalogs in the roster's language, which may differ from
the desktop's. Rosters are landscape A4 so that signature cells have room.

A French roster is in French order (issue 14, point 7): sorted by the Latin family and given
names, and a guardian or an authorised pick-up who is a registered person is printed with her
Latin spelling when she has one; an Arabic roster keeps the Arabic order and spellings. A name
typed free at the desk (not a registered person) is printed as it was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from jisr_desktop.context import Context
from jisr_desktop.db import persons
from jisr_desktop.db.club import club_day
from jisr_desktop.db.nursery import ChildSafety, enrolled_children, nursery_day, nursery_safety
from jisr_desktop.db.workshops import session_sheet
from jisr_desktop.domain.person import Person, format_phone
from jisr_desktop.domain.workshops import MARK_LABELS, Mark
from jisr_desktop.i18n import N_
from jisr_desktop.reports.common import center_name, label, person_name, time_of_day
from jisr_desktop.reports.document import build_pdf
from jisr_desktop.reports.flowables import RosterTable, TextBlock
from jisr_desktop.reports.formatting import format_day, is_rtl
from jisr_desktop.reports.queries import sessions_on
from jisr_desktop.reports.text import mark_ltr

KINDS = ("nursery", "club", "workshop")
BLANK_EXTRA_ROWS = 4          # empty rows at the end of a paper roster, for walk-ins
SIGNATURE_ROW = 11 * mm       # room to sign

TITLES = {
    ("nursery", False): N_("Nursery — daily roster"),
    ("nursery", True): N_("Nursery — paper roster"),
    ("club", False): N_("Elderly club — attendance sheet"),
    ("club", True): N_("Elderly club — paper attendance sheet"),
    ("workshop", False): N_("Workshop — session sign-in sheet"),
    ("workshop", True): N_("Workshop — paper sign-in sheet"),
}
COL_NO = N_("No.")
COL_CHILD = N_("Child")
COL_GUARDIAN = N_("Guardian")
COL_HEALTH = N_("Allergies and health")
COL_PICKUPS = N_("Authorised to pick up")
AGE_MONTHS = N_("{months} months")
EMERGENCY = N_("Emergency: {phone} ({who})")
ALLERGY_LEGEND = N_("Shaded cell: allergy: check before any food or care.")
NURSERY_TOTALS = N_("Total on the roster: {total}. Present: {present}. Absent: {absent}. Still here: {here}.")
TOTALS_BLANK = N_("Total present: ____   Absent: ____   Still here at closing: ____")
PRINTED_AT = N_("Printed on {date} at {time}.")
SIGN_EDUCATOR = N_("Educator on duty — name and signature")
SIGN_COORDINATOR = N_("Coordinator — signature")
COL_TIME_IN = N_("Time in")
COL_TIME_OUT = N_("Time out")
COL_DROP_SIGN = N_("Dropped off by — signature")
COL_PICK_SIGN = N_("Picked up by — signature")
COL_MEMBER = N_("Member")
COL_AGE = N_("Age")
COL_SIGNATURE = N_("Signature")
COL_PARTICIPANT = N_("Participant")
COL_STATUS = N_("Attendance")
COL_TIME = N_("Time")
NOTE_EXPIRED = N_("Membership expired: renew it.")
NURSERY_SUMMARY = N_("Children on the roster: {total}. Arrived: {arrived}. Still present: {present}.")
CLUB_SUMMARY = N_("Members on the sheet: {total}. Came today: {came}.")
SESSION_SUMMARY = N_("Participants: {total}. Present or late: {attended}.")
PAPER_NOTE = N_("Paper roster: write the times and sign; enter it in Jisr Desktop when the computer works again.")
SESSION_HEADING = N_("{workshop} — {start} to {end}")
SESSION_WHEN = N_("{workshop} — {day}, {start} to {end}")
SESSION_DETAILS = N_("Trainer: {trainer}. Topic: {topic}.")
NO_SESSION = N_("No workshop session on this day.")


@dataclass(frozen=True)
class RosterRequest:
    kind: str          # nursery | club | workshop
    day: date
    lang: str
    blank: bool = False
    session_id: str | None = None


def build_roster(target: str | Path | IO[bytes], *, ctx: Context, request: RosterRequest) -> int:
    """Write one roster PDF; returns its page count."""
    builders = {"nursery": _nursery_story, "club": _club_story, "workshop": _workshop_story}
    if request.kind not in builders:
        raise ValueError(f"unknown roster {request.kind!r}")
    story = builders[request.kind](ctx, request)
    lang = request.lang
    return build_pdf(target, lang=lang, center_name=center_name(ctx.db, lang),
                     title=label(TITLES[(request.kind, request.blank)], lang), date=request.day,
                     story=story, orientation="landscape")


def _note(text: str, lang: str) -> Flowable:
    return TextBlock(text, rtl=is_rtl(lang), size=10)


def _blank_rows(rows: list[list[str]], width: int, start: int) -> list[list[str]]:
    return rows + [[str(start + i)] + [""] * (width - 1) for i in range(BLANK_EXTRA_ROWS)]


def _cin_tail(cin: str | None) -> str:
    """The last digits of a CIN only (enough to check at the door, not a copy of the card)."""
    return f"…{cin[-4:]}" if cin else ""


def paper_order(rows: list, person_of, lang: str, people: dict[str, Person]) -> list:  # type: ignore[type-arg,no-untyped-def]
    """``rows`` in the order of the paper's script: by Latin family then given name on a French
    paper (a person without a Latin name by her Arabic one, after), unchanged (the Arabic order
    of the services) on an Arabic paper. ``person_of(row)`` is the row's person id."""
    if lang != "fr":
        return rows

    def key(row) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
        p = people.get(person_of(row))
        if p is None or not (p.family_name_lat or p.given_name_lat):
            return (1, (p.display_name_ar if p else "").casefold(), "")
        return (0, p.family_name_lat.casefold(), p.given_name_lat.casefold())

    return sorted(rows, key=key)


def spelled(name: str, person_id: str | None, lang: str, people: dict[str, Person]) -> str:
    """A guardian's or pick-up's name in the paper's script when she is a registered person
    (the name stored on the authorisation otherwise)."""
    p = people.get(person_id or "")
    return person_name(p.display_name_ar, p.display_name_lat, lang) if p is not None else name


def _pickups(safety: ChildSafety | None, lang: str, people: dict[str, Person] | None = None) -> str:
    if safety is None:
        return ""
    lines = []
    for a in safety.pickups:
        parts = [spelled(a.name, a.person_id, lang, people or {})]
        if a.relationship:
            parts.append(a.relationship)
        if a.cin:
            parts.append(mark_ltr(_cin_tail(a.cin)))
        lines.append(" · ".join(parts))
    return "\n".join(lines)


def _nursery_story(ctx: Context, r: RosterRequest) -> list[Flowable]:
    lang = r.lang
    board = nursery_day(ctx=ctx, day=r.day)
    listed = board.rows
    if r.blank:  # the enrolled children only (the board also lists children who just came)
        enrolled = {e.person_id for e in enrolled_children(ctx=ctx)}
        listed = [row for row in board.rows if row.child_id in enrolled]
    safety = nursery_safety(ctx=ctx, day=r.day, child_ids=[row.child_id for row in listed])
    people = persons.get_many(ctx.db, sorted(
        {row.child_id for row in listed} | {a.person_id for s in safety.values() for a in s.pickups if a.person_id}))
    listed = paper_order(listed, lambda row: row.child_id, lang, people)
    rows = []
    highlight = []
    for i, row in enumerate(listed, start=1):
        s = safety.get(row.child_id)
        child = person_name(row.child_name_ar, row.child_name_lat, lang)
        if s is not None and s.age_months is not None:
            child += "\n" + label(AGE_MONTHS, lang, months=s.age_months)
        health = "\n".join(a.text(lang) for a in row.alerts if a.needs_ack)
        if s is not None and s.allergies:
            highlight.append((i - 1, 2))
        guardian_lines = [_guardian_name(row.guardian_name, s, lang, people), format_phone(row.guardian_phone)]
        if s is not None and s.emergency_phone:
            who = " · ".join(x for x in (s.emergency_name, s.emergency_relationship) if x)
            guardian_lines.append(label(EMERGENCY, lang, phone=mark_ltr(format_phone(s.emergency_phone) or ""),
                                        who=who or "—"))
        guardian = "\n".join(x for x in guardian_lines if x)
        pickups = _pickups(s, lang, people)
        if r.blank:
            rows.append([str(i), child, health, guardian, pickups, "", "", "", ""])
        else:
            drop = _as_authorised(row.dropped_off_by, s, lang, people)
            pick = _as_authorised(row.picked_up_by, s, lang, people)
            pick += f"\n({row.override_reason})" if row.override_reason else ""
            rows.append([str(i), child, health, guardian, pickups, time_of_day(row.time_in), drop,
                         time_of_day(row.time_out), pick])
    columns = [(label(COL_NO, lang), 0.3, "center"), (label(COL_CHILD, lang), 1.35),
               (label(COL_HEALTH, lang), 1.1), (label(COL_GUARDIAN, lang), 1.45),
               (label(COL_PICKUPS, lang), 1.45), (label(COL_TIME_IN, lang), 0.5, "center"),
               (label(COL_DROP_SIGN, lang), 1.1), (label(COL_TIME_OUT, lang), 0.5, "center"),
               (label(COL_PICK_SIGN, lang), 1.1)]
    story: list[Flowable] = []
    if r.blank:
        rows = _blank_rows(rows, len(columns), len(rows) + 1)
        story.append(_note(label(PAPER_NOTE, lang), lang))
    story.append(_note(label(ALLERGY_LEGEND, lang), lang))
    story += [Spacer(1, 2 * mm), RosterTable(columns, rows, lang=lang, size=8.5, min_row_height=SIGNATURE_ROW,
                                             highlight=highlight)]
    story.append(Spacer(1, 3 * mm))
    if r.blank:
        story.append(_note(label(TOTALS_BLANK, lang), lang))
    else:
        arrived = board.arrived_count
        absent = sum(1 for row in board.rows if row.time_in is None)  # on the roster, not come
        story.append(_note(label(NURSERY_TOTALS, lang, total=len(board.rows), present=arrived, absent=absent,
                                 here=len(board.present)), lang))
    now = ctx.now().astimezone()
    story.append(_note(label(PRINTED_AT, lang, date=format_day(now.date(), lang), time=now.strftime("%H:%M")), lang))
    story += [Spacer(1, 2 * mm), _sign_block(lang)]
    return story


def _guardian_name(stored: str, safety: ChildSafety | None, lang: str, people: dict[str, Person]) -> str:
    """The guardian column's name (the first guardian's authorisation, as the board takes it)
    in the paper's script."""
    if safety is not None:
        for a in [a for a in safety.pickups if a.is_guardian] or safety.pickups:
            if a.name == stored or not stored:
                return spelled(a.name, a.person_id, lang, people)
    return stored


def _as_authorised(name: str, safety: ChildSafety | None, lang: str, people: dict[str, Person]) -> str:
    """Who dropped off or picked up: an authorised person's name in the paper's script (the
    desk records the authorisation's name), any other name as typed."""
    if name and safety is not None:
        for a in safety.pickups:
            if a.name == name:
                return spelled(a.name, a.person_id, lang, people)
    return name


def _sign_block(lang: str) -> Flowable:
    return RosterTable([(label(SIGN_EDUCATOR, lang), 1.0), (label(SIGN_COORDINATOR, lang), 1.0)],
                       [["", ""]], lang=lang, size=9.5, min_row_height=16 * mm, zebra=False)


def _club_story(ctx: Context, r: RosterRequest) -> list[Flowable]:
    lang = r.lang
    members = club_day(ctx=ctx, day=r.day, include_absent=True)
    if lang == "fr":
        people = persons.get_many(ctx.db, [m.person_id for m in members])
        members = paper_order(members, lambda m: m.person_id, lang, people)
    rows = []
    for i, m in enumerate(members, start=1):
        name = person_name(m.name_ar, m.name_lat, lang)
        if m.membership_expired:
            name += "\n" + label(NOTE_EXPIRED, lang)
        age = "" if m.age is None else str(m.age)
        if r.blank:
            rows.append([str(i), name, age, "", "", ""])
        else:
            rows.append([str(i), name, age, time_of_day(m.time_in), time_of_day(m.time_out), ""])
    columns = [(label(COL_NO, lang), 0.35, "center"), (label(COL_MEMBER, lang), 2.6),
               (label(COL_AGE, lang), 0.45, "center"), (label(COL_TIME_IN, lang), 0.7, "center"),
               (label(COL_TIME_OUT, lang), 0.7, "center"), (label(COL_SIGNATURE, lang), 2.0)]
    story: list[Flowable] = []
    if r.blank:
        rows = _blank_rows(rows, len(columns), len(rows) + 1)
        story.append(_note(label(PAPER_NOTE, lang), lang))
    else:
        came = sum(1 for m in members if m.time_in is not None)
        story.append(_note(label(CLUB_SUMMARY, lang, total=len(members), came=came), lang))
    story += [Spacer(1, 2 * mm), RosterTable(columns, rows, lang=lang, min_row_height=SIGNATURE_ROW)]
    return story


def _workshop_story(ctx: Context, r: RosterRequest) -> list[Flowable]:
    lang = r.lang
    ids = [r.session_id] if r.session_id else [s["id"] for s in sessions_on(ctx.db, r.day)]
    story: list[Flowable] = []
    if not ids:
        return [_note(label(NO_SESSION, lang), lang)]
    for n, session_id in enumerate(ids):
        sheet = session_sheet(ctx=ctx, session_id=session_id)
        if n:
            story.append(PageBreak())
        when = label(SESSION_WHEN, lang, workshop=sheet.workshop_title,
                     day=format_day(_local_day(sheet.starts_at), lang),
                     start=mark_ltr(time_of_day(sheet.starts_at)), end=mark_ltr(time_of_day(sheet.ends_at)))
        if sheet.trainer or sheet.topic:
            story.append(_note(label(SESSION_DETAILS, lang, trainer=sheet.trainer or "—",
                                     topic=sheet.topic or "—"), lang))
        rows = []
        listed = sheet.rows
        if lang == "fr":
            people = persons.get_many(ctx.db, [row.person_id for row in listed])
            listed = paper_order(listed, lambda row: row.person_id, lang, people)
        for i, row in enumerate(listed, start=1):
            name = person_name(row.name_ar, row.name_lat, lang)
            if r.blank:
                rows.append([str(i), name, "", "", ""])
            else:
                status = label(MARK_LABELS[Mark(row.status)], lang) if row.status in set(Mark) else ""
                if row.reason:
                    status += f"\n{row.reason}"
                marked = ""
                if row.marked_at is not None:  # when the mark was typed, with its day
                    marked = f"{_local_day(row.marked_at):%d/%m/%Y}\n{time_of_day(row.marked_at)}"
                rows.append([str(i), name, status, marked, ""])
        columns = [(label(COL_NO, lang), 0.35, "center"), (label(COL_PARTICIPANT, lang), 2.6),
                   (label(COL_STATUS, lang), 1.0), (label(COL_TIME, lang), 0.8, "center"),
                   (label(COL_SIGNATURE, lang), 1.8)]
        if r.blank:
            rows = _blank_rows(rows, len(columns), len(rows) + 1)
            story.append(_note(label(PAPER_NOTE, lang), lang))
        else:
            attended = sheet.count("present") + sheet.count("late")
            story.append(_note(label(SESSION_SUMMARY, lang, total=len(sheet.rows), attended=attended), lang))
        story += [Spacer(1, 2 * mm), RosterTable(columns, rows, lang=lang, min_row_height=SIGNATURE_ROW,
                                                 caption=when)]
    return story


def _local_day(moment: datetime) -> date:
    """The local calendar day of a stored moment (as ``time_of_day`` gives its local time)."""
    return moment.astimezone().date()
