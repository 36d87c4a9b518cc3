"""Start-up: the application, font, language, then first-run wizard, login, main window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from jisr_desktop import paths
from jisr_desktop.context import User, utc_now
from jisr_desktop.services import accounts
from jisr_desktop.services.center import current_center
from jisr_desktop.ui import icons
from jisr_desktop.ui.dialogs import show_error
from jisr_desktop.ui.language import apply_language, load_fonts
from jisr_desktop.ui.login import LoginWindow
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import apply_style
from jisr_desktop.ui.widgets import provinces

log = logging.getLogger("jisr.ui")


@dataclass(frozen=True)
class StartState:
    has_center: bool
    has_accounts: bool
    provinces: list[tuple[str, str, str]]


def start_state(db: sqlite_utils.Database) -> StartState:
    """Worker thread: what the program needs to know before showing its first window."""
    has_center = current_center(db) is not None
    has = accounts.has_accounts(db)
    return StartState(has_center, has, [] if has_center and has else provinces(db))


class Shell(QObject):
    """Leads a program run from the first window to the main window and back.

    Signals:
        wizard_shown(object): the first-run wizard is open.
        login_shown(object): the login window is open.
        main_shown(object): the main window is open (the `MainWindow`).
        start_failed(str): the database could not be opened (the message shown).
    """

    wizard_shown = Signal(object)
    login_shown = Signal(object)
    main_shown = Signal(object)
    start_failed = Signal(str)

    def __init__(self, root: Path, *, clock: Callable[[], datetime] = utc_now,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        app = QApplication.instance()
        if isinstance(app, QApplication):  # the one stylesheet, also on a test's application
            apply_style(app)
            icons.install(app)  # the icons of the main actions (ui/icons.py)
        self.session = Session(root, clock=clock, parent=self)
        self.session.runner.unhandled.connect(lambda exc: show_error(None, exc))
        self.wizard: Any = None  # FirstRunWizard, imported when needed
        self.login: LoginWindow | None = None
        self.main: Any = None  # MainWindow
        self.daily_backup: Any = None  # DailyBackup, started once the database is open

    def start(self) -> None:
        apply_language(self.session.settings["language"])
        self.session.runner.run_db(start_state, self._started, self._start_failed)

    def _started(self, state: StartState) -> None:
        from jisr_desktop.ui.screens.backups import DailyBackup

        if self.daily_backup is None:  # today's backup now, then hourly, on the pool
            self.daily_backup = DailyBackup(self.session, parent=self)
            self.daily_backup.start()
        if state.has_center and state.has_accounts:
            self.show_login()
            return
        from jisr_desktop.ui.wizard import FirstRunWizard

        self.wizard = FirstRunWizard(self.session, state.provinces, has_center=state.has_center)
        self.wizard.completed.connect(self.show_login)
        self.wizard.show()
        self.wizard_shown.emit(self.wizard)

    def _start_failed(self, exc: BaseException) -> None:
        show_error(None, exc)
        self.start_failed.emit(str(exc))
        app = QApplication.instance()
        if app is not None:
            app.exit(1)

    def show_login(self) -> None:
        self.session.sign_in(None)
        self.login = LoginWindow(self.session)
        self.login.signed_in.connect(self.show_main)
        self.login.form.submitted.connect(prepare_main_window)
        self.login.show()
        self.login.form.reset()
        log.info("login window shown")
        self.login_shown.emit(self.login)

    def show_main(self, user: User) -> None:
        from jisr_desktop.ui.main_window import MainWindow

        self.session.sign_in(user)
        self.main = MainWindow(self.session)
        self.main.signed_out.connect(self._signed_out)
        self.main.show()
        if self.login is not None:
            self.login.close()
            self.login.deleteLater()
            self.login = None
        log.info("main window shown for %s", user.username)
        self.main_shown.emit(self.main)

    def _signed_out(self) -> None:
        if self.main is not None:
            self.main.deleteLater()
            self.main = None
        self.show_login()

    def close(self) -> None:
        for window in (self.wizard, self.login, self.main):
            if window is not None:
                window.close()
        if self.daily_backup is not None:
            self.daily_backup.stop()
        self.session.close()


def prepare_main_window() -> None:
    """Import the main window and its first screens while the password is being checked (the
    argon2 check runs on the worker without the GIL), so that signing in feels immediate."""
    import jisr_desktop.ui.main_window
    import jisr_desktop.ui.screens.people
    import jisr_desktop.ui.screens.reception  # noqa: F401


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Jisr Desktop")
    app.setOrganizationName("Jisr")
    app.setWindowIcon(QIcon(str(paths.resource("icons", "jisr.png"))))
    load_fonts(app)
    apply_style(app)
    icons.install(app)
    return app


def run_gui(root: Path) -> int:
    """The desktop program: returns its exit code."""
    app = make_application()
    from jisr_desktop.ui.error_dialog import install_error_dialog  # issue 7's calm dialog

    install_error_dialog(app, root)
    shell = Shell(root)
    shell.start()
    code = app.exec()
    shell.close()
    return int(code)
