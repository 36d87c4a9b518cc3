"""The calm error dialog of the exception hook, and the bundle's GUI self-test step.

`install_error_dialog(app, root)` installs `jisr_desktop.crash`'s hook with a presenter that
shows one `ErrorDialog` at a time on the GUI thread (errors from worker threads arrive by a
queued signal); errors that happen while it is open are added to its details instead of
opening more dialogs. The dialog says what happened in plain words, keeps the traceback
behind "Show details", and offers "Copy details".
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import crash, i18n
from jisr_desktop.i18n import _

log = logging.getLogger("jisr.ui.errors")


class ErrorDialog(QDialog):
    """One calm dialog for an uncaught error; no signals of its own (accepted/finished)."""

    def __init__(self, report: crash.CrashReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(_("Jisr Desktop"))
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if i18n.is_rtl()
                                else Qt.LayoutDirection.LeftToRight)
        self.reports = [report]
        icon = QLabel()
        kind = (QStyle.StandardPixmap.SP_MessageBoxInformation if report.known
                else QStyle.StandardPixmap.SP_MessageBoxWarning)
        icon.setPixmap(self.style().standardIcon(kind).pixmap(40, 40))
        self.message = QLabel(report.message())
        self.message.setObjectName("errorMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.more = QLabel()
        self.more.setObjectName("moreErrors")
        self.more.hide()
        self.details = QPlainTextEdit(report.details)
        self.details.setObjectName("errorDetails")
        self.details.setReadOnly(True)
        self.details.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # tracebacks read LTR
        self.details.setMinimumHeight(180)
        self.details.hide()
        self.copied = QLabel(_("Details copied."))
        self.copied.setObjectName("copiedNote")
        self.copied.hide()

        buttons = QDialogButtonBox()
        self.show_button = QPushButton(_("Show details"))
        self.show_button.setObjectName("showDetails")
        self.show_button.setCheckable(True)
        self.show_button.toggled.connect(self._toggle_details)
        self.copy_button = QPushButton(_("Copy details"))
        self.copy_button.setObjectName("copyDetails")
        self.copy_button.clicked.connect(self.copy_details)
        close = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.AcceptRole)
        close.setObjectName("closeError")
        close.setDefault(True)
        buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)

        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.more)
        layout.addWidget(self.details)
        layout.addWidget(self.copied)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def details_text(self) -> str:
        return "\n\n".join(r.details for r in self.reports)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())
        self.copied.show()

    def add_report(self, report: crash.CrashReport) -> None:
        """Another error while this one is open: counted and added to the details."""
        self.reports.append(report)
        self.details.setPlainText(self.details_text())
        self.more.setText(i18n.translate_plural(
            "{n} more problem happened since; its details are included.",
            "{n} more problems happened since; their details are included.",
            len(self.reports) - 1))
        self.more.show()

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.show_button.setText(_("Hide details") if shown else _("Show details"))
        self.adjustSize()


class ErrorPresenter(QObject):
    """Shows crash reports on the GUI thread, one dialog at a time.

    Signals:
        reported(object): a `CrashReport` to show (emitted from any thread, queued).
        shown(object): the `ErrorDialog` that was opened or extended.
    """

    reported = Signal(object)
    shown = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog: ErrorDialog | None = None
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def present(self, report: crash.CrashReport) -> None:
        """Thread-safe: called by the hook in whatever thread failed."""
        self.reported.emit(report)

    def _show(self, report: crash.CrashReport) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add_report(report)
        else:
            self.dialog = self.make_dialog(report)
            self.dialog.show()
            if QGuiApplication.platformName() != "offscreen":
                self.dialog.raise_()
        self.shown.emit(self.dialog)

    @classmethod
    def make_dialog(cls, report: crash.CrashReport) -> ErrorDialog:
        """The dialog for `report` (tests may replace it)."""
        parent = QApplication.activeWindow()
        dialog = ErrorDialog(report, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        return dialog


def install_error_dialog(app: QApplication, root: Path | None) -> ErrorPresenter:
    """Install the exception hook with the dialog as its presenter (call once after the
    QApplication exists, before the first window)."""
    presenter = ErrorPresenter(app)
    crash.install(root, presenter=presenter.present)
    return presenter


def gui_self_test(root: Path) -> str:
    """Open the main window offscreen (with a signed-in system user), process its first
    events and close it; without a main window in this build, a minimal one. Also builds
    the error dialog (translations, styles). Returns what was opened."""
    from jisr_desktop.context import SYSTEM_USER

    def to_log(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        log.debug("Qt: %s", message)  # offscreen cannot size windows; not a failure

    previous = qInstallMessageHandler(to_log)
    app = QApplication.instance() or QApplication(["jisr", "-platform", "offscreen"])
    opened = "main window"
    session = None
    window: QMainWindow
    if importlib.util.find_spec("jisr_desktop.ui.main_window") is not None:
        # A main window that exists but fails to import or open fails the self-test.
        from jisr_desktop.ui.main_window import MainWindow
        from jisr_desktop.ui.session import Session

        session = Session(root)
        session.sign_in(SYSTEM_USER)
        window = MainWindow(session)
    else:
        opened = "minimal window (no main window in this build)"
        window = QMainWindow()
        window.setWindowTitle(_("Jisr Desktop"))
    try:
        window.show()
        app.processEvents()
        if not window.isVisible():
            raise RuntimeError("the window did not show")
        report = crash.CrashReport(False, crash.BUG_MESSAGE, {}, "self-test", "MainThread")
        dialog = ErrorDialog(report, window)
        dialog.show()
        app.processEvents()
        dialog.close()
        window.close()
        app.processEvents()
    finally:
        if session is not None:
            session.close()
        window.deleteLater()
        app.processEvents()
        qInstallMessageHandler(previous)
    return opened
