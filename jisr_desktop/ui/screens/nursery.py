"""The social nursery's daily board: every enrolled child with her status today; scan a card or
type her name to check her in (alerts acknowledged on the spot; a child who went home for lunch
is checked in again), check a child out to someone on the authorised list (or refused with the
reason, unless a coordinator overrides with a written reason), the "still here" count, and for
coordinators enrollment with the waitlist."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
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
from jisr_desktop.ui.screens.boards import DayBoard, stay_text
from jisr_desktop.ui.screens.common import make_table
from jisr_desktop.ui.screens.pickups import PickupsDialog
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone
from jisr_desktop.ui.widgets import PersonPicker, isolate


def _name(ar: str, lat: str) -> str:
    return (ar or lat) if i18n.current_language() == "ar" else (lat or ar)


def _alerts(row: nursery.NurseryDayRow) -> str:
    text = "; ".join(a.text() for a in row.alerts)
    return ("⚠ " + text) if row.needs_ack else text


BOARD_COLUMNS = (
    Column(N_("Child"), lambda r: _name(r.child_name_ar, r.child_name_lat)),
    Column(N_("Today"), lambda r: stay_text(r.status, r.time_in, r.time_out, r.earlier)),
    Column(N_("Guardian"), lambda r: r.guardian_name),
    Column(N_("Dropped off by"), lambda r: r.dropped_off_by),
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
        self.error = QLabel()
        self.error.setObjectName("checkOutError")
        self.error.setWordWrap(True)
        set_tone(self.error, "error")
        self.error.setVisible(False)
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
        box.addWidget(self.error)
        box.addWidget(self.message)
        box.addWidget(self.override)
        self.confirm.clicked.connect(self.check_out)
        self.override_button.clicked.connect(self.check_out_with_override)
        self.list.itemDoubleClicked.connect(lambda _item: self.check_out())
        self.list.itemSelectionChanged.connect(self._name_confirm)
        self.name.textChanged.connect(lambda _t: self._name_confirm())
        self.retranslate()
        session.call(lambda ctx: nursery.authorised_pickups(ctx=ctx, child_id=row.child_id), self._loaded)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Check out"))
        self.child.setText(_("Who is taking {name} home?", name=_name(self.row.child_name_ar, self.row.child_name_lat)))
        self.other_title.setText(_("Someone not in the list:"))
        self.name_label.setText(_("Name"))
        self.cin_label.setText(_("CIN"))
        self._name_confirm()
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

    def chosen_authorisation(self) -> PickupAuthorisation | None:
        """The authorised person chosen in the list (a click, Enter or a double click), or None."""
        item = self.list.currentItem()
        if item is None or not item.isSelected():
            return None
        return next((a for a in self.authorised if a.id == item.data(256)), None)

    def claim(self) -> PickupClaim:
        """Who takes the child: the person chosen in the list wins over a name or CIN typed
        below (the list was checked by a coordinator; the typing may be a leftover)."""
        chosen = self.chosen_authorisation()
        if chosen is not None:
            return PickupClaim(authorisation_id=chosen.id)
        return PickupClaim(name=self.name.text(), cin=self.cin.text() or None)

    def _name_confirm(self) -> None:
        """The button says who leaves with whom."""
        child = _name(self.row.child_name_ar, self.row.child_name_lat)
        chosen = self.chosen_authorisation()
        who = chosen.name if chosen is not None else self.name.text().strip()
        self.confirm.setText(_("Check out {child} with {who}", child=isolate(child), who=isolate(who))
                             if who else _("Check out"))

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
        """A refusal (not on the list) says why in the alert box with the override; any other
        problem (nobody chosen, a wrong coordinator password) in its own error line."""
        if isinstance(exc, errors.ValidationFailed):
            text = "\n".join(m.text() for m in exc.messages)
        elif isinstance(exc, errors.JisrError):
            text = exc.message()
        else:
            show_error(self, exc)
            return
        refused = isinstance(exc, nursery.PickupRefused)
        self.error.setText("" if refused else text)
        self.error.setVisible(not refused)
        if refused:
            self.message.setText(text)
            self.message.setVisible(True)
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
        self.session.call(lambda ctx: nursery.enroll_child(ctx=ctx, child_id=child_id, allergies=allergies,
                                                           medical_notes=medical),
                          self._done, self._failed)

    def _done(self, enrollment: Enrollment) -> None:
        self.enrolled.emit(enrollment)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        show_failure(self, self.message, exc)


class NurseryScreen(DayBoard):
    """The nursery's day (the shared board: `jisr_desktop/ui/screens/boards.py`).

    Signals:
        board_loaded(object): the day's board was (re)loaded (the `NurseryBoard`).
        waitlist_loaded(object): the waitlist was (re)loaded (list of (`Enrollment`, `Person`)).
    """

    board_loaded = Signal(object)
    waitlist_loaded = Signal(object)

    ROW_TYPE = nursery.NurseryDayRow
    CARD_SERVICE = "nursery"
    COLUMNS = BOARD_COLUMNS
    TABLE_NAME = "nurseryBoard"
    SUMMARY_NAME = "boardSummary"
    TABLE_STRETCH = 3

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        self.board: nursery.NurseryBoard | None = None
        super().__init__(session, parent)
        self.scan.acknowledged.connect(lambda _id: self.refresh())
        self.pickups_button.clicked.connect(self.open_pickups)

    def extra_buttons(self) -> list[QPushButton]:
        self.pickups_button = self._button("pickupsButton", self.session.can(Permission.MANAGE_ENROLLMENTS))
        return [self.pickups_button]

    def add_below_table(self, box: QVBoxLayout) -> None:
        manage = self.session.can(Permission.MANAGE_ENROLLMENTS)
        self.waitlist_title = QLabel()
        self.waitlist_title.setVisible(manage)
        self.waitlist = RowsModel(WAITLIST_COLUMNS, self)
        self.waitlist_table = make_table(self.waitlist, "waitlistTable", name_column=1)
        self.waitlist_table.setVisible(manage)
        box.addWidget(self.waitlist_title)
        box.addWidget(self.waitlist_table, 1)

    def retranslate(self) -> None:
        self.title.setText(_("Nursery"))
        self.pickups_button.setText(_("Pick-up list…"))
        self.enroll_button.setText(_("Enroll a child…"))
        self.waitlist_title.setText(_("Waitlist"))
        board = self.board
        if board is not None:
            self.summary.setText(translate_plural("{n} child still here", "{n} children still here",
                                                  len(board.present)))
        super().retranslate()
        self.waitlist.retranslate()

    def refresh(self) -> None:
        self.session.call(lambda ctx: nursery.nursery_day(ctx=ctx), self._loaded, key=f"nursery-{id(self)}")
        if self.session.can(Permission.MANAGE_ENROLLMENTS):
            self.session.call(load_waitlist, self._waitlist_loaded,
                              key=f"nursery-waitlist-{id(self)}")

    def _loaded(self, board: nursery.NurseryBoard) -> None:
        self.board = board
        self.show_rows(board.rows)
        self.retranslate()
        self.board_loaded.emit(board)

    def _waitlist_loaded(self, waiting: list[tuple[Enrollment, Person]]) -> None:
        self.waitlist.set_rows(waiting)
        self.waitlist_loaded.emit(waiting)

    def select_child(self, child_id: str) -> bool:
        """Choose the child in the list (as Enter on her row does)."""
        return self.choose(child_id)

    def person_of(self, row: nursery.NurseryDayRow) -> str:
        return row.child_id

    def name_of(self, row: nursery.NurseryDayRow) -> str:
        return _name(row.child_name_ar, row.child_name_lat)

    def names_of(self, row: nursery.NurseryDayRow) -> tuple[str, str]:
        return row.child_name_ar, row.child_name_lat

    def empty_text(self) -> str:
        return _("No child is enrolled in the nursery yet.")

    def update_actions(self, row: nursery.NurseryDayRow | None) -> None:
        self.check_out_button.setText(_("Check out {name} ({file_no})…", **self.named(row))
                                      if row is not None and row.present else _("Check out…"))
        self.pickups_button.setEnabled(row is not None)

    def check_in(self) -> None:
        """Check the chosen child in (she has no card with her, or came back after lunch)."""
        row = self.selected()
        if row is None or row.present:
            return
        child_id = row.child_id
        self.session.call(lambda ctx: nursery.check_in_child(ctx=ctx, child_id=child_id),
                          self.arrived_by_name, self.failed)

    def check_out(self) -> None:
        self.open_check_out()

    def open_check_out(self) -> None:
        row = self.selected()
        if row is None or not row.present:
            return
        dialog = CheckOutDialog(self.session, row, self)
        dialog.checked_out.connect(lambda _c: self.refresh())
        self._open(dialog)

    def open_pickups(self) -> None:
        """Who may take the selected child home (coordinators add and remove)."""
        row = self.selected()
        if row is not None and self.session.can(Permission.MANAGE_ENROLLMENTS):
            self._open(PickupsDialog(self.session, row.child_id, self.name_of(row), self))

    def enroll_dialog(self) -> QDialog:
        return EnrollChildDialog(self.session, self)
