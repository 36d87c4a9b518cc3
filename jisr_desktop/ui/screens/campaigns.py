"""Awareness campaigns: the list of a period's campaigns and, beside it, one campaign — topic,
date, location, partner, notes, participants counted by sex and age band, and optionally the
registered people who took part. Coordinators record and edit; others read.

Every cell of the count grid is a spin box, so a coordinator types the figures from the paper
tally sheet with Tab between cells; only the cells that changed are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import errors, i18n
from jisr_desktop.context import Context
from jisr_desktop.domain.attendance import BAND_CODES, UNKNOWN_BAND
from jisr_desktop.domain.campaigns import MAX_COUNT, SEXES, TOPIC_SUGGESTIONS
from jisr_desktop.domain.person import Person
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_, _, translate, translate_plural
from jisr_desktop.services import campaigns, registry
from jisr_desktop.ui import dates
from jisr_desktop.ui.dialogs import show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel, ltr
from jisr_desktop.ui.screens.common import make_table, selected_row
from jisr_desktop.ui.screens.panes import ListPeriodPane
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role
from jisr_desktop.ui.widgets import DateEdit, PersonPicker, message_label, show_messages

Counts = dict[tuple[str, str], int]
SEX_LABELS = {"F": N_("Female"), "M": N_("Male")}

CAMPAIGN_COLUMNS = (
    Column(N_("Date"), lambda c: i18n.format_date(c.day, fmt="short")),
    Column(N_("Topic"), lambda c: c.topic),
    Column(N_("Location"), lambda c: c.place),
    Column(N_("Partner"), lambda c: c.partner),
    Column(N_("Participants"), lambda c: i18n.format_number(c.total)),
)
PARTICIPANT_COLUMNS = (
    Column(N_("Name"), lambda p: p.display_name(i18n.current_language())),
    Column(N_("Sex"), lambda p: translate(SEX_LABELS[p.sex]) if p.sex in SEX_LABELS else ""),
    Column(N_("CIN"), lambda p: ltr(p.cin)),
)


def band_label(band: str) -> str:
    """An age band as shown beside its row: ``0-2`` kept left to right inside Arabic text."""
    return _("Age unknown") if band == UNKNOWN_BAND else _("{band} years", band=ltr(band))


@dataclass
class CampaignDetail:
    campaign: campaigns.Campaign
    participants: list[Person]


def load_detail(ctx: Context, campaign_id: str) -> CampaignDetail:
    """A campaign with its named participants' records (database worker)."""
    campaign = campaigns.get_campaign(ctx=ctx, campaign_id=campaign_id)
    found = registry.person_rows(ctx.db, campaign.participant_ids)
    return CampaignDetail(campaign, [found[i] for i in campaign.participant_ids if i in found])


def save_with_counts(ctx: Context, *, campaign_id: str | None, fields: dict[str, object],
                     counts: Counts) -> CampaignDetail:
    """Save the campaign and its changed counts in one transaction (database worker)."""
    saved = campaigns.save_with_counts(ctx=ctx, campaign_id=campaign_id, fields=fields, counts=counts)
    return load_detail(ctx, saved.id)


class CountGrid(RetranslateMixin, QWidget):
    """Participants by age band (rows) and sex (columns), with the total.

    Signals:
        changed(int): a figure was changed (the new total).
    """

    changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loaded: Counts = {}
        self.cells: dict[tuple[str, str], QSpinBox] = {}
        self.band_labels: dict[str, QLabel] = {}
        self.sex_labels: dict[str, QLabel] = {}
        self.title = QLabel()
        self.total = QLabel()
        self.total.setObjectName("countTotal")
        set_role(self.total, "heading")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.title, 0, 0)
        for col, sex in enumerate(SEXES, start=1):
            self.sex_labels[sex] = QLabel()
            grid.addWidget(self.sex_labels[sex], 0, col)
        for row, band in enumerate(BAND_CODES, start=1):
            self.band_labels[band] = QLabel()
            grid.addWidget(self.band_labels[band], row, 0)
            for col, sex in enumerate(SEXES, start=1):
                cell = QSpinBox()
                cell.setObjectName(f"count_{sex}_{band}")
                cell.setRange(0, MAX_COUNT)
                cell.valueChanged.connect(lambda _v: self.changed.emit(self.sum()))
                self.cells[(sex, band)] = cell
                grid.addWidget(cell, row, col)
        grid.addWidget(self.total, len(BAND_CODES) + 1, 0, 1, len(SEXES) + 1)
        self.changed.connect(lambda _n: self._show_total())
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Age"))
        for sex, label in self.sex_labels.items():
            label.setText(translate(SEX_LABELS[sex]))
        for band, label in self.band_labels.items():
            label.setText(band_label(band))
        self._show_total()

    def sum(self) -> int:
        return sum(cell.value() for cell in self.cells.values())

    def _show_total(self) -> None:
        self.total.setText(translate_plural("Total: {n} participant", "Total: {n} participants", self.sum()))

    def set_counts(self, counts: Counts) -> None:
        self.loaded = dict(counts)
        for key, cell in self.cells.items():
            cell.blockSignals(True)
            cell.setValue(counts.get(key, 0))
            cell.blockSignals(False)
        self._show_total()

    def changes(self) -> Counts:
        """The cells that differ from what was loaded (a new campaign: the non-zero ones)."""
        return {key: cell.value() for key, cell in self.cells.items()
                if cell.value() != self.loaded.get(key, 0)}

    def set_editable(self, editable: bool) -> None:
        for cell in self.cells.values():
            cell.setReadOnly(not editable)


