"""The reception desk: find or register a person, log the visit (what about, how, outcome,
referral), and the list of today's visits."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import errors, i18n
from jisr_desktop.context import Context
from jisr_desktop.domain.messages import FieldMessage
from jisr_desktop.domain.person import Person
from jisr_desktop.domain.roles import Permission
from jisr_desktop.domain.visits import CHANNEL_LABELS, OUTCOME_LABELS, Channel, Outcome, Program
from jisr_desktop.i18n import N_, _, translate, translate_plural
from jisr_desktop.services import registry, visits
from jisr_desktop.ui.dialogs import show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel, ltr
from jisr_desktop.ui.person_form import PersonForm
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role
from jisr_desktop.ui.widgets import (
    PersonPicker,
    combo_select,
    fit_columns,
    message_label,
    named,
    show_messages,
)


def _time(row: visits.VisitRow) -> str:
    return i18n.format_time(datetime.fromisoformat(row.visit.visited_at).astimezone())


VISIT_COLUMNS = (
    Column(N_("Time"), _time),
    Column(N_("Person"), lambda r: r.person_name(i18n.current_language())),
    Column(N_("File number"), lambda r: ltr(r.file_no)),
    Column(N_("About"), lambda r: r.program.name(i18n.current_language()) if r.program else r.visit.program_code),
    Column(N_("Channel"), lambda r: translate(CHANNEL_LABELS.get(r.visit.channel, r.visit.channel))),
    Column(N_("Outcome"), lambda r: translate(OUTCOME_LABELS.get(r.visit.outcome, r.visit.outcome))),
    Column(N_("Referred to"), lambda r: r.visit.referral_to),
)


class PersonFormDialog(RetranslateMixin, QDialog):
    """Registering a new person from the reception desk.

    Signals:
        chosen(str): the person registered, or the existing record chosen (their id).
    """

    chosen = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = PersonForm(session)
        box = QVBoxLayout(self)
        box.addWidget(self.form)
        self.form.saved.connect(lambda p: self._choose(p.id))
        self.form.open_existing.connect(self._choose)
        self.resize(560, 720)
        self.retranslate()
        self.form.focus_first()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New person"))

    def _choose(self, person_id: str) -> None:
        self.chosen.emit(person_id)
        self.accept()


class ReceptionDesk(RetranslateMixin, QWidget):
    """Find or register, then log the visit.

    Signals:
        visit_logged(object): a visit was saved (the `Visit`).
        visits_loaded(int): today's list was (re)loaded (how many visits).
    """

    visit_logged = Signal(object)
    visits_loaded = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.person: Person | None = None
        self.programs: list[Program] = []
        self.shown: list[FieldMessage] = []
        self.picker = PersonPicker(session)
        self.register_button = QPushButton()
        self.register_button.setObjectName("registerPerson")
        self.register_button.setVisible(session.can(Permission.REGISTER_PERSON))
        self.title = QLabel()
        set_role(self.title, "title")
        self.who = QLabel()
        self.who.setObjectName("visitPerson")
        self.who.setWordWrap(True)
        set_role(self.who, "heading")
        self.program = QComboBox()
        self.program.setObjectName("program")
        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcome")
        self.referral = QLineEdit()
        self.referral.setObjectName("referral")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("visitNotes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(70)
        self.log_button = QPushButton()
        self.log_button.setObjectName("logVisit")
        self.messages = {name: message_label(name) for name in
                         ("person_id", "program_code", "channel", "outcome", "referral_to", "notes")}
        self.form = QFormLayout()
        self.form.addRow(self.who)
        self.form.addRow(self.messages["person_id"])
        self.form_labels: dict[str, QLabel] = {}
        for name, widget in (("program_code", self.program), ("channel", self.channel),
                             ("outcome", self.outcome), ("referral_to", self.referral),
                             ("notes", self.notes)):
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(widget)
            column.addWidget(self.messages[name])
            label = QLabel()
            label.setBuddy(widget)
            self.form_labels[name] = label
            self.form.addRow(label, cell)
        self.form.addRow(self.log_button)
        self.today_title = QLabel()
        self.today_title.setObjectName("todayTitle")
        self.today = RowsModel(VISIT_COLUMNS, self)
        self.today_table = QTableView()
        self.today_table.setObjectName("todayVisits")
        self.today_table.setModel(self.today)
        self.today_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.today_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.today_table.verticalHeader().setVisible(False)
        fit_columns(self.today_table, name_column=1)  # the person
        left = QWidget()
        left_box = QVBoxLayout(left)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.register_button)
        left_box.addLayout(top)
        left_box.addWidget(self.picker, 1)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.addLayout(self.form)
        right_box.addStretch(1)
        upper = QSplitter()
        upper.addWidget(left)
        upper.addWidget(right)
        upper.setSizes([600, 420])
        bottom = QWidget()
        bottom_box = QVBoxLayout(bottom)
        bottom_box.addWidget(self.today_title)
        bottom_box.addWidget(self.today_table)
        box = QVBoxLayout(self)
        box.addWidget(upper, 3)
        box.addWidget(bottom, 2)
        self.picker.current_changed.connect(self._chosen_changed)
        self.picker.picked.connect(self._picked)
        self.register_button.clicked.connect(self.new_record)
        self.log_button.clicked.connect(self.log_visit)
        for a, b in ((self.picker.query, self.picker.table), (self.picker.table, self.program),
                     (self.program, self.channel), (self.channel, self.outcome),
                     (self.outcome, self.referral), (self.referral, self.notes),
                     (self.notes, self.log_button)):
            self.setTabOrder(a, b)
        self.retranslate()
        session.call(lambda ctx: visits.list_programs(ctx=ctx), self._programs_loaded)
        self.refresh()

    # --- language ------------------------------------------------------------------------

    def retranslate(self) -> None:
        lang = i18n.current_language()
        self.title.setText(_("Reception"))
        self.register_button.setText(_("Register a new person"))
        self.register_button.setToolTip(_("Register a new person (Ctrl+N)"))
        labels = {"program_code": _("About"), "channel": _("Channel"), "outcome": _("Outcome"),
                  "referral_to": _("Referred to"), "notes": _("Notes")}
        for name, text in labels.items():
            self.form_labels[name].setText(text)
        self._fill(self.program, [(p.name(lang), p.code) for p in self.programs])
        self._fill(self.channel, [(translate(CHANNEL_LABELS[c]), c.value) for c in Channel])
        self._fill(self.outcome, [(translate(OUTCOME_LABELS[o]), o.value) for o in Outcome])
        self.referral.setPlaceholderText(_("Service or institution, when referred"))
        self._show_person()
        count = self.today.rowCount()
        self.today_title.setText(translate_plural("Today: {n} visit", "Today: {n} visits", count))
        self.today.retranslate()
        show_messages(self.messages, self.shown, fallback="person_id")

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.clear()
        for text, value in items:
            combo.addItem(text, value)
        if current is not None:
            combo_select(combo, current)

    def _programs_loaded(self, programs: list[Program]) -> None:
        self.programs = programs
        self.retranslate()

    # --- person --------------------------------------------------------------------------

    def _show_person(self) -> None:
        if self.person is None:
            self.who.setText(_("Find the person on the left (Enter or double click on her "
                               "row), or register them."))
            self.log_button.setText(_("Log the visit"))
        else:
            self.who.setText(_("Visit of {name} ({file_no})", **named(self.person)))
            self.log_button.setText(_("Log the visit of {name} ({file_no})", **named(self.person)))

    def _chosen_changed(self, person: Person | None) -> None:
        """A new search, or one that found nobody, leaves nobody chosen at the desk."""
        if person is None:
            self.person = None
            self._show_person()

    def _picked(self, person_id: str) -> None:
        person = self.picker.current_person()
        if person is not None and person.id == person_id:
            self.select_person(person)
            self.program.setFocus()
        else:
            self.open_person(person_id)

    def select_person(self, person: Person) -> None:
        self.person = person
        self._show_person()

    def open_person(self, person_id: str) -> None:
        self.session.call(lambda ctx: registry.get_person(ctx=ctx, person_id=person_id),
                          self.select_person)

    def new_record(self) -> None:
        if not self.session.can(Permission.REGISTER_PERSON):
            return
        dialog = PersonFormDialog(self.session, self)
        dialog.chosen.connect(self.open_person)
        dialog.setModal(True)
        dialog.show()
        self.dialog = dialog

    # --- visits --------------------------------------------------------------------------

    def log_visit(self) -> None:
        data = {"person_id": self.person.id if self.person else "",
                "program_code": self.program.currentData(), "channel": self.channel.currentData(),
                "outcome": self.outcome.currentData(), "referral_to": self.referral.text(),
                "notes": self.notes.toPlainText()}
        self.log_button.setEnabled(False)
        self.session.call(lambda ctx: visits.log_visit(ctx=ctx, data=data), self._logged,
                          self._failed)

    def _logged(self, visit: visits.Visit) -> None:
        self.log_button.setEnabled(True)
        self.shown = []
        show_messages(self.messages, [])
        self.referral.clear()
        self.notes.clear()
        self.visit_logged.emit(visit)
        self.refresh()
        self.picker.focus()

    def _failed(self, exc: BaseException) -> None:
        self.log_button.setEnabled(True)
        if isinstance(exc, errors.ValidationFailed):
            self.shown = exc.messages
            show_messages(self.messages, exc.messages, fallback="person_id")
        else:
            show_error(self, exc)

    def refresh(self) -> None:
        def load(ctx: Context) -> list[visits.VisitRow]:
            return visits.visits_on(ctx=ctx, day=ctx.today())

        self.session.call(load, self._visits_loaded, key=f"today-{id(self)}")

    def _visits_loaded(self, rows: list[visits.VisitRow]) -> None:
        self.today.set_rows(rows)
        self.retranslate()
        self.visits_loaded.emit(len(rows))

    def focus_search(self) -> None:
        self.picker.focus()

    def activated(self) -> None:
        self.picker.query.setFocus()


def _when(visit: visits.Visit) -> str:
    at = datetime.fromisoformat(visit.visited_at).astimezone()
    return _("{date} at {time}", date=i18n.format_date(at), time=i18n.format_time(at))


class PersonVisits(RetranslateMixin, QWidget):
    """The visits of one person, latest first (a tab of the person's panel).

    Signals:
        loaded(int): the list was loaded (how many visits).
    """

    loaded = Signal(int)

    def __init__(self, session: Session, person: Person, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.programs: dict[str, Program] = {}
        self.model = RowsModel((
            Column(N_("Date"), _when),
            Column(N_("About"), lambda v: self.programs[v.program_code].name(i18n.current_language())
                   if v.program_code in self.programs else v.program_code),
            Column(N_("Channel"), lambda v: translate(CHANNEL_LABELS.get(v.channel, v.channel))),
            Column(N_("Outcome"), lambda v: translate(OUTCOME_LABELS.get(v.outcome, v.outcome))),
            Column(N_("Referred to"), lambda v: v.referral_to),
        ), self)
        self.table = QTableView()
        self.table.setObjectName("personVisits")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        fit_columns(self.table, name_column=1)  # what the visit was about
        box = QVBoxLayout(self)
        box.addWidget(self.table)
        pid = person.id
        session.call(lambda ctx: (visits.list_programs(ctx=ctx), visits.visits_of(ctx=ctx, person_id=pid)),
                     self._loaded)

    def _loaded(self, result: tuple[list[Program], list[visits.Visit]]) -> None:
        programs, rows = result
        self.programs = {p.code: p for p in programs}
        self.model.set_rows(rows)
        self.loaded.emit(len(rows))

    def retranslate(self) -> None:
        self.model.retranslate()
