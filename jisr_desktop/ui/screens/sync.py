"""The Sync section: enroll with HQ, see the state of sync, sync now, review conflicts; and the
background agent that syncs every `sync_interval_minutes` and drives the status-bar indicator.

A sync runs on the task helper's network pool with its OWN database connection
(`SyncClient.open`), so the window never freezes and the database worker stays free for the
screens. One sync at a time; a failure is shown in plain words and retried at the next tick. The timer's
period comes from the setting through `interval_ms` (0: automatic sync off).

Conflicts are listed with translated record, field and reason names and readable values
(`jisr_desktop.sync.labels`). When HQ has revoked this desktop (or no longer knows it), the
screen offers to enroll it again with a new code of its center (`SyncClient.enroll(again=True)`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop.context import SYSTEM_USER, Context
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import _, format_date, translate, translate_plural
from jisr_desktop.services import conflicts as conflicts_service
from jisr_desktop.sync import client as sync_client
from jisr_desktop.sync import labels, quarantine
from jisr_desktop.sync.client import MESSAGES, SyncClient, SyncFailed, SyncReport, WrongCenter
from jisr_desktop.ui.dialogs import Dialogs
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import ltr
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_tone

log = logging.getLogger("jisr.ui.sync")

REENROLL_CODES = frozenset({"device_revoked", "unauthenticated"})
"""Errors after which the Sync screen offers to enroll this desktop again."""


def interval_ms(minutes: int) -> int:
    """The automatic sync period for the setting `sync_interval_minutes` (0: no timer).
    The one place minutes become timer milliseconds (tests replace it to run in seconds)."""
    return max(0, int(minutes)) * 60_000


def _error_text(code: str, detail: str = "") -> str:
    if code in MESSAGES and code != "other":
        return translate(MESSAGES[code])
    return _(MESSAGES["other"], detail=detail or code)


def _failure_text(failure: SyncFailed) -> str:
    """A failed sync or enrollment in plain words."""
    if isinstance(failure, WrongCenter):
        return failure.message()
    return _error_text(failure.code, failure.detail)


START_DELAY_MS = 3000
"""After start-up, the first automatic sync waits this long (the window shows first)."""


class SyncAgent(QObject):
    """Runs syncs in the background (timer and "sync now"), one at a time.

    Signals:
        changed(): a sync or an enrollment finished (or failed): screens re-read the state.
    """

    changed = Signal()

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.busy = False
        self.state_text: tuple[str, str] | None = None
        self.last_report: SyncReport | None = None
        self.last_failure: SyncFailed | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_now)
        session.setting_changed.connect(self._setting_changed)
        self._apply_interval()

    window: QObject | None = None
    """The main window whose status bar shows the sync state."""

    @classmethod
    def of(cls, session: Session) -> SyncAgent:
        """The session's agent, made on first use (the main window makes it at start)."""
        agent = getattr(session, "sync_agent", None)
        if agent is None:
            agent = cls(session, session)
            session.sync_agent = agent  # type: ignore[attr-defined]
        return agent

    @classmethod
    def attach(cls, session: Session, window: QObject) -> SyncAgent:
        """Called by the main window: drive its indicator and start syncing."""
        agent = cls.of(session)
        agent.window = window
        agent.start()
        return agent

    def _setting_changed(self, name: str) -> None:
        if name == "sync_interval_minutes":
            self._apply_interval()

    def _apply_interval(self) -> None:
        period = interval_ms(int(self.session.settings["sync_interval_minutes"]))
        if period > 0:
            self.timer.start(period)
        else:
            self.timer.stop()

    @property
    def automatic(self) -> bool:
        return self.timer.isActive()

    def _indicator(self, text: Callable[[], str], level: str) -> None:
        """`text` makes the sentence in the current language: the main window calls it again
        after a language switch (the status bar no longer stays Arabic in French)."""
        self.state_text = (text(), level)
        setter = getattr(self.window, "set_sync_state", None)
        if callable(setter):
            try:
                setter(text, level)
            except RuntimeError:  # that window is gone (signed out)
                self.window = None

    def start(self) -> None:
        """Show the state at start-up and sync soon when enrolled and automatic."""
        def read(db: Any) -> tuple[sync_client.SyncState, int]:
            return sync_client.state(db), conflicts_service.pending_count(db)

        def shown(result: tuple[sync_client.SyncState, int]) -> None:
            st, pending = result
            if not st.enrolled:
                return  # the status bar already says "not yet connected"
            if self.busy:
                return
            if pending:
                self._indicator(lambda: translate_plural("Sync: {n} change waiting",
                                                 "Sync: {n} changes waiting", pending), "idle")
            else:
                self._indicator(lambda: _("Sync: waiting"), "idle")
            if interval_ms(int(self.session.settings["sync_interval_minutes"])) > 0:
                QTimer.singleShot(START_DELAY_MS, self.sync_now)

        self.session.runner.run_db(read, shown, lambda exc: log.warning("sync state: %s", exc))

    def _client(self) -> SyncClient:
        user = self.session.user or SYSTEM_USER
        return SyncClient.open(self.session.root, user=user, clock=self.session.clock)

    def sync_now(self) -> bool:
        """Start a sync in the background; False when one is running already."""

        def job() -> SyncReport:
            with self._client() as client:
                return client.sync()

        return self._start(job, self._done)

    def enroll(self, server: str, code: str, *, again: bool = False) -> bool:
        """Enroll (or, with `again`, enroll again after HQ revoked this desktop), then sync;
        False when a sync is running already."""

        def job() -> SyncReport:
            with self._client() as client:
                client.enroll(server, code, again=again)
                return client.sync()

        def done(report: SyncReport) -> None:
            self.session.set_setting("hq_url", server)
            self._done(report)

        return self._start(job, done)

    def _start(self, job: Callable[[], SyncReport], done: Callable[[SyncReport], None]) -> bool:
        """Run `job` on the database lane (`TaskRunner.run_db_lane`: a sync captures, applies
        and records in its own connection; the network calls happen inside it) unless a sync
        is running already (then False)."""
        if self.busy:
            return False
        self.busy = True
        self._indicator(lambda: _("Sync: in progress…"), "busy")
        self.session.runner.run_db_lane(job, done, self._failed)
        return True

    def _done(self, report: SyncReport) -> None:
        self.busy = False
        self.last_report, self.last_failure = report, None
        if report.pulled > 0:  # rows from HQ were applied: the screens read them again
            self.session.data_changed.emit(Session.PULL, None)
        if "clock_skew" in report.warnings:
            self._indicator(lambda: _("Sync: done, but this computer's clock is wrong"), "warning")
        elif report.open_conflicts:
            self._indicator(lambda: translate_plural("Sync: done; {n} conflict to review",
                                             "Sync: done; {n} conflicts to review",
                                             report.open_conflicts),
                            "warning")
        else:
            self._indicator(lambda: _("Sync: up to date"), "ok")
        self.changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        failure = exc if isinstance(exc, SyncFailed) else SyncFailed("other", str(exc))
        self.last_failure = failure
        if failure.code == "unreachable":
            self._indicator(lambda: _("Sync: HQ not reachable, will retry"), "warning")
        elif failure.code == "not_enrolled":
            self._indicator(lambda: _("Sync: not enrolled with HQ"), "idle")
        else:
            self._indicator(lambda: _("Sync: failed"), "error")
        self.changed.emit()


