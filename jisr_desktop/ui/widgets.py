"""Small shared widgets: the person picker (search-as-you-type with results), inline field
messages, and reference lists loaded on the database worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlite_utils
from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QHelpEvent, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
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
from jisr_desktop.ui.style import COLORS, set_tone


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


FILE_NO_COLUMN = 5  # in PERSON_COLUMNS (ui/models.py)
# A narrow picker puts away the other spelling, then the CIN, then the phone: the name, the
# birth date and the file number tell persons apart.
PICKER_DROP_ORDER = (1, 3, 4)
# Rows whose text sizes the columns: those in view, at least MIN_FIT_ROWS, at most FIT_ROWS
# (the first ones, as a person sees them first).
FIT_ROWS = 60
MIN_FIT_ROWS = 12
# A results table always shows a few rows, never a single one (issue 13, point 5).
PICKER_ROWS = 5


class ElidedTipDelegate(QStyledItemDelegate):
    """Draws cells as usual; a cell whose text does not fit its column shows the whole text
    as a tooltip (unless the model gives a tooltip of its own). Columns in `middle` elide in
    the middle (a file number differs at its end: "TST01-…-000012")."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.middle: set[int] = set()

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if index.column() in self.middle:
            option.textElideMode = Qt.TextElideMode.ElideMiddle

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,
                  index: QModelIndex | QPersistentModelIndex) -> bool:
        if event is not None and event.type() == QEvent.Type.ToolTip and index.isValid() \
                and not index.data(Qt.ItemDataRole.ToolTipRole):
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if text and self.sizeHint(option, index).width() > option.rect.width():
                QToolTip.showText(event.globalPos(), str(text), view)
            else:
                QToolTip.hideText()
            return True
        return super().helpEvent(event, view, option, index)


_REFIT_EVENTS = {QEvent.Type.Show, QEvent.Type.FontChange, QEvent.Type.StyleChange,
                 QEvent.Type.LayoutDirectionChange, QEvent.Type.Polish}


class ColumnFitter(QObject):
    """Sizes a table's columns to their content (issue 13, point 5): every header is read
    whole, the name column gets its whole text first and is the widest (it takes the room
    left over), the other columns share what remains and elide with a tooltip when a
    screen is narrow. Refits when the rows, the headers (language) or the width change; a
    person may still drag a column wider."""

    def __init__(self, table: QTableView, name_column: int = 0) -> None:
        super().__init__(table)
        self.table = table
        self.name_column = name_column
        self._width = -1
        self._fitting = False
        self.empty_text: Callable[[], str] | None = None  # said by an empty list (translated)
        # Columns put away, in this order, while the name and the other headers would not
        # fit whole (a narrow picker); shown again when there is room.
        self.drop_order: list[int] = []
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(24)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)  # the end of the line in Arabic too
        self.delegate = ElidedTipDelegate(table)
        table.setItemDelegate(self.delegate)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        self._model: QAbstractItemModel | None = None
        self._watch(table.model())
        table.viewport().installEventFilter(self)
        table.installEventFilter(self)

    def _watch(self, model: QAbstractItemModel | None) -> None:
        if model is None or model is self._model:
            return
        self._model = model
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted,
                       model.rowsRemoved, model.dataChanged, model.headerDataChanged):
            signal.connect(self.schedule)

    def schedule(self, *_args: object) -> None:
        self._width = -1
        self._timer.start()

    def pending(self) -> bool:
        """A refit is waiting for the event loop (rows, headers or width just changed)."""
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.table:
            if kind in _REFIT_EVENTS:  # the text is measured again in the shown font
                self.schedule()
        elif kind == QEvent.Type.Resize and self.table.viewport().width() != self._width:
            self._timer.start()
        elif kind == QEvent.Type.Paint and self.empty_text is not None:
            self._paint_empty()
        return False

    def _paint_empty(self) -> None:
        """What an empty list says, in the middle of it, calm and large (a clear empty state)."""
        model = self.table.model()
        if model is None or model.rowCount() or self.empty_text is None:
            return
        text = self.empty_text()
        if not text:
            return
        viewport = self.table.viewport()
        painter = QPainter(viewport)
        font = QFont(self.table.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        painter.setFont(font)
        painter.setPen(QColor(COLORS["muted"]))
        painter.drawText(viewport.rect().adjusted(16, 16, -16, -16),
                         int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), text)
        painter.end()

    def needed(self) -> tuple[list[int], list[int]]:
        """(header widths, content widths) of the columns, in pixels. The text of the rows
        in view (and a few more) is measured with the table's font, as the cells draw it:
        one model read per cell, so a refit after each search stays a millisecond or two."""
        model = self.table.model()
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        style = self.table.style()
        grid = 1 if self.table.showGrid() else 0  # a cell draws inside its grid line
        margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1)
        row_height = max(1, self.table.verticalHeader().defaultSectionSize())
        in_view = self.table.viewport().height() // row_height + 2
        rows = min(model.rowCount(), max(in_view, MIN_FIT_ROWS), FIT_ROWS)
        display = Qt.ItemDataRole.DisplayRole
        heads, cells = [], []
        for column in range(model.columnCount()):
            heads.append(max(header.sectionSizeHint(column), 0))
            widest = 0
            for row in range(rows):
                text = model.data(model.index(row, column), display)
                if text:
                    widest = max(widest, metrics.horizontalAdvance(str(text)))
            cells.append(widest + margin + grid if widest else 0)
        return heads, cells

    def fit(self) -> None:
        model = self.table.model()
        if model is None or self._fitting:
            return
        self._watch(model)
        columns = model.columnCount()
        if not columns:
            return
        self._fitting = True
        try:
            room = self.table.viewport().width()
            self._width = room
            for column in self.drop_order:
                self.table.setColumnHidden(column, False)  # measured like the others
            heads, cells = self.needed()
            name = self.name_column if 0 <= self.name_column < columns else 0
            need = [max(h, c) for h, c in zip(heads, cells, strict=True)]
            hidden: set[int] = set()
            for column in self.drop_order:
                shown = [c for c in range(columns) if c != name and c not in hidden]
                if need[name] + sum(heads[c] for c in shown) <= room:
                    break
                hidden.add(column)
            for column in hidden:
                self.table.setColumnHidden(column, True)
                need[column] = heads[column] = 0
            widths = list(need)
            if sum(need) <= room:
                widths[name] += room - sum(need)  # the name column: the widest
            else:
                others = [c for c in range(columns) if c != name and c not in hidden]
                least = sum(heads[c] for c in others)  # every header whole
                left = room - need[name]
                if left >= least:
                    # the longest texts give way first: each other column is cut to at most
                    # `cap` (never below its header), so short ones (a date, a phone) stay whole
                    cap = _cap([need[c] for c in others], [heads[c] for c in others], left)
                    for c in others:
                        widths[c] = max(heads[c], min(need[c], cap))
                else:
                    for c in others:
                        widths[c] = heads[c]
                    widths[name] = max(heads[name], room - least)
            header = self.table.horizontalHeader()
            for column, width in enumerate(widths):
                if column not in hidden and header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._fitting = False


