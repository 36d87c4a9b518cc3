"""Item models: the person search model (ids plus a lazy row cache filled off the GUI thread)
and a small table model over a list of rows for short lists (visits, members, accounts)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from jisr_desktop import i18n
from jisr_desktop.domain.person import Person, format_phone
from jisr_desktop.i18n import N_, translate
from jisr_desktop.services import registry
from jisr_desktop.ui.dates import date_text
from jisr_desktop.ui.tasks import TaskRunner

AnyIndex = QModelIndex | QPersistentModelIndex
DEBOUNCE_MS = 50


@dataclass(frozen=True)
class Column:
    title: str  # a msgid, translated when shown
    value: Callable[[Any], str]


class RowsModel(QAbstractTableModel):
    """A read-only table over a short list of rows, with translated headers.

    Signals: none besides QAbstractTableModel's.
    """

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.columns[index.column()].value(self.rows[index.row()])

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return translate(self.columns[section].title)
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            return i18n.format_number(section + 1)
        return None

    def retranslate(self) -> None:
        """Headers and cells again in the current language."""
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rows) - 1, len(self.columns) - 1))


def ltr(text: str | None) -> str:
    """A left-to-right run (phone, CIN, file number) isolated so that an Arabic cell does not
    reverse its digit groups."""
    return f"\u2066{text}\u2069" if text else ""


def person_born(p: Person) -> str:
    if p.birth_date:
        return date_text(p.birth_date)
    return str(p.birth_year) if p.birth_year else ""


def other_spelling(p: Person) -> str:
    """The name in the script the `Name` column does not show (empty when there is none)."""
    shown = p.display_name(i18n.current_language())
    other = p.display_name_lat if shown == p.display_name_ar else p.display_name_ar
    return "" if other == shown else other


PERSON_COLUMNS = (
    Column(N_("Name"), lambda p: p.display_name(i18n.current_language())),
    Column(N_("Other spelling"), lambda p: other_spelling(p)),
    Column(N_("Born"), person_born),
    Column(N_("CIN"), lambda p: ltr(p.cin)),
    Column(N_("Phone"), lambda p: ltr(format_phone(p.phone))),
    Column(N_("File number"), lambda p: ltr(p.file_no)),
)


@dataclass(frozen=True)
class SearchResult:
    text: str
    ids: list[str]
    first_rows: dict[str, Person]


def run_search(db: sqlite_utils.Database, text: str, limit: int, page: int) -> SearchResult:
    """Runs on the database worker: the matching ids and the first page of rows."""
    ids = registry.matching_ids(db, text, limit=limit)
    return SearchResult(text, ids, registry.person_rows(db, ids[:page]))


class PersonSearchModel(QAbstractTableModel):
    """Persons matching typed text: holds ids, fills rows lazily, one page at a time, on the
    database worker. `set_query` debounces typing; `search` runs at once.

    Signals:
        searched(str, int): the model now holds the results of this text (and their count).
        rows_loaded(): a page of rows arrived in the cache.
    """

    searched = Signal(str, int)
    rows_loaded = Signal()

    def __init__(self, runner: TaskRunner, *, limit: int = 200, page: int = 50,
                 debounce_ms: int = DEBOUNCE_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.limit, self.page = limit, page
        self.text = ""
        self._ids: list[str] = []
        self._cache: dict[str, Person] = {}
        self._requested: set[int] = set()
        self._generation = 0
        self._key = f"person-search-{id(self)}"
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._typed = ""
        self._timer.timeout.connect(lambda: self.search(self._typed))

    # --- querying ------------------------------------------------------------------------

    def set_query(self, text: str) -> None:
        """Text as it is being typed: searched once typing pauses."""
        self._typed = text
        self._timer.start()

    def search(self, text: str) -> None:
        self._timer.stop()
        text = text.strip()
        if not text:
            self._apply(SearchResult("", [], {}))
            self.runner.run_db(lambda db: None, key=self._key)  # makes a running search stale
            return
        limit, page = self.limit, self.page
        self.runner.run_db(lambda db: run_search(db, text, limit, page), self._apply, key=self._key)

    def refresh(self) -> None:
        """Read the rows of the current text again; nothing while typed text waits for its
        search (that search reads fresh rows, and must not be replaced by the older text)."""
        if not self._timer.isActive():
            self.search(self.text)

    def _apply(self, result: SearchResult) -> None:
        self.beginResetModel()
        self._generation += 1
        self.text = result.text
        self._ids = result.ids
        self._cache = dict(result.first_rows)
        self._requested = {0} if result.first_rows else set()
        self.endResetModel()
        self.searched.emit(result.text, len(result.ids))

    def _request_page(self, row: int) -> None:
        page_no = row // self.page
        if page_no in self._requested:
            return
        self._requested.add(page_no)
        generation = self._generation
        ids = self._ids[page_no * self.page:(page_no + 1) * self.page]

        def done(rows: dict[str, Person]) -> None:
            if generation != self._generation:
                return
            self._cache.update(rows)
            first, last = page_no * self.page, page_no * self.page + len(ids) - 1
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(PERSON_COLUMNS) - 1))
            self.rows_loaded.emit()

        self.runner.run_db(lambda db: registry.person_rows(db, ids), done)

    # --- reading -------------------------------------------------------------------------

    def person_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def person(self, row: int) -> Person | None:
        pid = self.person_id(row)
        return self._cache.get(pid) if pid else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(PERSON_COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        person = self._cache.get(self._ids[index.row()])
        if person is None:
            self._request_page(index.row())
            return "…"
        return PERSON_COLUMNS[index.column()].value(person)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(PERSON_COLUMNS):
            return translate(PERSON_COLUMNS[section].title)
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._ids):
            return i18n.format_number(section + 1)
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(PERSON_COLUMNS) - 1)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(PERSON_COLUMNS) - 1))
