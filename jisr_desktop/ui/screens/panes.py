"""The list-plus-period pane shared by the campaigns and the club activities screens
(docs/architecture.md, "The desktop at run time"): on one side a title with its "new" button,
a period (from – to) and the period's list; on the other the chosen item.

A pane says what its list rows are (`ROW_TYPE`, rows with an ``id``), its columns, its
objects' names, how to list a period (`list_between`), which item is shown (`chosen_id`), how
to load one (`load_detail`, shown by `show_detail`) and builds its detail side
(`build_detail`). It may add widgets under the list (`add_below_list`), order the list
(`order`), and finish setting up before the first load (`ready`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, cast

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from jisr_desktop.context import Context
from jisr_desktop.i18n import _
from jisr_desktop.ui import dates
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel
from jisr_desktop.ui.screens.common import make_table
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role
from jisr_desktop.ui.widgets import DateEdit


class ListPeriodPane(RetranslateMixin, QWidget):
    """Items of a period, and the chosen one."""

    ROW_TYPE: ClassVar[type]
    COLUMNS: ClassVar[tuple[Column, ...]]
    LIST_NAME: ClassVar[str]
    NAME_COLUMN: ClassVar[int] = 0  # the list column that names the row (the widest)
    NEW_NAME: ClassVar[str]
    KEY: ClassVar[str]  # the task key of the list's load
    DETAIL_STRETCH: ClassVar[int | None] = None  # the detail side's stretch in the splitter

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        today = session.clock().astimezone().date()
        self.title = QLabel()
        set_role(self.title, "title")
        self.new_button = QPushButton()
        self.new_button.setObjectName(self.NEW_NAME)
        self.period_label = QLabel()
        self.first = DateEdit(QDate(today.year, 1, 1))
        self.first.setObjectName("periodFirst")
        self.last = DateEdit(QDate(today.year, 12, 31))
        self.last.setObjectName("periodLast")
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            dates.set_format(edit)
        self.list_model = RowsModel(self.COLUMNS, self)
        self.list_table = make_table(self.list_model, self.LIST_NAME, self.NAME_COLUMN)
        right = self.build_detail()
        period = QHBoxLayout()
        period.addWidget(self.period_label)
        period.addWidget(self.first)
        period.addWidget(self.last)
        period.addStretch(1)
        left = QWidget()
        left_box = QVBoxLayout(left)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.new_button)
        left_box.addLayout(top)
        left_box.addLayout(period)
        left_box.addWidget(self.list_table, 1)
        self.add_below_list(left_box)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        if self.DETAIL_STRETCH is not None:
            splitter.setStretchFactor(1, self.DETAIL_STRETCH)
        QVBoxLayout(self).addWidget(splitter)
        self.list_table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._chosen(cur.row()))
        self.first.dateChanged.connect(lambda _d: self.refresh())
        self.last.dateChanged.connect(lambda _d: self.refresh())
        self.new_button.clicked.connect(self.new_record)
        self.retranslate()
        self.ready()
        self.refresh()

    # --- what a pane adds --------------------------------------------------------------------

    def build_detail(self) -> QWidget:
        """The chosen item's side."""
        raise NotImplementedError

    def add_below_list(self, box: QVBoxLayout) -> None:
        """Widgets under the list (none by default)."""

    def ready(self) -> None:
        """The last step before the first load."""

    @staticmethod
    def list_between(ctx: Context, first: date, last: date, /) -> list[Any]:
        raise NotImplementedError

    def order(self, found: list[Any]) -> list[Any]:
        return found

    def chosen_id(self) -> str | None:
        raise NotImplementedError

    @staticmethod
    def load_detail(ctx: Context, item_id: str, /) -> Any:
        raise NotImplementedError

    def show_detail(self, detail: Any) -> None:
        raise NotImplementedError

    def listed(self, found: list[Any]) -> None:
        """The period's list was (re)loaded (a pane emits its signal here)."""

    def new_record(self) -> None:
        raise NotImplementedError

    # --- shared ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.period_label.setText(_("From – to"))
        self.list_model.retranslate()

    def period(self) -> tuple[date, date]:
        return self.first.date().toPython(), self.last.date().toPython()  # type: ignore[return-value]

    def refresh(self) -> None:
        first, last = self.period()
        list_between = self.list_between
        self.session.call(lambda ctx: list_between(ctx, first, last), self._listed,
                          key=f"{self.KEY}-{id(self)}")

    def _listed(self, found: list[Any]) -> None:
        chosen = self.chosen_id()
        found = self.order(found)
        self.list_model.set_rows(found)
        if chosen:
            self._mark_row(chosen)
        self.retranslate()
        self.listed(found)

    def _mark_row(self, item_id: str) -> None:
        """Show `item_id` as the chosen row without loading it again."""
        selection = self.list_table.selectionModel()
        for i, item in enumerate(self.list_model.rows):
            if item.id == item_id:
                selection.blockSignals(True)
                self.list_table.setCurrentIndex(self.list_model.index(i, 0))  # selectRow ignores RTL
                selection.blockSignals(False)
                return

    def select_item(self, item_id: str) -> bool:
        """Show an item of the list (as a click on its row does)."""
        for i, item in enumerate(self.list_model.rows):
            if item.id == item_id:
                self.list_table.setCurrentIndex(self.list_model.index(i, 0))  # selectRow ignores RTL
                return True
        return False

    def _chosen(self, row: int) -> None:
        item = self.list_model.row_at(row)
        if isinstance(item, self.ROW_TYPE):
            self.load(cast(Any, item).id)

    def load(self, item_id: str) -> None:
        load_detail = self.load_detail
        self.session.call(lambda ctx: load_detail(ctx, item_id), self.show_detail,
                          key=f"{self.KEY}-detail-{id(self)}")