def _cap(need: list[int], least: list[int], room: int) -> int:
    """The largest width `cap` with sum(max(least, min(need, cap))) <= room."""
    low, high = 0, max(need, default=0)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(max(m, min(n, middle)) for n, m in zip(need, least, strict=True)) <= room:
            low = middle
        else:
            high = middle - 1
    return low


def fit_columns(table: QTableView, name_column: int | None = None) -> ColumnFitter:
    """Size `table`'s columns to their content, `name_column` the widest (default: the first;
    on a table already fitted, None keeps its name column). Once per table: the fitter lives
    as long as the table. See `ColumnFitter`."""
    fitter = table.findChild(ColumnFitter)
    if fitter is None:
        fitter = ColumnFitter(table, name_column or 0)
    elif name_column is not None:
        fitter.name_column = name_column
        fitter.schedule()
    return fitter


def set_empty_text(table: QTableView, text: Callable[[], str]) -> None:
    """What `table` says while it has no rows (`text` is called when painting, so it follows
    the language)."""
    fit_columns(table).empty_text = text
    table.viewport().update()


def show_rows(table: QTableView, rows: int = PICKER_ROWS) -> None:
    """Keep room for `rows` rows (and the header) in `table`, so a results list is never a
    single row high."""
    header = table.horizontalHeader().sizeHint().height()
    row = table.verticalHeader().defaultSectionSize()
    table.setMinimumHeight(header + rows * row + 2 * table.frameWidth())


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
        fitter = fit_columns(self.table)
        fitter.delegate.middle = {FILE_NO_COLUMN}
        fitter.drop_order = list(PICKER_DROP_ORDER)
        show_rows(self.table)
        set_empty_text(self.table, self._empty_text)
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

    def _empty_text(self) -> str:
        if not self.model.text:
            return _("Type a name, a CIN, a phone or a file number above: the matching persons are listed here.")
        return _("Nobody found. Check the spelling, or try the CIN or the phone number.")

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
        self.table.viewport().update()  # its empty state follows
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
