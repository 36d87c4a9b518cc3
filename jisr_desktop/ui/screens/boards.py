"""The day board shared by the nursery and the elderly club (docs/architecture.md, "The desktop
at run time"): a title with the enroll button, the card scan box, the day's summary with the
check-out, member card and correction buttons, and the day's table.

A board says what its rows are (`ROW_TYPE`, whose rows carry ``check_in_id``), which card
service it checks in (`CARD_SERVICE`), its texts, and how to load the day (`refresh`), check
out (`check_out`), name a row's person (`person_of`, `name_of`) and open its enrollment
dialog (`enroll_dialog`, a dialog with an ``enrolled`` signal). It may add buttons between
the card and correction buttons (`extra_buttons`) and widgets under the table
(`add_below_table`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import _
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel
from jisr_desktop.ui.screens.cards import MemberCardDialog
from jisr_desktop.ui.screens.common import ScanBox, make_table, selected_row
from jisr_desktop.ui.screens.corrections import CorrectionDialog
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role


class DayBoard(RetranslateMixin, QWidget):
    """A service's day: who came, who is still here, and what staff do with them."""

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
        record = session.can(Permission.CHECK_IN)
        manage = session.can(Permission.MANAGE_ENROLLMENTS)
        self.title = QLabel()
        set_role(self.title, "title")
        self.scan = ScanBox(session)
        self.scan.setVisible(record)
        self.summary = QLabel()
        self.summary.setObjectName(self.SUMMARY_NAME)
        self.model = RowsModel(self.COLUMNS, self)
        self.table = make_table(self.model, self.TABLE_NAME)
        self.check_out_button = self._button("checkOutButton", record)
        self.enroll_button = self._button("enrollButton", manage)
        self.card_button = self._button("cardButton", record)
        extras = self.extra_buttons()
        self.correct_button = self._button("correctButton", manage)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.enroll_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for button in (self.check_out_button, self.card_button, *extras, self.correct_button):
            buttons.addWidget(button)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.scan)
        box.addLayout(buttons)
        box.addWidget(self.table, self.TABLE_STRETCH)
        self.add_below_table(box)
        self.scan.arrived.connect(lambda _a: self.refresh())
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

    def check_out(self) -> None:
        raise NotImplementedError

    def person_of(self, row: Any) -> str:
        raise NotImplementedError

    def name_of(self, row: Any) -> str:
        raise NotImplementedError

    def enroll_dialog(self) -> QDialog:
        raise NotImplementedError

    # --- shared ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.card_button.setText(_("Member card…"))
        self.correct_button.setText(_("Correct…"))
        self.model.retranslate()

    def selected(self) -> Any | None:
        """The chosen row of the day's table, or None."""
        row = selected_row(self.table)
        return row if isinstance(row, self.ROW_TYPE) else None

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
