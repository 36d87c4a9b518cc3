"""Settings a person changes from the program: language, idle lock, own password."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop.domain.roles import Permission
from jisr_desktop.errors import JisrError
from jisr_desktop.i18n import _
from jisr_desktop.services import accounts
from jisr_desktop.ui.dialogs import show_error
from jisr_desktop.ui.language import RetranslateMixin, apply_language
from jisr_desktop.ui.session import Session

LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}  # each in its own language


class SettingsScreen(RetranslateMixin, QWidget):
    """Language (switches at once), idle lock minutes (coordinators), change my password.

    Signals: none.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(session.settings["language"]))
        self.idle = QSpinBox()
        self.idle.setObjectName("idleMinutes")
        self.idle.setRange(0, 240)
        self.idle.setValue(int(session.settings["idle_lock_minutes"]))
        self.idle.setEnabled(session.can(Permission.MANAGE_SETTINGS))
        self.old_password = QLineEdit()
        self.new_password = QLineEdit()
        for field in (self.old_password, self.new_password):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.change_button = QPushButton()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.labels = [QLabel() for _i in range(4)]
        form = QFormLayout()
        for label, widget in zip(self.labels, (self.language, self.idle, self.old_password,
                                               self.new_password), strict=True):
            form.addRow(label, widget)
        form.addRow(self.change_button)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addStretch(1)
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.idle.valueChanged.connect(lambda v: session.set_setting("idle_lock_minutes", v))
        self.change_button.clicked.connect(self.change_password)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Settings"))
        for label, text in zip(self.labels, (_("Language"), _("Lock the screen after (minutes, 0: never)"),
                                             _("Current password"), _("New password")), strict=True):
            label.setText(text)
        self.change_button.setText(_("Change my password"))

    def _language_chosen(self) -> None:
        lang = self.language.currentData()
        self.session.set_setting("language", lang)
        apply_language(lang)

    def change_password(self) -> None:
        old, new = self.old_password.text(), self.new_password.text()

        def done(_r: object) -> None:
            self.old_password.clear()
            self.new_password.clear()
            self.message.setText(_("The password was changed."))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, JisrError):
                self.message.setText(exc.message())
            else:
                show_error(self, exc)

        self.session.call(lambda ctx: accounts.change_password(ctx=ctx, old_password=old,
                                                               new_password=new), done, failed)
