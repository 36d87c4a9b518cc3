"""Small shared widgets: the person picker (search-as-you-type with results), inline field
messages, and reference lists loaded on the database worker."""

from __future__ import annotations

from typing import Any

import sqlite_utils
from PySide6.QtCore import QDate, QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import i18n
from jisr_desktop.domain.messages import FieldMessage
from jisr_desktop.domain.person import Person
from jisr_desktop.i18n import _, translate_plural
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import PersonSearchModel
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_tone


def provinces(db: sqlite_utils.Database) -> list[tuple[str, str, str]]:
    """(code, Arabic name, French name) of the provinces and prefectures (worker thread)."""
    return [tuple(r) for r in db.execute(
        "SELECT code, name_ar, name_fr FROM admin_division WHERE kind != 'region' ORDER BY name_fr")]


def fill_provinces(combo: QComboBox, rows: list[tuple[str, str, str]], *, empty: bool = True) -> None:
    """Fill a combo with provinces named in the current language, keeping the chosen one."""
    chosen = combo.currentData()
    combo.clear()
    if empty:
        combo.addItem("—", None)
    lang = i18n.current_language()
    for code, name_ar, name_fr in sorted(rows, key=lambda r: r[1] if lang == "ar" else r[2]):
        combo.addItem(name_ar if lang == "ar" else name_fr, code)
    if chosen is not None:
        combo.setCurrentIndex(max(0, combo.findData(chosen)))


def show_messages(labels: dict[str, QLabel], messages: list[FieldMessage], *,
                  fallback: str | None = None) -> None:
    """Put each message under its field (errors red, warnings amber); clear the others.
    Messages about a field without a label go to `fallback`'s label."""
    by_field: dict[str, list[FieldMessage]] = {}
    for message in messages:
        key = message.field if message.field in labels else (fallback or "")
        by_field.setdefault(key, []).append(message)
    for name, label in labels.items():
        mine = by_field.get(name, [])
        label.setText("\n".join(m.text() for m in mine))
        set_tone(label, "error" if any(m.is_error for m in mine) else "warning")
        label.setVisible(bool(mine))


def isolate(text: str) -> str:
    """`text` as a bidi isolate, so that a Latin file number or phone inside Arabic text (or
    the reverse) keeps its own direction and does not reorder its neighbours."""
    return f"\u2068{text}\u2069" if text else ""


def message_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(f"msg_{name}")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


class PersonPicker(RetranslateMixin, QWidget):
    """A search box and its results: type a name, CIN, phone or file number, choose a person.

    Nobody is chosen automatically: Enter (or the down arrow) in the search box moves to the
    results, and Enter or a double click on a row chooses that person. A new search, or one
    that finds nobody, clears the choice.

    Signals:
        picked(str): a person was chosen (double click or Enter on a row; the id).
        current_changed(object): the chosen person changed (a `Person`, or None).
    """

    picked = Signal(str)
    current_changed = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._chosen_id: str | None = None
        self._chosen: Person | None = None
        self.query = QLineEdit()
        self.query.setObjectName("searchBox")
        self.query.setClearButtonEnabled(True)
        self.model = PersonSearchModel(session.runner, parent=self)
        self.table = QTableView()
        self.table.setObjectName("searchResults")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(60)
        self.count = QLabel()
        self.count.setObjectName("resultCount")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.query)
        box.addWidget(self.count)
        box.addWidget(self.table, 1)
        self.query.textChanged.connect(self._typed)
        self.query.returnPressed.connect(self._enter)
        self.query.installEventFilter(self)
        self.table.installEventFilter(self)
        self.model.searched.connect(self._searched)
        self.table.doubleClicked.connect(lambda index: self._pick(index.row()))
        self.retranslate()

    def retranslate(self) -> None:
        self.query.setPlaceholderText(_("Search: name, CIN, phone or file number"))
        self._searched(self.model.text, self.model.rowCount())
        self.model.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                index = self.table.currentIndex()
                if index.isValid():
                    self._pick(index.row())
                return True
            if watched is self.query and key == Qt.Key.Key_Down and self.model.rowCount():
                self._to_results()
                return True
        return super().eventFilter(watched, event)

    def _typed(self, text: str) -> None:
        self.clear_choice()
        self.model.set_query(text)

    def _searched(self, text: str, count: int) -> None:
        if not text:
            self.count.setText(_("Type to search the registry."))
        elif count == 0:
            self.count.setText(_("Nobody found for “{text}”.", text=text))
        else:
            self.count.setText(translate_plural("{n} person found", "{n} persons found", count))
        if count == 0:
            self.clear_choice()
        elif self._chosen_id is not None:  # the same search read again: keep the choice shown
            for row in range(count):
                if self.model.person_id(row) == self._chosen_id:
                    self.table.selectRow(row)
                    break

    def _enter(self) -> None:
        if self.model.rowCount() and self.model.text == self.query.text().strip():
            self._to_results()
        else:
            self.model.search(self.query.text())

    def _to_results(self) -> None:
        """Move to the results (the first row highlighted, nobody chosen yet)."""
        self.table.setFocus()
        if not self.table.currentIndex().isValid():
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    def _pick(self, row: int) -> None:
        pid = self.model.person_id(row)
        if pid:
            self._chosen_id = pid
            self._chosen = self.model.person(row)
            self.table.selectRow(row)
            self.current_changed.emit(self._chosen)
            self.picked.emit(pid)

    def clear_choice(self) -> None:
        """Nobody chosen any more (and no row highlighted)."""
        had = self._chosen_id is not None
        self._chosen_id = None
        self._chosen = None
        self.table.clearSelection()
        self.table.setCurrentIndex(QModelIndex())
        if had:
            self.current_changed.emit(None)

    def current_person(self) -> Person | None:
        """The chosen person (by Enter or double click), or None."""
        return self._chosen

    def current_id(self) -> str | None:
        return self._chosen_id

    def focus(self) -> None:
        self.query.setFocus()
        self.query.selectAll()

    def refresh(self) -> None:
        self.model.refresh()


def named(person: Person) -> dict[str, str]:
    """{name} and {file_no} of `person` for a message or a button that names her (isolates,
    so that a Latin file number keeps its place in an Arabic sentence)."""
    return {"name": isolate(person.display_name(i18n.current_language())),
            "file_no": isolate(person.file_no)}


class DateEdit(QDateEdit):
    """A date field that reads left to right in every language, as Moroccan dates are
    written (in a right-to-left window Qt would otherwise show 2026/11/02 for 02/11/2026)."""

    def __init__(self, value: QDate, display_format: str = "dd/MM/yyyy",
                 parent: QWidget | None = None) -> None:
        super().__init__(value, parent)
        self.setDisplayFormat(display_format)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def combo_select(combo: QComboBox, value: Any) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(index if index >= 0 else 0)
