"""First run: create the center (name, code, province) and the first coordinator account."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
    QWizard,
    QWizardPage,
)

from jisr_desktop.context import Context
from jisr_desktop.domain.roles import Role
from jisr_desktop.errors import JisrError
from jisr_desktop.i18n import _
from jisr_desktop.services import accounts
from jisr_desktop.services.center import create_center, current_center
from jisr_desktop.ui.dialogs import message_for
from jisr_desktop.ui.language import LANGUAGE_NAMES, RetranslateMixin, apply_language, arrowed
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_tone
from jisr_desktop.ui.widgets import fill_provinces


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("pageError")
    label.setWordWrap(True)
    set_tone(label, "error")
    return label


class CenterPage(RetranslateMixin, QWizardPage):
    """Language, center name, code and province (read-only when the center exists).

    Signals: none besides QWizardPage's.
    """

    def __init__(self, session: Session, provinces: list[tuple[str, str, str]],
                 has_center: bool) -> None:
        super().__init__()
        self.session = session
        self.provinces = provinces
        self.has_center = has_center
        self.language = QComboBox()
        self.language.setObjectName("wizardLanguage")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(session.settings["language"]))
        self.name_ar = QLineEdit()
        self.name_ar.setObjectName("centerNameAr")
        self.name_fr = QLineEdit()
        self.name_fr.setObjectName("centerNameFr")
        self.code = QLineEdit()
        self.code.setObjectName("centerCode")
        self.province = QComboBox()
        self.province.setObjectName("province")
        self.error = _error_label()
        self.labels = [QLabel() for _i in range(5)]
        form = QFormLayout(self)
        for label, widget in zip(self.labels, (self.language, self.name_ar, self.name_fr, self.code,
                                               self.province), strict=True):
            form.addRow(label, widget)
        form.addRow(self.error)
        for widget in (self.name_ar, self.name_fr, self.code, self.province):
            widget.setEnabled(not has_center)
        self.language.currentIndexChanged.connect(self._language)
        self.retranslate()

    def _language(self) -> None:
        lang = self.language.currentData()
        self.session.set_setting("language", lang)
        apply_language(lang)

    def retranslate(self) -> None:
        self.setTitle(_("Welcome to Jisr Desktop"))
        self.setSubTitle(_("This center's details. They are set once."))
        for label, text in zip(self.labels, (_("Language"), _("Center name (Arabic)"),
                                             _("Center name (French)"), _("Center code"),
                                             _("Province")), strict=True):
            label.setText(text)
        self.code.setPlaceholderText(_("e.g. RAB01"))
        fill_provinces(self.province, self.provinces)

    def validatePage(self) -> bool:
        if self.has_center:
            return True
        if not (self.name_ar.text().strip() or self.name_fr.text().strip()):
            self.error.setText(_("Enter the center's name."))
            return False
        if not re.fullmatch(r"[A-Z0-9]{2,12}", self.code.text().strip().upper()):
            self.error.setText(_("The center code must be 2 to 12 letters or digits."))
            return False
        if self.province.currentData() is None:
            self.error.setText(_("Choose a province from the list."))
            return False
        self.error.clear()
        return True


class AccountPage(RetranslateMixin, QWizardPage):
    """The first coordinator's name, user name and password (typed twice).

    Signals: none besides QWizardPage's.
    """

    def __init__(self) -> None:
        super().__init__()
        self.display_name = QLineEdit()
        self.display_name.setObjectName("coordName")
        self.username = QLineEdit()
        self.username.setObjectName("coordUsername")
        self.password = QLineEdit()
        self.password.setObjectName("coordPassword")
        self.confirm = QLineEdit()
        self.confirm.setObjectName("coordConfirm")
        for field in (self.password, self.confirm):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _error_label()
        self.labels = [QLabel() for _i in range(4)]
        form = QFormLayout(self)
        for label, widget in zip(self.labels, (self.display_name, self.username, self.password,
                                               self.confirm), strict=True):
            form.addRow(label, widget)
        form.addRow(self.error)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("The first coordinator"))
        self.setSubTitle(_("This account manages the other accounts of the center."))
        for label, text in zip(self.labels, (_("Full name"), _("User name"), _("Password"),
                                             _("Password again")), strict=True):
            label.setText(text)

    def validatePage(self) -> bool:
        if not self.username.text().strip():
            self.error.setText(_("Enter a user name."))
            return False
        if len(self.password.text()) < accounts.MIN_PASSWORD:
            self.error.setText(_("The password must have at least {n} characters.",
                                 n=accounts.MIN_PASSWORD))
            return False
        if self.password.text() != self.confirm.text():
            self.error.setText(_("The two passwords are different."))
            return False
        self.error.clear()
        return True


class FirstRunWizard(RetranslateMixin, QWizard):
    """Creates the center and the first coordinator, then closes.

    Signals:
        completed(): the center and the account exist; go on to signing in.
        failed(str): saving failed (the message, also shown on the page).
    """

    completed = Signal()
    failed = Signal(str)

    def __init__(self, session: Session, provinces: list[tuple[str, str, str]], *,
                 has_center: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.center_page = CenterPage(session, provinces, has_center)
        self.account_page = AccountPage()
        self.addPage(self.center_page)
        self.addPage(self.account_page)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self._saving = False
        self.resize(620, 460)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Jisr Desktop — first start"))
        # Our own button words, set again at each language switch (Qt's stayed in the first
        # language), with arrows pointing the way the pages go in this direction.
        buttons = QWizard.WizardButton
        self.setButtonText(buttons.BackButton, arrowed(_("Back"), forward=False))
        self.setButtonText(buttons.NextButton, arrowed(_("Next"), forward=True))
        self.setButtonText(buttons.CancelButton, _("Cancel"))
        self.setButtonText(buttons.FinishButton, _("Finish"))

    def accept(self) -> None:
        if self._saving or not self.validateCurrentPage():
            return
        self._saving = True
        c, a = self.center_page, self.account_page
        values = {"code": c.code.text(), "name_ar": c.name_ar.text(), "name_fr": c.name_fr.text(),
                  "province_code": c.province.currentData()}
        username, name, password = a.username.text(), a.display_name.text(), a.password.text()

        def save(ctx: Context) -> None:
            center = current_center(ctx.db)
            if center is None:
                center = create_center(ctx=ctx, **values)
            accounts.create_account(ctx=ctx, username=username, display_name=name,
                                    role=Role.COORDINATOR, password=password, center_id=center.id)

        self.session.call(save, self._saved, self._failed, as_system=True)

    def _saved(self, _result: object) -> None:
        self._saving = False
        super().accept()
        self.completed.emit()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        text = message_for(exc)
        field = exc.field if isinstance(exc, JisrError) else None
        page = self.center_page if field in ("code", "name_ar", "province_code") else self.account_page
        page.error.setText(text)
        self.failed.emit(text)
