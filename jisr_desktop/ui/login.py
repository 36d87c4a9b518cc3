"""Signing in and unlocking: a form used by the login window and by the idle-lock page."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from jisr_desktop.context import Context, User
from jisr_desktop.errors import JisrError
from jisr_desktop.i18n import N_, _
from jisr_desktop.services import accounts, case_keys
from jisr_desktop.ui.dialogs import message_for
from jisr_desktop.ui.language import LanguageChooser, RetranslateMixin
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone

log = logging.getLogger("jisr.ui")


class LoginForm(RetranslateMixin, QWidget):
    """User name and password; in lock mode only the signed-in person's password.

    Signals:
        submitted(): the credentials are being checked (on the database worker).
        signed_in(object): the credentials were right (the `User`).
        failed(str): they were not (the message shown).
        switch_user(): on the lock page, someone else wants the desk (the window signs out).
    """

    submitted = Signal()
    signed_in = Signal(object)
    failed = Signal(str)
    switch_user = Signal()

    def __init__(self, session: Session, *, lock_user: User | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.lock_user = lock_user
        self.title = QLabel()
        self.title.setObjectName("loginTitle")
        set_role(self.title, "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        set_tone(self.message, "error")
        self.button = QPushButton()
        self.button.setObjectName("signIn")
        self.button.setDefault(True)
        self.username_label, self.password_label = QLabel(), QLabel()
        self.username_label.setBuddy(self.username)
        self.password_label.setBuddy(self.password)
        self.form = QFormLayout()
        self.language: LanguageChooser | None = None
        self.language_label: QLabel | None = None
        if lock_user is None:  # the login screen: choose the language before signing in
            self.language = LanguageChooser(session.settings["language"],
                                            lambda lang: session.set_setting("language", lang))
            self.language_label = QLabel()
            self.language_label.setBuddy(self.language)
            self.form.addRow(self.language_label, self.language)
        self.form.addRow(self.username_label, self.username)
        self.form.addRow(self.password_label, self.password)
        box = QVBoxLayout(self)
        box.addStretch(1)
        box.addWidget(self.title)
        box.addLayout(self.form)
        box.addWidget(self.message)
        box.addWidget(self.button)
        self.switch_button: QPushButton | None = None
        if lock_user is not None:  # someone else at the desk: sign out, then sign in
            self.switch_button = QPushButton()
            self.switch_button.setObjectName("switchUser")
            self.switch_button.clicked.connect(self.switch_user.emit)
            box.addWidget(self.switch_button)
        box.addStretch(1)
        self.button.clicked.connect(self.submit)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)
        if lock_user is not None:
            self.username.setText(lock_user.username)
            self.username.setReadOnly(True)
        self.retranslate()

    def retranslate(self) -> None:
        if self.lock_user is not None:
            self.title.setText(_("The screen is locked. {name}, enter your password to continue.",
                                 name=self.lock_user.display_name))
            self.button.setText(_("Unlock"))
            if self.switch_button is not None:
                self.switch_button.setText(_("Switch user"))
        else:
            self.title.setText(_("Sign in to Jisr Desktop"))
            self.button.setText(_("Sign in"))
        self.username_label.setText(_("User name"))
        self.password_label.setText(_("Password"))
        if self.language_label is not None:
            self.language_label.setText(_("Language"))

    def reset(self) -> None:
        self.password.clear()
        self.message.clear()
        self.button.setEnabled(True)
        (self.password if self.lock_user else self.username).setFocus()

    def submit(self) -> None:
        if not self.button.isEnabled():
            return
        username, password = self.username.text(), self.password.text()
        if not username.strip() or not password:
            self._fail(JisrError(N_("Enter your user name and password.")))
            return
        self.button.setEnabled(False)
        self.message.setText(_("Checking…"))
        lock_user = self.lock_user

        def check(ctx: Context) -> User:
            if lock_user is not None:
                user = accounts.unlock(ctx=Context(db=ctx.db, user=lock_user, clock=ctx.clock),
                                       password=password)
            else:
                user = accounts.sign_in(ctx=ctx, username=username, password=password)
            # a counsellor's sealed-notes key: unlocked, or obtained once from HQ
            case_keys.after_sign_in(ctx=Context(db=ctx.db, user=user, clock=ctx.clock),
                                    password=password)
            return user

        self.session.call(check, self._done, self._fail, as_system=True)
        self.submitted.emit()

    def _done(self, user: User) -> None:
        self.password.clear()
        self.message.clear()
        self.button.setEnabled(True)
        self.signed_in.emit(user)

    def _fail(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        if not isinstance(exc, JisrError):
            log.error("sign-in failed unexpectedly", exc_info=exc)
        text = message_for(exc)
        self.message.setText(text)
        self.failed.emit(text)


class LoginWindow(RetranslateMixin, QWidget):
    """The window shown after start-up (and after signing out).

    Signals:
        signed_in(object): forwarded from the form.
    """

    signed_in = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = LoginForm(session, parent=self)
        box = QVBoxLayout(self)
        box.addWidget(self.form)
        self.form.signed_in.connect(self.signed_in)
        self.resize(420, 320)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Jisr Desktop — sign in"))
