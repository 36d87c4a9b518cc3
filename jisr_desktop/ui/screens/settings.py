"""Settings a person changes from the program: language, idle lock, the nursery's places (the
center's, see services.nursery.set_nursery_capacity), own password."""

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

from jisr_desktop import i18n
from jisr_desktop.domain.roles import Permission
from jisr_desktop.errors import JisrError
from jisr_desktop.i18n import _
from jisr_desktop.services import accounts, center, nursery
from jisr_desktop.ui.dialogs import show_error
from jisr_desktop.ui.language import LANGUAGE_NAMES, RetranslateMixin, apply_language
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone


class SettingsScreen(RetranslateMixin, QWidget):
    """Language (switches at once), idle lock minutes and nursery places (coordinators; the
    places are the center's and, once enrolled, set at HQ), change my password.

    Signals: none.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = QLabel()
        set_role(self.title, "title")
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
        self.places = QSpinBox()
        self.places.setObjectName("nurseryPlaces")
        self.places.setRange(0, center.MAX_NURSERY_CAPACITY)
        self.places.setKeyboardTracking(False)  # one change per finished number, not per digit
        self.places_note = QLabel()
        self.places_note.setWordWrap(True)
        set_tone(self.places_note, "muted")
        self.old_password = QLineEdit()
        self.new_password = QLineEdit()
        for field in (self.old_password, self.new_password):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.change_button = QPushButton()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.labels = [QLabel() for _i in range(5)]
        form = QFormLayout()
        for label, widget in zip(self.labels, (self.language, self.idle, self.places,
                                               self.old_password, self.new_password), strict=True):
            form.addRow(label, widget)
            if widget is self.places:
                form.addRow(self.places_note)
        form.addRow(self.change_button)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addStretch(1)
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.idle.valueChanged.connect(lambda v: session.set_setting("idle_lock_minutes", v))
        self.places.valueChanged.connect(self._places_chosen)
        self.change_button.clicked.connect(self.change_password)
        self._places_editable = False
        self.retranslate()
        self.load_places()

    def retranslate(self) -> None:
        self.title.setText(_("Settings"))
        for label, text in zip(self.labels, (_("Language"), _("Lock the screen after (minutes, 0: never)"),
                                             _("Nursery places"), _("Current password"),
                                             _("New password")), strict=True):
            label.setText(text)
        self._places_note_text()
        self.change_button.setText(_("Change my password"))

    def load_places(self) -> None:
        """Show the center's nursery places; a coordinator of a center not yet enrolled may
        change them (an enrolled center's come from HQ)."""
        def shown(found: tuple[int, bool]) -> None:
            places, enrolled = found
            self.places.blockSignals(True)
            self.places.setValue(places)
            self.places.blockSignals(False)
            self._places_editable = self.session.can(Permission.MANAGE_SETTINGS) and not enrolled
            self.places.setEnabled(self._places_editable)
            self._places_note_text()

        self.session.call(lambda ctx: (center.nursery_capacity(ctx.db), nursery.center_enrolled(ctx)),
                          shown, lambda exc: show_error(self, exc))

    def _places_note_text(self) -> None:
        self.places_note.setText(
            _("Beyond these places, enrollments go to the waitlist.") if self._places_editable
            else _("The nursery places are set at HQ for the center."))

    def _places_chosen(self, places: int) -> None:
        def done(promoted: list[object]) -> None:
            self.message.setText(_("The nursery now has {places} places.", places=i18n.format_number(places)))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, JisrError):
                self.message.setText(exc.message())
                self.load_places()
            else:
                show_error(self, exc)

        self.session.call(lambda ctx: nursery.set_nursery_capacity(ctx=ctx, places=places), done, failed)

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
