"""The elderly day club's day: scan a member card to check in (expired memberships flagged,
health notes acknowledged), who came and who is still here, check-out, and for coordinators
new memberships."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import i18n
from jisr_desktop.domain.person import format_phone
from jisr_desktop.i18n import N_, _, translate_plural
from jisr_desktop.services import club
from jisr_desktop.services.enrollments import Enrollment
from jisr_desktop.ui.dialogs import show_failure
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column
from jisr_desktop.ui.screens.boards import DayBoard
from jisr_desktop.ui.screens.common import time_text
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.widgets import DateEdit, PersonPicker


def _membership(row: club.ClubDayRow) -> str:
    if row.membership_end is None:
        return ""
    text = i18n.format_date(row.membership_end, fmt="short")
    return _("⚠ expired {date}", date=text) if row.membership_expired else text


DAY_COLUMNS = (
    Column(N_("Member"), lambda r: (r.name_ar or r.name_lat) if i18n.current_language() == "ar"
           else (r.name_lat or r.name_ar)),
    Column(N_("Time in"), lambda r: time_text(r.time_in)),
    Column(N_("Time out"), lambda r: time_text(r.time_out)),
    Column(N_("Membership until"), _membership),
    Column(N_("Emergency contact"), lambda r: " ".join(x for x in (r.emergency_name, format_phone(r.emergency_phone)) if x)),
)


class EnrollMemberDialog(RetranslateMixin, QDialog):
    """A new club membership for a registered person.

    Signals:
        enrolled(object): the `Enrollment`.
    """

    enrolled = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.picker = PersonPicker(session)
        today = session.clock().astimezone().date()
        self.end = DateEdit(QDate(today.year + 1, today.month, min(today.day, 28)))
        self.end.setObjectName("membershipEnd")
        self.end.setCalendarPopup(True)
        self.open_ended = QCheckBox()
        self.open_ended.setObjectName("openEnded")
        self.contact = QLineEdit()
        self.contact.setObjectName("emergencyName")
        self.phone = QLineEdit()
        self.phone.setObjectName("emergencyPhone")
        self.health = QLineEdit()
        self.health.setObjectName("healthNotes")
        self.message = QLabel()
        self.message.setObjectName("enrollMessage")
        self.message.setWordWrap(True)
        self.save = QPushButton()
        self.save.setObjectName("enrollMember")
        self.labels = [QLabel() for _i in range(4)]
        form = QFormLayout()
        form.addRow(self.labels[0], self.end)
        form.addRow(self.open_ended)
        form.addRow(self.labels[1], self.contact)
        form.addRow(self.labels[2], self.phone)
        form.addRow(self.labels[3], self.health)
        box = QVBoxLayout(self)
        box.addWidget(self.picker, 1)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(self.save)
        self.open_ended.toggled.connect(lambda on: self.end.setEnabled(not on))
        self.save.clicked.connect(self.enroll)
        self.resize(560, 560)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New club membership"))
        for label, text in zip(self.labels, (_("Membership until"), _("Emergency contact"),
                                             _("Emergency phone"), _("Health notes")), strict=True):
            label.setText(text)
        self.open_ended.setText(_("No end date"))
        self.save.setText(_("Enroll"))

    def enroll(self) -> None:
        person_id = self.picker.current_id()
        if person_id is None:
            self.message.setText(_("Find the person first."))
            return
        qd = self.end.date()
        end = None if self.open_ended.isChecked() else date(qd.year(), qd.month(), qd.day())
        name, phone, health = self.contact.text(), self.phone.text() or None, self.health.text()
        self.session.call(lambda ctx: club.enroll_member(
            ctx=ctx, person_id=person_id, end_date=end, emergency_name=name, emergency_phone=phone,
            health_notes=health), self._done, self._failed)

    def _done(self, enrollment: Enrollment) -> None:
        self.enrolled.emit(enrollment)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        show_failure(self, self.message, exc)


class ElderlyClubScreen(DayBoard):
    """The club's day (the shared board: `jisr_desktop/ui/screens/boards.py`).

    Signals:
        day_loaded(object): the day's list was (re)loaded (list of `ClubDayRow`).
    """

    day_loaded = Signal(object)

    ROW_TYPE = club.ClubDayRow
    CARD_SERVICE = "club"
    COLUMNS = DAY_COLUMNS
    TABLE_NAME = "clubDay"
    SUMMARY_NAME = "daySummary"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        self.rows: list[club.ClubDayRow] = []
        super().__init__(session, parent)

    def retranslate(self) -> None:
        self.title.setText(_("Elderly club"))
        self.check_out_button.setText(_("Check out"))
        self.enroll_button.setText(_("New membership…"))
        present = sum(1 for r in self.rows if r.present)
        self.summary.setText(translate_plural("{n} member here now", "{n} members here now", present))
        super().retranslate()

    def refresh(self) -> None:
        self.session.call(lambda ctx: club.club_day(ctx=ctx), self._loaded, key=f"club-{id(self)}")

    def _loaded(self, rows: list[club.ClubDayRow]) -> None:
        self.rows = rows
        self.model.set_rows(rows)
        self.retranslate()
        self.day_loaded.emit(rows)

    def person_of(self, row: club.ClubDayRow) -> str:
        return row.person_id

    def name_of(self, row: club.ClubDayRow) -> str:
        return str(DAY_COLUMNS[0].value(row))

    def check_out(self) -> None:
        row = self.selected()
        if row is None or not row.present:
            return
        person_id = row.person_id
        self.session.call(lambda ctx: club.check_out_member(ctx=ctx, person_id=person_id),
                          lambda _event: self.refresh())

    def enroll_dialog(self) -> QDialog:
        return EnrollMemberDialog(self.session, self)
