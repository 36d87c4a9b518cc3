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
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import i18n
from jisr_desktop.domain.person import format_phone
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_, _, translate_plural
from jisr_desktop.services import club
from jisr_desktop.services.enrollments import Enrollment
from jisr_desktop.ui.dialogs import show_failure
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel
from jisr_desktop.ui.screens.cards import MemberCardDialog
from jisr_desktop.ui.screens.common import ScanBox, make_table, selected_row, time_text
from jisr_desktop.ui.screens.corrections import CorrectionDialog
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role
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


class ElderlyClubScreen(RetranslateMixin, QWidget):
    """The club's day.

    Signals:
        day_loaded(object): the day's list was (re)loaded (list of `ClubDayRow`).
    """

    day_loaded = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.rows: list[club.ClubDayRow] = []
        self.dialog: QDialog | None = None
        self.title = QLabel()
        set_role(self.title, "title")
        self.scan = ScanBox(session)
        self.scan.setVisible(session.can(Permission.CHECK_IN))
        self.summary = QLabel()
        self.summary.setObjectName("daySummary")
        self.model = RowsModel(DAY_COLUMNS, self)
        self.table = make_table(self.model, "clubDay")
        self.check_out_button = QPushButton()
        self.check_out_button.setObjectName("checkOutButton")
        self.check_out_button.setVisible(session.can(Permission.CHECK_IN))
        self.enroll_button = QPushButton()
        self.enroll_button.setObjectName("enrollButton")
        self.enroll_button.setVisible(session.can(Permission.MANAGE_ENROLLMENTS))
        self.card_button = QPushButton()
        self.card_button.setObjectName("cardButton")
        self.card_button.setVisible(session.can(Permission.CHECK_IN))
        self.correct_button = QPushButton()
        self.correct_button.setObjectName("correctButton")
        self.correct_button.setVisible(session.can(Permission.MANAGE_ENROLLMENTS))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.enroll_button)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.check_out_button)
        row.addWidget(self.card_button)
        row.addWidget(self.correct_button)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.scan)
        box.addLayout(row)
        box.addWidget(self.table, 1)
        self.scan.arrived.connect(lambda _a: self.refresh())
        self.check_out_button.clicked.connect(self.check_out)
        self.enroll_button.clicked.connect(self.new_record)
        self.card_button.clicked.connect(self.open_card)
        self.correct_button.clicked.connect(self.open_correction)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.title.setText(_("Elderly club"))
        self.check_out_button.setText(_("Check out"))
        self.enroll_button.setText(_("New membership…"))
        self.card_button.setText(_("Member card…"))
        self.correct_button.setText(_("Correct…"))
        present = sum(1 for r in self.rows if r.present)
        self.summary.setText(translate_plural("{n} member here now", "{n} members here now", present))
        self.model.retranslate()

    def refresh(self) -> None:
        self.session.call(lambda ctx: club.club_day(ctx=ctx), self._loaded, key=f"club-{id(self)}")

    def _loaded(self, rows: list[club.ClubDayRow]) -> None:
        self.rows = rows
        self.model.set_rows(rows)
        self.retranslate()
        self.day_loaded.emit(rows)

    def check_out(self) -> None:
        row = selected_row(self.table)
        if not isinstance(row, club.ClubDayRow) or not row.present:
            return
        person_id = row.person_id
        self.session.call(lambda ctx: club.check_out_member(ctx=ctx, person_id=person_id),
                          lambda _event: self.refresh())

    def open_card(self) -> None:
        """The selected member's card: its code, print it, or a new one for a lost card."""
        row = selected_row(self.table)
        if isinstance(row, club.ClubDayRow) and self.session.can(Permission.CHECK_IN):
            self.dialog = MemberCardDialog(self.session, row.person_id, "club", DAY_COLUMNS[0].value(row), self)
            self.dialog.setModal(True)
            self.dialog.show()

    def open_correction(self) -> None:
        """Cancel or correct the selected member's check-in or check-out (coordinators)."""
        row = selected_row(self.table)
        if isinstance(row, club.ClubDayRow) and row.check_in_id and self.session.can(Permission.MANAGE_ENROLLMENTS):
            dialog = CorrectionDialog(self.session, row.check_in_id, DAY_COLUMNS[0].value(row), self)
            dialog.corrected.connect(lambda _c: self.refresh())
            dialog.setModal(True)
            dialog.show()
            self.dialog = dialog

    def new_record(self) -> None:
        if not self.session.can(Permission.MANAGE_ENROLLMENTS):
            return
        dialog = EnrollMemberDialog(self.session, self)
        dialog.enrolled.connect(lambda _e: self.refresh())
        dialog.setModal(True)
        dialog.show()
        self.dialog = dialog

    def focus_search(self) -> None:
        self.scan.focus()

    def activated(self) -> None:
        self.scan.focus()