class CampaignsScreen(ListPeriodPane):
    """Awareness campaigns of a period and the chosen campaign (the shared pane:
    `jisr_desktop/ui/screens/panes.py`).

    Signals:
        campaigns_loaded(object): the period's campaigns were (re)loaded (list of `Campaign`).
        detail_loaded(object): the chosen campaign is shown (`CampaignDetail`).
        saved(object): a campaign was saved (`CampaignDetail`).
    """

    campaigns_loaded = Signal(object)
    detail_loaded = Signal(object)
    saved = Signal(object)

    ROW_TYPE = campaigns.Campaign
    COLUMNS = CAMPAIGN_COLUMNS
    LIST_NAME = "campaignList"
    NAME_COLUMN = 1  # the topic
    NEW_NAME = "newCampaign"
    KEY = "campaigns"
    DETAIL_STRETCH = 1

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        self.detail: CampaignDetail | None = None
        self.manage = session.can(Permission.MANAGE_ENROLLMENTS)
        super().__init__(session, parent)

    def build_detail(self) -> QWidget:
        session = self.session
        today = session.clock().astimezone().date()
        self.new_button.setVisible(self.manage)
        self.summary = QLabel()
        self.summary.setObjectName("campaignSummary")
        self.heading = QLabel()
        set_role(self.heading, "heading")
        self.topic = QComboBox()
        self.topic.setObjectName("campaignTopic")
        self.topic.setEditable(True)
        self.day = DateEdit(QDate(today.year, today.month, today.day))
        self.day.setObjectName("campaignDay")
        self.day.setCalendarPopup(True)
        dates.set_format(self.day)
        self.place = QLineEdit()
        self.place.setObjectName("campaignPlace")
        self.partner = QLineEdit()
        self.partner.setObjectName("campaignPartner")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("campaignNotes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(54)
        self.counts = CountGrid()
        self.messages = {name: message_label(name) for name in ("topic", "day", "place", "counts")}
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveCampaign")
        self.save_button.setVisible(self.manage)
        self.status = QLabel()
        self.status.setObjectName("campaignStatus")
        self.status.setWordWrap(True)
        self.participants_title = QLabel()
        self.participants = RowsModel(PARTICIPANT_COLUMNS, self)
        self.participants_table = make_table(self.participants, "campaignParticipants")
        self.picker = PersonPicker(session)
        self.picker.setVisible(self.manage)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addParticipant")
        self.add_button.setVisible(self.manage)
        self.form_labels = {name: QLabel() for name in ("topic", "day", "place", "partner", "notes")}
        form = QFormLayout()
        for name, widget in (("topic", self.topic), ("day", self.day), ("place", self.place),
                             ("partner", self.partner), ("notes", self.notes)):
            form.addRow(self.form_labels[name], widget)
            if name in self.messages:
                form.addRow(self.messages[name])
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.addWidget(self.heading)
        right_box.addLayout(form)
        right_box.addWidget(self.counts)
        right_box.addWidget(self.messages["counts"])
        right_box.addWidget(self.save_button)
        right_box.addWidget(self.status)
        right_box.addWidget(self.participants_title)
        right_box.addWidget(self.participants_table, 1)
        right_box.addWidget(self.picker, 1)
        right_box.addWidget(self.add_button)
        for widget in (self.topic, self.day, self.place, self.partner, self.notes):
            widget.setEnabled(self.manage)
        self.counts.set_editable(self.manage)
        self.save_button.clicked.connect(self.save)
        self.add_button.clicked.connect(self.add_participant)
        self.picker.picked.connect(lambda _pid: self.add_participant())
        return right

    def add_below_list(self, box: QVBoxLayout) -> None:
        box.addWidget(self.summary)

    def ready(self) -> None:
        self._clear()

    # --- text --------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(_("Awareness campaigns"))
        self.new_button.setText(_("New campaign"))
        for name, text in (("topic", _("Topic")), ("day", _("Date")), ("place", _("Location")),
                           ("partner", _("Partner")), ("notes", _("Notes"))):
            self.form_labels[name].setText(text)
        if (line := self.topic.lineEdit()) is not None:
            line.setPlaceholderText(_("e.g. disease prevention, violence, environment, water"))
        typed = self.topic.currentText()
        self.topic.blockSignals(True)
        self.topic.clear()
        self.topic.addItems([translate(t) for t in TOPIC_SUGGESTIONS])
        self.topic.setEditText(typed)
        self.topic.blockSignals(False)
        self.save_button.setText(_("Save the campaign"))
        self.participants_title.setText(_("Named participants (optional)"))
        self.add_button.setText(_("Add the person found"))
        self.heading.setText(_("New campaign") if self.detail is None else _("Campaign"))
        rows = self.list_model.rows
        self.summary.setText("\n".join((
            translate_plural("{n} campaign in this period", "{n} campaigns in this period", len(rows)),
            translate_plural("{n} participant counted", "{n} participants counted", sum(c.total for c in rows)))))
        super().retranslate()
        self.participants.retranslate()

    # --- loading -----------------------------------------------------------------------------

    @staticmethod
    def list_between(ctx: Context, first: date, last: date) -> list[campaigns.Campaign]:
        return campaigns.campaigns_between(ctx=ctx, first=first, last=last)

    def order(self, found: list[campaigns.Campaign]) -> list[campaigns.Campaign]:
        return sorted(found, key=lambda c: (c.day, c.id), reverse=True)

    def chosen_id(self) -> str | None:
        return self.detail.campaign.id if self.detail else None

    load_detail = staticmethod(load_detail)

    def listed(self, found: list[campaigns.Campaign]) -> None:
        self.campaigns_loaded.emit(found)

    def select_campaign(self, campaign_id: str) -> bool:
        """Show a campaign of the list (as a click on its row does)."""
        return self.select_item(campaign_id)

    def show_detail(self, detail: CampaignDetail) -> None:
        self._show(detail)

    def _show(self, detail: CampaignDetail) -> None:
        self.detail = detail
        c = detail.campaign
        self.topic.setEditText(c.topic)
        self.day.setDate(QDate(c.day.year, c.day.month, c.day.day))
        self.place.setText(c.place)
        self.partner.setText(c.partner)
        self.notes.setPlainText(c.notes)
        self.counts.set_counts(c.counts)
        self.participants.set_rows(detail.participants)
        show_messages(self.messages, [])
        self.add_button.setEnabled(True)
        self.retranslate()
        self.detail_loaded.emit(detail)

    # --- editing -----------------------------------------------------------------------------

    def new_record(self) -> None:
        """An empty form for a new campaign (Ctrl+N)."""
        if self.manage:
            self._clear()

    def _clear(self) -> None:
        self.detail = None
        self.list_table.clearSelection()
        today = self.session.clock().astimezone().date()
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.topic.setEditText("")
        self.place.clear()
        self.partner.clear()
        self.notes.clear()
        self.counts.set_counts({})
        self.participants.set_rows([])
        self.status.setText("")
        show_messages(self.messages, [])
        self.add_button.setEnabled(False)
        self.retranslate()
        self.topic.setFocus()

    def save(self) -> None:
        if not self.manage:
            return
        qd = self.day.date()
        fields = {"topic": self.topic.currentText(), "day": date(qd.year(), qd.month(), qd.day()),
                  "place": self.place.text(), "partner": self.partner.text(), "notes": self.notes.toPlainText()}
        counts = self.counts.changes()
        campaign_id = self.detail.campaign.id if self.detail else None
        self.save_button.setEnabled(False)
        self.session.call(lambda ctx: save_with_counts(ctx, campaign_id=campaign_id, fields=fields, counts=counts),
                          self._saved, self._failed)

    def _saved(self, detail: CampaignDetail) -> None:
        self.save_button.setEnabled(True)
        self._show(detail)
        self.status.setText(_("Saved."))
        self.saved.emit(detail)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, errors.ValidationFailed):
            show_messages(self.messages, exc.messages, fallback="counts")
            self.status.setText("")
        elif isinstance(exc, errors.JisrError):
            self.status.setText(exc.message())
        else:
            show_error(self, exc)

    def add_participant(self) -> None:
        person_id = self.picker.current_id()
        if not self.manage or self.detail is None:
            return
        if person_id is None:
            self.status.setText(_("Find the person first."))
            return
        campaign_id = self.detail.campaign.id

        def job(ctx: Context) -> CampaignDetail:
            campaigns.add_participant(ctx=ctx, campaign_id=campaign_id, person_id=person_id)
            return load_detail(ctx, campaign_id)

        self.session.call(job, self._participant_added, self._failed)

    def _participant_added(self, detail: CampaignDetail) -> None:
        self._show(detail)
        self.status.setText(_("Participant added."))
        self.picker.focus()

    def selected_campaign(self) -> campaigns.Campaign | None:
        row = selected_row(self.list_table)
        return row if isinstance(row, campaigns.Campaign) else None

    def focus_search(self) -> None:
        self.list_table.setFocus()
