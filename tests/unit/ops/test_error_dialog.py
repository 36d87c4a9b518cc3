"""The calm error dialog (pytest-qt, offscreen): shown once on the GUI thread for errors of
any thread, translated, with details to copy; the event loop goes on after a failing slot."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel

from jisr_desktop import crash, i18n
from jisr_desktop.log import setup_logging
from jisr_desktop.ui.error_dialog import ErrorDialog, ErrorPresenter, install_error_dialog

# The offscreen platform cannot size real windows; that is not the dialog's problem.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def presenter(qapp: QApplication, home: Path) -> Iterator[ErrorPresenter]:
    setup_logging(home)
    shown = install_error_dialog(qapp, home)
    yield shown
    crash.uninstall()
    if shown.dialog is not None:
        shown.dialog.close()
        shown.dialog.deleteLater()
    shown.deleteLater()


def _crash_in_thread(name: str) -> None:
    def fail() -> None:
        raise ZeroDivisionError(f"crash in {name}")

    worker = threading.Thread(target=fail, name=name)
    worker.start()
    worker.join()


def test_a_worker_thread_error_opens_one_dialog_on_the_gui_thread(qtbot, presenter: ErrorPresenter) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(presenter.shown, timeout=5000) as first:
        _crash_in_thread("db-worker")
    dialog = first.args[0]
    assert isinstance(dialog, ErrorDialog) and dialog.isVisible()
    assert dialog.thread() is QApplication.instance().thread()
    assert dialog.findChild(QLabel, "errorMessage").text() == i18n._(crash.BUG_MESSAGE)
    assert not dialog.details.isVisible()
    with qtbot.waitSignal(presenter.shown, timeout=5000) as second:
        _crash_in_thread("sync")
    assert second.args[0] is dialog  # still one dialog
    assert dialog.more.isVisible() and "1" in dialog.more.text()
    assert "crash in db-worker" in dialog.details_text() and "crash in sync" in dialog.details_text()


def test_copy_details_puts_context_and_traceback_on_the_clipboard(qtbot, presenter: ErrorPresenter, home: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(presenter.shown, timeout=5000) as shown:
        _crash_in_thread("reports")
    dialog = shown.args[0]
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    assert dialog.details.isVisible()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "ZeroDivisionError: crash in reports" in copied
    assert f"data root {home}" in copied and "thread reports" in copied
    assert dialog.copied.isVisible()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_dialog_speaks_the_current_language(qtbot, lang: str) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language(lang)
    report = crash.CrashReport(False, crash.BUG_MESSAGE, {}, "details", "MainThread")
    dialog = ErrorDialog(report)
    qtbot.addWidget(dialog)
    assert dialog.message.text() == i18n.translate(crash.BUG_MESSAGE, lang)
    assert dialog.message.text() != crash.BUG_MESSAGE  # a translation exists
    assert dialog.copy_button.text() == i18n.translate("Copy details", lang) != "Copy details"
    assert dialog.isRightToLeft() == (lang == "ar")


@pytest.mark.qt_no_exception_capture
def test_a_failing_slot_is_reported_and_the_event_loop_goes_on(qtbot, presenter: ErrorPresenter) -> None:  # type: ignore[no-untyped-def]
    ran_after: list[bool] = []

    def failing_slot() -> None:
        raise RuntimeError("slot failed")

    with qtbot.waitSignal(presenter.shown, timeout=5000) as shown:
        QTimer.singleShot(0, failing_slot)
        QTimer.singleShot(10, lambda: ran_after.append(True))
    qtbot.waitUntil(lambda: ran_after == [True], timeout=5000)
    assert "RuntimeError: slot failed" in shown.args[0].details_text()
