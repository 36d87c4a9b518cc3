"""A person's consents and the export of everything held about her (a tab of the person's
panel; docs/privacy.md, "Purpose" and "Rights of access and correction").

Reception records a consent the person (for a minor, an adult of her household) just gave,
and withdraws one; a coordinator, an admin or a counsellor exports her whole file (a PDF in her
language and a JSON file) into a folder she chooses.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop.domain.consent import State, purpose_text
from jisr_desktop.domain.person import Person
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_, _, current_language, format_date, translate
from jisr_desktop.services import access, consent
from jisr_desktop.ui.dialogs import Dialogs
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.widgets import named

STATE_LABELS = {
    State.VALID: N_("Valid"), State.EXPIRED: N_("Expired"), State.WITHDRAWN: N_("Withdrawn"),
    State.NOT_YET: N_("Not yet valid"), State.MISSING: N_("Missing"),
}
VALIDITY = ((0, N_("No end date")), (1, N_("Valid 1 year")), (3, N_("Valid 3 years")))


def _day(value: date | None) -> str:
    return format_date(value, fmt="short") if value else ""


def _later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class PersonPrivacy(RetranslateMixin, QWidget):
    """Consents of one person, and the export of her file."""

    def __init__(self, session: Session, person: Person, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.person = session, person
        self.model = RowsModel((
            Column(N_("Consent"), lambda c: purpose_text(c.purpose, c.service)),
            Column(N_("Date"), lambda c: _day(c.given_on)),
            Column(N_("Until"), lambda c: _day(c.expires_on)),
            Column(N_("Withdrawn on"), lambda c: _day(c.withdrawn_on)),
            Column(N_("Status"), lambda c: translate(STATE_LABELS[c.state])),
        ), self)
        self.table = QTableView()
        self.table.setObjectName("personConsents")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the purpose, longest
        header.setMinimumSectionSize(40)
        self.purpose = QComboBox()
        self.purpose.setObjectName("consentPurpose")
        self.validity = QComboBox()
        self.validity.setObjectName("consentValidity")
        self.guardian = QComboBox()
        self.guardian.setObjectName("consentGuardian")
        self.guardian_label = QLabel()
        self.give_button = QPushButton()
        self.give_button.setObjectName("giveConsent")
        self.withdraw_button = QPushButton()
        self.withdraw_button.setObjectName("withdrawConsent")
        self.export_button = QPushButton()
        self.export_button.setObjectName("exportPerson")
        self.guardians: list[Person] = []
        self.choices = consent.choices()
        self.minor = False
        editable = session.can(Permission.EDIT_PERSON)
        for w in (self.purpose, self.validity, self.give_button, self.withdraw_button):
            w.setEnabled(editable)
        self.export_button.setVisible(session.user is not None
                                      and session.user.role in access.READER_ROLES)
        form = QHBoxLayout()
        form.addWidget(self.purpose, 2)
        form.addWidget(self.validity, 1)
        form.addWidget(self.guardian_label)
        form.addWidget(self.guardian, 1)
        buttons = QVBoxLayout()  # one per line: each names the person, whatever her name's length
        buttons.addWidget(self.give_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addWidget(self.export_button)
        box = QVBoxLayout(self)
        box.addWidget(self.table, 1)
        box.addLayout(form)
        box.addLayout(buttons)
        self.give_button.clicked.connect(self.give)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.export_button.clicked.connect(self.export)
        self.retranslate()
        self.refresh()

    # --- asking (tests replace it) --------------------------------------------------------

    @classmethod
    def ask_folder(cls, parent: QWidget | None, title: str) -> str | None:
        folder = QFileDialog.getExistingDirectory(parent, title)
        return folder or None

    # --- data -----------------------------------------------------------------------------

    def refresh(self) -> None:
        pid = self.person.id

        def load(ctx: Any) -> tuple[list[consent.ConsentRow], bool, list[Person]]:
            return (consent.consents_of(ctx=ctx, person_id=pid), consent.is_minor(ctx=ctx, person_id=pid),
                    consent.guardian_choices(ctx=ctx, person_id=pid))
        self.session.call(load, self._loaded)

    def _loaded(self, result: tuple[list[consent.ConsentRow], bool, list[Person]]) -> None:
        rows, self.minor, self.guardians = result
        self.model.set_rows(rows)
        self.guardian.clear()
        for g in self.guardians:
            self.guardian.addItem(g.display_name(current_language()), g.id)
        self.guardian.setVisible(self.minor)
        self.guardian_label.setVisible(self.minor)

    def give(self) -> None:
        purpose, service = self.choices[max(self.purpose.currentIndex(), 0)]
        years = int(self.validity.currentData() or 0)
        guardian = self.guardian.currentData() if self.minor else None
        pid, today = self.person.id, self.session.clock().astimezone().date()
        until = _later(today, years) if years else None
        self.session.call(lambda ctx: consent.give(ctx=ctx, person_id=pid, purpose=purpose,
                                                   service=service, expires_on=until,
                                                   guardian_id=guardian),
                          lambda _row: self.refresh())

    def withdraw(self) -> None:
        picked = self.table.selectionModel().selectedRows()
        row = self.model.row_at(picked[0].row()) if picked else None
        if row is None:
            Dialogs.inform(self, _("Withdraw a consent"),
                           _("Choose the consent to withdraw in the list first."))
            return
        text = _("Withdraw the consent of {name} ({file_no}) for {purpose} from today?",
                 purpose=purpose_text(row.purpose, row.service), **named(self.person))
        if not Dialogs.confirm(self, _("Withdraw a consent"), text):
            return
        pid = self.person.id
        self.session.call(lambda ctx: consent.withdraw(ctx=ctx, person_id=pid, purpose=row.purpose,
                                                       service=row.service),
                          lambda _row: self.refresh())

    def export(self) -> None:
        folder = self.ask_folder(self, _("Choose the folder for the file of {name} ({file_no})",
                                         **named(self.person)))
        if not folder:
            return
        base = Path(folder) / f"{self.person.file_no or self.person.id}"
        pdf, json_file = base.with_suffix(".pdf"), base.with_suffix(".json")
        pid = self.person.id
        self.session.call(lambda ctx: access.export_person(ctx=ctx, person_id=pid, pdf=pdf,
                                                           json_file=json_file),
                          lambda _export: Dialogs.inform(
                              self, _("Export everything held"),
                              _("Wrote {pdf} and {json}.", pdf=str(pdf), json=str(json_file))))

    def retranslate(self) -> None:
        self.model.retranslate()
        chosen = self.purpose.currentIndex()
        self.purpose.clear()
        for purpose, service in self.choices:
            self.purpose.addItem(purpose_text(purpose, service))
        self.purpose.setCurrentIndex(max(chosen, 0))
        chosen = self.validity.currentIndex()
        self.validity.clear()
        for years, label in VALIDITY:
            self.validity.addItem(_(label), years)
        self.validity.setCurrentIndex(max(chosen, 0))
        self.guardian_label.setText(_("Given by"))
        names = named(self.person)
        self.give_button.setText(_("Record the consent of {name}", name=names["name"]))
        self.withdraw_button.setText(_("Withdraw the chosen consent"))
        self.export_button.setText(_("Export everything held about {name}…", name=names["name"]))

    def choose(self, purpose: str, service: str = "") -> None:
        """Pick a purpose in the list (as a click would)."""
        self.purpose.setCurrentIndex(self.choices.index((purpose, service)))
