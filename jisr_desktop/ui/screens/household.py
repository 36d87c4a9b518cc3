"""A person's household (members, relationships, head; add, remove, set head) and, for
coordinators, merging a duplicate record into this one (with undo)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import i18n
from jisr_desktop.context import Context
from jisr_desktop.domain.person import RELATIONSHIP_LABELS, Person, Relationship
from jisr_desktop.i18n import N_, _, translate
from jisr_desktop.services import households, registry
from jisr_desktop.ui.dialogs import Dialogs
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel, person_born
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.widgets import PersonPicker, fit_columns, named

MEMBER_COLUMNS = (
    Column(N_("Name"), lambda m: m.person.display_name(i18n.current_language())),
    Column(N_("Relationship"), lambda m: translate(RELATIONSHIP_LABELS.get(m.relationship, N_("Other")))),
    Column(N_("Born"), lambda m: person_born(m.person)),
    Column(N_("Head"), lambda m: _("Yes") if m.is_head else ""),
)


class HouseholdView(RetranslateMixin, QWidget):
    """The household of one person.

    Signals:
        changed(): the household was loaded again after a change.
        open_person(str): a member was double-clicked (their id).
    """

    changed = Signal()
    open_person = Signal(str)

    def __init__(self, session: Session, person: Person, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.person = person
        self.household: households.Household | None = None
        self.title = QLabel()
        self.title.setObjectName("householdTitle")
        self.model = RowsModel(MEMBER_COLUMNS, self)
        self.table = QTableView()
        self.table.setObjectName("members")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        fit_columns(self.table)
        self.table.doubleClicked.connect(self._open_member)
        self.create_button = QPushButton()
        self.create_button.setObjectName("createHousehold")
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("removeMember")
        self.head_button = QPushButton()
        self.head_button.setObjectName("setHead")
        self.add_label = QLabel()
        self.picker = PersonPicker(session)
        self.relationship = QComboBox()
        self.relationship.setObjectName("relationship")
        self.add_button = QPushButton()
        self.add_button.setObjectName("addMember")
        actions = QHBoxLayout()
        for button in (self.create_button, self.head_button, self.remove_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.relationship_label = QLabel()
        self.relationship_label.setBuddy(self.relationship)
        asking = QHBoxLayout()
        asking.addWidget(self.relationship_label)
        asking.addWidget(self.relationship)
        asking.addStretch(1)
        adding = QHBoxLayout()
        adding.addWidget(self.add_button)
        adding.addStretch(1)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.table, 2)
        box.addLayout(actions)
        box.addWidget(self.add_label)
        box.addLayout(asking)
        box.addWidget(self.picker, 2)
        box.addLayout(adding)
        self.create_button.clicked.connect(self.create_household)
        self.add_button.clicked.connect(self.add_member)
        self.remove_button.clicked.connect(self.remove_member)
        self.head_button.clicked.connect(self.set_head)
        self.picker.picked.connect(self._picked)
        self.picker.current_changed.connect(lambda _person: self._show_adding())
        self.relationship.currentIndexChanged.connect(lambda _index: self._show_adding())
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        if self.household is None:
            self.title.setText(_("This person is not in a household yet."))
        else:
            self.title.setText(_("Household: {name}", name=self.household.name))
        self.create_button.setText(_("Create a household with this person as head"))
        self.remove_button.setText(_("Remove from the household"))
        self.head_button.setText(_("Make head of household"))
        self.add_label.setText(_("Add a member: choose the relationship, then find the person "
                                 "(Enter or double click on her row)."))
        self.relationship_label.setText(_("Relationship"))
        current = self.relationship.currentData()
        self.relationship.blockSignals(True)
        self.relationship.clear()
        self.relationship.addItem(_("— choose the relationship —"), None)
        for rel in Relationship:
            if rel != Relationship.HEAD:
                self.relationship.addItem(translate(RELATIONSHIP_LABELS[rel]), rel.value)
        index = self.relationship.findData(current) if current is not None else 0
        self.relationship.setCurrentIndex(max(0, index))
        self.relationship.blockSignals(False)
        self._show_adding()
        self.model.retranslate()

    def _show_adding(self) -> None:
        """The add button names the chosen person; it works once the relationship is chosen."""
        person = self.picker.current_person()
        if person is None:
            self.add_button.setText(_("Add to the household"))
        else:
            self.add_button.setText(_("Add {name} ({file_no}) to the household", **named(person)))
        self.add_button.setEnabled(person is not None and self.relationship.currentData() is not None)

    def _picked(self, _person_id: str) -> None:
        """Enter or a double click chooses the person; adding her is a separate click."""
        self._show_adding()
        if self.relationship.currentData() is None:
            self.relationship.setFocus()
        else:
            self.add_button.setFocus()

    def reload(self) -> None:
        pid = self.person.id
        self.session.call(lambda ctx: households.households_of(ctx=ctx, person_id=pid), self._loaded)

    def _loaded(self, found: list[households.Household]) -> None:
        self.household = found[0] if found else None
        self.model.set_rows(self.household.members if self.household else [])
        has = self.household is not None
        self.create_button.setVisible(not has)
        for widget in (self.remove_button, self.head_button, self.add_label, self.picker,
                       self.relationship_label, self.relationship, self.add_button):
            widget.setVisible(has)
        self.retranslate()
        self.changed.emit()

    def _selected_member(self) -> households.Member | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _open_member(self) -> None:
        member = self._selected_member()
        if member is not None:
            self.open_person.emit(member.person.id)

    def create_household(self) -> None:
        pid = self.person.id
        self.session.call(lambda ctx: households.create_household(ctx=ctx, head_person_id=pid),
                          lambda _h: self.reload())

    def add_member(self) -> None:
        other = self.picker.current_id()
        rel = self.relationship.currentData()
        if self.household is None or other is None or rel is None:
            return
        hid = self.household.id
        self.session.call(lambda ctx: households.add_member(ctx=ctx, household_id=hid,
                                                            person_id=other, relationship=rel),
                          lambda _h: self._added())

    def _added(self) -> None:
        self.picker.clear_choice()
        self.relationship.setCurrentIndex(0)
        self.reload()

    def remove_member(self) -> None:
        member = self._selected_member()
        if self.household is None or member is None:
            return
        if not Dialogs.confirm(self, _("Remove from the household"),
                               _("Take {name} out of this household?",
                                 name=member.person.display_name(i18n.current_language()))):
            return
        hid, pid = self.household.id, member.person.id
        self.session.call(lambda ctx: households.remove_member(ctx=ctx, household_id=hid, person_id=pid),
                          lambda _h: self.reload())

    def set_head(self) -> None:
        member = self._selected_member()
        if self.household is None or member is None:
            return
        hid, pid = self.household.id, member.person.id
        self.session.call(lambda ctx: households.set_head(ctx=ctx, household_id=hid, person_id=pid),
                          lambda _h: self.reload())


class MergePanel(RetranslateMixin, QWidget):
    """Merge another record of the same person into this one (coordinators), and undo it.

    Signals:
        merged(str): a merge was made (its id).
        undone(): the last merge was undone.
    """

    merged = Signal(str)
    undone = Signal()

    def __init__(self, session: Session, person: Person, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.person = person
        self.last_merge: str | None = None
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.picker = PersonPicker(session)
        self.merge_button = QPushButton()
        self.merge_button.setObjectName("mergeButton")
        self.result = QLabel()
        self.result.setObjectName("mergeResult")
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undoMerge")
        self.undo_button.setVisible(False)
        box = QVBoxLayout(self)
        box.addWidget(self.explain)
        box.addWidget(self.picker, 1)
        row = QHBoxLayout()
        row.addWidget(self.merge_button)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(self.result)
        self.merge_button.clicked.connect(self.merge)
        self.undo_button.clicked.connect(self.undo)
        self.retranslate()

    def retranslate(self) -> None:
        self.explain.setText(_("Find another record of this same person. Merging moves its "
                               "households into this record and fills this record's empty "
                               "fields; it can be undone."))
        self.merge_button.setText(_("Merge into this person"))
        self.undo_button.setText(_("Undo the merge"))
        if self.last_merge:
            self.result.setText(_("The records were merged."))

    def merge(self) -> None:
        other = self.picker.current_person()
        if other is None or other.id == self.person.id:
            return
        name = other.display_name(i18n.current_language())
        if not Dialogs.confirm(self, _("Merge"), _("Merge the record of {name} into this person?",
                                                   name=name)):
            return
        survivor, merged = self.person.id, other.id
        self.session.call(lambda ctx: registry.merge_persons(ctx=ctx, survivor_id=survivor,
                                                             merged_id=merged), self._merged)

    def _merged(self, merge_id: str) -> None:
        self.last_merge = merge_id
        self.undo_button.setVisible(True)
        self.retranslate()
        self.picker.refresh()
        self.merged.emit(merge_id)

    def undo(self) -> None:
        merge_id = self.last_merge
        if merge_id is None:
            return

        def run(ctx: Context) -> None:
            registry.undo_merge(ctx=ctx, merge_id=merge_id)

        self.session.call(run, self._undone)

    def _undone(self, _result: object) -> None:
        self.last_merge = None
        self.undo_button.setVisible(False)
        self.result.setText(_("The merge was undone."))
        self.picker.refresh()
        self.undone.emit()
