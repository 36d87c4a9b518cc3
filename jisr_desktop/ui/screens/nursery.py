"""The social nursery's daily board: scan a card to check a child in (alerts acknowledged on
the spot), check a child out to someone on the authorised list (or refused, unless a
coordinator overrides with a written reason), the "still here" count, and for coordinators
enrollment with the waitlist."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import errors, i18n
from jisr_desktop.context import SYSTEM_USER, Context
from jisr_desktop.domain.nursery import PickupAuthorisation, PickupClaim
from jisr_desktop.domain.person import Person
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_, _, translate_plural
from jisr_desktop.services import accounts, nursery, registry
from jisr_desktop.services.enrollments import Enrollment
from jisr_desktop.ui.dialogs import show_error, show_failure
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel
from jisr_desktop.ui.screens.cards import MemberCardDialog
from jisr_desktop.ui.screens.common import (
    ScanBox,
    make_table,
    selected_row,
    time_text,
)
from jisr_desktop.ui.screens.corrections import CorrectionDialog
from jisr_desktop.ui.screens.pickups import PickupsDialog
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone
from jisr_desktop.ui.widgets import PersonPicker


def _name(ar: str, lat: str) -> str:
    return (ar or lat) if i18n.current_language() == "ar" else (lat or ar)


def _alerts(row: nursery.NurseryDayRow) -> str:
    text = "; ".join(a.text() for a in row.alerts)
    return ("⚠ " + text) if row.needs_ack else text


BOARD_COLUMNS = (
    Column(N_("Child"), lambda r: _name(r.child_name_ar, r.child_name_lat)),
    Column(N_("Guardian"), lambda r: r.guardian_name),
    Column(N_("Time in"), lambda r: time_text(r.time_in)),
    Column(N_("Dropped off by"), lambda r: r.dropped_off_by),
    Column(N_("Time out"), lambda r: time_text(r.time_out)),
    Column(N_("Picked up by"), lambda r: r.picked_up_by),
    Column(N_("Alerts"), _alerts),
)
WAITLIST_COLUMNS = (
    Column(N_("Place"), lambda w: i18n.format_number(w[0].waitlist_position or 0)),
    Column(N_("Child"), lambda w: _name(w[1].display_name_ar, w[1].display_name_lat)),
    Column(N_("Asked on"), lambda w: i18n.format_date(
        datetime.fromisoformat(w[0].requested_at).astimezone().date(), fmt="short")),
)


def load_waitlist(ctx: Context) -> list[tuple[Enrollment, Person]]:
    """The waitlist with the children's records (database worker)."""
    waiting = nursery.waitlist(ctx=ctx)
    found = registry.person_rows(ctx.db, [e.person_id for e in waiting])
    return [(e, found[e.person_id]) for e in waiting if e.person_id in found]


