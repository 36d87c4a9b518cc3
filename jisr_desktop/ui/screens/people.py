"""People and families: search the registry as you type, open a person (details, household,
merge for coordinators), register a new person."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop.domain.person import Person
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import _
from jisr_desktop.services import registry
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.person_form import PersonForm
from jisr_desktop.ui.screens.household import HouseholdView, MergePanel
from jisr_desktop.ui.screens.privacy import PersonPrivacy
from jisr_desktop.ui.screens.reception import PersonVisits
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role
from jisr_desktop.ui.widgets import PersonPicker, named


class PersonPanel(RetranslateMixin, QTabWidget):
    """One person: details, household, visits and (coordinators) merge.

    Signals:
        open_person(str): show another person (a household member).
    """

    open_person = Signal(str)

    def __init__(self, session: Session, person: Person, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person = person
        # Whose record this is, beside the tabs so that it shows on every tab.
        self.heading = QLabel()
        self.heading.setObjectName("personHeading")
        bold = self.heading.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 0.9)
        self.heading.setFont(bold)
        self.heading.setContentsMargins(8, 0, 8, 0)
        self.setCornerWidget(self.heading, Qt.Corner.TopRightCorner)
        self.form = PersonForm(session, person)
        self.form.saved.connect(self._saved)
        self.household = HouseholdView(session, person)
        self.household.open_person.connect(self.open_person)
        self.addTab(self.form, "")
        self.addTab(self.household, "")
        self.visits = PersonVisits(session, person)
        self.addTab(self.visits, "")
        self.merge: MergePanel | None = None
        if session.can(Permission.MERGE_PERSONS):
            self.merge = MergePanel(session, person)
            self.addTab(self.merge, "")
        self.privacy = PersonPrivacy(session, person)  # consents, export (issue 17)
        self.addTab(self.privacy, "")
        self.retranslate()

    def _saved(self, person: Person) -> None:
        self.person = person
        self.retranslate()

    def retranslate(self) -> None:
        # Name above file number: on one line it pushed a coordinator's tabs behind scroll arrows.
        self.heading.setText(_("{name} — file {file_no}", **named(self.person)).replace(" — ", "\n", 1))
        self.setTabText(0, _("Details"))
        self.setTabText(1, _("Household"))
        self.setTabText(2, _("Visits"))
        if self.merge is not None:
            self.setTabText(3, _("Merge duplicates"))
        self.setTabText(self.indexOf(self.privacy), _("Privacy"))


class PeopleScreen(RetranslateMixin, QWidget):
    """The registry screen.

    Signals:
        person_opened(object): a person's panel is showing (the `Person`).
    """

    person_opened = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.picker = PersonPicker(session)
        self.new_button = QPushButton()
        self.new_button.setObjectName("newPerson")
        self.new_button.setVisible(session.can(Permission.REGISTER_PERSON))
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(3, 0, 3, 0)  # the list's columns need the room
        top = QHBoxLayout()
        self.title = QLabel()
        set_role(self.title, "title")
        top.addWidget(self.title, 1)
        top.addWidget(self.new_button)
        left_box.addLayout(top)
        left_box.addWidget(self.picker, 1)
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        set_role(self.hint, "empty")  # nobody open yet: said large and calm
        self.detail = QStackedWidget()
        self.detail.addWidget(self.hint)
        self.panel: QWidget | None = None
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setSizes([580, 550])  # the list wider; the record keeps room for its tabs
        self.detail.setMinimumWidth(420)
        box = QVBoxLayout(self)
        box.addWidget(splitter)
        self.new_button.clicked.connect(self.new_record)
        self.picker.picked.connect(self.open_person)
        self.setTabOrder(self.picker.query, self.picker.table)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("People and families"))
        self.new_button.setText(_("New person"))
        self.new_button.setToolTip(_("Register a new person (Ctrl+N)"))
        self.hint.setText(_("Search for a person, then press Enter to open the record."))

    def _show(self, widget: QWidget) -> None:
        if self.panel is not None:
            self.detail.removeWidget(self.panel)
            self.panel.deleteLater()
        self.panel = widget
        self.detail.addWidget(widget)
        self.detail.setCurrentWidget(widget)

    def new_record(self) -> None:
        if not self.session.can(Permission.REGISTER_PERSON):
            return
        form = PersonForm(self.session)
        form.saved.connect(self._registered)
        form.open_existing.connect(self.open_person)
        self._show(form)
        form.inputs["given_name_ar"].setFocus()

    def _registered(self, person: Person) -> None:
        self.show_person(person)

    def open_person(self, person_id: str) -> None:
        self.session.call(lambda ctx: registry.get_person(ctx=ctx, person_id=person_id),
                          self.show_person)

    def show_person(self, person: Person) -> None:
        panel = PersonPanel(self.session, person)
        panel.open_person.connect(self.open_person)
        self._show(panel)
        self.person_opened.emit(person)

    def focus_search(self) -> None:
        self.picker.focus()

    def refresh(self) -> None:
        self.picker.refresh()

    def activated(self) -> None:
        self.picker.query.setFocus()
