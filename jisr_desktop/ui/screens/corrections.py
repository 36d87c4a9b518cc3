"""Correcting a wrong check-in or check-out (coordinators): cancel one recorded by mistake, or
correct its time, always with a written reason. A correction is a new event; the original
stays as it was recorded, and the corrections already made are listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import errors
from jisr_desktop.context import Context
from jisr_desktop.domain.attendance import Correction, CorrectionKind
from jisr_desktop.i18n import _
from jisr_desktop.services import attendance
from jisr_desktop.ui.dialogs import show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.screens.common import time_text
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone
from jisr_desktop.ui.widgets import message_label, show_messages

CHOICES = ("void_in", "void_out", "amend_in", "amend_out")


@dataclass(frozen=True)
class DayEvents:
    """A person's check-in of one day, its check-out if any, and the corrections so far."""

    check_in: dict[str, Any] | None
    check_out: dict[str, Any] | None
    history: list[Correction]


def load_events(ctx: Context, check_in_id: str) -> DayEvents:
    """(database worker)"""
    found = attendance.effective_events(ctx.db, "check_in", "id = ?", [check_in_id])
    check_in = found[0] if found else None
    check_out = attendance.live_check_out(ctx.db, check_in_id) if check_in else None
    history = attendance.history_of(ctx=ctx, event_id=check_in_id)
    for out in attendance.check_outs_of(ctx.db, check_in_id):
        history += attendance.history_of(ctx=ctx, event_id=out["id"])  # cancelled check-outs too
    return DayEvents(check_in, check_out, sorted(history, key=lambda c: (c.at, c.id)))


def apply_correction(ctx: Context, *, choice: str, events: DayEvents, at: datetime, reason: str) -> str:
    """Append the chosen correction (database worker); returns `choice`."""
    table, event = ("check_in", events.check_in) if choice.endswith("_in") else ("check_out", events.check_out)
    if event is None:
        raise errors.NotFound()
    if choice.startswith("void"):
        attendance.void_event(ctx=ctx, table=table, event_id=event["id"], reason=reason)
    else:
        attendance.amend_event(ctx=ctx, table=table, event_id=event["id"], patch={"at": at}, reason=reason)
    return choice


