"""The elderly day club's day: every member with her status today (here, gone, absent, membership
expired); scan a member card or type her name to check in (expired memberships flagged, health
notes acknowledged; a member who left may come back the same day), check-out, and for
coordinators new memberships and their renewal."""

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
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_, _, translate_plural
from jisr_desktop.services import club
from jisr_desktop.services.enrollments import Enrollment
from jisr_desktop.ui.dialogs import show_failure
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column
from jisr_desktop.ui.screens.boards import DayBoard, stay_text
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_tone
from jisr_desktop.ui.widgets import DateEdit, PersonPicker, isolate


def _membership(row: club.ClubDayRow) -> str:
    if row.membership_end is None:
        return ""
    text = i18n.format_date(row.membership_end, fmt="short")
    return _("⚠ expired {date}", date=text) if row.membership_expired else text


DAY_COLUMNS = (
    Column(N_("Member"), lambda r: (r.name_ar or r.name_lat) if i18n.current_language() == "ar"
           else (r.name_lat or r.name_ar)),
    Column(N_("Today"), lambda r: stay_text(r.status, r.time_in, r.time_out, r.earlier)),
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


class RenewMembershipDialog(RetranslateMixin, QDialog):
    """Renew a member's club membership: a new end date (a year on by default) or none.

    Signals:
        renewed(object): the `Enrollment` as renewed.
    """

    renewed = Signal(object)

    def __init__(self, session: Session, row: club.ClubDayRow, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.row = row
        self.person_name = name
        today = session.clock().astimezone().date()
        base = row.membership_end if row.membership_end and row.membership_end > today else today
        self.heading = QLabel()
        self.heading.setObjectName("renewHeading")
        self.heading.setWordWrap(True)
        self.end = DateEdit(QDate(base.year + 1, base.month, min(base.day, 28)))
        self.end.setObjectName("renewEnd")
        self.end.setCalendarPopup(True)
        self.open_ended = QCheckBox()
        self.open_ended.setObjectName("renewOpenEnded")
        self.message = QLabel()
        self.message.setObjectName("renewMessage")
        self.message.setWordWrap(True)
        self.save = QPushButton()
        self.save.setObjectName("renewSave")
        self.end_label = QLabel()
        form = QFormLayout()
        form.addRow(self.end_label, self.end)
        form.addRow(self.open_ended)
        box = QVBoxLayout(self)
        box.addWidget(self.heading)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(self.save)
        self.open_ended.toggled.connect(lambda on: self.end.setEnabled(not on))
        self.save.clicked.connect(self.renew)
        self.retranslate()
        self.end.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Renew the membership"))
        ended = self.row.membership_end
        self.heading.setText(_("Membership of {name} ({file_no}) until {date}.", name=isolate(self.person_name),
                               file_no=isolate(self.row.file_no), date=i18n.format_date(ended, fmt="short"))
                             if ended else _("Membership of {name} ({file_no}), with no end date.",
                                             name=isolate(self.person_name), file_no=isolate(self.row.file_no)))
        self.end_label.setText(_("New end date"))
        self.open_ended.setText(_("No end date"))
        self.save.setText(_("Renew the membership of {name}", name=isolate(self.person_name)))

    def renew(self) -> None:
        enrollment_id = self.row.enrollment_id
        if enrollment_id is None:
            return
        qd = self.end.date()
        end = None if self.open_ended.isChecked() else date(qd.year(), qd.month(), qd.day())
        self.session.call(lambda ctx: club.renew_membership(ctx=ctx, enrollment_id=enrollment_id, end_date=end),
                          self._done, self._failed)

    def _done(self, enrollment: Enrollment) -> None:
        self.renewed.emit(enrollment)
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
        self.renew_button.clicked.connect(self.open_renew)

    def extra_buttons(self) -> list[QPushButton]:
        self.renew_button = self._button("renewButton", self.session.can(Permission.MANAGE_ENROLLMENTS))
        return [self.renew_button]

    def retranslate(self) -> None:
        self.title.setText(_("Elderly club"))
        self.enroll_button.setText(_("New membership…"))
        present = sum(1 for r in self.rows if r.present)
        self.summary.setText(translate_plural("{n} member here now", "{n} members here now", present))
        super().retranslate()

    def refresh(self) -> None:
        # Every member, not only today's arrivals: a new member is found (and her card reached)
        # before she first comes.
        self.session.call(lambda ctx: club.club_day(ctx=ctx, include_absent=True), self._loaded,
                          key=f"club-{id(self)}")

    def _loaded(self, rows: list[club.ClubDayRow]) -> None:
        self.rows = rows
        self.show_rows(rows)
        self.retranslate()
        self.day_loaded.emit(rows)

    def person_of(self, row: club.ClubDayRow) -> str:
        return row.person_id

    def name_of(self, row: club.ClubDayRow) -> str:
        return str(DAY_COLUMNS[0].value(row))

    def names_of(self, row: club.ClubDayRow) -> tuple[str, str]:
        return row.name_ar, row.name_lat

    def empty_text(self) -> str:
        return _("Nobody is a member of the club yet.")

    def update_actions(self, row: club.ClubDayRow | None) -> None:
        self.check_out_button.setText(_("Check out {name} ({file_no})", **self.named(row))
                                      if row is not None and row.present else _("Check out"))
        expired = row is not None and row.membership_expired
        self.renew_button.setText(_("Renew the membership of {name}…", name=self.named(row)["name"])
                                  if expired and row is not None else _("Renew the membership…"))
        self.renew_button.setEnabled(row is not None and row.enrollment_id is not None)
        set_tone(self.renew_button, "warning" if expired else None)
        if expired and row is not None and row.membership_end is not None:
            when = i18n.format_date(row.membership_end, fmt="short")
            self.who.setText(self.who.text() + " — " + (
                _("membership expired on {date}: renew it", date=when)
                if self.session.can(Permission.MANAGE_ENROLLMENTS)
                else _("membership expired on {date}: a coordinator renews it", date=when)))

    def check_in(self) -> None:
        """Check the chosen member in (no card with her, or back after going home)."""
        row = self.selected()
        if row is None or row.present:
            return
        person_id = row.person_id
        self.session.call(lambda ctx: club.check_in_member(ctx=ctx, person_id=person_id),
                          self.arrived_by_name, self.failed)

    def check_out(self) -> None:
        row = self.selected()
        if row is None or not row.present:
            return
        person_id = row.person_id
        self.session.call(lambda ctx: club.check_out_member(ctx=ctx, person_id=person_id),
                          lambda _event: self.refresh(), self.failed)

    def open_renew(self) -> None:
        """Renew the chosen member's membership (coordinators; an expired one is flagged)."""
        row = self.selected()
        if row is None or row.enrollment_id is None or not self.session.can(Permission.MANAGE_ENROLLMENTS):
            return
        dialog = RenewMembershipDialog(self.session, row, self.name_of(row), self)
        dialog.renewed.connect(lambda _e: self.refresh())
        self._open(dialog)

    def enroll_dialog(self) -> QDialog:
        return EnrollMemberDialog(self.session, self)
