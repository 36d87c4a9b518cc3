"""Small message dialogs behind replaceable functions (tests swap them, as pytest-qt advises).

Known problems (`JisrError`) show their translated message; anything else is a bug: logged
with its traceback and shown as one calm message, never a traceback. (Uncaught exceptions go
to `jisr_desktop.crash`'s hook and `ui.error_dialog`, installed by `run_gui`.)
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from jisr_desktop.errors import JisrError, ValidationFailed
from jisr_desktop.i18n import _

log = logging.getLogger("jisr.ui")


class Dialogs:
    """Class methods that ask or tell; tests replace them with `monkeypatch.setattr`."""

    @classmethod
    def confirm(cls, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    @classmethod
    def inform(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    @classmethod
    def error(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)


def message_for(exc: BaseException) -> str:
    """What a person is told about `exc`: its own message when known, a calm line when a bug."""
    if isinstance(exc, JisrError):
        return exc.message()
    return _("An unexpected error happened; details are in the log file.")


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Tell a person about a failure (and log it when it is a bug)."""
    if not isinstance(exc, JisrError):
        log.error("unexpected error", exc_info=exc)
    Dialogs.error(parent, _("Jisr Desktop"), message_for(exc))


def show_failure(parent: QWidget, label: QLabel, exc: BaseException) -> None:
    """A failed action of a form: a known problem in the form's message line (every field
    message of a failed validation), a bug as one calm dialog."""
    if isinstance(exc, ValidationFailed):
        label.setText("\n".join(m.text() for m in exc.messages))
    elif isinstance(exc, JisrError):
        label.setText(exc.message())
    else:
        show_error(parent, exc)
