"""The person form: inline translated validation messages under each field, and before a new
person is saved, the "same person?" card listing possible duplicates and what matches."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import errors, i18n
from jisr_desktop.context import Context
from jisr_desktop.domain.messages import FieldMessage, errors_of
from jisr_desktop.domain.person import Person, format_phone
from jisr_desktop.i18n import N_, _, translate
from jisr_desktop.services import registry
from jisr_desktop.ui.dialogs import show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import other_spelling, person_born
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone
from jisr_desktop.ui.widgets import (
    combo_select,
    fill_provinces,
    message_label,
    named,
    provinces,
    show_messages,
)

#: How long the "Saved" confirmation stays in the status bar (milliseconds).
SAVED_SHOWN_MS = 10_000


def saved_text(person: Person) -> str:
    """The short confirmation after a person was registered or updated."""
    return _("Saved: {name} (file {file_no})", **named(person))


def announce_saved(widget: QWidget, person: Person) -> None:
    """Say in the main window's status bar that `person` was saved (`widget` may sit in a
    dialog: its parents lead to the main window)."""
    top: QWidget | None = widget
    while top is not None and not isinstance(top, QMainWindow):
        top = top.parentWidget()
    if top is not None:
        top.statusBar().showMessage(saved_text(person), SAVED_SHOWN_MS)


FIELDS: list[tuple[str, str]] = [
    ("given_name_ar", N_("Given name (Arabic)")),
    ("family_name_ar", N_("Family name (Arabic)")),
    ("given_name_lat", N_("Given name (Latin letters)")),
    ("family_name_lat", N_("Family name (Latin letters)")),
    ("sex", N_("Sex")),
    ("birth_date", N_("Birth date")),
    ("birth_year", N_("Estimated birth year")),
    ("cin", N_("CIN")),
    ("phone", N_("Phone")),
    ("phone2", N_("Second phone")),
    ("address", N_("Address")),
    ("province_code", N_("Province")),
    ("disability", N_("Disability")),
    ("disability_type", N_("Type of disability")),
    ("notes", N_("Notes")),
]


class DuplicateCard(RetranslateMixin, QFrame):
    """"Same person?": the possible duplicates of the person being registered.

    Signals:
        same_person(str): the receptionist says it is this person (their id).
        different_person(): it is nobody listed; save the new person.
        cancelled(): back to the form.
    """

    same_person = Signal(str)
    different_person = Signal()
    cancelled = Signal()

    def __init__(self, matches: list[registry.DuplicateMatch], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicateCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.matches = matches
        self.title = QLabel()
        self.title.setObjectName("duplicateTitle")
        self.title.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        self.rows: list[tuple[QLabel, QLabel, QPushButton]] = []
        self.details: list[list[QLabel]] = []
        for match in matches:
            line = QHBoxLayout()
            who, why = QLabel(), QLabel()
            bold = who.font()
            bold.setBold(True)
            who.setFont(bold)
            # Each detail in its own label: Latin numbers never reorder Arabic names.
            details = [QLabel() for _i in range(5)]
            detail_row = QGridLayout()
            for i, label in enumerate(details):
                detail_row.addWidget(label, i // 3, i % 3)
            detail_row.setColumnStretch(3, 1)
            self.details.append(details)
            why.setObjectName("duplicateReasons")
            set_tone(why, "warning")
            button = QPushButton()
            button.setObjectName("samePerson")
            button.clicked.connect(lambda _=False, pid=match.person.id: self.same_person.emit(pid))
            column = QVBoxLayout()
            column.addWidget(who)
            column.addLayout(detail_row)
            column.addWidget(why)
            line.addLayout(column, 1)
            line.addWidget(button)
            box.addLayout(line)
            self.rows.append((who, why, button))
        buttons = QHBoxLayout()
        self.different = QPushButton()
        self.different.setObjectName("differentPerson")
        self.back = QPushButton()
        buttons.addWidget(self.different)
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.different.clicked.connect(self.different_person)
        self.back.clicked.connect(self.cancelled)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Is this the same person? These records look alike. Check before "
                             "registering someone twice."))
        lang = i18n.current_language()
        for match, (who, why, button), labels in zip(self.matches, self.rows, self.details,
                                                     strict=True):
            p = match.person
            who.setText(p.display_name(lang))
            values = [other_spelling(p), person_born(p), p.cin or "", format_phone(p.phone),
                      p.file_no]
            for label, value in zip(labels, values, strict=True):
                label.setText(value)
                label.setVisible(bool(value))
            why.setText("\n".join("• " + translate(registry.REASON_LABELS[r]) for r in match.reasons))
            button.setText(_("This is the same person"))
        self.different.setText(_("A different person: register"))
        self.back.setText(_("Back to the form"))


class PersonForm(RetranslateMixin, QWidget):
    """Register a new person (`person` None) or edit one.

    Signals:
        saved(object): the person was registered or updated (the `Person`).
        open_existing(str): the receptionist chose an existing record on the duplicate card.
        messages_shown(): validation messages were put under the fields.
        duplicates_shown(int): the "same person?" card is showing (how many matches).
    """

    saved = Signal(object)
    open_existing = Signal(str)
    messages_shown = Signal()
    duplicates_shown = Signal(int)

    def __init__(self, session: Session, person: Person | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.person = person
        self.inputs: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.messages: dict[str, QLabel] = {}
        self.shown: list[FieldMessage] = []
        self.card: DuplicateCard | None = None
        self._province_rows: list[tuple[str, str, str]] = []
        self.heading = QLabel()
        self.heading.setObjectName("formHeading")
        set_role(self.heading, "title")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, _title in FIELDS:
            widget = self._make_input(name)
            widget.setObjectName(name)
            self.inputs[name] = widget
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(1)
            column.addWidget(widget)
            self.messages[name] = message_label(name)
            column.addWidget(self.messages[name])
            label = QLabel()
            label.setBuddy(widget)
            self.labels[name] = label
            form.addRow(label, cell)
        self.general = message_label("general")
        self.save_button = QPushButton()
        self.save_button.setObjectName("savePerson")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        inner = QWidget()
        inner_box = QVBoxLayout(inner)
        inner_box.addWidget(self.heading)
        inner_box.addLayout(form)
        inner_box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.card_holder = QVBoxLayout()
        box = QVBoxLayout(self)
        box.addLayout(self.card_holder)
        box.addWidget(scroll, 1)
        box.addWidget(self.general)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.retranslate()
        if person is not None:
            self.load(person)
        session.runner.run_db(provinces, self._provinces_loaded)

    def focus_first(self) -> None:
        """Put the cursor in the first field, so a receptionist can type at once."""
        self.inputs[FIELDS[0][0]].setFocus(Qt.FocusReason.OtherFocusReason)

    def _make_input(self, name: str) -> QWidget:
        if name in ("sex", "province_code"):
            return QComboBox()
        if name == "disability":
            return QCheckBox()
        if name == "notes":
            notes = QPlainTextEdit()
            notes.setTabChangesFocus(True)
            notes.setFixedHeight(70)
            return notes
        line = QLineEdit()
        if name in ("cin", "phone", "phone2", "birth_date", "birth_year", "given_name_lat",
                    "family_name_lat"):
            line.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        line.returnPressed.connect(self.save)
        return line

    def _provinces_loaded(self, rows: list[tuple[str, str, str]]) -> None:
        self._province_rows = rows
        combo = self.inputs["province_code"]
        assert isinstance(combo, QComboBox)
        fill_provinces(combo, rows)
        if self.person is not None:
            combo_select(combo, self.person.province_code)

    def retranslate(self) -> None:
        self.heading.setText(_("New person") if self.person is None else _("Person's details"))
        for name, title in FIELDS:
            self.labels[name].setText(translate(title))
        sex = self.inputs["sex"]
        assert isinstance(sex, QComboBox)
        current = sex.currentData()
        sex.clear()
        sex.addItem("—", None)
        sex.addItem(_("Female"), "F")
        sex.addItem(_("Male"), "M")
        combo_select(sex, current)
        birth = self.inputs["birth_date"]
        assert isinstance(birth, QLineEdit)
        birth.setPlaceholderText(_("day/month/year"))
        combo = self.inputs["province_code"]
        assert isinstance(combo, QComboBox)
        if self._province_rows:
            fill_provinces(combo, self._province_rows)
        self.save_button.setText(_("Register") if self.person is None else _("Save changes"))
        show_messages(self.messages, self.shown, fallback="given_name_ar")

    # --- values --------------------------------------------------------------------------

    def load(self, person: Person) -> None:
        self.person = person
        for name in self.inputs:
            value = getattr(person, name)
            self._set(name, value)
        self.retranslate()

    def _set(self, name: str, value: Any) -> None:
        widget = self.inputs[name]
        if isinstance(widget, QComboBox):
            combo_select(widget, value)
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value or "")
        elif isinstance(widget, QLineEdit):
            if name == "birth_date" and value:
                value = value.strftime("%d/%m/%Y")
            elif name in ("phone", "phone2"):
                value = format_phone(value)
            widget.setText("" if value is None else str(value))

    def raw(self) -> dict[str, Any]:
        """What was typed, as the services take it."""
        out: dict[str, Any] = {}
        for name, widget in self.inputs.items():
            if isinstance(widget, QComboBox):
                out[name] = widget.currentData()
            elif isinstance(widget, QCheckBox):
                out[name] = widget.isChecked()
            elif isinstance(widget, QPlainTextEdit):
                out[name] = widget.toPlainText()
            elif isinstance(widget, QLineEdit):
                out[name] = widget.text()
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            widget = self.inputs[name]
            if isinstance(widget, QLineEdit):
                widget.setText(str(value))
            else:
                self._set(name, value)

    # --- saving --------------------------------------------------------------------------

    def show_field_messages(self, messages: list[FieldMessage]) -> None:
        self.shown = messages
        show_messages(self.messages, messages, fallback="given_name_ar")
        self.messages_shown.emit()

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self._close_card()
        self.save_button.setEnabled(False)
        if self.person is not None:
            self._update()
            return
        raw = self.raw()

        def check(ctx: Context) -> tuple[list[FieldMessage], list[registry.DuplicateMatch]]:
            _values, messages = registry.validate_person(ctx, raw)
            if errors_of(messages):
                return messages, []
            return messages, registry.find_duplicates(ctx=ctx, data=raw)

        self.session.call(check, lambda result: self._checked(raw, *result), self._failed)

    def _checked(self, raw: dict[str, Any], messages: list[FieldMessage],
                 matches: list[registry.DuplicateMatch]) -> None:
        self.show_field_messages(messages)
        if errors_of(messages):
            self.save_button.setEnabled(True)
            return
        if matches:
            self.card = DuplicateCard(matches, self)
            self.card.same_person.connect(self._same_person)
            self.card.different_person.connect(lambda: self._register(raw))
            self.card.cancelled.connect(self._close_card)
            self.card_holder.addWidget(self.card)
            self.card.show()
            self.save_button.setEnabled(True)
            self.card.different.setFocus()
            self.duplicates_shown.emit(len(matches))
            return
        self._register(raw)

    def _close_card(self) -> None:
        if self.card is not None:
            self.card.hide()
            self.card.deleteLater()
            self.card = None

    def _same_person(self, person_id: str) -> None:
        self._close_card()
        self.open_existing.emit(person_id)

    def _register(self, raw: dict[str, Any]) -> None:
        self._close_card()
        self.save_button.setEnabled(False)
        self.session.call(lambda ctx: registry.register_person(ctx=ctx, data=raw), self._saved,
                          self._failed)

    def _update(self) -> None:
        assert self.person is not None
        person_id, raw = self.person.id, self.raw()
        fields = [n for n, _t in FIELDS]
        existing = self.person

        def update(ctx: Context) -> Person:
            cleaned, _msgs = registry.validate_person(ctx, raw, existing=existing)
            data = {k: raw[k] for k in fields if k in cleaned and cleaned[k] != getattr(existing, k)}
            return registry.update_person(ctx=ctx, person_id=person_id, data=data)

        self.session.call(update, self._saved, self._failed)

    def _saved(self, person: Person) -> None:
        self.save_button.setEnabled(True)
        if self.person is not None:
            self.load(person)
        self.show_field_messages([m for m in self.shown if not m.is_error])
        announce_saved(self, person)
        self.saved.emit(person)

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, errors.ValidationFailed):
            self.show_field_messages(exc.messages)
        elif isinstance(exc, errors.JisrError) and exc.field in self.messages:
            self.show_field_messages([FieldMessage(exc.field, "error", exc.msgid, exc.params)])
        else:
            show_error(self, exc)
