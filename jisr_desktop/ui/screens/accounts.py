"""Account management for coordinators: list, create, deactivate or bring back, reset a
password. Hidden from other roles; the services refuse them too."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop.domain.roles import Role
from jisr_desktop.errors import JisrError
from jisr_desktop.i18n import N_, _, translate
from jisr_desktop.services import accounts
from jisr_desktop.ui.dialogs import Dialogs, show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role

ROLE_LABELS = {
    Role.RECEPTIONIST: N_("Receptionist"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.COUNSELLOR: N_("Counsellor"),
    Role.ADMIN: N_("Administrator"),
}

ACCOUNT_COLUMNS = (
    Column(N_("User name"), lambda a: a.user.username),
    Column(N_("Name"), lambda a: a.user.display_name),
    Column(N_("Role"), lambda a: translate(ROLE_LABELS.get(a.user.role, a.user.role))),
    Column(N_("Active"), lambda a: _("Yes") if a.active else _("No")),
)


class AccountsScreen(RetranslateMixin, QWidget):
    """Staff accounts of this center.

    Signals:
        loaded(int): the list was loaded (how many accounts).
    """

    loaded = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = QLabel()
        set_role(self.title, "title")
        self.model = RowsModel(ACCOUNT_COLUMNS, self)
        self.table = QTableView()
        self.table.setObjectName("accounts")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(40)
        self.toggle_button = QPushButton()
        self.reset_button = QPushButton()
        self.new_password = QLineEdit()
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.username = QLineEdit()
        self.username.setObjectName("newUsername")
        self.display_name = QLineEdit()
        self.role = QComboBox()
        self.password = QLineEdit()
        self.password.setObjectName("newPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.create_button = QPushButton()
        self.create_button.setObjectName("createAccount")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.form = QFormLayout()
        self.form_labels = [QLabel() for _i in range(4)]
        for label, widget in zip(self.form_labels, (self.username, self.display_name, self.role,
                                                    self.password), strict=True):
            self.form.addRow(label, widget)
        self.form.addRow(self.create_button)
        actions = QHBoxLayout()
        actions.addWidget(self.toggle_button)
        actions.addWidget(self.new_password)
        actions.addWidget(self.reset_button)
        actions.addStretch(1)
        self.new_title = QLabel()
        set_role(self.new_title, "heading")
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.table, 1)
        box.addLayout(actions)
        box.addWidget(self.new_title)
        box.addLayout(self.form)
        box.addWidget(self.message)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.reset_button.clicked.connect(self.reset_password)
        self.create_button.clicked.connect(self.create_account)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.title.setText(_("Accounts"))
        self.toggle_button.setText(_("Deactivate or reactivate"))
        self.reset_button.setText(_("Set this new password"))
        self.new_password.setPlaceholderText(_("New password"))
        self.new_title.setText(_("New account"))
        for label, text in zip(self.form_labels, (_("User name"), _("Name"), _("Role"), _("Password")),
                               strict=True):
            label.setText(text)
        current = self.role.currentData()
        self.role.clear()
        for role, msgid in ROLE_LABELS.items():
            self.role.addItem(translate(msgid), role.value)
        self.role.setCurrentIndex(max(0, self.role.findData(current)))
        self.create_button.setText(_("Create the account"))
        self.model.retranslate()

    def refresh(self) -> None:
        self.session.call(lambda ctx: accounts.list_accounts(ctx=ctx), self._loaded)

    def _loaded(self, rows: list[accounts.AccountRow]) -> None:
        self.model.set_rows(rows)
        self.loaded.emit(len(rows))

    def _selected(self) -> accounts.AccountRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _done(self, text: str) -> None:
        self.message.setText(text)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, JisrError):
            self.message.setText(exc.message())
        else:
            show_error(self, exc)

    def toggle_active(self) -> None:
        row = self._selected()
        if row is None:
            return
        uid, active = row.user.id, not row.active
        self.session.call(lambda ctx: accounts.set_active(ctx=ctx, user_id=uid, active=active),
                          lambda _r: self._done(_("The account was changed.")), self._failed)

    def reset_password(self) -> None:
        row = self._selected()
        if row is None:
            return
        uid, password = row.user.id, self.new_password.text()
        if not Dialogs.confirm(self, _("Accounts"), _("Set a new password for {name}?",
                                                      name=row.user.display_name)):
            return
        self.new_password.clear()
        self.session.call(lambda ctx: accounts.reset_password(ctx=ctx, user_id=uid,
                                                              new_password=password),
                          lambda _r: self._done(_("The password was changed.")), self._failed)

    def create_account(self) -> None:
        username, name = self.username.text(), self.display_name.text()
        role, password = self.role.currentData(), self.password.text()

        def run(ctx):  # type: ignore[no-untyped-def]
            return accounts.create_account(ctx=ctx, username=username, display_name=name,
                                           role=role, password=password,
                                           center_id=ctx.user.center_id)

        def created(_user: object) -> None:
            for widget in (self.username, self.display_name, self.password):
                widget.clear()
            self._done(_("The account was created."))

        self.session.call(run, created, self._failed)
