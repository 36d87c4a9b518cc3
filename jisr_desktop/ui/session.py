"""The running program's state shared by every screen: data root, settings, task runner,
signed-in user and language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from jisr_desktop.context import SYSTEM_USER, Context, User, utc_now
from jisr_desktop.domain.roles import Permission
from jisr_desktop.services import case_keys
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
        data_changed(str, object): rows were written, by a `call` that wrote ("write") or by a
            sync that pulled rows from HQ ("pull"), and the object that asked for the write
            (the owner of the call's `on_done`, see `_owner`), or None; the main window
            refreshes the visible screen unless that screen asked for the write itself.
    """

    user_changed = Signal(object)
    setting_changed = Signal(str)
    notice_changed = Signal()
    database_replaced = Signal()
    data_changed = Signal(str, object)

    WRITE = "write"
    PULL = "pull"

    def __init__(self, root: Path, *, runner: TaskRunner | None = None,
                 clock: Callable[[], datetime] = utc_now, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self.settings = Settings(root)
        self.runner = runner or TaskRunner(root, create=True, parent=self)
        self.clock = clock
        self.user: User | None = None
        self.notice: tuple[str, dict[str, Any], str] | None = None  # (msgid, params, level)
        self._quiet = 0  # > 0 while `quiet()` is in force: calls started then never signal

    def sign_in(self, user: User | None) -> None:
        if user is None:  # signed out: no counsellor's key stays open (docs/security.md)
            case_keys.signed_out()
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
        without `on_error` are shown in a calm dialog. When the call changed rows (SQLite's
        `total_changes` grew while it ran), `data_changed("write")` is emitted just before its
        `on_done` runs (a window that `on_done` opens does not take it for a later change)."""
        user = SYSTEM_USER if as_system else self.user
        if user is None:
            raise RuntimeError("no one is signed in")
        clock = self.clock
        quiet = self._quiet > 0
        owner = _owner(on_done)

        def job(db: Any) -> Any:
            before = db.conn.total_changes
            result = fn(Context(db=db, user=user, clock=clock))
            return _Outcome(result, db.conn.total_changes != before)

        def done(outcome: _Outcome) -> None:
            if outcome.wrote and not quiet:
                self.data_changed.emit(self.WRITE, owner)
            if on_done is not None:
                on_done(outcome.result)

        return self.runner.run_db(job, done, on_error or (lambda exc: show_error(None, exc)),
                                  key=key)

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Calls started inside never emit `data_changed`: the main window refreshes a screen
        inside it, so that a refresh that happens to write cannot refresh again and again."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def close(self) -> None:
        self.runner.close()


class _Outcome:
    """A `Session.call` job's result and whether it changed rows."""

    __slots__ = ("result", "wrote")

    def __init__(self, result: Any, wrote: bool) -> None:
        self.result = result
        self.wrote = wrote


def _owner(fn: Callable[..., Any] | None) -> QObject | None:
    """The Qt object a callback belongs to: a bound method's object, or the first Qt object
    a closure uses (``lambda r: self.show(r)`` uses ``self``); None when there is none."""
    if fn is None:
        return None
    bound = getattr(fn, "__self__", None)
    if isinstance(bound, QObject):
        return bound
    for cell in getattr(fn, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:  # a cell not filled yet
            continue
        if isinstance(value, QObject):
            return value
    return None
