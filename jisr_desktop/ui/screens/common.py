"""Pieces shared by the service screens: the card scan box with its arrival card (alerts and
their acknowledgement), and small table helpers.

A USB card scanner types the code and presses Enter: the scan box checks the holder in at
once, shows who it is and what staff must know, clears itself and waits for the next card.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import errors, i18n
from jisr_desktop.context import Context
from jisr_desktop.domain import cards as card_rules
from jisr_desktop.domain.attendance import Arrival
from jisr_desktop.i18n import N_, _, translate
from jisr_desktop.services import club, nursery
from jisr_desktop.services.checkin import check_in_by_code
from jisr_desktop.ui import dates
from jisr_desktop.ui.dialogs import show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import RowsModel
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone
from jisr_desktop.ui.widgets import fit_columns, set_empty_text

SERVICE_LABELS = {"nursery": N_("Nursery"), "club": N_("Elderly club"), "workshop": N_("Workshops")}


def time_text(value: datetime | None) -> str:
    return dates.time_text(value)  # 24-hour, Latin digits (ui/dates.py)


def make_table(model: RowsModel, name: str, name_column: int = 0) -> QTableView:
    """A read-only results table, its columns sized to their content with `name_column`
    (the person's name, or what names the row) the widest (widgets.fit_columns)."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    fit_columns(table, name_column)
    set_empty_text(table, lambda: _("Nothing to show here yet."))
    return table


def selected_row(table: QTableView) -> object | None:
    index = table.currentIndex()
    model = table.model()
    return model.row_at(index.row()) if index.isValid() and isinstance(model, RowsModel) else None


class ScanBox(RetranslateMixin, QWidget):
    """Type or scan a member card code and press Enter. With `by_name`, the same field takes a
    typed name: Enter on text that cannot be a card code is passed on (`name_entered`) for the
    board to find the person in its list.

    Signals:
        arrived(object): a code was handled (the `Arrival`, checked in or not).
        failed(str): the code was not accepted (the message shown).
        acknowledged(str): staff acknowledged the alerts of a check-in (its id).
        name_entered(str): Enter on a typed name (`by_name` only; the text).
    """

    arrived = Signal(object)
    name_entered = Signal(str)
    failed = Signal(str)
    acknowledged = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None, *, by_name: bool = False) -> None:
        super().__init__(parent)
        self.session = session
        self.by_name = by_name
        # set by a board: whether typed text names someone of its list ("Hajar Sabah" has
        # the shape of a card code: ten letters of the card alphabet)
        self.names_someone: Callable[[str], bool] = lambda _text: False
        self.arrival: Arrival | None = None
        self.error_text = ""
        self.label = QLabel()
        self.code = QLineEdit()
        self.code.setObjectName("scanCode")
        self.code.setClearButtonEnabled(True)
        self.name = QLabel()
        self.name.setObjectName("arrivalName")
        set_role(self.name, "arrival")
        self.alerts = QLabel()
        self.alerts.setObjectName("arrivalAlerts")
        self.alerts.setWordWrap(True)
        self.ack_button = QPushButton()
        self.ack_button.setObjectName("ackButton")
        self.ack_button.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.label)
        row.addWidget(self.code, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(row)
        box.addWidget(self.name)
        box.addWidget(self.alerts)
        box.addWidget(self.ack_button)
        self.code.returnPressed.connect(self.submit)
        self.ack_button.clicked.connect(self.acknowledge)
        self.retranslate()

    def retranslate(self) -> None:
        if self.by_name:
            self.label.setText(_("Card or name"))
            self.code.setPlaceholderText(_("Scan a member card, or type a name, then Enter"))
        else:
            self.label.setText(_("Card"))
            self.code.setPlaceholderText(_("Scan or type the member card code, then Enter"))
        self.ack_button.setText(_("I have read the alerts"))
        self._show()

    def submit(self) -> None:
        text = self.code.text()
        if not text.strip():
            return
        if self.by_name and (card_rules.normalize_code(text) is None or self.names_someone(text)):
            self.name_entered.emit(text)
            return
        self.code.clear()
        self.session.call(lambda ctx: check_in_by_code(ctx=ctx, code=text), self._arrived, self._failed)

    def show_arrival(self, arrival: Arrival) -> None:
        """Show who was checked in (by card or chosen by name) and what staff must know."""
        self._arrived(arrival)

    def _arrived(self, arrival: Arrival) -> None:
        self.arrival, self.error_text = arrival, ""
        self._show()
        self.code.setFocus()
        self.arrived.emit(arrival)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, errors.JisrError):
            show_error(self, exc)
            return
        self.arrival, self.error_text = None, exc.message()
        self._show()
        self.code.setFocus()
        self.failed.emit(self.error_text)

    def _show(self) -> None:
        lang = i18n.current_language()
        arrival = self.arrival
        if arrival is None:
            self.name.setText("")
            self.alerts.setText(self.error_text)
            set_tone(self.alerts, "alert")
            self.ack_button.setVisible(False)
            self._fold()
            return
        service = translate(SERVICE_LABELS.get(arrival.service, arrival.service))
        if arrival.checked_in and arrival.already:
            state = _("{name} — {service}: already checked in today", name=arrival.name(lang), service=service)
        elif arrival.checked_in:
            state = _("{name} — {service}: checked in", name=arrival.name(lang), service=service)
        else:
            state = _("{name} — {service}: not checked in", name=arrival.name(lang), service=service)
        if arrival.title:
            state += "\n" + arrival.title
        self.name.setText(state)
        set_tone(self.name, "success" if arrival.checked_in else "alert")
        self.alerts.setText("\n".join(a.text() for a in arrival.alerts))
        serious = any(a.needs_ack or a.blocks for a in arrival.alerts)
        set_tone(self.alerts, "alert" if serious else "warning")
        self.ack_button.setVisible(arrival.checked_in and arrival.needs_ack)
        self._fold()

    def _fold(self) -> None:
        """No empty band under the field: the arrival lines show only with something to say."""
        self.name.setVisible(bool(self.name.text()))
        self.alerts.setVisible(bool(self.alerts.text()))

    def acknowledge(self) -> None:
        arrival = self.arrival
        if arrival is None or arrival.event_id is None:
            return
        event_id, service = arrival.event_id, arrival.service

        def ack(ctx: Context) -> bool:
            module = nursery if service == "nursery" else club
            return module.acknowledge_alerts(ctx=ctx, check_in_id=event_id)

        self.session.call(ack, lambda _done: self._acknowledged(event_id))

    def _acknowledged(self, event_id: str) -> None:
        if self.arrival is not None and self.arrival.event_id == event_id:
            self.arrival.alerts = [a for a in self.arrival.alerts if not a.needs_ack]
            self._show()
        self.acknowledged.emit(event_id)
        self.code.setFocus()

    def focus(self) -> None:
        self.code.setFocus()