class SyncScreen(RetranslateMixin, QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.agent = SyncAgent.of(session)
        self.agent.changed.connect(self.refresh)
        self.state: sync_client.SyncState | None = None
        self.pending = 0
        self.conflicts: list[dict[str, Any]] = []
        self.kept: list[quarantine.KeptAside] = []

        self.title = QLabel()
        self.title.setObjectName("screenTitle")
        self.enroll_box = QGroupBox()
        self.server_edit = QLineEdit(str(session.settings["hq_url"] or ""))
        self.server_edit.setObjectName("hqServer")
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("enrollCode")
        self.enroll_button = QPushButton()
        self.enroll_button.setObjectName("enrollButton")
        self.enroll_button.clicked.connect(lambda _checked=False: self.enroll())
        self.captions: dict[str, QLabel] = {}
        self.enroll_form = QFormLayout(self.enroll_box)
        self.reenroll_note = QLabel()
        self.reenroll_note.setObjectName("reenrollNote")
        self.reenroll_note.setWordWrap(True)
        # What to do when no HQ is set yet, and why an enrollment failed, on the page itself.
        self.guide = QLabel()
        self.guide.setObjectName("enrollGuide")
        self.guide.setWordWrap(True)
        self.enroll_error = QLabel()
        self.enroll_error.setObjectName("enrollError")
        self.enroll_error.setWordWrap(True)
        set_tone(self.enroll_error, "error")
        self.enroll_form.addRow(self.guide)
        self.enroll_form.addRow(self.reenroll_note)
        self.enroll_form.addRow(self._caption("server", self.server_edit), self.server_edit)
        self.enroll_form.addRow(self._caption("code", self.code_edit), self.code_edit)
        self.enroll_form.addRow(self.enroll_button)
        self.enroll_form.addRow(self.enroll_error)

        self.state_box = QGroupBox()
        self.server_label = QLabel()
        self.server_label.setObjectName("syncServer")
        self.last_label = QLabel()
        self.last_label.setObjectName("lastSync")
        self.pending_label = QLabel()
        self.pending_label.setObjectName("pendingChanges")
        self.error_label = QLabel()
        self.error_label.setObjectName("lastError")
        self.error_label.setWordWrap(True)
        self.state_form = QFormLayout(self.state_box)
        for key, widget in (("hq", self.server_label), ("last", self.last_label),
                            ("pending", self.pending_label), ("error", self.error_label)):
            self.state_form.addRow(self._caption(key, widget), widget)
        self.sync_button = QPushButton()
        self.sync_button.setObjectName("syncNow")
        self.sync_button.clicked.connect(lambda _checked=False: self.sync_now())

        self.conflict_box = QGroupBox()
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("conflicts")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.keep_winner = QPushButton()
        self.keep_winner.setObjectName("keepWinner")
        self.keep_winner.clicked.connect(lambda _checked=False: self.resolve("keep_winner"))
        self.keep_loser = QPushButton()
        self.keep_loser.setObjectName("keepLoser")
        self.keep_loser.clicked.connect(lambda _checked=False: self.resolve("keep_loser"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_winner)
        buttons.addWidget(self.keep_loser)
        buttons.addStretch(1)
        conflict_layout = QVBoxLayout(self.conflict_box)
        conflict_layout.addWidget(self.table)
        conflict_layout.addLayout(buttons)
        self.conflict_box.setVisible(session.can(Permission.REVIEW_CONFLICTS))

        # Rows from HQ this program could not accept: told to coordinators in plain words.
        self.kept_box = QGroupBox()
        self.kept_list = QListWidget()
        self.kept_list.setObjectName("keptAside")
        self.kept_list.setWordWrap(True)
        QVBoxLayout(self.kept_box).addWidget(self.kept_list)
        self.kept_box.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.enroll_box)
        layout.addWidget(self.state_box)
        layout.addWidget(self.sync_button)
        layout.addWidget(self.conflict_box, 1)
        layout.addWidget(self.kept_box)
        self.retranslate()
        self.refresh()

    def _caption(self, key: str, buddy: QWidget) -> QLabel:
        label = QLabel()
        label.setBuddy(buddy)
        self.captions[key] = label
        return label

    # --- text ----------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(_("Sync with headquarters"))
        self.captions["server"].setText(_("HQ address"))
        self.captions["code"].setText(_("Enrollment code"))
        self.server_edit.setPlaceholderText("https://hq.example.ma")
        self.code_edit.setPlaceholderText("XXXX-XXXX-XXXX")
        self.reenroll_note.setText(_(
            "HQ no longer accepts this desktop. Ask HQ for a new enrollment code for this"
            " center and enter it here: the changes not yet sent are kept and sent after"
            " enrolling again."))
        self.guide.setText(_(
            "This desktop is not connected to HQ yet. Everything works without it: the records"
            " stay on this PC. To send them to HQ, ask HQ for its address and an enrollment code"
            " for this center, enter both here and press Enroll."))
        self.state_box.setTitle(_("State"))
        self.captions["hq"].setText(_("HQ"))
        self.captions["last"].setText(_("Last successful sync"))
        self.captions["pending"].setText(_("Changes waiting to be sent"))
        self.captions["error"].setText(_("Last problem"))
        self.sync_button.setText(_("Sync now"))
        self.conflict_box.setTitle(_("Conflicts to review"))
        self.table.setHorizontalHeaderLabels(
            [_("Record"), _("Field"), _("Value kept"), _("Other value"), _("Why")])
        self.keep_winner.setText(_("Keep the value kept"))
        self.keep_loser.setText(_("Keep the other value"))
        self.kept_box.setTitle(_("Records from HQ kept aside"))
        self._show()

    # --- state ---------------------------------------------------------------------------

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        Read = tuple[sync_client.SyncState, int, list[dict[str, Any]], list[quarantine.KeptAside]]

        def read(db: Any) -> Read:
            # Case-note conflicts hold confidential words: counsellors settle them in the
            # Case notes section, never here.
            conflicts = conflicts_service.for_review(db)  # case-note conflicts are not listed
            return (sync_client.state(db), conflicts_service.pending_count(db), conflicts,
                    quarantine.kept_aside(db))

        def shown(result: Read) -> None:
            self.state, self.pending, self.conflicts, self.kept = result
            self._show()

        self.session.runner.run_db(read, shown, key="sync-screen")

    def _reenrolling(self) -> bool:
        """Enrolled, but HQ revoked this desktop or no longer knows it: offer to enroll again."""
        st = self.state
        if st is None or not st.enrolled:
            return False
        failure = self.agent.last_failure
        return bool({st.last_error_code, failure.code if failure else ""} & REENROLL_CODES)

    def _show(self) -> None:
        st = self.state
        enrolled = bool(st and st.enrolled)
        again = self._reenrolling()
        self.enroll_box.setVisible(not enrolled or again)
        self.reenroll_note.setVisible(again)
        self.guide.setVisible(not enrolled)
        self._show_enroll_error(enrolled, again)
        self.enroll_box.setTitle(_("Enroll this desktop again") if again else _("Enroll this desktop"))
        self.enroll_button.setText(_("Enroll again") if again else _("Enroll"))
        if enrolled and not again:
            self.code_edit.clear()  # the code is spent
        if again and st is not None and not self.server_edit.text().strip():
            self.server_edit.setText(st.server_url)
        self.state_box.setVisible(enrolled)
        self.sync_button.setEnabled(enrolled and not self.agent.busy)
        self.enroll_button.setEnabled(not self.agent.busy)
        if st is None:
            return
        self.server_label.setText(st.server_url or "—")
        if st.last_success_at:
            from datetime import datetime

            when = datetime.fromisoformat(st.last_success_at)
            self.last_label.setText(format_date(when, fmt="medium") + " " + when.astimezone()
                                    .strftime("%H:%M"))
        else:
            self.last_label.setText(_("never"))
        self.pending_label.setText(str(self.pending))
        failure = self.agent.last_failure
        if failure is not None:
            self.error_label.setText(_failure_text(failure))
        elif st.last_error_code:
            self.error_label.setText(_error_text(st.last_error_code, st.last_error))
        else:
            self.error_label.setText(_("none"))
        self.table.setRowCount(len(self.conflicts))
        for i, c in enumerate(self.conflicts):
            for j, text in enumerate(_conflict_cells(c)):
                item = QTableWidgetItem(text)
                if j == 1:
                    item.setToolTip(c["field"])  # the raw column name, for support
                self.table.setItem(i, j, item)
        self.kept_box.setVisible(bool(self.kept) and self.session.can(Permission.REVIEW_CONFLICTS))
        self.kept_list.clear()
        for aside in self.kept:
            entry = QListWidgetItem(aside.sentence())
            entry.setToolTip(f"{aside.entity} {aside.entity_id}")  # for support
            self.kept_list.addItem(entry)
        has = bool(self.conflicts)
        self.keep_winner.setEnabled(has)
        self.keep_loser.setEnabled(has)
        if has and not self.table.selectedItems():
            self.table.selectRow(0)

    # --- actions -------------------------------------------------------------------------

    def _show_enroll_error(self, enrolled: bool, again: bool) -> None:
        """Why the last enrollment failed, in plain words, beside the enrollment form."""
        failure = self.agent.last_failure
        text = _failure_text(failure) if (not enrolled or again) and failure is not None else ""
        self.enroll_error.setText(text)
        self.enroll_error.setVisible(bool(text))

    def enroll(self) -> None:
        server, code = self.server_edit.text().strip(), self.code_edit.text().strip()
        if not server or not code:
            self.enroll_error.setText(_("Enter HQ's address and the enrollment code."))
            self.enroll_error.setVisible(True)
            return
        if self._reenrolling():
            if not Dialogs.confirm(self, _("Enroll again"), _(
                    "Enroll this desktop again with the code {code}? HQ will know it as a new"
                    " desktop of the same center; the changes not yet sent will be sent once.",
                    code=code)):
                return
            self.agent.enroll(server, code, again=True)
        else:
            self.agent.enroll(server, code)
        self._show()

    def sync_now(self) -> None:
        self.agent.sync_now()
        self._show()

    def resolve(self, choice: str) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.conflicts):
            return
        conflict_id = self.conflicts[row]["id"]

        def job(ctx: Context) -> None:
            conflicts_service.resolve_conflict(ctx, conflict_id, choice)

        def done(_result: object) -> None:
            self.refresh()
            self.agent.sync_now()

        self.session.call(job, done)


def _conflict_cells(c: dict[str, Any]) -> tuple[str, str, str, str, str]:
    """A conflict's row in the current language: record, field, both values, reason."""
    record = labels.entity_label(c["entity"])
    if c.get("subject"):
        record = _("{record}: {name}", record=record, name=c["subject"])
    field, persons = c["field"], c.get("persons") or {}
    values = [labels.value_text(field, c[k], persons=persons) for k in ("winner_value", "loser_value")]
    if field in labels.PHONE_FIELDS:
        values = [ltr(v) for v in values]
    return (record, labels.field_label(field), values[0], values[1], labels.reason_label(c["reason"]))
