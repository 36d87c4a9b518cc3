"""The running program's state shared by every screen: data root, settings, task runner,
signed-in user and language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from jisr_desktop.context import SYSTEM_USER, Context, User, utc_now
from jisr_desktop.domain.roles import Permission
from jisr_desktop.settings import Settings
from jisr_desktop.ui.dialogs import show_error
from jisr_desktop.ui.tasks import Failed, TaskRunner


class Session(QObject):
    """One program run.

    Signals:
        user_changed(object): someone signed in or out (the `User` or None).
        setting_changed(str): a setting was changed from the program (its name).
        notice_changed(): background work left a line for the status bar (`notice`).
        database_replaced(): a restore replaced the database; everyone signs in again.
    """

    user_changed = Signal(object)
    setting_changed = Signal(str)
    notice_changed = Signal()
    database_replaced = Signal()

    def __init__(self, root: Path, *, runner: TaskRunner | None = None,
                 clock: Callable[[], datetime] = utc_now, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self.settings = Settings(root)
        self.runner = runner or TaskRunner(root, create=True, parent=self)
        self.clock = clock
        self.user: User | None = None
        self.notice: tuple[str, dict[str, Any], str] | None = None  # (msgid, params, level)

    def sign_in(self, user: User | None) -> None:
        self.user = user
        self.user_changed.emit(user)

    def set_setting(self, name: str, value: Any) -> None:
        """Store a setting (validated, written at once) and tell the screens."""
        self.settings.set(name, value)
        self.setting_changed.emit(name)

    def set_notice(self, msgid: str, level: str = "idle", **params: Any) -> None:
        """A calm status-bar line from background work (the daily backup): a msgid marked
        with `N_`, translated when shown; `level` as in `MainWindow.set_sync_state`."""
        self.notice = (msgid, params, level)
        self.notice_changed.emit()

    def can(self, permission: Permission) -> bool:
        return self.user is not None and self.user.can(permission)

    def call(self, fn: Callable[[Context], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Failed | None = None, *, key: str | None = None,
             as_system: bool = False) -> int:
        """Run a service call `fn(ctx)` on the database worker as the signed-in user; errors
        without `on_error` are shown in a calm dialog."""
        user = SYSTEM_USER if as_system else self.user
        if user is None:
            raise RuntimeError("no one is signed in")
        clock = self.clock

        def job(db: Any) -> Any:
            return fn(Context(db=db, user=user, clock=clock))

        return self.runner.run_db(job, on_done, on_error or (lambda exc: show_error(None, exc)),
                                  key=key)

    def close(self) -> None:
        self.runner.close()
