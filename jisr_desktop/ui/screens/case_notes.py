"""Case notes, for counsellors only: find a person, read their counselling and mediation notes
newest first, add one, correct or delete the chosen one.

The section is registered with `Permission.CASE_NOTES`, so other roles never see it; the
services check the permission again. Every read and write runs on the database worker
(`Session.call`); the GUI thread only fills widgets.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import errors, i18n
from jisr_desktop.context import Context
from jisr_desktop.domain.messages import FieldMessage
from jisr_desktop.i18n import N_, _, translate, translate_plural
from jisr_desktop.services import case_notes
from jisr_desktop.services.case_notes import (
    COUNSELLING,
    MEDIATION,
    STAGES,
    TOPICS,
    CaseNote,
    NoteConflict,
    PersonFile,
)
from jisr_desktop.ui.dialogs import Dialogs, show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel
from jisr_desktop.ui.screens.common import make_table
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone
from jisr_desktop.ui.widgets import (
    DateEdit,
    PersonPicker,
    combo_select,
    message_label,
    show_messages,
)
from jisr_protocol import LIFE

KIND_LABELS = {COUNSELLING: N_("Counselling"), MEDIATION: N_("Mediation")}
FIELDS = ("person_id", "session_date", "topic", "household_id", "parties", "stage", "outcome",
          "note", "follow_up_date")


def _short(day: date | None) -> str:
    return i18n.format_date(day, fmt="short") if day else ""


NOTE_COLUMNS = (
    Column(N_("Date"), lambda n: _short(n.session_date)),
    Column(N_("Kind"), lambda n: translate(KIND_LABELS.get(n.kind, n.kind))),
    Column(N_("Topic or stage"), lambda n: translate(n.label)),
    Column(N_("Follow-up"), lambda n: _short(n.follow_up_date)),
    Column(N_("Counsellor"), lambda n: n.counsellor_name),
    Column(N_("HQ"), lambda n: _("Refused") if n.refused else ""),
)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(edit: DateEdit) -> date:
    qd = edit.date()
    return date(qd.year(), qd.month(), qd.day())


class CaseNotesScreen(RetranslateMixin, QWidget):
    """A person's confidential notes and the form of one note.

    Signals:
        file_loaded(object): a person's notes are shown (`PersonFile`).
        saved(object): a note was saved (`CaseNote`).
        deleted(str): a note was deleted (its id).
    """

    file_loaded = Signal(object)
    saved = Signal(object)
    deleted = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.file: PersonFile | None = None
        self.kind = COUNSELLING
        self.editing: CaseNote | None = None
        self._filled: tuple[object, ...] = ()  # the form as it was filled (`form_changed`)
        today = session.clock().astimezone().date()
        # left: finding the person
        self.title = QLabel()
        set_role(self.title, "title")
        self.confidential = QLabel()
        self.confidential.setWordWrap(True)
        self.picker = PersonPicker(session)
        # right: the person's notes
        self.heading = QLabel()
        self.heading.setObjectName("caseNotesPerson")
        set_role(self.heading, "heading")
        self.warning = QLabel()
        self.warning.setObjectName("caseNotesWarning")
        self.warning.setWordWrap(True)
        set_tone(self.warning, "warning")
        self.warning.setVisible(False)
        self.model = RowsModel(NOTE_COLUMNS, self)
        self.table = make_table(self.model, "caseNotes", name_column=2)  # the topic
        self.summary = QLabel()
        self.new_counselling = QPushButton()
        self.new_counselling.setObjectName("newCounsellingNote")
        self.new_mediation = QPushButton()
        self.new_mediation.setObjectName("newMediationNote")
        self.delete_button = QPushButton()
        self.delete_button.setObjectName("deleteCaseNote")
        # the form of one note
        self.form_title = QLabel()
        set_role(self.form_title, "heading")
        self.session_date = DateEdit(_qdate(today))
        self.session_date.setObjectName("noteSessionDate")
        self.session_date.setCalendarPopup(True)
        self.session_date.setMaximumDate(_qdate(today))
        self.topic = QComboBox()
        self.topic.setObjectName("noteTopic")
        self.household = QComboBox()
        self.household.setObjectName("noteHousehold")
        self.parties = QListWidget()
        self.parties.setObjectName("noteParties")
        self.parties.setMaximumHeight(90)
        self.stage = QComboBox()
        self.stage.setObjectName("noteStage")
        self.outcome = QLineEdit()
        self.outcome.setObjectName("noteOutcome")
        self.note = QPlainTextEdit()
        self.note.setObjectName("noteText")
        self.note.setTabChangesFocus(True)
        self.follow_up = QCheckBox()
        self.follow_up.setObjectName("noteFollowUp")
        self.follow_up_date = DateEdit(_qdate(today))
        self.follow_up_date.setObjectName("noteFollowUpDate")
        self.follow_up_date.setCalendarPopup(True)
        self.follow_up_date.setEnabled(False)
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveCaseNote")
        self.status = QLabel()
        self.status.setObjectName("caseNoteStatus")
        self.status.setWordWrap(True)
        # a concurrent edit of the chosen note, for the counsellor to settle
        self.conflict_box = QWidget()
        self.conflict_box.setObjectName("caseNoteConflict")
        self.conflict_text = QLabel()
        self.conflict_text.setWordWrap(True)
        set_tone(self.conflict_text, "warning")
        self.keep_button = QPushButton()
        self.keep_button.setObjectName("keepThisVersion")
        self.other_button = QPushButton()
        self.other_button.setObjectName("takeOtherVersion")
        conflict_row = QHBoxLayout()
        conflict_row.addWidget(self.keep_button)
        conflict_row.addWidget(self.other_button)
        conflict_row.addStretch(1)
        conflict_layout = QVBoxLayout(self.conflict_box)
        conflict_layout.setContentsMargins(0, 0, 0, 0)
        conflict_layout.addWidget(self.conflict_text)
        conflict_layout.addLayout(conflict_row)
        self.conflict_box.setVisible(False)
        self.conflict: NoteConflict | None = None
        self.messages = {name: message_label(name) for name in FIELDS}
        self.labels = {name: QLabel() for name in FIELDS if name != "person_id"}
        follow = QHBoxLayout()
        follow.addWidget(self.follow_up)
        follow.addWidget(self.follow_up_date, 1)
        self.form = QFormLayout()
        widgets: dict[str, object] = {
            "session_date": self.session_date, "topic": self.topic, "household_id": self.household,
            "parties": self.parties, "stage": self.stage, "outcome": self.outcome,
            "note": self.note, "follow_up_date": follow}
        for name, widget in widgets.items():
            self.form.addRow(self.labels[name], widget)  # type: ignore[call-overload]
            self.form.addRow(self.messages[name])
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.addWidget(self.title)
        left_box.addWidget(self.confidential)
        left_box.addWidget(self.picker, 1)
        buttons = QHBoxLayout()
        for button in (self.new_counselling, self.new_mediation, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.right = QWidget()
        right_box = QVBoxLayout(self.right)
        right_box.addWidget(self.heading)
        right_box.addWidget(self.warning)
        right_box.addWidget(self.table, 1)
        right_box.addWidget(self.summary)
        right_box.addLayout(buttons)
        right_box.addWidget(self.form_title)
        right_box.addWidget(self.conflict_box)
        right_box.addWidget(self.messages["person_id"])
        right_box.addLayout(self.form)
        right_box.addWidget(self.save_button)
        right_box.addWidget(self.status)
        self.right.setEnabled(False)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 1)
        QVBoxLayout(self).addWidget(splitter)
        self.picker.picked.connect(self.open_person)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._chosen(cur.row()))
        self.new_counselling.clicked.connect(lambda: self.new_note(COUNSELLING))
        self.new_mediation.clicked.connect(lambda: self.new_note(MEDIATION))
        self.delete_button.clicked.connect(self.delete_note)
        self.save_button.clicked.connect(self.save)
        self.keep_button.clicked.connect(lambda: self.resolve_conflict(keep_other=False))
        self.other_button.clicked.connect(lambda: self.resolve_conflict(keep_other=True))
        self.follow_up.toggled.connect(self.follow_up_date.setEnabled)
        self.household.currentIndexChanged.connect(lambda _i: self._fill_parties())
        self.retranslate()
        self.new_note(COUNSELLING)

    # --- text --------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(_("Case notes"))
        self.confidential.setText(_("Confidential: only counsellors can see these notes. "
                                    "They are never part of reports or exports."))
        self.new_counselling.setText(_("New counselling note"))
        self.new_mediation.setText(_("New mediation note"))
        self.delete_button.setText(_("Delete the note"))
        self.save_button.setText(_("Save the note"))
        self.follow_up.setText(_("Follow-up planned"))
        self.keep_button.setText(_("Keep this version"))
        self.other_button.setText(_("Take the other version"))
        self._show_conflict()
        for name, text in (("session_date", _("Session date")), ("topic", _("Topic")),
                           ("household_id", _("Household")), ("parties", _("Parties")),
                           ("stage", _("Stage")), ("outcome", _("Outcome")), ("note", _("Note")),
                           ("follow_up_date", _("Follow-up"))):
            self.labels[name].setText(text)
        self._fill_combo(self.topic, TOPICS)
        self._fill_combo(self.stage, STAGES)
        if self.household.count():
            self.household.setItemText(0, _("No household") if self.kind == COUNSELLING
                                       else _("Choose the household"))
        if self.file is None:
            self.heading.setText(_("Search for a person, then press Enter to open the record."))
        else:
            self.heading.setText(self.file.person.display_name(i18n.current_language()))
            self.warning.setText(translate(self.file.warning) if self.file.warning else "")
        self.summary.setText(translate_plural("{n} note", "{n} notes", len(self.model.rows)))
        self._show_form_title()
        self.model.retranslate()

    @staticmethod
    def _fill_combo(combo: QComboBox, labels: dict[str, str]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for code, msgid in labels.items():
            combo.addItem(translate(msgid), code)
        combo_select(combo, chosen)
        combo.blockSignals(False)

    def _show_form_title(self) -> None:
        if self.editing is not None:
            day = _short(self.editing.session_date)
            self.form_title.setText(_("Counselling note of {date}", date=day)
                                    if self.kind == COUNSELLING
                                    else _("Mediation note of {date}", date=day))
        else:
            self.form_title.setText(_("New counselling note") if self.kind == COUNSELLING
                                    else _("New mediation note"))

    # --- loading -----------------------------------------------------------------------------

    def open_person(self, person_id: str, *, select: str | None = None) -> None:
        self.session.call(lambda ctx: case_notes.person_file(ctx=ctx, person_id=person_id),
                          lambda pf: self._show_file(pf, select), key=f"case-notes-{id(self)}")

    def _show_file(self, pf: PersonFile, select: str | None = None, *, keep_form: bool = False) -> None:
        """Show a person's notes; the form shows the note `select` (or a new note), unless
        `keep_form`: then it keeps what is typed in it (a refresh while someone writes)."""
        household = self.household.currentData()
        self.file = pf
        self.right.setEnabled(True)
        self.warning.setVisible(bool(pf.warning))
        self.model.set_rows(pf.notes)
        self.household.blockSignals(True)
        self.household.clear()
        self.household.addItem("", None)
        for hid, name in pf.households:
            self.household.addItem(name or _("Household"), hid)
        if keep_form:
            combo_select(self.household, household)
        self.household.blockSignals(False)
        if keep_form:
            self._keep_form()
        self.retranslate()
        if not keep_form and not (select and self._select(select)):
            self.new_note(self.kind)
        self.file_loaded.emit(pf)

    def _keep_form(self) -> None:
        """After a reload: the note being written stays in the form, its row stays chosen."""
        editing = self.editing
        if editing is None:
            return
        fresh = [n for n in self.model.rows if n.id == editing.id]
        if fresh:
            self.editing = fresh[0]
            selection = self.table.selectionModel()
            selection.blockSignals(True)
            self.table.setCurrentIndex(self.model.index(self.model.rows.index(fresh[0]), 0))
            selection.blockSignals(False)

    def _form_values(self) -> tuple[object, ...]:
        """What the form holds, to tell whether someone changed it since it was filled."""
        return (self.kind, _pydate(self.session_date), self.topic.currentData(), self.household.currentData(),
                tuple(self.checked_parties()), self.stage.currentData(), self.outcome.text(),
                self.note.toPlainText(), self.follow_up.isChecked(), _pydate(self.follow_up_date))

    def form_changed(self) -> bool:
        """Whether the form holds something typed since it was filled (not saved yet)."""
        return self._form_values() != self._filled

    def _select(self, note_id: str) -> bool:
        for i, n in enumerate(self.model.rows):
            if n.id == note_id:
                self.table.setCurrentIndex(self.model.index(i, 0))  # selectRow ignores RTL
                return True
        return False

    def _chosen(self, row: int) -> None:
        note = self.model.row_at(row)
        if isinstance(note, CaseNote):
            self._edit(note)

    def _edit(self, note: CaseNote) -> None:
        self.editing = note
        self._set_kind(note.kind)
        self.session_date.setDate(_qdate(note.session_date))
        combo_select(self.topic, note.topic)
        combo_select(self.household, note.household_id)
        self._fill_parties(note.parties)
        combo_select(self.stage, note.stage)
        self.outcome.setText(note.outcome)
        self.note.setPlainText(note.note)
        self.follow_up.setChecked(note.follow_up_date is not None)
        if note.follow_up_date:
            self.follow_up_date.setDate(_qdate(note.follow_up_date))
        self.delete_button.setEnabled(True)
        self._show_conflict()
        show_messages(self.messages, [])
        self.status.setText(translate(case_notes.refusal_text(note.refused), reason=note.refused)
                            if note.refused else "")
        self._show_form_title()
        self._filled = self._form_values()

    def _show_conflict(self) -> None:
        """The first open conflict of the chosen note, in words."""
        found = (self.file.conflicts.get(self.editing.id, [])
                 if self.file is not None and self.editing is not None else [])
        self.conflict = found[0] if found else None
        self.conflict_box.setVisible(self.conflict is not None)
        if self.conflict is None:
            return
        name = self.conflict.field
        label = self.labels[name].text() if name in self.labels else name
        value = self.conflict.other
        if name == "topic":
            value = translate(TOPICS.get(str(value), str(value)))
        elif name == "stage":
            value = translate(STAGES.get(str(value), str(value)))
        elif name == LIFE:
            label, value = _("Deleted"), _("Yes") if value else _("No")
        self.conflict_text.setText(_(
            "This note was changed on two desktops at the same time. The version shown was "
            "kept; the other version of “{field}” was: {value}",
            field=label, value="" if value is None else str(value)))

    def resolve_conflict(self, *, keep_other: bool) -> None:
        conflict, note, pf = self.conflict, self.editing, self.file
        if conflict is None or note is None or pf is None:
            return
        person_id = pf.person.id

        def job(ctx: Context) -> PersonFile:
            case_notes.resolve_note_conflict(ctx=ctx, conflict_id=conflict.id, keep_other=keep_other)
            return case_notes.person_file(ctx=ctx, person_id=person_id)

        def done(result: PersonFile) -> None:
            self._show_file(result, select=note.id)
            self.status.setText(_("Conflict resolved."))

        self.session.call(job, done, self._failed)

    def _set_kind(self, kind: str) -> None:
        self.kind = kind
        counselling = kind == COUNSELLING
        for name, visible in (("topic", counselling), ("parties", not counselling),
                              ("stage", not counselling), ("outcome", not counselling)):
            self.form.setRowVisible(self.labels[name], visible)
            if not visible:
                self.messages[name].setVisible(False)
        if self.household.count():
            self.household.setItemText(0, _("No household") if counselling else _("Choose the household"))

    def _fill_parties(self, chosen: tuple[str, ...] | None = None) -> None:
        """The members of the chosen household, the person of the file ticked by default."""
        if chosen is None:
            chosen = tuple(self.checked_parties())
            if not chosen and self.file is not None:
                chosen = (self.file.person.id,)
        self.parties.clear()
        if self.file is None:
            return
        lang = i18n.current_language()
        hid = self.household.currentData()
        people = list(self.file.members.get(hid, [])) if hid else [self.file.person]
        known = {p.id for p in people}
        people += [self.file.people[i] for i in chosen if i not in known and i in self.file.people]
        for person in people:
            item = QListWidgetItem(person.display_name(lang))
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if person.id in chosen else Qt.CheckState.Unchecked)
            self.parties.addItem(item)

    def checked_parties(self) -> list[str]:
        out = []
        for i in range(self.parties.count()):
            item = self.parties.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    # --- editing -----------------------------------------------------------------------------

    def new_note(self, kind: str = COUNSELLING) -> None:
        """An empty form for a new note of `kind`."""
        self.editing = None
        self.table.clearSelection()
        self.table.setCurrentIndex(self.model.index(-1, -1))
        self._set_kind(kind)
        today = self.session.clock().astimezone().date()
        self.session_date.setDate(_qdate(today))
        self.topic.setCurrentIndex(0)
        self.stage.setCurrentIndex(0)
        self.household.setCurrentIndex(1 if kind == MEDIATION and self.household.count() == 2 else 0)
        self._fill_parties(() if self.file is None else (self.file.person.id,))
        self.outcome.clear()
        self.note.clear()
        self.follow_up.setChecked(False)
        self.follow_up_date.setDate(_qdate(today))
        self.delete_button.setEnabled(False)
        self._show_conflict()
        show_messages(self.messages, [])
        self.status.setText("")
        self._show_form_title()
        self._filled = self._form_values()

    def new_record(self) -> None:
        """Ctrl+N: a new counselling note for the open person."""
        if self.file is not None:
            self.new_note(COUNSELLING)
            self.note.setFocus()

    def save(self) -> None:
        if self.file is None:
            return
        person_id = self.file.person.id
        note_id = self.editing.id if self.editing else None
        kind = self.kind
        common = {"session_date": _pydate(self.session_date), "note": self.note.toPlainText(),
                  "follow_up_date": _pydate(self.follow_up_date) if self.follow_up.isChecked() else None,
                  "note_id": note_id}
        household = self.household.currentData()
        topic, stage = self.topic.currentData(), self.stage.currentData()
        parties, outcome = self.checked_parties(), self.outcome.text()

        def job(ctx: Context) -> tuple[CaseNote, PersonFile]:
            if kind == COUNSELLING:
                saved = case_notes.save_counselling_note(
                    ctx=ctx, person_id=person_id, topic=topic or "", household_id=household,
                    **common)  # type: ignore[arg-type]
            else:
                saved = case_notes.save_mediation_note(
                    ctx=ctx, household_id=household or "", parties=parties, stage=stage or "",
                    outcome=outcome, **common)  # type: ignore[arg-type]
            return saved, case_notes.person_file(ctx=ctx, person_id=person_id)

        self.save_button.setEnabled(False)
        self.session.call(job, self._saved, self._failed)

    def _saved(self, result: tuple[CaseNote, PersonFile]) -> None:
        note, pf = result
        self.save_button.setEnabled(True)
        self._show_file(pf, select=note.id)
        if not note.refused:
            self.status.setText(_("Saved."))
        self.saved.emit(note)

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, errors.JisrError) and exc.field in self.messages:
            show_messages(self.messages, [FieldMessage(exc.field, "error", exc.msgid, exc.params)])
            self.status.setText("")
        elif isinstance(exc, errors.JisrError):
            show_messages(self.messages, [])
            self.status.setText(exc.message())
        else:
            show_error(self, exc)

    def delete_note(self) -> None:
        note, pf = self.editing, self.file
        if note is None or pf is None:
            return
        if not Dialogs.confirm(self, _("Delete the note"),
                               _("Delete this note? It is deleted on every desktop too.")):
            return
        person_id = pf.person.id

        def job(ctx: Context) -> PersonFile:
            case_notes.delete_note(ctx=ctx, kind=note.kind, note_id=note.id)
            return case_notes.person_file(ctx=ctx, person_id=person_id)

        def done(result: PersonFile) -> None:
            self._show_file(result)
            self.status.setText(_("The note was deleted."))
            self.deleted.emit(note.id)

        self.session.call(job, done, self._failed)

    # --- shell hooks -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the open file again (F5, or rows changed by another screen or a sync): a note
        being written keeps what is typed in it."""
        if self.file is None:
            return
        person_id = self.file.person.id
        self.session.call(lambda ctx: case_notes.person_file(ctx=ctx, person_id=person_id),
                          self._refreshed, key=f"case-notes-{id(self)}")

    def _refreshed(self, pf: PersonFile) -> None:
        if self.file is None or pf.person.id != self.file.person.id:
            return  # another person was opened meanwhile
        self._show_file(pf, self.editing.id if self.editing else None, keep_form=self.form_changed())

    def focus_search(self) -> None:
        self.picker.focus()

    def activated(self) -> None:
        self.picker.query.setFocus()
