"""The day board shared by the nursery and the elderly club (docs/architecture.md, "The desktop
at run time"): a title with the enroll button, one search field that takes a scanned card code
or a typed name, the day's summary, the list of everyone enrolled with her status today (here,
gone, absent; the club adds an expired membership), and the actions on the person chosen in
it: check in, check out, member card, and correction.

Who it is for is always explicit (issue 13, points 1 and 2): typing filters the list and
chooses nobody; Enter in the field moves to the list, and a person is chosen by Enter or a
double click on her row; the buttons that record something name her (name and file number).
A new search clears the choice.

A board says what its rows are (`ROW_TYPE`, whose rows carry ``check_in_id`` and ``status``),
which card service it checks in (`CARD_SERVICE`), its texts, and how to load the day
(`refresh`, which hands the rows to `show_rows`), check in (`check_in`) and out (`check_out`),
name a row's person (`person_of`, `name_of`, `names_of`) and open its enrollment dialog
(`enroll_dialog`, a dialog with an ``enrolled`` signal). It may add buttons between the card
and correction buttons (`extra_buttons`) and widgets under the table (`add_below_table`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from jisr_desktop.domain.attendance import Arrival, DayStatus, name_matches
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import _
from jisr_desktop.ui.dialogs import show_failure
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel
from jisr_desktop.ui.screens.cards import MemberCardDialog
from jisr_desktop.ui.screens.common import ScanBox, make_table, time_text
from jisr_desktop.ui.screens.corrections import CorrectionDialog
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone
from jisr_desktop.ui.widgets import isolate


def _span(start: datetime | None, end: datetime | None) -> str:
    """08:30–12:00; in Arabic "08:30 إلى 12:00", read right to left like the sentence around
    it (a bare dash between two times came out reversed in some Arabic lines)."""
    return _("{start}–{end}", start=time_text(start), end=time_text(end))


def stay_text(status: DayStatus, time_in: datetime | None, time_out: datetime | None,
              earlier: list[tuple[datetime, datetime | None]]) -> str:
    """A row's status today in words: "Here since 14:05", "Gone (08:10–12:00)", "Absent today";
    earlier stays of the day follow ("also 08:10–12:00")."""
    if status is DayStatus.HERE:
        text = _("Here since {time}", time=time_text(time_in))
    elif status is DayStatus.GONE:
        text = _("Gone ({span})", span=_span(time_in, time_out))
    else:
        return _("Absent today")
    if earlier:
        spans = ", ".join(_span(a, b) for a, b in earlier)
        text += " · " + _("also {spans}", spans=spans)
    return text


NAME_ON_BUTTON = 16


class DayBoard(RetranslateMixin, QWidget):
    """A service's day: everyone enrolled, who is here, and what staff do with them.

    Signals:
        chosen(object): the person chosen in the list changed (her row, or None).
    """

    chosen = Signal(object)

    ROW_TYPE: ClassVar[type]
    CARD_SERVICE: ClassVar[str]
    COLUMNS: ClassVar[tuple[Column, ...]]
    TABLE_NAME: ClassVar[str]
    SUMMARY_NAME: ClassVar[str]
    TABLE_STRETCH: ClassVar[int] = 1

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.dialog: QDialog | None = None
        self.all_rows: list[Any] = []
        self.loaded = False
        self.chosen_id: str | None = None
        record = session.can(Permission.CHECK_IN)
        manage = session.can(Permission.MANAGE_ENROLLMENTS)
        self.title = QLabel()
        set_role(self.title, "title")
        self.scan = ScanBox(session, by_name=True)
        self.scan.setVisible(record)
        self.summary = QLabel()
        self.summary.setObjectName(self.SUMMARY_NAME)
        self.model = RowsModel(self.COLUMNS, self)
        self.table = make_table(self.model, self.TABLE_NAME)
        self.empty = QLabel()
        self.empty.setObjectName("boardEmpty")
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)
        self.who = QLabel()
        self.who.setObjectName("chosenPerson")
        set_role(self.who, "heading")
        self.action_message = QLabel()
        self.action_message.setObjectName("boardMessage")
        self.action_message.setWordWrap(True)
        set_tone(self.action_message, "error")
        self.check_in_button = self._button("checkInButton", record)
        self.check_out_button = self._button("checkOutButton", record)
        self.enroll_button = self._button("enrollButton", manage)
        self.card_button = self._button("cardButton", record)
        extras = self.extra_buttons()
        self.correct_button = self._button("correctButton", manage)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.enroll_button)
        buttons = QHBoxLayout()
        self.action_buttons = [self.check_in_button, self.check_out_button, self.card_button, *extras,
                               self.correct_button]
        for button in self.action_buttons:
            buttons.addWidget(button)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.scan)
        box.addWidget(self.summary)
        box.addWidget(self.table, self.TABLE_STRETCH)
        box.addWidget(self.empty)
        box.addWidget(self.who)
        box.addLayout(buttons)
        box.addWidget(self.action_message)
        self.add_below_table(box)
        self.scan.arrived.connect(lambda _a: self.refresh())
        self.scan.code.textChanged.connect(self._typed)
        self.scan.name_entered.connect(lambda _text: self._to_list())
        self.scan.names_someone = lambda text: any(name_matches(text, *self.names_of(r)) for r in self.all_rows)
        self.scan.code.installEventFilter(self)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(lambda index: self._choose_row(index.row()))
        self.check_in_button.clicked.connect(self.check_in)
        self.check_out_button.clicked.connect(self.check_out)
        self.enroll_button.clicked.connect(self.new_record)
        self.card_button.clicked.connect(self.open_card)
        self.correct_button.clicked.connect(self.open_correction)
        self.retranslate()
        self.refresh()

    @staticmethod
    def _button(name: str, visible: bool) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.setVisible(visible)
        return button

    # --- what a board adds -------------------------------------------------------------------

    def extra_buttons(self) -> list[QPushButton]:
        return []

    def add_below_table(self, box: QVBoxLayout) -> None:
        """Widgets under the day's table (none by default)."""

    def refresh(self) -> None:
        raise NotImplementedError

    def check_in(self) -> None:
        raise NotImplementedError

    def check_out(self) -> None:
        raise NotImplementedError

    def person_of(self, row: Any) -> str:
        raise NotImplementedError

    def name_of(self, row: Any) -> str:
        raise NotImplementedError

    def names_of(self, row: Any) -> tuple[str, str]:
        """The row's person's names (Arabic, Latin), for finding her by a typed name."""
        raise NotImplementedError

    def enroll_dialog(self) -> QDialog:
        raise NotImplementedError

    def update_actions(self, row: Any | None) -> None:
        """Texts and states of a board's own buttons for the chosen row (None: nobody)."""

    # --- the list and the choice -----------------------------------------------------------

    def show_rows(self, rows: list[Any]) -> None:
        """The day's rows were (re)loaded: show those the search matches, keep the choice."""
        self.all_rows = list(rows)
        self.loaded = True
        self._filter()

    def _filter(self) -> None:
        text = self.scan.code.text()
        shown = [r for r in self.all_rows if name_matches(text, *self.names_of(r))]
        self.model.set_rows(shown)
        if self.chosen_id is not None:
            at = next((i for i, r in enumerate(shown) if self.person_of(r) == self.chosen_id), None)
            if at is None:
                self._set_choice(None)
            else:
                self._highlight(at)
        self._show_empty(text, shown)
        self._show_choice()

    def _show_empty(self, text: str, shown: list[Any]) -> None:
        if shown or not self.loaded:
            self.empty.setVisible(False)
        elif text.strip():
            self.empty.setText(_("Nobody in this list matches “{text}”. Check the spelling, or scan the card.",
                                 text=text.strip()))
            self.empty.setVisible(True)
        else:
            self.empty.setText(self.empty_text())
            self.empty.setVisible(True)

    def empty_text(self) -> str:
        return _("Nobody is enrolled yet.")

    def _typed(self, _text: str) -> None:
        """A new search: nobody chosen; the list shows who matches."""
        self._set_choice(None)
        self.action_message.setText("")
        self._filter()

    def _to_list(self) -> None:
        """Enter on a typed name: to the list, its first row highlighted, nobody chosen yet."""
        if not self.model.rowCount():
            return
        self.table.setFocus()
        if not self.table.currentIndex().isValid():
            self._highlight(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                index = self.table.currentIndex()
                if index.isValid():
                    self._choose_row(index.row())
                return True
            if watched is self.scan.code and key == Qt.Key.Key_Down and self.model.rowCount():
                self._to_list()
                return True
        return super().eventFilter(watched, event)

    def _choose_row(self, at: int) -> None:
        row = self.model.row_at(at)
        if row is not None:
            self._set_choice(self.person_of(row))
            self._highlight(at)
            self._show_choice()

    def _highlight(self, at: int) -> None:
        # (not selectRow: under a right-to-left layout it sets no current row)
        self.table.selectionModel().setCurrentIndex(
            self.model.index(at, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)

    def choose(self, person_id: str) -> bool:
        """Choose the person of `person_id` in the list (as Enter on her row does)."""
        for i, row in enumerate(self.model.rows):
            if self.person_of(row) == person_id:
                self._choose_row(i)
                return True
        return False

    def _set_choice(self, person_id: str | None) -> None:
        changed = person_id != self.chosen_id
        self.chosen_id = person_id
        if person_id is None:
            self.table.clearSelection()
            self.table.setCurrentIndex(QModelIndex())
        if changed:
            self.chosen.emit(self.selected())

    def selected(self) -> Any | None:
        """The chosen row (by Enter or a double click), or None."""
        if self.chosen_id is None:
            return None
        return next((r for r in self.all_rows if self.person_of(r) == self.chosen_id), None)

    def named(self, row: Any, *, short: bool = True) -> dict[str, str]:
        """{name} and {file_no} of a row's person, for a button that names her (a long name
        cut to `NAME_ON_BUTTON` characters so that the row of buttons fits 1366 pixels; the
        line above the buttons and their tooltips give it whole)."""
        name = self.name_of(row)
        if short and len(name) > NAME_ON_BUTTON:
            cut = name[:NAME_ON_BUTTON]
            name = (cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut).rstrip(" -") + "…"
        return {"name": isolate(name), "file_no": isolate(row.file_no)}

    def _show_choice(self) -> None:
        row = self.selected()
        manage = self.session.can(Permission.MANAGE_ENROLLMENTS)
        if row is None:
            self.who.setText(_("Nobody chosen: type a name, then Enter, and choose her in the list."))
            self.check_in_button.setText(_("Check in"))
        else:
            # her status today in full (a narrow cell may elide it)
            self.who.setText(_("Chosen: {name} ({file_no})", **self.named(row, short=False)) + " — "
                             + stay_text(row.status, row.time_in, row.time_out, row.earlier))
        status = row.status if row is not None else None
        # Only the action that applies names her (keeps the row of buttons short).
        self.check_in_button.setText(_("Check in {name} ({file_no})", **self.named(row))
                                     if row is not None and status is not DayStatus.HERE else _("Check in"))
        self.check_in_button.setEnabled(status in (DayStatus.ABSENT, DayStatus.GONE))
        self.check_out_button.setEnabled(status is DayStatus.HERE)
        self.card_button.setEnabled(row is not None)
        self.correct_button.setEnabled(row is not None and bool(row.check_in_id) and manage)
        self.update_actions(row)
        whole = _("{name} ({file_no})", **self.named(row, short=False)) if row is not None else ""
        for button in self.action_buttons:
            button.setToolTip(whole)

    # --- shared ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.card_button.setText(_("Member card…"))
        self.correct_button.setText(_("Correct…"))
        self.model.retranslate()
        self._show_empty(self.scan.code.text(), self.model.rows)
        self._show_choice()

    def arrived_by_name(self, arrival: Arrival) -> None:
        """A check-in from the list: shown like a scanned card, the field cleared for the next."""
        self.scan.code.clear()
        self.scan.show_arrival(arrival)

    def failed(self, exc: BaseException) -> None:
        show_failure(self, self.action_message, exc)

    def _open(self, dialog: QDialog) -> None:
        dialog.setModal(True)
        dialog.show()
        self.dialog = dialog

    def open_card(self) -> None:
        """The chosen person's member card: its code, print it, or a new one for a lost card."""
        row = self.selected()
        if row is not None and self.session.can(Permission.CHECK_IN):
            self._open(MemberCardDialog(self.session, self.person_of(row), self.CARD_SERVICE,
                                        self.name_of(row), self))

    def open_correction(self) -> None:
        """Cancel or correct the chosen person's check-in or check-out (coordinators)."""
        row = self.selected()
        if row is not None and row.check_in_id and self.session.can(Permission.MANAGE_ENROLLMENTS):
            dialog = CorrectionDialog(self.session, row.check_in_id, self.name_of(row), self)
            dialog.corrected.connect(lambda _c: self.refresh())
            self._open(dialog)

    def new_record(self) -> None:
        """Enroll someone (Ctrl+N; coordinators)."""
        if not self.session.can(Permission.MANAGE_ENROLLMENTS):
            return
        dialog = self.enroll_dialog()
        dialog.enrolled.connect(lambda _e: self.refresh())  # type: ignore[attr-defined]
        self._open(dialog)

    def focus_search(self) -> None:
        self.scan.focus()

    def activated(self) -> None:
        self.scan.focus()