class CorrectionDialog(RetranslateMixin, QDialog):
    """Correct one person's check-in or check-out of a day.

    Signals:
        loaded(object): the events were read (`DayEvents`).
        corrected(str): a correction was recorded (its choice: void_in, void_out, amend_in, amend_out).
    """

    loaded = Signal(object)
    corrected = Signal(str)

    def __init__(self, session: Session, check_in_id: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.check_in_id = check_in_id
        self.name = name
        self.events: DayEvents | None = None
        self.heading = QLabel()
        set_role(self.heading, "heading")
        self.heading.setWordWrap(True)
        self.recorded = QLabel()
        self.recorded.setObjectName("recordedTimes")
        self.group = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        for choice in CHOICES:
            button = QRadioButton()
            button.setObjectName(f"choice_{choice}")
            self.group.addButton(button)
            self.choices[choice] = button
        self.time = QTimeEdit()
        self.time.setObjectName("correctedTime")
        self.time.setDisplayFormat("HH:mm")
        self.reason = QLineEdit()
        self.reason.setObjectName("correctionReason")
        self.messages = {"reason": message_label("reason")}
        self.apply_button = QPushButton()
        self.apply_button.setObjectName("applyCorrection")
        self.apply_button.setEnabled(False)
        self.history = QLabel()
        self.history.setObjectName("correctionHistory")
        self.history.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("correctionStatus")
        self.status.setWordWrap(True)
        set_tone(self.status, "alert")
        self.time_label, self.reason_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.time_label, self.time)
        form.addRow(self.reason_label, self.reason)
        form.addRow(self.messages["reason"])
        box = QVBoxLayout(self)
        box.addWidget(self.heading)
        box.addWidget(self.recorded)
        for button in self.choices.values():
            box.addWidget(button)
        box.addLayout(form)
        box.addWidget(self.apply_button)
        box.addWidget(self.status)
        box.addWidget(self.history)
        self.group.buttonToggled.connect(lambda _b, _on: self._choice_changed())
        self.apply_button.clicked.connect(self.apply)
        self.reason.returnPressed.connect(self.apply)
        for push in self.findChildren(QPushButton):
            push.setAutoDefault(False)  # Enter in the reason applies, once
        self.resize(520, 420)
        self.retranslate()
        self._choice_changed()
        self.session.call(lambda ctx: load_events(ctx, check_in_id), self._loaded, self._failed)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Correct an entry"))
        self.heading.setText(_("Correct the day of {name}", name=self.name))
        for choice, text in (("void_in", _("Cancel the check-in (recorded by mistake)")),
                             ("void_out", _("Cancel the check-out (the person is still here)")),
                             ("amend_in", _("Correct the arrival time")),
                             ("amend_out", _("Correct the departure time"))):
            self.choices[choice].setText(text)
        self.time_label.setText(_("Correct time"))
        self.reason_label.setText(_("Reason"))
        self.reason.setPlaceholderText(_("Why the correction is needed (required)"))
        self.apply_button.setText(_("Record the correction"))
        self._show()

    def _show(self) -> None:
        events = self.events
        if events is None or events.check_in is None:
            self.recorded.setText("")
            self.history.setText("")
            return
        arrived = time_text(datetime.fromisoformat(events.check_in["at"]))
        if events.check_out is not None:
            left = time_text(datetime.fromisoformat(events.check_out["at"]))
            self.recorded.setText(_("Arrived {arrived}, left {left}", arrived=arrived, left=left))
        else:
            self.recorded.setText(_("Arrived {arrived}, still here", arrived=arrived))
        lines = [(_("Cancelled: {reason}", reason=c.reason) if c.kind == CorrectionKind.VOID
                  else _("Corrected: {reason}", reason=c.reason)) for c in events.history]
        self.history.setText("\n".join([_("Corrections already made:")] + lines) if lines else "")

    def _loaded(self, events: DayEvents) -> None:
        self.events = events
        has_out = events.check_out is not None
        for choice in ("void_out", "amend_out"):
            self.choices[choice].setEnabled(has_out)
        if events.check_in is None:
            self.status.setText(_("This entry has already been cancelled."))
            for button in self.choices.values():
                button.setEnabled(False)
        self._show()
        self._choice_changed()
        self.loaded.emit(events)

    def choice(self) -> str | None:
        return next((c for c, b in self.choices.items() if b.isChecked()), None)

    def _choice_changed(self) -> None:
        choice, events = self.choice(), self.events
        amend = choice in ("amend_in", "amend_out")
        self.time.setEnabled(amend)
        if amend and events is not None:
            event = events.check_in if choice == "amend_in" else events.check_out
            if event is not None:
                local = datetime.fromisoformat(event["at"]).astimezone()
                self.time.setTime(QTime(local.hour, local.minute))
        self.apply_button.setEnabled(choice is not None and events is not None and events.check_in is not None)

    def corrected_at(self) -> datetime:
        """The typed time on the entry's day, in the desk's time zone, stored in UTC."""
        assert self.events is not None and self.events.check_in is not None
        day = date.fromisoformat(self.events.check_in["day"])
        qt = self.time.time()
        return datetime.combine(day, time(qt.hour(), qt.minute())).astimezone().astimezone(UTC)

    def apply(self) -> None:
        choice, events = self.choice(), self.events
        if choice is None or events is None:
            return
        at, reason = self.corrected_at(), self.reason.text()
        self.apply_button.setEnabled(False)
        self.session.call(lambda ctx: apply_correction(ctx, choice=choice, events=events, at=at, reason=reason),
                          self._done, self._failed)

    def _done(self, choice: str) -> None:
        self.corrected.emit(choice)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.apply_button.setEnabled(self.choice() is not None)
        if isinstance(exc, errors.ValidationFailed):
            show_messages(self.messages, exc.messages, fallback="reason")
        elif isinstance(exc, errors.JisrError):
            self.status.setText(exc.message())
        else:
            show_error(self, exc)
