"""The main window: navigation between sections, status bar (user, sync state), shortcuts,
and the idle lock."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop.context import User
from jisr_desktop.i18n import _, translate
from jisr_desktop.ui import icons, sections
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.login import LoginForm
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import LEVEL_TONES, set_tone

log = logging.getLogger("jisr.ui")

_INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                 QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class ComingPage(RetranslateMixin, QWidget):
    """What a section not built yet shows.

    Signals: none.
    """

    def __init__(self, section: sections.Section, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.label = QLabel()
        self.label.setObjectName("comingLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(self.label)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(_("“{section}” is coming in a next version of Jisr Desktop.",
                             section=translate(self.section.title)))


class IdleWatcher(QObject):
    """Notices keyboard and mouse activity anywhere in the program.

    Signals:
        idle(): nobody touched the program for `timeout_ms`.
    """

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout_ms = timeout_ms
        self.last_activity = time.monotonic()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.set_timeout(timeout_ms)

    def set_timeout(self, timeout_ms: int) -> None:
        """Lock after `timeout_ms` of inactivity (0: never)."""
        self.timeout_ms = timeout_ms
        self.timer.setInterval(max(20, min(15_000, timeout_ms // 4)))
        if timeout_ms > 0:
            self.timer.start()
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.last_activity = time.monotonic()
        return False

    def check(self) -> None:
        if self.timeout_ms > 0 and (time.monotonic() - self.last_activity) * 1000 >= self.timeout_ms:
            self.last_activity = time.monotonic()
            self.idle.emit()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class MainWindow(RetranslateMixin, QMainWindow):
    """Navigation on the leading side, the current section's screen, a status bar.

    Signals:
        signed_out(): the person signed out (the shell shows the login window again).
        locked_changed(bool): the idle lock came on or went off.
    """

    signed_out = Signal()
    locked_changed = Signal(bool)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert session.user is not None
        self.session = session
        self.user: User = session.user
        sections.load_plugins()
        self.sections = [s for s in sections.SECTIONS
                         if s.permission is None or session.can(s.permission)]
        self.screens: dict[str, QWidget] = {}
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setWordWrap(True)  # a long section name on two lines beside its icon
        self.pages = QStackedWidget()
        for section in self.sections:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            self.nav.addItem(item)
        workspace = QWidget()
        row = QHBoxLayout(workspace)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.lock_form = LoginForm(session, lock_user=self.user)
        self.lock_form.signed_in.connect(self.unlock)
        self.lock_form.switch_user.connect(self.sign_out)
        self._hidden_windows: list[QWidget] = []  # dialogs hidden by the lock, shown again after
        self.stack = QStackedWidget()
        self.stack.addWidget(workspace)
        self.stack.addWidget(self.lock_form)
        self.setCentralWidget(self.stack)
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        self.sync_label = QLabel()
        self.sync_label.setObjectName("syncState")
        self.notice_label = QLabel()
        self.notice_label.setObjectName("backgroundNotice")
        self.key_notice = QLabel()  # the key is in a file, not in a key store (docs/security.md)
        self.key_notice.setObjectName("keyFileNotice")
        self.key_notice.setWordWrap(True)
        set_tone(self.key_notice, "warning")
        from jisr_desktop.services.backup import key_kept_in_file

        self.key_notice.setVisible(key_kept_in_file(session.root))
        for label in (self.user_label, self.sync_label, self.notice_label, self.key_notice):
            label.setContentsMargins(12, 0, 12, 0)
        self.statusBar().addWidget(self.key_notice, 1)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.sync_label)
        self.statusBar().addPermanentWidget(self.notice_label)
        self.lock_button = QPushButton()  # visible ways to lock and sign out, not only keys
        self.lock_button.setObjectName("lockButton")
        self.lock_button.clicked.connect(self.lock)
        self.sign_out_button = QPushButton()
        self.sign_out_button.setObjectName("signOutButton")
        self.sign_out_button.clicked.connect(self.sign_out)
        self.statusBar().addPermanentWidget(self.lock_button)
        self.statusBar().addPermanentWidget(self.sign_out_button)
        self._sync_state: tuple[str | Callable[[], str], str] | None = None
        self.actions_by_name: dict[str, QAction] = {}
        self._make_actions()
        self.nav.currentRowChanged.connect(self._show_row)
        minutes = int(session.settings["idle_lock_minutes"])
        self.idle = IdleWatcher(minutes * 60_000, self)
        self.idle.idle.connect(self.lock)
        session.setting_changed.connect(self._setting_changed)
        session.notice_changed.connect(self._show_notice)
        session.database_replaced.connect(self.sign_out)  # a restore: everyone signs in again
        self._data_refresh = QTimer(self)  # one refresh for a burst of changes
        self._data_refresh.setSingleShot(True)
        self._data_refresh.setInterval(0)
        self._data_refresh.timeout.connect(self.refresh_after_change)
        session.data_changed.connect(self._data_changed)
        self.resize(1180, 760)
        self.retranslate()
        self.nav.setCurrentRow(0)
        from jisr_desktop.domain.roles import Permission
        from jisr_desktop.ui.screens.sync import SyncAgent

        if session.can(Permission.SYNC):  # automatic background sync and its indicator
            SyncAgent.attach(session, self)

    # --- actions -------------------------------------------------------------------------

    def _make_actions(self) -> None:
        specs: list[tuple[str, Any, Any]] = [
            ("search", QKeySequence.StandardKey.Find, self.focus_search),
            ("new_person", QKeySequence.StandardKey.New, self.new_record),
            ("refresh", QKeySequence.StandardKey.Refresh, self.refresh),
            ("lock", QKeySequence("Ctrl+L"), self.lock),
            ("sign_out", QKeySequence("Ctrl+Shift+Q"), self.sign_out),
        ]
        for i, _section in enumerate(self.sections[:9]):
            specs.append((f"section_{i}", QKeySequence(f"Alt+{i + 1}"),
                          lambda _=False, i=i: self.nav.setCurrentRow(i)))
        for name, keys, slot in specs:
            action = QAction(self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.actions_by_name[name] = action

    def retranslate(self) -> None:
        self.setWindowTitle(_("Jisr Desktop"))
        for i, section in enumerate(self.sections):
            item = self.nav.item(i)
            item.setText(translate(section.title))
            item.setIcon(icons.section_icon(section.key))  # ui/icons.py
        self.user_label.setText(_("Signed in: {name}", name=self.user.display_name))
        self.key_notice.setText(_("This PC has no key store: the database key is in a file next "
                                  "to the records, so whoever copies the data folder can read "
                                  "them. Keep this PC locked."))
        if self._sync_state is None:
            self.sync_label.setText(_("Sync: not yet connected"))
        elif callable(self._sync_state[0]):
            self.sync_label.setText(self._sync_state[0]())
        self._show_notice()
        names = {"search": _("Search"), "new_person": _("New person"), "refresh": _("Refresh"),
                 "lock": _("Lock the screen"), "sign_out": _("Sign out")}
        for name, text in names.items():
            self.actions_by_name[name].setText(text)
        self.lock_button.setText(names["lock"])
        self.sign_out_button.setText(names["sign_out"])

    # --- sections ------------------------------------------------------------------------

    def section_keys(self) -> list[str]:
        return [s.key for s in self.sections]

    def show_section(self, key: str) -> QWidget:
        row = self.section_keys().index(key)
        self.nav.setCurrentRow(row)
        return self.screens[key]

    def current_screen(self) -> QWidget | None:
        item = self.nav.currentItem()
        return self.screens.get(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        section = self.sections[row]
        screen = self.screens.get(section.key)
        if screen is None:
            cls = sections.screen_class(section)
            screen = cls(self.session, self.pages) if cls is not None else ComingPage(section)
            screen.setObjectName(f"section_{section.key}")
            self.screens[section.key] = screen
            # Each screen in its own scroll area: a long page (the campaigns form) scrolls
            # instead of raising the stack's minimum size, which grew the whole window past
            # a 1366x768 screen and kept it so for every other section.
            holder = QScrollArea()
            holder.setObjectName(f"scroll_{section.key}")
            holder.setWidgetResizable(True)
            holder.setFrameShape(QScrollArea.Shape.NoFrame)
            holder.setWidget(screen)
            self.pages.addWidget(holder)
        holder_of = screen.parentWidget()
        while holder_of is not None and not isinstance(holder_of, QScrollArea):
            holder_of = holder_of.parentWidget()
        self.pages.setCurrentWidget(holder_of if holder_of is not None else screen)
        activated = getattr(screen, "activated", None)
        if callable(activated):
            activated()

    def _call_screen(self, name: str) -> bool:
        method = getattr(self.current_screen(), name, None)
        if callable(method) and not self.is_locked():
            method()
            return True
        return False

    def focus_search(self) -> None:
        self._call_screen("focus_search")

    def refresh(self) -> None:
        self._call_screen("refresh")

    def _data_changed(self, _origin: str, source: object) -> None:
        screen = self.current_screen()
        if screen is not None and isinstance(source, QObject) and _inside(screen, source):
            return  # the screen asked for this write and shows its outcome itself
        self._data_refresh.start()

    def refresh_after_change(self) -> None:
        """Someone wrote rows (through the session, or a sync pulled them): the visible
        screen reads its rows again (its `refresh()`, as F5). Calls made by that refresh
        do not signal a change again (`Session.quiet`)."""
        with self.session.quiet():
            self.refresh()

    def new_record(self) -> None:
        if not self._call_screen("new_record") and "people" in self.section_keys() \
                and not self.is_locked():
            screen = self.show_section("people")
            screen.new_record()  # type: ignore[attr-defined]

    # --- status bar ----------------------------------------------------------------------

    def set_sync_state(self, text: str | Callable[[], str], level: str = "idle") -> None:
        """Show the sync state (`text` already translated, or a function that translates it,
        called again after a language switch; `level` one of ok, busy, warning, error, idle,
        which colours it). The sync area calls this from the GUI thread."""
        self._sync_state = (text, level)
        self.sync_label.setText(text() if callable(text) else text)
        set_tone(self.sync_label, LEVEL_TONES.get(level, "muted"))

    def _show_notice(self) -> None:
        """The session's background notice (the daily backup's outcome), in this language."""
        notice = self.session.notice
        self.notice_label.setVisible(notice is not None)
        if notice is not None:
            msgid, params, level = notice
            self.notice_label.setText(translate(msgid, **params))
            set_tone(self.notice_label, LEVEL_TONES.get(level, "muted"))

    # --- lock ----------------------------------------------------------------------------

    def _setting_changed(self, name: str) -> None:
        if name == "idle_lock_minutes":
            self.idle.set_timeout(int(self.session.settings[name]) * 60_000)

    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_form

    def lock(self) -> None:
        if self.is_locked():
            return
        # Every other window of the program (an open dialog, modal or not) is hidden with
        # what was typed in it, so that nothing can be used behind the lock.
        self._hidden_windows = [w for w in QApplication.topLevelWidgets()
                                if w is not self and w.isVisible()]
        for window in self._hidden_windows:
            window.hide()
        self.statusBar().setEnabled(False)
        self.stack.setCurrentWidget(self.lock_form)
        self.lock_form.reset()
        self.locked_changed.emit(True)

    def unlock(self, user: User) -> None:
        self.stack.setCurrentIndex(0)
        self.statusBar().setEnabled(True)
        self.idle.last_activity = time.monotonic()
        hidden, self._hidden_windows = self._hidden_windows, []
        for window in hidden:  # the same user unlocked (the lock form checks it): back they come
            try:
                window.show()
            except RuntimeError:  # deleted while hidden
                continue
        self.locked_changed.emit(False)

    def hidden_windows(self) -> list[QWidget]:
        """The dialogs the lock hid (shown again on unlock, closed on sign-out)."""
        return list(self._hidden_windows)

    def sign_out(self) -> None:
        self.idle.stop()
        hidden, self._hidden_windows = self._hidden_windows, []
        others = [w for w in QApplication.topLevelWidgets() if w is not self and w.isVisible()]
        for window in hidden + others:  # nothing of this user's screens stays behind
            try:
                window.close()
                window.deleteLater()
            except RuntimeError:
                continue
        self.signed_out.emit()
        self.close()

    def closeEvent(self, event: Any) -> None:
        self.idle.stop()
        super().closeEvent(event)


def _inside(screen: QWidget, obj: QObject) -> bool:
    """Whether `obj` is `screen` or belongs to it in the same window (a dialog the screen
    opened is a window of its own: its writes do refresh the screen behind it)."""
    current: QObject | None = obj
    try:
        while current is not None:
            if current is screen:
                return True
            if isinstance(current, QWidget) and current.isWindow():
                return False
            current = current.parent()
    except RuntimeError:  # a Qt object already deleted
        return False
    return False