class CheckOutDialog(RetranslateMixin, QDialog):
    """Who is taking the child home: chosen from the authorised list, or typed in (name and
    CIN). Someone not on the list is refused; a coordinator may override with a reason
    (signing here with their own account when the user at the desk cannot override).

    Signals:
        checked_out(object): the child left (the `CheckOut`).
        refused(str): the pick-up was refused (the message shown).
    """

    checked_out = Signal(object)
    refused = Signal(str)

    def __init__(self, session: Session, row: nursery.NurseryDayRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.row = row
        self.authorised: list[PickupAuthorisation] = []
        self.child = QLabel()
        set_role(self.child, "heading")
        self.list = QListWidget()
        self.list.setObjectName("pickupList")
        self.other_title = QLabel()
        self.name = QLineEdit()
        self.name.setObjectName("pickupName")
        self.cin = QLineEdit()
        self.cin.setObjectName("pickupCin")
        self.confirm = QPushButton()
        self.confirm.setObjectName("confirmCheckOut")
        self.message = QLabel()
        self.message.setObjectName("refusedLabel")
        self.message.setWordWrap(True)
        set_tone(self.message, "alert")
        self.message.setVisible(False)
        self.override = QGroupBox()
        self.override.setObjectName("overrideBox")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("overrideReason")
        self.reason.setFixedHeight(60)
        self.user = QLineEdit()
        self.user.setObjectName("overrideUser")
        self.password = QLineEdit()
        self.password.setObjectName("overridePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.override_button = QPushButton()
        self.override_button.setObjectName("overrideButton")
        self.needs_credentials = not session.can(Permission.OVERRIDE_PICKUP)
        self.form = QFormLayout(self.override)
        self.reason_label, self.user_label, self.password_label = QLabel(), QLabel(), QLabel()
        self.form.addRow(self.reason_label, self.reason)
        if self.needs_credentials:
            self.form.addRow(self.user_label, self.user)
            self.form.addRow(self.password_label, self.password)
        self.form.addRow(self.override_button)
        self.override.setVisible(False)
        other = QFormLayout()
        self.name_label, self.cin_label = QLabel(), QLabel()
        other.addRow(self.name_label, self.name)
        other.addRow(self.cin_label, self.cin)
        box = QVBoxLayout(self)
        box.addWidget(self.child)
        box.addWidget(self.list, 1)
        box.addWidget(self.other_title)
        box.addLayout(other)
        box.addWidget(self.confirm)
        box.addWidget(self.message)
        box.addWidget(self.override)
        self.confirm.clicked.connect(self.check_out)
        self.override_button.clicked.connect(self.check_out_with_override)
        self.list.itemDoubleClicked.connect(lambda _item: self.check_out())
        self.retranslate()
        session.call(lambda ctx: nursery.authorised_pickups(ctx=ctx, child_id=row.child_id), self._loaded)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Check out"))
        self.child.setText(_("Who is taking {name} home?", name=_name(self.row.child_name_ar, self.row.child_name_lat)))
        self.other_title.setText(_("Someone not in the list:"))
        self.name_label.setText(_("Name"))
        self.cin_label.setText(_("CIN"))
        self.confirm.setText(_("Check out"))
        self.override.setTitle(_("Coordinator override"))
        self.reason_label.setText(_("Reason"))
        self.user_label.setText(_("Coordinator user name"))
        self.password_label.setText(_("Password"))
        self.override_button.setText(_("Override and check out"))

    def _loaded(self, authorised: list[PickupAuthorisation]) -> None:
        self.authorised = authorised
        self.list.clear()
        for auth in authorised:
            parts = [auth.name]
            if auth.is_guardian:
                parts.append(_("guardian"))
            elif auth.relationship:
                parts.append(auth.relationship)
            if auth.cin:
                parts.append(auth.cin)
            item = QListWidgetItem(" — ".join(parts))
            item.setData(256, auth.id)
            self.list.addItem(item)

    def claim(self) -> PickupClaim:
        item = self.list.currentItem()
        if item is not None and item.isSelected() and not self.name.text().strip():
            return PickupClaim(authorisation_id=item.data(256))
        return PickupClaim(name=self.name.text(), cin=self.cin.text() or None)

    def check_out(self) -> None:
        claim, child_id = self.claim(), self.row.child_id
        self.session.call(lambda ctx: nursery.check_out_child(ctx=ctx, child_id=child_id, claim=claim),
                          self._done, self._failed)

    def check_out_with_override(self) -> None:
        claim, child_id = self.claim(), self.row.child_id
        reason = self.reason.toPlainText()
        username, password = self.user.text(), self.password.text()
        needs_credentials = self.needs_credentials

        def job(ctx: Context) -> nursery.CheckOut:
            acting = ctx
            if needs_credentials:
                coordinator = accounts.sign_in(ctx=Context(db=ctx.db, user=SYSTEM_USER, clock=ctx.clock),
                                               username=username, password=password)
                acting = Context(db=ctx.db, user=coordinator, clock=ctx.clock)
            return nursery.check_out_child(ctx=acting, child_id=child_id, claim=claim, override_reason=reason)

        self.session.call(job, self._done, self._failed)

    def _done(self, result: nursery.CheckOut) -> None:
        self.checked_out.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, errors.ValidationFailed):
            text = "\n".join(m.text() for m in exc.messages)
        elif isinstance(exc, errors.JisrError):
            text = exc.message()
        else:
            show_error(self, exc)
            return
        self.message.setText(text)
        self.message.setVisible(True)
        if isinstance(exc, nursery.PickupRefused):
            self.override.setVisible(True)
            self.reason.setFocus()
            self.refused.emit(text)
        self.password.clear()


class EnrollChildDialog(RetranslateMixin, QDialog):
    """Enroll a registered child; beyond capacity the child goes on the waitlist.

    Signals:
        enrolled(object): the `Enrollment` (active or waitlisted).
    """

    enrolled = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.picker = PersonPicker(session)
        self.allergies = QLineEdit()
        self.allergies.setObjectName("allergies")
        self.medical = QLineEdit()
        self.medical.setObjectName("medicalNotes")
        self.save = QPushButton()
        self.save.setObjectName("enrollChild")
        self.message = QLabel()
        self.message.setObjectName("enrollMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        self.allergies_label, self.medical_label = QLabel(), QLabel()
        form.addRow(self.allergies_label, self.allergies)
        form.addRow(self.medical_label, self.medical)
        box = QVBoxLayout(self)
        box.addWidget(self.picker, 1)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(self.save)
        self.save.clicked.connect(self.enroll)
        self.resize(560, 520)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Enroll a child"))
        self.allergies_label.setText(_("Allergies"))
        self.medical_label.setText(_("Medical notes"))
        self.save.setText(_("Enroll"))

    def enroll(self) -> None:
        child_id = self.picker.current_id()
        if child_id is None:
            self.message.setText(_("Find the child first."))
            return
        allergies, medical = self.allergies.text(), self.medical.text()
        capacity = int(self.session.settings["nursery_capacity"])
        self.session.call(lambda ctx: nursery.enroll_child(ctx=ctx, child_id=child_id, allergies=allergies,
                                                           medical_notes=medical, capacity=capacity),
                          self._done, self._failed)

    def _done(self, enrollment: Enrollment) -> None:
        self.enrolled.emit(enrollment)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        show_failure(self, self.message, exc)


class NurseryScreen(RetranslateMixin, QWidget):
    """The nursery's day.

    Signals:
        board_loaded(object): the day's board was (re)loaded (the `NurseryBoard`).
        waitlist_loaded(object): the waitlist was (re)loaded (list of (`Enrollment`, `Person`)).
    """

    board_loaded = Signal(object)
    waitlist_loaded = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.board: nursery.NurseryBoard | None = None
        self.dialog: QDialog | None = None
        self.title = QLabel()
        set_role(self.title, "title")
        self.scan = ScanBox(session)
        self.scan.setVisible(session.can(Permission.CHECK_IN))
        self.summary = QLabel()
        self.summary.setObjectName("boardSummary")
        self.model = RowsModel(BOARD_COLUMNS, self)
        self.table = make_table(self.model, "nurseryBoard")
        self.check_out_button = QPushButton()
        self.check_out_button.setObjectName("checkOutButton")
        self.check_out_button.setVisible(session.can(Permission.CHECK_IN))
        self.enroll_button = QPushButton()
        self.enroll_button.setObjectName("enrollButton")
        manage = session.can(Permission.MANAGE_ENROLLMENTS)
        self.card_button = QPushButton()
        self.card_button.setObjectName("cardButton")
        self.card_button.setVisible(session.can(Permission.CHECK_IN))
        self.pickups_button = QPushButton()
        self.pickups_button.setObjectName("pickupsButton")
        self.pickups_button.setVisible(manage)
        self.correct_button = QPushButton()
        self.correct_button.setObjectName("correctButton")
        self.correct_button.setVisible(manage)
        self.enroll_button.setVisible(manage)
        self.waitlist_title = QLabel()
        self.waitlist_title.setVisible(manage)
        self.waitlist = RowsModel(WAITLIST_COLUMNS, self)
        self.waitlist_table = make_table(self.waitlist, "waitlistTable")
        self.waitlist_table.setVisible(manage)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.enroll_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.check_out_button)
        for extra in (self.card_button, self.pickups_button, self.correct_button):
            buttons.addWidget(extra)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.scan)
        box.addLayout(buttons)
        box.addWidget(self.table, 3)
        box.addWidget(self.waitlist_title)
        box.addWidget(self.waitlist_table, 1)
        self.scan.arrived.connect(lambda _a: self.refresh())
        self.scan.acknowledged.connect(lambda _id: self.refresh())
        self.check_out_button.clicked.connect(self.open_check_out)
        self.enroll_button.clicked.connect(self.new_record)
        self.card_button.clicked.connect(self.open_card)
        self.pickups_button.clicked.connect(self.open_pickups)
        self.correct_button.clicked.connect(self.open_correction)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.title.setText(_("Nursery"))
        self.check_out_button.setText(_("Check out…"))
        self.card_button.setText(_("Member card…"))
        self.pickups_button.setText(_("Pick-up list…"))
        self.correct_button.setText(_("Correct…"))
        self.enroll_button.setText(_("Enroll a child…"))
        self.waitlist_title.setText(_("Waitlist"))
        board = self.board
        if board is not None:
            self.summary.setText(translate_plural("{n} child still here", "{n} children still here",
                                                  len(board.present)))
        self.model.retranslate()
        self.waitlist.retranslate()

    def refresh(self) -> None:
        self.session.call(lambda ctx: nursery.nursery_day(ctx=ctx), self._loaded, key=f"nursery-{id(self)}")
        if self.session.can(Permission.MANAGE_ENROLLMENTS):
            self.session.call(load_waitlist, self._waitlist_loaded,
                              key=f"nursery-waitlist-{id(self)}")

    def _loaded(self, board: nursery.NurseryBoard) -> None:
        self.board = board
        self.model.set_rows(board.rows)
        self.retranslate()
        self.board_loaded.emit(board)

    def _waitlist_loaded(self, waiting: list[tuple[Enrollment, Person]]) -> None:
        self.waitlist.set_rows(waiting)
        self.waitlist_loaded.emit(waiting)

    def select_child(self, child_id: str) -> bool:
        for i, row in enumerate(self.model.rows):
            if row.child_id == child_id:
                self.table.selectRow(i)
                return True
        return False

    def open_check_out(self) -> None:
        row = selected_row(self.table)
        if not isinstance(row, nursery.NurseryDayRow) or not row.present:
            return
        dialog = CheckOutDialog(self.session, row, self)
        dialog.checked_out.connect(lambda _c: self.refresh())
        dialog.setModal(True)
        dialog.show()
        self.dialog = dialog

    def _open(self, dialog: QDialog) -> None:
        dialog.setModal(True)
        dialog.show()
        self.dialog = dialog

    def open_card(self) -> None:
        """The selected child's member card: its code, print it, or a new one for a lost card."""
        row = selected_row(self.table)
        if isinstance(row, nursery.NurseryDayRow) and self.session.can(Permission.CHECK_IN):
            self._open(MemberCardDialog(self.session, row.child_id, "nursery",
                                        _name(row.child_name_ar, row.child_name_lat), self))

    def open_pickups(self) -> None:
        """Who may take the selected child home (coordinators add and remove)."""
        row = selected_row(self.table)
        if isinstance(row, nursery.NurseryDayRow) and self.session.can(Permission.MANAGE_ENROLLMENTS):
            self._open(PickupsDialog(self.session, row.child_id, _name(row.child_name_ar, row.child_name_lat), self))

    def open_correction(self) -> None:
        """Cancel or correct the selected child's check-in or check-out (coordinators)."""
        row = selected_row(self.table)
        if (isinstance(row, nursery.NurseryDayRow) and row.check_in_id
                and self.session.can(Permission.MANAGE_ENROLLMENTS)):
            dialog = CorrectionDialog(self.session, row.check_in_id, _name(row.child_name_ar, row.child_name_lat), self)
            dialog.corrected.connect(lambda _c: self.refresh())
            self._open(dialog)

    def new_record(self) -> None:
        if not self.session.can(Permission.MANAGE_ENROLLMENTS):
            return
        dialog = EnrollChildDialog(self.session, self)
        dialog.enrolled.connect(lambda _e: self.refresh())
        dialog.setModal(True)
        dialog.show()
        self.dialog = dialog

    def focus_search(self) -> None:
        self.scan.focus()

    def activated(self) -> None:
        self.scan.focus()
