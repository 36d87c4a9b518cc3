"""The "Today" home of the reception desk (issue 13, point 3): the first section after
sign-in. Four lists and a sentence: who is here now in each service, who is expected and has
not arrived, the alerts of present people nobody has acknowledged, the follow-ups due, and
the sync state in plain words.

Every line names its person (name and file number) and is actionable: Enter or a double click
opens the screen where it is handled (the service's board, the person's follow-up); the
button below opens the person's record; an alert is acknowledged here, naming her. The day is
read by `services/today.py` (read-only) and read again on the data-changed signal (the main
window calls `refresh`) and after each sync.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import i18n
from jisr_desktop.context import Context
from jisr_desktop.domain.roles import Permission
from jisr_desktop.domain.visits import Program
from jisr_desktop.i18n import N_, _, translate, translate_plural
from jisr_desktop.services import club, nursery, visits
from jisr_desktop.services import today as day_service
from jisr_desktop.services.enrollments import CLUB, NURSERY, WORKSHOP
from jisr_desktop.sync.client import MESSAGES
from jisr_desktop.ui import dates
from jisr_desktop.ui.dialogs import show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel, ltr
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone
from jisr_desktop.ui.widgets import isolate

SERVICE_LABELS = {NURSERY: N_("Nursery"), CLUB: N_("Elderly club"), WORKSHOP: N_("Workshops")}
TICK_MS = 60_000
"""While the home shows, it reads the day again this often (no data change is signalled
when a workshop session ends or the date turns)."""
SERVICE_SECTIONS = {NURSERY: "nursery", CLUB: "elderly", WORKSHOP: "workshops"}
"""The section where a line of each service is handled."""


class _Rows(RowsModel):
    """A `RowsModel` whose cells also show in full as a tooltip (a long name is elided)."""

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            role = Qt.ItemDataRole.DisplayRole
        return super().data(index, role)


class _Table(QTableView):
    """A list of the home: Enter or a double click on a row emits `chosen(row)`.

    Signals:
        chosen(int): the row the user opened.
    """

    chosen = Signal(int)

    def __init__(self, name: str, model: RowsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name: widest
        self.doubleClicked.connect(lambda index: self.chosen.emit(index.row()))

    def sizeHint(self) -> QSize:
        # Small: the page's height for its width (word-wrapped sentences) adds up the lists'
        # hints, and past the visible height the page would scroll; the lists grow to fill it.
        return QSize(256, 110)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.chosen.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class _Panel(RetranslateMixin, QWidget):
    """A heading, the list (or its empty state in words) and the panel's buttons."""

    def __init__(self, name: str, columns: list[Column], empty: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_msgid = empty
        self.heading = QLabel()
        self.heading.setObjectName(f"{name}Heading")
        set_role(self.heading, "heading")
        self.detail = QLabel()
        self.detail.setObjectName(f"{name}Detail")
        set_tone(self.detail, "muted")
        self.model = _Rows(columns, self)
        self.table = _Table(name, self.model)
        self.empty = QLabel()
        self.empty.setObjectName(f"{name}Empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        set_tone(self.empty, "muted")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.buttons = QHBoxLayout()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.detail, 1)
        box.addLayout(top)
        box.addWidget(self.stack, 1)
        box.addLayout(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.empty.setText(translate(self.empty_msgid))
        self.model.retranslate()

    def set_rows(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        self.stack.setCurrentWidget(self.table if rows else self.empty)

    def current(self) -> Any:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None


def _service(line: Any) -> str:
    return translate(SERVICE_LABELS.get(line.service, line.service))


def _name(line: Any) -> str:
    return line.name(i18n.current_language())


def _expected_detail(line: day_service.PersonLine) -> str:
    if line.service == WORKSHOP and line.starts_at is not None:
        return _("{title}, at {time}", title=line.title, time=dates.time_text(line.starts_at))
    if line.expired:
        return _("Membership expired")
    return ""


def _line_key(line: Any) -> tuple[str | None, ...] | None:
    """What a line is about, the same from one read of the day to the next."""
    if line is None:
        return None
    if isinstance(line, day_service.FollowupLine):
        return ("followup", line.referral.id)
    if isinstance(line, day_service.AlertLine):
        return ("alert", line.check_in_id)
    return (line.service, line.person_id, line.session_id)


class TodayScreen(RetranslateMixin, QWidget):
    """The reception's home.

    Signals:
        loaded(): the day was (re)read and shown.
    """

    loaded = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.view: day_service.TodayView | None = None
        self.programs: dict[str, Program] = {}
        self._chosen: Any = None  # the line last chosen in any list (for "Open the record")
        self.title = QLabel()
        self.title.setObjectName("todayTitle")
        set_role(self.title, "title")
        self.sync_text = QLabel()
        self.sync_text.setObjectName("todaySync")
        self.sync_text.setWordWrap(True)
        self.sync_button = QPushButton()
        self.sync_button.setObjectName("todayOpenSync")
        self.sync_button.setVisible(session.can(Permission.SYNC))
        self.here = _Panel("todayHere", [
            Column(N_("Name"), _name), Column(N_("File number"), lambda x: ltr(x.file_no)),
            Column(N_("Service"), _service),
            Column(N_("Since"), lambda x: dates.time_text(x.since)),
        ], N_("Nobody is here yet."))
        self.expected = _Panel("todayExpected", [
            Column(N_("Name"), _name), Column(N_("File number"), lambda x: ltr(x.file_no)),
            Column(N_("Service"), _service), Column(N_("Note"), _expected_detail),
        ], N_("Nobody else is expected today."))
        self.alerts = _Panel("todayAlerts", [
            Column(N_("Name"), _name), Column(N_("File number"), lambda x: ltr(x.file_no)),
            Column(N_("Service"), _service),
            Column(N_("To read"), lambda a: "; ".join(x.text() for x in a.alerts)),
        ], N_("No alert to acknowledge."))
        self.followups = _Panel("todayFollowups", [
            Column(N_("Person"), lambda f: f.referral.person_name(i18n.current_language())),
            Column(N_("File number"), lambda f: ltr(f.referral.file_no)),
            Column(N_("Referred to"), self._referred_to),
            Column(N_("Due on"), self._due_text),
        ], N_("No follow-up is due today."))
        # the alerts' text is what matters: it takes the width after the name
        self.alerts.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.alerts.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.ack_button = QPushButton()
        self.ack_button.setObjectName("todayAcknowledge")
        self.alerts.buttons.addWidget(self.ack_button)
        self.hint = QLabel()
        self.hint.setObjectName("todayHint")
        self.hint.setWordWrap(True)
        set_tone(self.hint, "muted")
        self.record_button = QPushButton()
        self.record_button.setObjectName("todayOpenRecord")

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        sync_row = QHBoxLayout()
        sync_row.addWidget(self.sync_text, 1)
        sync_row.addWidget(self.sync_button)
        grid = QGridLayout()
        grid.addWidget(self.here, 0, 0)
        grid.addWidget(self.expected, 0, 1)
        grid.addWidget(self.alerts, 1, 0)
        grid.addWidget(self.followups, 1, 1)
        for i in (0, 1):
            grid.setColumnStretch(i, 1)
            grid.setRowStretch(i, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.hint, 1)
        foot.addWidget(self.record_button)
        box = QVBoxLayout(self)
        box.addLayout(head)
        box.addLayout(sync_row)
        box.addLayout(grid, 1)
        box.addLayout(foot)

        self.here.table.chosen.connect(lambda row: self._open_service(self.here, row))
        self.expected.table.chosen.connect(lambda row: self._open_service(self.expected, row))
        self.alerts.table.chosen.connect(lambda row: self._open_service(self.alerts, row))
        self.followups.table.chosen.connect(self._open_followup)
        for panel in (self.here, self.expected, self.alerts, self.followups):
            panel.table.selectionModel().currentRowChanged.connect(
                lambda current, _previous, panel=panel: self._picked(panel, current.row()))
        self.ack_button.clicked.connect(self.acknowledge)
        self.record_button.clicked.connect(self.open_record)
        self.sync_button.clicked.connect(lambda: self._go("sync"))
        if session.can(Permission.SYNC):
            from jisr_desktop.ui.screens.sync import SyncAgent

            self.agent: Any = SyncAgent.of(session)
            self.agent.changed.connect(self.refresh)
        else:
            self.agent = None
        # Read again each minute while shown: a session that ends, a new day past midnight.
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(lambda: self.refresh() if self.isVisible() else None)
        self.ticker.start()
        self.retranslate()
        session.call(lambda ctx: visits.list_programs(ctx=ctx), self._programs_loaded)
        self.refresh()

    # --- words ---------------------------------------------------------------------------

    def retranslate(self) -> None:
        day = self.view.day if self.view else self.session.clock().astimezone().date()
        self.title.setText(_("Today, {date}", date=dates.date_text(day)))
        self.sync_button.setText(_("Open Sync"))
        self.hint.setText(_("Double-click a line or press Enter on it to open it where it is "
                            "handled."))
        for panel in (self.here, self.expected, self.alerts, self.followups):
            panel.retranslate()
        self._headings()
        self._sync_words()
        self._buttons()

    def _referred_to(self, line: day_service.FollowupLine) -> str:
        program = self.programs.get(line.referral.program_code)
        name = program.name(i18n.current_language()) if program else line.referral.program_code
        return " — ".join(x for x in (name, line.referral.body) if x)

    @staticmethod
    def _due_text(line: day_service.FollowupLine) -> str:
        day = dates.date_text(line.referral.due_on)
        # isolated: in Arabic the sentence, not the date's digits, sets the cell's direction
        return _("{date}, overdue", date=ltr(day)) if line.overdue else day

    def _headings(self) -> None:
        view = self.view
        here = view.here if view else []
        self.here.heading.setText(_("Here now: {n}", n=i18n.format_number(len(here))))
        parts = [f"{translate(SERVICE_LABELS[s])} {i18n.format_number(len(view.here_in(s)))}"
                 for s in day_service.SERVICES] if view else []
        self.here.detail.setText(" · ".join(parts))
        expected = view.expected if view else []
        self.expected.heading.setText(_(
            "Expected, not arrived yet: {n}", n=i18n.format_number(len(expected))))
        alerts = view.alerts if view else []
        self.alerts.heading.setText(_(
            "Alerts to acknowledge: {n}", n=i18n.format_number(len(alerts))))
        set_tone(self.alerts.heading, "alert" if alerts else None)
        due = view.followups if view else []
        self.followups.heading.setText(translate_plural("Follow-ups due: {n}", "Follow-ups due: {n}",
                                                        len(due)))
        overdue = sum(1 for f in due if f.overdue)
        self.followups.detail.setText(_("Overdue: {n}", n=i18n.format_number(overdue))
                                      if overdue else "")

    def _sync_words(self) -> None:
        """The sync state as a sentence a receptionist understands."""
        summary = self.view.sync if self.view else None
        if summary is None:
            self.sync_text.setText("")
            return
        busy = bool(self.agent is not None and self.agent.busy)
        waiting = (_("Changes made here waiting to be sent to HQ: {n}.",
                     n=i18n.format_number(summary.pending))
                   if summary.pending else _("Everything recorded here has reached HQ."))
        tone: str | None = "ok"
        if not summary.enrolled:
            text = _("This computer is not connected to HQ yet: what you record stays here, "
                     "safely. A coordinator connects it in the Sync section.")
            tone = "muted"
        else:
            if summary.last_success_at is None:
                when = _("Never synced with HQ yet.")
                tone = "warning"
            elif summary.last_success_at.astimezone().date() == (self.view.day if self.view else None):
                when = _("Last sync with HQ: today at {time}.",
                         time=dates.time_text(summary.last_success_at))
            else:
                when = _("Last sync with HQ: {when}.",
                         when=dates.datetime_text(summary.last_success_at))
                tone = "warning"
            failure = self.agent.last_failure if self.agent is not None else None
            code = failure.code if failure is not None else summary.last_error_code
            parts = [when]
            if busy:
                parts.append(_("A sync is running now…"))
                tone = "busy"
            elif code:
                reason = (translate(MESSAGES[code]) if code in MESSAGES and code != "other"
                          else _("an unexpected error"))
                parts.append(_("The last try did not go through: {reason}", reason=reason))
                tone = "warning"
            parts.append(waiting)
            if summary.open_conflicts:
                parts.append(_(
                    "Conflicts waiting for a coordinator: {n}.",
                    n=i18n.format_number(summary.open_conflicts)))
            text = " ".join(parts)
        self.sync_text.setText(text)
        set_tone(self.sync_text, tone)

    def _buttons(self) -> None:
        lang = i18n.current_language()
        alert = self.alerts.current()
        self.ack_button.setText(
            _("I have read the alerts of {name} ({file_no})", name=isolate(alert.name(lang)),
              file_no=isolate(alert.file_no))
            if alert is not None else _("Choose an alert in the list"))
        self.ack_button.setEnabled(alert is not None)
        who = self._who(self._chosen)
        self.record_button.setText(_("Open the record of {name} ({file_no})", name=isolate(who[1]),
                                     file_no=isolate(who[2])) if who else _("Open the record"))
        self.record_button.setEnabled(who is not None)

    @staticmethod
    def _who(line: Any) -> tuple[str, str, str] | None:
        """(person id, name, file number) of a line of any list."""
        if line is None:
            return None
        lang = i18n.current_language()
        if isinstance(line, day_service.FollowupLine):
            return line.referral.person_id, line.referral.person_name(lang), line.referral.file_no
        return line.person_id, line.name(lang), line.file_no

    # --- reading -------------------------------------------------------------------------

    def _programs_loaded(self, programs: list[Program]) -> None:
        self.programs = {p.code: p for p in programs}
        self.followups.model.retranslate()

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.session.call(lambda ctx: day_service.today(ctx=ctx), self._loaded,
                          key=f"today-{id(self)}")

    def _loaded(self, view: day_service.TodayView) -> None:
        chosen = _line_key(self._chosen)
        self.view = view
        panels = ((self.here, view.here), (self.expected, view.expected),
                  (self.alerts, view.alerts), (self.followups, view.followups))
        for panel, rows in panels:  # a line chosen before stays chosen after a refresh
            was = _line_key(panel.current())
            panel.set_rows(rows)
            again = next((i for i, line in enumerate(rows) if _line_key(line) == was), None)
            if was is not None and again is not None:
                panel.table.selectionModel().setCurrentIndex(
                    panel.model.index(again, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
        self._chosen = next((line for _panel, rows in panels for line in rows
                             if _line_key(line) == chosen), None)
        self.retranslate()
        self.loaded.emit()

    def _picked(self, panel: _Panel, row: int) -> None:
        line = panel.model.row_at(row)
        if line is not None:
            self._chosen = line
        self._buttons()

    # --- actions -------------------------------------------------------------------------

    def _go(self, key: str, person_id: str | None = None) -> QWidget | None:
        """Show section `key` of the main window (and the person there, when its screen
        opens persons)."""
        window = self.window()
        keys: Callable[[], list[str]] | None = getattr(window, "section_keys", None)
        if keys is None or key not in keys():
            return None
        screen: QWidget = window.show_section(key)  # type: ignore[attr-defined]
        opener = getattr(screen, "open_person", None)
        if person_id and callable(opener):
            opener(person_id)
        return screen

    def _open_service(self, panel: _Panel, row: int) -> None:
        line = panel.model.row_at(row)
        if line is not None:
            self._go(SERVICE_SECTIONS[line.service], line.person_id)

    def _open_followup(self, row: int) -> None:
        line = self.followups.model.row_at(row)
        if line is not None:
            self._go("followup", line.person_id)

    def open_record(self) -> None:
        who = self._who(self._chosen)
        if who is not None:
            self._go("people", who[0])

    def acknowledge(self) -> None:
        alert = self.alerts.current()
        if alert is None:
            return
        check_in_id, service = alert.check_in_id, alert.service

        def run(ctx: Context) -> bool:
            module: Any = nursery if service == NURSERY else club
            return bool(module.acknowledge_alerts(ctx=ctx, check_in_id=check_in_id))

        self.session.call(run, lambda _done: self.refresh(), lambda exc: show_error(self, exc))

    def focus_search(self) -> None:
        (self.here.table if self.here.model.rowCount() else self.alerts.table).setFocus()
