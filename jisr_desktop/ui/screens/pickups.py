"""Who may take a nursery child home: the authorised list of one child, with a registered
person or someone typed in (name, CIN, phone, relationship) added, and someone removed.
Coordinators manage the list; the check-out dialog reads it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import errors
from jisr_desktop.context import Context
from jisr_desktop.domain.nursery import PickupAuthorisation
from jisr_desktop.domain.person import format_phone
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_, _
from jisr_desktop.services import enrollments, nursery
from jisr_desktop.ui.dialogs import Dialogs, show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel, ltr
from jisr_desktop.ui.screens.common import make_table, selected_row
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role
from jisr_desktop.ui.widgets import PersonPicker, message_label, named, show_messages

PICKUP_COLUMNS = (
    Column(N_("Name"), lambda a: a.name),
    Column(N_("Relationship"), lambda a: _("Guardian") if a.is_guardian else a.relationship),
    Column(N_("CIN"), lambda a: ltr(a.cin)),
    Column(N_("Phone"), lambda a: ltr(format_phone(a.phone))),
)
FIELDS = ("name", "cin", "phone", "relationship")


class NoEnrollment(errors.JisrError):
    msgid = N_("This child is not enrolled in the nursery.")


@dataclass(frozen=True)
class PickupList:
    enrollment_id: str
    authorised: list[PickupAuthorisation]


def load_pickups(ctx: Context, child_id: str) -> PickupList:
    """The child's enrollment and authorised list (database worker)."""
    enrollment = enrollments.current_for(ctx, enrollments.NURSERY, child_id)
    if enrollment is None:
        raise NoEnrollment()
    return PickupList(enrollment.id, nursery.authorised_pickups(ctx=ctx, child_id=child_id))


