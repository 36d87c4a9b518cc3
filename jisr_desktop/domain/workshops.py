"""Workshops and training (pure): sessions, attendance marks, completion, the session now.

Completion counts present and late as attended; an excused absence leaves the session out
of the participant's count (it is neither held against nor for them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from jisr_desktop.domain.attendance import check_reason
from jisr_desktop.domain.messages import FieldMessage
from jisr_desktop.domain.normalize import control_messages
from jisr_desktop.i18n import N_

DEFAULT_THRESHOLD = 0.75
EARLY_CHECKIN = timedelta(minutes=30)   # a participant may check in this long before the start
LATE_AFTER = timedelta(minutes=15)      # arriving later than this after the start is "late"
MAX_TITLE = 200


class Mark(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    LATE = "late"
    EXCUSED = "excused"


MARK_LABELS = {
    Mark.PRESENT: N_("Present"),
    Mark.ABSENT: N_("Absent"),
    Mark.LATE: N_("Late"),
    Mark.EXCUSED: N_("Excused"),
}
ATTENDED = frozenset({Mark.PRESENT, Mark.LATE})


class Completion(StrEnum):
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    NOT_COMPLETED = "not_completed"


COMPLETION_LABELS = {
    Completion.COMPLETED: N_("Completed"),
    Completion.IN_PROGRESS: N_("In progress"),
    Completion.NOT_COMPLETED: N_("Not completed"),
}


def check_mark(status: str, reason: str | None) -> list[FieldMessage]:
    if status not in set(Mark):
        return [FieldMessage("status", "error", N_("Choose present, absent, late or excused."))]
    if status == Mark.EXCUSED:
        return check_reason(reason)
    return []


def clean_workshop(raw: dict[str, Any], categories: set[str]) -> tuple[dict[str, Any], list[FieldMessage]]:
    msgs: list[FieldMessage] = []
    out: dict[str, Any] = {k: raw[k] for k in ("category_code", "title", "trainer", "capacity",
                               "completion_threshold", "start_date", "end_date", "notes") if k in raw}
    if "title" in out:
        out["title"] = " ".join(str(out["title"] or "").split())
        if not out["title"]:
            msgs.append(FieldMessage("title", "error", N_("Enter the title.")))
        elif len(out["title"]) > MAX_TITLE:
            msgs.append(FieldMessage("title", "error", N_("This text is too long (at most {max} characters)."),
                                     {"max": MAX_TITLE}))
    if "trainer" in out:
        out["trainer"] = " ".join(str(out["trainer"] or "").split())
    if "category_code" in out and out["category_code"] not in categories:
        msgs.append(FieldMessage("category_code", "error", N_("Choose a category from the list.")))
    if out.get("capacity") is not None and int(out["capacity"]) < 1:
        msgs.append(FieldMessage("capacity", "error", N_("The capacity must be at least 1, or empty for no limit.")))
    threshold = out.get("completion_threshold")
    if threshold is not None and not 0 < float(threshold) <= 1:
        msgs.append(FieldMessage("completion_threshold", "error",
                                 N_("The attendance needed to complete must be between 1% and 100%.")))
    if out.get("start_date") and out.get("end_date") and out["end_date"] < out["start_date"]:
        msgs.append(FieldMessage("end_date", "error", N_("The end date is before the start date.")))
    msgs[:0] = control_messages(raw, {"title": N_("Title"), "trainer": N_("Trainer"),
                                      "notes": N_("Notes")}, multiline={"notes"})
    return out, msgs


def check_session(starts_at: datetime, ends_at: datetime) -> list[FieldMessage]:
    if ends_at <= starts_at:
        return [FieldMessage("ends_at", "error", N_("A session must end after it starts."))]
    return []


@dataclass(frozen=True)
class SessionTime:
    id: str
    workshop_id: str
    starts_at: datetime
    ends_at: datetime


def session_open_at(sessions: Iterable[SessionTime], now: datetime) -> SessionTime | None:
    """The session a participant arriving `now` is checking into: one running now, or about
    to start; the one starting soonest wins when several match."""
    open_ = [s for s in sessions if s.starts_at - EARLY_CHECKIN <= now <= s.ends_at]
    return min(open_, key=lambda s: (abs((s.starts_at - now).total_seconds()), s.id), default=None)


def arrival_mark(starts_at: datetime, now: datetime) -> Mark:
    return Mark.LATE if now > starts_at + LATE_AFTER else Mark.PRESENT


@dataclass(frozen=True)
class CompletionResult:
    attended: int
    counted: int          # held sessions minus excused ones
    rate: float
    status: Completion


def completion(marks: Sequence[str | None], *, sessions_total: int,
               threshold: float = DEFAULT_THRESHOLD) -> CompletionResult:
    """`marks` holds one mark per session held so far (None: not marked, counted absent).
    Completed or not is decided once every scheduled session has been held."""
    attended = sum(1 for m in marks if m in ATTENDED)
    counted = sum(1 for m in marks if m != Mark.EXCUSED)
    rate = attended / counted if counted else 0.0
    if len(marks) < sessions_total or sessions_total == 0:
        status = Completion.IN_PROGRESS
    else:
        status = Completion.COMPLETED if counted and rate + 1e-9 >= threshold else Completion.NOT_COMPLETED
    return CompletionResult(attended, counted, rate, status)
