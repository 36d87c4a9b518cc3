"""Follow-up: a person's cases in every service (open, sessions, outcome) and the list of
referrals whose follow-up is due (docs/domain.md, "Follow-up").

Who a case is for is always explicit: nothing is chosen for the user, and every button that
records names the person and their file number. Reception sees the follow-ups due only; a
coordinator follows the ordinary services, a counsellor the confidential ones (their session
notes are sealed: `services/followup.py`).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import i18n
from jisr_desktop.context import Context
from jisr_desktop.domain import followup as rules
from jisr_desktop.domain.person import Person
from jisr_desktop.domain.visits import Program
from jisr_desktop.i18n import N_, _, translate, translate_plural
from jisr_desktop.services import followup as fu
from jisr_desktop.services import registry, visits
from jisr_desktop.ui.dialogs import show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel, ltr
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone
from jisr_desktop.ui.widgets import DateEdit, PersonPicker, combo_select, fit_columns, isolate


def _day(value: date | None) -> str:
    return i18n.format_date(value) if value else ""


def _table(name: str, model: RowsModel, name_column: int = 0) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    fit_columns(table, name_column)
    return table


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class FollowupScreen(RetranslateMixin, QWidget):
    """A person's cases and the follow-ups due.

    Signals:
        loaded(): the person's cases or the due list were (re)loaded.
    """

    loaded = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.person: Person | None = None
        self.services: list[str] = []
        self.programs: dict[str, Program] = {}
        self.file: fu.CaseFile | None = None
        self.title = QLabel()
        set_role(self.title, "title")
        self.picker = PersonPicker(session)
        self.who = QLabel()
        self.who.setObjectName("followupPerson")
        self.who.setWordWrap(True)
        set_role(self.who, "heading")
        self.cases = RowsModel((
            Column(N_("Service"), lambda c: translate(rules.SERVICE_LABELS.get(c.service, c.service))),
            Column(N_("Opened on"), lambda c: _day(c.opened_on)),
            Column(N_("Status"), lambda c: translate(rules.STATUS_LABELS.get(c.status, c.status))),
            Column(N_("Outcome"), lambda c: translate(rules.OUTCOME_LABELS[c.outcome])
                   if c.outcome in rules.OUTCOME_LABELS else c.outcome),
            Column(N_("Responsible"), lambda c: c.staff_name),
        ), self)
        self.case_table = _table("cases", self.cases)
        self.service = QComboBox()
        self.service.setObjectName("caseService")
        self.open_button = QPushButton()
        self.open_button.setObjectName("openCase")
        self.steps = RowsModel((
            Column(N_("Date"), lambda a: _day(a.day)),
            Column(N_("Kind"), lambda a: translate(rules.ACTION_LABELS.get(a.kind, a.kind))),
            Column(N_("What was done"), self._action_note),
            Column(N_("By"), lambda a: a.staff_name),
        ), self)
        self.action_table = _table("caseActions", self.steps, name_column=2)  # what was done
        self.action_day = DateEdit(_qdate(session.clock().astimezone().date()))
        self.action_day.setObjectName("actionDay")
        self.action_kind = QComboBox()
        self.action_kind.setObjectName("actionKind")
        self.action_note = QLineEdit()
        self.action_note.setObjectName("actionNote")
        self.add_button = QPushButton()
        self.add_button.setObjectName("addAction")
        self.outcome = QComboBox()
        self.outcome.setObjectName("caseOutcome")
        self.close_button = QPushButton()
        self.close_button.setObjectName("closeCase")
        self.message = QLabel()
        self.message.setObjectName("followupMessage")
        self.message.setWordWrap(True)
        self.due_title = QLabel()
        self.due_title.setObjectName("dueTitle")
        set_role(self.due_title, "heading")
        self.due = RowsModel((
            Column(N_("Due on"), lambda r: _day(r.due_on)),
            Column(N_("Person"), lambda r: r.person_name(i18n.current_language())),
            Column(N_("File number"), lambda r: ltr(r.file_no)),
            Column(N_("Referred to"), self._referred_to),
            Column(N_("Referred on"), lambda r: _day(r.referred_on)),
            Column(N_("Last answer"), lambda r: translate(rules.REFERRAL_OUTCOME_LABELS[r.outcome])
                   if r.outcome in rules.REFERRAL_OUTCOME_LABELS else ""),
        ), self)
        self.due_table = _table("followupsDue", self.due, name_column=1)  # the person
        self.referral_outcome = QComboBox()
        self.referral_outcome.setObjectName("referralOutcome")
        self.record_button = QPushButton()
        self.record_button.setObjectName("recordReferralOutcome")

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.addWidget(self.title)
        left_box.addWidget(self.picker, 1)
        self.case_panel = QWidget()
        case_box = QVBoxLayout(self.case_panel)
        case_box.addWidget(self.who)
        case_box.addWidget(self.case_table, 2)
        open_row = QHBoxLayout()
        open_row.addWidget(self.service, 1)
        open_row.addWidget(self.open_button)
        case_box.addLayout(open_row)
        case_box.addWidget(self.action_table, 2)
        add_row = QHBoxLayout()
        add_row.addWidget(self.action_day)
        add_row.addWidget(self.action_kind)
        add_row.addWidget(self.action_note, 1)
        case_box.addLayout(add_row)
        case_box.addWidget(self.add_button)
        close_row = QHBoxLayout()
        close_row.addWidget(self.outcome, 1)
        close_row.addWidget(self.close_button)
        case_box.addLayout(close_row)
        case_box.addWidget(self.message)
        upper = QSplitter()
        upper.addWidget(left)
        upper.addWidget(self.case_panel)
        upper.setSizes([480, 760])
        bottom = QWidget()
        bottom_box = QVBoxLayout(bottom)
        bottom_box.setContentsMargins(0, 0, 0, 0)
        bottom_box.addWidget(self.due_title)
        bottom_box.addWidget(self.due_table, 1)
        record_row = QHBoxLayout()
        record_row.addWidget(self.referral_outcome, 1)
        record_row.addWidget(self.record_button)
        bottom_box.addLayout(record_row)
        box = QVBoxLayout(self)
        box.addWidget(upper, 3)
        box.addWidget(bottom, 2)

        self.picker.picked.connect(self.open_person)
        self.case_table.selectionModel().currentRowChanged.connect(lambda *_a: self._case_chosen())
        self.due_table.selectionModel().currentRowChanged.connect(lambda *_a: self._update())
        self.open_button.clicked.connect(self.open_case)
        self.add_button.clicked.connect(self.add_action)
        self.close_button.clicked.connect(self.close_case)
        self.record_button.clicked.connect(self.record_outcome)
        self.retranslate()
        session.call(lambda ctx: (fu.openable_services(ctx=ctx), visits.list_programs(ctx=ctx)),
                     self._setup)
        self.refresh()

    # --- words ---------------------------------------------------------------------------

    def _action_note(self, action: fu.ActionRow) -> str:
        if self.file is not None and self.file.notes is not None:
            return self.file.notes.get(action.id, action.note)
        return action.note

    def _referred_to(self, referral: fu.ReferralRow) -> str:
        program = self.programs.get(referral.program_code)
        name = program.name(i18n.current_language()) if program else referral.program_code
        return " — ".join(x for x in (name, referral.body) if x)

    def retranslate(self) -> None:
        self.title.setText(_("Follow-up"))
        self.action_note.setPlaceholderText(_("What was done"))
        self._fill(self.service, [(translate(rules.SERVICE_LABELS[s]), s) for s in self.services])
        self._fill(self.action_kind, [(translate(v), k.value) for k, v in rules.ACTION_LABELS.items()])
        self._fill(self.referral_outcome, [(translate(v), k.value)
                                           for k, v in rules.REFERRAL_OUTCOME_LABELS.items()])
        self.due_title.setText(translate_plural("Follow-ups due: {n}", "Follow-ups due: {n}",
                                                self.due.rowCount()))
        for model in (self.cases, self.steps, self.due):
            model.retranslate()
        self._update()

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.clear()
        for text, value in items:
            combo.addItem(text, value)
        if current is not None:
            combo_select(combo, current)

    def _setup(self, result: tuple[list[str], list[Program]]) -> None:
        self.services = result[0]
        self.programs = {p.code: p for p in result[1]}
        self.case_panel.setVisible(bool(self.services))
        self.retranslate()

    def _named(self, text: str, name: str, file_no: str) -> str:
        return _(text, name=isolate(name), file_no=isolate(file_no))

    def _update(self) -> None:
        """Texts and states that follow the chosen person, case and referral."""
        lang = i18n.current_language()
        person = self.person
        case = self._current_case()
        if person is None:
            self.who.setText(_("Find the person on the left: their cases appear here."))
        else:
            self.who.setText(self._named(N_("Follow-up of {name} ({file_no})"),
                                         person.display_name(lang), person.file_no))
        name, file_no = (person.display_name(lang), person.file_no) if person else ("", "")
        self.open_button.setText(self._named(N_("Open the case of {name} ({file_no})"), name, file_no)
                                 if person else _("Open a case"))
        self.open_button.setEnabled(person is not None and bool(self.services))
        is_open = case is not None and case.status == rules.Status.OPEN
        self.add_button.setText(self._named(N_("Add to the case of {name} ({file_no})"), name, file_no)
                                if case is not None else _("Choose a case first"))
        self.close_button.setText(self._named(N_("Close the case of {name} ({file_no})"), name, file_no)
                                  if case is not None else _("Close the case"))
        for widget in (self.add_button, self.close_button, self.action_note, self.action_kind,
                       self.action_day, self.outcome):
            widget.setEnabled(is_open)
        current = self.outcome.currentData()
        self.outcome.clear()
        if case is not None:
            for code in rules.OUTCOMES.get(case.service, ()):
                self.outcome.addItem(translate(rules.OUTCOME_LABELS[code]), code)
            if current is not None:
                combo_select(self.outcome, current)
        referral = self._current_referral()
        self.record_button.setText(
            self._named(N_("Record the answer for {name} ({file_no})"),
                        referral.person_name(lang), referral.file_no)
            if referral else _("Choose a follow-up in the list"))
        self.record_button.setEnabled(referral is not None)

    # --- person and cases ----------------------------------------------------------------

    def open_person(self, person_id: str) -> None:
        """The person the user picked (double click or Enter), never one chosen for her."""
        person = self.picker.current_person()
        if person is not None and person.id == person_id:
            self._person_loaded(person)
        else:
            self.session.call(lambda ctx: registry.get_person(ctx=ctx, person_id=person_id),
                              self._person_loaded)

    def _person_loaded(self, person: Person) -> None:
        self.person = person
        self.file = None
        self.cases.set_rows([])
        self.steps.set_rows([])
        self._load_cases()

    def _load_cases(self, select: str | None = None) -> None:
        if self.person is None or not self.services:
            self._update()
            return
        pid = self.person.id
        current = self._current_case()
        if select is None and current is not None and current.person_id == pid:
            select = current.id  # a refresh keeps the chosen case
        self.session.call(lambda ctx: fu.cases_of_person(ctx=ctx, person_id=pid),
                          lambda rows: self._cases_loaded(rows, select), key=f"cases-{id(self)}")

    def _cases_loaded(self, rows: list[fu.CaseRow], select: str | None) -> None:
        self.cases.set_rows(rows)
        self.steps.set_rows([])
        index = next((i for i, c in enumerate(rows) if c.id == select), None)
        if index is not None:
            self.case_table.selectionModel().setCurrentIndex(
                self.cases.index(index, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        else:
            self.file = None
        self._update()
        self.loaded.emit()

    def _current_case(self) -> fu.CaseRow | None:
        index = self.case_table.currentIndex()
        rows = self.cases.rows
        return rows[index.row()] if index.isValid() and index.row() < len(rows) else None

    def _case_chosen(self) -> None:
        case = self._current_case()
        self._update()
        if case is None:
            return
        cid = case.id
        self.session.call(lambda ctx: fu.get_case_file(ctx=ctx, case_id=cid), self._file_loaded,
                          key=f"file-{id(self)}")

    def _file_loaded(self, file: fu.CaseFile) -> None:
        self.file = file
        self.steps.set_rows(file.actions)
        self._update()
        self.loaded.emit()

    def _say(self, text: str, tone: str | None = "success") -> None:
        self.message.setText(text)
        set_tone(self.message, tone)

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def open_case(self) -> None:
        if self.person is None or self.service.currentData() is None:
            return
        pid, service = self.person.id, self.service.currentData()

        def run(ctx: Context) -> fu.CaseRow:
            return fu.open_case(ctx=ctx, service=service, person_id=pid)

        def done(case: fu.CaseRow) -> None:
            self._say(_("The case is open."))
            self._load_cases(case.id)

        self.session.call(run, done, self._failed)

    def add_action(self) -> None:
        case = self._current_case()
        if case is None:
            return
        cid, kind, day = case.id, self.action_kind.currentData(), _pydate(self.action_day.date())
        note = self.action_note.text()

        def run(ctx: Context) -> fu.CaseFile:
            fu.add_action(ctx=ctx, case_id=cid, kind=kind, day=day, note=note)
            return fu.get_case_file(ctx=ctx, case_id=cid)

        def done(file: fu.CaseFile) -> None:
            self.action_note.clear()
            self._say(_("Saved."))
            self._file_loaded(file)

        self.session.call(run, done, self._failed)

    def close_case(self) -> None:
        case = self._current_case()
        if case is None or self.outcome.currentData() is None:
            return
        cid, outcome = case.id, self.outcome.currentData()
        def done(closed: fu.CaseRow) -> None:
            self._say(_("The case is closed."))
            self._load_cases(closed.id)

        self.session.call(lambda ctx: fu.close_case(ctx=ctx, case_id=cid, outcome=outcome),
                          done, self._failed)

    # --- follow-ups due ------------------------------------------------------------------

    def _current_referral(self) -> fu.ReferralRow | None:
        index = self.due_table.currentIndex()
        rows = self.due.rows
        return rows[index.row()] if index.isValid() and index.row() < len(rows) else None

    def record_outcome(self) -> None:
        referral = self._current_referral()
        if referral is None:
            return
        rid, outcome = referral.id, self.referral_outcome.currentData()
        def done(_referral: fu.ReferralRow) -> None:
            self._say(_("The answer is recorded."))
            self.refresh()

        self.session.call(
            lambda ctx: fu.record_referral_outcome(ctx=ctx, referral_id=rid, outcome=outcome),
            done, self._failed)

    def refresh(self) -> None:
        self.session.call(lambda ctx: fu.followups_due(ctx=ctx), self._due_loaded,
                          key=f"due-{id(self)}")
        if self.person is not None:
            self._load_cases()

    def _due_loaded(self, rows: list[fu.ReferralRow]) -> None:
        self.due.set_rows(rows)
        self.retranslate()
        self.loaded.emit()

    def focus_search(self) -> None:
        self.picker.focus()
