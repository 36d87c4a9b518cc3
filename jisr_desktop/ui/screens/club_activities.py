"""The elderly club's activities — medical awareness sessions, on-site medical campaigns,
outings — and who took part. Coordinators create activities; reception adds the members who
came (each one an attendance event); a coordinator removes a participant added by mistake
with a written reason (a correction event, never a deletion).

A section of its own beside the club's day, registered from this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import errors, i18n
from jisr_desktop.context import Context
from jisr_desktop.domain.club import ACTIVITY_LABELS, ActivityKind
from jisr_desktop.domain.person import Person
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_, _, translate, translate_plural
from jisr_desktop.services import attendance, club, registry
from jisr_desktop.ui import dates
from jisr_desktop.ui.dialogs import show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel
from jisr_desktop.ui.screens.common import make_table, selected_row
from jisr_desktop.ui.screens.panes import ListPeriodPane
from jisr_desktop.ui.sections import Section, register_section
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role
from jisr_desktop.ui.widgets import DateEdit, PersonPicker, message_label, show_messages

register_section(Section("club_activities", N_("Club activities"),
                         "jisr_desktop.ui.screens.club_activities:ClubActivitiesScreen"), before="workshops")

SEX_LABELS = {"F": N_("Female"), "M": N_("Male")}


@dataclass(frozen=True)
class Participant:
    person: Person
    mark_id: str
    age: int | None


@dataclass
class ActivityDetail:
    activity: club.Activity
    participants: list[Participant]


def _kind(kind: str) -> str:
    return translate(ACTIVITY_LABELS[ActivityKind(kind)]) if kind in set(ActivityKind) else kind


ACTIVITY_COLUMNS = (
    Column(N_("Date"), lambda a: i18n.format_date(a.day, fmt="short")),
    Column(N_("Kind"), lambda a: _kind(a.kind)),
    Column(N_("Title"), lambda a: a.title),
    Column(N_("Location"), lambda a: a.place),
    Column(N_("Partner"), lambda a: a.partner),
    Column(N_("Participants"), lambda a: i18n.format_number(len(a.participant_ids))),
)
PARTICIPANT_COLUMNS = (
    Column(N_("Name"), lambda p: p.person.display_name(i18n.current_language())),
    Column(N_("Sex"), lambda p: translate(SEX_LABELS[p.person.sex]) if p.person.sex in SEX_LABELS else ""),
    Column(N_("Age"), lambda p: i18n.format_number(p.age) if p.age is not None else ""),
)


def load_detail(ctx: Context, activity_id: str) -> ActivityDetail:
    """An activity with its participants and their attendance marks (database worker)."""
    activity = club.get_activity(ctx=ctx, activity_id=activity_id)
    marks = attendance.marks_of(ctx.db, [activity_id])
    found = registry.person_rows(ctx.db, activity.participant_ids)
    out = [Participant(found[pid], marks[(activity_id, pid)]["id"], found[pid].age_on(activity.day))
           for pid in activity.participant_ids if pid in found and (activity_id, pid) in marks]
    out.sort(key=lambda p: p.person.display_name(i18n.current_language()))
    return ActivityDetail(activity, out)


class ActivityDialog(RetranslateMixin, QDialog):
    """A new club activity: kind, title, date, location, partner.

    Signals:
        created(object): the `Activity`.
    """

    created = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        today = session.clock().astimezone().date()
        self.kind = QComboBox()
        self.kind.setObjectName("activityKind")
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("activityTitle")
        self.day = DateEdit(QDate(today.year, today.month, today.day))
        self.day.setObjectName("activityDay")
        self.day.setCalendarPopup(True)
        dates.set_format(self.day)
        self.place = QLineEdit()
        self.place.setObjectName("activityPlace")
        self.partner = QLineEdit()
        self.partner.setObjectName("activityPartner")
        self.messages = {name: message_label(name) for name in ("kind", "title")}
        self.save = QPushButton()
        self.save.setObjectName("saveActivity")
        self.save.setDefault(True)
        self.labels = {name: QLabel() for name in ("kind", "title", "day", "place", "partner")}
        form = QFormLayout()
        for name, widget in (("kind", self.kind), ("title", self.title_edit), ("day", self.day),
                             ("place", self.place), ("partner", self.partner)):
            form.addRow(self.labels[name], widget)
            if name in self.messages:
                form.addRow(self.messages[name])
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.save)
        self.save.clicked.connect(self.submit)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New club activity"))
        for name, text in (("kind", _("Kind")), ("title", _("Title")), ("day", _("Date")),
                           ("place", _("Location")), ("partner", _("Partner"))):
            self.labels[name].setText(text)
        self.save.setText(_("Save"))
        chosen = self.kind.currentData()
        self.kind.clear()
        for kind in ActivityKind:
            self.kind.addItem(translate(ACTIVITY_LABELS[kind]), kind.value)
        if chosen is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(chosen)))

    def submit(self) -> None:
        qd = self.day.date()
        kind, title = str(self.kind.currentData()), self.title_edit.text()
        day, place, partner = date(qd.year(), qd.month(), qd.day()), self.place.text(), self.partner.text()
        self.session.call(lambda ctx: club.create_activity(ctx=ctx, kind=kind, title=title, day=day,
                                                           place=place, partner=partner),
                          self._done, self._failed)

    def _done(self, activity: club.Activity) -> None:
        self.created.emit(activity)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, errors.ValidationFailed):
            show_messages(self.messages, exc.messages, fallback="title")
        else:
            show_error(self, exc)


class ClubActivitiesScreen(ListPeriodPane):
    """The club's activities of a period and the chosen activity's participants (the shared
    pane: `jisr_desktop/ui/screens/panes.py`).

    Signals:
        activities_loaded(object): the period's activities were (re)loaded (list of `Activity`).
        detail_loaded(object): the chosen activity and its participants (`ActivityDetail`).
    """

    activities_loaded = Signal(object)
    detail_loaded = Signal(object)

    ROW_TYPE = club.Activity
    COLUMNS = ACTIVITY_COLUMNS
    LIST_NAME = "activityList"
    NAME_COLUMN = 2  # the title
    NEW_NAME = "newActivity"
    KEY = "club-activities"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        self.detail: ActivityDetail | None = None
        self.dialog: QDialog | None = None
        super().__init__(session, parent)

    def build_detail(self) -> QWidget:
        session = self.session
        manage = session.can(Permission.MANAGE_ENROLLMENTS)
        record = session.can(Permission.CHECK_IN)
        self.new_button.setVisible(manage)
        self.heading = QLabel()
        self.heading.setObjectName("activityHeading")
        set_role(self.heading, "heading")
        self.heading.setWordWrap(True)
        self.participants = RowsModel(PARTICIPANT_COLUMNS, self)
        self.participants_table = make_table(self.participants, "activityParticipants")
        self.count = QLabel()
        self.count.setObjectName("participantCount")
        self.picker = PersonPicker(session)
        self.picker.setVisible(record)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addActivityParticipant")
        self.add_button.setVisible(record)
        self.reason = QLineEdit()
        self.reason.setObjectName("removeReason")
        self.reason.setVisible(manage)
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("removeActivityParticipant")
        self.remove_button.setVisible(manage)
        self.messages = {"reason": message_label("reason")}
        self.status = QLabel()
        self.status.setObjectName("activityStatus")
        self.status.setWordWrap(True)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.addWidget(self.heading)
        right_box.addWidget(self.participants_table, 1)
        right_box.addWidget(self.count)
        remove = QHBoxLayout()
        remove.addWidget(self.reason, 1)
        remove.addWidget(self.remove_button)
        right_box.addLayout(remove)
        right_box.addWidget(self.messages["reason"])
        right_box.addWidget(self.picker, 1)
        right_box.addWidget(self.add_button)
        right_box.addWidget(self.status)
        self.add_button.clicked.connect(self.add_participant)
        self.picker.picked.connect(lambda _pid: self.add_participant())
        self.remove_button.clicked.connect(self.remove_participant)
        self._enable()
        return right

    def retranslate(self) -> None:
        self.title.setText(_("Club activities"))
        self.new_button.setText(_("New activity…"))
        self.add_button.setText(_("Add the person found"))
        self.reason.setPlaceholderText(_("Why remove this participant (required)"))
        self.remove_button.setText(_("Remove from the activity"))
        detail = self.detail
        if detail is None:
            self.heading.setText(_("Choose an activity in the list."))
            self.count.setText("")
        else:
            a = detail.activity
            self.heading.setText(_("{kind}: {title}, {date}", kind=_kind(a.kind), title=a.title,
                                   date=i18n.format_date(a.day, fmt="medium")))
            self.count.setText(translate_plural("{n} participant", "{n} participants", len(detail.participants)))
        super().retranslate()
        self.participants.retranslate()

    def _enable(self) -> None:
        chosen = self.detail is not None
        for widget in (self.add_button, self.remove_button, self.reason):
            widget.setEnabled(chosen)

    # --- loading -----------------------------------------------------------------------------

    @staticmethod
    def list_between(ctx: Context, first: date, last: date) -> list[club.Activity]:
        return club.activities_between(ctx=ctx, first=first, last=last)

    def chosen_id(self) -> str | None:
        return self.detail.activity.id if self.detail else None

    load_detail = staticmethod(load_detail)

    def listed(self, found: list[club.Activity]) -> None:
        self.activities_loaded.emit(found)

    def select_activity(self, activity_id: str) -> bool:
        return self.select_item(activity_id)

    def show_detail(self, detail: ActivityDetail) -> None:
        self._show(detail)

    def _show(self, detail: ActivityDetail) -> None:
        self.detail = detail
        self.participants.set_rows(detail.participants)
        self._enable()
        self.retranslate()
        self.detail_loaded.emit(detail)

    # --- actions -----------------------------------------------------------------------------

    def new_record(self) -> None:
        if not self.session.can(Permission.MANAGE_ENROLLMENTS):
            return
        dialog = ActivityDialog(self.session, self)
        dialog.created.connect(self._created)
        dialog.setModal(True)
        dialog.show()
        self.dialog = dialog

    def _created(self, activity: club.Activity) -> None:
        self.load(activity.id)
        self.refresh()

    def add_participant(self) -> None:
        if self.detail is None:
            return
        person_id = self.picker.current_id()
        if person_id is None:
            self.status.setText(_("Find the person first."))
            return
        activity_id = self.detail.activity.id

        def job(ctx: Context) -> ActivityDetail:
            club.add_activity_participant(ctx=ctx, activity_id=activity_id, person_id=person_id)
            return load_detail(ctx, activity_id)

        self.session.call(job, self._changed, self._failed)

    def remove_participant(self) -> None:
        row = selected_row(self.participants_table)
        if self.detail is None or not isinstance(row, Participant):
            self.status.setText(_("Choose the participant in the list first."))
            return
        activity_id, mark_id, reason = self.detail.activity.id, row.mark_id, self.reason.text()

        def job(ctx: Context) -> ActivityDetail:
            attendance.void_event(ctx=ctx, table="attendance", event_id=mark_id, reason=reason)
            return load_detail(ctx, activity_id)

        self.session.call(job, self._changed, self._failed)

    def _changed(self, detail: ActivityDetail) -> None:
        self.status.setText("")
        self.reason.clear()
        show_messages(self.messages, [])
        self._show(detail)
        self.refresh()
        self.picker.focus()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, errors.ValidationFailed):
            show_messages(self.messages, exc.messages, fallback="reason")
        elif isinstance(exc, errors.JisrError):
            self.status.setText(exc.message())
        else:
            show_error(self, exc)

    def focus_search(self) -> None:
        if self.picker.isVisible():
            self.picker.focus()