class PickupsDialog(RetranslateMixin, QDialog):
    """The authorised pick-up list of one child.

    Signals:
        loaded(object): the list was (re)loaded (`PickupList`).
        changed(): someone was added or removed.
    """

    loaded = Signal(object)
    changed = Signal()

    def __init__(self, session: Session, child_id: str, child_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.child_id = child_id
        self.child_name = child_name
        self.pickups: PickupList | None = None
        manage = session.can(Permission.MANAGE_ENROLLMENTS)
        self.heading = QLabel()
        set_role(self.heading, "heading")
        self.model = RowsModel(PICKUP_COLUMNS, self)
        self.table = make_table(self.model, "pickupTable")
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("removePickup")
        self.relationship = QLineEdit()
        self.relationship.setObjectName("pickupRelationship")
        self.person_box = QGroupBox()
        self.picker = PersonPicker(session)
        self.add_person_button = QPushButton()
        self.add_person_button.setObjectName("addPickupPerson")
        self.other_box = QGroupBox()
        self.name = QLineEdit()
        self.name.setObjectName("pickupName")
        self.cin = QLineEdit()
        self.cin.setObjectName("pickupCin")
        self.phone = QLineEdit()
        self.phone.setObjectName("pickupPhone")
        self.add_other_button = QPushButton()
        self.add_other_button.setObjectName("addPickupOther")
        self.messages = {name: message_label(name) for name in FIELDS}
        self.status = QLabel()
        self.status.setObjectName("pickupStatus")
        self.status.setWordWrap(True)
        self.labels = {name: QLabel() for name in FIELDS}
        shared = QFormLayout()
        shared.addRow(self.labels["relationship"], self.relationship)
        shared.addRow(self.messages["relationship"])
        person_layout = QVBoxLayout(self.person_box)
        person_layout.addWidget(self.picker, 1)
        person_layout.addWidget(self.add_person_button)
        other = QFormLayout(self.other_box)
        for name, widget in (("name", self.name), ("cin", self.cin), ("phone", self.phone)):
            other.addRow(self.labels[name], widget)
            other.addRow(self.messages[name])
        other.addRow(self.add_other_button)
        adding = QHBoxLayout()
        adding.addWidget(self.person_box, 1)
        adding.addWidget(self.other_box, 1)
        box = QVBoxLayout(self)
        box.addWidget(self.heading)
        box.addWidget(self.table, 1)
        box.addWidget(self.remove_button)
        box.addLayout(shared)
        box.addLayout(adding, 2)
        box.addWidget(self.status)
        for part in (self.remove_button, self.relationship, self.person_box, self.other_box):
            part.setVisible(manage)
        self.remove_button.clicked.connect(self.remove)
        self.add_person_button.clicked.connect(self.add_person)
        # Enter or a double click chooses the person; adding her is a separate click.
        self.picker.current_changed.connect(lambda _person: self._name_chosen())
        self.picker.picked.connect(lambda _pid: self.add_person_button.setFocus())
        self.add_other_button.clicked.connect(self.add_other)
        for line in (self.name, self.cin, self.phone):
            line.returnPressed.connect(self.add_other)  # Enter adds, as the button does
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter is handled by the field it is pressed in, once
        self.resize(760, 640)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Authorised to pick up"))
        self.heading.setText(_("Who may take {name} home", name=self.child_name))
        self.remove_button.setText(_("Remove from the list"))
        self.person_box.setTitle(_("A registered person"))
        self._name_chosen()
        self.other_box.setTitle(_("Someone not registered"))
        self.add_other_button.setText(_("Add"))
        for name, text in (("name", _("Name")), ("cin", _("CIN")), ("phone", _("Phone")),
                           ("relationship", _("Relationship to the child"))):
            self.labels[name].setText(text)
        self.model.retranslate()

    def _name_chosen(self) -> None:
        """The add button names the chosen person (name and file number)."""
        person = self.picker.current_person()
        if person is None:
            self.add_person_button.setText(_("Add the person found"))
        else:
            self.add_person_button.setText(_("Add {name} ({file_no})", **named(person)))

    def reload(self) -> None:
        child_id = self.child_id
        self.session.call(lambda ctx: load_pickups(ctx, child_id), self._loaded, self._failed,
                          key=f"pickups-{id(self)}")

    def _loaded(self, pickups: PickupList) -> None:
        self.pickups = pickups
        self.model.set_rows(pickups.authorised)
        self.loaded.emit(pickups)

    def _add(self, data: dict[str, Any]) -> None:
        if self.pickups is None:
            return
        enrollment_id = self.pickups.enrollment_id
        self.session.call(lambda ctx: nursery.add_pickup(ctx=ctx, enrollment_id=enrollment_id, data=data),
                          self._added, self._failed)

    def add_person(self) -> None:
        person_id = self.picker.current_id()
        if person_id is None:
            self.status.setText(_("Find the person first."))
            return
        self._add({"person_id": person_id, "relationship": self.relationship.text()})

    def add_other(self) -> None:
        self._add({"name": self.name.text(), "cin": self.cin.text(), "phone": self.phone.text(),
                   "relationship": self.relationship.text()})

    def _added(self, auth: PickupAuthorisation) -> None:
        self.picker.clear_choice()
        for widget in (self.name, self.cin, self.phone, self.relationship):
            widget.clear()
        show_messages(self.messages, [])
        self.status.setText(_("{name} may now pick up the child.", name=auth.name))
        self.changed.emit()
        self.reload()

    def remove(self) -> None:
        auth = selected_row(self.table)
        if not isinstance(auth, PickupAuthorisation):
            self.status.setText(_("Choose the person in the list first."))
            return
        if not Dialogs.confirm(self, _("Authorised to pick up"),
                               _("Remove {name} from the list? They will no longer be able to pick up the child.",
                                 name=auth.name)):
            return
        auth_id = auth.id

        def done(_result: object) -> None:
            self.status.setText(_("{name} was removed from the list.", name=auth.name))
            self.changed.emit()
            self.reload()

        self.session.call(lambda ctx: nursery.remove_pickup(ctx=ctx, authorisation_id=auth_id), done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, errors.ValidationFailed):
            show_messages(self.messages, exc.messages, fallback="name")
            self.status.setText("")
        elif isinstance(exc, errors.JisrError):
            self.status.setText(exc.message())
        else:
            show_error(self, exc)
