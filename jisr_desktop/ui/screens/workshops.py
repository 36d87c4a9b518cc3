"""Workshops and training: the list of workshops, a workshop's participants (with the
waitlist), its sessions, and a session's attendance sheet marked present, absent, late or
excused (with a reason). Coordinators create workshops and sessions and enroll people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import errors, i18n
from jisr_desktop.context import Context
from jisr_desktop.domain.attendance import name_matches
from jisr_desktop.domain.person import Person
from jisr_desktop.domain.roles import Permission
from jisr_desktop.domain.waitlist import STATUS_LABELS
from jisr_desktop.domain.workshops import MARK_LABELS, Mark
from jisr_desktop.i18n import N_, _, translate
from jisr_desktop.services import registry, workshops
from jisr_desktop.services.enrollments import Enrollment
from jisr_desktop.ui import dates
from jisr_desktop.ui.dialogs import show_error, show_failure
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel
from jisr_desktop.ui.screens.cards import MemberCardDialog
from jisr_desktop.ui.screens.common import ScanBox, make_table, selected_row, time_text
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone
from jisr_desktop.ui.widgets import PersonPicker, isolate, show_rows


def _name(ar: str, lat: str) -> str:
    return (ar or lat) if i18n.current_language() == "ar" else (lat or ar)


@dataclass
class Catalogue:
    items: list[workshops.Workshop]
    categories: dict[str, workshops.Category]


@dataclass
class Detail:
    workshop: workshops.Workshop
    participants: list[tuple[Enrollment, Person]]
    sessions: list[workshops.Session]


def load_catalogue(ctx: Context) -> Catalogue:
    return Catalogue(workshops.list_workshops(ctx=ctx), {c.code: c for c in workshops.categories(ctx=ctx)})


def load_detail(ctx: Context, workshop_id: str) -> Detail:
    enrolled = workshops.participants(ctx=ctx, workshop_id=workshop_id)
    found = registry.person_rows(ctx.db, [e.person_id for e in enrolled])
    return Detail(workshops.get_workshop(ctx=ctx, workshop_id=workshop_id),
                  [(e, found[e.person_id]) for e in enrolled if e.person_id in found and e.status != "ended"],
                  workshops.sessions(ctx=ctx, workshop_id=workshop_id))


def _status(e: Enrollment) -> str:
    if e.waitlisted:
        return _("Waitlist, place {n}", n=i18n.format_number(e.waitlist_position or 0))
    return translate(STATUS_LABELS.get(e.status, e.status))  # type: ignore[call-overload]


PARTICIPANT_COLUMNS = (
    Column(N_("Participant"), lambda p: _name(p[1].display_name_ar, p[1].display_name_lat)),
    Column(N_("Status"), lambda p: _status(p[0])),
)
SHEET_COLUMNS = (
    Column(N_("Participant"), lambda r: _name(r.name_ar, r.name_lat)),
    Column(N_("Attendance"), lambda r: translate(MARK_LABELS[Mark(r.status)]) if r.status else ""),
    Column(N_("Reason"), lambda r: r.reason),
    Column(N_("Marked at"), lambda r: time_text(r.marked_at)),
)


class WorkshopDialog(RetranslateMixin, QDialog):
    """A new workshop: title, category, trainer, capacity (0: no limit).

    Signals:
        saved(object): the `Workshop`.
    """

    saved = Signal(object)

    def __init__(self, session: Session, categories: dict[str, workshops.Category],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = QLineEdit()
        self.title.setObjectName("workshopTitle")
        self.category = QComboBox()
        self.category.setObjectName("workshopCategory")
        self.categories = categories
        self.trainer = QLineEdit()
        self.trainer.setObjectName("workshopTrainer")
        self.capacity = QSpinBox()
        self.capacity.setObjectName("workshopCapacity")
        self.capacity.setRange(0, 500)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.save = QPushButton()
        self.save.setObjectName("saveWorkshop")
        self.labels = [QLabel() for _i in range(4)]
        form = QFormLayout()
        for label, widget in zip(self.labels, (self.title, self.category, self.trainer, self.capacity), strict=True):
            form.addRow(label, widget)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(self.save)
        self.save.clicked.connect(self.submit)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New workshop"))
        for label, text in zip(self.labels, (_("Title"), _("Category"), _("Trainer"), _("Capacity")), strict=True):
            label.setText(text)
        self.capacity.setSpecialValueText(_("No limit"))
        self.save.setText(_("Save"))
        chosen = self.category.currentData()
        self.category.clear()
        lang = i18n.current_language()
        for cat in self.categories.values():
            prefix = "    " if cat.parent_code else ""
            self.category.addItem(prefix + cat.name(lang), cat.code)
        if chosen is not None:
            self.category.setCurrentIndex(max(0, self.category.findData(chosen)))

    def submit(self) -> None:
        data = {"title": self.title.text(), "category_code": self.category.currentData(),
                "trainer": self.trainer.text(), "capacity": self.capacity.value() or None}
        self.session.call(lambda ctx: workshops.save_workshop(ctx=ctx, data=data), self._done, self._failed)

    def _done(self, workshop: workshops.Workshop) -> None:
        self.saved.emit(workshop)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, errors.ValidationFailed):
            self.message.setText("\n".join(m.text() for m in exc.messages))
        else:
            show_error(self, exc)


class WorkshopsScreen(RetranslateMixin, QWidget):
    """Workshops, participants, sessions and attendance.

    Signals:
        catalogue_loaded(object): the list of workshops was (re)loaded (`Catalogue`).
        detail_loaded(object): the chosen workshop's participants and sessions (`Detail`).
        sheet_loaded(object): the chosen session's attendance sheet (`SessionSheet`).
        enrolled(object): someone was enrolled or waitlisted (the `Enrollment`).
    """

    catalogue_loaded = Signal(object)
    detail_loaded = Signal(object)
    sheet_loaded = Signal(object)
    enrolled = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.catalogue = Catalogue([], {})
        self.detail: Detail | None = None
        self.sheet: workshops.SessionSheet | None = None
        self.select_after_load: int | None = None
        self.dialog: QDialog | None = None
        manage = session.can(Permission.MANAGE_ENROLLMENTS)
        self.title = QLabel()
        set_role(self.title, "title")
        self.new_button = QPushButton()
        self.new_button.setObjectName("newWorkshop")
        self.new_button.setVisible(manage)
        self.list_model = RowsModel((
            Column(N_("Workshop"), lambda w: w.title),
            Column(N_("Category"), lambda w: self._category(w.category_code)),
            Column(N_("Trainer"), lambda w: w.trainer),
            Column(N_("Capacity"), lambda w: i18n.format_number(w.capacity) if w.capacity else "∞"),
        ), self)
        self.list_table = make_table(self.list_model, "workshopList")
        self.participants = RowsModel(PARTICIPANT_COLUMNS, self)
        self.participants_table = make_table(self.participants, "participants")
        show_rows(self.participants_table, 3)  # never a single row
        self.enroll_picker = PersonPicker(session)
        self.enroll_picker.setVisible(manage)
        self.enroll_button = QPushButton()
        self.enroll_button.setObjectName("enrollParticipant")
        self.enroll_button.setVisible(manage)
        self.card_button = QPushButton()
        self.card_button.setObjectName("cardButton")
        self.card_button.setVisible(session.can(Permission.CHECK_IN))
        self.enroll_message = QLabel()
        self.enroll_message.setObjectName("enrollMessage")
        self.session_combo = QComboBox()
        self.session_combo.setObjectName("sessionCombo")
        self.session_start = QDateTimeEdit()
        self.session_start.setObjectName("sessionStart")
        self.session_start.setCalendarPopup(True)
        dates.set_format(self.session_start, dates.DATETIME_FORMAT)  # not "49:16" in Arabic
        self.session_start.setDateTime(QDateTime.currentDateTime())
        self.session_start.setVisible(manage)
        self.add_session_button = QPushButton()
        self.add_session_button.setObjectName("addSession")
        self.add_session_button.setVisible(manage)
        self.sheet_model = RowsModel(SHEET_COLUMNS, self)
        self.sheet_table = make_table(self.sheet_model, "sessionSheet")
        self.mark_buttons: dict[str, QPushButton] = {}
        marks = QHBoxLayout()
        for mark in Mark:
            button = QPushButton()
            button.setObjectName(f"mark_{mark.value}")
            button.setVisible(session.can(Permission.CHECK_IN))
            button.clicked.connect(lambda _checked=False, m=mark.value: self.mark(m))
            self.mark_buttons[mark.value] = button
            marks.addWidget(button)
        self.reason = QLineEdit()
        self.reason.setObjectName("markReason")
        marks.addWidget(self.reason, 1)
        self.message = QLabel()
        self.message.setObjectName("markMessage")
        set_tone(self.message, "error")
        # Check-in by card or name (issue 13, point 2): a scanned card marks its holder in the
        # session running now; a typed name narrows the sheet, Enter goes to it.
        self.scan = ScanBox(session, by_name=True)
        self.scan.setVisible(session.can(Permission.CHECK_IN))
        self.sheet_rows: list[workshops.SessionSheetRow] = []
        self.mark_who = QLabel()
        self.mark_who.setObjectName("markWho")
        self.mark_who.setWordWrap(True)
        left = QWidget()
        left_box = QVBoxLayout(left)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.new_button)
        left_box.addLayout(top)
        left_box.addWidget(self.list_table, 2)
        left_box.addWidget(self.participants_table, 2)
        left_box.addWidget(self.card_button)
        left_box.addWidget(self.enroll_picker, 2)
        left_box.addWidget(self.enroll_button)
        left_box.addWidget(self.enroll_message)
        right = QWidget()
        right_box = QVBoxLayout(right)
        sessions_row = QHBoxLayout()
        sessions_row.addWidget(self.session_combo, 1)
        sessions_row.addWidget(self.session_start)
        sessions_row.addWidget(self.add_session_button)
        right_box.addLayout(sessions_row)
        right_box.addWidget(self.scan)
        right_box.addWidget(self.sheet_table, 1)
        right_box.addWidget(self.mark_who)
        right_box.addLayout(marks)
        right_box.addWidget(self.message)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        box = QVBoxLayout(self)
        box.addWidget(splitter)
        self.list_table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._workshop_chosen(cur.row()))
        self.session_combo.currentIndexChanged.connect(lambda _i: self.load_sheet())
        self.new_button.clicked.connect(self.new_record)
        self.enroll_button.clicked.connect(self.enroll)
        self.card_button.clicked.connect(self.open_card)
        self.add_session_button.clicked.connect(self.add_session)
        self.scan.arrived.connect(lambda _a: self.load_sheet())
        self.scan.code.textChanged.connect(lambda _t: self._show_sheet())
        self.scan.name_entered.connect(lambda _t: self._to_sheet())
        self.sheet_table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._name_marks())
        self.sheet_model.modelReset.connect(self._name_marks)
        self.retranslate()
        self.refresh()

    def _category(self, code: str) -> str:
        cat = self.catalogue.categories.get(code)
        return cat.name(i18n.current_language()) if cat else code

    def retranslate(self) -> None:
        self.title.setText(_("Workshops"))
        self.new_button.setText(_("New workshop…"))
        self.enroll_button.setText(_("Enroll the person found"))
        self.card_button.setText(_("Member card…"))
        self.add_session_button.setText(_("Add a session (2 hours)"))
        self.reason.setPlaceholderText(_("Reason (needed for excused)"))
        for mark, button in self.mark_buttons.items():
            button.setText(translate(MARK_LABELS[Mark(mark)]))
        for model in (self.list_model, self.participants, self.sheet_model):
            model.retranslate()
        self._fill_sessions()
        self._name_marks()

    # --- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.session.call(load_catalogue, self._catalogue_loaded, key=f"workshops-{id(self)}")

    def _catalogue_loaded(self, catalogue: Catalogue) -> None:
        chosen = self.detail.workshop.id if self.detail else None
        self.catalogue = catalogue
        self.list_model.set_rows(catalogue.items)
        self.catalogue_loaded.emit(catalogue)
        if chosen:
            self.select_workshop(chosen)

    def select_workshop(self, workshop_id: str) -> bool:
        for i, w in enumerate(self.list_model.rows):
            if w.id == workshop_id:
                self.list_table.selectRow(i)
                self._workshop_chosen(i)
                return True
        return False

    def _workshop_chosen(self, row: int) -> None:
        workshop = self.list_model.row_at(row)
        if workshop is None:
            return
        wid = workshop.id
        self.session.call(lambda ctx: load_detail(ctx, wid), self._detail_loaded, key=f"workshop-detail-{id(self)}")

    def _detail_loaded(self, detail: Detail) -> None:
        self.detail = detail
        self.participants.set_rows(detail.participants)
        self._fill_sessions()
        self.detail_loaded.emit(detail)
        self.load_sheet()

    def _fill_sessions(self) -> None:
        chosen = self.session_combo.currentData()
        self.session_combo.blockSignals(True)
        self.session_combo.clear()
        for s in self.detail.sessions if self.detail else []:
            label = i18n.format_date(s.starts_at.astimezone(), fmt="medium") + " " + time_text(s.starts_at)
            self.session_combo.addItem(label + (f" — {s.topic}" if s.topic else ""), s.id)
        if chosen is not None and self.session_combo.findData(chosen) >= 0:
            self.session_combo.setCurrentIndex(self.session_combo.findData(chosen))
        self.session_combo.blockSignals(False)

    def select_session(self, session_id: str) -> None:
        self.session_combo.setCurrentIndex(self.session_combo.findData(session_id))

    def load_sheet(self) -> None:
        session_id = self.session_combo.currentData()
        if not session_id:
            self.sheet = None
            self.sheet_model.set_rows([])
            return
        self.session.call(lambda ctx: workshops.session_sheet(ctx=ctx, session_id=session_id),
                          self._sheet_loaded, key=f"sheet-{id(self)}")

    def _sheet_loaded(self, sheet: workshops.SessionSheet) -> None:
        self.sheet = sheet
        self.sheet_rows = list(sheet.rows)
        self._show_sheet()
        shown = self.sheet_model.rows
        if self.select_after_load is not None and shown:
            # (not selectRow: under a right-to-left layout it sets no current row)
            self.sheet_table.setCurrentIndex(self.sheet_model.index(min(self.select_after_load, len(shown) - 1), 0))
        self.select_after_load = None
        self.sheet_loaded.emit(sheet)

    def _show_sheet(self) -> None:
        """The sheet's participants whose name matches the search field (all when empty)."""
        text = self.scan.code.text()
        self.sheet_model.set_rows([r for r in self.sheet_rows if name_matches(text, r.name_ar, r.name_lat)])

    def _to_sheet(self) -> None:
        """Enter on a typed name: to the sheet, on its first participant."""
        if self.sheet_model.rowCount():
            self.sheet_table.setFocus()
            if not self.sheet_table.currentIndex().isValid():
                self.sheet_table.setCurrentIndex(self.sheet_model.index(0, 0))

    def _name_marks(self) -> None:
        """The marks say whom they are for; none without a participant."""
        row = selected_row(self.sheet_table)
        here = isinstance(row, workshops.SessionSheetRow)
        self.mark_who.setText(_("Attendance of {name}:", name=isolate(_name(row.name_ar, row.name_lat)))
                              if isinstance(row, workshops.SessionSheetRow) else _("Choose a participant in the sheet."))
        for button in self.mark_buttons.values():
            button.setEnabled(here)

    # --- actions -------------------------------------------------------------------------------

    def mark(self, status: str) -> None:
        row = selected_row(self.sheet_table)
        if not isinstance(row, workshops.SessionSheetRow) or self.sheet is None:
            return
        session_id, person_id, reason = self.sheet.session_id, row.person_id, self.reason.text()
        current = self.sheet_table.currentIndex().row()

        def done(_mark: object) -> None:
            self.message.setText("")
            self.reason.clear()
            self.select_after_load = current + 1  # ready for the next participant
            self.load_sheet()

        self.session.call(lambda ctx: workshops.mark_attendance(ctx=ctx, session_id=session_id, person_id=person_id,
                                                                status=status, reason=reason),
                          done, self._failed)

    def enroll(self) -> None:
        person_id = self.enroll_picker.current_id()
        if person_id is None or self.detail is None:
            return
        wid = self.detail.workshop.id
        self.session.call(lambda ctx: workshops.enroll_participant(ctx=ctx, workshop_id=wid, person_id=person_id),
                          self._enrolled, self._failed)

    def _enrolled(self, enrollment: Enrollment) -> None:
        if enrollment.waitlisted:
            self.enroll_message.setText(_("The workshop is full: on the waitlist, place {n}.",
                                          n=i18n.format_number(enrollment.waitlist_position or 0)))
        else:
            self.enroll_message.setText(_("Enrolled."))
        self.enrolled.emit(enrollment)
        self.select_workshop(enrollment.workshop_id or "")

    def add_session(self) -> None:
        if self.detail is None:
            return
        start = self.session_start.dateTime().toPython()
        assert isinstance(start, datetime)
        start = start.astimezone()
        wid = self.detail.workshop.id
        self.session.call(lambda ctx: workshops.add_session(ctx=ctx, workshop_id=wid, starts_at=start,
                                                            ends_at=start + timedelta(hours=2)),
                          lambda _s: self._reload(wid), self._failed)

    def _reload(self, workshop_id: str) -> None:
        self.select_workshop(workshop_id)

    def _failed(self, exc: BaseException) -> None:
        show_failure(self, self.message, exc)

    def open_card(self) -> None:
        """The selected participant's card: its code, print it, or a new one for a lost card."""
        row = selected_row(self.participants_table)
        if isinstance(row, tuple) and self.session.can(Permission.CHECK_IN):
            person = row[1]
            self.dialog = MemberCardDialog(self.session, person.id, "workshop",
                                           _name(person.display_name_ar, person.display_name_lat), self)
            self.dialog.setModal(True)
            self.dialog.show()

    def new_record(self) -> None:
        if not self.session.can(Permission.MANAGE_ENROLLMENTS):
            return
        dialog = WorkshopDialog(self.session, self.catalogue.categories, self)
        dialog.saved.connect(lambda _w: self.refresh())
        dialog.setModal(True)
        dialog.show()
        self.dialog = dialog

    def focus_search(self) -> None:
        self.enroll_picker.focus()
